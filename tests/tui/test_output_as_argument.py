"""A researcher who types `accord export out.dta` meant `-o out.dta`: the refusal says so."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from tests.tui.test_project_option import accord, every_command
from tui.cli import main

REQUIRED = {("retrieve",): ("--code", "border")}
"""Options a command refuses to run without, which click checks before stray words."""


def commands_writing_a_file() -> list[tuple[str, ...]]:
    with main.make_context("accord", ["--help"], resilient_parsing=True) as ctx:
        found = []
        for path in every_command():
            command: click.Command | None = main
            for name in path:
                assert isinstance(command, click.Group)
                command = command.get_command(ctx, name)
            assert command is not None
            if any(param.name == "output" for param in command.params):
                found.append(path)
        return found


def test_every_command_that_writes_a_file_is_checked_below() -> None:
    assert {("export",), ("retrieve",), ("overview",), ("agree",), ("notes",), ("suggest", "report"),
            ("codebook", "export")} <= set(commands_writing_a_file())


@pytest.mark.parametrize("command", commands_writing_a_file(), ids=" ".join)
def test_a_file_given_without_o_is_refused_with_the_hint_to_use_o(command: tuple[str, ...], tmp_path: Path) -> None:
    target = tmp_path / "out.dta"
    code, _, err = accord("--project", str(tmp_path / "season.db"), *command, *REQUIRED.get(command, ()), str(target))
    assert code == 2
    assert f"Got unexpected extra argument ({target})" in err
    assert f"To write a file, give it with -o: -o {target}" in err
    assert not target.exists()


def test_two_stray_words_are_named_without_a_hint_to_guess_from() -> None:
    code, _, err = accord("export", "out.dta", "more")
    assert code == 2
    assert "Got unexpected extra arguments (out.dta more)" in err
    assert "-o" not in err.split("Error:")[1]
