"""`accord agree --over time` and `--by document`: the drift view, in the terminal or as a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING


from tui.commands.common import Context, emit_report
from tui.console import SafeConsole, err, out

if TYPE_CHECKING:
    from tui.text_table import Cell

PIPED_WIDTH = 160
"""Table width when stdout is not a terminal: one row per line."""


def drift(ctx: Context, over: str, window: int, fmt: str, output: Path | None, force: bool,
          codes: list[str] | None, coders: list[str] | None, documents: list[str] | None) -> None:
    """Compute the view and show it (table) or write it (md, html, json, csv)."""
    from exports.drift import drift_report, groups_shown
    from store import plural

    from tui.commands.agreement import measuring

    what = "over time" if over == "time" else "per document"
    with measuring(ctx) as project, err.status(f"Measuring agreement {what}"):
        report = drift_report(project, over, window, codes=codes, coders=coders, documents=documents)
    if fmt == "table":
        show_table(report)
        return
    unit = "window" if over == "time" else "document"
    emit_report(render(report, fmt), output, force,
                f"{plural(len(report.coders), 'coder')}, {plural(groups_shown(report), unit)}")


def render(report: object, fmt: str) -> str:
    from exports import drift_report

    if fmt == "html":
        from exports.drift_html import to_html

        return to_html(report)  # type: ignore[arg-type]
    writer = {"md": drift_report.to_markdown, "json": drift_report.to_json, "csv": drift_report.to_csv}[fmt]
    return writer(report)  # type: ignore[arg-type]


def show_table(report) -> None:  # type: ignore[no-untyped-def]
    """The rows as a Rich table, the definition below it."""
    from rich import box

    from exports.drift_report import cells, headers, reference_text

    if not report.rows:
        err.print("No paragraph has been done by a coder and by someone to compare with yet "
                  f"(coders: {', '.join(report.coders) or 'none'}).", markup=False)
        return
    from tui.text_table import Column, TextTable

    title = "Agreement over time" if report.over == "time" else "Agreement per document"
    names = headers(report)
    # Into a pipe a fixed width (a table that does not fit it: every row on one line, nothing
    # cut); on a terminal, blocks of columns with coder and window (or document) in each.
    columns = [Column(name, right=6 <= i <= 9, no_wrap=i < 10) for i, name in enumerate(names)]
    rows: list[list[str | Cell]] = [list(cells(report, row)) for row in report.rows]
    table = TextTable(columns, rows, title=title, box=box.SIMPLE_HEAD,
                      row_styles=["dim" if row.reason else None for row in report.rows], repeat=2)
    console = out if out.is_terminal else SafeConsole(width=PIPED_WIDTH, soft_wrap=True)
    table.print(console)
    console.print(reference_text(report), style="dim", markup=False, highlight=False)
