"""Rows of the project file as the API hands them out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    """A document of the corpus."""

    id: str
    title: str | None
    source: str | None
    speaker: str | None
    country: str | None
    date: str | None
    meta: str | None
    sha256: str
    position: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: the unit of coding."""

    id: str
    document_id: str
    position: int
    """1-based place in its document."""
    seq: int
    """1-based place in the whole corpus."""
    text: str
    sha256: str


@dataclass(frozen=True)
class Status:
    """A coder's state on one paragraph."""

    status: str | None
    flagged: bool
    note: str | None


@dataclass(frozen=True)
class NoteRow:
    """A coder's note or flag on one paragraph (`accord notes`)."""

    paragraph_id: str
    document_id: str
    coder: str
    flagged: bool
    note: str | None


@dataclass(frozen=True)
class Progress:
    """How far one coder is."""

    coder: str
    done: int
    total: int


@dataclass(frozen=True)
class Event:
    """One entry of the append-only audit log."""

    id: str
    at: str
    coder_id: str
    paragraph_id: str | None
    code_id: str | None
    action: str
    value: object
    previous: object
    undoes: str | None
    suggested: int | None = None
    """1/0: whether a suggestion was on screen when the coder made the change; None: no model."""


@dataclass(frozen=True)
class Hit:
    """A full-text search result."""

    paragraph_id: str
    seq: int
    document_id: str
    snippet: str


@dataclass(frozen=True)
class DocumentProgress:
    """One document with one coder's progress in it (the document list of the coding screen)."""

    document_id: str
    title: str | None
    speaker: str | None
    country: str | None
    date: str | None
    position: int
    first_seq: int | None
    """`seq` of its first paragraph (None for a document without paragraphs)."""
    paragraphs: int
    done: int
    assigned: int = 0
    """Of its paragraphs, those a handout assigned to the coder (0 when none were)."""
    assigned_done: int = 0
    """Of those, the ones the coder has done."""
