"""The one write path for a coder's work: every coding, status, flag and note change is written
here together with its event in the append-only log.

The coding screen (Project methods, store/coding.py), import-codings, adjudication and merge
all write through these functions, so the column lists of `codings`, `paragraph_status` and
`events`, and the rule "a change and its event in one transaction", live in one place.
Functions take the connection (not a Project): merge and adjudication write in bulk inside
their own transactions.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence

from store.clock import now
from store.connection import transaction
from store.errors import AccordError
from store.rows import Event

EVENT_COLUMNS = ("id", "at", "coder_id", "paragraph_id", "code_id", "action", "value", "previous", "undoes",
                 "suggested")
"""The columns of `events`, in the order an `Event` holds them."""
CODING_COLUMNS = ("paragraph_id", "coder_id", "code_id", "value", "updated_at")
"""The columns of `codings`."""
STATUS_COLUMNS = ("paragraph_id", "coder_id", "status", "flagged", "note", "updated_at")
"""The columns of `paragraph_status`."""
STATUS_FIELDS = {"status": "status", "flagged": "flag", "note": "note"}
"""Column of paragraph_status -> the event action that writes it."""
FIELD_OF_ACTION = {action: column for column, action in STATUS_FIELDS.items()}
"""Event action -> the column of paragraph_status it writes."""

_INSERT_EVENT = f"insert into events ({', '.join(EVENT_COLUMNS)}) values ({', '.join('?' * len(EVENT_COLUMNS))})"
_UPSERT_CODING = (
    f"insert into codings ({', '.join(CODING_COLUMNS)}) values (?, ?, ?, ?, ?) "
    "on conflict (paragraph_id, coder_id, code_id) do update set value = excluded.value, updated_at = excluded.updated_at"
)
_UUID = ("lower(printf('%s-%s-4%s-%s%s-%s', hex(randomblob(4)), hex(randomblob(2)), substr(hex(randomblob(2)), 2), "
         "substr('89ab', 1 + (abs(random()) % 4), 1), substr(hex(randomblob(2)), 2), hex(randomblob(6))))")
"""SQL for a random (version 4) UUID, the form of every event id."""


def ensure_coder(db: sqlite3.Connection, name: str) -> str:
    """The coder's id (their name), added to the project on first use."""
    coder_id = name.strip()
    if not coder_id:
        raise AccordError("a coder needs a name")
    with transaction(db):
        db.execute("insert or ignore into coders (id, name, created_at) values (?, ?, ?)", [coder_id, coder_id, now()])
    return coder_id


def log(db: sqlite3.Connection, coder: str, paragraph_id: str | None, code_id: str | None, action: str,
        value: object, previous: object, undoes: str | None = None, suggested: bool | None = None) -> Event:
    """Append one event (the coder is added on first use); the caller writes the change it records.
    `suggested`: whether the screen showed a suggestion then (None: no model was in use)."""
    ensure_coder(db, coder)
    flag = None if suggested is None else int(suggested)
    event = Event(str(uuid.uuid4()), now(), coder, paragraph_id, code_id, action, value, previous, undoes, flag)
    db.execute(_INSERT_EVENT, [event.id, event.at, coder, paragraph_id, code_id, action, value, previous, undoes,
                               flag])
    return event


def coding_value(db: sqlite3.Connection, paragraph_id: str, coder: str, code_id: str) -> object:
    """The stored value of one coding (None when there is no row, or it was cleared)."""
    row = db.execute(
        "select value from codings where paragraph_id = ? and coder_id = ? and code_id = ?",
        [paragraph_id, coder, code_id],
    ).fetchone()
    return row[0] if row else None


def write_coding(db: sqlite3.Connection, paragraph_id: str, coder: str, code_id: str, value: object, at: str) -> None:
    """Store one coding's value, stamped `at` (the time of its event)."""
    db.execute(_UPSERT_CODING, [paragraph_id, coder, code_id, value, at])


def write_status_field(db: sqlite3.Connection, paragraph_id: str, coder: str, column: str, value: object, at: str) -> None:
    """Store one field (status, flagged or note) of a coder's paragraph status, stamped `at`."""
    if column not in STATUS_FIELDS:
        raise ValueError(f"paragraph_status has no field {column!r}")
    if column == "flagged":
        value = int(bool(value))
    db.execute(
        f"""insert into paragraph_status (paragraph_id, coder_id, {column}, updated_at) values (?, ?, ?, ?)
            on conflict (paragraph_id, coder_id)
            do update set {column} = excluded.{column}, updated_at = excluded.updated_at""",
        [paragraph_id, coder, value, at],
    )


