"""Agreement over time and per document: does a coder drift, does a document split everyone.

Each coder's paragraphs that another coder has also done are compared with a reference: the
consensus on paragraphs the adjudicator has marked done, otherwise every other coder who did the
paragraph. (A paragraph only one coder did is left out even when adjudicated: its consensus may
be that coder's own values, accepted as unanimous.) One comparison
is one (paragraph, reference) pair: the coder's value against the reference's, for each chosen
code. Grouped into windows of `window` paragraphs in the order the coder did them (their first
`done` event, store.CodingOrder), or per document, each group gets

- percent agreement: the share of its comparisons where both values are the same, pooled over
  codes (the `% agree` of the coder-pair table);
- alpha: Krippendorff's alpha of each code over the group's comparisons, each comparison a unit
  with two values (so with two coders and no consensus it is the plain alpha of the two on those
  paragraphs), then averaged over the codes whose alpha is defined (as the pair table averages
  Cohen's kappa). The formula is `exports.alpha`'s, applied to one coincidence matrix per group.

A group with fewer paragraphs than `minimum` (half a window; `MIN_DOCUMENT_PARAGRAPHS` for a
document) has no figures, and says so. Per document, a row for all coders together compares
each pair of coders once (or each coder with the consensus). Everything is NumPy over index
arrays: the loops are over coders and codes, never over paragraphs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

from exports.alpha import alpha_of_coincidences
from exports.ratings import MISSING
from exports.reliability import LEVEL_OF_KIND, checked_codes, ratings_of
from store import CodingOrder, DoneCodings, Project

WINDOW = 50
"""Paragraphs per window unless --window says otherwise."""
MIN_DOCUMENT_PARAGRAPHS = 3
"""A document with fewer compared paragraphs (for a coder) has no figures."""


@dataclass(slots=True)  # not frozen: a frozen init costs a setattr call per field, and there are 10,000s of rows
class DriftRow:
    """One coder (None: all coders) over one window or one document."""

    coder: str | None
    window: int | None
    """1 for the coder's first window; None per document."""
    document: str | None
    first_paragraph: str
    last_paragraph: str
    first_at: str | None
    last_at: str | None
    paragraphs: int
    comparisons: int
    """(paragraph, reference) pairs, over all codes."""
    percent_agreement: float | None
    alpha: float | None
    """Mean over codes of alpha, over the codes where it is defined."""
    alpha_codes: int
    """How many codes the mean is over."""
    per_code: dict[str, float | None]
    reason: str | None = None
    """Why the figures are missing."""


@dataclass
class DriftReport:
    """What `accord agree --over time` and `--by document` show and write."""

    project: str
    codebook_sha256: str | None
    created_at: str
    over: str
    """`time` (windows in each coder's order) or `document`."""
    window: int
    minimum: int
    codes: list[str]
    coders: list[str]
    consensus: int
    """Paragraphs the consensus has done (where it is the reference)."""
    rows: Sequence[DriftRow] = field(default_factory=list)
    """DriftRows from drift_report, made when first read: its JSON is written from the columns."""


