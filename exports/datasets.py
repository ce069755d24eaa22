"""The coded dataset of a project, as pandas frames a range of paragraphs at a time.

Layouts: wide (one row per paragraph, or per paragraph and coder with `all`), long (one row per
paragraph and code) and the document unit (counts and shares per document). Whose codings:
one coder, the consensus, the majority, or all coders. Not coded is missing, never 0.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.typing import NDArray

from exports.coded import Chunk, CodeSpec, chosen_frame, object_column
from exports.overlap import read_ahead
from exports.required import GapTally
from exports.dataset_columns import DOCUMENT_FIELDS as DOCUMENT_FIELDS
from exports.dataset_columns import Column as Column
from exports.dataset_columns import document_field_columns as document_field_columns
from exports.whose import WHOSE as WHOSE
from exports.whose import DatasetSpec as DatasetSpec
from exports.whose import chosen_coders as chosen_coders
from exports.whose import code_specs as code_specs
from exports.whose import resolve_whose as resolve_whose
from exports.whose import values
from store import AccordError, Project

CHUNK_PARAGRAPHS = 20_000
"""Paragraphs read and turned into rows at a time: bounds memory on a 1,000,000-paragraph corpus."""


@dataclass
class Dataset:
    """Columns known up front, rows produced lazily: writers stream them chunk by chunk."""

    columns: list[Column]
    chunks: Iterator[pd.DataFrame]
    paragraphs: int
    """Paragraphs that producing the rows goes through (for a progress bar)."""
    metadata: dict[str, str] = field(default_factory=dict)
    """Project id and codebook YAML, for formats that keep metadata."""
    gaps: GapTally = field(default_factory=lambda: GapTally({}))
    """Done rows that miss a variable the codebook requires: final once the chunks are written."""


def build_dataset(
    project: Project,
    spec: DatasetSpec,
    on_progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK_PARAGRAPHS,
) -> Dataset:
    """The dataset that `spec` asks for. Raises AccordError for a choice the project cannot meet."""
    if spec.whose not in WHOSE:
        raise AccordError(f"whose codings must be one of {', '.join(WHOSE)}, not {spec.whose!r}")
    if spec.long and spec.unit == "document":
        raise AccordError("--long and --unit document do not combine: choose one layout")
    if spec.unit not in ("paragraph", "document"):
        raise AccordError(f"the unit must be paragraph or document, not {spec.unit!r}")
    codes = code_specs(project)
    clashes = sorted(code.id for code in codes if code.id in RESERVED or code.id.startswith("meta_"))
    if clashes:
        raise AccordError(f"code ids {', '.join(clashes)} are names of Accord's own export columns; "
                          "rename them in the codebook (ids become column names)")
    spec = resolve_whose(project, spec)
    coders = chosen_coders(project, spec)
    documents = document_frame(project, reserved={code.id for code in codes})
    meta_columns = [c for c in documents.columns if c not in ("document_id", *DOCUMENT_FIELDS)]
    total = project.paragraph_count()
    gaps = GapTally(project.required_variables())

    def read(reader: Project, first: int, last: int) -> Chunk:
        return read_chunk(reader, first, last, spec.text and not spec.long, coders)

    def chunks() -> Iterator[tuple[Chunk, pd.DataFrame]]:
        ranges = ((first, min(first + chunk_size - 1, total)) for first in range(1, total + 1, chunk_size))
        # The next range is read (SQLite, without the GIL) while this one's rows are built.
        for chunk in read_ahead(project.path, ranges, read):
            arrays = values(chunk, spec, coders, codes)
            chosen = chosen_frame(chunk, arrays, codes)
            gaps.count(arrays, codes, chosen.index)
            yield chunk, chosen
            if on_progress:
                on_progress(len(chunk.paragraphs))

    metadata = {"accord.project_id": project.project_id}
    codebook_text = project.codebook_text()
    if codebook_text:
        metadata["accord.codebook"] = codebook_text
    if spec.unit == "document":
        from exports.documents import document_columns, document_rows

        columns = document_columns(codes, documents, meta_columns, spec.whose == "all")
        rows = document_rows(chunks(), codes, documents, spec.whose == "all", project.document_paragraph_counts())
        return Dataset(columns, rows, total, metadata, gaps)
    if spec.long:
        return Dataset(_long_columns(spec), (_long_rows(c, v, codes, spec) for c, v in chunks()), total, metadata,
                       gaps)
    columns = _wide_columns(spec, codes, documents, meta_columns)
    index = pd.Index(documents["document_id"].to_numpy())
    return Dataset(columns, (_wide_rows(c, v, documents, columns, index) for c, v in chunks()), total, metadata,
                   gaps)


RESERVED = {"paragraph_id", "document_id", "position", "coder", "status", "coders_done", "basis", "flag",
            "note", "text", "paragraphs", "coded", *DOCUMENT_FIELDS}
"""Column names of Accord's own: a metadata column of the same name gets a `meta_` prefix."""


