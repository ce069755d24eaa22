"""The project file and the one Python API that the CLI, the TUI and exports all use."""

from __future__ import annotations

import contextlib
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from store.bulk import BulkReadMixin
from store.codebook_model import Codebook
from store.codebook_versions import CodebookMixin
from store.coding import CodingMixin, now
from store.corpus import CorpusMixin
from store.connection import BUSY_TIMEOUT_MS, RESTORE_ADVICE  # noqa: F401 (BUSY_TIMEOUT_MS re-exported)
from store.connection import connect as connect_file
from store.done_codings import DoneCodingsMixin
from store.import_codings import CodingsImportMixin
from store.errors import ProjectError, StorageError
from store.integrity import check_header, quick_check
from store.schema import SCHEMA_VERSION, migrate


def connect(path: Path) -> Database:
    """Open a SQLite file the way every Accord connection must (see store/connection.py)."""
    return Database(connect_file(path))


class Project(CorpusMixin, CodingMixin, CodebookMixin, DoneCodingsMixin, BulkReadMixin, CodingsImportMixin):
    """An open Accord project file. Every write is committed before the method returns."""

    def __init__(self, db: Database, path: Path) -> None:
        self.db = db
        self.path = path

    @classmethod
    def create(cls, path: Path, codebook: Codebook) -> Project:
        """Create a new project file with `codebook`; refuse to touch an existing file."""
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path} already exists; Accord will not overwrite it")
        db = connect(path)
        try:
            migrate(db)
        except StorageError:
            db.close()
            path.unlink(missing_ok=True)
            raise
        with db.atomic():
            db["meta"].insert_all(
                [
                    {"key": "project_id", "value": str(uuid.uuid4())},
                    {"key": "created_at", "value": now()},
                ],
                pk="key",
                replace=True,
            )
        project = cls(db, path)
        project.apply_codebook(codebook)
        return project

    @classmethod
    def open(cls, path: Path, verify: bool = True) -> Project:
        """Open an existing project; a missing, foreign, newer or damaged file is a ProjectError.

        `verify=False` skips SQLite's page check (a quarter of a second per 200 MB): for a
        second connection to a file this process has checked, or when the caller runs the
        check in the background (the coding screen, which must open in well under a second).
        """
        path = Path(path)
        if not path.exists():
            raise ProjectError(f"no project at {path}; create one with `accord init`")
        check_header(path)
        db = connect(path)
        try:
            if verify:
                quick_check(db, path)
            version = cls._schema_version(db)
        except ProjectError:
            db.close()
            raise
        except sqlite3.DatabaseError as error:
            db.close()
            raise ProjectError(f"{path} cannot be read ({error}); {RESTORE_ADVICE}") from error
        if version is None:
            db.close()
            raise ProjectError(f"{path} is a SQLite file but not an Accord project")
        if version > SCHEMA_VERSION:
            db.close()
            raise ProjectError(
                f"{path} was written by a newer Accord (schema {version}, this one reads up to "
                f"{SCHEMA_VERSION}); upgrade Accord to open it"
            )
        if version < SCHEMA_VERSION:
            migrate(db)
        return cls(db, path)

    @staticmethod
    def _schema_version(db: Database) -> int | None:
        if not db["meta"].exists():
            return None
        row = db.execute("select value from meta where key = 'schema_version'").fetchone()
        return int(row[0]) if row else None

    def close(self) -> None:
        """Close the connection (all writes are already committed)."""
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Project]:
        """Group several writes into one commit (one disk flush instead of one per write)."""
        with self.db.atomic():
            yield self

    def meta(self, key: str) -> str | None:
        """A value of the `meta` table."""
        row = self.db.execute("select value from meta where key = ?", [key]).fetchone()
        return row[0] if row else None

    @property
    def project_id(self) -> str:
        """The UUID set at init: copies of one project share it."""
        value = self.meta("project_id")
        assert value is not None
        return value
