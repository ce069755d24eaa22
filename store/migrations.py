"""The project file's schema as sqlite-utils migrations: the one source of truth for it.

Imported only to migrate an older file (and by doctor): sqlite-utils loads pandas and NumPy
when it is imported. A new file is made from store/schema_sql.py, which `python -m
store.migrations` writes from these migrations. Add a migration here, bump SCHEMA_VERSION in
store/schema.py, and write schema_sql.py again.
"""

from __future__ import annotations

import sqlite3
import sys

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from store.connection import transaction
from store.schema import SCHEMA_VERSION

migrations = Migrations("accord")


@migrations()
def m001_initial(db: Database) -> None:
    """The tables of DESIGN.md section 2."""
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("codebooks").create({"sha256": str, "yaml": str, "loaded_at": str}, pk="sha256")
    db.table("codes").create(
        {
            "id": str,
            "parent_id": str,
            "label": str,
            "kind": str,
            "key": str,
            "definition": str,
            "position": int,
            "retired": int,
        },
        pk="id",
        not_null={"label", "kind", "position", "retired"},
        defaults={"retired": 0},
    )
    db.table("code_levels").create(
        {"code_id": str, "value": str, "label": str, "position": int},
        pk=("code_id", "value"),
        foreign_keys=[("code_id", "codes", "id")],
    )
    db.table("documents").create(
        {
            "id": str,
            "title": str,
            "source": str,
            "speaker": str,
            "country": str,
            "date": str,
            "meta": str,
            "sha256": str,
            "position": int,
        },
        pk="id",
        not_null={"sha256", "position"},
    )
    db.table("documents").create_index(["position"], unique=True)
    # `seq` is the paragraph's place in the whole corpus (documents in order, then paragraphs):
    # the coding screen pages and finds "next not done" through its index, never by scanning.
    db.table("paragraphs").create(
        {"id": str, "document_id": str, "position": int, "seq": int, "text": str, "sha256": str},
        pk="id",
        not_null={"document_id", "position", "seq", "text", "sha256"},
        foreign_keys=[("document_id", "documents", "id")],
    )
    db.table("paragraphs").create_index(["document_id", "position"], unique=True)
    db.table("paragraphs").create_index(["seq"], unique=True)
    db.table("paragraphs").enable_fts(["text"], create_triggers=True, tokenize="unicode61 remove_diacritics 2")
    # `last_paragraph_id` is where the coder was when they left: reopening resumes there.
    db.table("coders").create(
        {"id": str, "name": str, "created_at": str, "last_paragraph_id": str},
        pk="id",
        not_null={"name"},
    )
    db.table("paragraph_status").create(
        {
            "paragraph_id": str,
            "coder_id": str,
            "status": str,
            "flagged": int,
            "note": str,
            "updated_at": str,
        },
        pk=("paragraph_id", "coder_id"),
        not_null={"flagged", "updated_at"},
        defaults={"flagged": 0},
        foreign_keys=[("paragraph_id", "paragraphs", "id"), ("coder_id", "coders", "id")],
    )
    db.table("paragraph_status").create_index(["coder_id", "status"])
    # `value` has no declared type on purpose: 1/0 for codes, the level's text for variables,
    # each kept as written (a typed column would coerce "3" to 3 or 1 to "1").
    db.execute(
        """
        CREATE TABLE codings (
            paragraph_id TEXT NOT NULL REFERENCES paragraphs(id),
            coder_id TEXT NOT NULL REFERENCES coders(id),
            code_id TEXT NOT NULL REFERENCES codes(id),
            value,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (paragraph_id, coder_id, code_id)
        )
        """
    )
    db.table("codings").create_index(["coder_id", "code_id"])
    db.execute(
        """
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            coder_id TEXT NOT NULL,
            paragraph_id TEXT,
            code_id TEXT,
            action TEXT NOT NULL,
            value,
            previous,
            undoes TEXT
        )
        """
    )
    db.table("events").create_index(["coder_id", "at"])
    db.table("events").create_index(["undoes"])
    db.table("assignments").create(
        {"paragraph_id": str, "coder_id": str},
        pk=("paragraph_id", "coder_id"),
        foreign_keys=[("paragraph_id", "paragraphs", "id"), ("coder_id", "coders", "id")],
    )


