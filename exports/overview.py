"""What the coded corpus says: frequencies, the code matrix, co-occurrence and coverage.

Whose codings count is `accord export`'s rule, exports/whose.py and votes.py (one coder, the
consensus, the majority, or each coder's own with `--by coder`): the chosen values of a range
of paragraphs come from `values()`, as the export's rows do, and only the rows it marks done
(`coded`) count. No pandas: the chosen values are arrays. Counting is NumPy over those rows: a 0/1 matrix of rows by
entries (each code, each variable level), `bincount` for the code matrix and `X.T @ X` for
co-occurrence; never a Python loop over paragraphs.
"""

from __future__ import annotations

import re
from itertools import chain, count, repeat
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from exports.required import GapTally
from exports.votes import (Chosen, CodeSpec, CodingRows, Grid, StatusRows, coder_places, factorize, flag_numbers,
                           object_table)
from exports.whose import DatasetSpec, chosen_coders, code_specs, resolve_whose, values
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
    project.refuse_misnumbered()
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
        chunk = _Range.read(project, first, last, coders, coded)
        if len(chunk):
            chosen = values(chunk, spec, coders, codes)
            tally.add(chunk, chosen, _row_groups(chunk, chosen, document_group, by, coders), _applies(chosen, codes),
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


class _Codings:
    """Every value the chosen coders set, read once (store.coded_paragraphs), handed out a range
    at a time: each coding's group (coder, code, value) and paragraph (a number standing for its
    id, `ids[number]`)."""

    def __init__(self, project: Project, coders: list[str]) -> None:
        groups = coded_paragraphs(project, coders)
        self.coders = [group[0] for group in groups]
        self.code_at, self.code_ids = factorize([group[1] for group in groups])
        self.value_at, self.stored = factorize([group[2] for group in groups])
        self.group = np.repeat(np.arange(len(groups)), [group[3] for group in groups])
        # Each paragraph's number: the place of its first coding, found in one C loop
        # (setdefault keeps the first number an id gets); not dense, which costs nothing.
        flat = list(chain.from_iterable(group[4] for group in groups))
        self.number: dict[str, int] = {}
        self.paragraph = np.fromiter(map(self.number.setdefault, flat, count()), dtype=np.int64, count=len(flat))
        self.size = len(flat)

    def on(self, ids: NDArray[np.object_], coders: list[str]) -> CodingRows:
        """The codings on the paragraphs `ids` (a range), with coders placed as in `coders`."""
        numbers = np.fromiter(map(self.number.get, ids, repeat(-1)), dtype=np.int64, count=len(ids))
        row = np.full(self.size + 1, -1, dtype=np.int64)  # the last: for no number at all
        row[numbers] = np.where(numbers >= 0, np.arange(len(ids)), -1)
        place = row[self.paragraph]
        keep = place >= 0
        group = self.group[keep]
        index = {coder: i for i, coder in enumerate(coders)}
        coder = np.array([index.get(name, -1) for name in self.coders] + [-1], dtype=np.int64)
        return CodingRows(coder[group], place[keep], self.code_at[group], self.value_at[group], self.code_ids,
                          self.stored)


class _Range:
    """The paragraphs of a range that a chosen coder has a status on (no other can be done),
    with those coders' statuses and values: the rows `values()` chooses from."""

    def __init__(self, ids: NDArray[np.object_], documents: NDArray[np.object_], statuses: NDArray[np.object_],
                 places: NDArray[np.intp], coded: _Codings) -> None:
        self.ids, self.documents, self.statuses, self.places, self.coded = ids, documents, statuses, places, coded

    @classmethod
    def read(cls, project: Project, first: int, last: int, coders: list[str], coded: _Codings) -> _Range:
        rows = object_table(status_rows_with_paragraphs(project, first, last, coders), 8)
        seqs = rows[:, 0].astype(np.int64)
        _, first_of_each, places = np.unique(seqs, return_index=True, return_inverse=True)  # one per paragraph, by seq
        return cls(rows[first_of_each, 5], rows[first_of_each, 6], rows[:, 1:5], places.reshape(-1), coded)

    def __len__(self) -> int:
        return len(self.ids)

    def grid(self, coders: list[str], codes: list[CodeSpec]) -> Grid:
        # A value set on a paragraph nobody gave a status has no row to go to, and counts nowhere.
        statuses = StatusRows(coder_places(self.statuses[:, 0], {c: i for i, c in enumerate(coders)}), self.places,
                              self.statuses[:, 1], flag_numbers(self.statuses[:, 2]), self.statuses[:, 3])
        return Grid.build(self.ids, coders, codes, statuses, self.coded.on(self.ids, coders))


def _row_groups(chunk: _Range, chosen: Chosen, document_group: dict[str, int], by: str | None,
                coders: list[str]) -> Int:
    """Each chosen row's group: its coder's place with --by coder, else its document's group."""
    if by == "coder":
        assert chosen.coder is not None
        return coder_places(chosen.coder, {c: i for i, c in enumerate(coders)})
    at, distinct = factorize(chunk.documents)
    lookup = np.array([document_group[d] for d in distinct] + [0], dtype=np.int64)
    groups: Int = lookup[at][chosen.place]
    return groups


def _applies(chosen: Chosen, codes: list[CodeSpec]) -> NDArray[np.bool_]:
    """(rows, entries): the code is 1 / the variable has the level (missing: no)."""
    columns = [chosen.applies(j, 1) for j, code in enumerate(codes) if code.is_code]
    columns += [chosen.applies(j, k) for j, code in enumerate(codes) if not code.is_code
                for k in range(1, len(code.levels) + 1)]
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

    def add(self, chunk: _Range, chosen: Chosen, group: Int, applies: NDArray[np.bool_],
            broken: NDArray[np.bool_]) -> None:
        done = chosen.coded
        self.done += np.bincount(group[done], minlength=self.groups)
        self.flagged += np.bincount(group[chosen.flag == 1], minlength=self.groups)
        self.missing += np.bincount(group[broken], minlength=self.groups)
        applies = applies[done]
        group = group[done]
        cells = (group[:, None] * self.entries + np.arange(self.entries)[None, :])[applies]
        self.counts += np.bincount(cells, minlength=self.groups * self.entries).reshape(self.groups, self.entries)
        x = applies[:, :self.codes].astype(np.int64)
        self.cooccurrence += x.T @ x
        coders = chosen.coder[done] if chosen.coder is not None else None
        self.parts.append(Rows(chunk.ids[chosen.place[done]], coders, group, applies))

    def rows(self) -> Rows:
        if not self.parts:
            return Rows(np.array([], dtype=object), None, np.zeros(0, dtype=np.int64),
                        np.zeros((0, self.entries), dtype=bool))
        coders = [p.coders for p in self.parts if p.coders is not None]
        return Rows(np.concatenate([p.ids for p in self.parts]), np.concatenate(coders) if coders else None,
                    np.concatenate([p.group for p in self.parts]), np.concatenate([p.applies for p in self.parts]))

