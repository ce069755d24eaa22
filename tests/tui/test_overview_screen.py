"""The lead's screen (`accord overview --tui`), driven with Pilot: the code matrix and
co-occurrence as heat-coloured tables, enter on a cell lists the paragraphs behind it, enter on
one shows its text."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.widgets import DataTable, OptionList

from store import Project
from tests.helpers import code_paragraphs, drawn, pilot_test, settle
from tui.overview_app import OverviewApp
from tui.screens.overview import OverviewParagraph, OverviewScreen


def coded(path: Path) -> None:
    with Project.open(path) as project:
        code_paragraphs(project, "ann", {"doc1:1": {"border_control": 1, "wmd": 1}, "doc1:2": {"wmd": 1},
                                         "doc2:1": {"border_control": 1, "wmd": 1, "stance": "support"}})
        code_paragraphs(project, "ann", {"doc1:3": {"border_control": 1}}, done=False)  # not done: counts nowhere


def options(listing: OptionList) -> list[str]:
    return [str(listing.get_option_at_index(i).id) for i in range(listing.option_count)]


@pilot_test
async def test_matrix_drill_down_to_a_paragraph(project_path: Path) -> None:
    coded(project_path)
    app = OverviewApp(project_path, by="document")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        matrix = screen.query_one("#overview-matrix", DataTable)
        assert [str(row.value) for row in matrix.rows] == ["border_control", "wmd", "nuclear", "stance=support",
                                                           "stance=oppose"]
        assert [str(c.label) for c in matrix.columns.values()] == ["code", "all", "doc1", "doc2"]
        cell = matrix.get_cell_at((0, 1))
        assert isinstance(cell, Text) and cell.plain.startswith("2") and cell.style  # heat: a coloured background
        assert "3 done of 5 paragraphs" in drawn(pilot)
        await pilot.press("right", "right", "enter")  # border_control in doc1
        await settle(pilot)
        listing = screen.query_one("#overview-paragraphs", OptionList)
        assert options(listing) == ["doc1:1"] and listing.has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverviewParagraph)
        assert "Paragraph 1 of doc1 on border control." in drawn(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


@pilot_test
async def test_cooccurrence_cell_lists_the_paragraphs_with_both(project_path: Path) -> None:
    coded(project_path)
    app = OverviewApp(project_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#overview-cooccurrence", DataTable)
        assert [str(row.value) for row in table.rows] == ["border_control", "wmd", "nuclear"]
        assert table.get_cell_at((0, 2)).plain.startswith("2")  # border_control with wmd: doc1:1, doc2:1
        await pilot.press("tab")
        await settle(pilot)
        assert table.has_focus
        await pilot.press("right", "right", "enter")
        await settle(pilot)
        assert options(screen.query_one("#overview-paragraphs", OptionList)) == ["doc1:1", "doc2:1"]
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 0


@pilot_test
async def test_many_groups_show_those_with_the_most_done(project_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Past SHOWN_GROUPS groups the matrix shows those with the most done paragraphs (a table of
    thousands of documents' columns took seconds per key); the caption says so, and a drill-down
    on a shown column lists that group's paragraphs."""
    import tui.screens.overview

    monkeypatch.setattr(tui.screens.overview, "SHOWN_GROUPS", 1)
    coded(project_path)  # doc1: 2 done paragraphs, doc2: 1
    app = OverviewApp(project_path, by="document")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        matrix = app.screen.query_one("#overview-matrix", DataTable)
        assert [str(c.label) for c in matrix.columns.values()] == ["code", "all", "doc1"]
        assert "1 of 2 groups with the most done paragraphs" in " ".join(drawn(pilot).split())
        await pilot.press("down", "right", "right", "enter")  # wmd in doc1
        await settle(pilot)
        assert options(app.screen.query_one("#overview-paragraphs", OptionList)) == ["doc1:1", "doc1:2"]


@pilot_test
async def test_a_drill_down_does_not_check_the_file_again(project_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The file's pages are checked once, when the overview is counted; listing a cell's
    paragraphs and opening one (0.6 s each at 1,000,000 paragraphs before) do not read them again."""
    import store.project

    coded(project_path)
    checks: list[Path] = []
    real = store.project.quick_check
    monkeypatch.setattr(store.project, "quick_check", lambda db, path, *a, **k: checks.append(path) or real(db, path, *a, **k))
    app = OverviewApp(project_path, by="document")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right", "right", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverviewParagraph)
    assert len(checks) == 1