def drift_report(project: Project, over: str = "time", window: int = WINDOW, codes: Sequence[str] | None = None,
                 coders: Sequence[str] | None = None, documents: Sequence[str] | None = None) -> DriftReport:
    """Each coder's agreement with the reference per window of their work, or per document."""
    if window < 2:
        raise ValueError("a window needs at least 2 paragraphs")
    chosen = checked_codes(project, codes, coders, documents)
    data, adjudicated, order = project.drift_codings(coders=coders, codes=chosen, documents=documents)
    minimum = max(2, window // 2) if over == "time" else MIN_DOCUMENT_PARAGRAPHS
    report = DriftReport(str(project.path), project.codebook_sha256(), datetime.now(UTC).isoformat(timespec="seconds"),
                         over, window, minimum, chosen, data.coders, len(adjudicated.paragraphs))
    if not data.paragraphs:
        return report
    column_of = {paragraph: i for i, paragraph in enumerate(data.paragraphs)}
    at_consensus = np.fromiter(map(column_of.get, adjudicated.paragraphs, repeat(-1)), dtype=np.int64,
                               count=len(adjudicated.paragraphs))
    decided = np.zeros(len(data.paragraphs), dtype=bool)
    decided[at_consensus[at_consensus >= 0]] = True
    done = data.done
    others = done.sum(axis=0)[None, :] - done
    compared = done & (others >= 1)  # double-coded only: a consensus copied from one coder proves nothing
    work = _ordered(order, compared)
    if over == "time":
        groups, labels = _windows(work, window)
        everyone = None
    else:
        document_of, names = project.paragraph_documents(data.paragraphs)
        groups, labels, everyone = _documents(work, (document_of, list(names)), compared)
    group = np.full(done.shape, -1, dtype=np.int64)
    group[work.coder, work.column] = groups
    figures = _figures(project, data, adjudicated, at_consensus, decided, compared, group, everyone, chosen, len(labels))
    meta = _group_meta(work, groups, everyone, len(labels), np.array(data.paragraphs, dtype=object))
    report.rows = _rows(labels, meta, figures, chosen, data.coders, minimum)
    return report


Label = tuple[int | None, object]
"""A group: (coder index, or None for all coders; window number or document id)."""


@dataclass(frozen=True)
class _Work:
    """The compared paragraphs of every coder, sorted by coder, then time, then corpus order."""

    coder: NDArray[np.int64]
    column: NDArray[np.int64]
    """Index into DoneCodings.paragraphs (corpus order)."""
    stamp: NDArray[np.int64]
    """Index into `stamps`, which is sorted: comparing indexes compares times."""
    stamps: NDArray[np.object_]


def _ordered(order: CodingOrder, compared: NDArray[np.bool_]) -> _Work:
    coder, column, at, time = order.coder, order.column, order.at, order.time
    keep = compared[coder, column]
    coder, column, at, time = coder[keep], column[keep], at[keep], time[keep]
    _, first, stamp = np.unique(time, return_index=True, return_inverse=True)
    sequence = np.lexsort((column, stamp, coder))  # ties (files without events) in corpus order
    return _Work(coder[sequence], column[sequence], stamp[sequence].astype(np.int64), np.asarray(at[first], dtype=object))


def _windows(work: _Work, window: int) -> tuple[NDArray[np.int64], list[Label]]:
    """Each row's group: its coder's window (rank in the coder's order // window)."""
    start = np.searchsorted(work.coder, work.coder, side="left")
    number = (np.arange(len(work.coder)) - start) // window
    key = work.coder * (int(number.max(initial=0)) + 1) + number
    keys, groups = np.unique(key, return_inverse=True)
    width = int(number.max(initial=0)) + 1
    return groups.astype(np.int64), [(int(k // width), int(k % width) + 1) for k in keys]


def _documents(work: _Work, document_of: tuple[NDArray[np.int64], list[str]],
               compared: NDArray[np.bool_]) -> tuple[NDArray[np.int64], list[Label], NDArray[np.int64]]:
    """Each row's group (coder and document), and per paragraph column the all-coders group."""
    codes, names = document_of  # documents numbered in corpus order
    count = len(names)
    keys, groups = np.unique(work.coder * count + codes[work.column], return_inverse=True)
    labels: list[Label] = [(coder, names[d]) for coder, d in zip((keys // count).tolist(), (keys % count).tolist(), strict=True)]
    seen = compared.any(axis=0)
    shown, places = np.unique(codes[seen], return_inverse=True)
    everyone = np.full(len(codes), -1, dtype=np.int64)
    everyone[np.flatnonzero(seen)] = places + len(labels)
    return groups.astype(np.int64), labels + [(None, names[d]) for d in shown.tolist()], everyone


@dataclass
class _Figures:
    pairs: NDArray[np.float64]
    agree: NDArray[np.float64]
    alphas: NDArray[np.float64]
    """groups x codes, NaN where undefined."""


def _figures(project: Project, data: DoneCodings, adjudicated: DoneCodings, at_consensus: NDArray[np.intp],
             decided: NDArray[np.bool_], compared: NDArray[np.bool_], group: NDArray[np.int64],
             everyone: NDArray[np.int64] | None, codes: list[str], size: int) -> _Figures:
    kinds = {row.id: row.kind for row in project.codes()}
    figures = _Figures(np.zeros(size), np.zeros(size), np.full((size, len(codes)), np.nan))
    first, second, g = _comparisons(decided, compared, group, everyone)
    for index, code in enumerate(codes):
        kind = kinds[code]
        levels: list[object] = [value for value, _ in project.levels(code)] if kind != "code" else [0, 1]
        ratings = ratings_of(data, code, kind, levels)
        reference = np.full(len(decided), MISSING, dtype=np.int64)
        if adjudicated.paragraphs:
            at = at_consensus >= 0
            reference[at_consensus[at]] = ratings_of(adjudicated, code, kind, levels).codes[0, np.flatnonzero(at)]
        values = np.concatenate([ratings.codes, reference[None, :]]).ravel()  # the consensus as the last row
        a, b, here = values[first], values[second], g
        if kind != "code":  # a variable may be unset where a code is 0 or 1 on every done paragraph
            kept = (a != MISSING) & (b != MISSING)
            a, b, here = a[kept], b[kept], g[kept]
        q = len(levels)
        counts = np.bincount(here * q * q + a * q + b, minlength=size * q * q).reshape(size, q, q).astype(np.float64)
        coincidences = counts + counts.transpose(0, 2, 1)  # two values per unit: each pair both ways, m_u - 1 = 1
        figures.alphas[:, index] = alpha_of_coincidences(coincidences, LEVEL_OF_KIND.get(kind, "nominal"), ratings)
        # Whole-number counts: their sums are exact, whatever the order of adding.
        figures.pairs += counts.reshape(size, q * q).sum(axis=1)
        figures.agree += counts.reshape(size, q * q)[:, :: q + 1].sum(axis=1)  # the diagonal: equal values
    return figures


def _comparisons(decided: NDArray[np.bool_], compared: NDArray[np.bool_], group: NDArray[np.int64],
                 everyone: NDArray[np.int64] | None) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Every comparison any code can make, once for all codes: (the coder's value, the reference's
    value, the group), the values as places in the coders x paragraphs ratings with the consensus
    as one more row at the end. A code leaves out those where either value is missing."""
    coders, width = compared.shape
    parts: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]] = []
    for i in range(coders):
        at = np.flatnonzero(compared[i] & decided)
        parts.append((i * width + at, coders * width + at, group[i, at]))
        if everyone is not None:
            parts.append((i * width + at, coders * width + at, everyone[at]))
        for j in range(coders):
            if j == i:
                continue
            # `compared[j]` is `done[j]` where i is compared: someone else did it.
            at = np.flatnonzero(compared[i] & ~decided & compared[j])
            parts.append((i * width + at, j * width + at, group[i, at]))
            if everyone is not None and j > i:
                parts.append((i * width + at, j * width + at, everyone[at]))
    return tuple(np.concatenate([part[k] for part in parts]) for k in range(3))  # type: ignore[return-value]


def _group_meta(work: _Work, groups: NDArray[np.int64], everyone: NDArray[np.int64] | None,
                size: int, paragraph_ids: NDArray[np.object_]) -> dict[str, list[object]]:
    """Per group: first and last paragraph (in the coder's order; corpus order for all coders),
    first and last time, and the number of paragraphs."""
    if not size:
        return {"first": [], "last": [], "first_at": [], "last_at": [], "paragraphs": []}
    group, column, stamp = groups, work.column, work.stamp
    if everyone is not None:  # each compared paragraph once more, in the all-coders group, at its earliest
        extra = np.unique(column)
        earliest = np.full(int(column.max(initial=-1)) + 1, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(earliest, column, stamp)
        group = np.concatenate([group, everyone[extra]])
        column = np.concatenate([column, extra])
        stamp = np.concatenate([stamp, earliest[extra]])
    # Per group, in the rows' order (a stable sort keeps it): first and last column, earliest
    # and latest stamp, and how many.
    order = np.argsort(group, kind="stable")
    group, column, stamp = group[order], column[order], stamp[order]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    ends = np.r_[starts[1:], len(group)]
    meta = {"first": column[starts], "last": column[ends - 1], "low": np.minimum.reduceat(stamp, starts),
            "high": np.maximum.reduceat(stamp, starts), "paragraphs": ends - starts}
    assert len(starts) == size and (group[starts] == np.arange(size)).all(), "every group has its rows"
    return {"first": paragraph_ids[meta["first"]].tolist(), "last": paragraph_ids[meta["last"]].tolist(),
            "first_at": work.stamps[meta["low"]].tolist(), "last_at": work.stamps[meta["high"]].tolist(),
            "paragraphs": meta["paragraphs"].tolist()}


def _rows(labels: list[Label], meta: dict[str, list[object]], figures: _Figures,
          codes: list[str], coders: list[str], minimum: int) -> DriftRows:
    """One row per group; the figures computed for all groups at once, the loop only packs them."""
    count = np.array(meta["paragraphs"], dtype=np.int64)
    few = count < minimum
    alphas = np.where(few[:, None], np.nan, figures.alphas)
    defined = ~np.isnan(alphas)
    used = defined.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(used > 0, np.nansum(alphas, axis=1) / np.maximum(used, 1), np.nan)
        share = np.where(few | (figures.pairs == 0), np.nan, figures.agree / np.maximum(figures.pairs, 1))
    size = len(labels)
    places = [where for _, where in labels]
    over_time = size > 0 and isinstance(places[0], int)
    reasons: list[str | None] = [None] * size
    for number in np.flatnonzero(few | (used == 0)).tolist():
        reasons[number] = (f"too few paragraphs ({int(count[number])} < {minimum})" if few[number]
                           else "alpha undefined for every code here (no variation)")
    return DriftRows(DriftColumns(
        codes, [None if coder is None else coders[coder] for coder, _ in labels],
        places if over_time else [None] * size, [None] * size if over_time else [str(where) for where in places],
        list(map(str, meta["first"])), list(map(str, meta["last"])), list(map(_text, meta["first_at"])),
        list(map(_text, meta["last_at"])), count.tolist(), figures.pairs.astype(np.int64).tolist(), _or_none(share),
        _or_none(mean), used.astype(np.int64).tolist(), alphas, reasons))


@dataclass
class DriftColumns:
    """The rows of a report as columns, one entry per row (DriftRow's fields in its order)."""

    codes: list[str]
    coder: list[str | None]
    window: list[Any]
    document: list[str | None]
    first_paragraph: list[str]
    last_paragraph: list[str]
    first_at: list[str | None]
    last_at: list[str | None]
    paragraphs: list[int]
    comparisons: list[int]
    percent_agreement: list[Any]
    alpha: list[Any]
    alpha_codes: list[int]
    alphas: NDArray[np.float64]
    """rows x codes, NaN where undefined."""
    reason: list[str | None]


class DriftRows(Sequence[DriftRow]):
    """A report's rows, made from its columns when first read: at 1,000,000 paragraphs by
    document there are 200,000, and the JSON, written from the columns, needs none of them."""

    def __init__(self, columns: DriftColumns) -> None:
        self.columns = columns
        self._rows: list[DriftRow] | None = None

    def _made(self) -> list[DriftRow]:
        if self._rows is None:
            c = self.columns
            per_code = [dict(zip(c.codes, values, strict=True)) for values in _or_none(c.alphas)]
            self._rows = list(map(DriftRow, c.coder, c.window, c.document, c.first_paragraph, c.last_paragraph,
                                  c.first_at, c.last_at, c.paragraphs, c.comparisons, c.percent_agreement, c.alpha,
                                  c.alpha_codes, per_code, c.reason))
        return self._rows

    def __len__(self) -> int:
        return len(self.columns.coder)

    @overload
    def __getitem__(self, index: int) -> DriftRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[DriftRow]: ...

    def __getitem__(self, index: int | slice) -> DriftRow | list[DriftRow]:
        return self._made()[index]

    def __iter__(self) -> Iterator[DriftRow]:
        return iter(self._made())


def _or_none(values: NDArray[np.float64]) -> list[Any]:
    """As Python floats, NaN as None (missing, not zero), in one pass."""
    boxed = values.astype(object)
    boxed[np.isnan(values)] = None
    return boxed.tolist()  # type: ignore[no-any-return]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def groups_shown(report: DriftReport) -> int:
    """The windows (over time) or documents the report's rows cover, from its columns when it has them."""
    if isinstance(report.rows, DriftRows):
        return len(set(zip(report.rows.columns.window, report.rows.columns.document, strict=True)))
    return len({(row.window, row.document) for row in report.rows})
