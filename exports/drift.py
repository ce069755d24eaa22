"""Agreement over time and per document: does a coder drift, does a document split everyone.

Each coder's paragraphs are compared with a reference: the consensus on paragraphs the
adjudicator has marked done, otherwise every other coder who did the paragraph. One comparison
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

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exports.alpha import alpha_of_coincidences
from exports.ratings import MISSING
from exports.reliability import LEVEL_OF_KIND, checked_codes, ratings_of
from store import CONSENSUS, DoneCodings, Project

WINDOW = 50
"""Paragraphs per window unless --window says otherwise."""
MIN_DOCUMENT_PARAGRAPHS = 3
"""A document with fewer compared paragraphs (for a coder) has no figures."""


@dataclass(frozen=True)
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
    rows: list[DriftRow] = field(default_factory=list)


def drift_report(project: Project, over: str = "time", window: int = WINDOW, codes: Sequence[str] | None = None,
                 coders: Sequence[str] | None = None, documents: Sequence[str] | None = None) -> DriftReport:
    """Each coder's agreement with the reference per window of their work, or per document."""
    if window < 2:
        raise ValueError("a window needs at least 2 paragraphs")
    chosen = checked_codes(project, codes, coders, documents)
    data = project.done_codings(coders=coders, codes=chosen, documents=documents, min_coders=1)
    adjudicated = project.done_codings(coders=[CONSENSUS], codes=chosen, documents=documents, min_coders=1,
                                       keep_consensus=True)
    minimum = max(2, window // 2) if over == "time" else MIN_DOCUMENT_PARAGRAPHS
    report = DriftReport(str(project.path), project.codebook_sha256(), datetime.now(UTC).isoformat(timespec="seconds"),
                         over, window, minimum, chosen, data.coders, len(adjudicated.paragraphs))
    if not data.paragraphs:
        return report
    columns = pd.Index(data.paragraphs)
    at_consensus = columns.get_indexer(pd.Index(adjudicated.paragraphs))
    decided = np.zeros(len(columns), dtype=bool)
    decided[at_consensus[at_consensus >= 0]] = True
    done = data.done
    others = done.sum(axis=0)[None, :] - done
    compared = done & (decided[None, :] | (others >= 1))
    order = project.coding_order(data.coders, documents)
    frame = pd.DataFrame({"coder": order.coder, "column": columns.get_indexer(pd.Index(order.paragraphs)),
                          "document": order.documents, "at": order.at})
    frame = frame[(frame["column"] >= 0)]
    frame = frame[compared[frame["coder"].to_numpy(), frame["column"].to_numpy()]]
    frame = frame.sort_values("coder", kind="stable")  # within a coder, the order they did them in
    groups, labels = _groups(frame, over, window)
    group = np.full(done.shape, -1, dtype=np.int64)
    group[frame["coder"].to_numpy(), frame["column"].to_numpy()] = groups
    everyone = None
    if over == "document":
        everyone, document_labels = _document_groups(frame, len(columns), len(labels))
        labels = labels + document_labels
    figures = _figures(project, data, adjudicated, at_consensus, decided, compared, group, everyone, chosen, len(labels))
    meta = _group_meta(frame, groups, everyone, len(labels), np.array(data.paragraphs, dtype=object))
    report.rows = _rows(labels, meta, figures, chosen, data.coders, minimum)
    return report


Label = tuple[int | None, object]
"""A group: (coder index, or None for all coders; window number or document id)."""


def _groups(frame: pd.DataFrame, over: str, window: int) -> tuple[NDArray[np.int64], list[Label]]:
    """Each frame row's group number, and each group's (coder, window number or document)."""
    if over == "time":
        rank = frame.groupby("coder", sort=False).cumcount().to_numpy()
        key = pd.MultiIndex.from_arrays([frame["coder"].to_numpy(), rank // window + 1])
    else:
        first = frame.groupby("document", sort=False)["column"].transform("min").to_numpy()
        key = pd.MultiIndex.from_arrays([frame["coder"].to_numpy(), first, frame["document"].to_numpy()])
    numbers, uniques = pd.factorize(key, sort=True)
    labels: list[Label] = [(int(entry[0]), entry[-1] if over == "document" else int(entry[1])) for entry in uniques]
    return np.asarray(numbers, dtype=np.int64), labels


def _document_groups(frame: pd.DataFrame, width: int, offset: int) -> tuple[NDArray[np.int64], list[Label]]:
    """Per paragraph column, the all-coders group of its document (-1 where nobody compared it)."""
    docs = frame.drop_duplicates("column").sort_values("column")
    numbers, uniques = pd.factorize(docs["document"].to_numpy())  # first seen in corpus order
    everyone = np.full(width, -1, dtype=np.int64)
    everyone[docs["column"].to_numpy()] = numbers + offset
    return everyone, [(None, document) for document in uniques]


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
    for index, code in enumerate(codes):
        kind = kinds[code]
        levels: list[object] = [value for value, _ in project.levels(code)] if kind != "code" else [0, 1]
        ratings = ratings_of(data, code, kind, levels)
        reference = np.full(len(decided), MISSING, dtype=np.int64)
        if adjudicated.paragraphs:
            at = at_consensus >= 0
            reference[at_consensus[at]] = ratings_of(adjudicated, code, kind, levels).codes[0, np.flatnonzero(at)]
        a, b, g = _comparisons(ratings.codes, reference, decided, compared, group, everyone)
        q = len(levels)
        counts = np.bincount(g * q * q + a * q + b, minlength=size * q * q).reshape(size, q, q).astype(np.float64)
        coincidences = counts + counts.transpose(0, 2, 1)  # two values per unit: each pair both ways, m_u - 1 = 1
        figures.alphas[:, index] = alpha_of_coincidences(coincidences, LEVEL_OF_KIND.get(kind, "nominal"), ratings)
        figures.pairs += np.bincount(g, minlength=size)
        figures.agree += np.bincount(g, weights=(a == b).astype(np.float64), minlength=size)
    return figures


def _comparisons(values: NDArray[np.int64], reference: NDArray[np.int64], decided: NDArray[np.bool_],
                 compared: NDArray[np.bool_], group: NDArray[np.int64],
                 everyone: NDArray[np.int64] | None) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """(coder's value, reference's value, group) of every comparison of one code."""
    has = (values != MISSING) & compared
    parts: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]] = []
    for i in range(len(values)):
        at = np.flatnonzero(has[i] & decided & (reference != MISSING))
        parts.append((values[i, at], reference[at], group[i, at]))
        if everyone is not None:
            parts.append((values[i, at], reference[at], everyone[at]))
        for j in range(len(values)):
            if j == i:
                continue
            at = np.flatnonzero(has[i] & ~decided & (values[j] != MISSING))
            parts.append((values[i, at], values[j, at], group[i, at]))
            if everyone is not None and j > i:
                both = at[compared[j, at]]
                parts.append((values[i, both], values[j, both], everyone[both]))
    return tuple(np.concatenate([part[k] for part in parts]) for k in range(3))  # type: ignore[return-value]


def _group_meta(frame: pd.DataFrame, groups: NDArray[np.int64], everyone: NDArray[np.int64] | None,
                size: int, paragraph_ids: NDArray[np.object_]) -> dict[str, list[object]]:
    """Per group: first and last paragraph and time, and the number of paragraphs."""
    rows = pd.DataFrame({"group": groups, "column": frame["column"].to_numpy(), "at": frame["at"].to_numpy()})
    if everyone is not None:
        columns = np.flatnonzero(everyone >= 0)
        at = frame.groupby("column")["at"].min()
        rows = pd.concat([rows, pd.DataFrame({"group": everyone[columns], "column": columns,
                                              "at": at.reindex(columns).to_numpy()})])
    rows["paragraph"] = paragraph_ids[rows["column"].to_numpy()]
    grouped = rows.groupby("group", sort=True)
    meta = pd.DataFrame({"first": grouped["paragraph"].first(), "last": grouped["paragraph"].last(),
                         "first_at": grouped["at"].min(), "last_at": grouped["at"].max(),
                         "paragraphs": grouped["column"].nunique()})
    return {name: column.tolist() for name, column in meta.reindex(range(size)).items()}


def _rows(labels: list[Label], meta: dict[str, list[object]], figures: _Figures,
          codes: list[str], coders: list[str], minimum: int) -> list[DriftRow]:
    """One row per group: a loop over windows and documents, not paragraphs."""
    rows = []
    for number, (coder, where) in enumerate(labels):
        n = int(meta["paragraphs"][number])  # type: ignore[call-overload]
        alphas = figures.alphas[number]
        defined = ~np.isnan(alphas)
        reason = None
        if n < minimum:
            reason = f"too few paragraphs ({n} < {minimum})"
        elif not defined.any():
            reason = "alpha undefined for every code here (no variation)"
        few = n < minimum
        pairs = figures.pairs[number]
        rows.append(DriftRow(
            coder=None if coder is None else coders[coder],
            window=where if isinstance(where, int) else None,
            document=None if isinstance(where, int) else str(where),
            first_paragraph=str(meta["first"][number]), last_paragraph=str(meta["last"][number]),
            first_at=_text(meta["first_at"][number]), last_at=_text(meta["last_at"][number]),
            paragraphs=n, comparisons=int(pairs),
            percent_agreement=None if few or not pairs else float(figures.agree[number] / pairs),
            alpha=None if few or not defined.any() else float(alphas[defined].mean()),
            alpha_codes=0 if few else int(defined.sum()),
            per_code={code: None if few or np.isnan(value) else float(value) for code, value in zip(codes, alphas, strict=True)},
            reason=reason,
        ))
    return rows


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
