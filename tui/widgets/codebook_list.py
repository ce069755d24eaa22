"""The codebook as a list: key, state on this paragraph, sub-codes indented, variables' levels."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.codebook_view import CodebookView, Row
from tui.keys import bindings


def prompt(row: Row, value: object, levels: dict[str, str]) -> Text:
    """One line: `1 b [x] Label` for a code, `s  Label: level` for a variable."""
    keys = f"{row.digit or ' '} {row.key or ' '} "
    indent = "  " * row.depth
    if row.code.kind == "code":
        box = ("[x] ", "bold green") if value == 1 else ("[ ] ", "dim")
        return Text.assemble((keys, "bold"), indent, box, row.code.label)
    level = levels.get(str(value), "—") if value is not None else "—"
    return Text.assemble((keys, "bold"), indent, "    ", row.code.label, ": ", (level, "bold"))


class CodebookList(OptionList, inherit_bindings=False):
    """Codes and variables; only rows whose state changed are redrawn.

    Only up/down/home/end are its own: enter, left/right and page keys belong to the screen.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("codebook-list")

    def __init__(self, view: CodebookView, id: str | None = None) -> None:
        self.rows = view.rows
        self.levels = {row.code.id: {level.value: level.label for level in row.code.levels} for row in view.rows}
        self.values: list[object] = [None] * len(self.rows)
        options = [Option(prompt(row, None, self.levels[row.code.id]), id=row.code.id) for row in self.rows]
        super().__init__(*options, id=id, markup=False)

    def show(self, codings: dict[str, object]) -> None:
        """Show this coder's values on the current paragraph."""
        for index, row in enumerate(self.rows):
            value = codings.get(row.code.id)
            if value != self.values[index]:
                self.values[index] = value
                self.replace_option_prompt_at_index(index, prompt(row, value, self.levels[row.code.id]))

    def show_code(self, code_id: str) -> None:
        """Highlight a code (scrolling it into view), as when its key was pressed."""
        index = next((i for i, row in enumerate(self.rows) if row.code.id == code_id), None)
        if index is not None and index != self.highlighted:
            self.highlighted = index
