"""Reading the corpus: documents and paragraphs, a page at a time, and their counts."""

from __future__ import annotations

import sqlite3
from typing import Any

from store.base import ProjectBase
from store.errors import AccordError, ProjectError
from store.rows import Document, Paragraph


MISPLACED = "(typeof(position) != 'integer' or typeof(seq) != 'integer')"
"""SQL: a paragraph whose position or number is not a whole number, as no Accord writes it."""


def highest_seq(db: sqlite3.Connection) -> int:
    """The highest paragraph number, which is the number of paragraphs, through the seq index."""
    top, kind = db.execute("select max(seq), typeof(max(seq)) from paragraphs").fetchone()
    if kind not in ("integer", "null"):  # text and BLOBs sort after every number
        raise ProjectError(f"the paragraphs are numbered by something other than whole numbers (the highest: "
                           f"{top!r}), as no Accord writes them (another program's?); "
                           "`accord doctor --repair` renumbers them.")
    return int(top or 0)


class CorpusReads(ProjectBase):
    """Documents and paragraphs of a project (Project methods)."""

    def document_count(self) -> int:
        """Number of documents."""
        return int(self.db.execute("select count(*) from documents").fetchone()[0])

    def paragraph_count(self) -> int:
        """Number of paragraphs (the highest `seq`: counting rows would scan them all)."""
        return highest_seq(self.db)

    def refuse_misnumbered(self) -> None:
        """Refuses a corpus holding a paragraph numbered by anything but a whole number (another
        program wrote it): views that place paragraphs by number would count it in the wrong
        place or leave it out, and say nothing."""
        # Text and BLOBs sort after every number, so the bound holds them all and lets SQLite
        # search the number index instead of reading every paragraph's row.
        found = self.db.execute("select id, quote(seq) from paragraphs where seq >= -9e999 "
                                "and typeof(seq) != 'integer' limit 1").fetchone()
        if found:
            raise ProjectError(f"paragraph {found[0]} is numbered {found[1]}, not by a whole number, as no Accord "
                               "writes it (another program's?), so it has no place to be counted. "
                               "`accord doctor` shows such paragraphs.")

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
        return [dict(zip(keys, row, strict=True)) for row in rows]

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


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
