"""Each coding event records whether a suggestion was visible (issue 16: automation bias, measured)."""

from __future__ import annotations

import shutil
from pathlib import Path

from store import Project, merge_files


def flags(project: Project) -> list[tuple[object, ...]]:
    return project.db.execute("select paragraph_id, code_id, suggested from events order by rowid").fetchall()


def test_a_coding_event_records_whether_a_suggestion_was_visible(project: Project) -> None:
    project.set_coding("doc1:1", "ann", "wmd", 1, suggested=True)
    project.set_coding("doc1:2", "ann", "wmd", 1, suggested=False)
    project.set_coding("doc1:3", "ann", "wmd", 1)
    assert flags(project) == [("doc1:1", "wmd", 1), ("doc1:2", "wmd", 0), ("doc1:3", "wmd", None)]
    assert [event.suggested for event in project.events("ann")] == [None, 0, 1]


def test_merge_carries_the_flag(project: Project, tmp_path: Path) -> None:
    project.db.execute("pragma wal_checkpoint(truncate)")
    laptop = Path(shutil.copy(project.path, tmp_path / "laptop.db"))
    with Project.open(laptop) as copy:
        copy.toggle("doc1:2", "cat", "wmd", suggested=True)
    merge_files(project, [laptop])
    assert flags(project) == [("doc1:2", "wmd", 1)]
