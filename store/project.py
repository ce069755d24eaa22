"""The project file and the one Python API that the CLI, the TUI and exports all use.

`Project` is the spine (`ProjectBase`, store/base.py: connection, path, meta, transaction,
clock) plus its parts, each a class of its own module that inherits the spine: reading the
corpus, searching it, importing it, joining metadata onto it, a coder's work, the codebook's versions, bulk reads for
exports and for agreement, importing a codings file. Those are Project methods because they are
what one coder does to one project. Jobs across files or coders are functions: store/teams/
(handout, merge, adjudication) and store/doctor.py.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from store.agreement_reads import AgreementReads
from store.codebook.model import Codebook
from store.codebook.versions import CodebookVersions
from store.coding import Coding
from store.connection import RESTORE_ADVICE
from store.connection import connect as connect_file
from store.corpus.importing import CorpusImport
from store.corpus.metadata import CorpusMetadata
from store.corpus.reads import CorpusReads
from store.corpus.search import CorpusSearch
from store.errors import ProjectError, StorageError
from store.import_codings import CodingsFileImport
from store.integrity import check_header, quick_check
from store.range_reads import RangeReads
from store.schema import SCHEMA_VERSION, create_schema, migrate, schema_version



class Project(CorpusReads, CorpusSearch, CorpusImport, CorpusMetadata, Coding, CodebookVersions, AgreementReads,
              RangeReads, CodingsFileImport):
    """An open Accord project file. Every write is committed before the method returns."""

    @classmethod
    def create(cls, path: Path, codebook: Codebook) -> Project:
        """Create a new project file with `codebook`; refuse to touch an existing file."""
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path} already exists; Accord will not overwrite it")
        db = connect_file(path)
        try:
            create_schema(db)
        except StorageError:
            db.close()
            path.unlink(missing_ok=True)
            raise
        project = cls(db, path)
        with project.transaction():
            db.execute(
                "insert or replace into meta (key, value) values (?, ?), (?, ?)",
                ["project_id", str(uuid.uuid4()), "created_at", project.now()],
            )
        project.apply_codebook(codebook)
        return project

    @classmethod
    def open(cls, path: Path, verify: bool = True) -> Project:
        """Open an existing project; a missing, foreign, newer or damaged file is a ProjectError.

        `verify=False` skips SQLite's page check (store/integrity.py: up to 0.6 s at 1,000,000 paragraphs): for a
        second connection to a file this process has checked, or when the caller runs the
        check in the background (the coding screen, which must open in well under a second).
        """
        path = Path(path)
        if not path.exists():
            raise ProjectError(f"no project at {path}; create one with `accord init`")
        check_header(path)
        db = connect_file(path)
        try:
            if verify:
                quick_check(db, path)
            version = schema_version(db, path)
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
