"""From a project to a reliability report: every code and variable, every coder pair.

A code is present (1) or absent (0) on each paragraph a coder has done and missing where the
coder has not done it (DESIGN.md section 2); a variable takes its level, missing when not
given. Units are the paragraphs that at least two of the chosen coders have done; the
`consensus` coder is never counted. Verdicts apply Krippendorff's (2004, p. 241) thresholds on
alpha, 0.800 reliable and 0.667 tentative, to the lower end of its bootstrap interval, and warn
below Krippendorff's minimum sample (exports/verdict.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import combinations

import numpy as np
from numpy.typing import NDArray

from exports.agreement import cohen_kappa
from exports.alpha import Interval
from exports.ratings import MISSING, Coefficient, Ratings
from exports import report_columns  # the table is read per report, so that a test can add a column
from exports.report_columns import VERDICT_COEFFICIENT
from exports.verdict import NO_BOOTSTRAP, Verdict, judge, minimum_units, sample_warning
from store import AccordError, Project
from store import DoneCodings

SHOWN_SPLITS = 50
"""Split paragraphs listed per code in the terminal, Markdown and HTML (JSON lists them all)."""
LEVEL_OF_KIND = {"code": "nominal", "single": "nominal", "ordinal": "ordinal"}


def verdict(alpha: Coefficient, interval: Interval) -> str:
    """`reliable`, `tentative`, `inconclusive`, `unreliable` or `undefined`: Krippendorff's
    thresholds on the lower end of alpha's interval (exports/verdict.py)."""
    return judge(alpha, interval).word


@dataclass(frozen=True)
class PairAgreement:
    """Two coders on one code: the units both did, their agreement and Cohen's kappa."""

    first: str
    second: str
    units: int
    percent_agreement: Coefficient
    cohen_kappa: Coefficient


@dataclass(frozen=True)
class Split:
    """A paragraph on which the coders who did it gave different values."""

    paragraph_id: str
    values: dict[str, object]
    """coder -> value (1/0 for a code, the level for a variable)."""


@dataclass(frozen=True)
class Splits:
    """The paragraphs on which coders split for one code, kept as arrays until shown."""

    coders: list[str]
    paragraph_ids: NDArray[np.object_]
    codes: NDArray[np.int64]
    """coders x split paragraphs: category index, MISSING where the coder gave no value."""
    categories: tuple[object, ...]

    def __len__(self) -> int:
        return len(self.paragraph_ids)

    def rows(self, limit: int | None = None) -> list[Split]:
        """The first `limit` splits (all by default) as coder -> value."""
        codes = self.codes[:, :limit]
        return [
            Split(str(pid), {self.coders[c]: self.categories[codes[c, u]]
                             for c in range(len(self.coders)) if codes[c, u] != MISSING})
            for u, pid in enumerate(self.paragraph_ids[:limit])
        ]


@dataclass(frozen=True)
class CodeReliability:
    """Every figure for one code or variable."""

    code: str
    label: str
    kind: str
    level: str
    units: int
    """Paragraphs with values from at least two coders."""
    categories: int
    """Values the code can take: 2 for a code, the levels of a variable."""
    coders: int
    prevalence: float | None
    """Share of values that apply the code (codes only)."""
    coefficients: dict[str, Coefficient]
    """Column id -> coefficient, for every entry of `report_columns.COEFFICIENTS`."""
    intervals: dict[str, Interval]
    """Column id -> bootstrap interval, for the columns that have one."""
    pairs: list[PairAgreement]
    splits: Splits

    @property
    def alpha(self) -> Coefficient:
        """Krippendorff's alpha, which the verdict and the reports' chart read."""
        return self.coefficients[VERDICT_COEFFICIENT]

    @property
    def alpha_interval(self) -> Interval:
        return self.intervals[VERDICT_COEFFICIENT]

    @property
    def judged(self) -> Verdict:
        """The verdict and, when the estimate alone would say otherwise, why."""
        return judge(self.alpha, self.alpha_interval)

    @property
    def verdict(self) -> str:
        return self.judged.word

    @property
    def verdict_reason(self) -> str | None:
        """Why the verdict is not what alpha alone would say (None for undefined: alpha's reason says it)."""
        return self.judged.reason if self.alpha.value is not None else None

    @property
    def minimum_units(self) -> int:
        """Krippendorff's minimum sample for this code (exports/verdict.py)."""
        return minimum_units(self.categories)

    @property
    def warning(self) -> str | None:
        """Set when the code has fewer units than the minimum sample."""
        return sample_warning(self.units, self.categories)


