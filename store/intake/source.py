"""What a reader hands to the project: one document, already split into paragraphs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from store.errors import Problem


def sha256_text(text: str) -> str:
    """Hex SHA-256 of a text encoded as UTF-8 (the content hash kept beside every id)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class SourceDocument:
    """A document read from a file or a row, ready to import."""

    id: str
    """Stable id: the file name's stem, or the row's id column. Same files, same id, on every laptop."""
    paragraphs: list[str]
    """The paragraphs in order, each one line of clean text."""
    source: str = ""
    """Where it came from (path, and row for tables)."""
    title: str | None = None
    speaker: str | None = None
    country: str | None = None
    date: str | None = None
    meta: dict[str, object] = field(default_factory=dict)
    """Other metadata columns, kept as JSON."""

    # Both hashes are computed once, where the document is read (a reading worker process sends
    # them along): the process that writes the project is an import's bottleneck. A document is
    # not changed once read.
    @cached_property
    def sha256(self) -> str:
        """Hash of the paragraphs: what tells a changed re-import from an unchanged one."""
        return sha256_text("\n\n".join(self.paragraphs))

    @cached_property
    def paragraph_hashes(self) -> list[str]:
        """`sha256_text` of each paragraph, in order."""
        return [sha256_text(text) for text in self.paragraphs]

    def compute_hashes(self) -> None:
        """Compute both hashes now: they are kept, and pickled with the document."""
        _ = (self.sha256, self.paragraph_hashes)


@dataclass(frozen=True)
class SourceFile:
    """A file to read and the id its document(s) will get."""

    path: Path
    id: str


@dataclass(frozen=True)
class ReadOptions:
    """How the researcher asked files to be read (`accord import` options)."""

    text_column: str | None = None
    """For tables, the column holding the text (default `text`, `speech`...)."""
    id_column: str | None = None
    """For tables, the column holding the document id (default `id` if present)."""
    split_speakers: bool = False
    """Text files hold whole meeting records: one document per speaker's statement."""


class BadFile(Exception):
    """A file a reader cannot read, and why (the rest of the import goes on)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem
