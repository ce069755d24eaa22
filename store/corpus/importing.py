"""Reading and importing the corpus: documents, paragraphs, full-text search."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import count, repeat
from dataclasses import dataclass, field

from sqlite_utils import Database

from store.errors import AccordError
from store.models import Document, Hit, Paragraph
from store.records import SourceDocument


PREFIX_WORDS = 10
"""A prefix standing for at most this many indexed words is searched as those words."""
BULK_CACHE_KIB = 256 * 1024
"""SQLite's page cache while importing (see CorpusMixin._bulk_writing)."""
BULK_FTS_BUFFER = 256 * 2**20
"""Bytes of pending full-text terms FTS5 holds before writing them out, while importing."""
FTS_DEFAULT_BUFFER = 2**20
"""FTS5's own default for that buffer ('hashsize')."""
INDEX_BATCH = 50_000
"""Paragraphs an import writes before adding them to the full-text index in one statement."""


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


def _fts_query(query: str, expand: Callable[[str], list[str] | None] | None = None) -> str:
    """Turn what a researcher types into a safe FTS5 query: every word must occur, `*` keeps a prefix.

    `expand(stem)` may give the indexed words a prefix stands for: they are searched as
    alternatives instead of the prefix (see CorpusMixin._prefix_words).
    """
    query = query.replace("\x00", " ")  # SQLite ends the query text at a NUL: "unterminated string"
    phrases = re.findall(r'"([^"]+)"', query)
    rest = re.sub(r'"[^"]*"?', " ", query)
    terms = [f'"{p}"' for p in phrases]
    for word in re.findall(r"[\w*]+", rest):
        stem = word.rstrip("*").replace("*", "")
        if not stem:
            continue
        if not word.endswith("*"):
            terms.append(f'"{stem}"')
        elif expand and (words := expand(stem)):
            terms.append("(" + " OR ".join(f'"{w}"' for w in words) + ")")
        else:
            terms.append(f'"{stem}"*')
    return " AND ".join(terms)


class CorpusMixin:
    """Documents and paragraphs of a project."""

    db: Database

    def document_count(self) -> int:
        """Number of documents."""
        return int(self.db.execute("select count(*) from documents").fetchone()[0])

    def paragraph_count(self) -> int:
        """Number of paragraphs (the highest `seq`: counting rows would scan them all)."""
        row = self.db.execute("select max(seq) from paragraphs").fetchone()
        return int(row[0] or 0)

    def speakers(self, limit: int = -1) -> list[dict[str, object]]:
        """Speakers and their countries with their documents and paragraphs, most documents first."""
        rows = self.db.execute(
            """select d.speaker, d.country, count(*), sum(n) from documents d
               left join (select document_id, count(*) as n from paragraphs group by document_id) p
                 on p.document_id = d.id
               group by d.speaker, d.country order by count(*) desc, sum(n) desc, d.speaker limit ?""",
            [limit],
        )
        return [{"speaker": r[0], "country": r[1], "documents": r[2], "paragraphs": r[3] or 0} for r in rows]

    def speaker_count(self) -> int:
        """Number of distinct (speaker, country) pairs, as `speakers()` groups them."""
        sql = "select count(*) from (select 1 from documents group by speaker, country)"
        return int(self.db.execute(sql).fetchone()[0])

    def document_overview(self, limit: int = -1) -> list[dict[str, object]]:
        """Documents in corpus order with their paragraph counts, for a short overview."""
        rows = self.db.execute(
            """select d.id, d.title, d.speaker, d.country, d.date,
                      (select count(*) from paragraphs p where p.document_id = d.id)
               from documents d order by d.position limit ?""",
            [limit],
        )
        keys = ("id", "title", "speaker", "country", "date", "paragraphs")
        return [dict(zip(keys, row)) for row in rows]

    def documents(self, offset: int = 0, limit: int = -1) -> list[Document]:
        """Documents in corpus order, a page at a time."""
        rows = self.db.execute(
            "select * from documents order by position limit ? offset ?", [limit, offset]
        )
        return [Document(**row) for row in _dicts(rows)]

    def document(self, document_id: str) -> Document:
        """One document by id."""
        rows = _dicts(self.db.execute("select * from documents where id = ?", [document_id]))
        if not rows:
            raise AccordError(f"no document with id {document_id!r}")
        return Document(**rows[0])

    def paragraphs(self, document_id: str | None = None, offset: int = 0, limit: int = -1) -> list[Paragraph]:
        """Paragraphs in corpus order: of one document, or a page of the whole corpus."""
        if document_id is None:
            rows = self.db.execute(
                "select * from paragraphs order by seq limit ? offset ?", [limit, offset]
            )
        else:
            rows = self.db.execute(
                "select * from paragraphs where document_id = ? order by position limit ? offset ?",
                [document_id, limit, offset],
            )
        return [Paragraph(**row) for row in _dicts(rows)]

    def paragraph(self, paragraph_id: str) -> Paragraph:
        """One paragraph by id."""
        rows = _dicts(self.db.execute("select * from paragraphs where id = ?", [paragraph_id]))
        if not rows:
            raise AccordError(f"no paragraph with id {paragraph_id!r}")
        return Paragraph(**rows[0])

    def paragraph_at(self, seq: int) -> Paragraph | None:
        """The paragraph at 1-based place `seq` of the corpus, or None past either end."""
        rows = _dicts(self.db.execute("select * from paragraphs where seq = ?", [seq]))
        return Paragraph(**rows[0]) if rows else None

    def document_size(self, document_id: str) -> int:
        """Number of paragraphs in one document (through the (document, position) index)."""
        row = self.db.execute(
            "select coalesce(max(position), 0) from paragraphs where document_id = ?", [document_id]
        ).fetchone()
        return int(row[0])

    def document_index(self, position: int) -> int:
        """0-based place in the document list of the document at `position` (positions may have gaps)."""
        row = self.db.execute("select count(*) from documents where position < ?", [position]).fetchone()
        return int(row[0])

    RANK_LIMIT = 5000
    """Above this many matches, search returns them in corpus order: ranking every match costs
    about 1 ms per 600 paragraphs, and a list of thousands is browsed, not read best-first."""

    def search_count(self, query: str) -> int:
        """How many paragraphs contain every word of `query`."""
        return self._match_count(_fts_query(query, self._prefix_words))

    def search(self, query: str, limit: int = 200, ranked: bool | None = None,
               marks: tuple[str, str] = ("[", "]")) -> list[Hit]:
        """Paragraphs containing every word of `query` (full-text, diacritics ignored).

        The snippet puts `marks` around the matched words (a screen that shows UN text, which
        has brackets of its own, passes characters that never occur in text).

        Best first when `ranked`; in import order (corpus order unless documents were replaced) when not. By default (None) ranked unless more
        than RANK_LIMIT paragraphs match, so that a common word stays instant on a big corpus.
        """
        match = _fts_query(query, self._prefix_words)
        if ranked is None:
            ranked = self._match_count(match) <= self.RANK_LIMIT
        return self._hits(match, limit, ranked, marks)

    def search_counted(self, query: str, limit: int = 200,
                       marks: tuple[str, str] = ("[", "]")) -> tuple[int, list[Hit]]:
        """`search_count` and `search` with `ranked` left to the count, in one: a prefix is
        looked up in the index's vocabulary once, not twice (12-20 ms each at 1,000,000
        paragraphs)."""
        match = _fts_query(query, self._prefix_words)
        total = self._match_count(match)
        return total, self._hits(match, limit, total <= self.RANK_LIMIT, marks) if total else []

    def _match_count(self, match: str) -> int:
        if not match:
            return 0
        return int(self.db.execute(
            "select count(*) from paragraphs_fts where paragraphs_fts match ?", [match]
        ).fetchone()[0])

    def _hits(self, match: str, limit: int, ranked: bool, marks: tuple[str, str]) -> list[Hit]:
        if not match:
            return []
        # The index's own order (rowid, the import order) streams: `p.seq` would sort every match.
        order = "rank" if ranked else "paragraphs_fts.rowid"
        rows = self.db.execute(
            f"""
            select p.id, p.seq, p.document_id,
                   snippet(paragraphs_fts, 0, ?, ?, '…', 12) as snippet
            from paragraphs_fts join paragraphs p on p.rowid = paragraphs_fts.rowid
            where paragraphs_fts match ? order by {order} limit ?
            """,
            [marks[0], marks[1], match, limit],
        )
        return [Hit(paragraph_id=r[0], seq=r[1], document_id=r[2], snippet=r[3]) for r in rows]

    def _prefix_words(self, stem: str) -> list[str] | None:
        """The indexed words starting with `stem`, when there are few (None: let FTS5 do it).

        FTS5 answers `stem*` by building the whole list of matches before the first one; the
        snippets of the hits then rebuild it for every hit, which took 2 s for `disarm*` on
        1,000,000 paragraphs. The same words as alternatives take ~0.1 s.
        """
        if not stem.isascii() or len(stem) < 3:
            return None
        stem = stem.lower()
        self.db.execute("create virtual table if not exists temp.accord_vocab "
                        "using fts5vocab(main, 'paragraphs_fts', 'row')")
        words = [row[0] for row in self.db.execute(
            "select term from temp.accord_vocab where term >= ? and term < ? limit ?",
            [stem, stem[:-1] + chr(ord(stem[-1]) + 1), PREFIX_WORDS + 1])]
        return words if 0 < len(words) <= PREFIX_WORDS else None

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
        report = ImportReport()
        resequence = False
        with self.db.atomic(), self._bulk_writing():
            suspended = self._suspend_index_triggers()
            self._next_rowid = int(self.db.execute("select coalesce(max(rowid), 0) from paragraphs").fetchone()[0]) + 1
            self._unindexed = self._next_rowid
            known = {
                row[0]: row[1] for row in self.db.execute("select id, sha256 from documents")
            }
            position = int(self.db.execute("select coalesce(max(position), 0) from documents").fetchone()[0])
            seq = self.paragraph_count()
            for document in documents:
                digest = document.sha256
                if document.id in known:
                    if known[document.id] == digest:
                        report.unchanged.append(document.id)
                    elif not replace:
                        report.changed.append(document.id)
                    elif reason := self._replace_refusal(document.id):
                        report.refused.append((document.id, reason))
                    else:
                        self._index_new_paragraphs()  # the delete trigger removes what is indexed
                        self._replace_document(document)
                        report.replaced.append(document.id)
                        report.paragraphs += len(document.paragraphs)
                        resequence = True
                else:
                    position += 1
                    self._insert_document(document, position, seq, digest)
                    seq += len(document.paragraphs)
                    known[document.id] = digest
                    report.added.append(document.id)
                    report.paragraphs += len(document.paragraphs)
                if self._next_rowid - self._unindexed >= INDEX_BATCH:
                    self._index_new_paragraphs()
                if on_document:
                    on_document(document)
            self._index_new_paragraphs()
            if resequence:
                self._resequence()
            for sql in suspended:
                self.db.execute(sql)
        return report

    @contextmanager
    def _bulk_writing(self) -> Iterator[None]:
        """A bigger page cache and a bigger full-text buffer for the length of an import.

        At 1,000,000 paragraphs the full-text index took 25 of the 35 s of SQLite's writing:
        FTS5 writes its pending terms out as a new segment every 1 MB and merges the segments
        again and again as they pile up; with 256 MB it writes a few big ones (15 s). The page
        cache (2 MB by default) spills the B-trees' pages to the WAL again and again.
        Inside the import's transaction: a failed import rolls the buffer's setting back with the
        rest; on success the setting is put back as it was (the default: no row).
        """
        cache = self.db.execute("PRAGMA cache_size").fetchone()[0]
        self.db.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
        try:
            row = self.db.execute("select v from paragraphs_fts_config where k = 'hashsize'").fetchone()
            self.db.execute("insert into paragraphs_fts (paragraphs_fts, rank) values ('hashsize', ?)",
                            [BULK_FTS_BUFFER])
            yield
            self.db.execute("insert into paragraphs_fts (paragraphs_fts, rank) values ('hashsize', ?)",
                            [row[0] if row else FTS_DEFAULT_BUFFER])
            if row is None:  # the default again, as FTS5 keeps it: no row (FTS5 has no command for that)
                self.db.execute("delete from paragraphs_fts_config where k = 'hashsize'")
        finally:
            self.db.execute(f"PRAGMA cache_size = {cache}")

    def _suspend_index_triggers(self) -> list[str]:
        """Drop the triggers that keep the full-text index in step on insert and update, for
        the length of an import transaction; returns their SQL, to recreate them at its end.

        Inside a trigger FTS5 flushes its pending terms for every row: importing 100,000
        paragraphs took 7.7 s of CPU through the trigger, 2.4 s indexed a document at a time,
        less in batches (_index_new_paragraphs). Renumbering after a replacement only changes `seq`, which the
        index does not hold, so the update trigger has nothing to do then either. The delete
        trigger stays. A failed import rolls back the drop with everything else.
        """
        rows = self.db.execute(
            "select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'paragraphs' "
            "and name in ('paragraphs_ai', 'paragraphs_au')"
        ).fetchall()
        for name, _ in rows:
            self.db.execute(f"drop trigger [{name}]")
        return [sql for _, sql in rows]

    def _insert_document(self, document: SourceDocument, position: int, seq: int, digest: str) -> None:
        self.db.conn.execute(
            """insert into documents (id, title, source, speaker, country, date, meta, sha256, position)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [
                document.id,
                document.title,
                document.source,
                document.speaker,
                document.country,
                document.date,
                json.dumps(document.meta, ensure_ascii=False, sort_keys=True) if document.meta else None,
                digest,
                position,
            ],
        )
        self._insert_paragraphs(document, seq)

    def _index_new_paragraphs(self) -> None:
        """Add the paragraphs inserted since the last call to the full-text index (whose insert
        trigger is suspended), in one statement: FTS5 takes rows fastest that way."""
        if self._next_rowid > self._unindexed:
            self.db.conn.execute(
                "insert into paragraphs_fts (rowid, text) select rowid, text from paragraphs "
                "where rowid >= ? and rowid < ?",
                [self._unindexed, self._next_rowid],
            )
            self._unindexed = self._next_rowid

    def _insert_paragraphs(self, document: SourceDocument, seq: int) -> None:
        """Insert a document's paragraphs (indexed later, by _index_new_paragraphs)."""
        first = self._next_rowid
        self._next_rowid += len(document.paragraphs)
        # The rows are zipped in C and numbered by SQLite: a million paragraphs cost no Python
        # loop in the process that writes, which is the import's bottleneck.
        self.db.conn.executemany(
            _INSERT_PARAGRAPH,
            zip(repeat(first - 1), count(1), repeat(document.id), repeat(seq), document.paragraphs,
                document.paragraph_hashes),
        )

    def _replace_refusal(self, document_id: str) -> str | None:
        """Why a document may not be replaced (its paragraphs carry work), or None."""
        for table, what in (("codings", "codings"), ("paragraph_status", "coding statuses"), ("assignments", "assignments")):
            row = self.db.execute(
                f"select count(*) from {table} t join paragraphs p on p.id = t.paragraph_id "
                "where p.document_id = ?",
                [document_id],
            ).fetchone()
            if row[0]:
                return f"its paragraphs have {row[0]} {what}; replacing it would orphan them"
        return None

    def _replace_document(self, document: SourceDocument) -> None:
        self.db.execute("delete from paragraphs where document_id = ?", [document.id])
        self.db.execute(
            """update documents set title = ?, source = ?, speaker = ?, country = ?, date = ?,
               meta = ?, sha256 = ? where id = ?""",
            [
                document.title,
                document.source,
                document.speaker,
                document.country,
                document.date,
                json.dumps(document.meta, ensure_ascii=False, sort_keys=True) if document.meta else None,
                document.sha256,
                document.id,
            ],
        )
        # Temporary places past the end; _resequence gives every paragraph its final one.
        top = int(self.db.execute("select coalesce(max(seq), 0) from paragraphs").fetchone()[0])
        self._insert_paragraphs(document, top)

    def _resequence(self) -> None:
        """Renumber `seq` in corpus order (negating first keeps the unique index satisfied)."""
        self.db.execute("update paragraphs set seq = -seq")
        self.db.execute(
            """
            update paragraphs set seq = o.n from (
                select p.id as pid, row_number() over (order by d.position, p.position) as n
                from paragraphs p join documents d on d.id = p.document_id
            ) as o where paragraphs.id = o.pid
            """
        )


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, object]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
