"""The SQLite connection behind every project, and the one place where storage failures
(disk full, read-only file or folder, damaged file, another process holding the lock) become
errors a researcher can act on instead of tracebacks."""

from __future__ import annotations

import secrets
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from store.errors import StorageError

BUSY_TIMEOUT_MS = 10_000
"""How long a write waits for another coder's process holding the file (two windows open)."""

RESTORE_ADVICE = "restore it from a backup or a coder's copy, and run `accord doctor` on it"

# Primary result codes (the low byte of extended codes), from sqlite3.h.
SQLITE_BUSY = 5
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


def storage_error(error: sqlite3.Error, path: Path) -> StorageError | None:
    """The researcher-facing error for a storage failure, or None for anything else (a bug)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return None
    primary = code & 0xFF
    if primary == SQLITE_FULL:
        return StorageError(
            f"cannot save to {path}: the disk is full; the last action was not saved. "
            "Free some space and try again"
        )
    if primary == SQLITE_READONLY:
        return StorageError(
            f"cannot write to {path}: the file or its folder is read-only (Accord writes the "
            "project and two companion files, -wal and -shm, beside it). Make both writable, "
            "or copy the project somewhere you can write"
        )
    if primary == SQLITE_CANTOPEN:
        return StorageError(
            f"cannot open {path}: the file or its folder cannot be opened for writing "
            "(Accord keeps two companion files, -wal and -shm, beside the project). "
            "Check the permissions of the file and its folder"
        )
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return StorageError(f"{path} is damaged ({error}); {RESTORE_ADVICE}", damaged=True)
    if primary == SQLITE_IOERR:
        return StorageError(f"cannot read or write {path}: the disk reported an error ({error})")
    if primary == SQLITE_BUSY:
        return StorageError(
            f"{path} is held by another Accord process (an import or merge?) for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s; try again when it has finished"
        )
    return None


class ProjectCursor(sqlite3.Cursor):
    """A cursor whose statements fail with StorageError for storage failures."""

    path: Path = Path("?")

    def execute(self, sql: str, parameters: Any = (), /) -> ProjectCursor:
        with translated(self.path):
            super().execute(_immediate(sql), parameters)
        return self

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> ProjectCursor:
        with translated(self.path):
            super().executemany(sql, seq_of_parameters)
        return self

    def executescript(self, sql_script: str, /) -> ProjectCursor:
        with translated(self.path):
            super().executescript(sql_script)
        return self


class ProjectConnection(sqlite3.Connection):
    """sqlite3.Connection that translates storage failures and takes the write lock at BEGIN.

    Accord (and sqlite-utils, where a migration or a repair uses it) calls `execute`,
    `executemany`, `cursor` and `commit` on the connection, so overriding them here covers every
    statement of the Project API in one place.
    """

    path: Path = Path("?")
    file_key: tuple[int, int] | None = None

    def cursor(self, factory: Any = ProjectCursor) -> Any:
        cursor = super().cursor(factory)
        cursor.path = self.path
        return cursor

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        with translated(self.path):
            return super().execute(_immediate(sql), parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> sqlite3.Cursor:
        with translated(self.path):
            return super().executemany(sql, parameters)

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        with translated(self.path):
            return super().executescript(sql_script)

    def commit(self) -> None:
        with translated(self.path):
            super().commit()

    def close(self) -> None:
        super().close()
        if self.file_key is not None:
            with _OPEN_HERE_LOCK:
                _OPEN_HERE[self.file_key] -= 1
            self.file_key = None


def _immediate(sql: str) -> str:
    """Every explicit transaction Accord opens (`transaction`) writes, so take the
    write lock at BEGIN. A deferred transaction that reads and then writes fails at once with
    'database is locked' when another process wrote in between (WAL snapshot): the busy timeout
    cannot cure that, BEGIN IMMEDIATE waits for the lock instead."""
    return "BEGIN IMMEDIATE" if sql.strip().upper() in ("BEGIN", "BEGIN;") else sql


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """Re-raise storage failures of the block as StorageError; other errors pass unchanged."""
    try:
        yield
    except sqlite3.Error as error:
        friendly = storage_error(error, path)
        if friendly is None:
            raise
        raise friendly from error


_OPEN_HERE: Counter[tuple[int, int]] = Counter()
"""Project files (device, inode) this process holds open connections to."""
_OPEN_HERE_LOCK = threading.Lock()
"""Merge checks files in a thread beside the main one: counting is guarded."""


_OPENED_HERE: set[Path] = set()
"""Project files (absolute paths) this process has opened, closed since or not: no output may
be written over them (`project_file_under`)."""

COMPANIONS = ("", "-wal", "-shm", "-journal")
"""A project file's name, then the suffixes of the files SQLite keeps beside it."""


