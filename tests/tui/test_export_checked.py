"""`accord export -o FILE` checks the project's pages while it reads and writes (not before), and
a damaged file still stops it before the file is put in place: exit 1, one line, no file."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

import store.integrity
import store.project
import store.range_reads
from store import ProjectError
from tests.exports.test_drift import random_project
from tests.tui.test_agree_by_document import damaged
from tui.cli import main

FORMATS = ["csv", "parquet", "tsv", "dta"]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".out."))


@pytest.mark.parametrize("table", ["codings", "events"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_damaged_project_is_refused_in_one_line_and_no_file_written(tmp_path: Path, table: str,
                                                                       fmt: str) -> None:
    """Damage in a table the export reads (codings) or not (events) stops it, in one line, with
    no output file and no temporary file left, whether or not the read stumbled on it."""
    path = damaged(tmp_path, table)
    before = path.read_bytes()
    target = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(main, ["--project", str(path), "export", "--coder", "ann", "-o", str(target)])
    assert result.exit_code == 1, result.output
    assert "is damaged" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert not target.exists() and leftovers(tmp_path) == []
    assert path.read_bytes() == before


def late_check(monkeypatch: pytest.MonkeyPatch, verdict: Exception | None) -> dict[str, bool]:
    """SQLite's page check replaced by one that waits until the export has read its paragraphs,
    then gives `verdict`: what it saw is returned."""
    read = threading.Event()
    seen = {"read before the check ended": False}
    paragraph_columns = store.range_reads.RangeReads.paragraph_columns

    def reading(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        table = paragraph_columns(self, *args, **kwargs)
        read.set()
        return table

    def check(db: sqlite3.Connection, path: Path, *args: object, **kwargs: object) -> None:
        # Waits for the read (a check run before the reads would wait in vain, then go on).
        seen["read before the check ended"] = read.wait(timeout=5)
        if verdict is not None:
            raise verdict

    monkeypatch.setattr(store.range_reads.RangeReads, "paragraph_columns", reading)
    monkeypatch.setattr(store.integrity, "quick_check", check)
    monkeypatch.setattr(store.project, "quick_check", check)
    return seen


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_page_check_runs_while_the_export_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    fmt: str) -> None:
    """At 1,000,000 paragraphs the check is seconds, a fifth of an export: it runs beside the
    reads, and the file is written as before."""
    random_project(tmp_path / "accord.db", 1)
    seen = late_check(monkeypatch, None)
    target = tmp_path / f"out.{fmt}"
    result = CliRunner().invoke(main, ["--project", str(tmp_path / "accord.db"), "export", "--coder", "ann",
                                       "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert seen["read before the check ended"]
    assert target.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_check_that_fails_after_the_reads_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          fmt: str) -> None:
    """The verdict is awaited before the written file is put in place: a damaged verdict that
    comes after every chunk was read and written still leaves no file, and an existing file
    (--force) as it was."""
    random_project(tmp_path / "accord.db", 1)
    target = tmp_path / f"out.{fmt}"
    target.write_bytes(b"earlier export")
    seen = late_check(monkeypatch, ProjectError(f"{tmp_path / 'accord.db'} is damaged (page 7); restore it"))
    result = CliRunner().invoke(main, ["--project", str(tmp_path / "accord.db"), "export", "--coder", "ann",
                                       "-o", str(target), "--force"])
    assert result.exit_code == 1, result.output
    assert "is damaged (page 7)" in result.output and "Traceback" not in result.output
    assert seen["read before the check ended"]
    assert target.read_bytes() == b"earlier export" and leftovers(tmp_path) == []


def test_stdout_is_checked_before_anything_is_printed(tmp_path: Path) -> None:
    """Without -o the rows go out as they are made, and cannot be taken back: the pages are
    checked first, as before."""
    path = damaged(tmp_path, "events")
    result = CliRunner().invoke(main, ["--project", str(path), "export", "--coder", "ann"])
    assert result.exit_code == 1 and "is damaged" in result.output
    assert "paragraph_id" not in result.output
