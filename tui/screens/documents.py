"""The document list: every document with this coder's progress, read a page at a time."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label

from store import Project
from store import DocumentProgress
from tui.keys import bindings
from tui.widgets.paged_list import PagedList
from tui.safe_text import printable


def document_line(row: DocumentProgress) -> Text:
    """`  12/40 ■■□  id · title · speaker (country) · date`."""
    mark = "✓" if row.paragraphs and row.done == row.paragraphs else " "
    fields = [row.title or "", row.speaker or "", f"({row.country})" if row.country else "", row.date or ""]
    return Text.assemble(
        (f"{mark} {row.done:>4}/{row.paragraphs:<4} ", "bold green" if mark == "✓" else "bold"),
        (printable(row.document_id), "bold"), "  ", printable(" ".join(f for f in fields if f)),
    )


class DocumentsScreen(ModalScreen[int | None]):
    """Answers the `seq` to go to (the document's first paragraph not done), or None."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("documents")

    def __init__(self, project: Project, coder: str, current_document: str | None = None) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.current_document = current_document

    def compose(self) -> ComposeResult:
        count = self.project.document_count()
        with Vertical(classes="dialog wide", id="documents"):
            yield Label(f"Documents ({count:,}) — done/paragraphs for {self.coder}", classes="dialog-title")
            yield PagedList(count, lambda offset, limit: self.project.document_progress(self.coder, offset, limit),
                            document_line, id="document-list")
            yield Label("enter open · escape cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        listing = self.query_one(PagedList)
        listing.focus()
        if self.current_document is not None:
            position = self.project.document(self.current_document).position
            listing.cursor = self.project.document_index(position)

    @on(PagedList.Selected)
    def chosen(self, event: PagedList.Selected) -> None:
        row: DocumentProgress = event.row
        seq = self.project.first_not_done_in(self.coder, row.document_id) or row.first_seq
        self.dismiss(seq)

    def action_cancel(self) -> None:
        self.dismiss(None)