def set_coding(db: sqlite3.Connection, paragraph_id: str, coder: str, code_id: str, value: object,
               suggested: bool | None = None) -> Event:
    """Write a (checked) coding value and its event in one transaction."""
    with transaction(db):
        previous = coding_value(db, paragraph_id, coder, code_id)
        event = log(db, coder, paragraph_id, code_id, "code", value, previous, suggested=suggested)
        write_coding(db, paragraph_id, coder, code_id, value, event.at)
    return event


def set_status_field(db: sqlite3.Connection, paragraph_id: str, coder: str, column: str, value: object) -> Event:
    """Write one field of a paragraph status (status, flagged, note) and its event in one transaction."""
    with transaction(db):
        current = db.execute(
            f"select {column} from paragraph_status where paragraph_id = ? and coder_id = ?",
            [paragraph_id, coder],
        ).fetchone()
        previous = current[0] if current else None
        event = log(db, coder, paragraph_id, None, STATUS_FIELDS[column], value, previous)
        write_status_field(db, paragraph_id, coder, column, value, event.at)
    return event


def undo_last(db: sqlite3.Connection, coder: str) -> Event | None:
    """Take back the coder's most recent action not yet undone, logging an `undo` event;
    returns the event taken back, or None when there is none."""
    with transaction(db):
        row = db.execute(
            """select * from events e where coder_id = ? and action != 'undo'
               and not exists (select 1 from events u where u.undoes = e.id)
               order by at desc, rowid desc limit 1""",
            [coder],
        ).fetchone()
        if row is None:
            return None
        target = Event(*row)
        undo = log(db, coder, target.paragraph_id, target.code_id, "undo", target.previous, target.value, target.id)
        assert target.paragraph_id is not None
        if target.action == "code":
            assert target.code_id is not None
            write_coding(db, target.paragraph_id, coder, target.code_id, target.previous, undo.at)
        else:
            write_status_field(db, target.paragraph_id, coder, FIELD_OF_ACTION[target.action], target.previous, undo.at)
    return target


# -- in bulk: import-codings, adjudication, merge -----------------------------------------------


def write_changes(db: sqlite3.Connection, events: Sequence[Sequence[object]], codings: Iterable[Sequence[object]],
                  statuses: Iterable[Sequence[object]]) -> None:
    """Write many changes at once: `events` as (id, at, coder, paragraph, code, action, value,
    previous), `codings` as (paragraph, coder, code, value, updated_at), `statuses` as
    (paragraph, coder, status, updated_at). The caller holds the transaction."""
    db.executemany(_INSERT_EVENT, [(*event, None, None) for event in events])
    db.executemany(_UPSERT_CODING, codings)
    db.executemany(
        """insert into paragraph_status (paragraph_id, coder_id, status, updated_at) values (?, ?, ?, ?)
           on conflict (paragraph_id, coder_id)
           do update set status = excluded.status, updated_at = excluded.updated_at""", statuses)


def write_wanted(db: sqlite3.Connection, codings: Mapping[tuple[str, str, str], object],
                 statuses: Mapping[tuple[str, str, str], object]) -> int:
    """Bring codings ((paragraph, coder, code) -> value) and status fields ((paragraph, coder,
    column) -> value) to the values wanted: each that differs from the stored one is written with
    its event; one already stored writes no row and no event, so importing the same work again
    changes nothing. Values must be checked. Returns the changes written; the caller holds the
    transaction."""
    for coder in sorted({key[1] for key in codings} | {key[1] for key in statuses}):
        ensure_coder(db, coder)
    events: list[tuple[object, ...]] = []
    rows: list[tuple[object, ...]] = []
    for (paragraph_id, coder, code_id), value in codings.items():
        stored = db.execute("select value from codings where paragraph_id = ? and coder_id = ? and code_id = ?",
                            [paragraph_id, coder, code_id]).fetchone()
        # No row and a row holding None differ: the row says "left empty on purpose".
        if stored is not None and stored[0] == value:
            continue
        event, at = new_event(coder, paragraph_id, code_id, "code", value, stored[0] if stored else None)
        events.append(event)
        rows.append((paragraph_id, coder, code_id, value, at))
    fields: list[tuple[str, str, str, object, str]] = []
    for (paragraph_id, coder, column), value in statuses.items():
        if column not in STATUS_FIELDS:
            raise ValueError(f"paragraph_status has no field {column!r}")
        if column == "flagged":
            value = int(bool(value))
        stored = db.execute(f"select {column} from paragraph_status where paragraph_id = ? and coder_id = ?",
                            [paragraph_id, coder]).fetchone()
        previous = stored[0] if stored else (0 if column == "flagged" else None)
        if previous == value:
            continue
        event, at = new_event(coder, paragraph_id, None, STATUS_FIELDS[column], value, stored[0] if stored else None)
        events.append(event)
        fields.append((paragraph_id, coder, column, value, at))
    write_changes(db, events, rows, [])
    for paragraph_id, coder, column, value, at in fields:
        write_status_field(db, paragraph_id, coder, column, value, at)
    return len(events)


