"""Full-text search (FTS5): type words, see the matching paragraphs, enter jumps to one."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from store import Project
from store import Hit, plural
from tui.keys import bindings
from tui.safe_text import printable
from tui.screens.jump_list import JumpListScreen

LIMIT = 100
"""Best hits shown; a narrower query finds the rest."""


MARKS = ("\x02", "\x03")
"""Around matched words in snippets: control characters, since UN text has [brackets] of its own."""


def hit_prompt(hit: Hit) -> Text:
    """`document ¶ position  …snippet…` with the matched words in bold (never parsed as markup)."""
    document, _, position = hit.paragraph_id.rpartition(":")
    line = Text(printable(f"{document} ¶{position}  "), style="bold")
    for i, part in enumerate(re.split("[\x02\x03]", " ".join(hit.snippet.split()))):
        line.append(printable(part), style="bold reverse" if i % 2 else "")
    return line


def as_you_type(query: str) -> str:
    """Treat the word being typed as a prefix (`stockp` finds `stockpile`) once it has 3 letters."""
    words = query.split()
    if words and not query.endswith((" ", '"', "*")) and len(words[-1]) >= 3 and query.count('"') % 2 == 0:
        return query + "*"
    return query


class SearchScreen(JumpListScreen):
    """Finds paragraphs by their words; answers the `seq` of the chosen one, or None."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("search")

    def __init__(self, project_path: Path, query: str = "") -> None:
        super().__init__()
        self.project_path = project_path
        self.query_text = query

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="search"):
            yield Label("Search paragraphs (all words; \"a phrase\"; prefix*)", classes="dialog-title")
            yield Input(self.query_text, placeholder="words to find", id="query")
            yield Label("", id="search-count", classes="dialog-hint")
            yield OptionList(id="hits", markup=False)
            yield Label("enter jump · down to the list · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        self.run_search(as_you_type(event.value))

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str) -> None:
        """Search on a connection of this thread (SQLite connections stay in their thread)."""
        with Project.open(self.project_path, verify=False) as project:  # the app checked it
            total, hits = project.search_counted(query, LIMIT, MARKS) if query.strip() else (0, [])
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_hits, query, hits, total)

    def show_hits(self, query: str, hits: list[Hit], total: int) -> None:
        """Replace the result list (called on the UI thread)."""
        results = self.query_one("#hits", OptionList)
        results.set_options(Option(hit_prompt(hit), id=str(hit.seq)) for hit in hits)
        if hits:
            results.highlighted = 0
        if total > len(hits):
            order = "the best" if total <= Project.RANK_LIMIT else "the first"
            label = f"{plural(total, 'paragraph')}, {order} {len(hits)} shown: add words to narrow"
        else:
            label = plural(total, "paragraph") if query.strip() else ""
        self.query_one("#search-count", Label).update(label)
