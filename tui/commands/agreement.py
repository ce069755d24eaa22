"""`accord agree`: inter-coder agreement per code and variable, in the terminal or as a report file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui.commands.common import (Context, WritesAFile, checked_meanwhile, emit_report, open_project, output_format,
                                 project_option, require_terminal)
from tui.console import SafeConsole, advance, err, out, progress_bar

if TYPE_CHECKING:
    from store import Project

FORMATS = ("table", "md", "html", "json", "csv")
EXTENSIONS = {"md": (".md",), "html": (".html",), "json": (".json",), "csv": (".csv",)}
"""Report format -> the file extensions that name it: `-o FILE` chooses the format by these."""
VERDICT_STYLES = {"reliable": "green", "tentative": "yellow", "inconclusive": "magenta", "unreliable": "red",
                  "undefined": "dim"}
TERMINAL_SPLITS = 5
TERMINAL_PAIR_COLUMNS = 6
"""Up to this many coder pairs (4 coders) the terminal shows kappa per code and pair; md/html always."""
PIPED_WIDTH = 120
"""Table width when stdout is not a terminal: a report piped to a file keeps one row per line."""


def _names(values: tuple[str, ...]) -> list[str] | None:
    """`--codes a,b --codes c` -> ["a", "b", "c"]; nothing given -> None (all)."""
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return names or None


@click.command(cls=WritesAFile)
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="table: coloured tables in the terminal (the default without -o); md, html, json, csv: "
                   "a report. With -o FILE the default is the format its extension names.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE (.md .html .json .csv; refuses to overwrite without --force).")
@click.option("--force", is_flag=True, help="Overwrite the --output file if it exists.")
@click.option("--codes", multiple=True, metavar="IDS", help="Only these codes or variables (comma-separated).")
@click.option("--coders", multiple=True, metavar="NAMES", help="Only these coders (comma-separated; 'consensus' never counts).")
@click.option("--documents", multiple=True, metavar="IDS", help="Only paragraphs of these documents (comma-separated).")
@click.option("--bootstrap", "replicates", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Bootstrap samples for alpha's 95 % interval (0: no interval).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of the bootstrap (reproducible reports).")
@click.option("--over", type=click.Choice(["time"]),
              help="Agreement over time: each coder against the consensus (else the other coders) in windows of "
                   "their work, in the order they did it.")
@click.option("--window", type=click.IntRange(min=2), default=50, show_default=True,
              help="Paragraphs per window with --over time.")
@click.option("--by", "by", type=click.Choice(["document"]),
              help="The same figures per document: a document that splits everyone stands out.")
@click.option("--tui", "interactive", is_flag=True,
              help="Open the agreement screen: the table, and the split paragraphs to read.")
@project_option
@click.pass_obj
def agree(ctx: Context, fmt: str | None, output: Path | None, force: bool, codes: tuple[str, ...],
          coders: tuple[str, ...], documents: tuple[str, ...], replicates: int, seed: int, over: str | None,
          window: int, by: str | None, interactive: bool) -> None:
    """Inter-coder agreement for every code and variable.

    Over the paragraphs that at least two coders have marked done: percent agreement, Cohen's
    kappa for each pair of coders, Fleiss' kappa, Gwet's AC1 and Krippendorff's alpha with a
    95 % bootstrap interval, and a verdict on the interval's lower end (>= 0.800 reliable,
    >= 0.667 tentative; inconclusive when the sample is too small to tell), with a warning
    below Krippendorff's minimum sample.
    A code is absent on a paragraph a coder has done without applying it, and missing on one
    the coder has not done. Also lists the paragraphs on which coders split.

    With --over time, each coder's agreement with the consensus (where the adjudicator has
    decided) or else with the other coders, in windows of --window paragraphs in the order the
    coder did them: percent agreement and Krippendorff's alpha averaged over codes, a line per
    coder in the HTML chart. With --by document, the same per document and for all coders together.

    \b
    Examples:
      accord agree
      accord agree -o agreement.html
      accord agree --codes border_control,stance --coders ann,bob --format json
      accord agree --tui
      accord agree --over time --window 50 -o drift.html
      accord agree --by document --format csv
    """
    from exports.reliability import reliability_report

    if output is not None and fmt == "table":
        raise click.UsageError("--output needs a file format: --format md, html, json or csv")
    fmt = output_format(output, fmt, EXTENSIONS, "table")
    if over or by:
        if interactive:
            raise click.UsageError("--over and --by write a report: leave out --tui")
        from tui.commands.drift import drift

        drift(ctx, "document" if by else "time", window, fmt, output, force, _names(codes), _names(coders),
              _names(documents))
        return
    if interactive:
        from tui.agreement_app import AgreementApp  # Textual loads only for the screen

        open_project(ctx).close()  # a missing or foreign project fails here, in one line
        require_terminal("agree --tui")
        AgreementApp(ctx.project_path, replicates, seed, codes=_names(codes), coders=_names(coders),
                     documents=_names(documents)).run()
        return
    with measuring(ctx) as project:
        chosen = _names(codes)
        total = len(chosen) if chosen else len(project.codes(include_retired=False))
        with progress_bar("Measuring agreement", total=total) as bar:
            report = reliability_report(
                project, codes=chosen, coders=_names(coders), documents=_names(documents),
                replicates=replicates, seed=seed, on_code=lambda _: advance(bar),
            )
    if fmt == "table":
        show_tables(report)
        return
    from store import plural

    emit_report(render(report, fmt), output, force, f"{plural(len(report.codes), 'code')}, "
                f"{plural(report.units, 'paragraph')}, {plural(len(report.coders), 'coder')}")


@contextmanager
def measuring(ctx: Context) -> Iterator[Project]:
    """The project as `checked_meanwhile` gives it (the verdict awaited when the block ends, before
    anything is written), with NumPy's BLAS on one thread."""
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    # One BLAS thread: the statistics multiply many tiny matrices, which OpenBLAS's threads only
    # slow down (4x the CPU for the same alphas on a busy machine; the same results).
    with checked_meanwhile(ctx) as (project, _), threadpool_limits(limits=1, user_api="blas"):
        yield project


