"""Documents from tables: `.csv`, `.tsv` and `.jsonl` files with a text column.

One row is one document, its text segmented into paragraphs. Rows that share a value of the id
column are one document: each row adds its paragraphs in file order, so a table with one row per
paragraph and a document id column comes in as it was meant. Metadata comes from a document's
first row: `speaker`, `country`, `date` and `title` columns fill those fields, the other columns
become the document's `meta`. Rows with an empty text cell are skipped. In JSON Lines the text
may also be a list of strings, one per paragraph.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

from store.errors import Problem
from store.intake.source import SourceDocument, one_line_end, one_line_ends
from store.intake.segment import segment
from store.words import plural

TEXT_COLUMNS = ("text", "speech", "content", "body", "paragraph")
"""Looked for, in this order and in any case, when no --text-column is given."""
ID_COLUMNS = ("id", "doc_id", "document_id")
"""Looked for when no --id-column is given; without one, rows are numbered."""
FIELDS = ("title", "speaker", "country", "date")
"""Columns that fill the document's own fields rather than its meta."""
MAX_META_COLUMNS = 200
"""Metadata columns one table may bring (its text and id columns and the four FIELDS aside).
Each is a column of every export, so a header of a million columns, read in seconds, made every
export run for minutes: a wider table is refused."""
DELIMITERS = (",", ";", "\t", "|")
_ESCAPED_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
"""`\u0000` in a JSON line that is an escape (not a written-out backslash): a NUL in the value."""


@dataclass
class Row:
    """One record of a table and where it starts in the file."""

    line: int
    number: int
    """Its number in the file (data rows of a CSV from 1, blank ones counted; lines of a JSONL):
    what names a row's document when there is no id column."""
    values: dict[str, object]


def read_table(
    text: str,
    file: str,
    base_id: str,
    text_column: str | None = None,
    id_column: str | None = None,
    kind: str = "csv",
) -> tuple[list[SourceDocument], list[Problem]]:
    """Read the decoded `text` of a table file into documents.

    Args:
        text: The file's text.
        file: Its path as the user named it (for sources and problems).
        base_id: The file's id; rows without an id column become `{base_id}-{row number}`.
        text_column: The column holding the text (default: the first of TEXT_COLUMNS present).
        id_column: The column holding the document id (default: the first of ID_COLUMNS present).
        kind: "csv", "tsv" or "jsonl".
    """
    if kind == "jsonl":
        columns, rows, problems = _jsonl_rows(text, file)
    else:
        columns, rows, problems = _csv_rows(text, file, "\t" if kind == "tsv" else _delimiter(text))
    if not rows and problems:
        return [], problems
    text_key = _column(columns, text_column, TEXT_COLUMNS)
    if text_key is None:
        wanted = f"no column {text_column!r}" if text_column else "no text column"
        hint = "" if text_column else "; name it with --text-column"
        return [], [*problems, Problem(file, None, None, f"{wanted}{hint} (columns: {', '.join(columns) or 'none'})")]
    id_key = _column(columns, id_column, ID_COLUMNS)
    if id_column and id_key is None:
        return [], [*problems, Problem(file, None, None, f"no column {id_column!r} (columns: {', '.join(columns)})")]
    if wide := too_wide(file, columns, (text_key, id_key)):
        return [], [wide]
    documents = _documents(rows, file, base_id, text_key, id_key)
    if not documents:
        # Reported as an empty .txt is: the file named, the import's exit code 1.
        problems.append(Problem(file, None, None, _nothing_to_import(rows, text_key, kind)))
    return documents, problems


def too_wide(
    file: str, columns: list[str], kept: tuple[str | None, ...], outcome: str = "file not imported"
) -> Problem | None:
    """The refusal of a table with more than MAX_META_COLUMNS metadata columns: those that are not
    `kept` (its text and id) nor one of FIELDS. None when it has no more than that."""
    meta = {name for name in columns if name not in kept and name.lower() not in FIELDS}
    if len(meta) <= MAX_META_COLUMNS:
        return None
    return Problem(file, None, None, f"{plural(len(meta), 'metadata column')}; Accord takes at most "
                                     f"{MAX_META_COLUMNS} (each is a column of every export): {outcome}")


def _nothing_to_import(rows: list[Row], text_key: str, kind: str) -> str:
    """Why a table gave no document: no rows at all, or no text in any."""
    if not rows:
        return "a header and no rows: nothing to import"
    if kind == "jsonl":
        return f"no text to import: {text_key!r} is empty in every record"
    return f"no text to import: column {text_key!r} is empty in every row"


