"""The coefficient columns of the reliability report: one table that every format loops over.

A new agreement coefficient is its function (in `exports.agreement` or `exports.alpha`) and one
entry in `COEFFICIENTS`: `reliability_report` computes it for every code, and the terminal
table, the Markdown, HTML, JSON and CSV reports and the TUI's agreement screen show it, in the
table's order, between the code's prevalence and its verdict. The JSON key and CSV column are
the entry's `id`; the other formats show its `header` and the value with three decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exports.agreement import fleiss_kappa, gwet_ac1, percent_agreement
from exports.alpha import Interval, alpha_interval, krippendorff_alpha
from exports.ratings import Coefficient, Ratings

if TYPE_CHECKING:  # reliability.py computes the report from this table, so it imports this module
    from exports.reliability import CodeReliability

INTERVAL_HEADER = "95 % CI"
"""Header of a bootstrap interval's column, right after its coefficient (all formats but CSV)."""
VERDICT_COEFFICIENT = "krippendorff_alpha"
"""The coefficient the verdict reads (Krippendorff's thresholds are for alpha)."""


@dataclass(frozen=True)
class Bootstrap:
    """A coefficient's bootstrap interval: how it is computed, and the CSV columns of its bounds."""

    prefix: str
    """The CSV columns are `{prefix}_low` and `{prefix}_high`."""
    compute: Callable[[Ratings, str, int, int], Interval]
    """(ratings, level of measurement, replicates, seed) -> interval."""


@dataclass(frozen=True)
class CoefficientColumn:
    """One agreement coefficient of the per-code table, as every report format shows it."""

    id: str
    """JSON key and CSV column."""
    header: str
    """Column header in the terminal, Markdown, HTML and the TUI."""
    compute: Callable[[Ratings, str], Coefficient]
    """(ratings of the units two or more coders valued, level of measurement) -> coefficient."""
    interval: Bootstrap | None = None
    """A bootstrap interval shown beside the value, if the coefficient has one."""


def _nominal(coefficient: Callable[[Ratings], Coefficient]) -> Callable[[Ratings, str], Coefficient]:
    """A coefficient that treats every category as nominal, whatever the code's level."""
    return lambda ratings, level: coefficient(ratings)


def _alpha_interval(ratings: Ratings, level: str, replicates: int, seed: int) -> Interval:
    return alpha_interval(ratings, level, replicates=replicates, seed=seed)


COEFFICIENTS: tuple[CoefficientColumn, ...] = (
    CoefficientColumn("percent_agreement", "% agree", _nominal(percent_agreement)),
    CoefficientColumn("fleiss_kappa", "Fleiss κ", _nominal(fleiss_kappa)),
    CoefficientColumn("krippendorff_alpha", "α", krippendorff_alpha, Bootstrap("alpha", _alpha_interval)),
    CoefficientColumn("gwet_ac1", "AC1", _nominal(gwet_ac1)),
)


def fmt(value: float | None, digits: int = 3) -> str:
    """A figure as printed in the reports: three decimals, an en dash when undefined."""
    return "–" if value is None else f"{value:.{digits}f}"


def interval_text(interval: Interval) -> str:
    """An interval as printed in the reports: `[low, high]`, an en dash when undefined."""
    low, high = interval.low, interval.high
    return "–" if low is None or high is None else f"[{low:.3f}, {high:.3f}]"


@dataclass(frozen=True)
class ShownColumn:
    """A column of the tables people read (terminal, Markdown, HTML, TUI): a value or its interval."""

    header: str
    coefficient: str
    """The id of the coefficient column it shows."""
    interval: bool
    """True for the coefficient's interval (left-aligned), False for its value (right-aligned)."""

    def text(self, code: CodeReliability) -> str:
        """The cell: three decimals or `[low, high]`, an en dash when undefined."""
        if self.interval:
            return interval_text(code.intervals[self.coefficient])
        return fmt(code.coefficients[self.coefficient].value)


def shown_columns() -> list[ShownColumn]:
    """The coefficients as shown columns, each interval right after its value."""
    shown = []
    for column in COEFFICIENTS:
        shown.append(ShownColumn(column.header, column.id, interval=False))
        if column.interval:
            shown.append(ShownColumn(INTERVAL_HEADER, column.id, interval=True))
    return shown


def csv_headers() -> list[str]:
    """The CSV columns of the coefficients, the bounds of an interval after its value."""
    headers = []
    for column in COEFFICIENTS:
        headers.append(column.id)
        if column.interval:
            headers += [f"{column.interval.prefix}_low", f"{column.interval.prefix}_high"]
    return headers


def csv_values(code: CodeReliability, number: Callable[[float | None], str]) -> list[str]:
    """A code's coefficients as CSV cells, each figure written by `number`."""
    values = []
    for column in COEFFICIENTS:
        values.append(number(code.coefficients[column.id].value))
        if column.interval:
            interval = code.intervals[column.id]
            values += [number(interval.low), number(interval.high)]
    return values


def json_entries(code: CodeReliability) -> dict[str, dict[str, object]]:
    """A code's coefficients as JSON: `{"value", "reason"}`, with `low`, `high` and `interval_reason` for an interval."""
    entries = {}
    for column in COEFFICIENTS:
        coefficient = code.coefficients[column.id]
        entry: dict[str, object] = {"value": coefficient.value, "reason": coefficient.reason}
        if column.interval:
            interval = code.intervals[column.id]
            entry |= {"low": interval.low, "high": interval.high, "interval_reason": interval.reason}
        entries[column.id] = entry
    return entries


def reasons(coefficients: Mapping[str, Coefficient]) -> list[str]:
    """Why coefficients are undefined, each reason once: the verdict's first, as it explains the verdict."""
    order = [VERDICT_COEFFICIENT, *(column.id for column in COEFFICIENTS if column.id != VERDICT_COEFFICIENT)]
    return list(dict.fromkeys(reason for column_id in order if (reason := coefficients[column_id].reason)))


def verdict_notes(code: CodeReliability) -> list[str]:
    """What every format prints under its table about a code's verdict, prefixed by the code id
    there: why the verdict is not what alpha alone would say, and the small-sample warning."""
    notes = [f"{code.verdict}: {code.verdict_reason}"] if code.verdict_reason else []
    return notes + ([code.warning] if code.warning else [])


def report_notes(codes: Sequence[CodeReliability]) -> list[str]:
    """The lines under a report's table about its verdicts: each code's reason, then each
    small-sample warning once, with the codes it concerns (most share it)."""
    lines = [f"{code.code}: {code.verdict}: {code.verdict_reason}" for code in codes if code.verdict_reason]
    warned: dict[str, list[str]] = {}
    for code in codes:
        if code.warning:
            warned.setdefault(code.warning, []).append(code.code)
    return lines + [f"{', '.join(names)}: {warning}" for warning, names in warned.items()]
