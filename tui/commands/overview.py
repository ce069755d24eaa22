"""`accord overview`: frequencies, the code matrix, co-occurrence and coverage of the coded corpus."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui.commands.common import (Context, WritesAFile, emit_report, open_project, output_format, project_option,
                                 require_terminal, whose_chosen)
from tui.console import advance, out, progress_bar

if TYPE_CHECKING:
    from exports.overview import Overview
    from tui.text_table import Cell

FORMATS = ("table", "md", "html", "json", "csv")
EXTENSIONS = {"md": (".md",), "html": (".html",), "json": (".json",), "csv": (".csv",)}
BY = ("document", "speaker", "country", "year", "coder")  # exports.overview.BY, without loading numpy for --help


@click.command(cls=WritesAFile)
@click.option("--coder", metavar="NAME", help="Count this coder's codings.")
@click.option("--consensus", is_flag=True,
              help="Adjudicated values, falling back to values all coders agree on (two or more).")
@click.option("--majority", is_flag=True,
              help="For each code, the value more than half of the coders gave (two or more).")
@click.option("--by", type=click.Choice(BY),
              help="The code matrix: counts per document, speaker, country, year (of the document's date) "
                   "or coder (each coder's own codings).")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="table: tables in the terminal (the default without -o); md, html (charts), json, csv: a "
                   "report. With -o FILE the default is the format its extension names.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE (.md .html .json .csv; written whole or not at all).")
@click.option("--force", is_flag=True, help="Overwrite the --output file if it exists.")
@click.option("--tui", "interactive", is_flag=True,
              help="Open the lead's screen: the code matrix and co-occurrence, enter on a cell lists its paragraphs.")
@project_option
@click.pass_obj
def overview(ctx: Context, coder: str | None, consensus: bool, majority: bool, by: str | None, fmt: str | None,
             output: Path | None, force: bool, interactive: bool) -> None:
    """What the coded corpus says: how often each code applies, where, and with which others.

    \b
    Frequencies: for each code and each level of a variable, the paragraphs done where it
    applies and their share of the done ones, overall and, with --by, per group (the code
    matrix). Co-occurrence: for each pair of codes, the done paragraphs where both apply, with
    Jaccard's index (both / either). Coverage: done, not done, flagged, missing a required
    variable. Whose codings count is chosen as in `accord export`: without a choice, the only
    coder's, or with several coders the consensus. A paragraph not done counts nowhere.

    \b
    Examples:
      accord overview
      accord overview --majority --by country
      accord overview --by coder -o overview.html
      accord overview --consensus --format json > overview.json
      accord overview --by document --tui
    """
    from exports.files import check_target

    whose = whose_chosen(coder, consensus=consensus, majority=majority) or "coder"
    if by == "coder" and (coder or whose != "coder"):
        raise click.UsageError("--by coder counts each coder's own codings: --coder, --consensus and --majority "
                               "do not apply")
    if output is not None and fmt == "table":
        raise click.UsageError("--output needs a file format: --format md, html, json or csv")
    fmt = output_format(output, fmt, EXTENSIONS, "table")
    if interactive:
        from tui.overview_app import OverviewApp  # Textual loads only for the screen

        open_project(ctx).close()  # a missing or foreign project fails here, in one line
        require_terminal("overview --tui")
        OverviewApp(ctx.project_path, whose, coder, by, verified=True).run()
        return
    if output is not None:
        check_target(output, force)
    report = compute(ctx, whose, coder, by)
    if fmt == "table":
        show_tables(report)
        return
    from store import plural

    emit_report(render(report, fmt), output, force, f"{plural(int(report.done.sum()), 'done row')}, "
                f"{plural(len(report.entries), 'code and level', 'codes and levels')}")


def compute(ctx: Context, whose: str, coder: str | None, by: str | None) -> Overview:
    from exports.overview import build_overview

    with open_project(ctx) as project, progress_bar("Counting", project.paragraph_count()) as bar:
        return build_overview(project, whose, coder, by, on_progress=lambda n: advance(bar, n))


def render(report: Overview, fmt: str) -> str:
    """The overview in a file format."""
    if fmt == "html":
        from exports.overview_html import to_html

        return to_html(report)
    from exports import overview_report

    writer = {"md": overview_report.to_markdown, "json": overview_report.to_json, "csv": overview_report.to_csv}[fmt]
    return writer(report)


def show_tables(report: Overview) -> None:
    """Coverage, frequencies (with the code matrix) and co-occurrence as tables: Rich's while
    small; by document, thousands of rows or columns, as aligned lines (tui/text_table.py)."""
    from exports.overview_report import COVERAGE, coverage_rows, matrix_cells, percent
    from tui.safe_text import printable
    from tui.text_table import Column, TextTable

    out.print(printable(f"Overview of {report.described()}" + (f", by {report.by}" if report.by else "")),
              markup=False, highlight=False)
    # no_wrap=False: Rich's layout of a small table on a narrow terminal wraps the cells, as before.
    columns = [Column("group", no_wrap=False),
               *(Column(name.replace("_", " "), right=True, no_wrap=False) for name in COVERAGE)]
    rows: list[list[str | Cell]] = [[printable(name), *(f"{n:,}" for n in row)] for name, row in coverage_rows(report)]
    TextTable(columns, rows, title="Coverage").print(out)
    done = int(report.done.sum())
    matrix = matrix_cells(report)
    columns = [Column("code", no_wrap=False), Column("count", right=True, no_wrap=False),
               Column("share", right=True, no_wrap=False),
               *(Column(printable(g), right=True, no_wrap=False) for g in report.groups)]
    rows = [[printable(entry.name), f"{int(report.total[j]):,}",
             percent(int(report.total[j]) / done if done else float("nan")), *matrix[j]]
            for j, entry in enumerate(report.entries)]
    TextTable(columns, rows, title="Frequencies (done paragraphs where each applies, share of the done)"
              ).print(out)
    jaccard = report.jaccard().tolist()
    both = report.cooccurrence.tolist()
    columns = [Column("", no_wrap=False), *(Column(printable(code), right=True, no_wrap=False) for code in report.codes)]
    rows = [[printable(code), *(f"{int(n):,} ({'–' if j != j else f'{j:.2f}'})"
                                for n, j in zip(both[i], jaccard[i], strict=True))]
            for i, code in enumerate(report.codes)]
    TextTable(columns, rows, title="Co-occurrence (both apply; Jaccard in brackets)").print(out)
