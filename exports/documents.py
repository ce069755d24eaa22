"""The document unit: paragraph counts, coded counts and shares per code, one row per document.

A share divides a code's count by the coded paragraphs that have a value for that code (with
--consensus or --majority a disagreement leaves a paragraph without one; for a variable, the
paragraphs where it was set). Counts add up across chunks (a document may straddle two), so each chunk is reduced to sums and
the sums are added at the end. A document with no coded paragraph has missing counts and
shares, not zeros: nobody looked at it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pandas as pd

from exports.coded import Chunk, CodeSpec
from exports.datasets import DOCUMENT_FIELDS, Column, column_type, document_field_columns


def count_name(code: CodeSpec, level: str | None = None) -> str:
    return f"{code.id}_n" if level is None else f"{code.id}_{level}_n"


def share_name(code: CodeSpec, level: str | None = None) -> str:
    return f"{code.id}_share" if level is None else f"{code.id}_{level}_share"


def _valued_name(code: CodeSpec) -> str:
    return f"\x00{code.id}:valued"


def _measures(codes: list[CodeSpec]) -> list[tuple[CodeSpec, str | None, str]]:
    """(code, level or None, label) for every count the document unit reports."""
    out: list[tuple[CodeSpec, str | None, str]] = []
    for code in codes:
        if code.is_code:
            out.append((code, None, code.label))
        else:
            out += [(code, value, f"{code.label}: {label}") for value, label in code.levels]
    return out


def document_columns(codes: list[CodeSpec], documents: pd.DataFrame, meta_columns: list[str], per_coder: bool) -> list[Column]:
    """Columns of the document unit, in order."""
    columns = [Column("document_id", "Document id", "str")]
    columns += document_field_columns(documents)
    columns += [Column(m, f"Document metadata: {m}", column_type(documents[m])) for m in meta_columns]
    if per_coder:
        columns.append(Column("coder", "Coder", "str"))
    columns += [
        Column("paragraphs", "Paragraphs in the document", "int"),
        Column("coded", "Paragraphs coded", "int"),
    ]
    for code, level, label in _measures(codes):
        columns.append(Column(count_name(code, level), f"{label}: coded paragraphs", "int"))
        columns.append(Column(share_name(code, level), f"{label}: share of coded paragraphs with a value", "float"))
    return columns


def document_rows(
    chunks: Iterable[tuple[Chunk, pd.DataFrame]],
    codes: list[CodeSpec],
    documents: pd.DataFrame,
    per_coder: bool,
    paragraph_counts: dict[str, int],
) -> Iterator[pd.DataFrame]:
    """One frame: every document (times every coder with `per_coder`) with its counts and shares."""
    measures = _measures(codes)
    keys = ["document_id", "coder"] if per_coder else ["document_id"]
    partials = []
    coders: list[str] = []
    for chunk, chosen in chunks:
        frame = pd.DataFrame(index=chosen.index)
        frame["document_id"] = chunk.paragraphs.set_index("paragraph_id")["document_id"].reindex(chosen.index).to_numpy()
        if per_coder:
            frame["coder"] = chosen["coder"].to_numpy()
            coders += [c for c in chosen["coder"].unique() if c not in coders]
        coded = chosen["_coded"].astype(bool)
        frame["coded"] = coded.astype(int)
        for code in codes:
            frame[_valued_name(code)] = (chosen[code.id].notna().to_numpy() & coded).astype(int)
        for code, level, _ in measures:
            column = chosen[code.id]
            hit = column.eq(1) if level is None else column.astype(object).eq(level)
            frame[count_name(code, level)] = (hit.fillna(False).astype(bool) & coded).astype(int)
        partials.append(frame.groupby(keys, sort=False).sum())
    sums = pd.concat(partials).groupby(level=list(range(len(keys))), sort=False).sum() if partials else None
    index = (
        pd.MultiIndex.from_product([documents["document_id"], coders], names=keys)
        if per_coder else pd.Index(documents["document_id"], name="document_id")
    )
    counts = sums.reindex(index) if sums is not None else pd.DataFrame(index=index)
    out = counts.reset_index()
    out = documents.merge(out, on="document_id", how="right", sort=False)
    out["paragraphs"] = out["document_id"].map(paragraph_counts).fillna(0).astype(pd.Int64Dtype())
    coded_n = out["coded"] if "coded" in out else pd.Series(0, index=out.index)
    out["coded"] = coded_n.fillna(0).astype(pd.Int64Dtype())
    looked_at = out["coded"] > 0
    for code, level, _ in measures:
        count = out[count_name(code, level)] if count_name(code, level) in out else pd.Series(0, index=out.index)
        count = count.fillna(0).astype(pd.Int64Dtype()).where(looked_at, pd.NA)
        valued = (out[_valued_name(code)] if _valued_name(code) in out else pd.Series(0, index=out.index)).fillna(0)
        out[count_name(code, level)] = count
        out[share_name(code, level)] = (count.astype(float) / valued.astype(float)).where(valued > 0, float("nan"))
    own = [c for c in documents.columns if c not in ("document_id", *DOCUMENT_FIELDS)]
    columns = document_columns(codes, documents, own, per_coder)
    yield out[[c.name for c in columns]]
