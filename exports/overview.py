"""What the coded corpus says: frequencies, the code matrix, co-occurrence and coverage.

Whose codings count is `accord export`'s rule, taken from exports/datasets.py and coded.py
(one coder, the consensus, the majority, or each coder's own with `--by coder`): the chosen
values of a range of paragraphs come from `values()`, as the export's rows do, and only the
rows it marks done (`_coded`) count. Counting is NumPy over those rows: a 0/1 matrix of rows by
entries (each code, each variable level), `bincount` for the code matrix and `X.T @ X` for
co-occurrence; never a Python loop over paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exports.coded import Chunk, CodeSpec, object_column, object_table
from exports.datasets import DatasetSpec, chosen_coders, code_specs, resolve_whose, values
from exports.required import GapTally
from store import (CONSENSUS, AccordError, Project, coded_paragraphs, document_groups,
                   status_rows_with_paragraphs)

BY = ("document", "speaker", "country", "year", "coder")
"""Groupings of the code matrix."""
NO_GROUP = "(none)"
"""The group of documents without a speaker, a country or a dated year."""
CHUNK_SEQS = 100_000
"""Paragraphs (by corpus order) read at a time: bounds memory at 1,000,000 paragraphs."""
YEAR = re.compile(r"\d{4}")

Int = NDArray[np.int64]


@dataclass(frozen=True)
class Entry:
    """A row of the frequencies: a code, or one level of a variable."""

    code: str
    level: str | None
    label: str

    @property
    def name(self) -> str:
        return self.code if self.level is None else f"{self.code}={self.level}"


@dataclass
class Rows:
    """The done rows behind the counts, for drill-down: paragraph ids, the coder of each row
    (`--by coder`), each row's group, and which entries apply (rows x entries)."""

    ids: NDArray[np.object_]
    coders: NDArray[np.object_] | None
    group: Int
    applies: NDArray[np.bool_]


@dataclass
class Overview:
    """Counts over the chosen done rows, per group (one group when there is no grouping)."""

    project: str
    whose: str
    """`coder`, `consensus`, `majority` or `all` (each coder's own, with --by coder)."""
    coder: str | None
    by: str | None
    groups: list[str]
    """The groups' names; [] without a grouping (the arrays below then have one group)."""
    entries: list[Entry]
    codes: list[str]
    """The codes (the first len(codes) entries), the axes of co-occurrence."""
    counts: Int
    """(groups, entries): done rows where the entry applies."""
    paragraphs: Int
    done: Int
    flagged: Int
    missing_required: Int
    """(groups,) each: rows (paragraphs, or paragraphs and coders), done ones, flagged ones
    (done or not) and done ones that leave a required variable unset."""
    cooccurrence: Int
    """(codes, codes): done rows where both apply; the diagonal is each code's count."""
    rows: Rows

    @property
    def total(self) -> Int:
        """Each entry's count over every group."""
        total: Int = self.counts.sum(axis=0)
        return total

    def shares(self) -> NDArray[np.float64]:
        """(groups, entries): count / done rows of the group; NaN where the group has none."""
        with np.errstate(invalid="ignore", divide="ignore"):
            shares: NDArray[np.float64] = self.counts / self.done[:, None]
        return shares

    def jaccard(self) -> NDArray[np.float64]:
        """(codes, codes): both / either; NaN where neither applies anywhere."""
        counts = np.diag(self.cooccurrence)
        union = counts[:, None] + counts[None, :] - self.cooccurrence
        with np.errstate(invalid="ignore", divide="ignore"):
            jaccard: NDArray[np.float64] = np.where(union > 0, self.cooccurrence / union, np.nan)
        return jaccard

    def described(self) -> str:
        """Whose codings, in words."""
        return {"coder": f"the codings of {self.coder}", "majority": "the majority (more than half of two or more coders)",
                "consensus": "the consensus (adjudicated values, else values all of two or more coders gave)",
                "all": "each coder's own codings"}[self.whose]

    def behind(self, entry: int, group: int | None = None, other: int | None = None) -> list[tuple[str, str | None]]:
        """(paragraph id, coder or None) of the done rows behind a count: entry `entry` (in
        `group`), or, with `other`, both codes `entry` and `other` (co-occurrence)."""
        mask = self.rows.applies[:, entry].copy()
        if other is not None:
            mask &= self.rows.applies[:, other]
        if group is not None and self.groups:
            mask &= self.rows.group == group
        at = np.flatnonzero(mask)
        coders = self.rows.coders[at] if self.rows.coders is not None else [None] * len(at)
        return list(zip(self.rows.ids[at].tolist(), list(coders), strict=True))


