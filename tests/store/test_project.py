"""The project file: creation, opening, refusals, and the coding API, checked on a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from store import AccordError, Project, ProjectError
from store.schema import SCHEMA_VERSION
from tests.helpers import REPO, documents, small_codebook


def test_create_writes_schema_and_identity(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Project.create(path, small_codebook()).close()
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
    assert {"meta", "codebooks", "codes", "code_levels", "documents", "paragraphs", "coders",
            "paragraph_status", "codings", "events", "assignments", "paragraphs_fts"} <= tables
    meta = dict(conn.execute("select key, value from meta"))
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert len(meta["project_id"]) == 36
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    codes = conn.execute("select id, parent_id, kind, key, position from codes order by position").fetchall()
    assert codes == [("border_control", None, "code", "b", 1), ("wmd", None, "code", "w", 2),
                     ("nuclear", "wmd", "code", "n", 3), ("stance", None, "single", "s", 4)]
    levels = conn.execute("select value from code_levels where code_id='stance' order by position").fetchall()
    assert levels == [("support",), ("oppose",)]


def test_a_schema_2_project_drops_the_indexes_no_query_needs_and_keeps_its_work(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(2, 3))
        project.set_coding("doc1:1", "ann", "wmd", 1)
        project.set_status("doc1:1", "ann", "done")
        project.undo("ann")
    conn = sqlite3.connect(path)  # as Accord with schema 2 left it
    conn.execute("drop index idx_events_undoes")
    conn.execute("create index idx_events_undoes on events (undoes)")
    conn.execute("create index idx_codings_coder_id_code_id on codings (coder_id, code_id)")
    conn.execute("create index idx_paragraph_status_coder_id_status on paragraph_status (coder_id, status)")
    conn.execute("update meta set value = '2' where key = 'schema_version'")
    conn.execute("delete from _sqlite_migrations where name = 'm003_fewer_indexes_to_write'")
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        assert project.meta("schema_version") == str(SCHEMA_VERSION)
        assert project.status("doc1:1", "ann").status is None
        undone = project.undo("ann")  # the status's undo is found: this one takes back the coding
        assert undone is not None and undone.code_id == "wmd"
    conn = sqlite3.connect(path)
    assert conn.execute("select value from codings where paragraph_id = 'doc1:1'").fetchall() == [(None,)]
    indexes = dict(conn.execute("select name, sql from sqlite_master where type = 'index' and name like 'idx_%'"))
    conn.close()
    assert "idx_codings_coder_id_code_id" not in indexes
    assert "idx_paragraph_status_coder_id_status" not in indexes
    assert "where undoes is not null" in indexes["idx_events_undoes"]


def test_create_refuses_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    path.write_text("precious")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(path, small_codebook())
    assert path.read_text() == "precious"


def test_open_refuses_foreign_and_newer_files(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(ProjectError, match="not a SQLite file"):
        Project.open(text)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("create table t (x)").connection.commit()
    with pytest.raises(ProjectError, match="not an Accord project"):
        Project.open(other)
    with pytest.raises(ProjectError, match="no project at"):
        Project.open(tmp_path / "missing.db")
    newer = tmp_path / "newer.db"
    Project.create(newer, small_codebook()).close()
    conn = sqlite3.connect(newer)
    conn.execute("update meta set value = ? where key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="newer Accord"):
        Project.open(newer)


def test_import_assigns_stable_ids_and_corpus_order(project: Project) -> None:
    assert project.document_count() == 2
    assert project.paragraph_count() == 5
    assert [p.id for p in project.paragraphs()] == ["doc1:1", "doc1:2", "doc1:3", "doc2:1", "doc2:2"]
    assert [p.seq for p in project.paragraphs()] == [1, 2, 3, 4, 5]
    assert project.paragraph_at(4).id == "doc2:1"
    assert project.paragraph_at(6) is None
    assert project.document("doc1").speaker == "Mr. Test"


def test_reimport_unchanged_changes_nothing_and_changed_is_left_alone(project: Project) -> None:
    report = project.import_documents(documents(3, 2))
    assert report.unchanged == ["doc1", "doc2"] and not report.added
    changed = documents(4, 2)
    report = project.import_documents(changed)
    assert report.changed == ["doc1"]
    assert len(project.paragraphs("doc1")) == 3


def test_replace_resequences_and_refuses_when_coded(project: Project) -> None:
    report = project.import_documents(documents(1, 2), replace=True)
    assert report.replaced == ["doc1"]
    assert [p.id for p in project.paragraphs()] == ["doc1:1", "doc2:1", "doc2:2"]
    assert [p.seq for p in project.paragraphs()] == [1, 2, 3]
    project.set_coding("doc2:1", "alice", "border_control", 1)
    report = project.import_documents(documents(1, 5), replace=True)
    assert report.refused and report.refused[0][0] == "doc2"
    assert "1 codings" in report.refused[0][1]
    assert len(project.paragraphs("doc2")) == 2


def test_import_is_all_or_nothing(project: Project) -> None:
    def broken():
        yield from documents(1, 1, prefix="new")
        raise RuntimeError("disk pulled out")

    with pytest.raises(RuntimeError):
        project.import_documents(broken())
    assert project.document_count() == 2


def test_codings_are_committed_and_visible_to_another_connection(project: Project) -> None:
    project.set_coding("doc1:1", "alice", "border_control", 1)
    project.set_coding("doc1:1", "alice", "stance", "oppose")
    project.set_status("doc1:1", "alice", "done")
    other = sqlite3.connect(project.path)
    assert sorted(other.execute("select code_id, value from codings").fetchall()) == [("border_control", 1), ("stance", "oppose")]
    assert other.execute("select status from paragraph_status").fetchone() == ("done",)
    assert project.codings("doc1:1", "alice") == {"border_control": 1, "stance": "oppose"}
    assert project.codings("doc1:1", "bob") == {}


def test_bad_values_are_refused(project: Project) -> None:
    with pytest.raises(AccordError, match="no code 'smuggling'"):
        project.set_coding("doc1:1", "alice", "smuggling", 1)
    with pytest.raises(AccordError, match="no level 'maybe'"):
        project.set_coding("doc1:1", "alice", "stance", "maybe")
    with pytest.raises(AccordError, match="takes 1"):
        project.set_coding("doc1:1", "alice", "border_control", 7)
    with pytest.raises(AccordError, match="status must be"):
        project.set_status("doc1:1", "alice", "finished")


def test_undo_walks_back_through_the_log(project: Project) -> None:
    assert project.toggle("doc1:1", "alice", "border_control") == 1
    project.set_note("doc1:1", "alice", "check the date")
    project.set_status("doc1:1", "alice", "done")
    project.set_flag("doc1:1", "alice", True)
    assert project.undo("alice").action == "flag"
    assert project.status("doc1:1", "alice").flagged is False
    assert project.undo("alice").action == "status"
    assert project.status("doc1:1", "alice").status is None
    assert project.undo("alice").action == "note"
    assert project.status("doc1:1", "alice").note is None
    assert project.undo("alice").action == "code"
    assert project.codings("doc1:1", "alice") == {}
    assert project.undo("alice") is None
    assert [e.action for e in project.events("alice")][:4] == ["undo"] * 4


def test_undo_is_per_coder(project: Project) -> None:
    project.toggle("doc1:1", "alice", "border_control")
    project.toggle("doc1:1", "bob", "wmd")
    project.undo("alice")
    assert project.codings("doc1:1", "bob") == {"wmd": 1}
    assert project.codings("doc1:1", "alice") == {}


def test_progress_and_next_not_done(project: Project) -> None:
    project.set_status("doc1:1", "alice", "done")
    project.set_status("doc1:2", "alice", "done")
    project.set_status("doc2:2", "alice", "skipped")
    assert project.progress("alice").done == 2
    assert project.progress("alice").total == 5
    assert project.next_not_done("alice", 0) == 3
    assert project.next_not_done("alice", 5) == 3
    for seq in (3, 4, 5):
        project.set_status(project.paragraph_at(seq).id, "alice", "done")
    assert project.next_not_done("alice", 1) is None


def test_search_finds_words_and_survives_syntax(project: Project) -> None:
    hits = project.search("paragraph 2 doc2")
    assert [h.paragraph_id for h in hits] == ["doc2:2"]
    assert "[" in hits[0].snippet
    assert project.search('"unbalanced AND (') == []
    assert {h.paragraph_id for h in project.search("bord*")} == {p.id for p in project.paragraphs()}


def test_resume_position_is_kept(project: Project) -> None:
    project.coder("alice")
    project.set_last_paragraph("alice", "doc2:1")
    path = project.path
    project.close()
    with Project.open(path) as reopened:
        assert reopened.last_paragraph("alice") == "doc2:1"


def test_apply_codebook_guards_codes_with_codings(project: Project) -> None:
    project.set_coding("doc1:1", "alice", "nuclear", 1)
    base = small_codebook()
    trimmed = type(base)(title=base.title, codes=(base.codes[0],), variables=base.variables, source="v2")
    with pytest.raises(AccordError, match="nuclear \\(1 coding\\)"):
        project.apply_codebook(trimmed)
    assert not any(c.retired for c in project.codes())
    project.set_coding("doc1:1", "alice", "nuclear", 0)
    project.set_coding("doc1:1", "alice", "wmd", 1)
    change = project.apply_codebook(trimmed, retire=True)
    assert sorted(change.retired) == ["nuclear", "wmd"]
    assert {c.id: c.retired for c in project.codes()} == {"border_control": False, "wmd": True, "nuclear": True, "stance": False}
    with pytest.raises(AccordError, match="retired"):
        project.set_coding("doc1:2", "alice", "wmd", 1)
    assert project.db.execute("select count(*) from codebooks").fetchone()[0] == 2
    change = project.apply_codebook(base)
    assert sorted(change.restored) == ["nuclear", "wmd"]


def test_a_second_open_in_the_process_keeps_the_first_ones_locks(tmp_path: Path) -> None:
    """The coding screen opens the file again in worker threads (search, agreement) while its
    own connection is open. If that dropped the first connection's locks, another process
    closing the file would delete the WAL with the coder's unsaved-to-main-file work in it."""
    import subprocess
    import sys

    path = tmp_path / "accord.db"
    Project.create(path, small_codebook()).close()
    coding = Project.open(path)
    coding.import_documents(documents(2))
    coding.set_coding("doc1:1", "alice", "border_control", 1)
    Project.open(path).close()  # what a worker thread does
    other = "import sys; from store import Project; Project.open(sys.argv[1]).close()"
    subprocess.run([sys.executable, "-c", other, str(path)], check=True, cwd=REPO)
    assert (tmp_path / "accord.db-wal").exists()
    count = "import sys; from store import Project; p = Project.open(sys.argv[1]); print(len(p.codings('doc1:1', 'alice')))"
    seen = subprocess.run([sys.executable, "-c", count, str(path)], check=True, cwd=REPO,
                          capture_output=True, text=True).stdout.strip()
    coding.close()
    assert seen == "1"