@dataclass(frozen=True)
class PairSummary:
    """Two coders over every code: pooled agreement and the mean of their per-code kappas."""

    first: str
    second: str
    units: int
    percent_agreement: float | None
    mean_kappa: float | None


@dataclass
class ReliabilityReport:
    """What `accord agree` shows and writes."""

    project: str
    codebook_sha256: str | None
    created_at: str
    coders: list[str]
    units: int
    replicates: int
    seed: int
    codes: list[CodeReliability] = field(default_factory=list)
    pairs: list[PairSummary] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    """Text of the first `SHOWN_SPLITS` split paragraphs of each code, for the reports."""


def reliability_report(
    project: Project,
    codes: Sequence[str] | None = None,
    coders: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    replicates: int = 1000,
    seed: int = 0,
    on_code: Callable[[str], None] | None = None,
) -> ReliabilityReport:
    """Agreement for every chosen code and variable over paragraphs two or more coders have done.

    Args:
        codes: code or variable ids (default: every code not retired, in codebook order).
        coders: whose work to compare (default: everyone but `consensus`).
        documents: restrict to these documents.
        replicates: bootstrap samples for alpha's 95 % interval (0: no interval).
        seed: the bootstrap's random seed, so that a report can be reproduced.
        on_code: called with each code's id once its figures are done (progress bars).
    """
    known = {row.id: row for row in project.codes()}
    chosen = checked_codes(project, codes, coders, documents)
    data = project.done_codings(coders=coders, codes=chosen, documents=documents)
    report = ReliabilityReport(
        project=str(project.path),
        codebook_sha256=project.codebook_sha256(),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        coders=data.coders,
        units=len(data.paragraphs),
        replicates=replicates,
        seed=seed,
    )
    paragraph_ids = np.array(data.paragraphs, dtype=object)  # once: each code's splits pick from it
    for code in chosen:
        row = known[code]
        levels: list[object] = [value for value, _ in project.levels(code)] if row.kind != "code" else [0, 1]
        ratings = ratings_of(data, code, row.kind, levels)
        report.codes.append(_code_reliability(data, ratings, row.id, row.label, row.kind, replicates, seed,
                                              paragraph_ids))
        if on_code:
            on_code(code)
    report.pairs = _pair_summaries(data.coders, report.codes)
    shown = {str(pid) for code in report.codes for pid in code.splits.paragraph_ids[:SHOWN_SPLITS]}
    report.texts = project.paragraph_texts(sorted(shown))
    return report


def checked_codes(project: Project, codes: Sequence[str] | None, coders: Sequence[str] | None,
                  documents: Sequence[str] | None) -> list[str]:
    """The chosen codes (default every code not retired), after checking that every code, coder
    and document named exists; raises AccordError naming the first unknown ones."""
    known = {row.id: row for row in project.codes()}
    chosen = list(codes) if codes else [row.id for row in known.values() if not row.retired]
    unknown = [code for code in chosen if code not in known]
    if unknown:
        raise AccordError(f"no code or variable {', '.join(map(repr, unknown))} in the codebook")
    if coders is not None:
        missing = sorted(set(coders) - set(project.coders()))
        if missing:
            raise AccordError(f"no coder {', '.join(map(repr, missing))} in this project")
    if documents is not None:
        for document in documents:
            project.document(document)  # raises AccordError naming an unknown document
    return chosen


def ratings_of(data: DoneCodings, code: str, kind: str, levels: list[object]) -> Ratings:
    """Coders x paragraphs: 0/1 on done paragraphs for a code, the level's place for a variable."""
    if kind == "code":
        codes = np.where(data.done, 0, MISSING).astype(np.int64)
    else:
        codes = np.full(data.done.shape, MISSING, dtype=np.int64)
    place = {str(level): i for i, level in enumerate(levels)}
    for given in data.values.get(code, []):
        codes[given.coder, given.paragraphs] = 1 if kind == "code" else place.get(str(given.value), MISSING)
    return Ratings(codes, tuple(levels))


