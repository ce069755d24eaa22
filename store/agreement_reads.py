"""The codings of done paragraphs, read in bulk for agreement statistics.

A few grouped queries, whatever the corpus size: each returns one row per coder (or per
coder, code and value) with the paragraph ids joined by a separator, which Arrow splits and
numbers and NumPy turns into index arrays. No query per paragraph, no Python string per id.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store.base import ProjectBase

if TYPE_CHECKING:  # NumPy, Arrow and pandas load when agreement runs, not with every project (startup)
    import numpy as np

from store.coding import CONSENSUS
from store.joined_ids import ID_SEPARATOR, _int_array, _microseconds, _split
from store.stored_values import is_written, unwritten_value

@dataclass(frozen=True)
class CodedValues:
    """Where one coder gave one value of one code: the paragraphs as indexes into `DoneCodings.paragraphs`."""

    coder: int
    """Index into `DoneCodings.coders`."""
    value: object
    """1 for an applied code; the level for a variable."""
    paragraphs: np.ndarray[Any, Any]


@dataclass(frozen=True)
class DoneCodings:
    """Paragraphs done by at least `min_coders` of the coders, with who did them and their values.

    A paragraph a coder has not done is missing for that coder; on a done paragraph, a code
    without a value-1 row is absent (DESIGN.md section 2).
    """

    coders: list[str]
    paragraphs: list[str]
    """Paragraph ids in corpus order."""
    done: np.ndarray[Any, Any]
    """bool, coders x paragraphs: which coder has done which paragraph."""
    values: dict[str, list[CodedValues]] = field(default_factory=dict)
    """code id -> the values coders gave on done paragraphs (value-0 and cleared rows left out)."""

    def only(self, coders: list[str]) -> DoneCodings:
        """These coders' part: the paragraphs one of them has done, in the same order."""
        import numpy as np

        rows = [self.coders.index(name) for name in coders]
        done = self.done[rows]
        kept = np.flatnonzero(done.any(axis=0))
        place = np.full(len(self.paragraphs), -1, dtype=np.int64)
        place[kept] = np.arange(len(kept))
        values: dict[str, list[CodedValues]] = {}
        for code, given in self.values.items():
            for part in given:
                if part.coder in rows:  # a coder's values lie on their done paragraphs: all kept
                    values.setdefault(code, []).append(CodedValues(rows.index(part.coder), part.value,
                                                                   place[part.paragraphs]))
        paragraphs: list[str] = np.array(self.paragraphs, dtype=object)[kept].tolist() if len(kept) else []
        return DoneCodings(list(coders), paragraphs, done[:, kept], values)


@dataclass(frozen=True)
class CodingOrder:
    """The paragraphs each coder has done and when (grouped by coder, in no order within)."""

    coders: list[str]
    coder: np.ndarray[Any, Any]
    """int64: index into `coders`, one per done paragraph."""
    column: np.ndarray[Any, Any]
    """int64: the paragraph, as an index into the DoneCodings read with it."""
    at: np.ndarray[Any, Any]
    """When the coder first marked the paragraph done (ISO 8601 text)."""
    time: np.ndarray[Any, Any]
    """The same as int64 microseconds since 1970 (the smallest int64 where a stamp is unreadable)."""


@dataclass(frozen=True)
class _Read:
    """One read of the done paragraphs and codings, with what numbered them."""

    codings: DoneCodings
    stamps: list[str]
    """Per status row read, its paragraphs' `updated_at` joined by ID_SEPARATOR (when asked for)."""
    coder: np.ndarray[Any, Any]
    """int64, one per done (paragraph, coder) read: index into `codings.coders`."""
    column: np.ndarray[Any, Any]
    """int64, the same rows: index into `codings.paragraphs`, -1 for one not kept."""
    dictionary: Any
    """The Arrow dictionary of done ids (each ending in ID_SEPARATOR) that numbered them."""
    place: np.ndarray[Any, Any]
    """Dictionary number -> index into `codings.paragraphs` (-1: not kept; one spare -1 at the end)."""

    def columns_of(self, names: list[str]) -> np.ndarray[Any, Any]:
        """The paragraphs at least one of `names` has done, as indexes into `codings.paragraphs`."""
        import numpy as np

        rows = [self.codings.coders.index(name) for name in names]
        return np.flatnonzero(self.codings.done[rows].any(axis=0))