def build_overview(project: Project, whose: str = "coder", coder: str | None = None, by: str | None = None,
                   on_progress: Callable[[int], None] | None = None) -> Overview:
    """The overview of `whose` codings (as `accord export` chooses them), grouped `by`."""
    if by is not None and by not in BY:
        raise AccordError(f"--by must be one of {', '.join(BY)}, not {by!r}")
    if by == "coder":
        if whose != "coder" or coder is not None:
            raise AccordError("--by coder shows each coder's own codings: --coder, --consensus and --majority "
                              "do not apply")
        whose = "all"
    if not [name for name in project.coders() if name != CONSENSUS]:
        raise AccordError("nobody has coded in this project yet: there is nothing to count")
    spec = resolve_whose(project, DatasetSpec(whose=whose, coder=coder, text=False))
    coders = chosen_coders(project, spec)
    codes = code_specs(project)
    entries = [Entry(c.id, None, c.label) for c in codes if c.is_code]
    entries += [Entry(c.id, value, f"{c.label}: {label}") for c in codes if not c.is_code for value, label in c.levels]
    groups, document_group, paragraphs = _groups(project, by, coders)
    tally = _Tally(len(groups) or 1, len(entries), sum(c.is_code for c in codes))
    gaps = GapTally(project.required_variables())
    total = project.paragraph_count()
    coded = _Codings(project, coders)
    for first in range(1, total + 1, CHUNK_SEQS):
        last = min(first + CHUNK_SEQS - 1, total)
        chunk = _status_chunk(project, first, last, coders, coded)
        if len(chunk.paragraphs):
            chosen = values(chunk, spec, coders, codes)
            tally.add(chosen, _row_groups(chunk, chosen, document_group, by, coders), _applies(chosen, codes),
                      gaps.broken(chosen, codes))
        if on_progress:
            on_progress(last - first + 1)
    return Overview(project.project_id, spec.whose, spec.coder, by, groups, entries,
                    [c.id for c in codes if c.is_code], tally.counts, paragraphs, tally.done, tally.flagged,
                    tally.missing, tally.cooccurrence, tally.rows())


def _groups(project: Project, by: str | None, coders: list[str]) -> tuple[list[str], dict[str, int], Int]:
    """The groups, each document's group (by document id), and each group's paragraphs."""
    documents = document_groups(project)  # (id, speaker, country, date, paragraphs)
    ids = [d[0] for d in documents]
    if by in ("coder", None):
        total = project.paragraph_count()
    if by == "coder":
        return list(coders), {}, np.full(len(coders), total, dtype=np.int64)
    if by is None:
        return [], dict.fromkeys(ids, 0), np.array([total], dtype=np.int64)
    counts = np.array([d[4] for d in documents], dtype=np.int64)
    if by == "document":
        return ids, {d: i for i, d in enumerate(ids)}, counts
    if by == "year":
        names = [d[3][:4] if d[3] and YEAR.match(d[3]) else NO_GROUP for d in documents]
    else:
        field = 1 if by == "speaker" else 2
        names = [v if isinstance(v, str) and v.strip() else NO_GROUP for v in (d[field] for d in documents)]
    groups = sorted(set(names), key=lambda g: (g == NO_GROUP, g))
    place = {g: i for i, g in enumerate(groups)}
    of_document = {d: place[n] for d, n in zip(ids, names, strict=True)}
    paragraphs = np.zeros(len(groups), dtype=np.int64)
    np.add.at(paragraphs, [place[n] for n in names], counts)
    return groups, of_document, paragraphs


def _status_chunk(project: Project, first: int, last: int, coders: list[str], coded: _Codings) -> Chunk:
    """The paragraphs in range that a chosen coder has a status on (no other can be done),
    with those coders' statuses and values: the rows `values()` chooses from."""
    rows = object_table(status_rows_with_paragraphs(project, first, last, coders), 8)
    seqs = rows[:, 0].astype(np.int64)
    order = np.argsort(seqs, kind="stable")
    first_of_each = order[np.flatnonzero(np.diff(seqs[order], prepend=-1))]  # one row per paragraph, by seq
    paragraphs = pd.DataFrame({"paragraph_id": object_column(rows[first_of_each, 5]),
                               "document_id": object_column(rows[first_of_each, 6]),
                               "position": object_column(rows[first_of_each, 7]), "seq": seqs[first_of_each]})
    statuses = pd.DataFrame({"seq": seqs, "coder": object_column(rows[:, 1]), "status": object_column(rows[:, 2]),
                             "flagged": object_column(rows[:, 3]), "note": object_column(rows[:, 4])})
    # A value set on a paragraph nobody gave a status has no row to go to, and counts nowhere.
    return Chunk(paragraphs, statuses, coded.on(paragraphs))


