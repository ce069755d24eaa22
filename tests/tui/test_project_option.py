"""`--project PATH` before or after the command, as README promises, and a folder named as the
project gets a plain answer instead of "damaged"."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from store import Project
from tests.helpers import documents, small_codebook
from tui.cli import main

WITHOUT_PROJECT = {("demo",): "builds its own project in --dir", ("codebook", "check"): "checks a codebook FILE"}
"""Commands that read no project file, and why."""


def every_command() -> list[tuple[str, ...]]:
    """The path of every command of `accord`, sub-commands of groups included."""

    def walk(group: click.Group, ctx: click.Context, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        found: list[tuple[str, ...]] = []
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None
            if isinstance(command, click.Group):
                found += walk(command, ctx, (*prefix, name))
            else:
                found.append((*prefix, name))
        return found

    with main.make_context("accord", ["--help"], resilient_parsing=True) as ctx:
        return walk(main, ctx, ())


def accord(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "season.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3, 2))
    return path


def test_status_takes_project_after_the_command(project_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path / "..")  # no ./accord.db here: the option must be what finds the file
    before = accord("--project", str(project_path), "status", "--json")
    after = accord("status", "--project", str(project_path), "--json")
    assert after[0] == 0, after[2]
    assert after == before


def test_a_subcommand_takes_project_after_its_name(project_path: Path) -> None:
    code, stdout, stderr = accord("codebook", "show", "--brief", "--project", str(project_path))
    assert code == 0, stderr
    assert "border_control" in stdout or "Border control" in stdout


def test_two_different_projects_are_refused(project_path: Path, tmp_path: Path) -> None:
    code, _, stderr = accord("--project", str(project_path), "status", "--project", str(tmp_path / "other.db"))
    assert code == 2
    assert "--project" in stderr and "other.db" in stderr


COMMAND_ARGS: dict[tuple[str, ...], list[str]] = {
    ("init",): [],
    ("import",): ["{file}"],
    ("status",): [],
    ("code",): [],
    ("codebook", "show"): [],
    ("codebook", "update"): ["{file}"],
    ("codebook", "export"): [],
    ("codebook", "keys"): [],
    ("doctor",): [],
    ("agree",): [],
    ("import-codings",): ["{file}"],
    ("export",): [],
    ("handout",): ["--coders", "a,b"],
    ("merge",): ["{file}"],
    ("adjudicate",): [],
    ("notes",): [],
    ("retrieve",): ["--code", "border_control"],
    ("overview",): [],
    ("suggest", "train"): [],
    ("suggest", "report"): [],
}
"""Enough arguments for each command to reach the project file."""


def test_the_table_above_names_every_command() -> None:
    assert sorted(COMMAND_ARGS) == sorted(set(every_command()) - set(WITHOUT_PROJECT))


@pytest.mark.parametrize("command", sorted(COMMAND_ARGS), ids=" ".join)
def test_every_command_takes_project_after_it_and_says_a_folder_is_a_folder(command: tuple[str, ...],
                                                                          tmp_path: Path) -> None:
    folder = tmp_path / "fieldwork"
    folder.mkdir()
    (tmp_path / "some.txt").write_text("A paragraph.\n")
    args = [arg.format(file=tmp_path / "some.txt") for arg in COMMAND_ARGS[command]]
    code, _, stderr = accord(*command, *args, "--project", str(folder))
    assert (code, stderr.strip()) == (1, f"Error: {folder} is a folder, not a project file")


def test_a_folder_before_the_command_is_a_folder_too(tmp_path: Path) -> None:
    code, _, stderr = accord("--project", str(tmp_path), "status")
    assert (code, stderr.strip()) == (1, f"Error: {tmp_path} is a folder, not a project file")


@pytest.mark.parametrize("command", [(), *sorted(COMMAND_ARGS)], ids=lambda c: " ".join(c) or "accord")
def test_help_says_where_project_goes(command: tuple[str, ...]) -> None:
    code, stdout, _ = accord(*command, "--help")
    assert code == 0
    assert "--project PATH" in stdout
    if not command:
        assert "before or after the command's name" in " ".join(stdout.split())
