"""The paragraph being coded, wrapped and scrollable, its neighbours dimmed around it."""

from __future__ import annotations

import re

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static
from tui.safe_text import printable

KEYWORD_STYLE = "bold underline"


def highlighted(text: str, pattern: re.Pattern[str] | None) -> Text:
    """The text as a Rich Text (never parsed as markup: UN text has [brackets]) with keyword hints."""
    rich = Text(printable(text))  # one character for one: the keyword spans stay in place
    if pattern is not None:
        rich.highlight_regex(pattern, KEYWORD_STYLE)
    return rich


class ParagraphView(VerticalScroll):
    """Previous paragraph (dim), the current one, next paragraph (dim)."""

    can_focus = False
    shown: tuple[str, str | None, str | None, re.Pattern[str] | None] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="previous", classes="context", markup=False)
        yield Static(id="current", markup=False)
        yield Static(id="next", classes="context", markup=False)

    def show(self, current: str, previous: str | None, following: str | None,
             pattern: re.Pattern[str] | None) -> None:
        """Show a paragraph; neighbours are hidden when None (off, or another document).

        Only the end of the previous paragraph and the start of the next are shown, so that
        the paragraph being coded always starts near the top without scrolling (a scroll after
        layout would cost a second frame on every key). A tall terminal shows more of them
        (an eighth of its height each), rather than leaving the column below empty.
        """
        self.shown = (current, previous, following, pattern)
        lines = max(CONTEXT_LINES, self.app.size.height // 8)
        room = lines * max(20, self.scrollable_content_region.width)
        for widget_id, text in (("#previous", previous and tail(previous, room)),
                                ("#next", following and head(following, room))):
            widget = self.query_one(widget_id, Static)
            widget.display = text is not None
            widget.update(Text(printable(text or "")))
        self.query_one("#current", Static).update(highlighted(current, pattern))
        self.scroll_to(y=0, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        """The context cut depends on the width: redo it once the real width is known (the first
        paragraph is shown before layout) and when the terminal changes size."""
        if self.shown is not None:
            self.show(*self.shown)


CONTEXT_LINES = 3
"""About how many lines of each neighbouring paragraph to show at least (80x24)."""


def tail(text: str, length: int) -> str:
    """The last `length` characters or so, from a word boundary, with an ellipsis."""
    if len(text) <= length:
        return text
    cut = text[-length:]
    return "…" + cut[cut.find(" ") + 1:] if " " in cut else "…" + cut


def head(text: str, length: int) -> str:
    """The first `length` characters or so, to a word boundary, with an ellipsis."""
    if len(text) <= length:
        return text
    cut = text[:length]
    return (cut[: cut.rfind(" ")] if " " in cut else cut) + "…"
