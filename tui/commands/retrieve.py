"""`accord retrieve`: every paragraph where the chosen codings apply some codes (and not others)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui.commands.common import Context, WritesAFile, open_project, project_option

if TYPE_CHECKING:
    from exports.retrieval import Retrieved

FORMATS = ("table", "md", "csv", "jsonl")


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """Repeated options and comma-separated lists alike."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


@click.command(cls=WritesAFile)
@click.option("--code", "codes", multiple=True, required=True, metavar="CODE",
              help="A code id, or VARIABLE=LEVEL for a variable's level; repeat for several (all must apply).")
@click.option("--any", "any_", is_flag=True, help="One of the --code codes is enough.")
@click.option("--not", "excluded", multiple=True, metavar="CODE",
              help="Leave out paragraphs where this code (or VARIABLE=LEVEL) applies; repeatable. A paragraph "
                   "whose value for it is missing (coders split) is left out too: it is not known not to apply.")
@click.option("--coder", metavar="NAME", help="This coder's codings.")
@click.option("--consensus", is_flag=True, help="Adjudicated values, else values all coders agree on (two or more).")
@click.option("--majority", is_flag=True, help="For each code, the value more than half of the coders gave.")
@click.option("--documents", multiple=True, metavar="IDS", help="Only these documents (comma-separated ids).")
@click.option("--speaker", "speakers", multiple=True, metavar="NAME", help="Only documents of this speaker; repeatable.")
@click.option("--country", "countries", multiple=True, metavar="NAME",
              help="Only documents of this country; repeatable.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="table: in the terminal, keywords marked; md: a Markdown table, keywords in bold; csv and "
                   "jsonl: for a spreadsheet or a script, columns named as in `accord export`. Default: table, "
                   "or the extension of -o FILE.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (.md .csv .jsonl; written whole or not at all). Without it, stdout.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@project_option
@click.pass_obj
def retrieve(ctx: Context, codes: tuple[str, ...], any_: bool, excluded: tuple[str, ...], coder: str | None,
             consensus: bool, majority: bool, documents: tuple[str, ...], speakers: tuple[str, ...],
             countries: tuple[str, ...], fmt: str | None, output: Path | None, force: bool) -> None:
    """Retrieve the paragraphs coded with CODE: document, speaker, country, date, note and text.

    \b
    Only paragraphs marked done count: one not done is never a match. Whose codings: as in
    `accord export` (--coder, --consensus, --majority; without a choice, the only coder's, or
    with several coders the consensus).

    \b
    Examples:
      accord retrieve --code border_control --code wmd --country Kazakhstan
      accord retrieve --code nuclear --any --code chemical --not sanctions --format md
      accord retrieve --code stance=supports --majority -o supports.csv
    """
    from exports.whose import DatasetSpec
    from exports.files import check_target
    from exports.retrieval import Query
    from exports.retrieval import retrieve as find
    from store import Scope, plural
    from tui.commands.common import output_format, whose_chosen
    from tui.console import err

    whose = whose_chosen(coder, consensus=consensus, majority=majority)
    fmt = output_format(output, fmt, EXTENSIONS, "table")
    if output is not None:
        if fmt == "table":
            raise click.UsageError("--output needs a file format: --format md, csv or jsonl")
        check_target(output, force)
    query = Query(_split(codes), any_, _split(excluded), Scope(_split(documents), speakers, countries),
                  keywords=fmt in ("table", "md"))
    with open_project(ctx) as project:
        found = find(project, query, DatasetSpec(whose=whose or "coder", coder=coder))
    _write(found, fmt, output, force)
    chosen = found.whose
    whose_said = f"{chosen.coder}'s codings" if chosen.whose == "coder" else f"the {chosen.whose}"
    where = f" to {output}" if output is not None else ""
    err.print(f"{plural(len(found.rows), 'paragraph')} ({whose_said}){where}.", markup=False)


EXTENSIONS = {"table": (), "md": (".md",), "csv": (".csv",), "jsonl": (".jsonl",)}
"""Formats and the extensions of -o FILE that name them."""


def _write(found: Retrieved, fmt: str, output: Path | None, force: bool) -> None:
    from exports.files import write_atomically
    from exports.retrieval import retrieved_csv, retrieved_jsonl, retrieved_markdown
    from tui.safe_text import for_stdout

    if fmt == "table":
        _print_table(found)
        return
    # On a terminal, control characters are shown, not run (for_stdout); a pipe gets the data.
    text = {"md": retrieved_markdown, "csv": retrieved_csv, "jsonl": retrieved_jsonl}[fmt](found)
    if output is not None:
        write_atomically(output, text, force)
    else:
        sys.stdout.write(for_stdout(text))
    sys.stdout.flush()


def _print_table(found: Retrieved) -> None:
    """The paragraphs as a table, keywords marked, the note below the text; past LARGE_ROWS
    paragraphs as aligned lines (tui/text_table.py): Rich's layout of 3,574 took 3 s."""
    from tui.console import out
    from tui.safe_text import printable
    from tui.text_table import Cell, Column, TextTable

    rows: list[list[str | Cell]] = []
    for row in found.rows.records():
        text = printable(str(row["text"]))
        marks = [m.span() for m in found.keywords.finditer(text)] if found.keywords is not None else []
        note = row["note"]
        tail = "\nNote: " + printable(note) if isinstance(note, str) and note else ""
        rows.append([*(printable(_cell(row[name])) for name in ("paragraph_id", "speaker", "country", "date")),
                     Cell(text, [m for m in marks if m[0] < m[1]], "bold reverse", tail, "italic")])
    columns = [*(Column(name) for name in ("Paragraph", "Speaker", "Country", "Date")), Column("Text", wrap=True, ratio=1)]
    TextTable(columns, rows, title=None, show_lines=True).print(out)


def _cell(value: object) -> str:
    return value if isinstance(value, str) else ""
