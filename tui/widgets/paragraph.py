"""The paragraph being coded, wrapped and scrollable, its neighbours dimmed around it."""

from __future__ import annotations

import re

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

KEYWORD_STYLE = "bold underline"


def highlighted(text: str, pattern: re.Pattern[str] | None) -> Text:
    """The text as a Rich Text (never parsed as markup: UN text has [brackets]) with keyword hints."""
    rich = Text(text)
    if pattern is not None:
        rich.highlight_regex(pattern, KEYWORD_STYLE)
    return rich


class ParagraphView(VerticalScroll):
    """Previous paragraph (dim), the current one, next paragraph (dim)."""

    can_focus = False

    def compose(self) -> ComposeResult:
        yield Static(id="previous", classes="context", markup=False)
        yield Static(id="current", markup=False)
        yield Static(id="next", classes="context", markup=False)

    def show(self, current: str, previous: str | None, following: str | None,
             pattern: re.Pattern[str] | None) -> None:
        """Show a paragraph; neighbours are hidden when None (off, or another document)."""
        for widget_id, text in (("#previous", previous), ("#next", following)):
            widget = self.query_one(widget_id, Static)
            widget.display = text is not None
            widget.update(Text(text or ""))
        self.query_one("#current", Static).update(highlighted(current, pattern))
        self.call_after_refresh(self._scroll_to_current)

    def _scroll_to_current(self) -> None:
        current = self.query_one("#current", Static)
        self.scroll_to(y=max(0, current.virtual_region.y - 1), animate=False)
