"""Bulk reads for exports: whole ranges of the corpus in a few queries, never one per paragraph."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from store.base import ProjectBase
from store.corpus.reads import MISPLACED
from store.errors import ProjectError
from store.stored_values import VALUE_READ

if TYPE_CHECKING:  # NumPy and Arrow load when an export runs, not with every project (startup)
    import pyarrow as pa

_TEXT_COLUMNS = ("id", "document_id", "text")
"""The paragraphs' text columns, the rest (position, seq) being integers."""


class RangeReads(ProjectBase):
    """Range queries over `seq` (the corpus order) that an export of 1,000,000 paragraphs can afford."""

    def paragraph_rows(self, first_seq: int, last_seq: int, with_text: bool = True) -> list[tuple[Any, ...]]:
        """(id, document_id, position, seq[, text]) of the paragraphs with first_seq <= seq <= last_seq."""
        text = ", text" if with_text else ""
        return self.db.execute(
            f"select id, document_id, position, seq{text} from paragraphs "
            "where seq >= ? and seq < ? + 1 order by seq",
            [first_seq, last_seq],
        ).fetchall()

    def paragraph_columns(self, first_seq: int, last_seq: int, with_text: bool = True) -> pa.Table:
        """paragraph_rows as Arrow columns (id, document_id, position, seq[, text]), in seq order.
        Up to last_seq + 1, not last_seq: a paragraph another program numbered between two ranges
        (1.5) falls in one, to be refused there, rather than in neither and out of the dataset.

        SQLite makes them, in one row for the whole range: each text column's cells end to end
        (their bytes, as a blob) with each cell's length, the numbers as JSON arrays. Arrow takes
        the bytes as they are. fetchall made a Python object of every cell, and turning those
        into columns cost twice the query (100,000 paragraphs with their text: 0.65 s of CPU,
        this 0.22 s)."""
        import numpy as np
        import pyarrow as pa

        names = ["id", "document_id", "position", "seq", *(["text"] if with_text else [])]
        parts = []
        for name in names:
            if name in _TEXT_COLUMNS:  # a missing cell's length is -1 (group_concat skips it)
                parts += [f"cast(group_concat(cast({name} as blob), '') as blob)",
                          f"json_group_array(iif({name} is null, -1, length(cast({name} as blob))))"]
            else:
                parts.append(f"json_group_array({name})")
        row = self.db.execute(f"select {', '.join(parts)} from paragraphs where seq >= ? and seq < ? + 1",
                              [first_seq, last_seq]).fetchone()
        columns: list[pa.Array] = []
        at = 0
        for name in names:
            if name in _TEXT_COLUMNS:
                columns.append(_strings(row[at], json.loads(row[at + 1])))
                at += 2
            else:
                numbers = np.array(json.loads(row[at]))
                if len(numbers) and numbers.dtype.kind != "i":
                    raise self._misplaced(first_seq, last_seq)
                columns.append(pa.array(numbers.astype(np.int64)))
                at += 1
        table = pa.table(columns, names=names)
        seqs = table.column("seq").to_numpy()
        if len(seqs) and not (np.diff(seqs) > 0).all():  # the aggregate's order is SQLite's to choose
            table = table.take(np.argsort(seqs, kind="stable"))
        return table

    def document_columns(self) -> dict[str, list[Any]]:
        """id, title, speaker, country, date and meta (its JSON text) of every document, in
        corpus order, as columns: an object per cell, none per document (a Document made of each
        row was half the export's documents' frame, 0.4 s at 1,000,000 paragraphs)."""
        names = ["id", "title", "speaker", "country", "date", "meta"]
        rows = self.db.execute(f"select {', '.join(names)} from documents order by position").fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
        return {name: list(column) for name, column in zip(names, columns, strict=True)}

    def _misplaced(self, first_seq: int, last_seq: int) -> ProjectError:
        """The refusal of a range holding a paragraph whose position or number is not a whole
        number: another program wrote it, and no place in the dataset is right for it."""
        found = self.db.execute(
            f"select id from paragraphs where seq >= ? and seq < ? + 1 and {MISPLACED} order by rowid limit 1",
            [first_seq, last_seq]).fetchone()
        where = f"at {found[0]}" if found else "in the corpus"
        return ProjectError(f"a paragraph's position or number is not a whole number ({where}), as no Accord "
                            "writes it (another program's?), so nothing was written. `accord doctor` shows them.")

    def status_paragraph_rows(self, first_seq: int, last_seq: int,
                              coders: Sequence[str] | None = None) -> list[tuple[Any, ...]]:
        """(id, document_id, position, seq) of the paragraphs in range on which one of `coders`
        (None: any coder) has a status row: the only ones any rule of whose codings can count
        as done, so an overview of a corpus coded in part need not read the rest."""
        among, parameters = _among("s", coders)
        return self.db.execute(
            f"""select p.id, p.document_id, p.position, p.seq from paragraphs p
               where p.seq between ? and ? and exists (
                 select 1 from paragraph_status s where s.paragraph_id = p.id{among})
               order by p.seq""",
            [first_seq, last_seq, *parameters],
        ).fetchall()

    def status_rows(self, first_seq: int, last_seq: int, coders: Sequence[str] | None = None) -> list[tuple[Any, ...]]:
        """(seq, coder_id, status, flagged, note) on the paragraphs in range, for `coders` (None:
        every coder). The paragraph as its seq: a number costs less to make and to place than
        its id, over millions of rows."""
        among, parameters = _among("s", coders)
        return self.db.execute(
            f"""select p.seq, s.coder_id, s.status, s.flagged, s.note
               from paragraphs p join paragraph_status s on s.paragraph_id = p.id
               where p.seq between ? and ?{among}""",
            [first_seq, last_seq, *parameters],
        ).fetchall()

    def coding_rows(self, first_seq: int, last_seq: int, coders: Sequence[str] | None = None) -> list[tuple[Any, ...]]:
        """(seq, coder_id, code_id, value) of every value set on the paragraphs in range, by
        `coders` (None: every coder)."""
        among, parameters = _among("c", coders)
        return self.db.execute(
            f"""select p.seq, c.coder_id, c.code_id, c.value
               from paragraphs p join codings c on c.paragraph_id = p.id
               where p.seq between ? and ? and c.value is not null{among}""",
            [first_seq, last_seq, *parameters],
        ).fetchall()

    def status_rows_at(self, ids: Sequence[str], coders: Sequence[str] | None = None) -> list[tuple[Any, ...]]:
        """(place, coder_id, status, flagged, note) on the paragraphs `ids` (place: the index in
        `ids`), for `coders` (None: every coder). By id, from the list: status_rows finds each
        paragraph of a range again through its seq, which reads the paragraph's row (its text)."""
        # The list first (cross join), then the primary key by paragraph and coder.
        among, parameters = _among("s", coders)
        return self.db.execute(
            f"""select j.key, s.coder_id, s.status, s.flagged, s.note
               from json_each(?) j cross join paragraph_status s on s.paragraph_id = j.value
               where 1{among.replace("+", "")}""",
            [json.dumps(list(ids)), *parameters],
        ).fetchall()

    def coding_rows_at(self, ids: Sequence[str], coders: Sequence[str] | None = None) -> list[tuple[Any, ...]]:
        """(place, coder_id, code_id, value) of every value set on the paragraphs `ids` (place:
        the index in `ids`), by `coders` (None: every coder); see status_rows_at."""
        among, parameters = _among("c", coders)
        return self.db.execute(
            f"""select j.key, c.coder_id, c.code_id, {VALUE_READ.format("c.value")}
               from json_each(?) j cross join codings c on c.paragraph_id = j.value
               where c.value is not null{among}""",
            [json.dumps(list(ids)), *parameters],
        ).fetchall()

    def status_columns_at(self, ids: Sequence[str], coders: Sequence[str] | None = None) -> list[list[Any]]:
        """status_rows_at as columns (place, coder_id, status, flagged, note): see _columns_at."""
        among, parameters = _among("s", coders)
        cells = {"j.key": False, "s.coder_id": False, "s.status": True, "s.flagged": True, "s.note": True}
        return self._columns_at(
            cells, f"json_each(?) j cross join paragraph_status s on s.paragraph_id = j.value "
                   f"where 1{among.replace('+', '')}",
            [json.dumps(list(ids)), *parameters], lambda: self.status_rows_at(ids, coders))

    def coding_columns_at(self, ids: Sequence[str], coders: Sequence[str] | None = None) -> list[list[Any]]:
        """coding_rows_at as columns (place, coder_id, code_id, value): see _columns_at."""
        among, parameters = _among("c", coders)
        cells = {"j.key": False, "c.coder_id": False, "c.code_id": False, "c.value": True}
        return self._columns_at(
            cells, f"json_each(?) j cross join codings c on c.paragraph_id = j.value where c.value is not null{among}",
            [json.dumps(list(ids)), *parameters], lambda: self.coding_rows_at(ids, coders))

    def _columns_at(self, cells: dict[str, bool], source: str, parameters: list[Any],
                    rows: Callable[[], list[tuple[Any, ...]]]) -> list[list[Any]]:
        """The `cells` of the rows of `source`, as one list per cell, in one row SQLite makes:
        each cell's column as a JSON array. fetchall made a tuple and a Python object of every
        cell, with 3 coders twice what the query costs in SQLite.

        JSON holds an integer, a text and NULL as SQLite does; a real would become a float (that
        Python takes for the integer it equals) and a BLOB cannot be held at all. Where a cell
        that may (True in `cells`) holds either, which only another program writes, the chunk is
        read by `rows` instead, which keeps them apart (store/stored_values.VALUE_READ)."""
        odd = " or ".join(f"typeof({cell}) in ('real', 'blob')" for cell, may in cells.items() if may)
        arrays = ", ".join(f"json_group_array(iif(typeof({cell}) in ('real', 'blob'), null, {cell}))"
                           if may else f"json_group_array({cell})" for cell, may in cells.items())
        row = self.db.execute(f"select coalesce(max({odd}), 0), {arrays} from {source}", parameters).fetchone()
        if row[0]:
            read = rows()
            return [list(column) for column in zip(*read, strict=True)] if read else [[] for _ in cells]
        return [json.loads(column) for column in row[1:]]

    def cleared_rows(self, first_seq: int, last_seq: int) -> list[tuple[Any, ...]]:
        """(seq, coder_id, code_id) of the variables cleared on purpose on the paragraphs in range:
        a NULL written by a coding (an adjudicator's "No level"), not one left behind by undo."""
        from store.teams.adjudication import _DECIDED_ROW  # the one definition of a decided NULL

        return self.db.execute(
            f"""select p.seq, a.coder_id, a.code_id
               from paragraphs p join codings a on a.paragraph_id = p.id
               where p.seq between ? and ? and a.value is null and {_DECIDED_ROW}""",
            [first_seq, last_seq],
        ).fetchall()

    def document_paragraph_counts(self) -> dict[str, int]:
        """Number of paragraphs of each document."""
        return dict(self.db.execute("select document_id, count(*) from paragraphs group by document_id").fetchall())

    def code_usage(self) -> list[tuple[str, str, object, int]]:
        """(code_id, coder_id, value, paragraphs) over paragraphs the coder marked done.

        Codes count their value-1 rows, variables each level: what a methods appendix reports
        as "how often applied".
        """
        return self.db.execute(
            """select c.code_id, c.coder_id, c.value, count(*)
               from codings c join paragraph_status s
                 on s.paragraph_id = c.paragraph_id and s.coder_id = c.coder_id
               where s.status = 'done' and c.value is not null and c.value != 0
               group by c.code_id, c.coder_id, c.value"""
        ).fetchall()

    def done_counts(self) -> dict[str, int]:
        """Paragraphs each coder has marked done."""
        return dict(
            self.db.execute(
                "select coder_id, count(*) from paragraph_status where status = 'done' group by coder_id"
            ).fetchall()
        )

    def codebook_text(self) -> str | None:
        """The YAML of the codebook version applied last (exports keep it beside the data)."""
        row = self.db.execute(
            "select yaml from codebooks where sha256 = (select value from meta where key = 'codebook_sha256')"
        ).fetchone()
        return row[0] if row else None


