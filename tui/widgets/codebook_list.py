"""The codebook as lists: key, state on this paragraph, sub-codes indented; variables' levels.

The coding screen shows the codes and the variables in two lists, so that the variables stay in
view at 80x24 without scrolling the first codes away (and picking a level scrolls nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.codebook_view import Row
from tui.keys import bindings
from tui.safe_text import printable

if TYPE_CHECKING:
    from exports.suggest.suggester import Suggestion

LEVEL_WIDTH = 12
"""Columns kept for a variable's level before its label: the level must survive a narrow side
panel, where the end of a long label is cut."""


def prompt(row: Row, value: object, levels: dict[str, str], level_width: int = LEVEL_WIDTH,
           suggestion: Suggestion | None = None) -> Text:
    """One line: `1 b [x] Label` for a code, `  s Supports  Label` for a variable; a model's
    suggestion adds `◆ 87 %` (and the level, for a variable) after the label."""
    keys = f"{row.digit or ' '} {row.key or ' '} "
    indent = "  " * row.depth
    hint = _hint(suggestion, levels)
    if row.code.kind == "code":
        box = ("[x] ", "bold green") if value == 1 else ("[ ] ", "dim")
        return Text.assemble((keys, "bold"), indent, box, printable(row.code.label), hint)
    level = printable(levels.get(str(value), "—")) if value is not None else "—"
    if len(level) > level_width:
        level = level[: level_width - 1] + "…"
    style = "bold" if value is not None else "dim"
    return Text.assemble((keys, "bold"), indent, (level.ljust(level_width), style), " ", printable(row.code.label),
                         hint)


def _hint(suggestion: Suggestion | None, levels: dict[str, str]) -> Text:
    """The model's suggestion, drawn apart from the coder's own value (never applied)."""
    if suggestion is None:
        return Text()
    level = f" {printable(levels.get(suggestion.level, suggestion.level))}" if suggestion.level is not None else ""
    return Text(f"  ◆{level} {suggestion.probability:.0%}", style="italic cyan")


class CodebookList(OptionList, inherit_bindings=False):
    """Codes or variables; only rows whose state changed are redrawn.

    Only up/down/home/end are its own: enter, left/right and page keys belong to the screen.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("codebook-list")

    def __init__(self, rows: list[Row], id: str | None = None) -> None:
        self.rows = rows
        self.levels = {row.code.id: {level.value: level.label for level in row.code.levels} for row in rows}
        self.level_width = min(LEVEL_WIDTH, max((len(label) for levels in self.levels.values()
                                                 for label in levels.values()), default=1))
        self.values: list[object] = [None] * len(self.rows)
        self.hints: list[Suggestion | None] = [None] * len(self.rows)
        options = [Option(self._prompt(row, None), id=row.code.id) for row in self.rows]
        super().__init__(*options, id=id, markup=False)

    def show(self, codings: dict[str, object], suggestions: dict[str, Suggestion] | None = None) -> None:
        """Show this coder's values on the current paragraph, and the model's suggestions."""
        for index, row in enumerate(self.rows):
            value = codings.get(row.code.id)
            hint = (suggestions or {}).get(row.code.id)
            if value != self.values[index] or hint != self.hints[index]:
                self.values[index] = value
                self.hints[index] = hint
                self.replace_option_prompt_at_index(index, self._prompt(row, value, hint))

    def _prompt(self, row: Row, value: object, hint: Suggestion | None = None) -> Text:
        return prompt(row, value, self.levels[row.code.id], self.level_width, hint)

    def show_code(self, code_id: str) -> None:
        """Highlight a code of this list (scrolling it into view), as when its key was pressed."""
        index = next((i for i, row in enumerate(self.rows) if row.code.id == code_id), None)
        if index is not None and index != self.highlighted:
            self.highlighted = index
