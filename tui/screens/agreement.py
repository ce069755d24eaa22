"""The agreement screen: the table of `accord agree`, and the paragraphs on which coders split.

The report is computed in a worker thread that opens its own connection (SQLite connections
belong to their thread) and posts it back; the screen only draws.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from exports.reliability import SHOWN_SPLITS, CodeReliability, ReliabilityReport, Split
from exports.report_columns import fmt, shown_columns
from store import plural
from tui.keys import bindings
from tui.safe_text import printable

VERDICT_STYLES = {"reliable": "green", "tentative": "yellow", "inconclusive": "magenta", "unreliable": "red",
                  "undefined": "dim"}
PREVIEW_CHARACTERS = 160
"""How much of a split paragraph its row shows (two lines at 100 columns), cut between words."""


def preview(text: str) -> str:
    """The start of a paragraph in whole words, wrapped by the list; enter shows all of it."""
    return textwrap.shorten(text, PREVIEW_CHARACTERS, placeholder=" …")


class SplitParagraph(ModalScreen[None]):
    """One paragraph on which coders split: its text and each coder's value."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("split")

    def __init__(self, code: CodeReliability, split: Split, text: str) -> None:
        super().__init__()
        self.code, self.split, self.text = code, split, text

    def compose(self) -> ComposeResult:
        values = printable("   ".join(f"{coder}: {value}" for coder, value in self.split.values.items()))
        with Vertical(classes="dialog wide", id="split-paragraph"):
            yield Label(printable(f"{self.code.label} ({self.code.code}) · {self.split.paragraph_id}"), classes="dialog-title",
                        markup=False)
            yield Static(values, id="split-values", markup=False)
            with VerticalScroll():
                yield Static(printable(self.text or "(text not loaded)"), id="split-text", markup=False)
            yield Label("escape close", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class AgreementScreen(Screen[None]):
    """Agreement per code; the highlighted code's split paragraphs below, enter opens one."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("agreement")

    @dataclass
    class Ready(Message):
        """The report has been computed (posted by the worker)."""

        report: ReliabilityReport

    def __init__(self, project_path: Path, replicates: int = 1000, seed: int = 0, *, codes: list[str] | None = None,
                 coders: list[str] | None = None, documents: list[str] | None = None) -> None:
        """`codes`, `coders`, `documents`: which to measure, as for `reliability_report`."""
        super().__init__()
        self.project_path = Path(project_path)
        self.replicates, self.seed = replicates, seed
        self.codes, self.coders, self.documents = codes, coders, documents
        self.report: ReliabilityReport | None = None

    def compose(self) -> ComposeResult:
        yield Static("Measuring agreement…", id="agreement-title", markup=False)
        yield DataTable(id="agreement-codes", cursor_type="row", zebra_stripes=True)
        yield Static("", id="agreement-verdict", markup=False)
        yield Label("Paragraphs on which coders split", id="agreement-splits-title")
        yield OptionList(id="agreement-splits")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.compute()

    @work(thread=True, exclusive=True)
    def compute(self) -> None:
        from exports.reliability import reliability_report
        from store import Project

        with Project.open(self.project_path) as project:
            report = reliability_report(project, codes=self.codes, coders=self.coders, documents=self.documents,
                                        replicates=self.replicates, seed=self.seed)
        self.post_message(self.Ready(report))

    @on(Ready)
    def show(self, message: Ready) -> None:
        self.report = report = message.report
        coefficients = shown_columns()
        columns = ["Code", "Units", "Prev.", *(column.header for column in coefficients), "Verdict"]
        rows = [
            [c.code, f"{c.units:,}", fmt(c.prevalence), *(column.text(c) for column in coefficients), c.verdict]
            for c in report.codes
        ] or [columns]
        self.query_one("#agreement-title", Static).update(
            f"Agreement over {plural(report.units, 'paragraph')} done by two or more of {plural(len(report.coders), 'coder')} "
            + printable(f"({', '.join(report.coders) or 'none'})")
        )
        table = self.query_one(DataTable)
        for index, name in enumerate(columns):  # added with the rows, so that each column takes its content's width
            table.add_column(name, width=max(len(name), *(len(row[index]) for row in rows)))
        for c in report.codes:
            cells = next(row for row in rows if row[0] == c.code)
            table.add_row(*cells[:-1], Text(c.verdict, style=VERDICT_STYLES[c.verdict]), key=c.code)
        table.focus()
        if report.codes:
            self.show_splits(report.codes[0])

    @on(DataTable.RowHighlighted)
    def highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.report is not None and event.row_key.value is not None:
            self.show_splits(self.code(event.row_key.value))

    def code(self, code_id: str) -> CodeReliability:
        assert self.report is not None
        return next(c for c in self.report.codes if c.code == code_id)

    def show_splits(self, code: CodeReliability) -> None:
        assert self.report is not None
        self.shown = code
        why = code.verdict_reason or code.alpha.reason  # the same words as the reports' notes
        self.query_one("#agreement-verdict", Static).update(Text.assemble(
            (f"{code.code}: {code.verdict}", VERDICT_STYLES[code.verdict]), f": {why}" if why else "",
            (f" · {code.warning}", "yellow") if code.warning else ""))
        listing = self.query_one(OptionList)
        listing.clear_options()
        rows = code.splits.rows(SHOWN_SPLITS)
        listing.add_options([
            Option(Text.assemble((printable(split.paragraph_id), "bold"), "  ",
                                 printable("  ".join(f"{k}: {v}" for k, v in split.values.items())), "  ",
                                 (printable(preview(self.report.texts.get(split.paragraph_id, ""))), "dim")),
                   id=split.paragraph_id)
            for split in rows
        ])
        more = f" (first {SHOWN_SPLITS}; all in accord agree --format json)" if len(code.splits) > SHOWN_SPLITS else ""
        self.query_one("#agreement-splits-title", Label).update(
            f"{code.code}: coders split on {plural(len(code.splits), 'paragraph')}{more}" if len(code.splits)
            else f"{code.code}: coders never split"
        )

    @on(DataTable.RowSelected)
    def to_splits(self, event: DataTable.RowSelected) -> None:
        listing = self.query_one(OptionList)
        if listing.option_count:
            listing.focus()
            if listing.highlighted is None:
                listing.highlighted = 0

    @on(OptionList.OptionSelected)
    def open_split(self, event: OptionList.OptionSelected) -> None:
        assert self.report is not None
        split = next(s for s in self.shown.splits.rows(SHOWN_SPLITS) if s.paragraph_id == event.option.id)
        self.app.push_screen(SplitParagraph(self.shown, split, self.report.texts.get(split.paragraph_id, "")))

    def action_leave(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()

