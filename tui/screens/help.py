"""The help screen: the codebook's instructions for coders and every key of the coding screen."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Markdown, Static

from tui.codebook_view import CodebookView
from tui.keys import bindings
from tui.safe_text import printable


def keys_table(bindings: list[tuple[str, str]], view: CodebookView) -> Table:
    """Screen keys, then each code's keys."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for key, description in bindings:
        table.add_row(key, description)
    for row in view.rows:
        keys = " ".join(k for k in (row.digit, row.key) if k)
        if keys:
            action = "toggle" if row.code.kind == "code" else "choose a level of"
            table.add_row(keys, Text(printable(f"{action} {row.code.label}")))  # a label is data, never markup
    return table


class HelpScreen(ModalScreen[None]):
    """Instructions and keys; any of escape, ? or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("help")

    def __init__(self, view: CodebookView, bindings: list[tuple[str, str]]) -> None:
        super().__init__()
        self.view = view
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        codebook = self.view.codebook
        with VerticalScroll(classes="dialog wide", id="help"):
            yield Label(printable(f"{codebook.title} {codebook.version}".strip()), classes="dialog-title", markup=False)
            # Markdown re-flows the codebook's hard-wrapped lines and numbered lists to the width.
            yield Markdown(printable(codebook.instructions.strip()) or "This codebook has no instructions.",
                           id="instructions")
            yield Label("Keys", classes="dialog-title")
            yield Static(keys_table(self.bindings, self.view), id="keys")
            yield Label("escape close", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
