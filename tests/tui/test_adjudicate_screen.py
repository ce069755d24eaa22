"""The adjudication screen driven with Pilot: what the adjudicator presses is what is stored."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Static

from store import CONSENSUS, Project
from tests.helpers import documents, drawn, small_codebook
from tui.adjudicate_app import AdjudicateApp
from tui.screens.adjudicate import AdjudicateScreen, coder_labels


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
            project.set_note("doc1:1", coder, f"{coder}: [sic] unsure")
        project.set_coding("doc1:1", "ann", "wmd", 1)
        project.set_coding("doc1:2", "ben", "border_control", 1)
    return path


async def ready(pilot) -> AdjudicateScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AdjudicateScreen)
    return screen


def text_of(screen: AdjudicateScreen, widget_id: str) -> str:
    """What a Static shows, as plain text (Rich tables rendered at the screen's width)."""
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(screen.query_one(widget_id, Static).content)
    return console.export_text()


def test_picking_values_stores_consensus_and_completes_paragraphs(disputed: Path) -> None:
    async def scenario() -> None:
        app = AdjudicateApp(disputed)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await ready(pilot)
            assert [(i.paragraph_id, i.code_id) for i in screen.items] == [
                ("doc1:1", "wmd"), ("doc1:1", "stance"), ("doc1:2", "border_control")]
            assert "decided 0 of 3" in text_of(screen, "#adjudicate-progress")
            assert "ann: [sic] unsure" in text_of(screen, "#adjudicate-positions")  # markup kept
            await pilot.press("2")  # wmd: Not applied
            assert screen.item.code_id == "stance"
            await pilot.press("r")
            await pilot.press(*"treaty welcomed", "enter")
            await pilot.press("1")  # stance: support (first level)
            await pilot.press("1")  # border_control: Applied
            assert "decided 3 of 3" in text_of(screen, "#adjudicate-progress")
        with Project.open(disputed) as project:
            assert project.codings("doc1:1", CONSENSUS) == {"wmd": 0, "stance": "support"}
            assert project.codings("doc1:2", CONSENSUS) == {"border_control": 1}
            assert project.status("doc1:1", CONSENSUS).status == "done"
            assert project.status("doc1:1", CONSENSUS).note == "stance: treaty welcomed"

    asyncio.run(scenario())


def test_undo_takes_back_the_last_pick_and_moves_to_it(disputed: Path) -> None:
    async def scenario() -> None:
        app = AdjudicateApp(disputed)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await ready(pilot)
            await pilot.press("1", "2")  # wmd applied, stance oppose
            assert screen.item.code_id == "border_control"
            await pilot.press("u")
            assert (screen.item.paragraph_id, screen.item.code_id) == ("doc1:1", "stance")
            assert "decided 1 of 3" in text_of(screen, "#adjudicate-progress")
            await pilot.press("3")  # stance: No level, an explicit decision
            assert "decided 2 of 3" in text_of(screen, "#adjudicate-progress")
            await pilot.press("left", "left")
            assert screen.index == 0
        with Project.open(disputed) as project:
            assert project.codings("doc1:1", CONSENSUS) == {"wmd": 1}
            assert project.status("doc1:1", CONSENSUS).status == "done"  # stance decided as no level

    asyncio.run(scenario())


def test_blind_mode_hides_names_and_a_custom_adjudicator_is_used(disputed: Path) -> None:
    async def scenario() -> None:
        app = AdjudicateApp(disputed, coder="lead", codes=["stance"], blind=True)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await ready(pilot)
            assert [i.code_id for i in screen.items] == ["stance"]
            shown = text_of(screen, "#adjudicate-positions")
            assert "ann" not in shown.replace("ann: [sic]", "") and "Coder 1" in shown and "Coder 2" in shown
            await pilot.press("2")
        with Project.open(disputed) as project:
            assert project.codings("doc1:1", "lead") == {"stance": "oppose"}
            assert project.codings("doc1:1", CONSENSUS) == {}

    asyncio.run(scenario())


def test_blind_labels_do_not_follow_alphabetical_order() -> None:
    labels = coder_labels(["ann", "ben", "cal", "dora"], blind=True)
    assert sorted(labels.values()) == ["Coder 1", "Coder 2", "Coder 3", "Coder 4"]
    assert labels == coder_labels(["dora", "cal", "ben", "ann"], blind=True)
    assert [labels[c] for c in ("ann", "ben", "cal", "dora")] != ["Coder 1", "Coder 2", "Coder 3", "Coder 4"]
    assert coder_labels(["ann"], blind=False) == {"ann": "ann"}


def test_a_cancelled_reason_is_not_stored(disputed: Path) -> None:
    async def scenario() -> None:
        app = AdjudicateApp(disputed, codes=["wmd"])
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await ready(pilot)
            await pilot.press("r", *"never mind", "escape")
            assert "reason ready" not in text_of(screen, "#adjudicate-progress")
            await pilot.press("9")  # wmd has two options: refused, nothing stored
            await pilot.press("1")

    asyncio.run(scenario())
    with Project.open(disputed) as project:
        assert project.codings("doc1:1", CONSENSUS) == {"wmd": 1}
        assert project.status("doc1:1", CONSENSUS).note is None


def footer_picks(app: AdjudicateApp) -> dict[str, str]:
    """The pick keys the footer offers now, with their labels."""
    return {key: active.binding.description for key, active in app.screen.active_bindings.items()
            if active.binding.action.startswith("pick(") and active.binding.show}


def test_the_footer_offers_only_the_choices_of_the_current_disagreement(disputed: Path) -> None:
    async def scenario() -> None:
        app = AdjudicateApp(disputed)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await ready(pilot)
            assert screen.item.code_id == "wmd"
            assert footer_picks(app) == {"1": "Applied", "2": "Not applied"}
            footer_text = " ".join(str(key.render()) for key in app.screen.query("FooterKey"))
            assert "Applied" in footer_text and "Pick 3" not in footer_text
            await pilot.press("3")  # a code has two choices: nothing stored, still on wmd
            assert screen.item.code_id == "wmd" and "decided 0 of 3" in text_of(screen, "#adjudicate-progress")
            await pilot.press("right")  # stance: its levels and No level
            await pilot.pause()
            assert footer_picks(app) == {"1": "Supports", "2": "Opposes", "3": "No level"}
        with Project.open(disputed) as project:
            assert project.codings("doc1:1", CONSENSUS) == {}

    asyncio.run(scenario())


def test_at_80_columns_the_footer_keeps_quit_and_undo_on_a_code(disputed: Path) -> None:
    async def scenario() -> None:
        app = AdjudicateApp(disputed, codes=["wmd"])
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            footer = drawn(pilot).splitlines()[-1]
            assert "1 Applied" in footer and "2 Not applied" in footer
            assert "u Undo" in footer and "q Quit" in footer

    asyncio.run(scenario())