def render(report: object, fmt: str) -> str:
    """The report in a file format."""
    from exports import agreement_report

    if fmt == "html":
        from exports.agreement_html import to_html

        return to_html(report)  # type: ignore[arg-type]
    writer = {"md": agreement_report.to_markdown, "json": agreement_report.to_json, "csv": agreement_report.to_csv}[fmt]
    return writer(report)  # type: ignore[arg-type]


def show_tables(report) -> None:  # type: ignore[no-untyped-def]
    """The report as Rich tables, each code's row coloured by its verdict."""
    from rich import box
    from rich.table import Table

    from exports.report_columns import fmt, report_notes, shown_columns
    from store import plural

    if report.units == 0:
        err.print("No paragraph has been done by two coders yet: agreement needs double-coded paragraphs "
                  f"(coders: {', '.join(report.coders) or 'none'}).", markup=False)
    console = out if out.is_terminal else SafeConsole(width=PIPED_WIDTH, soft_wrap=True)
    table = Table(title=f"Agreement over {plural(report.units, 'paragraph')}, {plural(len(report.coders), 'coder')}",
                  title_justify="left", box=box.SIMPLE_HEAD)
    coefficients = shown_columns()
    for name, justify in (("Code", "left"), ("Units", "right"), ("Coders", "right"), ("Prev.", "right"),
                          *((column.header, "left" if column.interval else "right") for column in coefficients),
                          ("Verdict", "left")):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for c in report.codes:
        style = VERDICT_STYLES[c.verdict]
        table.add_row(c.code, f"{c.units:,}", str(c.coders), fmt(c.prevalence),
                      *(column.text(c) for column in coefficients), f"[{style}]{c.verdict}[/]")
    console.print(table)
    undefined: dict[str, list[str]] = {}  # one line per reason: a new season has many codes without variation
    for c in report.codes:
        if c.alpha.reason and report.units:
            undefined.setdefault(c.alpha.reason, []).append(c.code)
    for reason, codes in undefined.items():
        console.print(f"α undefined for {', '.join(codes)}: {reason}", style="dim", markup=False, highlight=False)
    for note in report_notes(report.codes) if report.units else []:
        console.print(note, markup=False, highlight=False, style="yellow")
    if report.pairs:
        pairs = Table(title="Coder pairs (over all codes)", title_justify="left", box=box.SIMPLE_HEAD)
        for name in ("Coders", "Paragraphs", "% agree", "Mean Cohen's κ"):
            pairs.add_column(name, justify="left" if name == "Coders" else "right")
        for p in report.pairs:
            pairs.add_row(f"{p.first} – {p.second}", f"{p.units:,}", fmt(p.percent_agreement), fmt(p.mean_kappa))
        console.print(pairs)
        if len(report.pairs) <= TERMINAL_PAIR_COLUMNS:
            from exports.agreement_report import pair_kappa_table

            header, rows = pair_kappa_table(report)
            per_code = Table(title="Cohen's κ per code and pair", title_justify="left", box=box.SIMPLE_HEAD)
            for i, name in enumerate(header):
                per_code.add_column(name, justify="left" if i == 0 else "right", no_wrap=True)
            for row in rows:
                per_code.add_row(*row)
            console.print(per_code)
    split = [c for c in report.codes if len(c.splits)]
    if split:
        console.print("Paragraphs on which coders split (first few; all with --format json):")
        for c in split:
            shown = ", ".join(s.paragraph_id for s in c.splits.rows(TERMINAL_SPLITS))
            more = f", … {len(c.splits) - TERMINAL_SPLITS:,} more" if len(c.splits) > TERMINAL_SPLITS else ""
            console.print(f"  {c.code} ({len(c.splits):,}): {shown}{more}", markup=False, highlight=False)