def _looked_up(ids: Any, dictionary: Any) -> np.ndarray[Any, Any]:
    """Each id's number in the dictionary, len(dictionary) for one not in it: the two halves in
    two threads (Arrow lets go of the GIL; one lookup of 2,400,000 ids took 0.4 s)."""
    import numpy as np
    import pyarrow.compute as pc

    def half(part: Any) -> np.ndarray[Any, Any]:
        found = pc.index_in(part, value_set=dictionary)
        numbers = _int_array(found)  # a null's slot holds some number: replaced below
        if found.null_count:  # the validity bits read directly: pc.fill_null would load pandas
            bits = np.unpackbits(np.frombuffer(found.buffers()[0], dtype=np.uint8), bitorder="little")
            numbers[bits[found.offset: found.offset + len(found)] == 0] = len(dictionary)
        return numbers

    middle = len(ids) // 2
    if middle < 100_000:
        return half(ids)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="accord-lookup") as pool:
        second = pool.submit(half, ids.slice(middle))
        return np.concatenate([half(ids.slice(0, middle)), second.result()])


class AgreementReads(ProjectBase):
    """Bulk reads for agreement: fast at 100,000 paragraphs and more."""

    def done_codings(
        self,
        coders: Sequence[str] | None = None,
        codes: Sequence[str] | None = None,
        documents: Sequence[str] | None = None,
        min_coders: int = 2,
        keep_consensus: bool = False,
    ) -> DoneCodings:
        """The codings on paragraphs that at least `min_coders` of `coders` have marked done.

        Args:
            coders: whose work counts (default every coder); `consensus` is never counted.
            codes: which codes and variables (default all).
            documents: restrict to these documents' paragraphs (default the whole corpus).
            min_coders: how many of the coders must have done a paragraph for it to count.
            keep_consensus: count `consensus` when named in `coders` (the drift view compares with it).
        """
        names = [c for c in (coders if coders is not None else self._all_coders()) if c != CONSENSUS or keep_consensus]
        return self._read(names, codes, documents, min_coders).codings

    def drift_codings(self, coders: Sequence[str] | None = None, codes: Sequence[str] | None = None,
                      documents: Sequence[str] | None = None) -> tuple[DoneCodings, DoneCodings, CodingOrder]:
        """What the drift view reads, each table once: the coders' codings on the paragraphs one
        of them has done, the consensus's on the paragraphs it has done, and when each coder did
        each of theirs (`CodingOrder.column` indexes the first's paragraphs)."""
        names = [c for c in (coders if coders is not None else self._all_coders()) if c != CONSENSUS]
        read = self._read([*names, CONSENSUS], codes, documents, 1, times=True)
        data, adjudicated = read.codings.only(names), read.codings.only([CONSENSUS])
        order = self._coding_order(read, documents, data)
        return data, adjudicated, order

    def _read(self, names: list[str], codes: Sequence[str] | None, documents: Sequence[str] | None,
              min_coders: int, times: bool = False) -> _Read:
        """One pass over paragraph_status and one over codings for `names`, the ids numbered in Arrow."""
        import numpy as np

        if not names:
            nothing = np.empty(0, dtype=np.int64)
            return _Read(DoneCodings([], [], np.zeros((0, 0), dtype=bool)), [], nothing, nothing,
                         _split([]), np.full(1, -1, dtype=np.int64))
        where, args = self._paragraph_filter(documents)
        # The codings are read on a connection of their own in a thread while this one reads the
        # done paragraphs and numbers them: SQLite lets go of the GIL while it steps. (Inside a
        # transaction of this connection's the other would not see its writes: not then.)
        if self.db.in_transaction:
            done_rows = self._done_rows(names, where, args, times)
            numbered = self._numbered(done_rows, min_coders)
            value_rows = self._value_rows(names, codes, where, args, self.db)
        else:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="accord-read") as pool:
                coded = pool.submit(self._value_rows_apart, names, codes, where, args)
                done_rows = self._done_rows(names, where, args, times)
                numbered = self._numbered(done_rows, min_coders)
                value_rows = coded.result()
        dictionary, numbers, chosen, paragraphs, order = numbered
        place = np.full(len(dictionary) + 1, -1, dtype=np.int64)  # the last entry: an id nobody has done
        place[chosen[order]] = np.arange(len(order))
        position = {name: i for i, name in enumerate(names)}
        bounds = np.concatenate([[0], np.cumsum([row[1] for row in done_rows], dtype=np.int64)])
        coder = np.repeat(np.array([position[row[0]] for row in done_rows], dtype=np.int64), np.diff(bounds))
        column = place[numbers]
        done = np.zeros((len(names), len(paragraphs)), dtype=bool)
        done[coder[column >= 0], column[column >= 0]] = True
        at_all = place[_looked_up(_split([row[4] for row in value_rows]), dictionary)]
        ends = np.cumsum([row[3] for row in value_rows], dtype=np.int64)
        values: dict[str, list[CodedValues]] = {}
        for (code_id, who, value, _, _), at in zip(value_rows, np.split(at_all, ends[:-1]) if value_rows else [],
                                                   strict=True):
            at = at[at >= 0]
            at = at[done[position[who], at]]  # a value on a paragraph not done does not count
            if len(at):
                values.setdefault(code_id, []).append(CodedValues(position[who], value, at))
        stamped = [row[3] for row in done_rows] if times else []
        return _Read(DoneCodings(names, paragraphs, done, values), stamped, coder, column, dictionary, place)

    def _done_rows(self, names: list[str], where: str, args: list[str], times: bool) -> list[Any]:
        """(coder, how many, their done paragraphs' ids joined as bytes[, when each was last written])."""
        stamps = f", group_concat(s.updated_at, '{ID_SEPARATOR}')" if times else ""
        return self.db.execute(
            f"""select s.coder_id, count(*), cast(group_concat(s.paragraph_id, '{ID_SEPARATOR}') as blob){stamps}
                from paragraph_status s
                where s.status = 'done' and s.coder_id in ({",".join("?" * len(names))}) {where.format(alias='s')}
                group by s.coder_id""",
            [*names, *args],
        ).fetchall()

    def _numbered(self, done_rows: list[Any], min_coders: int) -> tuple[Any, np.ndarray[Any, Any], np.ndarray[Any, Any],
                                                                        list[str], np.ndarray[Any, Any]]:
        """The done ids numbered in Arrow's C++ (no Python string per id: at a million paragraphs
        that was most of the read) by one dictionary encoding, which the coded ids are then looked
        up in: (dictionary, number per id, the numbers done by `min_coders`, their ids in corpus
        order, where each of those came from among the chosen)."""
        import numpy as np
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(_split([row[2] for row in done_rows]))
        numbers = _int_array(encoded.indices)
        dictionary = encoded.dictionary
        chosen = np.flatnonzero(np.bincount(numbers, minlength=len(dictionary)) >= min_coders)
        every = dictionary.to_pylist()
        paragraphs, order = self._in_corpus_order([every[k][:-1] for k in chosen.tolist()])  # each ends in ID_SEPARATOR
        return dictionary, numbers, chosen, paragraphs, order

    def _value_rows_apart(self, names: list[str], codes: Sequence[str] | None, where: str,
                          args: list[str]) -> list[tuple[str, str, object, int, bytes]]:
        """`_value_rows` on a connection of its own (for another thread)."""
        from store.connection import connect

        db = connect(self.path)
        try:
            return self._value_rows(names, codes, where, args, db)
        finally:
            db.close()

    def _coding_order(self, read: _Read, documents: Sequence[str] | None, data: DoneCodings) -> CodingOrder:
        """When each coder did each paragraph they have done, from the read's status rows and the
        events (one query): a paragraph's time is the coder's first `done` event on it (marking it
        done again later does not move it); without one (codings written by older files) the time
        its status was last written."""
        import numpy as np

        names = data.coders
        ours = [read.codings.coders.index(name) for name in names]
        # read.column indexes all names' paragraphs; data's are a subset in the same order.
        to_data = np.full(len(read.codings.paragraphs) + 1, -1, dtype=np.int64)
        to_data[read.columns_of(names)] = np.arange(len(data.paragraphs))
        mine = np.isin(read.coder, ours) & (read.column >= 0)
        remap = np.full(len(read.codings.coders), -1, dtype=np.int64)
        remap[ours] = np.arange(len(ours))
        status_coder, status_column = remap[read.coder[mine]], to_data[read.column[mine]]
        status_at = np.array(ID_SEPARATOR.join(read.stamps).split(ID_SEPARATOR) if read.stamps else [], dtype=object)[mine]
        where, args = self._paragraph_filter(documents)
        marks = ",".join("?" * len(names))
        # The events in one pass over the table: the (coder, at) index would fetch each row
        # from wherever it lies, ten times slower than reading the table through once.
        events = self.db.execute(
            f"""select coder_id, count(*), cast(group_concat(paragraph_id, '{ID_SEPARATOR}') as blob),
                       group_concat(at, '{ID_SEPARATOR}')
                from events e not indexed
                where e.action = 'status' and e.value = 'done' and e.coder_id in ({marks}) {where.format(alias='e')}
                group by coder_id""", [*names, *args]).fetchall() if names else []
        logged_column = to_data[read.place[_looked_up(_split([row[2] for row in events]), read.dictionary)]]
        logged_coder = np.repeat(np.array([names.index(row[0]) for row in events], dtype=np.int64),
                                 [row[1] for row in events])
        logged_at = np.array(ID_SEPARATOR.join(row[3] for row in events).split(ID_SEPARATOR) if events else [], dtype=object)
        keep = logged_column >= 0
        logged_coder, logged_column, logged_at = logged_coder[keep], logged_column[keep], logged_at[keep]
        # Integers from here on: times in microseconds (pandas parses ISO 8601 in C; sorting the
        # strings themselves costs ten times more), (coder, paragraph) as one key.
        status_times, logged_times = _microseconds(status_at), _microseconds(logged_at)
        width = len(data.paragraphs) + 1
        key, theirs = status_coder * width + status_column, logged_coder * width + logged_column
        by_key = np.lexsort((logged_times, theirs))
        first_keys, first = np.unique(theirs[by_key], return_index=True)  # the earliest event per key
        hit = _sorted_index(first_keys, key)
        event = np.append(by_key[first], 0)[hit]  # hit == -1 picks a spare entry, masked below
        logged_done = hit >= 0
        at = np.where(logged_done, logged_at[event] if len(logged_at) else status_at, status_at)
        time = np.where(logged_done, logged_times[event] if len(logged_times) else status_times, status_times)
        return CodingOrder(names, status_coder, status_column, at, time)

    def paragraph_documents(self, ids: Sequence[str]) -> tuple[np.ndarray[Any, Any], list[str]]:
        """The document of each of `ids` (-1 for an unknown id), as its place in the documents
        returned, which are in corpus order: one query over these paragraphs, not the corpus."""
        import json

        import numpy as np

        number = np.full(len(ids), -1, dtype=np.int64)
        if not len(ids):
            return number, []
        # `seq` numbers the corpus document by document (resequence), so the first of a
        # document's paragraphs given here places it as its first paragraph of all would.
        rows = self.db.execute(
            """select p.document_id, count(*), group_concat(j.key) from paragraphs p join json_each(?) j on j.value = p.id
               group by p.document_id order by min(p.seq)""", [json.dumps(list(ids))]).fetchall()
        keys = np.fromstring(",".join(row[2] for row in rows), dtype=np.int64, sep=",") if rows else number[:0]
        number[keys] = np.repeat(np.arange(len(rows), dtype=np.int64), [row[1] for row in rows])
        return number, [row[0] for row in rows]

    def paragraph_texts(self, ids: Sequence[str]) -> dict[str, str]:
        """The text of each listed paragraph, in one query (unknown ids left out)."""
        if not ids:
            return {}
        import json

        rows = self.db.execute(
            "select p.id, p.text from paragraphs p join json_each(?) j on j.value = p.id",
            [json.dumps(list(ids))],
        ).fetchall()
        return dict(rows)

    def _all_coders(self) -> list[str]:
        return [row[0] for row in self.db.execute("select id from coders order by id")]

    @staticmethod
    def _paragraph_filter(documents: Sequence[str] | None) -> tuple[str, list[str]]:
        if documents is None:
            return "", []
        marks = ",".join("?" * len(documents))
        return (
            f"and {{alias}}.paragraph_id in (select id from paragraphs where document_id in ({marks}))",
            list(documents),
        )

    def _in_corpus_order(self, ids: list[str]) -> tuple[list[str], np.ndarray[Any, Any]]:
        """`ids` sorted by their place in the corpus, unknown ones left out, and where each came
        from in `ids` (one query, ids passed as one JSON array; two joined columns, not a row each)."""
        import json

        import numpy as np

        if not ids:
            return [], np.empty(0, dtype=np.int64)
        keys, seqs = self.db.execute(
            "select group_concat(j.key), group_concat(p.seq) from paragraphs p join json_each(?) j on j.value = p.id",
            [json.dumps(ids)],
        ).fetchone()
        if keys is None:
            return [], np.empty(0, dtype=np.int64)
        found = np.fromstring(keys, dtype=np.int64, sep=",")
        order: np.ndarray[Any, Any] = found[np.argsort(np.fromstring(seqs, dtype=np.int64, sep=","), kind="stable")]
        return np.array(ids, dtype=object)[order].tolist(), order

    def _value_rows(self, names: list[str], codes: Sequence[str] | None, where: str, args: list[str],
                    db: sqlite3.Connection) -> list[tuple[str, str, object, int, bytes]]:
        """(code, coder, value, how many paragraphs, their ids joined as bytes): off the covering
        index, in index order."""
        coder_marks = ",".join("?" * len(names))
        code_clause, code_args = "", []
        if codes is not None:
            code_clause = f"and c.code_id in ({','.join('?' * len(codes))})"
            code_args = list(codes)
        rows = db.execute(
            f"""select c.code_id, c.coder_id, c.value, min(typeof(c.value)), max(typeof(c.value)), count(*),
                       cast(group_concat(c.paragraph_id, '{ID_SEPARATOR}') as blob)
                from codings c
                where c.value is not null and c.coder_id in ({coder_marks}) {code_clause} {where.format(alias='c')}
                group by c.coder_id, c.code_id, c.value""",
            [*names, *code_args, *args],
        ).fetchall()
        kinds = dict(db.execute("select id, kind from codes").fetchall())
        levels: dict[str, set[object]] = {}
        for code_id, level in db.execute("select code_id, value from code_levels"):
            levels.setdefault(code_id, set()).add(level)
        for code_id, coder, value, least, most, _, ids in rows:
            # SQLite groups 1.0 with 1: a group of two types holds a value of the wrong one.
            if code_id in kinds and not (least == most and is_written(kinds[code_id] == "code", value,
                                                                       levels.get(code_id, ()))):
                raise unwritten_value(ids.decode().split(ID_SEPARATOR, 1)[0], coder, code_id, "agreement")
        # A code's 0 is a code removed again: the same as never applied.
        return [(row[0], row[1], row[2], row[5], row[6]) for row in rows if kinds.get(row[0]) != "code" or row[2] == 1]


def _sorted_index(keys: np.ndarray[Any, Any], wanted: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Where each of `wanted` is in `keys` (sorted, distinct), -1 where it is not: pandas'
    get_indexer, by binary search (pandas took a third of a second to load)."""
    import numpy as np

    if not len(keys):
        return np.full(len(wanted), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    found: np.ndarray[Any, Any] = np.where(keys[at] == wanted, at, -1)
    return found
