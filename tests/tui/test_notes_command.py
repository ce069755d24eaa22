"""The lead reads the team's flags and notes: `accord status` counts flags, `accord notes` lists
every note and flag, the adjudication screen shows a coder's flag beside their note."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from store import Project
from tests.helpers import code_two_coders, documents, small_codebook
from tests.tui.test_adjudicate_screen import ready, text_of
from tui.adjudicate_app import AdjudicateApp
from tui.cli import main


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """alice and bob: alice notes doc1:1 (a formula), bob flags it, they disagree on its wmd;
    bob flags and notes doc2:2; alice notes doc1:2."""
    path = tmp_path / "season.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3, 2))
        code_two_coders(project)
        project.set_coding("doc1:1", "alice", "wmd", 1)
        project.set_flag("doc2:2", "bob", True)
        project.set_note("doc2:2", "bob", "Is this, \"really\" about arms?\nAsk the lead.")
        project.set_note("doc1:2", "alice", "border or customs?")
    return path


def run(path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--project", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_status_counts_flagged_paragraphs_per_coder(team: Path) -> None:
    code, out, _ = run(team, "status")
    assert code == 0
    assert "Flagged" in out
    row = next(line for line in out.splitlines() if "│ bob" in line)
    assert row.split("│")[-2].strip() == "2"
    coders = {c["coder"]: c for c in json.loads(run(team, "status", "--json")[1])["coders"]}
    assert (coders["alice"]["flagged"], coders["bob"]["flagged"]) == (0, 2)


def test_notes_lists_every_note_and_flag_with_paragraph_document_and_coder(team: Path) -> None:
    code, out, err = run(team, "notes")
    assert code == 0, err
    for expected in ("doc1:1", "doc1:2", "doc2:2", "alice", "bob", "border or customs?", "Ask the lead.",
                     "=HYPERLINK"):
        assert expected in out
    assert "3 notes and 2 flags on 3 paragraphs" in err


def test_notes_filters_flagged_and_by_coder(team: Path) -> None:
    _, flagged, _ = run(team, "notes", "--flagged", "--format", "md")
    assert "| doc1:1 | doc1 | bob | yes |" in flagged
    assert "alice" not in flagged and "border or customs?" not in flagged
    _, alice, _ = run(team, "notes", "--coder", "alice", "--format", "md")
    assert "border or customs?" in alice and "| bob |" not in alice
    code, _, err = run(team, "notes", "--coder", "carol")
    assert code == 1 and "carol" in err


def test_notes_csv_opens_in_pandas_with_formulas_neutralised(team: Path, tmp_path: Path) -> None:
    target = tmp_path / "notes.csv"
    code, _, err = run(team, "notes", "--format", "csv", "-o", str(target))
    assert code == 0, err
    frame = pd.read_csv(target, keep_default_na=False)
    assert list(frame.columns) == ["paragraph_id", "document_id", "coder", "flagged", "note"]
    assert len(frame) == 4
    alice = frame[(frame.paragraph_id == "doc1:1") & (frame.coder == "alice")].iloc[0]
    assert alice.note == "'=HYPERLINK(\"x\")" and alice.flagged == 0
    bob = frame[(frame.paragraph_id == "doc2:2")].iloc[0]
    assert bob.note == "Is this, \"really\" about arms?\nAsk the lead." and bob.flagged == 1
    assert str(target) in err
    code, _, err = run(team, "notes", "--format", "csv", "-o", str(target))
    assert code == 1 and "already exists" in err


def test_the_adjudication_screen_shows_a_flag_beside_the_note(team: Path) -> None:
    async def scenario() -> None:
        app = AdjudicateApp(team)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await ready(pilot)
            assert screen.item is not None and screen.item.paragraph_id == "doc1:1"
            shown = text_of(screen, "#adjudicate-positions")
            bob = next(line for line in shown.splitlines() if "bob" in line)
            alice = next(line for line in shown.splitlines() if "alice" in line)
            assert "⚑" in bob and "flagged" in bob.lower()
            assert "⚑" not in alice

    asyncio.run(scenario())