def _documents(rows: list[Row], file: str, base_id: str, text_key: str, id_key: str | None) -> list[SourceDocument]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        key = _cell(row.values.get(id_key)) if id_key else None
        groups.setdefault(key or f"{base_id}-{row.number}", []).append(row)
    documents = []
    for document_id, group in groups.items():
        first = group[0].values
        fields = {name: _cell(value) for name, value in first.items() if name.lower() in FIELDS}
        document = SourceDocument(
            id=document_id,
            paragraphs=[],
            source=f"{file}:{group[0].line}",
            title=_field(fields, "title"),
            speaker=_field(fields, "speaker"),
            country=_field(fields, "country"),
            date=_field(fields, "date"),
            meta={
                name: value
                for name, value in first.items()
                if name not in (text_key, id_key) and name.lower() not in FIELDS and value not in (None, "")
            },
        )
        for cell in _texts(group, text_key):
            # Only a document's opening can name its speaker; a later label is a turn and stays.
            opening = not document.paragraphs
            result = segment(cell, speaker=opening)
            if opening:
                document.speaker = document.speaker or result.speaker
                document.country = document.country or result.country
            document.paragraphs.extend(result.paragraphs)
        if document.paragraphs:
            documents.append(document)
    return documents


def _texts(group: list[Row], text_key: str) -> list[str]:
    """The non-empty texts of a document's rows; a JSON list of strings gives one per item."""
    texts: list[str] = []
    for row in group:
        value = row.values.get(text_key)
        items = value if isinstance(value, list) and all(isinstance(v, str) for v in value) else [value]
        texts.extend(text for item in items if (text := _cell(item)))
    return texts


def _csv_rows(text: str, file: str, delimiter: str) -> tuple[list[str], list[Row], list[Problem]]:
    csv.field_size_limit(2**31 - 1)  # a whole speech in one cell is longer than csv's default limit
    # One line end before parsing: the csv module ends a row at each of them alike, and a carriage
    # return inside a quoted cell (a header, an id, a metadata value) comes in as a newline.
    reader = csv.reader(io.StringIO(one_line_end(text), newline=""), delimiter=delimiter)
    problems: list[Problem] = []
    rows: list[Row] = []
    try:
        header = next(reader, [])
        columns = [name.strip() or f"column {i}" for i, name in enumerate(header, start=1)]
        start = reader.line_num + 1
        for number, record in enumerate(reader, start=1):
            if record and any(field.strip() for field in record):
                if len(record) > len(columns):
                    problems.append(Problem(file, start, None, f"row has {len(record)} fields but the header "
                                                               f"has {len(columns)}; row skipped"))
                else:
                    # A short row leaves its missing fields out.
                    rows.append(Row(start, number, dict(zip(columns, record, strict=False))))
            start = reader.line_num + 1
    except csv.Error as error:
        problems.append(Problem(file, reader.line_num, None, f"cannot read the rest of the table: {error}"))
    return columns if rows or header else [], rows, problems


def _jsonl_rows(text: str, file: str) -> tuple[list[str], list[Row], list[Problem]]:
    columns: dict[str, None] = {}
    rows: list[Row] = []
    problems: list[Problem] = []
    # Not str.splitlines(): JSON strings may hold U+2028, which it would split on.
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if not line.strip():
            continue
        if nul := _ESCAPED_NUL.search(line):
            # Decoding refuses a NUL byte in the file; JSON can also write one as an escape.
            problems.append(Problem(file, number, nul.end() - 5, "contains a NUL byte (\\u0000); line skipped"))
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(Problem(file, number, error.colno, f"not valid JSON: {error.msg}; line skipped"))
            continue
        except RecursionError:
            problems.append(Problem(file, number, None, "JSON nested too deeply to read; line skipped"))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(file, number, None, f"a JSON {type(value).__name__}, not an object; line skipped"))
            continue
        value = {one_line_end(k): one_line_ends(v) for k, v in value.items()}  # "\\r" escapes too
        columns.update(dict.fromkeys(value))
        rows.append(Row(number, number, value))
    return list(columns), rows, problems


def _delimiter(text: str) -> str:
    """The separator of a .csv file: the candidate its header line uses most (Excel writes `;` in
    some locales)."""
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def _column(columns: list[str], wanted: str | None, defaults: tuple[str, ...]) -> str | None:
    """The header name matching `wanted` (exactly, else ignoring case), or the first default."""
    if wanted:
        if wanted in columns:
            return wanted
        candidates: tuple[str, ...] = (wanted,)
    else:
        candidates = defaults
    lowered = {name.lower(): name for name in reversed(columns)}
    return next((lowered[c.lower()] for c in candidates if c.lower() in lowered), None)


def _cell(value: object) -> str | None:
    """A cell as text: None when empty; JSON numbers as written, lists and objects as JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return text.strip() or None


def _field(fields: dict[str, str | None], name: str) -> str | None:
    return next((value for key, value in fields.items() if key.lower() == name and value), None)
