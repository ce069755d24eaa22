"""A killed export leaves its hidden temporary file (`.NAME.XXXXXXXX.tmp`) beside the output;
the next export to the same file removes such leftovers, and nothing else."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from store import Project
from tests.helpers import code_two_coders
from tui.cli import main


def aged(path: Path, seconds: float, data: bytes = b"half a file") -> Path:
    path.write_bytes(data)
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_the_next_export_removes_what_a_killed_export_left(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    project.close()
    target = tmp_path / "coded.csv"
    killed = [aged(tmp_path / ".coded.csv.k3j_9x0a.tmp", 3600), aged(tmp_path / ".coded.csv.a1b2c3d4.tmp", 120)]
    kept = [
        aged(tmp_path / ".coded.csv.zzzzzzzz.tmp", 5),       # another export writing right now
        aged(tmp_path / ".other.csv.k3j_9x0a.tmp", 3600),    # another output's
        aged(tmp_path / ".coded.csv.notmine.tmp", 3600),     # not the writer's pattern
        aged(tmp_path / "coded.csv.k3j_9x0a.tmp", 3600),     # not hidden: someone's own file
        aged(tmp_path / ".coded.csv.k3j_9x0a.tmp.bak", 3600),
    ]
    os.mkdir(tmp_path / ".coded.csv.dir12345.tmp")           # a folder, never removed
    os.utime(tmp_path / ".coded.csv.dir12345.tmp", (0, 0))
    result = CliRunner().invoke(main, ["--project", str(project.path), "export", "--coder", "alice", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(target)["paragraph_id"].tolist()[0] == "doc1:1"
    assert [p for p in killed if p.exists()] == []
    assert all(p.exists() for p in kept) and (tmp_path / ".coded.csv.dir12345.tmp").is_dir()
