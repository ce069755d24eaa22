"""Whose codings, as NumPy arrays: one coder's values, the consensus, the majority, or every coder's.

A paragraph counts as coded by a coder only when the coder marked it `done` (DESIGN.md
section 2): then every code without a value-1 row is 0; a paragraph not done is missing, never 0.
The rows of a range of paragraphs are first laid out as a Grid (coders x paragraphs x codes),
then chosen (`Chosen`) by plain array arithmetic. No pandas here: `accord overview` and
`accord retrieve` count on these arrays directly, and the export (exports/coded.py) turns them
into its frames, so every view and every dataset follows the same rule.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from store import CONSENSUS, STATUSES, is_written, unwritten_value

if TYPE_CHECKING:
    import pandas as pd

ScalarT = TypeVar("ScalarT", bound=np.generic)
Objects = NDArray[np.object_]
Int = NDArray[np.int64]

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
        import pandas as pd

        return pd.CategoricalDtype([value for value, _ in self.levels], ordered=self.kind == "ordinal")


def factorize(values: Sequence[Hashable] | Objects) -> tuple[Int, list[Any]]:
    """Each value's place among the distinct values (first seen first), and those values: for
    the columns of a view, in C loops (dict.fromkeys, map) where a Python loop per row took
    most of the overview's time."""
    distinct = list(dict.fromkeys(values))
    number = dict(zip(distinct, range(len(distinct)), strict=True))
    at = np.fromiter(map(number.__getitem__, values), dtype=np.int64, count=len(values))
    return at, distinct


def object_table(rows: list[tuple[object, ...]], width: int) -> Objects:
    """Rows as one 2-D object array, filled from a flat iterator: np.array(rows) first works out
    the shape of every tuple, pandas makes an Arrow string of each text column, zip(*rows) a
    tuple per column: each took longer than the query."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=object, count=len(rows) * width)
    return flat.reshape(len(rows), width)


@dataclass
class StatusRows:
    """Statuses as arrays: the coder's place in the grid's coders (-1: not one of them), the
    paragraph's place in the range, the status, the flag and the note."""

    coder: Int
    place: NDArray[np.intp]
    status: Objects
    flagged: NDArray[np.int8]
    note: Objects


@dataclass
class CodingRows:
    """Set values as arrays: coder and paragraph places as in StatusRows, each row's code and
    value as places among the distinct `code_ids` and `stored` values."""

    coder: Int
    place: NDArray[np.intp]
    code_at: Int
    value_at: Int
    code_ids: list[Any]
    stored: list[Any]


@dataclass
class Grid:
    """Dense arrays for vote counting: coders x paragraphs (x codes).

    `values` holds 0/1 for a code and, for a variable, 0 when not set or the level's 1-based
    place. Counting votes over the first axis is then plain numpy, whatever the corpus size.
    """

    done: NDArray[np.bool_]
    flagged: NDArray[np.int8]
    status: Objects
    note: Objects
    values: NDArray[np.int16]

    @classmethod
    def build(cls, ids: Objects, coders: list[str], codes: list[CodeSpec], statuses: StatusRows,
              codings: CodingRows) -> Grid:
        """The grid of `coders` on the paragraphs `ids` (a range in corpus order). A status or
        value no Accord writes stops it (store.unwritten_value) rather than being counted."""
        k, n, m = len(coders), len(ids), len(codes)
        done = np.zeros((k, n), dtype=bool)
        flagged = np.zeros((k, n), dtype=np.int8)
        status = np.full((k, n), None, dtype=object)
        note = np.full((k, n), None, dtype=object)
        values = np.zeros((k, n, m), dtype=np.int16)
        if len(statuses.coder):
            keep = statuses.coder >= 0
            stated = statuses.status
            known = np.zeros(len(stated), dtype=bool)
            for name in STATUSES:
                known |= stated == name
            _refuse(ids, coders, statuses.coder, statuses.place, keep & (stated != None) & ~known,  # noqa: E711
                    lambda _: "status")
            ci, pi = statuses.coder[keep], statuses.place[keep]
            status[ci, pi] = stated[keep]
            done[ci, pi] = stated[keep] == "done"
            flagged[ci, pi] = statuses.flagged[keep]
            note[ci, pi] = _real_notes(statuses.note[keep])
        if len(codings.coder):
            # (code, value) -> (column, stored number); anything else (a 0, a level the codebook
            # no longer has) maps to nothing and stays 0. Worked out once per distinct pair.
            cells: dict[tuple[str, str], tuple[int, int]] = {}
            for j, code in enumerate(codes):
                pairs = [("1", 1)] if code.is_code else [(v, i) for i, (v, _) in enumerate(code.levels, start=1)]
                for value, place in pairs:
                    cells[(code.id, value)] = (j, place)
            shape = (len(codings.code_ids) + 1, len(codings.stored) + 1)
            where = np.full(shape, -1, dtype=np.int64)
            number = np.zeros(shape, dtype=np.int64)
            forbidden = np.zeros(shape, dtype=bool)
            specs = {code.id: (code.is_code, {value for value, _ in code.levels}) for code in codes}
            for a, code_id in enumerate(codings.code_ids):
                for b, value in enumerate(codings.stored):
                    where[a, b], number[a, b] = cells.get((code_id, str(value)), (-1, 0))
                    if code_id in specs:
                        is_code, levels = specs[code_id]
                        forbidden[a, b] = not is_written(is_code, value, levels)
            column, stored_as = where[codings.code_at, codings.value_at], number[codings.code_at, codings.value_at]
            _refuse(ids, coders, codings.coder, codings.place,
                    forbidden[codings.code_at, codings.value_at] & (codings.coder >= 0),
                    lambda row: str(codings.code_ids[codings.code_at[row]]))
            keep = (column >= 0) & (codings.coder >= 0)
            if keep.any():
                values[codings.coder[keep], codings.place[keep], column[keep]] = stored_as[keep].astype(np.int16)
        return cls(done, flagged, status, note, values)

    def rows(self, coders: list[int]) -> Grid:
        """The grid of the coders at these places of the first axis, in this order."""
        return Grid(self.done[coders], self.flagged[coders], self.status[coders], self.note[coders],
                    self.values[coders])


