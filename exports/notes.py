"""The team's notes and flags as a dataset (CSV through the dataset writers, so that a note a
spreadsheet would run as a formula is neutralised) or as a Markdown table."""

from __future__ import annotations


import pandas as pd

from exports.cells import md_cell as _md
from exports.datasets import Column, Dataset
from store import NoteRow

NOTE_COLUMNS = [
    Column("paragraph_id", "Paragraph", "str"),
    Column("document_id", "Document", "str"),
    Column("coder", "Coder", "str"),
    Column("flagged", "Flagged for discussion (1 yes, 0 no)", "int"),
    Column("note", "Note", "str"),
]


def notes_dataset(rows: list[NoteRow]) -> Dataset:
    """One row per coder and paragraph with a note or a flag."""
    frame = pd.DataFrame(
        [(r.paragraph_id, r.document_id, r.coder, int(r.flagged), r.note) for r in rows],
        columns=[column.name for column in NOTE_COLUMNS],
    )
    return Dataset(list(NOTE_COLUMNS), iter([frame]), paragraphs=len(rows))


def notes_markdown(rows: list[NoteRow]) -> str:
    """A Markdown table; a note's line breaks become `<br>` so that each row stays one line."""
    lines = ["| Paragraph | Document | Coder | Flagged | Note |", "|---|---|---|---|---|"]
    lines += [f"| {_md(r.paragraph_id)} | {_md(r.document_id)} | {_md(r.coder)} | {'yes' if r.flagged else ''} | "
              f"{_md(r.note or '')} |" for r in rows]
    return "\n".join(lines) + "\n"
