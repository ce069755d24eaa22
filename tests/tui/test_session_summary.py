"""Quitting `accord code` or `accord adjudicate` leaves one line on the terminal: what this
session did and what is left. The screens run for real, driven by keys instead of a person."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.app import App

from store import Project
from tests.helpers import documents, settle, small_codebook
from tui.adjudicate_app import AdjudicateApp
from tui.app import AccordApp
from tui.cli import main


def keys_instead_of_a_person(monkeypatch: pytest.MonkeyPatch, app_class: type[App[None]], *keys: str) -> None:
    """`accord ...` runs the real app, headless, with these keys pressed; then it quits."""

    def run(self: App[None]) -> None:
        async def drive() -> None:
            async with self.run_test(size=(100, 30)) as pilot:
                await settle(pilot)
                for key in keys:
                    await pilot.press(key)
                    await settle(pilot)
                await pilot.press("q")

        asyncio.run(drive())

    monkeypatch.setattr(app_class, "run", run)
    monkeypatch.setattr("tui.commands.common.on_a_terminal", lambda: True)


def last_line(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stderr.strip().splitlines()[-1]


def test_quitting_code_says_what_this_session_did(project_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Project.open(project_path) as project:
        project.set_status("doc1:3", "amina", "done")  # an earlier session's work
    keys_instead_of_a_person(monkeypatch, AccordApp, "b", "enter", "enter")
    assert last_line("code", "--project", str(project_path), "--coder", "amina") == (
        "amina: 2 paragraphs done this session, 2 of 5 left")


def test_one_paragraph_reads_as_one(project_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys_instead_of_a_person(monkeypatch, AccordApp, "enter")
    assert last_line("code", "--project", str(project_path), "--coder", "amina") == (
        "amina: 1 paragraph done this session, 4 of 5 left")


def test_in_a_handed_out_file_what_is_left_is_the_assignment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lead = tmp_path / "lead.db"
    with Project.create(lead, small_codebook()) as project:
        project.import_documents(documents(3, 2))
    result = CliRunner().invoke(main, ["--project", str(lead), "handout", "--coders", "amina,ben", "--overlap", "0"])
    assert result.exit_code == 0, result.output
    handed = tmp_path / "lead-amina.db"
    with Project.open(handed) as project:
        assigned = project.assigned("amina")
    assert 0 < assigned < 5
    keys_instead_of_a_person(monkeypatch, AccordApp, "enter")
    assert last_line("--project", str(handed), "code") == (
        f"amina: 1 paragraph done this session, {assigned - 1} of {assigned} left")


@pytest.fixture
def disputed(tmp_path: Path) -> Path:
    """ann and ben disagree on doc1:1 wmd and stance, and on doc1:2 border_control."""
    path = tmp_path / "lead.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3, 2))
        for coder, stance in (("ann", "support"), ("ben", "oppose")):
            project.set_coding("doc1:1", coder, "stance", stance)
            project.set_status("doc1:1", coder, "done")
            project.set_status("doc1:2", coder, "done")
        project.set_coding("doc1:1", "ann", "wmd", 1)
        project.set_coding("doc1:2", "ben", "border_control", 1)
    return path


def test_quitting_adjudicate_says_what_this_session_decided(disputed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    keys_instead_of_a_person(monkeypatch, AdjudicateApp, "1")
    assert last_line("adjudicate", "--project", str(disputed)) == (
        "consensus: 1 disagreement decided this session, 2 left")
    keys_instead_of_a_person(monkeypatch, AdjudicateApp, "1", "1")
    assert last_line("adjudicate", "--project", str(disputed)) == (
        "consensus: 2 disagreements decided this session, none left")
