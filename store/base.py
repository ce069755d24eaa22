"""The spine of a Project: the open file, its path, its meta table, transactions and the clock.

Every part of `Project` (store/project.py) inherits `ProjectBase`, so each part reaches what
the parts share through typed attributes declared once here, never through another part.
What one coder does to one project (read, code, mark, undo, import a corpus or a codings file,
apply a codebook) is a method of a part; jobs across files or coders (merge, handout,
adjudication, doctor) are functions taking a Project or a path (store/teams/, store/doctor.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from store.clock import now
from store.connection import transaction


class ProjectBase:
    """An open project file: what every part of a Project stands on."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self.db = db
        """The connection (store/connection.py: WAL, foreign keys, storage errors translated)."""
        self.path = path
        """The project file."""

    @contextmanager
    def transaction(self) -> Iterator[Self]:
        """Group several writes into one commit (one disk flush instead of one per write);
        nested, it is a savepoint of the enclosing transaction."""
        with transaction(self.db):
            yield self

    @staticmethod
    def now() -> str:
        """The timestamp every write of this process stamps (store/clock.py)."""
        return now()

    def meta(self, key: str) -> str | None:
        """A value of the `meta` table."""
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    @property
    def project_id(self) -> str:
        """The UUID set at init: copies of one project share it."""
        value = self.meta("project_id")
        assert value is not None
        return value

    def close(self) -> None:
        """Close the connection (all writes are already committed)."""
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
