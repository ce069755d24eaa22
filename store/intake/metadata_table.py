"""A table of document metadata (`.csv`, `.tsv`, `.jsonl`) read into rows by document id.

The columns mean what they mean in a corpus table (intake/table_files.py, whose readers this
uses): `title`, `speaker`, `country` and `date` fill the document's fields, every other column
goes into its `meta`, and the id column is found the same way (`id`, `doc_id`, `document_id`,
or the one named). Files in, no SQL: store/corpus/metadata.py joins the rows onto documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from store.errors import AccordError, Problem
from store.intake.decoding import NotText, decode
from store.intake.table_files import (
    FIELDS,
    ID_COLUMNS,
    _cell,
    _column,
    _csv_rows,
    _delimiter,
    _jsonl_rows,
    too_wide,
)
from store.words import plural

SHOWN_PROBLEMS = 10


@dataclass
class MetadataRow:
    """One document's metadata as the table gives it (empty cells left out)."""

    line: int
    fields: dict[str, str] = field(default_factory=dict)
    """title, speaker, country, date: those the row fills."""
    meta: dict[str, object] = field(default_factory=dict)
    """Every other non-empty column."""


def read_metadata_table(path: Path, id_column: str | None = None) -> dict[str, MetadataRow]:
    """The table's rows by document id, in file order.

    Raises:
        AccordError: the file cannot be read, has no id column, no rows, a repeated id or a
            malformed row; the message names the file (and the lines).
    """
    name = str(path)
    try:
        text = decode(Path(path).read_bytes())
    except OSError as error:
        raise AccordError(f"cannot read {name}: {error.strerror}") from error
    except NotText as error:
        raise AccordError(str(Problem(name, error.line, None, str(error)))) from error
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        columns, rows, problems = _jsonl_rows(text, name)
    else:
        columns, rows, problems = _csv_rows(text, name, "\t" if suffix in (".tsv", ".tab") else _delimiter(text))
    id_key = _column(columns, id_column, ID_COLUMNS)
    if id_key is None:
        wanted = f"no column {id_column!r}" if id_column else \
            f"no id column ({', '.join(ID_COLUMNS)}; or name it with --id-column)"
        raise AccordError(f"{name}: {wanted} to match documents by (columns: {', '.join(columns) or 'none'})")
    if wide := too_wide(name, columns, (id_key,), "nothing was joined"):
        raise AccordError(str(wide))
    table: dict[str, MetadataRow] = {}
    for row in rows:
        document_id = _cell(row.values.get(id_key))
        if document_id is None:
            problems.append(Problem(name, row.line, None, f"no document id in column {id_key!r}"))
        elif document_id in table:
            problems.append(Problem(name, row.line, None, f"document {document_id!r} is already on line "
                                                          f"{table[document_id].line}"))
        else:
            table[document_id] = _metadata(row.line, row.values, id_key)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:SHOWN_PROBLEMS])
        more = f"\n  … and {len(problems) - SHOWN_PROBLEMS} more" if len(problems) > SHOWN_PROBLEMS else ""
        raise AccordError(f"{plural(len(problems), 'problem')} in {name}; nothing was joined:\n{shown}{more}")
    if not table:
        raise AccordError(f"{name}: the table has a header but no rows")
    return table


def _metadata(line: int, values: dict[str, object], id_key: str) -> MetadataRow:
    row = MetadataRow(line)
    for column, value in values.items():
        if column == id_key or value in (None, ""):
            continue
        if column.lower() in FIELDS:
            if (cell := _cell(value)) is not None:
                row.fields[column.lower()] = cell
        else:
            row.meta[column] = value
    return row
