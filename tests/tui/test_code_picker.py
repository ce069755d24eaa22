"""A codebook of 300 codes from the keyboard: the picker (`:`), recent codes first, folding parents."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CODER, big_codebook_project, coding, drawn, pilot_test, settle, stored
from tui.screens.code_picker import CodePicker
from tui.screens.dialogs import LevelChooser
from tui.widgets.codebook_list import CodebookList


@pytest.fixture
def big(tmp_path: Path) -> Path:
    return big_codebook_project(tmp_path / "big.db")


def picked(pilot) -> list[str]:  # type: ignore[no-untyped-def]
    """The ids the open picker lists, in order."""
    screen = pilot.app.screen
    assert isinstance(screen, CodePicker)
    listing = screen.query_one("#picker-codes")
    return [listing.get_option_at_index(i).id for i in range(listing.option_count)]


@pilot_test
async def test_typing_part_of_a_label_and_enter_toggles_that_code(big: Path) -> None:
    async with coding(big) as pilot:
        await pilot.press("colon", *"brokering training")
        assert picked(pilot)[0] == "brokering_training"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, CodePicker)
        with stored(big) as project:
            assert project.codings("doc1:1", CODER) == {"brokering_training": 1}
        await pilot.press("colon", *"brokering training", "enter")
    with stored(big) as project:
        assert project.codings("doc1:1", CODER) == {"brokering_training": 0}


@pilot_test
async def test_the_picker_matches_ids_keywords_and_letters_in_order(big: Path) -> None:
    async with coding(big) as pilot:
        await pilot.press("colon", *"nuclear_oversight")  # an id
        assert picked(pilot)[0] == "nuclear_oversight"
        await pilot.press(*["backspace"] * 17, *"embrgfund")  # letters in order, fuzzy
        assert picked(pilot)[0] == "embargo_funding"
        await pilot.press("escape")
        await settle(pilot)
    with stored(big) as project:
        assert project.codings("doc1:1", CODER) == {}  # escape toggles nothing


@pilot_test
async def test_picking_a_variable_opens_its_levels(big: Path) -> None:
    async with coding(big) as pilot:
        await pilot.press("colon", *"tone", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LevelChooser)
        await pilot.press("2")
    with stored(big) as project:
        assert project.codings("doc1:1", CODER) == {"tone": "firm"}


@pilot_test
async def test_recently_used_codes_come_first(big: Path) -> None:
    async with coding(big) as pilot:
        await pilot.press("colon", *"gender risks", "enter")
        await pilot.press("colon", *"treaty oversight", "enter")
        await settle(pilot)
        await pilot.press("colon")
        assert picked(pilot)[:2] == ["treaty_oversight", "gender_risks"]  # the last used first
        await pilot.press(*"risks")  # among the matches too
        assert picked(pilot)[0] == "gender_risks"


@pilot_test
async def test_a_parent_folds_and_unfolds_from_the_keyboard(big: Path) -> None:
    async with coding(big, size=(120, 40)) as pilot:
        listing = pilot.app.screen.query_one(CodebookList)
        assert "Border policy" in drawn(pilot) and "▾" in drawn(pilot)
        await pilot.press("minus")  # on the first code, a parent
        await settle(pilot)
        assert "Border policy" not in drawn(pilot)
        assert "▸ 1   [ ] Border +9" in drawn(pilot)  # folded, and how many it hides
        assert listing.highlighted_option.id == "border"
        await pilot.press("down", "space")  # the next row is the next parent now
        await pilot.press("minus")
        await settle(pilot)
        assert "Border policy" not in drawn(pilot) and "Stockpile policy" not in drawn(pilot)
        await pilot.press("up", "minus")
        await settle(pilot)
        assert "Border policy" in drawn(pilot)
    with stored(big) as project:
        assert project.codings("doc1:1", CODER) == {"stockpile": 1}


@pilot_test
async def test_a_click_on_the_fold_mark_folds_and_a_click_on_the_label_toggles(big: Path) -> None:
    async with coding(big, size=(120, 40)) as pilot:
        listing = pilot.app.screen.query_one(CodebookList)
        await pilot.click("#codebook", offset=(0, 0))  # the ▾ that starts the first parent's row
        await settle(pilot)
        assert "Border policy" not in drawn(pilot)
        await pilot.click("#codebook", offset=(0, 0))
        await settle(pilot)
        assert "Border policy" in drawn(pilot)
        assert listing.option_count == 300
        await pilot.click("#codebook", offset=(10, 0))  # on the label: toggles
    with stored(big) as project:
        assert project.codings("doc1:1", CODER) == {"border": 1}


@pilot_test
async def test_star_folds_every_parent_then_unfolds_them(big: Path) -> None:
    async with coding(big, size=(120, 40)) as pilot:
        listing = pilot.app.screen.query_one(CodebookList)
        await pilot.press("asterisk")
        await settle(pilot)
        assert listing.option_count == 30
        await pilot.press("asterisk")
        await settle(pilot)
        assert listing.option_count == 300


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_big_codebook_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """300 codes: the first parent folded, the next unfolded below it."""
    from tui.app import AccordApp

    path = big_codebook_project(tmp_path / "big.db")
    assert snap_compare(AccordApp(path, CODER), press=["minus", "down", "down"], terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_big_codebook_picker(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """The picker over 300 codes, filtered by what was typed."""
    from tui.app import AccordApp

    path = big_codebook_project(tmp_path / "big.db")
    assert snap_compare(AccordApp(path, CODER), press=["colon", *"tra"], terminal_size=size)


@pilot_test
async def test_a_codebook_without_keys_says_how_to_reach_its_codes(big: Path, project_path: Path) -> None:
    async with coding(big) as pilot:
        assert any("293 codes have no key" in str(n.message) and "accord codebook keys" in str(n.message)
                   for n in pilot.app._notifications)
    async with coding(project_path) as pilot:  # a codebook with keys: nothing to say
        assert not any("no key" in str(n.message) for n in pilot.app._notifications)