class _Codings:
    """Every value the chosen coders set, read once (store.coded_paragraphs), handed out a
    chunk at a time: each coding's paragraph as a number, and per chunk the codings whose
    paragraph the chunk has."""

    def __init__(self, project: Project, coders: list[str]) -> None:
        groups, self.at, uniques = coded_paragraphs(project, coders)
        counts = [group[3] for group in groups]
        self.paragraphs = pd.Index(np.array(uniques, dtype=object), dtype=object)

        def column(values: list[object]) -> NDArray[np.object_]:
            # The None keeps the values as they are (1 stays an int, not a float) in an object array.
            spread: NDArray[np.object_] = np.repeat(np.array([*values, None], dtype=object)[:-1], counts)
            return spread

        self.coder, self.code, self.value = (column([group[k] for group in groups]) for k in range(3))

    def on(self, paragraphs: pd.DataFrame) -> pd.DataFrame:
        """(seq, coder, code, value) of the codings on these paragraphs."""
        row = pd.Index(paragraphs["paragraph_id"], dtype=object).get_indexer(self.paragraphs)[self.at]
        keep = row >= 0
        return pd.DataFrame({"seq": paragraphs["seq"].to_numpy()[row[keep]], "coder": object_column(self.coder[keep]),
                             "code": object_column(self.code[keep]), "value": object_column(self.value[keep])})


def _row_groups(chunk: Chunk, chosen: pd.DataFrame, document_group: dict[str, int], by: str | None,
                coders: list[str]) -> Int:
    """Each chosen row's group: its coder's place with --by coder, else its document's group."""
    if by == "coder":
        places: Int = pd.Index(coders).get_indexer(chosen["coder"]).astype(np.int64)
        return places
    at, distinct = pd.factorize(chunk.paragraphs["document_id"].to_numpy()[chosen["_place"].to_numpy()])
    lookup = np.array([document_group[d] for d in distinct] + [0], dtype=np.int64)
    groups: Int = lookup[at]
    return groups


def _applies(chosen: pd.DataFrame, codes: list[CodeSpec]) -> NDArray[np.bool_]:
    """(rows, entries): the code is 1 / the variable has the level (missing: no)."""
    columns = []
    for code in codes:
        if code.is_code:
            columns.append(chosen[code.id].to_numpy(dtype=np.int8, na_value=0) == 1)
    for code in codes:
        if not code.is_code:
            places = chosen[code.id].cat.codes.to_numpy()
            columns += [places == k for k in range(len(code.levels))]
    if not columns:
        return np.zeros((len(chosen), 0), dtype=bool)
    return np.column_stack(columns)


class _Tally:
    """Counts summed chunk by chunk."""

    def __init__(self, groups: int, entries: int, codes: int) -> None:
        self.groups, self.entries, self.codes = groups, entries, codes
        self.counts = np.zeros((groups, entries), dtype=np.int64)
        self.done = np.zeros(groups, dtype=np.int64)
        self.flagged = np.zeros(groups, dtype=np.int64)
        self.missing = np.zeros(groups, dtype=np.int64)
        self.cooccurrence = np.zeros((codes, codes), dtype=np.int64)
        self.parts: list[Rows] = []

    def add(self, chosen: pd.DataFrame, group: Int, applies: NDArray[np.bool_], broken: NDArray[np.bool_]) -> None:
        done = chosen["_coded"].to_numpy(dtype=bool)
        self.done += np.bincount(group[done], minlength=self.groups)
        self.flagged += np.bincount(group[chosen["flag"].to_numpy(dtype=np.int8, na_value=0) == 1],
                                    minlength=self.groups)
        self.missing += np.bincount(group[broken], minlength=self.groups)
        applies = applies[done]
        group = group[done]
        cells = (group[:, None] * self.entries + np.arange(self.entries)[None, :])[applies]
        self.counts += np.bincount(cells, minlength=self.groups * self.entries).reshape(self.groups, self.entries)
        x = applies[:, :self.codes].astype(np.int64)
        self.cooccurrence += x.T @ x
        coders = chosen["coder"].to_numpy(dtype=object)[done] if "coder" in chosen else None
        self.parts.append(Rows(chosen.index.to_numpy(dtype=object)[done], coders, group, applies))

    def rows(self) -> Rows:
        if not self.parts:
            return Rows(np.array([], dtype=object), None, np.zeros(0, dtype=np.int64),
                        np.zeros((0, self.entries), dtype=bool))
        coders = [p.coders for p in self.parts if p.coders is not None]
        return Rows(np.concatenate([p.ids for p in self.parts]), np.concatenate(coders) if coders else None,
                    np.concatenate([p.group for p in self.parts]), np.concatenate([p.applies for p in self.parts]))