def _refuse(ids: Objects, coders: list[str], coder: Int, place: NDArray[np.intp], bad: NDArray[np.bool_],
            what: Any) -> None:
    """Stop at the first row that holds a value no Accord writes (store.unwritten_value)."""
    if not bad.any():
        return
    row = int(np.argmax(bad))
    raise unwritten_value(str(ids[place[row]]), coders[coder[row]], what(row), "a dataset")


def _real_notes(notes: Objects) -> Objects:
    """Notes with text; None for the rest (None, NaN that pandas may put in a missing cell, blanks)."""
    real = np.full(len(notes), None, dtype=object)
    given = np.flatnonzero(notes != None)  # noqa: E711 (elementwise): most paragraphs have no note
    real[given] = [n if isinstance(n, str) and n.strip() else None for n in notes[given]]
    return real


class Source(Protocol):
    """A range of paragraphs that can lay out its rows as a Grid (exports/coded.py's Chunk for
    the export, the views' own reads for overview and retrieve)."""

    def grid(self, coders: list[str], codes: list[CodeSpec]) -> Grid: ...

    def __len__(self) -> int: ...


@dataclass
class Chosen:
    """The chosen values of a range: one row per paragraph (one per paragraph and coder with
    `all`), as arrays. A code's cell is `numbers` 0/1, a variable's the level's 1-based place;
    both only where `present` (else missing: not done, or coders not agreeing)."""

    place: NDArray[np.intp]
    """Each row's paragraph: its place in the range."""
    numbers: NDArray[np.int16]
    present: NDArray[np.bool_]
    """(rows, codes) each."""
    coded: NDArray[np.bool_]
    """The row counts as done (coder: marked done; combined: enough coders; consensus: adjudicated or enough)."""
    flag: NDArray[np.int8]
    note: Objects
    status: Objects | None = None
    """The coder's status (one coder, `all`)."""
    coder: Objects | None = None
    """Each row's coder (`all`)."""
    coders_done: NDArray[np.intp] | None = None
    """How many coders did the paragraph (consensus, majority)."""
    basis: Objects | None = None
    """Where the consensus's values come from (consensus)."""

    def __len__(self) -> int:
        return len(self.place)

    def applies(self, code: int, number: int) -> NDArray[np.bool_]:
        """Rows where code `code` (a place in the codes) is known to have this stored number."""
        cells: NDArray[np.bool_] = self.present[:, code] & (self.numbers[:, code] == number)
        return cells


