"""Whose codings: one coder's values, the consensus, the majority, on a range of paragraphs.

A paragraph counts as coded by a coder only when the coder marked it `done` (DESIGN.md
section 2): then every code without a value-1 row is 0; a paragraph not done is missing (NA),
never 0. Everything here works on whole ranges with pandas, never paragraph by paragraph.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from store import CONSENSUS, STATUSES, is_written, unwritten_value

ScalarT = TypeVar("ScalarT", bound=np.generic)

MIN_CODERS = 2
"""Unanimity and majority need at least two coders who did the paragraph; one coder is not a
consensus, and treating them as one would hide that nobody checked their work."""


@dataclass(frozen=True)
class CodeSpec:
    """A code or variable as an export column sees it."""

    id: str
    label: str
    kind: str
    """`code` (0/1) or a variable kind (`single`, `ordinal`)."""
    levels: tuple[tuple[str, str], ...] = ()
    """(value, label) of a variable's levels, in order."""
    retired: bool = False

    @property
    def is_code(self) -> bool:
        return self.kind == "code"

    @property
    def categories(self) -> pd.CategoricalDtype:
        """A variable's levels as a categorical type (ordered for an ordinal variable)."""
        return pd.CategoricalDtype([value for value, _ in self.levels], ordered=self.kind == "ordinal")


@dataclass
class Chunk:
    """The raw rows of one range of paragraphs, as frames."""

    paragraphs: pd.DataFrame
    """paragraph_id, document_id, position, seq[, text], in corpus order."""
    statuses: pd.DataFrame
    """seq, coder, status, flagged, note."""
    codings: pd.DataFrame
    """seq, coder, code, value (set values only)."""
    _grids: dict[tuple[str, ...], Grid] = field(default_factory=dict, repr=False)
    _ids: pd.Index | None = field(default=None, repr=False)

    @property
    def ids(self) -> pd.Index:
        """The paragraph ids, as one index made once: a new one for each use hashed the ids again."""
        if self._ids is None:
            self._ids = pd.Index(self.paragraphs["paragraph_id"], name="paragraph_id")
        return self._ids

    def places(self, seqs: pd.Series) -> NDArray[np.intp]:
        """The rows of the chunk's paragraphs with these seqs (all of them in the chunk)."""
        places: NDArray[np.intp] = np.searchsorted(self.paragraphs["seq"].to_numpy(), seqs.to_numpy())
        return places

    def grid(self, coders: list[str], codes: list[CodeSpec]) -> Grid:
        """The chunk as arrays over (coder, paragraph[, code]), built once per set of coders."""
        key = tuple(coders)
        if key not in self._grids:
            self._grids[key] = Grid.build(self, coders, codes)
        return self._grids[key]


