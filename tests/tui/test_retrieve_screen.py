"""Retrieval by code from the coding screen: `R` or the palette, a list of paragraphs to jump through."""

from __future__ import annotations

from pathlib import Path

from store import Project
from tests.helpers import CODER, coding, drawn, pilot_test, settle


def _code(path: Path) -> None:
    """alice: border_control on doc1:2 and doc2:1 (done), on doc1:3 too but not done."""
    with Project.open(path) as project:
        for paragraph in ("doc1:2", "doc1:3", "doc2:1"):
            project.set_coding(paragraph, CODER, "border_control", 1)
        project.set_status("doc1:2", CODER, "done")
        project.set_status("doc2:1", CODER, "done")
        project.set_coding("doc2:1", CODER, "wmd", 1)


@pilot_test
async def test_retrieve_lists_the_coded_paragraphs_and_jumps_through_them(project_path: Path) -> None:
    _code(project_path)
    async with coding(project_path) as pilot:
        screen = pilot.app.screen
        await pilot.press("R", *"border_control")
        await settle(pilot)
        shown = drawn(pilot)
        assert "2 paragraphs" in shown and "doc1 ¶2" in shown and "doc2 ¶1" in shown
        assert "doc1 ¶3" not in shown  # applied, but not done: not a match
        await pilot.press("enter")
        await settle(pilot)
        assert screen.session.seq == 2
        # Again: the same query, the list on the next match after the paragraph shown.
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.session.seq == 4


@pilot_test
async def test_retrieve_any_not_and_unknown_codes(project_path: Path) -> None:
    _code(project_path)
    async with coding(project_path) as pilot:
        await pilot.press("R", *"border_contrl")
        await settle(pilot)
        assert "nearest: border_control" in drawn(pilot)
        await pilot.press(*["backspace"] * 4, *"ntrol", "tab", "tab", *"wmd")
        await settle(pilot)
        shown = drawn(pilot)
        assert "1 paragraph" in shown and "doc1 ¶2" in shown and "doc2 ¶1" not in shown


@pilot_test
async def test_the_palette_opens_retrieval(project_path: Path) -> None:
    _code(project_path)
    async with coding(project_path) as pilot:
        await pilot.press("ctrl+p", *"Retrieve paragraphs by code")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(pilot.app.screen).__name__ == "RetrieveScreen"
