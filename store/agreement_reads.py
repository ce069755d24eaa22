"""The codings of done paragraphs, read in bulk for agreement statistics.

A few grouped queries, whatever the corpus size: each returns one row per coder (or per
coder, code and value) with the paragraph ids joined by a separator, which Arrow splits and
numbers and NumPy turns into index arrays. No query per paragraph, no Python string per id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from store.base import ProjectBase

if TYPE_CHECKING:  # NumPy, Arrow and pandas load when agreement runs, not with every project (startup)
    import numpy as np

from store.coding import CONSENSUS
from store.stored_values import is_written, unwritten_value

_SEP = "\x1f"
"""ASCII unit separator: cannot occur in a paragraph id taken from a file name or id column."""


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


@dataclass(frozen=True)
class CodingOrder:
    """The paragraphs each coder has done and when (grouped by coder, in no order within)."""

    coders: list[str]
    coder: np.ndarray[Any, Any]
    """int64: index into `coders`, one per done paragraph."""
    paragraphs: np.ndarray[Any, Any]
    at: np.ndarray[Any, Any]
    """When the coder first marked the paragraph done (ISO 8601 text)."""
    time: np.ndarray[Any, Any]
    """The same as int64 microseconds since 1970 (the smallest int64 where a stamp is unreadable)."""


def _arrow_strings(texts: list[str | None]) -> Any:
    """The texts as one Arrow string array, built from its buffers: `pa.array` would load pandas
    (a third of a second) to ask whether they are a pandas object."""
    import numpy as np
    import pyarrow as pa

    encoded = [(text or "").encode() for text in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(text) for text in encoded], out=offsets[1:])
    return pa.LargeStringArray.from_buffers(len(encoded), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded)))


def _int_array(array: Any) -> np.ndarray[Any, Any]:
    """An Arrow integer array without nulls (indices, offsets) as int64 NumPy (`to_numpy` too
    would load pandas)."""
    import numpy as np

    width = np.dtype(f"int{array.type.bit_width}")
    values = np.frombuffer(array.buffers()[1], dtype=width)[array.offset: array.offset + len(array)]
    return values.astype(np.int64)


def _microseconds(stamps: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """ISO 8601 stamps as int64 microseconds since 1970; unreadable ones as the smallest int64."""
    import numpy as np
    import pandas as pd

    if not len(stamps):
        return np.empty(0, dtype=np.int64)
    parsed = pd.to_datetime(pd.Series(stamps, dtype=object), format="ISO8601", utc=True, errors="coerce")
    micro: np.ndarray[Any, Any] = parsed.to_numpy(dtype="datetime64[us]").view(np.int64)
    return micro


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
        import numpy as np
        import pyarrow.compute as pc

        names = [c for c in (coders if coders is not None else self._all_coders()) if c != CONSENSUS or keep_consensus]
        if not names:
            return DoneCodings([], [], np.zeros((0, 0), dtype=bool))
        where, args = self._paragraph_filter(documents)
        coder_marks = ",".join("?" * len(names))
        done_rows = self.db.execute(
            f"""select s.coder_id, group_concat(s.paragraph_id, char(31)) from paragraph_status s
                where s.status = 'done' and s.coder_id in ({coder_marks}) {where.format(alias='s')}
                group by s.coder_id""",
            [*names, *args],
        ).fetchall()
        value_rows = self._value_rows(names, codes, where, args)
        # One split and one dictionary encoding of every id string read, in Arrow's C++ (no Python
        # string per id: at a million paragraphs that was most of the read): integers from here on.
        lists = pc.split_pattern(_arrow_strings([row[-1] for row in (*done_rows, *value_rows)]), _SEP)
        bounds = _int_array(lists.offsets)
        encoded = pc.dictionary_encode(lists.flatten())
        numbers = _int_array(encoded.indices)
        uniques = encoded.dictionary.to_pylist()
        done_part = numbers[: bounds[len(done_rows)]]
        counted = np.bincount(done_part, minlength=len(uniques))
        chosen = np.flatnonzero(counted >= min_coders)
        paragraphs, order = self._in_corpus_order(np.array(uniques, dtype=object)[chosen].tolist())
        place = np.full(len(uniques), -1, dtype=np.int64)
        place[chosen[order]] = np.arange(len(order))
        position = {name: i for i, name in enumerate(names)}
        done = np.zeros((len(names), len(paragraphs)), dtype=bool)
        for k, (coder, _) in enumerate(done_rows):
            at = place[numbers[bounds[k]: bounds[k + 1]]]
            done[position[coder], at[at >= 0]] = True
        values: dict[str, list[CodedValues]] = {}
        for k, (code_id, coder, value, _) in enumerate(value_rows, start=len(done_rows)):
            at = place[numbers[bounds[k]: bounds[k + 1]]]
            at = at[at >= 0]
            at = at[done[position[coder], at]]  # a value on a paragraph not done does not count
            if len(at):
                values.setdefault(code_id, []).append(CodedValues(position[coder], value, at))
        return DoneCodings(names, paragraphs, done, values)

    def coding_order(self, coders: Sequence[str], documents: Sequence[str] | None = None) -> CodingOrder:
        """When each coder did each paragraph they have done (two queries; the caller sorts).

        A paragraph's time is the coder's first `done` event on it (marking it done again
        later does not move it); without one (codings written by older files) the time its
        status was last written.
        """
        import numpy as np
        import pandas as pd

        names = list(coders)
        marks = ",".join("?" * len(names))
        where, args = self._paragraph_filter(documents)
        # One row per coder, the paragraphs joined: a few long strings split in C, not a Python
        # tuple per paragraph.
        done = self.db.execute(
            f"""select coder_id, count(*), group_concat(paragraph_id, char(31)), group_concat(updated_at, char(31))
                from paragraph_status s where s.status = 'done' and s.coder_id in ({marks}) {where.format(alias='s')}
                group by coder_id""", [*names, *args]).fetchall() if names else []
        # The events in one pass over the table: the (coder, at) index would fetch each row
        # from wherever it lies, ten times slower than reading the table through once.
        events = self.db.execute(
            f"""select coder_id, count(*), group_concat(paragraph_id, char(31)), group_concat(at, char(31))
                from events e not indexed
                where e.action = 'status' and e.value = 'done' and e.coder_id in ({marks}) {where.format(alias='e')}
                group by coder_id""", [*names, *args]).fetchall() if names else []
        position = {name: i for i, name in enumerate(names)}

        def columns(rows: list[tuple[str, int, str, str]]) -> tuple[np.ndarray[Any, Any], ...]:
            coder = np.repeat(np.array([position[row[0]] for row in rows], dtype=np.int64), [row[1] for row in rows])
            paragraph = _SEP.join(row[2] for row in rows).split(_SEP) if rows else []
            at = _SEP.join(row[3] for row in rows).split(_SEP) if rows else []
            return coder, np.array(paragraph, dtype=object), np.array(at, dtype=object)

        status, logged = columns(done), columns(events)
        # Integers from here on: times in microseconds (pandas parses ISO 8601 in C; sorting the
        # strings themselves costs ten times more), (coder, paragraph) as one key.
        status_times, logged_times = _microseconds(status[2]), _microseconds(logged[2])
        places, _ = pd.factorize(np.concatenate([status[1], logged[1]]))
        keys = np.concatenate([status[0], logged[0]]) * (int(places.max(initial=0)) + 1) + places
        ours, theirs = keys[: len(status[0])], keys[len(status[0]):]
        by_key = np.lexsort((logged_times, theirs))
        first_keys, first = np.unique(theirs[by_key], return_index=True)  # the earliest event per key
        found = pd.Index(first_keys).get_indexer(ours)
        event = np.append(by_key[first], 0)[found]  # found == -1 picks a spare entry, masked below
        logged_done = found >= 0
        at = np.where(logged_done, logged[2][event] if len(logged[2]) else status[2], status[2])
        time = np.where(logged_done, logged_times[event] if len(logged_times) else status_times, status_times)
        return CodingOrder(names, status[0], status[1], at, time)

    def paragraph_documents(self, documents: Sequence[str] | None = None) -> tuple[np.ndarray[Any, Any],
                                                                                      np.ndarray[Any, Any], list[str]]:
        """Every paragraph's document (of these documents only, when given), in one grouped query:
        (document number per paragraph, paragraph ids, document ids in corpus order)."""
        import numpy as np

        clause, args = "", []
        if documents is not None:
            clause, args = f"where document_id in ({','.join('?' * len(documents))})", list(documents)
        rows = self.db.execute(
            f"""select document_id, count(*), group_concat(id, char(31)) from paragraphs {clause}
                group by document_id order by min(seq)""", args).fetchall()
        number = np.repeat(np.arange(len(rows), dtype=np.int64), [row[1] for row in rows])
        ids = np.array(_SEP.join(row[2] for row in rows).split(_SEP) if rows else [], dtype=object)
        return number, ids, [row[0] for row in rows]

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

    def _value_rows(self, names: list[str], codes: Sequence[str] | None, where: str,
                    args: list[str]) -> list[tuple[str, str, object, str]]:
        """(code, coder, value, joined paragraph ids): off the covering index, in index order."""
        coder_marks = ",".join("?" * len(names))
        code_clause, code_args = "", []
        if codes is not None:
            code_clause = f"and c.code_id in ({','.join('?' * len(codes))})"
            code_args = list(codes)
        rows = self.db.execute(
            f"""select c.code_id, c.coder_id, c.value, min(typeof(c.value)), max(typeof(c.value)),
                       group_concat(c.paragraph_id, char(31))
                from codings c
                where c.value is not null and c.coder_id in ({coder_marks}) {code_clause} {where.format(alias='c')}
                group by c.coder_id, c.code_id, c.value""",
            [*names, *code_args, *args],
        ).fetchall()
        kinds = dict(self.db.execute("select id, kind from codes").fetchall())
        levels: dict[str, set[object]] = {}
        for code_id, level in self.db.execute("select code_id, value from code_levels"):
            levels.setdefault(code_id, set()).add(level)
        for code_id, coder, value, least, most, ids in rows:
            # SQLite groups 1.0 with 1: a group of two types holds a value of the wrong one.
            if code_id in kinds and not (least == most and is_written(kinds[code_id] == "code", value,
                                                                       levels.get(code_id, ()))):
                raise unwritten_value(ids.split(_SEP, 1)[0], coder, code_id, "agreement")
        # A code's 0 is a code removed again: the same as never applied.
        return [(row[0], row[1], row[2], row[5]) for row in rows if kinds.get(row[0]) != "code" or row[2] == 1]
