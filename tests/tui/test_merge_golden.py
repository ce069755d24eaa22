"""`accord merge` of a small team, pinned: the lead's codings, statuses, notes, flags, events
and the printed report after a first merge, a dry run, the merge proper and a merge again.

The expected result (tests/data/merge_golden.json) was written by the merge as it was before
its speed work, so any change to what a merge produces shows here. Timestamps are replaced by
their rank among the project's timestamps and event ids by what the event did: both are drawn
afresh at each run, their order is not.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from store import Project, now
from tests.helpers import DATA, SMALL_YAML, documents, small_codebook
from tui.cli import main

GOLDEN = DATA / "merge_golden.json"


def accord(project: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["--project", str(project), *args], catch_exceptions=False)
    return {"exit": result.exit_code, "stdout": result.stdout, "stderr": result.stderr}


def code(path: Path, coder: str, shift: int, only: set[int] | None = None, later: bool = False) -> None:
    """The coder works through their assigned paragraphs, every kind of write by a rule of the
    paragraph's seq: codes, the variable, notes, flags, skips, an undo; `later` is a second
    session on `only` of them that changes some values again."""
    with Project.open(path) as project:
        seqs = [row[0] for row in project.db.execute(
            "select p.seq from assignments a join paragraphs p on p.id = a.paragraph_id "
            "where a.coder_id = ? order by p.seq", [coder])]
        for seq in seqs:
            if only is not None and seq not in only:
                continue
            paragraph = project.paragraph_at(seq).id
            k = seq + shift
            if later:
                project.set_coding(paragraph, coder, "wmd", int(k % 2 == 0))
                project.set_coding(paragraph, coder, "stance", "oppose" if k % 3 else None)
                project.set_note(paragraph, coder, f"{coder} again on {seq}" if k % 2 else None)
                project.set_flag(paragraph, coder, k % 3 == 0)
                project.set_status(paragraph, coder, "skipped" if k % 4 == 0 else "done")
                continue
            if k % 4 == 0:
                project.set_coding(paragraph, coder, "border_control", 1)
            if k % 3 == 0:
                project.set_coding(paragraph, coder, "wmd", 1)
                if k % 2:
                    project.set_coding(paragraph, coder, "nuclear", 1)
            if k % 8 == 2:
                project.set_coding(paragraph, coder, "wmd", 1)
                project.undo(coder)
            if k % 5 < 2:
                project.set_coding(paragraph, coder, "stance", "support" if k % 5 == 0 else "oppose")
            if k % 7 == 3:
                project.set_note(paragraph, coder, f"{coder} on {seq}")
            if k % 6 == 1:
                project.set_flag(paragraph, coder, True)
            if seq != seqs[-1]:
                project.set_status(paragraph, coder, "skipped" if k % 9 == 4 else "done")


def second_machine(source: Path, target: Path) -> Path:
    """A copy of a coder's file, as if carried to another computer and coded there too."""
    conn = sqlite3.connect(source)
    conn.execute("vacuum into ?", [str(target)])
    conn.close()
    return target


def same_instant(files: list[Path], paragraph: str, coder: str, at: str) -> None:
    """Two machines that wrote the same coding in the same microsecond, differently: the tie is
    broken by the ids of the events that wrote them (fixed here, random in Accord)."""
    for value, (path, event) in enumerate(zip(files, ("e-0000", "e-ffff"), strict=True)):
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("insert or replace into codings values (?, ?, 'border_control', ?, ?)",
                         [paragraph, coder, value, at])
            conn.execute("insert into events (id, at, coder_id, paragraph_id, code_id, action, value) "
                         "values (?, ?, ?, ?, 'border_control', 'code', ?)", [event, at, coder, paragraph, value])
        conn.close()


