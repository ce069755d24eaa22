"""Small typed dialogs of the coding screen: the note editor and a variable's level chooser."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, TextArea
from textual.widgets.option_list import Option

from store import Code
from tui.keys import bindings
from tui.safe_text import printable

CLEAR = ""
"""What the level chooser answers for "no level" (None means the coder cancelled)."""


class NoteDialog(ModalScreen[str | None]):
    """Edit the paragraph's note; answers the new text, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("note")

    def __init__(self, note: str | None) -> None:
        super().__init__()
        self.note = note or ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Note on this paragraph", classes="dialog-title")
            # Shown, and so saved, as the coder sees it: a control character as its picture.
            yield TextArea(printable(self.note), id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Label("ctrl+s save · escape cancel · an empty note removes it", classes="dialog-hint")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LevelChooser(ModalScreen[str | None]):
    """Pick a variable's level: digits pick, 0 or backspace clears, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("level")

    def __init__(self, variable: Code, current: object) -> None:
        super().__init__()
        self.variable = variable
        self.current = current

    def compose(self) -> ComposeResult:
        options = [
            Option(Text.assemble((f"{i} ", "bold"), printable(level.label), (" ✓" if level.value == self.current else "")),
                   id=level.value)
            for i, level in enumerate(self.variable.levels, start=1)
        ]
        with Vertical(classes="dialog"):
            yield Label(printable(self.variable.label), classes="dialog-title", markup=False)
            yield OptionList(*options, id="levels", markup=False)
            yield Label("1-9 pick · 0 clear · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        levels = self.query_one(OptionList)
        values = [level.value for level in self.variable.levels]
        if self.current in values:
            levels.highlighted = values.index(str(self.current))
        levels.focus()

    def action_choose(self, number: int) -> None:
        if number == 0:
            self.dismiss(CLEAR)
        elif number <= len(self.variable.levels):
            self.dismiss(self.variable.levels[number - 1].value)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
