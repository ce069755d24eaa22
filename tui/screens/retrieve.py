"""Retrieval by code from the coding screen: name codes (all or any, and codes to leave out),
see the paragraphs the coder's codings give them, enter jumps to one (as search does).

The query is `accord retrieve`'s (exports/retrieval.py), on the coder's own codings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from store import AccordError, Project, plural
from tui.keys import bindings
from tui.safe_text import printable
from tui.screens.jump_list import JumpListScreen

SNIPPET = 160
"""Characters of each paragraph shown in the list."""


@dataclass(frozen=True)
class RetrieveQuery:
    """What the dialog asks, kept by the coding screen so that `R` again shows the same list."""

    codes: str = ""
    any_: bool = False
    exclude: str = ""


@dataclass(frozen=True)
class Match:
    seq: int
    prompt: Text


def prompt(paragraph_id: str, text: str, keywords: re.Pattern[str] | None) -> Text:
    """`document ¶ position  text…` with the codes' keywords marked (never parsed as markup)."""
    document, _, position = paragraph_id.rpartition(":")
    line = Text(printable(f"{document} ¶{position}  "), style="bold")
    body = Text(printable(" ".join(text.split())[:SNIPPET]))
    if keywords is not None:
        body.highlight_regex(keywords, style="bold reverse")
    return line.append_text(body)


class RetrieveScreen(JumpListScreen):
    """Answers the `seq` of the chosen paragraph, or None; `asked` holds the query."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("retrieve")

    def __init__(self, project_path: Path, coder: str, query: RetrieveQuery, after_seq: int = 0) -> None:
        super().__init__()
        self.project_path = project_path
        self.coder = coder
        self.asked = query
        self.after_seq = after_seq

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="retrieve"):
            yield Label(f"Retrieve paragraphs by code ({printable(self.coder)}'s codings, done paragraphs)",
                        classes="dialog-title", markup=False)
            yield Input(self.asked.codes, placeholder="codes, e.g. border_control wmd stance=supports", id="codes")
            yield Checkbox("any of them (else all)", self.asked.any_, id="any")
            yield Input(self.asked.exclude, placeholder="but not these codes", id="exclude")
            yield Label("", id="retrieve-count", classes="dialog-hint", markup=False)
            yield OptionList(id="hits", markup=False)
            yield Label("enter jump · down to the list · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#codes", Input).focus()
        self.run_query(self.asked)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    def changed(self) -> None:
        self.asked = RetrieveQuery(self.query_one("#codes", Input).value, self.query_one("#any", Checkbox).value,
                                   self.query_one("#exclude", Input).value)
        self.run_query(self.asked)

    @work(thread=True, exclusive=True, group="retrieve")
    def run_query(self, query: RetrieveQuery) -> None:
        """Query on a connection of this thread (SQLite connections stay in their thread)."""
        from exports.whose import DatasetSpec
        from exports.retrieval import Query, retrieve

        codes, exclude = _names(query.codes), _names(query.exclude)
        matches, message = [], ""
        if codes:
            try:
                with Project.open(self.project_path, verify=False) as project:  # the app checked it
                    found = retrieve(project, Query(codes, query.any_, exclude), DatasetSpec(coder=self.coder))
            except AccordError as error:
                message = str(error)
            else:
                matches = [Match(seq, prompt(str(pid), str(text), found.keywords))
                           for seq, pid, text in zip(found.seqs, found.rows["paragraph_id"], found.rows["text"],
                                                     strict=True)]
                message = plural(len(matches), "paragraph")
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show, matches, message)

    def show(self, matches: list[Match], message: str) -> None:
        """Replace the list (on the UI thread), on the first match after the paragraph shown."""
        results = self.query_one("#hits", OptionList)
        results.set_options(Option(match.prompt, id=str(match.seq)) for match in matches)
        if matches:
            results.highlighted = next((i for i, m in enumerate(matches) if m.seq > self.after_seq), 0)
        self.query_one("#retrieve-count", Label).update(printable(message))


def _names(text: str) -> tuple[str, ...]:
    """Codes as typed: separated by spaces or commas."""
    return tuple(part for part in re.split(r"[\s,]+", text) if part)
