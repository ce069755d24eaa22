"""No output file is written over the project or its -wal/-shm companions, under any name."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from store import Project
from tests.helpers import code_two_coders
from tui.cli import main


def _targets(project: Path) -> dict[str, Path]:
    sub = project.parent / "sub"
    sub.mkdir(exist_ok=True)
    link = project.parent / "project-link"
    if not link.exists():
        os.link(project, link)
    return {"itself": project, "via sub/..": sub / ".." / project.name, "hard link": link,
            "wal": Path(f"{project}-wal"), "shm": Path(f"{project}-shm")}


COMMANDS = {
    "export csv": ["export", "--all", "--force", "--format", "csv", "-o"],
    "export qdpx": ["export", "--force", "--format", "qdpx", "-o"],
    "agree csv": ["agree", "--format", "csv", "--force", "-o"],
    "codebook export md": ["codebook", "export", "--force", "-o"],
    "codebook export qdc": ["codebook", "export", "--format", "qdc", "--force", "-o"],
    "notes csv": ["notes", "--format", "csv", "--force", "-o"],
    "notes md": ["notes", "--format", "md", "--force", "-o"],
    "retrieve csv": ["retrieve", "--code", "border_control", "--coder", "alice", "--format", "csv", "--force", "-o"],
    "retrieve md": ["retrieve", "--code", "border_control", "--coder", "alice", "--format", "md", "--force", "-o"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("target", ["itself", "via sub/..", "hard link", "wal", "shm"])
def test_output_over_the_project_is_refused(project: Project, command: str, target: str) -> None:
    code_two_coders(project)
    path = _targets(project.path)[target]
    assert path.exists()
    before = path.read_bytes() if target in ("itself", "via sub/..", "hard link") else None
    result = CliRunner().invoke(main, ["--project", str(project.path), *COMMANDS[command], str(path)])
    assert result.exit_code == 1, result.output
    assert "is the project" in result.output and "nothing was written" in result.output.lower()
    assert "Traceback" not in result.output
    if before is not None:
        assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    with Project.open(project.path) as reopened:
        assert reopened.paragraph_count() == 5
        assert reopened.codings("doc1:2", "consensus")["border_control"] == 0


def test_a_new_file_beside_the_project_is_written(project: Project) -> None:
    code_two_coders(project)
    target = project.path.parent / "sub" / ".." / "fresh.csv"
    (project.path.parent / "sub").mkdir()
    result = CliRunner().invoke(main, ["--project", str(project.path), "export", "--all", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(project.path.parent / "fresh.csv")) == 10