def _code_reliability(data: DoneCodings, ratings: Ratings, code: str, label: str, kind: str,
                      replicates: int, seed: int, paragraph_ids: NDArray[np.object_] | None = None) -> CodeReliability:
    level = LEVEL_OF_KIND.get(kind, "nominal")
    present = ratings.codes != MISSING
    per_unit = np.count_nonzero(present, axis=0)
    pairable = per_unit >= 2
    units = int(np.count_nonzero(pairable))
    # Units with a single value (a variable only one coder set) carry no pairable information.
    whole = units == ratings.units  # a code's units are all pairable: no copies then
    kept = ratings if whole else Ratings(ratings.codes[:, pairable], ratings.categories)
    kept_present = present if whole else present[:, pairable]
    coders_with_values = int(kept_present.any(axis=1).sum())
    # The mean of 0/1 values is their count over their number, whatever the order of adding.
    prevalence = (int(np.count_nonzero(kept.codes == 1)) / int(np.count_nonzero(kept_present))
                  if kind == "code" and kept_present.any() else None)
    pairs = []
    for i, j in combinations(range(len(data.coders)), 2):
        both = kept_present[i] & kept_present[j]
        together = int(np.count_nonzero(both))
        first, second = (kept.codes[i], kept.codes[j]) if together == kept.units else (kept.codes[i, both],
                                                                                        kept.codes[j, both])
        share = (
            Coefficient.of(int(np.count_nonzero(first == second)) / together)
            if together
            else Coefficient.undefined("no paragraph was coded by both coders")
        )
        pairs.append(PairAgreement(data.coders[i], data.coders[j], together, share, cohen_kappa(kept.rows(i, j))))
    intervals = {
        column.id: column.interval.compute(kept, level, replicates, seed)
        if replicates > 0
        else Interval(None, None, NO_BOOTSTRAP)
        for column in report_columns.COEFFICIENTS
        if column.interval
    }
    return CodeReliability(
        code=code,
        label=label,
        kind=kind,
        level=level,
        units=units,
        categories=len(ratings.categories),
        coders=coders_with_values,
        prevalence=prevalence,
        coefficients={column.id: column.compute(kept, level) for column in report_columns.COEFFICIENTS},
        intervals=intervals,
        pairs=pairs,
        splits=_splits(data, kept, pairable, kept_present, paragraph_ids),
    )


def _splits(data: DoneCodings, kept: Ratings, mask: NDArray[np.bool_], present: NDArray[np.bool_] | None = None,
            paragraph_ids: NDArray[np.object_] | None = None) -> Splits:
    """Paragraphs where the coders who gave a value did not all give the same one."""
    codes = kept.codes
    present = codes != MISSING if present is None else present
    high = codes.max(axis=0, initial=MISSING)  # MISSING is below every category
    big = np.iinfo(np.int64).max
    low = np.where(present, codes, big).min(axis=0, initial=big)
    split_at = np.flatnonzero(high != low)
    ids = np.array(data.paragraphs, dtype=object) if paragraph_ids is None else paragraph_ids
    return Splits(data.coders, ids[np.flatnonzero(mask)[split_at]], codes[:, split_at], kept.categories)


def _pair_summaries(coders: list[str], codes: list[CodeReliability]) -> list[PairSummary]:
    summaries = []
    for index, (first, second) in enumerate(combinations(coders, 2)):
        per_code = [code.pairs[index] for code in codes]
        units = sum(p.units for p in per_code)
        agreeing = sum(p.units * p.percent_agreement.value for p in per_code if p.percent_agreement.value is not None)
        kappas = [p.cohen_kappa.value for p in per_code if p.cohen_kappa.value is not None]
        summaries.append(
            PairSummary(
                first,
                second,
                max((p.units for p in per_code), default=0),
                agreeing / units if units else None,
                float(np.mean(kappas)) if kappas else None,
            )
        )
    return summaries
