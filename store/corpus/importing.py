"""Importing documents into a project in bulk: one transaction, indexed in batches as it is written.

`Project.import_documents` is a method (one coder imports a corpus into one project); the
state of one import (the next rowid, what is not indexed yet) lives in a `_CorpusWriter` made
for that import. `resequence` is a function: doctor's repair renumbers a file without a Project.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count, repeat

from store.base import ProjectBase
from store.corpus.reads import highest_seq
from store.intake.source import SourceDocument

BULK_CACHE_KIB = 256 * 1024
"""SQLite's page cache while importing (see `bulk_writing`)."""
BULK_FTS_BUFFER = 256 * 2**20
"""Bytes of pending full-text terms FTS5 holds before writing them out, while importing."""
FTS_DEFAULT_BUFFER = 2**20
"""FTS5's own default for that buffer ('hashsize')."""
INDEX_BATCH = 20_000
"""Paragraphs written before they are added to the full-text index (see `_CorpusWriter`)."""


@dataclass
class ImportReport:
    """What an import did, document by document."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    """Documents whose text differs from the project's; left alone (no --replace)."""
    replaced: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    """(document id, reason) for documents that could not be replaced."""
    paragraphs: int = 0
    """Paragraphs written."""


def paragraph_id(document_id: str, position: int) -> str:
    """A paragraph's id: stable across machines because it derives from the document id."""
    return f"{document_id}:{position}"


_INSERT_PARAGRAPH = (
    "insert into paragraphs (rowid, id, document_id, position, seq, text, sha256) "
    "values (?1 + ?2, ?3 || ':' || ?2, ?3, ?2, ?4 + ?2, ?5, ?6)"
)
"""One paragraph from (rowid and seq before the document's first, ?1 and ?4; its position, ?2;
the document id, ?3; text; hash): the id is paragraph_id(document id, position)."""
_INDEX_PARAGRAPH = "insert into paragraphs_fts (rowid, text) values (?, ?)"


class CorpusImport(ProjectBase):
    """`import_documents`: all of them, or none (a Project method)."""

    def import_documents(
        self,
        documents: Iterable[SourceDocument],
        replace: bool = False,
        on_document: Callable[[SourceDocument], None] | None = None,
    ) -> ImportReport:
        """Add documents in one transaction: all of them or, on any failure, none.

        An unchanged document is skipped; a changed one is reported and left alone unless
        `replace`, which is refused for documents whose paragraphs have codings.
        """
        db = self.db
        report = ImportReport()
        renumber = False
        with self.transaction(), bulk_writing(db):
            suspended = _suspend_index_triggers(db)
            writer = _CorpusWriter(db)
            known = {row[0]: row[1] for row in db.execute("select id, sha256 from documents")}
            position = int(db.execute("select coalesce(max(position), 0) from documents").fetchone()[0])
            seq = highest_seq(db)
            for document in documents:
                digest = document.sha256
                if document.id in known:
                    if known[document.id] == digest:
                        report.unchanged.append(document.id)
                    elif not replace:
                        report.changed.append(document.id)
                    elif reason := _replace_refusal(db, document.id):
                        report.refused.append((document.id, reason))
                    else:
                        writer.index()  # the delete trigger removes what is indexed
                        writer.replace_document(document)
                        report.replaced.append(document.id)
                        report.paragraphs += len(document.paragraphs)
                        renumber = True
                else:
                    position += 1
                    writer.insert_document(document, position, seq, digest)
                    seq += len(document.paragraphs)
                    known[document.id] = digest
                    report.added.append(document.id)
                    report.paragraphs += len(document.paragraphs)
                if on_document:
                    on_document(document)
            writer.index()
            if renumber:
                resequence(db)
            for sql in suspended:
                db.execute(sql)
        return report


