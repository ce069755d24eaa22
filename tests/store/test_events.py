"""The one write path (store/events.py): whichever job writes a change, its rows and its event
are stored alike, value types included."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from store import CONSENSUS, Project, accept_unanimous, merge_files

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def event_rows(project: Project, coder: str) -> list[tuple[object, ...]]:
    """Every event of `coder` but its id and time, with the SQLite type of value and previous."""
    return project.db.execute(
        """select paragraph_id, code_id, action, value, typeof(value), previous, typeof(previous), undoes
           from events where coder_id = ? order by rowid""", [coder]).fetchall()


def assert_events_match_rows(project: Project) -> None:
    """Each event id is a UUID 4, and each coding and status row is stamped with its last event."""
    for (event_id,) in project.db.execute("select id from events"):
        assert UUID4.match(event_id), event_id
    stale = project.db.execute(
        """select count(*) from codings c where c.updated_at != (select max(at) from events e
               where e.coder_id = c.coder_id and e.paragraph_id = c.paragraph_id and e.code_id = c.code_id)"""
    ).fetchone()[0]
    assert stale == 0


def test_the_coding_screen_writes_a_change_with_its_event(project: Project) -> None:
    project.set_coding("doc1:1", "ann", "wmd", 1)
    project.set_coding("doc1:1", "ann", "stance", "support")
    project.set_status("doc1:1", "ann", "done")
    project.set_flag("doc1:1", "ann", True)
    project.set_note("doc1:1", "ann", "hm")
    project.undo("ann")
    assert event_rows(project, "ann")[:5] == [
        ("doc1:1", "wmd", "code", 1, "integer", None, "null", None),
        ("doc1:1", "stance", "code", "support", "text", None, "null", None),
        ("doc1:1", None, "status", "done", "text", None, "null", None),
        ("doc1:1", None, "flag", 1, "integer", 0, "integer", None),
        ("doc1:1", None, "note", "hm", "text", None, "null", None),
    ]
    undo = event_rows(project, "ann")[5]
    assert undo[:7] == ("doc1:1", None, "undo", None, "null", "hm", "text") and undo[7] is not None
    assert project.status("doc1:1", "ann").note is None
    assert_events_match_rows(project)


def test_import_codings_writes_what_the_screen_writes(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "codings.csv"
    path.write_text("paragraph_id,coder,code,value\ndoc1:1,ann,wmd,1\ndoc1:1,ann,stance,support\n", encoding="utf-8")
    project.import_codings(path)
    assert event_rows(project, "ann") == [
        ("doc1:1", "wmd", "code", 1, "integer", None, "null", None),
        ("doc1:1", "stance", "code", "support", "text", None, "null", None),
        ("doc1:1", None, "status", "done", "text", None, "null", None),
    ]
    assert project.db.execute(
        "select value, typeof(value) from codings where coder_id = 'ann' order by code_id").fetchall() == [
        ("support", "text"), (1, "integer")]
    assert_events_match_rows(project)


def test_accept_unanimous_writes_what_the_screen_writes(project: Project) -> None:
    for coder in ("ann", "ben"):
        project.set_coding("doc1:1", coder, "wmd", 1)
        project.set_coding("doc1:1", coder, "stance", "oppose")
        project.set_status("doc1:1", coder, "done")
    accept_unanimous(project)
    assert event_rows(project, CONSENSUS) == [
        ("doc1:1", "stance", "code", "oppose", "text", None, "null", None),
        ("doc1:1", "wmd", "code", 1, "integer", None, "null", None),
        ("doc1:1", None, "status", "done", "text", None, "null", None),
    ]
    assert project.status("doc1:1", CONSENSUS).status == "done"
    assert_events_match_rows(project)


def test_merge_copies_rows_and_events_unchanged(project: Project, tmp_path: Path) -> None:
    project.db.execute("pragma wal_checkpoint(truncate)")  # the copy must hold every page
    laptop = Path(shutil.copy(project.path, tmp_path / "laptop.db"))
    with Project.open(laptop) as copy:
        copy.set_coding("doc1:2", "cat", "wmd", 1)
        copy.set_status("doc1:2", "cat", "done")
        theirs = copy.db.execute("select * from events order by id").fetchall()
        codings = copy.db.execute("select *, typeof(value) from codings order by paragraph_id").fetchall()
    merge_files(project, [laptop])
    assert project.db.execute("select * from events order by id").fetchall() == theirs
    assert project.db.execute("select *, typeof(value) from codings order by paragraph_id").fetchall() == codings
    assert_events_match_rows(project)
