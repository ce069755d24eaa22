"""Whose codings: one coder's values, the consensus, the majority, on a range of paragraphs.

A paragraph counts as coded by a coder only when the coder marked it `done` (DESIGN.md
section 2): then every code without a value-1 row is 0; a paragraph not done is missing (NA),
never 0. Everything here works on whole ranges with pandas, never paragraph by paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from store.coding import CONSENSUS

MIN_CODERS = 2
"""Unanimity and majority need at least two coders who did the paragraph; one coder is not a
consensus, and treating them as one would hide that nobody checked their work."""

_NA = "\x00na"
"""Stands for "no value" while counting votes, so that a blank variable is a vote too."""


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
    def dtype(self) -> pd.api.extensions.ExtensionDtype:
        """Nullable 0/1 for codes; a categorical of the levels for variables (ordered for ordinal)."""
        if self.is_code:
            return pd.Int8Dtype()
        return pd.CategoricalDtype([value for value, _ in self.levels], ordered=self.kind == "ordinal")


@dataclass
class Chunk:
    """The raw rows of one range of paragraphs, as frames."""

    paragraphs: pd.DataFrame
    """paragraph_id, document_id, position, seq[, text], in corpus order."""
    statuses: pd.DataFrame
    """paragraph_id, coder, status, flagged, note."""
    codings: pd.DataFrame
    """paragraph_id, coder, code, value (set values only)."""

    @property
    def ids(self) -> pd.Index:
        return pd.Index(self.paragraphs["paragraph_id"], name="paragraph_id")


def coder_values(chunk: Chunk, coder: str, codes: list[CodeSpec]) -> pd.DataFrame:
    """One coder's values on the chunk's paragraphs, indexed by paragraph id.

    Columns: one per code and variable, then `status`, `flag`, `note`, and `_coded` (done).
    """
    ids = chunk.ids
    status = chunk.statuses[chunk.statuses["coder"] == coder].set_index("paragraph_id").reindex(ids)
    done = (status["status"] == "done").to_numpy()
    mine = chunk.codings[chunk.codings["coder"] == coder]
    wide = mine.pivot(index="paragraph_id", columns="code", values="value") if len(mine) else pd.DataFrame()
    wide = wide.reindex(index=ids, columns=[code.id for code in codes])
    out = pd.DataFrame(index=ids)
    for code in codes:
        column = wide[code.id]
        if code.is_code:
            applied = column.isin([1, "1"]).astype("int8")
            out[code.id] = pd.array(applied.where(done, None).to_numpy(), dtype=pd.Int8Dtype())
        else:
            out[code.id] = pd.Series(column.where(done, None).to_numpy(), index=ids, dtype=object).astype(code.dtype)
    out["status"] = status["status"].astype(object).where(status["status"].notna(), None)
    out["flag"] = pd.array(pd.to_numeric(status["flagged"]).fillna(0).astype(int).to_numpy(), dtype=pd.Int8Dtype())
    out["note"] = status["note"].astype(object).where(status["note"].notna(), None)
    out["_coded"] = done
    return out


def combined_values(chunk: Chunk, coders: list[str], codes: list[CodeSpec], rule: str) -> pd.DataFrame:
    """Values agreed by the coders who did each paragraph: `unanimous` or strict `majority`.

    A cell is missing when fewer than MIN_CODERS coders did the paragraph, or when they do not
    reach the rule (disagreement, or a tie). `coders_done` counts them; `flag` is 1 when any
    coder flagged the paragraph; `note` gathers every coder's note as "coder: note".
    """
    ids = chunk.ids
    per_coder = {coder: coder_values(chunk, coder, codes) for coder in coders}
    done_counts = sum((frame["_coded"].astype(int) for frame in per_coder.values()), pd.Series(0, index=ids))
    out = pd.DataFrame(index=ids)
    enough = done_counts >= MIN_CODERS
    for code in codes:
        out[code.id] = _agreed(per_coder, code, rule, done_counts).where(enough, None).astype(code.dtype)
    out["coders_done"] = pd.array(done_counts.to_numpy(), dtype=pd.Int64Dtype())
    out["flag"] = pd.array(
        sum((frame["flag"].fillna(0).astype(int) for frame in per_coder.values()), pd.Series(0, index=ids))
        .clip(upper=1).to_numpy(),
        dtype=pd.Int8Dtype(),
    )
    out["note"] = _joined_notes(per_coder, ids)
    out["_coded"] = enough.to_numpy()
    return out


def _agreed(per_coder: dict[str, pd.DataFrame], code: CodeSpec, rule: str, done_counts: pd.Series) -> pd.Series:
    """The value that the rule selects for one column, or None."""
    votes = pd.concat(
        [frame.loc[frame["_coded"], code.id].astype(object) for frame in per_coder.values()]
    )
    result = pd.Series(None, index=done_counts.index, dtype=object)
    if votes.empty:
        return result
    votes = votes.where(votes.notna(), _NA)
    tally = (
        pd.DataFrame({"paragraph_id": votes.index, "value": votes.to_numpy()})
        .groupby(["paragraph_id", "value"], sort=False).size().rename("n").reset_index()
    )
    distinct = tally.groupby("paragraph_id", sort=False).size()
    top = tally.sort_values("n", ascending=False, kind="stable").drop_duplicates("paragraph_id").set_index("paragraph_id")
    total = done_counts.reindex(top.index)
    if rule == "unanimous":
        chosen = distinct.reindex(top.index) == 1
    else:
        chosen = top["n"] * 2 > total
    winners = top.loc[chosen, "value"]
    winners = winners.where(winners != _NA, None)
    result.loc[winners.index] = winners.to_numpy()
    return result


def _joined_notes(per_coder: dict[str, pd.DataFrame], ids: pd.Index) -> pd.Series:
    notes = pd.Series(None, index=ids, dtype=object)
    if not per_coder:
        return notes
    parts = pd.concat(
        [frame["note"].map(lambda note, c=coder: f"{c}: {note}", na_action="ignore") for coder, frame in per_coder.items()],
        axis=1,
    )
    # Notes are rare: join only the rows that have one (a row-wise apply over all would be slow).
    some = parts.notna().any(axis=1)
    if some.any():
        notes[some] = parts[some].apply(lambda row: " | ".join(v for v in row if isinstance(v, str)), axis=1)
    return notes


def consensus_values(chunk: Chunk, coders: list[str], codes: list[CodeSpec]) -> pd.DataFrame:
    """Adjudicated values (coder `consensus`, done), falling back to unanimous values of the others.

    `basis` says which: `adjudicated`, `unanimous`, or missing when neither applies.
    """
    others = [coder for coder in coders if coder != CONSENSUS]
    fallback = combined_values(chunk, others, codes, "unanimous")
    adjudicated = coder_values(chunk, CONSENSUS, codes)
    use = adjudicated["_coded"].to_numpy()
    out = fallback.copy()
    for code in codes:
        out[code.id] = adjudicated[code.id].where(use, fallback[code.id])
    out["flag"] = pd.array(
        ((adjudicated["flag"].fillna(0) + fallback["flag"].fillna(0)) > 0).astype(int).to_numpy(), dtype=pd.Int8Dtype()
    )
    adjudicated_note = adjudicated["note"].map(lambda note: f"{CONSENSUS}: {note}", na_action="ignore")
    out["note"] = adjudicated_note.where(adjudicated_note.notna(), fallback["note"])
    basis = pd.Series(None, index=chunk.ids, dtype=object)
    basis[fallback["_coded"].to_numpy()] = "unanimous"
    basis[use] = "adjudicated"
    out["basis"] = basis
    out["_coded"] = use | fallback["_coded"].to_numpy()
    return out
