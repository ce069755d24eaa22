"""`accord code`: clear one-line errors before any screen, and --coder reaches the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from store import Project
from tests.helpers import small_codebook
from tui.app import AccordApp
from tui.cli import main


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_no_project_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("--project", str(tmp_path / "none.db"), "code")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: no project at {tmp_path / 'none.db'}; create one with `accord init`"]


def test_a_project_without_documents_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    Project.create(path, small_codebook()).close()
    result = run("--project", str(path), "code", "--coder", "alice")
    assert result.exit_code == 1
    assert "has no documents yet" in result.output and "accord import" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_coder_option_and_help(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project_path: Path) -> None:
    opened: list[tuple[Path, str]] = []
    monkeypatch.setattr(AccordApp, "run", lambda self: opened.append((self.project_path, self.session.coder)))
    monkeypatch.setattr("tui.commands.common.on_a_terminal", lambda: True)
    result = run("--project", str(project_path), "code", "--coder", "carol")
    assert result.exit_code == 0, result.output
    assert opened == [(project_path, "carol")]
    with Project.open(project_path) as project:
        assert "carol" in project.coders()
    assert "enter    done, next not done" in run("code", "--help").output


def test_consensus_is_not_a_coder_name(project_path: Path) -> None:
    result = run("--project", str(project_path), "code", "--coder", "consensus")
    assert result.exit_code == 1
    assert "reserved for adjudicated values" in result.output


def test_without_a_terminal_the_screen_is_refused_in_one_line(project_path: Path) -> None:
    """A script or a pipe would hang on a full-screen app nobody sees."""
    result = run("--project", str(project_path), "code", "--coder", "carol")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: `accord code` is a full-screen view and needs a terminal; its input or output is redirected here"
    ]
