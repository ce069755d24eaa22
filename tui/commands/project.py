"""`accord init` and `accord status`: create a project and see where it stands."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui.commands.common import Context, default_codebook_file, open_project, project_option

if TYPE_CHECKING:
    from rich.table import Table

    from store import Project, ProjectStatus


@click.command()
@click.option("--codebook", "codebook_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Codebook to start with: YAML, or the codebook of a REFI-QDA .qdc or .qdpx "
                   "(default: ./codebook.yaml if present, else Accord's codebook for UN Security "
                   "Council statements on SALW and WMD).")
@project_option
@click.pass_obj
def init(ctx: Context, codebook_file: Path | None) -> None:
    """Create a new, empty project file (never overwrites one)."""
    from store import Project
    from store import plural
    from tui.commands.codebook import load_or_report
    from tui.console import err

    codebook_file = codebook_file or default_codebook_file()
    codebook = load_or_report(codebook_file)
    Project.create(ctx.project_path, codebook).close()
    err.print(f"Created {ctx.project_path} with codebook {codebook_file} "
              f"({plural(sum(1 for c in codebook.walk() if c.kind == 'code'), 'code')}, "
              f"{plural(len(codebook.variables), 'variable')}).", markup=False)
    err.print("Next: accord import PATH...")


DOCUMENT_ROWS = 12
"""Up to this many documents, status lists each; beyond, it lists the main speakers."""
SPEAKER_ROWS = 10


def corpus_table(project: Project, documents: int) -> Table:
    """Who is in the corpus, in a table that stays short however big the corpus is: each
    document of a small corpus, else the main speakers."""
    from rich.markup import escape
    from rich.table import Table

    if documents <= DOCUMENT_ROWS:
        table = Table(title="Documents", title_justify="left")
        for name in ("Document", "Speaker", "Country", "Paragraphs"):
            table.add_column(name, justify="right" if name == "Paragraphs" else "left")
        for row in project.document_overview():
            table.add_row(escape(str(row["id"])), escape(str(row["speaker"] or "—")),
                          escape(str(row["country"] or "—")), f"{row['paragraphs']:,}")
        return table
    speakers = project.speakers(limit=SPEAKER_ROWS)
    more = project.speaker_count() - len(speakers)
    table = Table(title="Speakers", title_justify="left", caption_justify="left",
                  caption=f"and {more:,} more (accord status --json lists all)" if more > 0 else None)
    for name in ("Speaker", "Country", "Documents", "Paragraphs"):
        table.add_column(name, justify="right" if name in ("Documents", "Paragraphs") else "left")
    for row in speakers:
        table.add_row(escape(str(row["speaker"] or "—")), escape(str(row["country"] or "—")),
                      f"{row['documents']:,}", f"{row['paragraphs']:,}")
    return table


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON, for scripts.")
@project_option
@click.pass_obj
def status(ctx: Context, as_json: bool) -> None:
    """Documents, paragraphs, codes, coders and each coder's progress."""
    from store import project_status

    with open_project(ctx) as project:
        state = project_status(project)
        if as_json:
            click.echo(json.dumps(asdict(state), indent=2, ensure_ascii=False))
            return
        print_status(project, state)


def print_status(project: Project, status: ProjectStatus) -> None:
    """Show a project's status as Rich tables on stdout (shared with `accord demo`)."""
    from rich.markup import escape
    from rich.table import Table

    from store import plural
    from tui.console import out

    corpus = corpus_table(project, status.documents) if status.documents else None
    summary = Table.grid(padding=(0, 2))
    summary.add_row("Project", escape(status.project))
    for label, count in (("Documents", status.documents), ("Paragraphs", status.paragraphs),
                         ("Codes", status.codes), ("Variables", status.variables)):
        summary.add_row(label, f"{count:,}")
    out.print(summary)
    if corpus is not None:
        out.print(corpus)
    coders = status.coders
    if coders:
        table = Table(title="Coders", title_justify="left")
        table.add_column("Coder")
        table.add_column("Done", justify="right")
        table.add_column("Of", justify="right")
        table.add_column("%", justify="right")
        assigned = any(row.assigned for row in coders)
        if assigned:
            table.add_column("Assigned done", justify="right")
            table.add_column("Assigned", justify="right")
        table.add_column("Flagged", justify="right")
        for row in coders:
            share = 100 * row.done / row.total if row.total else 0.0
            cells = [escape(row.coder), f"{row.done:,}", f"{row.total:,}", f"{share:.0f}"]
            if assigned:
                cells += [f"{row.assigned_done:,}", f"{row.assigned:,}"]
            table.add_row(*cells, f"{row.flagged:,}")
        out.print(table)
        flagged = sum(row.flagged for row in coders)
        if flagged:
            out.print(f"Flagged for discussion: {plural(flagged, 'paragraph')} (accord notes --flagged)")
        sample = status.reliability_sample
        if sample.paragraphs:
            out.print(f"Reliability sample: {sample.done_by_all:,} of {plural(sample.paragraphs, 'paragraph')} "
                      "done by all their coders")
        out.print(f"Open disagreements: {status.open_disagreements:,}"
                  + (" (accord adjudicate)" if status.open_disagreements else ""))
        if status.required_gaps:
            from store import describe_gaps

            out.print(f"Required variables: {describe_gaps(status.required_gaps)}", markup=False)
        elif status.required_gaps is None and project.required_variables():
            out.print("Required variables: not checked at this size (accord export counts the done paragraphs "
                      "that miss one)", markup=False)
    else:
        out.print("No coder has started yet: accord code --coder NAME")