def state(path: Path) -> dict[str, Any]:
    """The lead's merged tables, sorted, with timestamps as ranks and event ids as descriptions."""
    conn = sqlite3.connect(path)
    try:
        stamps = sorted({row[0] for table, column in (("codings", "updated_at"), ("paragraph_status", "updated_at"),
                                                      ("events", "at"))
                         for row in conn.execute(f"select {column} from {table}")})
        rank = {stamp: i for i, stamp in enumerate(stamps)}
        events = conn.execute("select id, at, coder_id, paragraph_id, code_id, action, value, previous, undoes "
                              "from events").fetchall()
        what = {row[0]: [rank[row[1]], *row[2:8]] for row in events}
        return {
            "coders": [row[0] for row in conn.execute("select id from coders order by id")],
            "assignments": [list(row) for row in conn.execute(
                "select paragraph_id, coder_id from assignments order by 1, 2")],
            "codings": sorted([*row[:4], rank[row[4]]] for row in conn.execute(
                "select paragraph_id, coder_id, code_id, value, updated_at from codings")),
            "statuses": sorted([*row[:5], rank[row[5]]] for row in conn.execute(
                "select paragraph_id, coder_id, status, flagged, note, updated_at from paragraph_status")),
            "events": sorted([*what[row[0]], what[row[8]] if row[8] else None] for row in events),
        }
    finally:
        conn.close()


def team_merged(tmp_path: Path) -> dict[str, Any]:
    """Three coders, ann on two machines whose work diverged, merged in three steps."""
    lead = tmp_path / "study.db"
    # stance required where a code is applied: the report's notes on done paragraphs without it
    book = small_codebook(SMALL_YAML.replace("    key: s\n", "    key: s\n    required: when_coded\n"))
    book = replace(book, variables=tuple(replace(v, required="when_coded") for v in book.variables))
    with Project.create(lead, book) as project:
        project.import_documents(documents(6, 5, 4))
    handout = accord(lead, "handout", "--coders", "ann,ben,cam", "--overlap", "0.5", "--seed", "7",
                     "--out", str(tmp_path))
    steps: dict[str, Any] = {"handout": {"exit": handout["exit"], "stderr": handout["stderr"]}}  # stdout: tmp paths
    files = {coder: tmp_path / f"study-{coder}.db" for coder in ("ann", "ben", "cam")}
    for shift, (coder, path) in enumerate(files.items()):
        code(path, coder, shift)
    laptop = second_machine(files["ann"], tmp_path / "study-ann-laptop.db")
    with Project.open(files["ann"]) as project:
        ann_seqs = [project.paragraph(row[0]).seq for row in project.db.execute(
            "select paragraph_id from assignments where coder_id = 'ann' order by 1")]
    code(files["ann"], "ann", 0, only=set(ann_seqs[:4]), later=True)
    steps["first"] = accord(lead, "merge", str(files["ann"]))
    code(laptop, "ann", 1, only=set(ann_seqs[2:6]), later=True)
    tablet = second_machine(files["ben"], tmp_path / "study-ben-tablet.db")
    with Project.open(tablet) as project:
        ben_first = project.db.execute("select min(paragraph_id) from assignments where coder_id = 'ben'").fetchone()[0]
    same_instant([files["ben"], tablet], ben_first, "ben", now())
    rest = [str(laptop), str(files["ben"]), str(tablet), str(files["cam"])]
    steps["dry_run"] = accord(lead, "merge", "--dry-run", *rest)
    steps["merge"] = accord(lead, "merge", *rest)
    steps["state"] = state(lead)
    steps["again"] = accord(lead, "merge", str(files["ann"]), *rest)
    steps["state_again"] = state(lead)
    return steps


def test_merging_a_small_team_gives_the_pinned_result(tmp_path: Path) -> None:
    result = json.loads(json.dumps(team_merged(tmp_path)))
    expected = json.loads(GOLDEN.read_text())
    for step in ("handout", "first", "dry_run", "merge", "state", "again", "state_again"):
        assert result[step] == expected[step], step
    assert result["state_again"] == result["state"]  # merging again changes nothing
