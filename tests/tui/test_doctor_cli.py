"""`accord doctor` as a researcher runs it: findings on stdout, exit 1 until repaired."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from store import CHECKS, Project, read_paths
from tests.helpers import KAZAKHSTAN, SMALL_YAML, documents, small_codebook
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


def coded_project(path: Path) -> Path:
    """A closed project with codings, every page in the main file (no WAL left beside it)."""
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(60, 60, 60))
        for number in range(1, 40):
            project.set_coding(f"doc1:{number}", "alice", "border_control", 1)
            project.set_status(f"doc1:{number}", "alice", "done")
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def truncated(path: Path, pages: int = 3) -> Path:
    """`path` cut short by a copy that stopped `pages` pages (and a bit) before the end."""
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size - pages * 4096 - 100)
    return path


def statuses(stdout: str) -> dict[str, str]:
    """Each check's status as printed: ok, problem or not run."""
    names = [name for name, _ in CHECKS]
    found = {}
    for line in stdout.splitlines():
        for status in ("ok", "problem", "not run"):
            words = line.strip().removeprefix(status).split()
            if line.strip().startswith(status) and words and words[0] in names:
                found[words[0]] = status
    return found


def advised_commands(stdout: str) -> list[str]:
    """The commands in the doctor's advice: what it puts between backticks."""
    return [command for command in re.findall(r"`([^`]+)`", stdout) if command.startswith(("accord", "sqlite3"))]


def run(command: str, cwd: Path, only_accord: bool = False) -> subprocess.CompletedProcess[str]:
    """A command as the researcher would paste it into a shell, with this Accord on the PATH
    (and, `only_accord`, nothing else: no sqlite3 program to lean on)."""
    accord = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": accord if only_accord else f"{accord}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("damage", ["truncated", "cut in half", "not sqlite"])
def test_doctor_prints_ok_only_for_checks_it_ran(tmp_path: Path, damage: str) -> None:
    if damage != "not sqlite":
        path = coded_project(tmp_path / "accord.db")
        path = truncated(path, pages=3 if damage == "truncated" else path.stat().st_size // 8192)
    else:
        path = tmp_path / "accord.db"
        path.write_text("id,text\n1,Not a project.\n")
    result = CliRunner().invoke(main, ["doctor", "--project", str(path)])
    assert result.exit_code == 1, result.output
    printed = statuses(result.stdout)
    assert set(printed) == {name for name, _ in CHECKS}
    assert printed["integrity"] == "problem"
    assert "ok" not in printed.values(), result.stdout
    assert "not run: " in result.stdout
    assert "Traceback" not in result.output
    for command in advised_commands(result.stdout):  # a file cut in half has nothing to salvage
        assert run(command, tmp_path, only_accord=True).returncode == 0 or command.startswith("accord doctor --project")
    if damage == "not sqlite":
        assert "check that --project names your project file" in result.stdout


def test_every_command_the_doctor_advises_for_a_damaged_file_works(tmp_path: Path) -> None:
    path = truncated(coded_project(tmp_path / "accord.db"))
    before = path.read_bytes()
    doctor = run(f"accord doctor --project {path}", tmp_path)
    assert doctor.returncode == 1, doctor.stderr
    commands = advised_commands(doctor.stdout)
    assert any("--salvage" in c for c in commands), doctor.stdout
    for command in commands:
        # No sqlite3 program on the PATH: many users have none, and Debian's cannot `.recover`.
        result = run(command, tmp_path, only_accord=True)
        assert "Error" not in result.stderr and "Traceback" not in result.stderr, (command, result.stderr)
        assert result.returncode == 0 or command.startswith("accord doctor --project"), (command, result.stderr)
    assert path.read_bytes() == before, "the salvage must leave the damaged file as it was"
    [recovered] = [p for p in tmp_path.iterdir() if p.name == "accord-recovered.db"]
    check = run(f"accord doctor --project {recovered}", tmp_path)
    for command in advised_commands(check.stdout):  # e.g. --repair of rows whose paragraph was lost
        assert run(command, tmp_path, only_accord=True).returncode == 0, command
    assert run(f"accord doctor --project {recovered}", tmp_path).returncode == 0
    with Project.open(recovered) as project:
        assert 0 < project.paragraph_count() <= 180
        assert project.search("paragraph") != []
    # Damaged in turn, the copy gets a salvage into yet another file, never into itself.
    again = run(f"accord doctor --project {truncated(recovered)}", tmp_path)
    salvage = next(c for c in advised_commands(again.stdout) if "--salvage" in c)
    assert salvage.split("--salvage")[1].strip() == str(tmp_path / "accord-recovered-recovered.db")


def test_the_advice_for_codings_of_unknown_codes_works(tmp_path: Path) -> None:
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(5))
        project.set_coding("doc1:1", "alice", "border_control", 1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("insert into codings values ('doc1:2', 'alice', 'arms_embargo', 1, 'now')")
    conn.commit()
    conn.close()
    result = CliRunner().invoke(main, ["doctor", "--project", str(path)])
    assert result.exit_code == 1
    assert "arms_embargo" in result.stdout
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(SMALL_YAML.replace("variables:", "  - id: arms_embargo\n    label: Arms embargo\nvariables:"))
    for command in advised_commands(result.stdout):
        done = run(command.replace("FILE", str(codebook)), tmp_path)
        assert done.returncode == 0, (command, done.stderr)
    assert CliRunner().invoke(main, ["doctor", "--project", str(path)]).exit_code == 0


def test_a_salvaged_corpus_comes_back_whole_with_its_codings(tmp_path: Path) -> None:
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(read_paths([KAZAKHSTAN])[0])
        for paragraph in project.paragraphs()[:30]:
            project.set_coding(paragraph.id, "alice", "wmd", 1)
            project.set_status(paragraph.id, "alice", "done")
        before = {p.id: project.codings(p.id, "alice") for p in project.paragraphs()}
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    truncated(path, pages=10)  # in SQLite 3.40: paragraphs of 4 documents lost, codings kept
    advice = advised_commands(run(f"accord doctor --project {path}", tmp_path).stdout)
    salvage = run(next(c for c in advice if "--salvage" in c), tmp_path, only_accord=True)
    assert salvage.returncode == 0, salvage.stderr
    # Every command it then names, in order: re-imports of the documents that lost paragraphs, the check.
    if "lost paragraphs" in salvage.stderr:
        assert any(c.startswith("accord import") for c in advised_commands(salvage.stderr)), salvage.stderr
    for command in advised_commands(salvage.stderr):
        result = run(command, tmp_path, only_accord=True)
        assert "Error" not in result.stderr, (command, result.stderr)
    recovered = tmp_path / "accord-recovered.db"
    assert run(f"accord doctor --project {recovered}", tmp_path).returncode == 0
    with Project.open(recovered) as project:
        assert (project.document_count(), project.paragraph_count()) == (5, 41)
        after = {p.id: project.codings(p.id, "alice") for p in project.paragraphs()}
    kept = [p for p in before if before[p] and after[p] == before[p]]
    assert all(after[p] in ({}, before[p]) for p in before)
    assert kept, "the codings table was readable: its rows must find their paragraphs again"
