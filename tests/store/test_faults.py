"""Faults a coder's laptop meets: a process killed at any moment, two windows on one project,
an import killed midway, a read-only or damaged file. Real processes on a real file."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from store import Project
from store.doctor import diagnose
from tests.helpers import REPO, documents, small_codebook

CODER = """
import sys
from store import Project
path, coder, code, first = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with Project.open(path) as project:
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        sys.exit(2)
    for seq in range(first, project.paragraph_count() + 1):
        pid = project.paragraph_at(seq).id
        project.set_coding(pid, coder, code, 1)
        print("saved coding", pid, flush=True)
        project.set_status(pid, coder, "done")
        print("saved done", pid, flush=True)
"""

IMPORTER = """
import sys
from store import Project
from store.intake.source import SourceDocument
def corpus():
    for d in range(int(sys.argv[2])):
        yield SourceDocument(id=f"new{d}", paragraphs=[f"Zanzibar paragraph {p} of new{d}." for p in range(10)])
with Project.open(sys.argv[1]) as project:
    project.import_documents(corpus(), on_document=lambda doc: print("imported", doc.id, flush=True))
print("finished", flush=True)
"""


def start(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], cwd=REPO, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def go(process: subprocess.Popen[str]) -> None:
    """Wait until the child has the project open, then let it start writing."""
    assert process.stdout is not None and process.stdin is not None
    assert process.stdout.readline().strip() == "ready", process.stderr.read() if process.stderr else ""
    process.stdin.write("go\n")
    process.stdin.flush()


def new_project(path: Path, *sizes: int) -> Path:
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(*sizes))
    return path


def snapshot(path: Path) -> dict[str, object]:
    """Everything an import could touch, to compare before and after."""
    with Project.open(path) as project:
        return {
            "documents": project.db.execute("select * from documents order by id").fetchall(),
            "paragraphs": project.db.execute("select id, seq, sha256 from paragraphs order by id").fetchall(),
            "codings": project.db.execute("select * from codings order by 1, 2, 3").fetchall(),
            "hits": [h.paragraph_id for h in project.search("Zanzibar")],
        }


def test_sigkill_at_random_moments_loses_no_reported_coding(tmp_path: Path) -> None:
    path = new_project(tmp_path / "accord.db", 40, 40, 40)
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    reported: list[tuple[str, str]] = []
    for _ in range(6):
        child = start(CODER, path, "alice", "border_control", rng.randint(1, 100))
        go(child)
        assert child.stdout is not None
        lines = [child.stdout.readline() for _ in range(rng.randint(1, 20))]
        time.sleep(rng.uniform(0, 0.004))  # land inside a transaction, or between two
        child.send_signal(signal.SIGKILL)
        lines += child.stdout.read().splitlines(keepends=True)  # reported before dying: promised saved
        child.wait()
        # A line cut off by the kill was never a complete report.
        saved = [(line.split()[1], line.split()[2]) for line in lines
                 if line.startswith("saved") and line.endswith("\n")]
        reported += saved
    assert reported, f"seed {seed}: the child never reported a save"
    with Project.open(path) as project:
        for what, pid in reported:
            if what == "coding":
                assert project.codings(pid, "alice") == {"border_control": 1}, f"seed {seed}: lost {pid}"
            else:
                assert project.status(pid, "alice").status == "done", f"seed {seed}: lost status of {pid}"
    assert diagnose(path) == []


def test_two_processes_coding_at_once_both_keep_everything(tmp_path: Path) -> None:
    path = new_project(tmp_path / "accord.db", 30, 30)
    # The same coder in two windows, each applying a different code to the same paragraphs:
    # every write contends for the same rows and the same lock.
    children = [start(CODER, path, "alice", code, 1) for code in ("border_control", "wmd")]
    for child in children:
        go(child)
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (stdout, stderr) in zip(children, outputs, strict=True):
        assert child.returncode == 0, stderr
        assert "locked" not in stderr
        assert stdout.count("saved coding") == 60
    with Project.open(path) as project:
        for paragraph in project.paragraphs():
            assert project.codings(paragraph.id, "alice") == {"border_control": 1, "wmd": 1}
            assert project.status(paragraph.id, "alice").status == "done"
        assert len(project.events("alice")) == 240


def test_import_killed_midway_leaves_the_project_as_before(tmp_path: Path) -> None:
    path = new_project(tmp_path / "accord.db", 5, 5)
    with Project.open(path) as project:
        project.set_coding("doc1:1", "alice", "border_control", 1)
    before = snapshot(path)
    child = start(IMPORTER, path, 5000)
    assert child.stdout is not None
    for _ in range(800):
        assert child.stdout.readline().startswith("imported")
    child.send_signal(signal.SIGKILL)
    assert "finished" not in child.stdout.read()
    child.wait()
    assert snapshot(path) == before
    assert diagnose(path) == []


def unprivileged(command: list[str]) -> list[str]:
    """Run `command` so that file permissions apply: root ignores them unless its capabilities
    to override them are dropped."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: root ignores read-only permissions")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner", *command]


