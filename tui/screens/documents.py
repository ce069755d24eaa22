"""The document list: every document with this coder's progress (in a handed-out file, through
the paragraphs assigned to them), read a page at a time."""

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


def document_line(row: DocumentProgress, assigned: bool = False) -> Text:
    """`✓   12/40   id  title speaker (country) date`: done of its paragraphs, or with
    `assigned` done of the paragraphs assigned to the coder."""
    done, total = (row.assigned_done, row.assigned) if assigned else (row.done, row.paragraphs)
    mark = "✓" if total and done == total else " "
    fields = [row.title or "", row.speaker or "", f"({row.country})" if row.country else "", row.date or ""]
    style = "bold green" if mark == "✓" else "dim" if assigned and not total else "bold"
    return Text.assemble(
        (f"{mark} {done:>4}/{total:<4} ", style),
        (printable(row.document_id), "bold"), "  ", printable(" ".join(f for f in fields if f)),
    )


class DocumentsScreen(ModalScreen[int | None]):
    """Answers the `seq` to go to (the document's first paragraph not done), or None."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("documents")

    def __init__(self, project: Project, coder: str, current_document: str | None = None,
                 assigned: bool = False) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.current_document = current_document
        self.assigned = assigned
        """The coder has an assignment: count it, and open a document on its first assigned
        paragraph not done."""

    def compose(self) -> ComposeResult:
        count = self.project.document_count()
        with Vertical(classes="dialog wide", id="documents"):
            counted = "done/assigned paragraphs" if self.assigned else "done/paragraphs"
            yield Label(printable(f"Documents ({count:,}) — {counted} for {self.coder}"), classes="dialog-title",
                        markup=False)
            yield PagedList(count, lambda offset, limit: self.project.document_progress(self.coder, offset, limit),
                            lambda row: document_line(row, self.assigned), id="document-list")
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
        seq = ((self.assigned and self.project.first_not_done_in(self.coder, row.document_id, assigned=True))
               or self.project.first_not_done_in(self.coder, row.document_id) or row.first_seq)
        self.dismiss(seq)

    def action_cancel(self) -> None:
        self.dismiss(None)
