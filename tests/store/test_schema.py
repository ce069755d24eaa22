"""A new file's schema (store/schema_sql.py) is the one the migrations (store/migrations.py) build."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from store.connection import connect
from store.migrations import _write_schema_sql, migrate
from store.schema import SCHEMA_VERSION, create_schema, schema_version

REPO = Path(__file__).resolve().parents[2]


def described(path: Path) -> dict[str, object]:
    """What a file's schema is made of: sqlite_master (root pages aside), the migrations it
    records as applied, its meta rows and the full-text index's settings."""
    conn = sqlite3.connect(path)
    try:
        return {
            "master": sorted(conn.execute("select type, name, tbl_name, sql from sqlite_master").fetchall(),
                             key=repr),
            "migrations": conn.execute("select id, migration_set, name from _sqlite_migrations order by id").fetchall(),
            "meta": conn.execute("select key, value from meta order by key").fetchall(),
            "fts": conn.execute("select k, v from paragraphs_fts_config order by k").fetchall(),
        }
    finally:
        conn.close()


def test_a_new_file_has_the_schema_the_migrations_build(tmp_path: Path) -> None:
    made, migrated = tmp_path / "made.db", tmp_path / "migrated.db"
    for path, build in ((made, create_schema), (migrated, migrate)):
        path.touch()
        conn = connect(path)
        build(conn)
        assert schema_version(conn) == SCHEMA_VERSION
        conn.close()
    assert described(made) == described(migrated)


def test_schema_sql_is_written_from_the_current_migrations() -> None:
    """After a new migration, `python -m store.migrations > store/schema_sql.py` writes it again."""
    assert (REPO / "store" / "schema_sql.py").read_text(encoding="utf-8") == _write_schema_sql()


def test_a_file_made_new_migrates_as_a_migrated_one(tmp_path: Path) -> None:
    """Migrations see a new file's migrations as applied, and run none of them again."""
    path = tmp_path / "made.db"
    path.touch()
    conn = connect(path)
    create_schema(conn)
    before = described(path)
    migrate(conn)
    conn.close()
    assert described(path) == before
