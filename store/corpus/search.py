"""Full-text search of the paragraphs (FTS5, diacritics ignored)."""

from __future__ import annotations

import re
from collections.abc import Callable

from store.base import ProjectBase
from store.rows import Hit

PREFIX_WORDS = 10
"""A prefix standing for at most this many indexed words is searched as those words."""


def _fts_query(query: str, expand: Callable[[str], list[str] | None] | None = None) -> str:
    """Turn what a researcher types into a safe FTS5 query: every word must occur, `*` keeps a prefix.

    `expand(stem)` may give the indexed words a prefix stands for: they are searched as
    alternatives instead of the prefix (see CorpusSearch._prefix_words).
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


class CorpusSearch(ProjectBase):
    """Search of a project's paragraphs (Project methods)."""

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

        Best first when `ranked`; in import order (corpus order unless documents were replaced)
        when not. By default (None) ranked unless more than RANK_LIMIT paragraphs match, so that
        a common word stays instant on a big corpus.
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