def document_frame(project: Project, reserved: Iterable[str] = ()) -> pd.DataFrame:
    """Documents with their fields and every imported metadata column, one row each.

    A metadata key that clashes with one of Accord's columns or a code id becomes `meta_KEY`.
    """
    taken = RESERVED | set(reserved)
    read = project.document_columns()
    data: dict[str, list[object]] = {"document_id": read["id"], **{name: read[name] for name in DOCUMENT_FIELDS}}
    for at, meta in enumerate(read["meta"]):
        if not meta:
            continue
        for key, value in json.loads(meta).items():
            name = f"meta_{key}" if key in taken else key
            data.setdefault(name, [None] * len(read["id"]))[at] = value
    # Column by column as objects: a frame built from records would turn 2001 into 2001.0.
    frame = pd.DataFrame({name: pd.Series(column, dtype=object) for name, column in data.items()})
    for name in frame.columns:
        frame[name] = _typed(frame[name])
    return frame


def _typed(column: pd.Series) -> pd.Series:
    """A metadata column as numbers when every value is one, else as text (lists as JSON)."""
    present = column.dropna()
    if len(present) and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return column.astype(pd.Int64Dtype())
    if len(present) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return column.astype(float)
    return column.map(lambda v: v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False),
                      na_action="ignore").astype(object)


def column_type(series: pd.Series) -> str:
    """`int`, `float` or `str` for a plain column."""
    if pd.api.types.is_integer_dtype(series.dtype):
        return "int"
    if pd.api.types.is_float_dtype(series.dtype):
        return "float"
    return "str"


def read_chunk(project: Project, first: int, last: int, with_text: bool, coders: list[str] | None = None) -> Chunk:
    """The paragraphs with `first <= seq <= last` with the statuses and values of `coders`
    (None: every coder).

    Statuses and codings are read by the paragraphs' ids, and codings only on the paragraphs
    some coder marked done: a value counts nowhere else (coded.py), and a team codes a sample."""
    paragraphs = _paragraph_frame(project.paragraph_columns(first, last, with_text))
    ids = paragraphs["paragraph_id"].tolist()
    seqs = paragraphs["seq"].to_numpy()
    statuses = _columns_frame(project.status_columns_at(ids, coders), ["seq", "coder", "status", "flagged", "note"])
    done = np.unique(statuses["seq"].to_numpy()[(statuses["status"] == "done").to_numpy()]).astype(np.int64)
    codings = _columns_frame(project.coding_columns_at([ids[i] for i in done], coders),
                             ["seq", "coder", "code", "value"])
    # Places in the lists read by, made the seqs the range reads give.
    statuses["seq"] = seqs[statuses["seq"].to_numpy(dtype=np.int64)]
    codings["seq"] = seqs[done[codings["seq"].to_numpy(dtype=np.int64)]]
    return Chunk(paragraphs, statuses, codings)


def _columns_frame(columns: list[list[object]], names: list[str]) -> pd.DataFrame:
    """Columns read (store's *_columns_at) as a frame: `seq` as integers, the rest as the Python
    objects read."""
    return pd.DataFrame({name: np.array(column, dtype=np.int64) if name == "seq" else object_column(_objects(column))
                         for name, column in zip(names, columns, strict=True)})


def _objects(column: list[object]) -> NDArray[np.object_]:
    """A list as a 1-D object array, whatever its items (np.array would nest lists, bytes alike)."""
    out = np.empty(len(column), dtype=object)
    out[:] = column
    return out


def _paragraph_frame(table: pa.Table) -> pd.DataFrame:
    """(id, document_id, position, seq[, text]) columns as the frame pandas would make of their
    rows (text as pandas' `str`, which holds the Arrow array as it is; numbers as int64)."""
    names = {"id": "paragraph_id"}
    data: dict[str, object] = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_integer(column.type):
            data[names.get(name, name)] = column.to_numpy()
        else:
            data[names.get(name, name)] = pd.array(column, dtype="str")
    return pd.DataFrame(data, copy=False)


def _extra_columns(spec: DatasetSpec) -> list[Column]:
    """Columns that depend on whose codings: who, and on what basis."""
    if spec.whose in ("coder", "all"):
        return [Column("status", "Coder's status (done, skipped)", "str")]
    extra = [Column("coders_done", "Coders who marked the paragraph done", "int")]
    if spec.whose == "consensus":
        extra.append(Column("basis", "Where the values come from (adjudicated, unanimous, single coder)", "str"))
    return extra


