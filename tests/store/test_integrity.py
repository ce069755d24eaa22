"""A damaged, truncated, full or read-only project file: a clear ProjectError, never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store import Project, ProjectError
from store.errors import StorageError
from tests.helpers import documents, small_codebook


def closed_project(path: Path, *sizes: int) -> Path:
    """A real project file with documents, checkpointed so every page is in the main file."""
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(*(sizes or (40, 40, 40))))
        project.set_coding("doc1:1", "alice", "border_control", 1)
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def test_truncated_file_is_detected_at_open_with_advice(tmp_path: Path) -> None:
    path = closed_project(tmp_path / "p.db")
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 2)
    with pytest.raises(ProjectError, match="truncated") as caught:
        Project.open(path)
    assert "backup" in str(caught.value) and "accord doctor" in str(caught.value)


def test_file_cut_mid_page_is_detected(tmp_path: Path) -> None:
    path = closed_project(tmp_path / "p.db")
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size - 100)
    with pytest.raises(ProjectError, match="whole number of"):
        Project.open(path)


def test_damaged_pages_are_found_by_quick_check(tmp_path: Path) -> None:
    path = closed_project(tmp_path / "p.db")
    page_size = 4096
    with path.open("r+b") as handle:
        # Scribble over the b-tree headers of a few pages past the schema: the header and the
        # length stay right, only SQLite's own check can see it.
        for page in (3, 5, 8):
            handle.seek(page * page_size)
            handle.write(b"\xff" * 64)
    with pytest.raises(ProjectError, match="damaged") as caught:
        Project.open(path)
    assert "accord doctor" in str(caught.value)


def test_damaged_header_is_not_a_sqlite_file(tmp_path: Path) -> None:
    path = closed_project(tmp_path / "p.db")
    with path.open("r+b") as handle:
        handle.write(b"garbage garbage!")
    with pytest.raises(ProjectError, match="not a SQLite file"):
        Project.open(path)


def test_impossible_page_size_is_reported(tmp_path: Path) -> None:
    path = closed_project(tmp_path / "p.db")
    with path.open("r+b") as handle:
        handle.seek(16)
        handle.write(b"\x03\x00")
    with pytest.raises(ProjectError, match="page size"):
        Project.open(path)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    with pytest.raises(ProjectError, match="not a SQLite file"):
        Project.open(path)


def test_full_disk_is_a_clear_error_and_keeps_earlier_work(tmp_path: Path) -> None:
    path = closed_project(tmp_path / "p.db", 3)
    with Project.open(path) as project:
        # A real SQLITE_FULL: SQLite refuses to grow the file past max_page_count pages.
        pages = project.db.execute("PRAGMA page_count").fetchone()[0]
        project.db.execute(f"PRAGMA max_page_count = {pages}")
        big = [f"{'x' * 2000} {i}" for i in range(200)]
        with pytest.raises(StorageError, match="disk is full"):
            project.import_documents([type(documents(1)[0])(id="big", paragraphs=big)])
        assert project.document_count() == 1
        assert project.codings("doc1:1", "alice") == {"border_control": 1}


def test_full_disk_on_a_single_coding_is_a_clear_error(tmp_path: Path) -> None:
    path = closed_project(tmp_path / "p.db", 3)
    with Project.open(path) as project:
        project.db.execute(f"PRAGMA max_page_count = {project.db.execute('PRAGMA page_count').fetchone()[0]}")
        with pytest.raises(StorageError, match="disk is full"):
            for i in range(5000):
                project.set_note("doc1:1", "alice", f"note {i} " + "y" * 500)


def test_read_only_connection_write_is_a_clear_error(tmp_path: Path) -> None:
    """The translation itself, on a connection SQLite opened read-only."""
    from store.connection import translated

    path = closed_project(tmp_path / "p.db", 3)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(StorageError, match="read-only"), translated(path):
        conn.execute("insert into coders (id, name) values ('x', 'x')")
    conn.close()


def test_create_in_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="cannot open"):
        Project.create(tmp_path / "no" / "such" / "p.db", small_codebook())


def test_big_files_check_the_coders_work_at_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past FULL_CHECK_MAX_BYTES open checks only the work tables: damage there is still caught."""
    import store.integrity

    monkeypatch.setattr(store.integrity, "FULL_CHECK_MAX_BYTES", 0)
    path = closed_project(tmp_path / "p.db")
    with Project.open(path) as project:
        root = project.db.execute("select rootpage from sqlite_master where name = 'codings'").fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((root - 1) * 4096)
        handle.write(b"\xff" * 64)
    with pytest.raises(ProjectError, match="damaged"):
        Project.open(path)


def test_a_mid_sized_file_checks_the_coders_work_at_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A project of 100,000 paragraphs (170 MB) is past FULL_CHECK_MAX_BYTES: every command that
    opens it checks the work tables, not every page of the corpus (0.05 s instead of 0.14 s)."""
    import store.integrity

    path = closed_project(tmp_path / "p.db", 3)
    with sqlite3.connect(path) as db:  # 80 MB of pages outside the work tables, as a big corpus has
        db.execute("create table bulk (b blob)")
        db.execute("insert into bulk values (zeroblob(80 * 1024 * 1024))")
    checked: list[tuple[str, ...]] = []
    real = store.integrity.quick_check_findings

    def recording(db: sqlite3.Connection, tables: tuple[str, ...] = (), *args: object, **kwargs: object) -> list[str]:
        checked.append(tables)
        return real(db, tables, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store.integrity, "quick_check_findings", recording)
    Project.open(path).close()
    assert checked == [store.integrity.work_tables(sqlite3.connect(path))]