@migrations()
def m002_agreement_indexes(db: Database) -> None:
    """Covering indexes for the bulk reads of agreement: each coder's done paragraphs and each
    coder's values per code come off an index in order instead of a table scan and a sort
    (about 7 times faster at 100,000 paragraphs x 5 coders x 20 codes)."""
    db.table("paragraph_status").create_index(["coder_id", "status", "paragraph_id"], if_not_exists=True)
    db.table("codings").create_index(["coder_id", "code_id", "value", "paragraph_id"], if_not_exists=True)


@migrations()
def m003_fewer_indexes_to_write(db: Database) -> None:
    """Every coding, status and event written (a keypress, a merge) updates each index of its
    table. Two indexes were prefixes of m002's covering ones, which serve the same lookups, and
    the index on `undoes` listed every event although only undo events have one (lookups are
    `undoes = id`, which the partial index serves). A merge of 2 million codings and events:
    about 2 s less; the index of 20 million codings on (coder, code): about 400 MB less."""
    db.execute("drop index if exists idx_codings_coder_id_code_id")
    db.execute("drop index if exists idx_paragraph_status_coder_id_status")
    db.execute("drop index if exists idx_events_undoes")
    db.execute("create index idx_events_undoes on events (undoes) where undoes is not null")


@migrations()
def m004_suggestions(db: Database) -> None:
    """Assisted coding (issue 16). `models` holds the classifiers `accord suggest train` fits, one
    row per code or variable plus the shared features row: arrays as NumPy .npy bytes (read with
    allow_pickle=False: a project file may be forged, so nothing in it is ever unpickled) and the
    cross-validated report as JSON. `events.suggested` says whether a suggestion was on screen
    when the coder made the change (1/0; NULL when the screen had no model)."""
    db.execute(
        """
        CREATE TABLE models (
            code_id TEXT PRIMARY KEY,
            codebook_sha256 TEXT NOT NULL,
            basis TEXT NOT NULL,
            trained_on INTEGER NOT NULL,
            trained_at TEXT NOT NULL,
            arrays BLOB NOT NULL,
            report TEXT NOT NULL
        )
        """
    )
    db.execute("alter table events add column suggested integer")


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a project file up to the current schema and record the version."""
    db = Database(conn)
    migrations.apply(db)
    with transaction(conn):
        db.table("meta").upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")


def schema_sql(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The CREATE statements of a migrated file, in order (FTS5's own tables left out: creating
    the full-text table makes them)."""
    return tuple(sql for name, sql in conn.execute(
        "select name, sql from sqlite_master where sql is not null order by rowid"
    ) if not name.startswith("paragraphs_fts_"))


def _write_schema_sql() -> str:
    """The text of store/schema_sql.py, from a file migrated in memory."""
    conn = sqlite3.connect(":memory:")
    migrate(conn)
    names = tuple(migration.name for migration in migrations.applied(Database(conn)))
    lines = [
        '"""The schema of a new project file, as the migrations of store/migrations.py leave it.',
        "",
        "Written by `python -m store.migrations > store/schema_sql.py`; tests/store/test_schema.py checks",
        "that a file made from these statements and a file made by running every migration have the",
        "same `sqlite_master`. A new file is made from them without sqlite-utils (start-up of `init`).",
        '"""',
        "",
        "NEW_FILE_SQL = (",
        *(_literal(statement) for statement in schema_sql(conn)),
        ")",
        '"""CREATE statements of every table, index, trigger and full-text table, in order."""',
        "",
        f"MIGRATIONS = {names!r}",
        '"""The migrations these statements stand for, recorded as applied in a new file."""',
    ]
    return "\n".join(lines) + "\n"


def _literal(statement: str) -> str:
    """A statement as a parenthesised Python string literal, one line of SQL per line."""
    lines = statement.split("\n")
    parts = [repr(line + "\n") for line in lines[:-1]] + [repr(lines[-1])]
    return "    (\n" + "".join(f"        {part}\n" for part in parts) + "    ),"


if __name__ == "__main__":
    sys.stdout.write(_write_schema_sql())