def _key_columns(spec: DatasetSpec) -> list[Column]:
    """What identifies a row: the paragraph (and the coder with `all`)."""
    columns = [
        Column("paragraph_id", "Paragraph id", "str"),
        Column("document_id", "Document id", "str"),
        Column("position", "Paragraph's place in its document", "int"),
    ]
    return columns + ([Column("coder", "Coder", "str")] if spec.whose == "all" else [])


def _wide_columns(spec: DatasetSpec, codes: list[CodeSpec], documents: pd.DataFrame, meta_columns: list[str]) -> list[Column]:
    columns = _key_columns(spec)
    columns += document_field_columns(documents)
    columns += [Column(m, f"Document metadata: {m}", column_type(documents[m])) for m in meta_columns]
    for code in codes:
        label = code.label + (" (retired)" if code.retired else "")
        if code.is_code:
            columns.append(Column(code.id, label, "code"))
        else:
            columns.append(Column(code.id, label, "level", code.levels, code.kind == "ordinal"))
    columns += _extra_columns(spec)
    columns += [Column("flag", "Flagged for discussion", "int"), Column("note", "Coder's note", "str")]
    if spec.text:
        columns.append(Column("text", "Paragraph text", "str"))
    return columns


def _wide_rows(chunk: Chunk, chosen: pd.DataFrame, documents: pd.DataFrame, columns: list[Column],
               document_index: pd.Index | None = None) -> pd.DataFrame:
    """The chosen values beside their paragraph's and document's columns, by position: a
    merge on the ids rebuilt its hash table of every document for each chunk. `document_index`:
    the documents' ids as an index, made once for every chunk (its hash table too)."""
    places = chosen["_place"].to_numpy()
    # One row per paragraph in order (one coder, the consensus, the majority): no copy to take.
    whole = len(places) == len(chunk.paragraphs) and bool((places == np.arange(len(places))).all())
    rows = chunk.paragraphs if whole else chunk.paragraphs.take(places)
    # Each paragraph's document found once per paragraph, not once per row (`all`: per coder).
    at, document_ids = pd.factorize(chunk.paragraphs["document_id"])
    if document_index is None:
        document_index = pd.Index(documents["document_id"].to_numpy())
    document_places = document_index.get_indexer(document_ids)[at]
    document_rows = documents.take(document_places if whole else document_places[places])
    sources = [(rows, chunk.paragraphs.columns), (document_rows, documents.columns), (chosen, chosen.columns)]

    def column(name: str) -> object:
        frame = next(frame for frame, names in reversed(sources) if name in names)
        # With its dtype: pandas 3 would turn an object column holding text into `str`.
        return pd.Series(frame[name].array, dtype=frame[name].dtype, copy=False)

    # copy=False: the columns are fresh takes of this chunk's frames (or the chunk's own, read
    # for this export alone); copying them into pandas' blocks took half of this function's time.
    merged = pd.DataFrame({c.name: column(c.name) for c in columns}, copy=False)
    merged["position"] = merged["position"].astype(pd.Int64Dtype())
    return merged


def _long_columns(spec: DatasetSpec) -> list[Column]:
    return [
        *_key_columns(spec),
        Column("code", "Code or variable id", "str"),
        Column("value", "1/0 for a code, the level for a variable; empty when not coded", "str"),
    ]


def _long_rows(chunk: Chunk, chosen: pd.DataFrame, codes: list[CodeSpec], spec: DatasetSpec) -> pd.DataFrame:
    base = chunk.paragraphs.set_index("paragraph_id")
    keys = ["coder"] if spec.whose == "all" else []
    frame = chosen[keys + [code.id for code in codes]].copy()
    for code in codes:
        frame[code.id] = frame[code.id].astype(object).map(str, na_action="ignore")
    frame["_order"] = range(len(frame))
    long = frame.reset_index().melt(id_vars=["paragraph_id", "_order", *keys], var_name="code", value_name="value")
    code_order = {code.id: i for i, code in enumerate(codes)}
    long["_code_order"] = long["code"].map(code_order)
    long = long.sort_values(["_order", "_code_order"], kind="stable")
    long["document_id"] = long["paragraph_id"].map(base["document_id"])
    long["position"] = long["paragraph_id"].map(base["position"]).astype(pd.Int64Dtype())
    long["value"] = long["value"].astype(object).where(long["value"].notna(), None)
    return long[[c.name for c in _long_columns(spec)]].reset_index(drop=True)
