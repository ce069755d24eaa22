"""What a reader hands to the project: one document, already split into paragraphs."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from store.errors import Problem


def sha256_text(text: str) -> str:
    """Hex SHA-256 of a text encoded as UTF-8 (the content hash kept beside every id)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_LINE_ENDS = re.compile(r"\r\n?")


def one_line_end(text: str) -> str:
    """`text` with every line end a `\\n`: Windows' `\\r\\n` and old Macs' lone `\\r` alike.

    Every text coming in goes through this: a carriage return kept in a value would end a row in
    every CSV reader (pandas, R, Excel) and hide a formula behind it.
    """
    return _LINE_ENDS.sub("\n", text) if "\r" in text else text


def one_line_ends(value: object) -> object:
    """one_line_end of a metadata value: a text, or the texts of a list or object (one level:
    what a JSON metadata value holds deeper is written as JSON, which escapes it)."""
    if isinstance(value, str):
        return one_line_end(value)
    if isinstance(value, list):
        return [one_line_end(v) if isinstance(v, str) else v for v in value]
    if isinstance(value, dict):
        return {one_line_end(str(k)): one_line_end(v) if isinstance(v, str) else v for k, v in value.items()}
    return value


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

    def __post_init__(self) -> None:
        # The door every reader goes through (text, tables, .docx, REFI-QDA): one line end.
        self.id = one_line_end(self.id)
        self.paragraphs = [one_line_end(p) for p in self.paragraphs]
        self.title, self.speaker, self.country, self.date = (
            None if v is None else one_line_end(v) for v in (self.title, self.speaker, self.country, self.date))
        self.meta = {one_line_end(k): one_line_ends(v) for k, v in self.meta.items()}

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
