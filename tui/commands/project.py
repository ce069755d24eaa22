"""`accord init` and `accord status`: create a project and see where it stands."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from store import Project
from tui.cli import Context
from tui.console import err, out


def open_project(ctx: Context) -> Project:
    """The project named by --project / $ACCORD_PROJECT / ./accord.db."""
    return Project.open(ctx.project_path)


def default_codebook_file() -> Path:
    """./codebook.yaml when the researcher keeps one beside the project, else the shipped one."""
    from store import default_codebook_path

    local = Path("codebook.yaml")
    return local if local.is_file() else default_codebook_path()


@click.command()
@click.option("--codebook", "codebook_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Codebook to start with (default: ./codebook.yaml if present, else Accord's "
                   "codebook for UN Security Council statements on SALW and WMD).")
@click.pass_obj
def init(ctx: Context, codebook_file: Path | None) -> None:
    """Create a new, empty project file (never overwrites one)."""
    from store import load_codebook

    codebook_file = codebook_file or default_codebook_file()
    codebook = load_codebook(codebook_file)
    Project.create(ctx.project_path, codebook).close()
    err.print(f"Created {ctx.project_path} with codebook {codebook_file} "
              f"({sum(1 for c in codebook.walk() if c.kind == 'code')} codes, {len(codebook.variables)} variables).")
    err.print("Next: accord import PATH...")


DOCUMENT_ROWS = 12
"""Up to this many documents, status lists each; beyond, it lists the main speakers."""
SPEAKER_ROWS = 10


def corpus_table(project: Project, documents: int) -> Table:
    """Who is in the corpus, in a table that stays short however big the corpus is: each
    document of a small corpus, else the main speakers."""
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


def status_data(project: Project) -> dict[str, object]:
    """What `accord status` reports, as plain data (the --json shape)."""
    from store import open_disagreements
    from store import sample_progress
    from store import Progress

    codes = project.codes(include_retired=False)
    sample = sample_progress(project)
    assigned = project.assignment_progress()
    none = Progress("", 0, 0)
    return {
        "project": str(project.path),
        "project_id": project.project_id,
        "codebook_sha256": project.codebook_sha256(),
        "documents": project.document_count(),
        "paragraphs": project.paragraph_count(),
        "codes": sum(1 for c in codes if c.kind == "code"),
        "variables": sum(1 for c in codes if c.kind != "code"),
        "coders": [
            {"coder": p.coder, "done": p.done, "total": p.total,
             "assigned": assigned.get(p.coder, none).total, "assigned_done": assigned.get(p.coder, none).done}
            for p in (project.progress(coder) for coder in project.coders())
        ],
        "reliability_sample": {"paragraphs": sample.paragraphs, "done_by_all": sample.done_by_all},
        "open_disagreements": open_disagreements(project),
        "speakers": project.speakers(),
    }


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON, for scripts.")
@click.pass_obj
def status(ctx: Context, as_json: bool) -> None:
    """Documents, paragraphs, codes, coders and each coder's progress."""
    with open_project(ctx) as project:
        data = status_data(project)
        if as_json:
            click.echo(json.dumps(data, indent=2, ensure_ascii=False))
            return
        print_status(project, data)


def print_status(project: Project, data: dict[str, object]) -> None:
    """Render `status_data` as Rich tables on stdout (shared with `accord demo`)."""
    corpus = corpus_table(project, int(data["documents"])) if data["documents"] else None  # type: ignore[call-overload]
    summary = Table.grid(padding=(0, 2))
    summary.add_row("Project", str(data["project"]))
    for key in ("documents", "paragraphs", "codes", "variables"):
        summary.add_row(key.capitalize(), f"{data[key]:,}")
    out.print(summary)
    if corpus is not None:
        out.print(corpus)
    coders = data["coders"]
    if coders:
        table = Table(title="Coders", title_justify="left")
        table.add_column("Coder")
        table.add_column("Done", justify="right")
        table.add_column("Of", justify="right")
        table.add_column("%", justify="right")
        assigned = any(row["assigned"] for row in coders)  # type: ignore[attr-defined]
        if assigned:
            table.add_column("Assigned done", justify="right")
            table.add_column("Assigned", justify="right")
        for row in coders:  # type: ignore[attr-defined]
            share = 100 * row["done"] / row["total"] if row["total"] else 0.0
            cells = [row["coder"], f"{row['done']:,}", f"{row['total']:,}", f"{share:.0f}"]
            if assigned:
                cells += [f"{row['assigned_done']:,}", f"{row['assigned']:,}"]
            table.add_row(*cells)
        out.print(table)
        sample = data["reliability_sample"]
        if sample["paragraphs"]:  # type: ignore[index]
            out.print(f"Reliability sample: {sample['done_by_all']:,} of {sample['paragraphs']:,} "  # type: ignore[index]
                      "paragraphs done by all their coders")
        out.print(f"Open disagreements: {data['open_disagreements']:,}"
                  + (" (accord adjudicate)" if data["open_disagreements"] else ""))
    else:
        out.print("No coder has started yet: accord code --coder NAME")