def _strings(data: bytes | None, lengths: list[int]) -> pa.Array:
    """A string array from its cells' UTF-8 bytes end to end and each cell's length (-1: missing)."""
    import numpy as np
    import pyarrow as pa

    sizes = np.array(lengths, dtype=np.int64)
    missing = sizes < 0
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(np.where(missing, 0, sizes), out=offsets[1:])
    valid = pa.py_buffer(np.packbits(~missing, bitorder="little")) if missing.any() else None
    kind = pa.large_string() if offsets[-1] >= 2**31 else pa.string()
    if kind == pa.string():
        offsets = offsets.astype(np.int32)
    array = pa.Array.from_buffers(kind, len(sizes), [valid, pa.py_buffer(offsets), pa.py_buffer(data or b"")],
                                  null_count=int(missing.sum()))
    array.validate(full=True)  # UTF-8, as SQLite stores text: a cell that is not stops here
    return array.cast(pa.string()) if kind != pa.string() else array


def _among(table: str, coders: Sequence[str] | None) -> tuple[str, list[str]]:
    """The condition that keeps `coders`' rows of `table` (an export of one coder need not read
    the others' rows), with its parameters.

    The unary `+` keeps SQLite from answering it with the coder index: that reads all of a
    coder's rows for every range instead of the range's rows by paragraph.
    """
    if coders is None:
        return "", []
    return f" and +{table}.coder_id in ({', '.join('?' * len(coders))})", list(coders)
