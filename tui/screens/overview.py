"""The lead's screen: the code matrix and co-occurrence as heat-coloured tables; enter on a cell
lists the paragraphs behind its count, enter on one shows its text.

The overview is computed in a worker thread that opens its own connection (SQLite connections
belong to their thread) and posts it back; the screen only draws and looks up texts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Label, OptionList, Static
from textual.widgets.option_list import Option

from exports.overview import Overview
from store import AccordError, Project, plural
from tui.keys import bindings
from tui.safe_text import printable
from tui.screens.agreement import preview

LISTED = 500
"""Paragraphs a drill-down lists; the count says how many in all."""
SHOWN_GROUPS = 200
"""Groups the code matrix shows at most, as columns: those with the most done paragraphs, in
their order. A table of 6,689 documents' columns (100,000 paragraphs by document) took 20 s of
CPU to build and seconds per keypress; nobody scrolls through them. The report files have all."""
LOW, HIGH = (236, 243, 255), (8, 69, 148)
"""The heat scale's ends: a pale and a deep blue, legible on dark and light terminals alike."""


def heat(text: str, level: float) -> Text:
    """A cell whose background deepens with `level` (0..1; NaN: no colour)."""
    if math.isnan(level):
        return Text(text, style="dim")
    level = min(max(level, 0.0), 1.0)
    r, g, b = (round(lo + (hi - lo) * level) for lo, hi in zip(LOW, HIGH, strict=True))
    return Text(text, style=f"{'white' if level > 0.45 else 'black'} on rgb({r},{g},{b})", justify="right")