@dataclass
class Grid:
    """Dense arrays for vote counting: coders x paragraphs (x codes).

    `values` holds 0/1 for a code and, for a variable, 0 when not set or the level's 1-based
    place. Counting votes over the first axis is then plain numpy, whatever the corpus size.
    """

    done: NDArray[np.bool_]
    flagged: NDArray[np.int8]
    status: NDArray[np.object_]
    note: NDArray[np.object_]
    values: NDArray[np.int16]

    @classmethod
    def build(cls, chunk: Chunk, coders: list[str], codes: list[CodeSpec]) -> Grid:
        ids = chunk.ids
        k, n, m = len(coders), len(ids), len(codes)
        coder_index = {coder: i for i, coder in enumerate(coders)}
        done = np.zeros((k, n), dtype=bool)
        flagged = np.zeros((k, n), dtype=np.int8)
        status = np.full((k, n), None, dtype=object)
        note = np.full((k, n), None, dtype=object)
        values = np.zeros((k, n, m), dtype=np.int16)
        rows = chunk.statuses
        if len(rows):
            ci = _looked_up(rows["coder"], coder_index)
            keep = ci >= 0
            stated = rows["status"].to_numpy()
            _refuse(chunk, rows, keep & pd.notna(stated) & ~np.isin(stated, STATUSES), "status")
            ci, pi = ci[keep], chunk.places(rows["seq"])[keep]
            status[ci, pi] = stated[keep]
            done[ci, pi] = stated[keep] == "done"
            flagged[ci, pi] = pd.to_numeric(rows["flagged"]).fillna(0).to_numpy()[keep].astype(np.int8)
            note[ci, pi] = _real_notes(rows["note"].to_numpy()[keep])
        rows = chunk.codings
        if len(rows):
            # (code, value as text) -> (column, stored number); anything else (a 0, a level the
            # codebook no longer has) maps to nothing and stays 0.
            cells: dict[tuple[str, str], tuple[int, int]] = {}
            for j, code in enumerate(codes):
                pairs = [("1", 1)] if code.is_code else [(v, i) for i, (v, _) in enumerate(code.levels, start=1)]
                for value, place in pairs:
                    cells[(code.id, value)] = (j, place)
            code_at, code_ids = pd.factorize(rows["code"])
            value_at, stored = pd.factorize(rows["value"])
            where = np.full((len(code_ids) + 1, len(stored) + 1), -1, dtype=np.int64)
            number = np.zeros_like(where)
            forbidden = np.zeros_like(where, dtype=bool)
            specs = {code.id: (code.is_code, {value for value, _ in code.levels}) for code in codes}
            for a, code_id in enumerate(code_ids):
                for b, value in enumerate(stored):
                    where[a, b], number[a, b] = cells.get((code_id, str(value)), (-1, 0))
                    if code_id in specs:
                        is_code, levels = specs[code_id]
                        forbidden[a, b] = not is_written(is_code, value, levels)
            column, place = where[code_at, value_at], number[code_at, value_at]
            ci = _looked_up(rows["coder"], coder_index)
            _refuse(chunk, rows, forbidden[code_at, value_at] & (ci >= 0), "code")
            keep = (column >= 0) & (ci >= 0)
            if keep.any():
                pi = chunk.places(rows["seq"][keep])
                values[ci[keep], pi, column[keep]] = place[keep].astype(np.int16)
        return cls(done, flagged, status, note, values)

    def rows(self, coders: list[int]) -> Grid:
        """The grid of the coders at these places of the first axis, in this order."""
        return Grid(self.done[coders], self.flagged[coders], self.status[coders], self.note[coders],
                    self.values[coders])


