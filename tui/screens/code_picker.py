"""The picker: type part of a code's label, id or keywords, `enter` picks the highlighted code.

Reaches every code of a codebook too large for keys. Answers the code's id (the coding screen
toggles it, or opens a variable's levels as the variable's key does), or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from store import plural
from tui.code_index import CodeIndex, Entry
from tui.keys import bindings
from tui.safe_text import printable


def picker_line(entry: Entry, value: object, query: str, key: str | None) -> Text:
    """`[x] Label  · Parent › Parent  id  (key)`, the typed words marked in the label."""
    code = entry.code
    if code.kind == "code":
        box = ("[x] ", "bold green") if value == 1 else ("[ ] ", "dim")
    else:
        box = (f"{'=' + str(value) if value not in (None, '') else 'levels'} ", "bold" if value else "dim")
    label = Text(printable(code.label), style="bold")
    for word in query.lower().split():
        start = code.label.lower().find(word)
        if start >= 0:
            label.stylize("reverse", start, start + len(word))
    line = Text.assemble(box, label, no_wrap=True, overflow="ellipsis")
    if entry.path:
        line.append(f"  · {printable(entry.path)}", style="dim")
    line.append(f"  {code.id}", style="dim italic")
    if key:
        line.append(f"  ({key})", style="bold cyan")
    return line


class CodePicker(ModalScreen[str | None]):
    """Filter every code and variable by typing; up/down move, enter picks, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("picker")

    def __init__(self, index: CodeIndex, codings: dict[str, object], recent: Sequence[str],
                 keys: dict[str, str]) -> None:
        super().__init__()
        self.index = index
        self.codings = codings
        self.recent = recent
        self.keys = keys
        """Code id -> the key that toggles it on the coding screen, shown beside it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="picker"):
            variables = sum(1 for entry in self.index.entries if entry.code.kind != "code")
            counted = plural(len(self.index.entries) - variables, "code")
            if variables:
                counted += f" and {plural(variables, 'variable')}"
            yield Label(f"Pick a code ({counted}; recently used first)", classes="dialog-title")
            yield Input(placeholder="part of a label, id or keyword", id="picker-query")
            yield OptionList(id="picker-codes", markup=False)
            yield Label("", id="picker-count", classes="dialog-hint")
            yield Label("enter toggle (a variable: its levels) · ↑ ↓ move · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.show("")

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        self.show(event.value)

    def show(self, query: str) -> None:
        """List the best matches of `query`."""
        entries, total = self.index.search(query, self.recent)
        listing = self.query_one("#picker-codes", OptionList)
        listing.set_options(Option(picker_line(e, self.codings.get(e.code.id), query, self.keys.get(e.code.id)),
                                   id=e.code.id) for e in entries)
        if entries:
            listing.highlighted = 0
        more = f"; the first {len(entries)} shown, type more to narrow" if total > len(entries) else ""
        self.query_one("#picker-count", Label).update(f"{plural(total, 'match', 'matches')}{more}")

    def action_cursor(self, step: int) -> None:
        listing = self.query_one("#picker-codes", OptionList)
        if listing.option_count:
            current = listing.highlighted or 0
            listing.highlighted = max(0, min(listing.option_count - 1, current + step))

    @on(Input.Submitted)
    def submitted(self) -> None:
        option = self.query_one("#picker-codes", OptionList).highlighted_option
        if option is not None:
            self.dismiss(option.id)

    @on(OptionList.OptionSelected)
    def clicked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
