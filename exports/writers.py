"""Dataset writers: CSV, TSV, JSON Lines, Parquet, Stata and SPSS, each with what its readers expect.

Missing stays missing everywhere: an empty cell in CSV/TSV, `null` in JSON and Parquet, `.` in
Stata, system-missing in SPSS. Stata and SPSS get variable labels (the code's label) and value
labels (absent/present for codes, the level labels for variables).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from exports.files import atomic_path
from exports.varnames import MAX_LENGTH, valid_names
from store import AccordError

if TYPE_CHECKING:  # pandas and the dataset load when a file is written: `accord --help` reads FORMATS
    import pandas as pd

    from exports.datasets import Column, Dataset


@dataclass(frozen=True)
class FileFormat:
    """A format `accord export` writes, and the file extensions that name it."""

    name: str
    extensions: tuple[str, ...]
    binary: bool


FILE_FORMATS = (
    FileFormat("csv", (".csv",), binary=False),
    FileFormat("tsv", (".tsv",), binary=False),
    FileFormat("jsonl", (".jsonl",), binary=False),
    FileFormat("parquet", (".parquet",), binary=True),
    FileFormat("dta", (".dta",), binary=True),
    FileFormat("sav", (".sav",), binary=True),
    FileFormat("qdpx", (".qdpx",), binary=True),
)
"""Every export format, in the order help lists them. qdpx is a project, not a dataset:
exports/refi.py writes it."""

EXTENSIONS = {f.name: f.extensions for f in FILE_FORMATS}
"""Format -> its file extensions: `-o FILE` chooses the format by these (exports.files.format_of)."""
TEXT_FORMATS = tuple(f.name for f in FILE_FORMATS if not f.binary)
BINARY_FORMATS = tuple(f.name for f in FILE_FORMATS if f.binary and f.name != "qdpx")
FORMATS = TEXT_FORMATS + BINARY_FORMATS
"""The dataset formats (write_dataset)."""

CODE_LABELS = {0: "absent", 1: "present"}

STATA_LABEL_LENGTH = 80
"""Stata refuses longer variable labels (SPSS takes 256 and more)."""
STATA_BYTE_MAX = 100
"""Largest value a Stata byte holds: a variable with more levels is stored as an int."""

_SPELLED_OUT = re.compile(r"^.*\(([A-Z][A-Z0-9&]+)\)$")
"""A label part like "Disarmament, demobilization and reintegration (DDR)": its acronym says it."""


@dataclass
class WriteReport:
    """What a writer did."""

    rows: int = 0
    renames: dict[str, str] = field(default_factory=dict)
    """Column name -> name in the file, where the format's rules forced a change."""
    shortened_labels: dict[str, str] = field(default_factory=dict)
    """Column name -> its variable label in the file, where the format's length limit forced a shorter one."""


def write_dataset(dataset: Dataset, fmt: str, path: Path | None, force: bool = False, raw: bool = False,
                  stream: IO[str] | None = None, ready: Callable[[], None] | None = None) -> WriteReport:
    """Write `dataset` as `fmt` to `path` (atomically), or to `stream` for a text format.
    `ready` is called once the file is written, before it is put in place, and may refuse by
    raising (exports.files.atomic_path): the project's page check, run beside the export."""
    if fmt not in FORMATS:
        raise AccordError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if path is None:
        if fmt in BINARY_FORMATS or stream is None:
            raise AccordError(f"{fmt} is a binary format: give a file with -o FILE")
        return _TEXT_WRITERS[fmt](dataset, stream, raw)
    with atomic_path(path, force, ready) as temporary:
        if fmt in _SEPARATORS:  # the UTF-8 bytes Arrow makes, written as they are
            with temporary.open("wb") as raw_handle:
                return _write_delimited(dataset, _SEPARATORS[fmt], raw, raw_handle.write)
        if fmt in TEXT_FORMATS:
            with temporary.open("w", encoding="utf-8", newline="") as handle:
                return _TEXT_WRITERS[fmt](dataset, handle, raw)
        return _BINARY_WRITERS[fmt](dataset, temporary)


_SEPARATORS = {"csv": ",", "tsv": "\t"}


def _write_delimited(dataset: Dataset, separator: str, raw: bool, write: Callable[[Any], object],
                     as_text: bool = False) -> WriteReport:
    """The header, then each chunk's lines, turned into text and written in a worker thread while
    the next chunk is read (exports/overlap.py): as str (`as_text`, for a text stream), else as
    the UTF-8 bytes Arrow made (decoding them to encode them again cost a tenth of the export)."""
    from exports.cells import delimited_line
    from exports.delimited import delimited_bytes, delimited_parts
    from exports.overlap import overlapped

    parts = delimited_parts if as_text else delimited_bytes
    report = WriteReport()
    types = {column.name: column.type for column in dataset.columns}

    def header(names: list[str]) -> None:
        line = delimited_line(names, separator, neutralise=not raw)
        write(line if as_text else line.encode("utf-8"))

    headed = False

    def chunks() -> Iterator[pd.DataFrame]:
        nonlocal headed
        for frame in dataset.chunks:
            if not headed:  # named as the first chunk names its columns; before any chunk is written
                header([str(name) for name in frame.columns])
                headed = True
            report.rows += len(frame)
            yield frame

    def write_frame(frame: pd.DataFrame) -> None:
        for part in parts(frame, types, separator, not raw):
            write(part)

    overlapped(chunks(), write_frame)
    if not headed:  # no rows at all: still write the header
        header([c.name for c in dataset.columns])
    return report