def new_event(coder: str, paragraph_id: str, code_id: str | None, action: str, value: object,
              previous: object) -> tuple[tuple[object, ...], str]:
    """An event row for `write_changes` (without `undoes`), and its timestamp."""
    at = now()
    return (str(uuid.uuid4()), at, coder, paragraph_id, code_id, action, value, previous), at


def record_codings_from(db: sqlite3.Connection, table: str, coder: str, at: str) -> int:
    """Store the (paragraph_id, code_id, value) rows of temp table `table` as `coder`'s codings,
    each with its `code` event, all stamped `at`; returns the codings written. No row may exist."""
    written: int = db.execute(
        f"""insert into codings ({', '.join(CODING_COLUMNS)})
            select paragraph_id, ?, code_id, value, ? from {table} order by paragraph_id, code_id""",
        [coder, at],
    ).rowcount
    db.execute(
        f"""insert into events (id, at, coder_id, paragraph_id, code_id, action, value)
            select {_UUID}, ?, ?, paragraph_id, code_id, 'code', value from {table}""",
        [at, coder],
    )
    return written


def record_done_from(db: sqlite3.Connection, table: str, coder: str, at: str) -> int:
    """Mark done for `coder` the paragraphs of temp table `table` (paragraph_id, previous status),
    each with its `status` event, all stamped `at`; returns the statuses written."""
    written: int = db.execute(
        f"""insert into paragraph_status (paragraph_id, coder_id, status, updated_at)
            select paragraph_id, ?, 'done', ? from {table} where true
            on conflict (paragraph_id, coder_id) do update set status = 'done', updated_at = excluded.updated_at""",
        [coder, at],
    ).rowcount
    db.execute(
        f"""insert into events (id, at, coder_id, paragraph_id, action, value, previous)
            select {_UUID}, ?, ?, paragraph_id, 'status', 'done', previous from {table}""",
        [at, coder],
    )
    return written


def merge_events(db: sqlite3.Connection, schema: str) -> int:
    """Add the events of attached file `schema` that this log lacks (union by id); returns how many."""
    columns = ", ".join(EVENT_COLUMNS)
    added: int = db.execute(
        f"insert or ignore into main.events ({columns}) select {columns} from {schema}.events order by at, id"
    ).rowcount
    return added


def merge_new_codings(db: sqlite3.Connection, schema: str) -> int:
    """Add the codings of attached file `schema` that this file has no row for; returns how many.
    In the file's order (the order its coder worked in): sorting them by key first cost 10-15 %
    more at 2 million codings."""
    columns = ", ".join(CODING_COLUMNS)
    added: int = db.execute(
        f"""insert or ignore into main.codings ({columns}) select {columns} from {schema}.codings"""
    ).rowcount
    return added


def merge_newer_codings(db: sqlite3.Connection, table: str) -> None:
    """Overwrite codings with the rows of temp table `table` whose `theirs` is set (theirs are newer)."""
    columns = ", ".join(CODING_COLUMNS)
    db.execute(
        f"""insert into main.codings ({columns})
            select {columns} from {table} where theirs
            order by paragraph_id, coder_id, code_id
            on conflict (paragraph_id, coder_id, code_id)
            do update set value = excluded.value, updated_at = excluded.updated_at"""
    )


def merge_new_statuses(db: sqlite3.Connection, table: str) -> int:
    """Add the status rows of temp table `table` whose `is_new` is set (this file has none for
    their paragraph and coder); returns how many."""
    columns = ", ".join(STATUS_COLUMNS)
    added: int = db.execute(
        f"insert into main.paragraph_status ({columns}) select {columns} from {table} where is_new "
        "order by paragraph_id, coder_id"
    ).rowcount
    return added


def merge_settled_statuses(db: sqlite3.Connection, table: str) -> None:
    """Write the status rows merge settled field by field: temp table `table` gives each
    (paragraph, coder) its new_status, new_flagged, new_note and new_at."""
    db.execute(
        f"""update main.paragraph_status as m
            set status = r.new_status, flagged = r.new_flagged, note = r.new_note, updated_at = r.new_at
            from {table} r where m.paragraph_id = r.paragraph_id and m.coder_id = r.coder_id"""
    )
