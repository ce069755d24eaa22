"""The codebook as lists: key, state on this paragraph, sub-codes indented under a fold mark;
variables' levels.

The coding screen shows the codes and the variables in two lists, so that the variables stay in
view at 80x24 without scrolling the first codes away (and picking a level scrolls nothing).
A parent folds its sub-codes away (`-`, `*`, or a click on its ▾): with hundreds of codes the
list is then a page of parents.

Work per paragraph stays small with a large codebook: only rows whose state changed get a new
prompt, and OptionList's measure of every row's height (which it would redo for all rows on
each change) is kept while the changed row keeps its height.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.css.styles import RulesMap
from textual.geometry import Size
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
FOLDED, UNFOLDED, LEAF = "▸ ", "▾ ", "  "
"""The fold mark that starts each row of a list with sub-codes (first, so that the digit, key
and box of every row stay as they are)."""


def prompt(row: Row, value: object, levels: dict[str, str], level_width: int = LEVEL_WIDTH,
           mark: str = "", hidden: int = 0, suggestion: Suggestion | None = None) -> Text:
    """One line: `1 b [x] Label` for a code, after its fold mark (in a list with sub-codes: a
    folded parent says how many it hides), `  s Supports  Label` for a variable; a model's
    suggestion adds `◆ 87 %` (and the level, for a variable) after the label."""
    keys = f"{row.digit or ' '} {row.key or ' '} "
    indent = "  " * row.depth
    hint = _hint(suggestion, levels)
    if row.code.kind == "code":
        box = ("[x] ", "bold green") if value == 1 else ("[ ] ", "dim")
        folded = (f" +{hidden}", "dim") if hidden else ""
        return Text.assemble((mark, "bold"), (keys, "bold"), indent, box, printable(row.code.label), folded, hint)
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
    """Codes or variables; only rows whose state changed are redrawn; parents fold.

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
        self.descendants = self._count_descendants()
        """Row index -> how many rows below it are its sub-codes (0 for a leaf)."""
        self.has_parents = any(self.descendants)
        self.folded: set[int] = set()
        """Row indexes of folded parents."""
        self.index_of = {row.code.id: i for i, row in enumerate(rows)}
        self.shown: list[int] = list(range(len(rows)))
        """Row index of each option, in order (folded sub-codes have none)."""
        self._option_of_row = {i: i for i in self.shown}
        self._measured: tuple[int, int] | None = None
        super().__init__(*self._make_options(), id=id, markup=False)

    def _count_descendants(self) -> list[int]:
        counts = [0] * len(self.rows)
        open_parents: list[int] = []
        for i, row in enumerate(self.rows):
            while open_parents and self.rows[open_parents[-1]].depth >= row.depth:
                open_parents.pop()
            for parent in open_parents:
                counts[parent] += 1
            open_parents.append(i)
        return counts

    def _make_options(self) -> list[Option]:
        return [Option(self._prompt(i), id=self.rows[i].code.id) for i in self.shown]

    def _prompt(self, index: int) -> Text:
        row = self.rows[index]
        mark = "" if not self.has_parents else LEAF if not self.descendants[index] else (
            FOLDED if index in self.folded else UNFOLDED)
        hidden = self.descendants[index] if index in self.folded else 0
        return prompt(row, self.values[index], self.levels[row.code.id], self.level_width, mark, hidden,
                      self.hints[index])

    def show(self, codings: dict[str, object], suggestions: dict[str, Suggestion] | None = None) -> None:
        """Show this coder's values on the current paragraph, and the model's suggestions."""
        for index, row in enumerate(self.rows):
            value = codings.get(row.code.id)
            hint = (suggestions or {}).get(row.code.id)
            if value != self.values[index] or hint != self.hints[index]:
                self.values[index] = value
                self.hints[index] = hint
                if (position := self._option_of_row.get(index)) is not None:
                    self.replace_option_prompt_at_index(position, self._prompt(index))

    def show_code(self, code_id: str) -> None:
        """Highlight a code of this list (scrolling it into view, unfolding its parents), as
        when its key was pressed."""
        index = self.index_of.get(code_id)
        if index is None:
            return
        if index not in self._option_of_row:
            self.folded -= {p for p in self.folded if p < index <= p + self.descendants[p]}
            self._reshow()
        if self._option_of_row[index] != self.highlighted:
            self.highlighted = self._option_of_row[index]

    # -- folding -----------------------------------------------------------------------------

    def parent_of(self, index: int) -> int | None:
        """The row of the nearest parent of row `index` (itself when it has sub-codes)."""
        for i in range(index, -1, -1):  # depth-first rows: the first subtree that covers it is the nearest
            if self.descendants[i] and i + self.descendants[i] >= index:
                return i
        return None

    def toggle_fold(self) -> None:
        """Fold the highlighted code's sub-codes (or its parent's, from a sub-code), or unfold them."""
        if self.highlighted is None:
            return
        parent = self.parent_of(self.shown[self.highlighted])
        if parent is not None:
            self.folded ^= {parent}
            self._reshow(parent)

    def toggle_fold_all(self) -> None:
        """Fold every parent; when all are folded already, unfold them all."""
        parents = {i for i, count in enumerate(self.descendants) if count}
        keep = self.shown[self.highlighted] if self.highlighted is not None else None
        self.folded = set() if self.folded >= parents else parents
        top = keep
        while top is not None and top > 0 and self.rows[top].depth > 0:  # its top-level code stays shown
            top -= 1
        self._reshow(top if self.folded else keep)

    def _reshow(self, highlight: int | None = None) -> None:
        """Rebuild the options after a fold; the highlight stays on `highlight` (a row index)."""
        shown: list[int] = []
        index = 0
        while index < len(self.rows):
            shown.append(index)
            index += 1 + (self.descendants[index] if index in self.folded else 0)
        self.shown = shown
        self._option_of_row = {row: position for position, row in enumerate(shown)}
        scroll = self.scroll_y
        self._measured = None
        self.set_options(self._make_options())
        self.scroll_to(y=scroll, animate=False, immediate=True)
        if highlight is not None and highlight in self._option_of_row:
            self.highlighted = self._option_of_row[highlight]

    async def _on_click(self, event: events.Click) -> None:
        """A click on a parent's ▾ or ▸ folds or unfolds it; elsewhere the row is toggled."""
        clicked: int | None = event.style.meta.get("option")
        if clicked is not None and self.descendants[self.shown[clicked]]:
            column = event.x - self.styles.padding.left - self.get_component_styles("option-list--option").padding.left
            if column + self.scroll_x < len(UNFOLDED):
                event.prevent_default()  # OptionList's own handler (which would toggle the code) runs after
                self.highlighted = clicked
                self.toggle_fold()

    # -- OptionList measures every row after each change; keep what still holds --------------

    def _replace_option_prompt(self, index: int, prompt: object) -> None:
        option = self.get_option_at_index(index)
        cache = getattr(self, "_line_cache", None)
        height = cache.heights.get(index) if cache is not None else None
        option._set_prompt(prompt)  # type: ignore[arg-type]
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width() - padding.width
        rules = cast(RulesMap, self.styles)
        if height is None or self._get_visual(option).get_height(rules, width) != height:
            self._clear_caches()
            return
        self._option_render_cache.clear()  # the drawn rows on screen: a few, drawn again
        self.refresh()

    def _clear_caches(self) -> None:
        self._measured = None
        super()._clear_caches()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Called at each layout of the side panel (every paragraph): measuring every row then
        # costs in proportion to the codebook. The rows' heights change only with the options.
        if self._measured is None or self._measured[0] != width:
            self._measured = (width, super().get_content_height(container, viewport, width))
        return self._measured[1]
