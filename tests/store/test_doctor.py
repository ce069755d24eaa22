"""`accord doctor` on real project files broken in each way it claims to find."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from store import Project
from store import reimport_commands
from store.doctor import diagnose, repair
from tests.helpers import documents, small_codebook


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """A closed, healthy project with codings by alice and bob."""
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(40, 40, 40))
        for coder in ("alice", "bob"):
            project.set_coding("doc1:1", coder, "border_control", 1)
            project.set_status("doc1:1", coder, "done")
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def tamper(path: Path, *statements: str) -> None:
    """Edit the file behind Accord's back, the way a script with sqlite3 could."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def checks(path: Path) -> dict[str, str | None]:
    return {finding.check: finding.repair for finding in diagnose(path)}


def test_healthy_project_has_no_findings(path: Path) -> None:
    assert diagnose(path) == []


def test_damaged_pages_are_found(path: Path) -> None:
    with path.open("r+b") as handle:
        for page in (4, 6, 9):
            handle.seek(page * 4096)
            handle.write(b"\xff" * 64)
    findings = diagnose(path)
    assert findings[0].check == "integrity"
    assert "--salvage" in findings[0].advice and findings[0].repair is None


def test_truncated_file_is_found(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    findings = diagnose(path)
    assert findings[0].check == "integrity" and "truncated" in findings[0].problem


def test_missing_table_and_schema_version(path: Path) -> None:
    tamper(path, "delete from meta where key = 'schema_version'")
    assert checks(path) == {"schema": None}
    tamper(path, "drop table assignments")
    assert "assignments" in diagnose(path)[0].problem


def test_older_schema_is_migrated_by_repair(path: Path) -> None:
    tamper(path, "update meta set value = '0' where key = 'schema_version'")
    assert checks(path) == {"schema": "migrate"}
    repair(path, diagnose(path))
    assert diagnose(path) == []


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("insert into codings values ('ghost:1', 'alice', 'border_control', 1, 'now')", "drop-orphans"),
        ("insert into paragraph_status (paragraph_id, coder_id, status, flagged, updated_at) "
         "values ('doc1:2', 'carol', 'done', 0, 'now')", "add-coders"),
        ("delete from documents where id = 'doc3'", None),
    ],
)
def test_orphans_are_found(path: Path, statement: str, expected: str | None) -> None:
    tamper(path, statement)
    assert checks(path) == {"orphans": expected}


def test_repair_drops_orphans_and_recreates_coders(path: Path) -> None:
    tamper(path,
           "insert into codings values ('ghost:1', 'alice', 'border_control', 1, 'now')",
           "insert into assignments values ('ghost:2', 'alice')",
           "insert into codings values ('ghost:3', 'dan', 'border_control', 1, 'now')",
           "delete from coders where id = 'bob'")
    done = repair(path, diagnose(path))
    assert done == ["deleted 3 orphan rows", "re-created 1 coder"]
    assert diagnose(path) == []
    with Project.open(path) as project:
        # bob's work survived: only the rows pointing at nothing went.
        assert project.codings("doc1:1", "bob") == {"border_control": 1}
        assert project.progress("bob").done == 1
        assert "dan" not in project.coders()  # only ghost rows named dan: not brought back


def test_codings_for_unknown_codes_are_found_not_deleted(path: Path) -> None:
    tamper(path, "insert into codings values ('doc1:2', 'alice', 'smuggling', 1, 'now')")
    findings = diagnose(path)
    assert [(f.check, f.repair) for f in findings] == [("unknown-codes", None)]
    assert "codebook update" in findings[0].advice
    repair(path, findings)
    assert len(diagnose(path)) == 1


def test_text_edited_outside_accord_is_found(path: Path) -> None:
    tamper(path, "update paragraphs set text = 'rewritten' where id = 'doc2:7'")
    findings = diagnose(path)
    assert [f.check for f in findings] == ["text-hash"]
    assert "doc2:7" in findings[0].problem


def test_gaps_in_numbering_are_renumbered(path: Path) -> None:
    tamper(path, "delete from paragraphs where id = 'doc2:40'")
    assert checks(path) == {"order": "renumber"}
    repair(path, diagnose(path))
    with Project.open(path) as project:
        assert project.paragraph_count() == 119
        assert project.paragraph_at(119).id == "doc3:40"


@pytest.mark.parametrize(
    "break_index",
    [
        lambda: ("insert into paragraphs_fts (paragraphs_fts, rowid, text) "
                 "select 'delete', rowid, text from paragraphs where id = 'doc1:5'",),
        lambda: ("drop trigger paragraphs_ai",),
    ],
    ids=["stale", "trigger-dropped"],
)
def test_search_index_out_of_step_is_rebuilt(path: Path, break_index: Callable[[], tuple[str, ...]]) -> None:
    tamper(path, *break_index())
    assert checks(path) == {"search-index": "rebuild-search"}
    repair(path, diagnose(path))
    assert diagnose(path) == []
    with Project.open(path) as project:
        project.import_documents(documents(1, prefix="late"))
        assert [h.paragraph_id for h in project.search("paragraph 5 doc1")] == ["doc1:5"]
        assert [h.paragraph_id for h in project.search("late1")] == ["late1:1"]


def test_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello, world")
    assert "not a SQLite file" in diagnose(notes)[0].problem


def test_reimport_commands_give_back_the_same_ids(tmp_path: Path) -> None:
    """A document's id comes from how its file was imported: the command names it the same way."""
    (tmp_path / "corpus" / "2017").mkdir(parents=True)
    for name in ("corpus/2017/S-PV-8140.txt", "record.txt", "speeches.csv", "kaz.txt"):
        (tmp_path / name).write_text("x")
    incomplete = {
        "2017/S-PV-8140": str(tmp_path / "corpus/2017/S-PV-8140.txt"),
        "record-002": str(tmp_path / "record.txt"),
        "8140": f"{tmp_path / 'speeches.csv'}:3",
        "kaz": str(tmp_path / "kaz.txt"),
        "gone": str(tmp_path / "gone.txt"),
    }
    commands, missing = reimport_commands(incomplete, tmp_path / "new.db")
    assert commands == [
        f"accord import {tmp_path / 'corpus'} {tmp_path / 'kaz.txt'} {tmp_path / 'speeches.csv'} --project {tmp_path / 'new.db'}",
        f"accord import {tmp_path / 'record.txt'} --split-speakers --project {tmp_path / 'new.db'}",
    ]
    assert missing == [str(tmp_path / "gone.txt")]
