"""The schema version, a new file's schema, and the version of an open file.

A new project is made from the statements of store/schema_sql.py (what the migrations of
store/migrations.py leave), so `accord init` needs no sqlite-utils; an older file is brought up
to date by running the migrations, imported only then.
"""

from __future__ import annotations

import datetime
import re
import sqlite3
from pathlib import Path

from store.connection import RESTORE_ADVICE, transaction
from store.errors import ProjectError

SCHEMA_VERSION = 4
"""Bump with every migration added to store/migrations.py; a file newer than this is refused at open."""


def create_schema(conn: sqlite3.Connection) -> None:
    """Give an empty file the current schema, as running every migration would, in one transaction."""
    from store.schema_sql import MIGRATIONS, NEW_FILE_SQL

    with transaction(conn):
        for statement in NEW_FILE_SQL:
            conn.execute(statement)
        # As sqlite-utils records an applied migration (store/migrations.py reads this table).
        conn.executemany(
            "insert into _sqlite_migrations (migration_set, name, applied_at) values ('accord', ?, ?)",
            [(name, str(datetime.datetime.now(datetime.UTC))) for name in MIGRATIONS],
        )
        conn.execute(
            "insert into meta (key, value) values ('schema_version', ?) "
            "on conflict (key) do update set value = excluded.value",
            [str(SCHEMA_VERSION)],
        )


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a project file up to the current schema and record the version (loads sqlite-utils)."""
    from store.migrations import migrate as run_migrations

    run_migrations(conn)


def schema_version(conn: sqlite3.Connection, path: Path | str = "the project") -> int | None:
    """The schema version an Accord file records, or None for a file that is not a project.

    Raises:
        ProjectError: the version recorded is not a whole number (the file was edited or damaged).
    """
    if conn.execute("select 1 from sqlite_master where type = 'table' and name = 'meta'").fetchone() is None:
        return None
    row = conn.execute("select value from meta where key = 'schema_version'").fetchone()
    if row is None:
        return None
    version = parse_version(row[0])
    if version is None:
        raise ProjectError(f"{path}: {bad_version(row[0])}; {RESTORE_ADVICE}")
    return version


def parse_version(value: object) -> int | None:
    """A recorded schema version as a number, or None when it is not a whole number."""
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text.strip()) else None


def bad_version(value: object) -> str:
    """What is wrong with a recorded schema version that is not a number, in words."""
    return f"schema version {value!r} in its meta table is not a number"
