"""A virtual list: rows are fetched from the project a page at a time, only when drawn.

No widget holds the whole corpus (DESIGN.md 7.3): this draws a million rows as fast as ten,
because it only ever asks for the page under the viewport (toolong's `log_lines.py` pattern).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.keys import bindings

PAGE = 50
"""Rows read per query: a screenful or two (a document's row costs one lookup per paragraph)."""


class PagedList(ScrollView, can_focus=True):
    """Rows `fetch(offset, limit)` gives, drawn by `render_row`, with a cursor."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("paged-list")
    COMPONENT_CLASSES: ClassVar[set[str]] = {"paged-list--cursor"}

    cursor: reactive[int] = reactive(0)

    @dataclass
    class Selected(Message):
        """The user chose a row (enter or click)."""

        paged_list: PagedList
        index: int
        row: Any

    def __init__(self, count: int, fetch: Callable[[int, int], list[Any]],
                 render_row: Callable[[Any], Text], id: str | None = None) -> None:
        super().__init__(id=id)
        self.count = count
        self.fetch = fetch
        self.render_row = render_row
        self._pages: LRUCache[int, list[Any]] = LRUCache(maxsize=16)
        self._strips: LRUCache[tuple[int, bool, int, int], Strip] = LRUCache(maxsize=1000)
        self.virtual_size = Size(0, count)

    def row(self, index: int) -> Any | None:
        """The row at `index`, reading its page from the project on first use."""
        if not 0 <= index < self.count:
            return None
        page = index // PAGE
        rows = self._pages.get(page)
        if rows is None:
            rows = self.fetch(page * PAGE, PAGE)
            self._pages[page] = rows
        offset = index - page * PAGE
        return rows[offset] if offset < len(rows) else None

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        key = (index, index == self.cursor, width, int(self.scroll_offset.x))
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(index, *key[1:])
            self._strips[key] = strip
        return strip

    def _render_row(self, index: int, is_cursor: bool, width: int, scroll_x: int) -> Strip:
        row = self.row(index)
        base: Style = self.rich_style
        if row is None:
            return Strip.blank(width, base)
        text = self.render_row(row)
        text.no_wrap = True
        text.truncate(scroll_x + width, pad=True)
        style = base + self.get_component_rich_style("paged-list--cursor") if is_cursor else base
        segments = [Segment(s.text, style + s.style if s.style else style)
                    for s in text.render(self.app.console) if s.text != "\n"]
        return Strip(segments).crop(scroll_x, scroll_x + width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.scroll_to_region_of(new)

    def scroll_to_region_of(self, index: int) -> None:
        """Keep the cursor row inside the viewport."""
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height or 1
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.count - 1)) if self.count else 0

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - 1)

    def action_jump(self, index: int) -> None:
        self.cursor = self.count - 1 if index < 0 else index

    def action_select(self) -> None:
        row = self.row(self.cursor)
        if row is not None:
            self.post_message(self.Selected(self, self.cursor, row))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_offset.y) + event.y
        if 0 <= index < self.count:
            self.cursor = index
            self.action_select()
