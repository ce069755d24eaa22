"""At the smallest supported terminal (80x24) the coder sees the first codes and the variables
together, and picking a variable's level never leaves the code list scrolled away from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Project, default_codebook_path, load_codebook
from store.demo import demo_documents
from tests.helpers import CODER, coding, drawn, pilot_test, stored

SMALL_TERMINAL = (80, 24)
FIRST_CODES = ("1 a [", "2 i [", "3 m [")
"""The rows of codes 1-3 of the shipped codebook: digit, key, tick box."""


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """The shipped codebook (20 codes, stance and salience) on the demo statements."""
    path = tmp_path / "season.db"
    with Project.create(path, load_codebook(default_codebook_path())) as project:
        project.import_documents(demo_documents())
    return path


def assert_codes_and_variables_on_screen(screen: str) -> None:
    for row in FIRST_CODES:
        assert row in screen, f"code row {row!r} is not on screen:\n{screen}"
    assert "Stance toward" in screen and "Salience" in screen, screen


@pilot_test
async def test_first_codes_and_variables_are_on_screen_together(shipped: Path) -> None:
    async with coding(shipped, size=SMALL_TERMINAL) as pilot:
        assert_codes_and_variables_on_screen(drawn(pilot))


@pilot_test
async def test_after_picking_a_level_the_first_codes_are_back_with_the_level(shipped: Path) -> None:
    async with coding(shipped, size=SMALL_TERMINAL) as pilot:
        await pilot.press("j")  # a sub-code at the end of the codes: the list scrolls down to it
        await pilot.press("S", "1")  # stance: Supports
        await pilot.pause()
        screen = drawn(pilot)
        assert_codes_and_variables_on_screen(screen)
        assert "Supports" in screen  # the level just picked is readable beside its variable
        await pilot.press("L", "2")  # salience: its second level
        await pilot.pause()
        assert_codes_and_variables_on_screen(drawn(pilot))
    with stored(shipped) as project:
        paragraph = project.paragraph_at(1)
        assert paragraph is not None
        codings = project.codings(paragraph.id, CODER)
        assert codings["stance"] == "supports" and codings["gender_perspectives"] == 1
        assert codings["salience"] is not None