def _delimited(separator: str) -> Callable[[Dataset, IO[str], bool], WriteReport]:
    def write(dataset: Dataset, handle: IO[str], raw: bool) -> WriteReport:
        return _write_delimited(dataset, separator, raw, handle.write, as_text=True)

    return write


def _jsonl(dataset: Dataset, handle: IO[str], raw: bool) -> WriteReport:
    report = WriteReport()
    for frame in dataset.chunks:
        if len(frame):
            text = frame.to_json(orient="records", lines=True, force_ascii=False, date_format="iso")
            handle.write(text if text.endswith("\n") else text + "\n")
        report.rows += len(frame)
    return report


def _arrow_schema(columns: list[Column], metadata: dict[str, str]):  # type: ignore[no-untyped-def]
    import pyarrow as pa

    types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "code": pa.int8(), "date": pa.date32()}
    fields = []
    for column in columns:
        kind = pa.dictionary(pa.int16(), pa.string(), ordered=column.ordered) if column.type == "level" else types[column.type]
        fields.append(pa.field(column.name, kind, metadata={"label": column.label}))
    labels = {c.name: c.label for c in columns}
    return pa.schema(fields, metadata={**metadata, "accord.labels": json.dumps(labels, ensure_ascii=False)})


def _parquet(dataset: Dataset, path: Path) -> WriteReport:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from exports.overlap import overlapped

    report = WriteReport()
    schema = _arrow_schema(dataset.columns, dataset.metadata)
    dates = [column.name for column in dataset.columns if column.type == "date"]
    writer: pq.ParquetWriter | None = None

    def write(frame: pd.DataFrame) -> None:
        # In the worker thread (exports/overlap.py), while the next chunk is read.
        nonlocal schema, writer
        if dates:
            frame = frame.assign(**{name: as_dates(frame[name]) for name in dates})
        # One thread: on a chunk this size pyarrow's threads cost more than they share out
        # (2.8 against 2.3 s of wall time for 3,000,000 rows, measured on 2 cores).
        table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False, nthreads=1)
        if writer is None:
            # Keep the pandas metadata too, so that pandas reads Int8 and categories back.
            schema = schema.with_metadata({**(table.schema.metadata or {}), **(schema.metadata or {})})
            writer = pq.ParquetWriter(path, schema)
        writer.write_table(table.replace_schema_metadata(schema.metadata))
        report.rows += len(frame)

    try:
        overlapped(dataset.chunks, write)
        if writer is None:
            pq.write_table(schema.empty_table(), path)
    finally:
        if writer is not None:
            writer.close()
    return report


def as_dates(values: pd.Series) -> pd.Series:
    """A `date` column's YYYY-MM-DD text as dates (missing where empty)."""
    import pandas as pd

    return pd.to_datetime(values.astype(object).where(values.notna(), None), format="%Y-%m-%d", errors="coerce")


def short_label(label: str, limit: int) -> str:
    """`label` within `limit` characters: spelled-out names give way to their acronym
    ("Disarmament, demobilization and reintegration (DDR): share" -> "DDR: share"), then
    what is still too long is cut at a word with an ellipsis: the code's name before the first
    ": " where that leaves room, so the level and what is measured stay whole."""
    if len(label) <= limit:
        return label
    label = ": ".join(_SPELLED_OUT.sub(r"\1", part.strip()) for part in label.split(": "))
    if len(label) <= limit:
        return label
    name, _, rest = label.partition(": ")
    room = limit - len(rest) - 2
    if rest and room >= 12:  # cut the code's name; keep the level and what is measured whole
        return _cut(name, room) + ": " + rest
    return _cut(label, limit)


