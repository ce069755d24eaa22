"""`accord notes`: every note and flag the coders left, for the lead to read or hand on."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui.commands.common import Context, WritesAFile, open_project, project_option

if TYPE_CHECKING:
    from store import NoteRow

FORMATS = ("table", "md", "csv")


@click.command(cls=WritesAFile)
@click.option("--flagged", "flagged_only", is_flag=True, help="Only paragraphs flagged for discussion.")
@click.option("--coder", metavar="NAME", help="Only this coder's notes and flags.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table: in the terminal; md: a Markdown table; csv: for a spreadsheet or a script.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to FILE (md or csv; refuses to overwrite without --force). Without it, stdout.")
@click.option("--force", is_flag=True, help="Overwrite the --output file if it exists.")
@project_option
@click.pass_obj
def notes(ctx: Context, flagged_only: bool, coder: str | None, fmt: str, output: Path | None, force: bool) -> None:
    """List every note and flag: paragraph, document, coder, flag and note.

    \b
    Examples:
      accord notes --flagged                what coders want to discuss
      accord notes --coder ann --format md  one coder's notes, as Markdown
      accord notes --format csv -o notes.csv
    A note a spreadsheet would run as a formula starts with ' in the CSV.
    """
    from store import AccordError, plural
    from tui.console import err

    if output is not None and fmt == "table":
        raise click.UsageError("--output needs a file format: --format md or csv")
    with open_project(ctx) as project:
        if coder is not None and coder not in project.coders():
            known = ", ".join(project.coders()) or "none yet"
            raise AccordError(f"{project.path} has no coder {coder!r} (coders: {known})")
        rows = project.notes(coder, flagged_only)
    if fmt == "table":
        _print_table(rows)
    else:
        _write(rows, fmt, output, force)
    noted = sum(1 for r in rows if r.note)
    flags = sum(1 for r in rows if r.flagged)
    paragraphs = len({r.paragraph_id for r in rows})
    where = f" to {output}" if output is not None else ""
    err.print(f"{plural(noted, 'note')} and {plural(flags, 'flag')} on {plural(paragraphs, 'paragraph')}{where}.",
              markup=False)


def _print_table(rows: list[NoteRow]) -> None:
    from rich.table import Table
    from rich.text import Text

    from tui.console import out

    table = Table(show_lines=True)
    for name in ("Paragraph", "Document", "Coder", "Flag"):
        table.add_column(name, no_wrap=True)
    table.add_column("Note", ratio=1)
    for row in rows:
        table.add_row(Text(row.paragraph_id), Text(row.document_id), Text(row.coder),
                      Text("⚑ flagged" if row.flagged else "", style="bold yellow"), Text(row.note or ""))
    out.print(table)


def _write(rows: list[NoteRow], fmt: str, output: Path | None, force: bool) -> None:
    from exports.files import write_atomically
    from exports.notes import notes_dataset, notes_markdown
    from exports.writers import write_dataset

    from tui.safe_text import for_stdout, stdout_for_data

    if fmt == "csv":
        with stdout_for_data() as stdout:  # on a terminal, control characters are shown, not run
            write_dataset(notes_dataset(rows), "csv", output, force=force, stream=None if output else stdout)
    elif output is not None:
        write_atomically(output, notes_markdown(rows), force)
    else:
        sys.stdout.write(for_stdout(notes_markdown(rows)))
    sys.stdout.flush()