def accord(*args: object, privileged: bool = True) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "tui", *map(str, args)]
    return subprocess.run(command if privileged else unprivileged(command), cwd=REPO,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def read_only_folder(tmp_path: Path):
    folder = tmp_path / "shared"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)
    for file in folder.iterdir():
        file.chmod(0o644)


def test_read_only_file_is_a_one_line_error(read_only_folder: Path) -> None:
    path = new_project(read_only_folder / "accord.db", 3)
    conn = sqlite3.connect(path)
    conn.execute("drop trigger paragraphs_au")  # something for --repair to write
    conn.close()
    path.chmod(0o444)
    result = accord("--project", path, "doctor", "--repair", privileged=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot write to {path}: the file or its folder is read-only (Accord writes the "
        "project and two companion files, -wal and -shm, beside it). Make both writable, "
        "or copy the project somewhere you can write"
    ]
    assert "Traceback" not in result.stderr


def test_init_in_a_read_only_folder_is_a_one_line_error(read_only_folder: Path) -> None:
    pytest.importorskip("store.codebook.parser")  # `accord init` loads the shipped codebook
    read_only_folder.chmod(0o555)
    result = accord("--project", read_only_folder / "accord.db", "init", privileged=False)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: cannot open {read_only_folder / 'accord.db'}")
    assert not (read_only_folder / "accord.db").exists()


def test_truncated_file_is_a_one_line_error_at_open(tmp_path: Path) -> None:
    path = new_project(tmp_path / "accord.db", 40, 40)
    with Project.open(path) as project:
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 3)
    result = accord("--project", path, "status")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "is damaged (truncated" in line and "backup" in line and "accord doctor" in line


MERGER = """
import sys, time
from pathlib import Path
from store import Project
from store.teams.merge import merge_files
merged = []
def on_file(path):
    merged.append(path)
    print("merged", path, flush=True)
    if len(merged) == 2:
        time.sleep(60)  # hold the transaction open: the parent kills us here, mid-merge
with Project.open(Path(sys.argv[1])) as lead:
    merge_files(lead, [Path(p) for p in sys.argv[2:]], on_file=on_file)
print("finished", flush=True)
"""


def test_merge_killed_midway_leaves_the_project_as_before(tmp_path: Path) -> None:
    from store.teams.handout import hand_out

    lead = new_project(tmp_path / "lead.db", 20, 20)
    with Project.open(lead) as project:
        files = hand_out(project, ["ann", "bob", "cyd", "dan"], tmp_path / "out", overlap=0.5, seed=1).files
    for coder, path in files.items():
        with Project.open(path) as copy:
            for (pid,) in copy.db.execute("select paragraph_id from assignments where coder_id = ?", [coder]).fetchall():
                copy.set_coding(pid, coder, "border_control", 1)
                copy.set_status(pid, coder, "done")
    with Project.open(lead) as project:
        before = {table: project.db.execute(f"select * from {table} order by 1, 2").fetchall()
                  for table in ("codings", "paragraph_status", "events", "coders")}
    child = start(MERGER, lead, *files.values())
    assert child.stdout is not None
    assert child.stdout.readline().startswith("merged")
    assert child.stdout.readline().startswith("merged")
    child.send_signal(signal.SIGKILL)
    child.wait()
    with Project.open(lead) as project:
        for table, rows in before.items():
            assert project.db.execute(f"select * from {table} order by 1, 2").fetchall() == rows, table
    assert diagnose(lead) == []
    # The merge, run again to the end, brings everything in.
    from store.teams.merge import merge_files

    with Project.open(lead) as project:
        merge_files(project, list(files.values()))
        assert set(project.coders()) >= set(files)
        assert project.progress("ann").done > 0