def _present(codes: list[CodeSpec], numbers: NDArray[np.int16] | NDArray[np.int64],
             known: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Where a cell holds a value: known, and for a variable a level set (0 is none)."""
    variables = np.array([not code.is_code for code in codes], dtype=bool)
    present: NDArray[np.bool_] = known & ~(variables[None, :] & (numbers == 0))
    return present


def coder_values(source: Source, coder: str, codes: list[CodeSpec]) -> Chosen:
    """One coder's values on the range's paragraphs."""
    grid = source.grid([coder], codes)
    done = grid.done[0]
    return Chosen(np.arange(len(done)), grid.values[0], _present(codes, grid.values[0], done[:, None]), done,
                  grid.flagged[0], grid.note[0], status=grid.status[0])


def all_coder_rows(source: Source, coders: list[str], codes: list[CodeSpec]) -> Chosen:
    """Every coder's values, one row per paragraph and coder: paragraphs in corpus order, each
    with its coders in `coders`' order (the grid's coder and paragraph axes swapped)."""
    grid = source.grid(coders, codes)
    k, n = len(coders), len(source)

    def by_row(array: NDArray[ScalarT]) -> NDArray[ScalarT]:  # (coders, paragraphs, ...) -> (paragraphs * coders, ...)
        return array.swapaxes(0, 1).reshape(n * k, *array.shape[2:])

    done, numbers = by_row(grid.done), by_row(grid.values)
    return Chosen(np.repeat(np.arange(n), k), numbers, _present(codes, numbers, done[:, None]), done,
                  by_row(grid.flagged), by_row(grid.note), status=by_row(grid.status),
                  coder=np.tile(np.array(coders, dtype=object), n))


def combined_values(source: Source, coders: list[str], codes: list[CodeSpec], rule: str) -> Chosen:
    """Values agreed by the coders who did each paragraph: `unanimous` or strict `majority`.

    A cell is missing when fewer than MIN_CODERS coders did the paragraph, or when they do not
    reach the rule (disagreement, or a tie). `coders_done` counts them; `flag` is 1 when any
    coder flagged the paragraph; `note` gathers every coder's note as "coder: note".
    """
    grid = source.grid(coders, codes)
    winner, agreed, count = _votes(grid, codes, rule)
    return Chosen(np.arange(len(count)), winner.astype(np.int16), _present(codes, winner, agreed),
                  count >= MIN_CODERS, (grid.flagged.sum(axis=0) > 0).astype(np.int8),
                  _joined_notes(coders, grid.note), coders_done=count)


def consensus_values(source: Source, coders: list[str], codes: list[CodeSpec]) -> Chosen:
    """Adjudicated values (coder `consensus`, done), falling back to unanimous values of the others.

    `note` joins the adjudicator's note (its reasons) and every coder's note, in that order;
    `basis` says where the values come from (see _basis).
    """
    others = [coder for coder in coders if coder != CONSENSUS]
    grid = source.grid([*others, CONSENSUS], codes)
    voters, adjudicated = grid.rows(list(range(len(others)))), grid.rows([len(others)])
    winner, agreed, count = _votes(voters, codes, "unanimous")
    use = adjudicated.done[0]
    numbers = np.where(use[:, None], adjudicated.values[0], winner)
    flagged = (voters.flagged.sum(axis=0) + adjudicated.flagged[0]) > 0
    # The adjudicator's reasons first, then every coder's note: a reason answers the notes.
    notes = np.concatenate([adjudicated.note, voters.note])
    return Chosen(np.arange(len(use)), numbers.astype(np.int16), _present(codes, numbers, use[:, None] | agreed),
                  use | (count >= MIN_CODERS), flagged.astype(np.int8), _joined_notes([CONSENSUS, *others], notes),
                  coders_done=count, basis=_basis(use, adjudicated.values[0], voters, winner, agreed, count))


def _votes(grid: Grid, codes: list[CodeSpec], rule: str) -> tuple[Int, NDArray[np.bool_], NDArray[np.intp]]:
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


def _joined_notes(coders: list[str], notes: Objects) -> Objects:
    """Every coder's note on each paragraph as "coder: note | coder: note" (notes are rare)."""
    out = np.full(notes.shape[1], None, dtype=object)
    for i in np.flatnonzero((notes != None).any(axis=0)):  # noqa: E711 (elementwise)
        out[i] = " | ".join(f"{coder}: {note}" for coder, note in zip(coders, notes[:, i], strict=True) if note is not None)
    return out


def _basis(use: NDArray[np.bool_], decided: NDArray[np.int16], voters: Grid, winner: Int,
           agreed: NDArray[np.bool_], count: NDArray[np.intp]) -> Objects:
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


def coder_places(names: Objects, coders: Mapping[str, int]) -> Int:
    """Each name's place in `coders`, -1 for a name not there (looked up once per distinct name)."""
    at, distinct = factorize(names)
    places = np.array([coders.get(name, -1) for name in distinct] + [-1], dtype=np.int64)
    looked_up: Int = places[at]
    return looked_up


def flag_numbers(column: Objects) -> NDArray[np.int8]:
    """Stored flags as numbers, an empty one as 0."""
    flags: NDArray[np.int8] = np.where(column == None, 0, column).astype(np.int8)  # noqa: E711 (elementwise)
    return flags