def object_table(rows: list[tuple[object, ...]], width: int) -> NDArray[np.object_]:
    """Rows as one 2-D object array, filled from a flat iterator: np.array(rows) first works out
    the shape of every tuple, pandas makes an Arrow string of each text column, zip(*rows) a
    tuple per column: each took longer than the query."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=object, count=len(rows) * width)
    return flat.reshape(len(rows), width)


def object_frame(rows: list[tuple[object, ...]], names: list[str]) -> pd.DataFrame:
    """Rows as a frame of object columns (`seq` as integers): the chunks values() reads."""
    table = object_table(rows, len(names))
    return pd.DataFrame({name: table[:, i].astype(np.int64) if name == "seq" else object_column(table[:, i])
                         for i, name in enumerate(names)})


def object_column(column: NDArray[np.object_]) -> pd.Series:
    """A column kept as Python objects: pandas 3 would copy text into an Arrow string array
    (seconds at 1,000,000 paragraphs), which values() reads back as objects anyway."""
    return pd.Series(column, dtype=object, copy=False)


def _refuse(chunk: Chunk, rows: pd.DataFrame, bad: NDArray[np.bool_], what: str) -> None:
    """Stop at the first of the `rows` that holds a value no Accord writes (store.unwritten_value)."""
    if not bad.any():
        return
    row = rows.iloc[int(np.argmax(bad))]
    paragraph = chunk.paragraphs["paragraph_id"].iloc[int(chunk.places(pd.Series([row["seq"]]))[0])]
    raise unwritten_value(paragraph, row["coder"], row["code"] if what == "code" else "status", "a dataset")


def _looked_up(column: pd.Series, index: Mapping[str, int]) -> NDArray[np.int64]:
    """index[value] for each value of `column`, -1 where it has none. Looked up once per
    distinct value: a Python lookup per row cost seconds at 1,000,000 paragraphs."""
    at, distinct = pd.factorize(column)
    places = np.array([index.get(value, -1) for value in distinct] + [-1], dtype=np.int64)
    looked_up: NDArray[np.int64] = places[at]  # a missing value's `at` is -1: the appended -1
    return looked_up


def _real_notes(notes: NDArray[np.object_]) -> NDArray[np.object_]:
    """Notes with text; None for the rest (None, NaN that pandas may put in a missing cell, blanks).

    Most statuses have no note: only the cells that are not None are looked at in Python."""
    out = np.full(len(notes), None, dtype=object)
    try:
        maybe = np.flatnonzero(notes != None)  # noqa: E711 (elementwise)
    except TypeError:  # a cell whose comparison has no truth value (pandas' NA): look at every one
        maybe = np.arange(len(notes))
    for i in maybe:
        note = notes[i]
        if isinstance(note, str) and note.strip():
            out[i] = note
    return out


def _column(code: CodeSpec, numbers: NDArray[np.int16] | NDArray[np.int64], present: NDArray[np.bool_],
            ids: pd.Index) -> pd.Series:
    """A column from stored numbers: missing where not `present` (and, for variables, where 0)."""
    if code.is_code:
        return pd.Series(pd.arrays.IntegerArray(numbers.astype(np.int8), ~present), index=ids)
    places = np.where(present & (numbers > 0), numbers - 1, -1)
    return pd.Series(pd.Categorical.from_codes(places, dtype=code.categories), index=ids)


def _text(out: pd.DataFrame, cells: NDArray[np.object_]) -> pd.Series:
    """Text cells for a column of `out`, None where missing. pandas 3 would make such a column
    `str` with NaN, yet leave one with no text at all `object`: chunks would differ in dtype."""
    return pd.Series(cells, index=out.index, dtype=object)


def coder_values(chunk: Chunk, coder: str, codes: list[CodeSpec]) -> pd.DataFrame:
    """One coder's values on the chunk's paragraphs, indexed by paragraph id.

    Columns: one per code and variable, then `status`, `flag`, `note`, `_coded` (done) and
    `_place` (the paragraph's row in the chunk).
    """
    return _frame(chunk, chunk.grid([coder], codes), 0, codes)


def _frame(chunk: Chunk, grid: Grid, k: int, codes: list[CodeSpec]) -> pd.DataFrame:
    return _rows_frame(chunk.ids, np.arange(len(chunk.ids)), grid.done[k], grid.values[k], grid.status[k],
                       grid.flagged[k], grid.note[k], codes)


def _rows_frame(ids: pd.Index, places: NDArray[np.intp], done: NDArray[np.bool_], values: NDArray[np.int16],
                status: NDArray[np.object_], flagged: NDArray[np.int8], note: NDArray[np.object_],
                codes: list[CodeSpec]) -> pd.DataFrame:
    """One row per entry of `ids` (at `places` in the chunk), from the grid's arrays for those
    rows (values: rows x codes)."""
    out = pd.DataFrame({code.id: _column(code, values[:, j], done, ids) for j, code in enumerate(codes)},
                       index=ids)
    out["status"] = _text(out, status)
    out["flag"] = pd.array(flagged, dtype=pd.Int8Dtype())
    out["note"] = _text(out, note)
    out["_coded"] = done
    out["_place"] = places
    return out


def all_coder_rows(chunk: Chunk, coders: list[str], codes: list[CodeSpec]) -> pd.DataFrame:
    """Every coder's values, one row per paragraph and coder: paragraphs in corpus order, each
    with its coders in `coders`' order; a `coder` column first, then coder_values' columns.

    Built from the grid at once (its coder and paragraph axes swapped): stacking a frame per
    coder and sorting it took most of an `--all` export's time."""
    grid = chunk.grid(coders, codes)
    k, n = len(coders), len(chunk.ids)

    def by_row(array: NDArray[ScalarT]) -> NDArray[ScalarT]:  # (coders, paragraphs, ...) -> (paragraphs * coders, ...)
        return array.swapaxes(0, 1).reshape(n * k, *array.shape[2:])

    places = np.repeat(np.arange(n), k)
    out = _rows_frame(chunk.ids[places], places, by_row(grid.done), by_row(grid.values), by_row(grid.status),
                      by_row(grid.flagged), by_row(grid.note), codes)
    out.insert(0, "coder", np.tile(np.array(coders, dtype=object), n))
    return out


def combined_values(chunk: Chunk, coders: list[str], codes: list[CodeSpec], rule: str) -> pd.DataFrame:
    """Values agreed by the coders who did each paragraph: `unanimous` or strict `majority`.

    A cell is missing when fewer than MIN_CODERS coders did the paragraph, or when they do not
    reach the rule (disagreement, or a tie). `coders_done` counts them; `flag` is 1 when any
    coder flagged the paragraph; `note` gathers every coder's note as "coder: note".
    """
    ids = chunk.ids
    grid = chunk.grid(coders, codes)
    winner, agreed, count = _votes(grid, codes, rule)
    columns = {code.id: _column(code, winner[:, j], agreed[:, j], ids) for j, code in enumerate(codes)}
    out = pd.DataFrame(columns, index=ids)
    out["coders_done"] = pd.array(count, dtype=pd.Int64Dtype())
    out["flag"] = pd.array((grid.flagged.sum(axis=0) > 0).astype(np.int8), dtype=pd.Int8Dtype())
    out["note"] = _text(out, _joined_notes(coders, grid.note))
    out["_coded"] = count >= MIN_CODERS
    out["_place"] = np.arange(len(ids))
    return out


def _votes(grid: Grid, codes: list[CodeSpec], rule: str) -> tuple[NDArray[np.int64], NDArray[np.bool_], NDArray[np.intp]]:
    """(winning number, agreed) per paragraph and code, and the coders who did each paragraph.

    `agreed` holds where enough coders did the paragraph and they reach the rule."""
    done = grid.done
    count = done.sum(axis=0)
    enough = count >= MIN_CODERS
    n, m = done.shape[1], len(codes)
    winner = np.zeros((n, m), dtype=np.int64)
    agreed = np.zeros((n, m), dtype=bool)
    # Codes (0/1) all at once: the 1s counted, the 0s are the rest of the coders who did the
    # paragraph; a tie goes to 0, as argmax gives the first of equal counts.
    binary = [j for j, code in enumerate(codes) if code.is_code]
    if binary:
        ones = (done[:, :, None] & (grid.values[:, :, binary] == 1)).sum(axis=0)  # (n, codes)
        zeros = count[:, None] - ones
        winner[:, binary] = ones > zeros
        top = np.maximum(ones, zeros)
        agreed[:, binary] = enough[:, None] & ((top == count[:, None]) if rule == "unanimous"
                                               else (top * 2 > count[:, None]))
    for j, code in enumerate(codes):
        if code.is_code:
            continue
        votes = np.where(done, grid.values[:, :, j], -1)
        places = len(code.levels) + 1
        tally = np.stack([(votes == v).sum(axis=0) for v in range(places)])  # (places, n)
        winner[:, j] = tally.argmax(axis=0)
        top = tally.max(axis=0)
        agreed[:, j] = enough & ((top == count) if rule == "unanimous" else (top * 2 > count))
    return winner, agreed, count


def _joined_notes(coders: list[str], notes: NDArray[np.object_]) -> NDArray[np.object_]:
    """Every coder's note on each paragraph as "coder: note | coder: note" (notes are rare)."""
    out = np.full(notes.shape[1], None, dtype=object)
    for i in np.flatnonzero((notes != None).any(axis=0)):  # noqa: E711 (elementwise)
        out[i] = " | ".join(f"{coder}: {note}" for coder, note in zip(coders, notes[:, i], strict=True) if note is not None)
    return out


def consensus_values(chunk: Chunk, coders: list[str], codes: list[CodeSpec]) -> pd.DataFrame:
    """Adjudicated values (coder `consensus`, done), falling back to unanimous values of the others.

    `note` joins the adjudicator's note (its reasons) and every coder's note, in that order;
    `basis` says where the values come from (see _basis). Chosen array by array: a frame for
    each side, merged column by column, took twice as long.
    """
    ids = chunk.ids
    others = [coder for coder in coders if coder != CONSENSUS]
    grid = chunk.grid([*others, CONSENSUS], codes)
    voters, adjudicated = grid.rows(list(range(len(others)))), grid.rows([len(others)])
    winner, agreed, count = _votes(voters, codes, "unanimous")
    use = adjudicated.done[0]
    numbers = np.where(use[:, None], adjudicated.values[0], winner)
    present = use[:, None] | agreed
    out = pd.DataFrame({code.id: _column(code, numbers[:, j], present[:, j], ids) for j, code in enumerate(codes)},
                       index=ids)
    out["coders_done"] = pd.array(count, dtype=pd.Int64Dtype())
    flagged = (voters.flagged.sum(axis=0) + adjudicated.flagged[0]) > 0
    out["flag"] = pd.array(flagged.astype(np.int8), dtype=pd.Int8Dtype())
    # The adjudicator's reasons first, then every coder's note: a reason answers the notes.
    notes = np.concatenate([adjudicated.note, voters.note])
    out["note"] = _text(out, _joined_notes([CONSENSUS, *others], notes))
    enough = count >= MIN_CODERS
    out["basis"] = _text(out, _basis(use, adjudicated.values[0], voters, winner, agreed, count))
    out["_coded"] = use | enough
    out["_place"] = np.arange(len(ids))
    return out


def _basis(use: NDArray[np.bool_], decided: NDArray[np.int16], voters: Grid, winner: NDArray[np.int64],
           agreed: NDArray[np.bool_], count: NDArray[np.intp]) -> NDArray[np.object_]:
    """Where each paragraph's consensus values come from, told by the values themselves.

    The store keeps the adjudicator's values, not how each was reached (a bulk accept and a
    keypress write the same coding), so the adjudicator's values (`decided`, on the paragraphs
    in `use`) are set against the coders': `unanimous` when two or more coders did the paragraph,
    agree on every code and the adjudicator kept their values; `single coder` when one coder did
    it and the adjudicator kept that coder's values (`--accept-unanimous`); `adjudicated` for
    the rest, where the adjudicator settled a disagreement or set values of their own. Without
    the adjudicator: `unanimous` where two or more coders did the paragraph (values they split
    on are missing), missing where fewer did.
    """
    single = np.where(voters.done[:, :, None], voters.values, 0).sum(axis=0)  # the one coder's values, where count is 1
    kept_unanimous = (count >= MIN_CODERS) & agreed.all(axis=1) & (decided == winner).all(axis=1)
    kept_single = (count == 1) & (decided == single).all(axis=1)
    basis = np.full(len(use), None, dtype=object)
    basis[count >= MIN_CODERS] = "unanimous"
    basis[use] = "adjudicated"
    basis[use & kept_unanimous] = "unanimous"
    basis[use & kept_single] = "single coder"
    return basis