def _cut(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, at a word where one is near, ending in an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,:;") + "…"


def labelled_frame(dataset: Dataset, label_limit: int | None = None
                   ) -> tuple[pd.DataFrame, dict[str, str | None], dict[str, dict[int, str]], WriteReport]:
    """All rows as numbers, dates and strings Stata and SPSS accept, with labels and valid names.

    Codes are 0/1 and a variable's levels 1, 2, ... as nullable small integers (Stata stores
    them as bytes), dates as date objects, missing text as the empty string.

    Variable labels longer than `label_limit` are shortened (see short_label) and reported."""
    import pandas as pd

    frames = list(dataset.chunks)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[c.name for c in dataset.columns])
    # pyreadstat names the value-label set of the n-th labelled column NAME + str(n), and ReadStat
    # refuses set names past 32 characters: labelled columns leave room for that number.
    limits, labelled = [], 0
    for column in dataset.columns:
        if column.type in ("code", "level"):
            limits.append(MAX_LENGTH - len(str(labelled)))
            labelled += 1
        else:
            limits.append(MAX_LENGTH)
    names, renames = valid_names([c.name for c in dataset.columns], limits)
    out = pd.DataFrame(index=frame.index)
    labels: dict[str, str | None] = {}
    value_labels: dict[str, dict[int, str]] = {}
    shortened: dict[str, str] = {}
    for column, name in zip(dataset.columns, names, strict=True):
        values = frame[column.name]
        labels[name] = column.label
        if label_limit is not None and len(column.label) > label_limit:
            labels[name] = shortened[column.name] = short_label(column.label, label_limit)
        if column.type == "level":
            codes = {value: i for i, (value, _) in enumerate(column.levels, start=1)}
            small = "Int8" if len(column.levels) <= STATA_BYTE_MAX else "Int16"
            out[name] = values.astype(object).map(codes).astype(small)
            value_labels[name] = {i: label for i, (_, label) in enumerate(column.levels, start=1)}
        elif column.type == "code":
            out[name] = values.astype("Int8")
            value_labels[name] = dict(CODE_LABELS)
        elif column.type == "date":
            # Date objects: pyreadstat writes them as dates (%td, DATE11), datetime64 as date-times.
            out[name] = pd.Series([t.date() if pd.notna(t) else None for t in as_dates(values)], index=out.index,
                                  dtype=object)
        elif column.type in ("int", "float"):
            out[name] = values.astype("Float64").astype(float)
        else:
            # Stata and SPSS have no missing string: the empty string is how both show one.
            out[name] = values.astype(object).where(values.notna(), "").map(str)
    return out, labels, value_labels, WriteReport(rows=len(out), renames=renames, shortened_labels=shortened)


def _write_labelled(write: Callable[..., None], fmt: str, frame: pd.DataFrame, path: Path,
                    labels: dict[str, str | None], value_labels: dict[str, dict[int, str]], **options: object) -> None:
    """Run a pyreadstat writer; its refusals become an AccordError naming the file and column."""
    import pyreadstat

    try:
        write(frame, str(path), column_labels=labels, variable_value_labels=value_labels, **options)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError) as error:
        culprit = _failing_column(write, frame, path, labels, value_labels)
        where = f", column {culprit!r}" if culprit else ""
        raise AccordError(f"cannot write the {fmt} file {path.name}{where}: {error}") from None


def _failing_column(write: Callable[..., None], frame: pd.DataFrame, path: Path,
                    labels: dict[str, str | None], value_labels: dict[str, dict[int, str]]) -> str | None:
    """The first column the writer refuses on its own (ReadStat's messages do not name it)."""
    import pyreadstat

    scratch = path.with_name(path.name + ".check")
    try:
        for name in frame.columns:
            try:
                write(frame[[name]], str(scratch), column_labels={name: labels.get(name)},
                      variable_value_labels={k: v for k, v in value_labels.items() if k == name})
            except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError):
                return str(name)
    finally:
        scratch.unlink(missing_ok=True)
    return None


def _dta(dataset: Dataset, path: Path) -> WriteReport:
    from exports.stata import write_dta

    frame, labels, value_labels, report = labelled_frame(dataset, label_limit=STATA_LABEL_LENGTH)
    names = dict(zip((c.name for c in dataset.columns), frame.columns, strict=True))
    write_dta(frame, path, labels, value_labels,
              narrow=[names[c.name] for c in dataset.columns if str(frame[names[c.name]].dtype) == "Int8"],
              codes=[names[c.name] for c in dataset.columns if c.type == "code"])
    return report


def _sav(dataset: Dataset, path: Path) -> WriteReport:
    import pyreadstat

    frame, labels, value_labels, report = labelled_frame(dataset)
    measures, formats = {}, {}
    for column, name in zip(dataset.columns, frame.columns, strict=True):
        if column.type == "level":
            measures[name] = "ordinal" if column.ordered else "nominal"
            formats[name] = f"F{len(str(len(column.levels)))}.0"
        elif column.type == "code":
            measures[name] = "nominal"
            formats[name] = "F1.0"
        elif column.type in ("int", "float"):
            measures[name] = "scale"
            if column.type == "int":
                formats[name] = "F8.0"  # a count, not SPSS's default F8.2
    _write_labelled(pyreadstat.write_sav, "sav", frame, path, labels, value_labels,
                    variable_measure=measures, variable_format=formats, file_label="Accord export")
    return report


_TEXT_WRITERS: dict[str, Callable[[Dataset, IO[str], bool], WriteReport]] = {
    "csv": _delimited(","),
    "tsv": _delimited("\t"),
    "jsonl": _jsonl,
}
_BINARY_WRITERS: dict[str, Callable[[Dataset, Path], WriteReport]] = {"parquet": _parquet, "dta": _dta, "sav": _sav}
