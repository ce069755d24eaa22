"""The export's side of whose codings: a range of paragraphs read as pandas frames (`Chunk`),
laid out as exports/votes.py's Grid, and the chosen values (exports/whose.py `values`) turned
back into the frames the dataset writers take (`chosen_frame`). The rule itself is in votes.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from exports.votes import Chosen, CodingRows, Grid, StatusRows, coder_places
from exports.votes import CodeSpec as CodeSpec  # where the export's modules have always found it


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
            self._grids[key] = Grid.build(self.ids.to_numpy(dtype=object), coders, codes, self._statuses(coders),
                                          self._codings(coders))
        return self._grids[key]

    def __len__(self) -> int:
        return len(self.paragraphs)

    def _statuses(self, coders: list[str]) -> StatusRows:
        rows = self.statuses
        return StatusRows(coder_places(rows["coder"].to_numpy(dtype=object), {c: i for i, c in enumerate(coders)}),
                          self.places(rows["seq"]),
                          rows["status"].to_numpy(dtype=object, na_value=None),
                          pd.to_numeric(rows["flagged"]).fillna(0).to_numpy().astype(np.int8),
                          rows["note"].to_numpy(dtype=object, na_value=None))

    def _codings(self, coders: list[str]) -> CodingRows:
        rows = self.codings
        code_at, code_ids = pd.factorize(rows["code"])
        value_at, stored = pd.factorize(rows["value"])
        return CodingRows(coder_places(rows["coder"].to_numpy(dtype=object), {c: i for i, c in enumerate(coders)}),
                          self.places(rows["seq"]),
                          code_at.astype(np.int64), value_at.astype(np.int64), list(code_ids), list(stored))


def object_column(column: NDArray[np.object_]) -> pd.Series:
    """A column kept as Python objects: pandas 3 would copy text into an Arrow string array
    (seconds at 1,000,000 paragraphs), which values() reads back as objects anyway."""
    return pd.Series(column, dtype=object, copy=False)


def _column(code: CodeSpec, numbers: NDArray[np.int16], present: NDArray[np.bool_], ids: pd.Index) -> pd.Series:
    """A column from stored numbers: missing where not `present`."""
    if code.is_code:
        return pd.Series(pd.arrays.IntegerArray(numbers.astype(np.int8), ~present), index=ids)
    places = np.where(present, numbers - 1, -1)
    return pd.Series(pd.Categorical.from_codes(places, dtype=code.categories), index=ids)


def _text(out: pd.DataFrame, cells: NDArray[np.object_]) -> pd.Series:
    """Text cells for a column of `out`, None where missing. pandas 3 would make such a column
    `str` with NaN, yet leave one with no text at all `object`: chunks would differ in dtype."""
    return pd.Series(cells, index=out.index, dtype=object)


def chosen_frame(chunk: Chunk, chosen: Chosen, codes: list[CodeSpec]) -> pd.DataFrame:
    """The chosen values as the export's frame, indexed by paragraph id: one column per code and
    variable (nullable 0/1, categorical levels), then `status` (one coder, `all`) or
    `coders_done` (and `basis` for the consensus), `flag`, `note`, `_coded` (the row counts as
    done) and `_place` (the paragraph's row in the chunk); `coder` first with `all`."""
    ids = chunk.ids if chosen.coder is None else chunk.ids[chosen.place]
    out = pd.DataFrame({code.id: _column(code, chosen.numbers[:, j], chosen.present[:, j], ids)
                        for j, code in enumerate(codes)}, index=ids)
    if chosen.status is not None:
        out["status"] = _text(out, chosen.status)
    if chosen.coders_done is not None:
        out["coders_done"] = pd.array(chosen.coders_done, dtype=pd.Int64Dtype())
    out["flag"] = pd.array(chosen.flag, dtype=pd.Int8Dtype())
    out["note"] = _text(out, chosen.note)
    if chosen.basis is not None:
        out["basis"] = _text(out, chosen.basis)
    out["_coded"] = chosen.coded
    out["_place"] = chosen.place
    if chosen.coder is not None:
        out.insert(0, "coder", chosen.coder)
    return out