class OverviewParagraph(ModalScreen[None]):
    """One paragraph behind a count: where it is, who coded it, its text."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("overview-paragraph")

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.heading, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="overview-paragraph"):
            yield Label(printable(self.heading), classes="dialog-title", markup=False)
            with VerticalScroll():
                yield Static(printable(self.text), markup=False)
            yield Label("escape close", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class OverviewScreen(Screen[None]):
    """The code matrix above co-occurrence; the paragraphs of the chosen cell below."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("overview")

    @dataclass
    class Ready(Message):
        """The overview has been computed (posted by the worker), or could not be."""

        overview: Overview | None
        problem: str = ""

    def __init__(self, project_path: Path, whose: str = "coder", coder: str | None = None,
                 by: str | None = None, verified: bool = False) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.whose, self.coder, self.by = whose, coder, by
        self.verified = verified
        """The caller has checked the file's pages (store/integrity.py) in this process just now."""
        self.overview: Overview | None = None
        self.shown: list[int] = []
        """The groups the matrix shows, column by column after `code` and `all`."""
        self.listed: list[tuple[str, str | None]] = []

    def compose(self) -> ComposeResult:
        yield Static("Counting…", id="overview-title", markup=False)
        yield Label("Code matrix: done paragraphs where each code applies (colour: share of the done)",
                    classes="overview-caption", id="overview-matrix-caption")
        yield DataTable(id="overview-matrix", cursor_type="cell", zebra_stripes=False)
        yield Label("Co-occurrence: done paragraphs where both apply (colour: Jaccard)", classes="overview-caption")
        yield DataTable(id="overview-cooccurrence", cursor_type="cell", zebra_stripes=False)
        yield Label("Enter on a count lists its paragraphs here", id="overview-paragraphs-title",
                    classes="overview-caption")
        yield OptionList(id="overview-paragraphs")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.compute()

    @work(thread=True, exclusive=True)
    def compute(self) -> None:
        from exports.overview import build_overview

        try:
            with Project.open(self.project_path, verify=not self.verified) as project:
                overview = build_overview(project, self.whose, self.coder, self.by)
        except AccordError as error:
            self.post_message(self.Ready(None, str(error)))
            return
        self.post_message(self.Ready(overview))

    @on(Ready)
    def show(self, message: Ready) -> None:
        title = self.query_one("#overview-title", Static)
        if message.overview is None:
            title.update(printable(message.problem))
            return
        self.overview = o = message.overview
        done, rows = int(o.done.sum()), int(o.paragraphs.sum())
        title.update(printable(f"Overview of {o.described()}" + (f", by {o.by}" if o.by else "")
                               + f" · {done:,} done of {plural(rows, 'paragraph' if o.by != 'coder' else 'row')}"
                               + f" · {o.flagged.sum():,} flagged · {o.missing_required.sum():,} missing a required variable"))
        matrix = self.query_one("#overview-matrix", DataTable)
        matrix.add_column("code", key="code")
        matrix.add_column("all", key="all")
        self.shown = sorted(np.argsort(-o.done, kind="stable")[:SHOWN_GROUPS].tolist()) if o.groups else []
        if len(self.shown) < len(o.groups):
            self.query_one("#overview-matrix-caption", Label).update(
                f"Code matrix of the {len(self.shown):,} of {len(o.groups):,} groups with the most done paragraphs "
                "(-o FILE writes all): done paragraphs where each code applies (colour: share of the done)")
        for i in self.shown:
            matrix.add_column(printable(o.groups[i]), key=f"group{i}")
        shares = o.shares()
        for j, entry in enumerate(o.entries):
            total = int(o.total[j])
            matrix.add_row(printable(entry.name), heat(f"{total:,}", total / done if done else math.nan),
                           *(heat(f"{int(o.counts[i, j]):,}", float(shares[i, j])) for i in self.shown),
                           key=entry.name)
        table = self.query_one("#overview-cooccurrence", DataTable)
        table.add_column("code", key="code")
        for code in o.codes:
            table.add_column(printable(code), key=code)
        jaccard = o.jaccard()
        for i, code in enumerate(o.codes):
            table.add_row(printable(code), *(heat(f"{int(o.cooccurrence[i, k]):,}", float(jaccard[i, k]))
                                             for k in range(len(o.codes))), key=code)
        matrix.focus()

    @on(DataTable.CellSelected)
    def drill(self, event: DataTable.CellSelected) -> None:
        if self.overview is None:
            return
        row, column = event.coordinate.row, event.coordinate.column
        if event.data_table.id == "overview-matrix":
            if column == 0:
                return
            entry = self.overview.entries[row]
            group = None if column == 1 else self.shown[column - 2]
            where = "" if group is None else f" in {self.overview.groups[group]}"
            self.list_paragraphs(f"{entry.name}{where}", self.overview.behind(row, group))
        else:
            if column == 0:
                return
            codes = self.overview.codes
            self.list_paragraphs(f"{codes[row]} with {codes[column - 1]}", self.overview.behind(row, other=column - 1))

    def list_paragraphs(self, what: str, behind: list[tuple[str, str | None]]) -> None:
        self.listed = behind[:LISTED]
        # The file was checked when the overview was counted: a drill-down need not read it all again.
        with Project.open(self.project_path, verify=False) as project:
            texts = project.paragraph_texts(list(dict.fromkeys(pid for pid, _ in self.listed)))
        listing = self.query_one("#overview-paragraphs", OptionList)
        listing.clear_options()
        listing.add_options([
            Option(Text.assemble((printable(pid), "bold"), "  ", (printable(coder), "italic") if coder else "",
                                 "  " if coder else "", (printable(preview(texts[pid])), "dim")),
                   id=pid if coder is None else f"{pid}\t{coder}")  # one row per coder with --by coder
            for pid, coder in self.listed
        ])
        first = f" (the first {LISTED:,})" if len(behind) > LISTED else ""
        self.query_one("#overview-paragraphs-title", Label).update(
            printable(f"{what}: {plural(len(behind), 'paragraph')}{first}"))
        if listing.option_count:
            listing.focus()
            listing.highlighted = 0

    @on(OptionList.OptionSelected)
    def open_paragraph(self, event: OptionList.OptionSelected) -> None:
        pid, _, coder = str(event.option.id).partition("\t")
        with Project.open(self.project_path, verify=False) as project:
            paragraph = project.paragraph(pid)
        self.app.push_screen(OverviewParagraph(f"{pid}" + (f" · {coder}" if coder else ""), paragraph.text))

    def action_leave(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()