class _CorpusWriter:
    """The state of one import: rowids are handed out here, and the paragraphs written wait
    here, INDEX_BATCH at most, to be added to the full-text index while the next files are read.

    Not in one `insert ... select` after the last document: that statement ran alone at the
    end of a large import, after the reading (~8 of 30 s at 1,000,000 paragraphs, one core
    idle). Not in an `insert ... select` per batch either: such a statement opens a statement
    savepoint, at which FTS5 writes its pending terms out as a new segment (one per batch,
    merged again and again). Single-row inserts open none, so the terms stay in FTS5's buffer
    (`bulk_writing`) and the index is written as few large segments, as by the floor's one
    statement; in batches, not a document at a time, because indexing between the rows of
    each document cost 20 % more of the writer's CPU (caches thrashed back and forth)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.next_rowid = int(db.execute("select coalesce(max(rowid), 0) from paragraphs").fetchone()[0]) + 1
        """The rowid the next paragraph gets."""
        self.waiting: list[str] = []
        """The texts of the paragraphs not yet in the full-text index: the last rowids handed out."""

    def insert_document(self, document: SourceDocument, position: int, seq: int, digest: str) -> None:
        """Insert a new document at `position`, its paragraphs after `seq`."""
        self.db.execute(
            """insert into documents (id, title, source, speaker, country, date, meta, sha256, position)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [document.id, document.title, document.source, document.speaker, document.country, document.date,
             _meta_json(document), digest, position],
        )
        self.insert_paragraphs(document, seq)

    def insert_paragraphs(self, document: SourceDocument, seq: int) -> None:
        """Insert a document's paragraphs; they are indexed with the next batch."""
        first = self.next_rowid
        self.next_rowid += len(document.paragraphs)
        # The rows are zipped in C and numbered by SQLite: a million paragraphs cost no Python
        # loop in the process that writes, which is the import's bottleneck.
        self.db.executemany(
            _INSERT_PARAGRAPH,
            zip(repeat(first - 1), count(1), repeat(document.id), repeat(seq), document.paragraphs,
                document.paragraph_hashes, strict=False),
        )
        self.waiting += document.paragraphs
        if len(self.waiting) >= INDEX_BATCH:
            self.index()

    def index(self) -> None:
        """Add the paragraphs inserted since the last call to the full-text index (whose insert
        trigger is suspended), one single-row insert each (see the class)."""
        self.db.executemany(_INDEX_PARAGRAPH, zip(count(self.next_rowid - len(self.waiting)), self.waiting))
        self.waiting.clear()

    def replace_document(self, document: SourceDocument) -> None:
        """Replace a document's metadata and paragraphs (the caller renumbers `seq` after)."""
        self.db.execute("delete from paragraphs where document_id = ?", [document.id])
        self.db.execute(
            """update documents set title = ?, source = ?, speaker = ?, country = ?, date = ?,
               meta = ?, sha256 = ? where id = ?""",
            [document.title, document.source, document.speaker, document.country, document.date,
             _meta_json(document), document.sha256, document.id],
        )
        # Temporary places past the end; resequence gives every paragraph its final one.
        top = highest_seq(self.db)
        self.insert_paragraphs(document, top)


def _meta_json(document: SourceDocument) -> str | None:
    return json.dumps(document.meta, ensure_ascii=False, sort_keys=True) if document.meta else None


@contextmanager
def bulk_writing(db: sqlite3.Connection) -> Iterator[None]:
    """A bigger page cache and a bigger full-text buffer for the length of an import.

    At 1,000,000 paragraphs the full-text index took 25 of the 35 s of SQLite's writing:
    FTS5 writes its pending terms out as a new segment every 1 MB and merges the segments
    again and again as they pile up; with 256 MB it writes a few big ones (15 s). The page
    cache (2 MB by default) spills the B-trees' pages to the WAL again and again.
    Inside the import's transaction: a failed import rolls the buffer's setting back with the
    rest; on success the setting is put back as it was (the default: no row).
    """
    cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        row = db.execute("select v from paragraphs_fts_config where k = 'hashsize'").fetchone()
        db.execute("insert into paragraphs_fts (paragraphs_fts, rank) values ('hashsize', ?)", [BULK_FTS_BUFFER])
        yield
        db.execute("insert into paragraphs_fts (paragraphs_fts, rank) values ('hashsize', ?)",
                   [row[0] if row else FTS_DEFAULT_BUFFER])
        if row is None:  # the default again, as FTS5 keeps it: no row (FTS5 has no command for that)
            db.execute("delete from paragraphs_fts_config where k = 'hashsize'")
    finally:
        db.execute(f"PRAGMA cache_size = {cache}")


def _suspend_index_triggers(db: sqlite3.Connection) -> list[str]:
    """Drop the triggers that keep the full-text index in step on insert and update, for
    the length of an import transaction; returns their SQL, to recreate them at its end.

    Inside a trigger FTS5 flushes its pending terms for every row: importing 100,000
    paragraphs took 7.7 s of CPU through the trigger, 2.4 s with single-row inserts of the
    same rows (_CorpusWriter.index), which leave them pending. Renumbering after a replacement only
    changes `seq`, which the index does not hold, so the update trigger has nothing to do then
    either. The delete trigger stays. A failed import rolls back the drop with everything else.
    """
    rows = db.execute(
        "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'paragraphs' "
        "and name in ('paragraphs_ai', 'paragraphs_au')"
    ).fetchall()
    for name, _ in rows:
        db.execute(f"drop trigger [{name}]")
    return [sql for _, sql in rows]


def _replace_refusal(db: sqlite3.Connection, document_id: str) -> str | None:
    """Why a document may not be replaced (its paragraphs carry work), or None."""
    for table, what in (("codings", "codings"), ("paragraph_status", "coding statuses"), ("assignments", "assignments")):
        row = db.execute(
            f"select count(*) from {table} t join paragraphs p on p.id = t.paragraph_id "
            "where p.document_id = ?",
            [document_id],
        ).fetchone()
        if row[0]:
            return f"its paragraphs have {row[0]} {what}; replacing it would orphan them"
    return None


def resequence(db: sqlite3.Connection) -> None:
    """Renumber `seq` in corpus order (negating first keeps the unique index satisfied)."""
    db.execute("update paragraphs set seq = -seq")
    db.execute(
        """
        update paragraphs set seq = o.n from (
            select p.id as pid, row_number() over (order by d.position, p.position) as n
            from paragraphs p join documents d on d.id = p.document_id
        ) as o where paragraphs.id = o.pid
        """
    )
