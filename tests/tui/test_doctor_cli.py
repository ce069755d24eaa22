"""`accord doctor` as a researcher runs it: findings on stdout, exit 1 until repaired."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from store import Project
from tests.helpers import documents, small_codebook
from tui.cli import main


def broken_project(path: Path) -> Path:
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(5, 5))
        project.set_coding("doc1:1", "alice", "border_control", 1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("drop trigger paragraphs_au")
    conn.execute("insert into codings values ('ghost:1', 'alice', 'wmd', 1, 'now')")
    conn.commit()
    conn.close()
    return path


def test_doctor_reports_repairs_and_passes(tmp_path: Path) -> None:
    path = broken_project(tmp_path / "accord.db")
    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(path), "doctor"])
    assert result.exit_code == 1
    assert "problem  orphans" in result.stdout and "problem  search-index" in result.stdout
    assert "ok  integrity" in result.stdout
    assert "accord doctor --repair" in result.stdout
    result = runner.invoke(main, ["--project", str(path), "doctor", "--repair"])
    assert result.exit_code == 0, result.output
    assert "Repaired: deleted 1 orphan row" in result.stderr
    assert "problem" not in result.stdout
    assert runner.invoke(main, ["--project", str(path), "doctor"]).exit_code == 0


def test_doctor_on_a_missing_project_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--project", str(tmp_path / "nope.db"), "doctor"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: no project at {tmp_path / 'nope.db'}"]


def edited(path: Path, statement: str) -> Path:
    """A healthy project whose paragraph text was then changed with sqlite3, hash untouched."""
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(5, 5))
        project.set_coding("doc1:1", "alice", "border_control", 1)
    conn = sqlite3.connect(path)
    conn.execute(statement)
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    "statement",
    ["update paragraphs set text = 'changed' where id = 'doc2:3'",
     # bytes, as a tool writing BLOBs leaves them: the doctor used to crash with a traceback
     "update paragraphs set text = cast('changed' as blob) where id = 'doc2:3'"],
    ids=["text", "blob"],
)
def test_doctor_finds_a_paragraph_edited_with_sqlite(tmp_path: Path, statement: str) -> None:
    path = edited(tmp_path / "wd.db", statement)
    result = CliRunner().invoke(main, ["--project", str(path), "doctor"])
    assert result.exit_code == 1, result.output
    assert "problem  text-hash" in result.stdout
    assert "1 paragraph edited outside Accord: doc2:3" in result.stdout
    assert "no problems found" not in result.output