def project_file_under(path: Path) -> Path | None:
    """The project file of this process that `path` is, under any name (a hard link, `sub/..`,
    a symlink), or whose -wal/-shm/-journal it is; None for any other file, or one that does
    not exist yet. Compared by device and inode, not by name."""
    try:
        key = _file_key(path)
    except OSError:
        return None
    with _OPEN_HERE_LOCK:
        opened = sorted(_OPENED_HERE)
    for project in opened:
        for suffix in COMPANIONS:
            try:
                if _file_key(Path(f"{project}{suffix}")) == key:
                    return project
            except OSError:
                continue
    return None


def _file_key(path: Path) -> tuple[int, int]:
    """A file's identity, the same under any name (relative path, symlink)."""
    stat = Path(path).stat()
    return stat.st_dev, stat.st_ino


def open_in_this_process(path: Path) -> bool:
    """Whether a connection of this process has `path` open. Such a file must not be read with
    Python's own I/O: closing any handle on a file drops every POSIX lock the process holds on
    it, SQLite's included, and another process could then delete the WAL under the open project."""
    try:
        return _OPEN_HERE[_file_key(path)] > 0
    except OSError:
        return False


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Run the block in one transaction (BEGIN IMMEDIATE, see `_immediate`): committed when it
    ends, rolled back when it raises. Nested, it is a savepoint that rolls back alone."""
    if conn.in_transaction:
        savepoint = f"accord_{secrets.token_hex(16)}"
        conn.execute(f"SAVEPOINT {savepoint};")
        try:
            yield
        except BaseException:
            # An error such as a RAISE(ROLLBACK) trigger can end the whole transaction,
            # savepoints included: releasing it then would hide the original error.
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint};")
                conn.execute(f"RELEASE SAVEPOINT {savepoint};")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {savepoint};")
        return
    conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        conn.rollback()  # a no-op when the error already ended the transaction
        raise
    else:
        try:
            conn.execute("COMMIT")
        except BaseException:
            conn.rollback()
            raise


def connect(path: Path) -> sqlite3.Connection:
    """Open a project file the way every Accord connection must: WAL, foreign keys, busy timeout."""
    path = Path(path)
    with translated(path):
        # Statements run as written: one outside `transaction` commits at once (as sqlite-utils'
        # `execute` did), and VACUUM INTO and ATTACH (handout, merge) need no implicit BEGIN.
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               factory=ProjectConnection)
    assert isinstance(conn, ProjectConnection)
    conn.path = path
    conn.file_key = _file_key(path)
    with _OPEN_HERE_LOCK:
        _OPEN_HERE[conn.file_key] += 1
        _OPENED_HERE.add(path.resolve())
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # As sqlite-utils set it when it opened every project: a REPLACE that deletes a row fires
    # its delete triggers (the full-text index's among them).
    conn.execute("PRAGMA recursive_triggers = on")
    # Switching to WAL writes the header: skip it when the file is already WAL, so that a
    # project on a read-only medium can still be read.
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    # FULL makes each commit durable across a power cut, not only a crash of the process.
    conn.execute("PRAGMA synchronous = FULL")
    return conn
