"""The agreement screen, driven with Pilot: the table, the splits of the highlighted code, one opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList, Static

from store import Project, SourceDocument
from tests.helpers import code_paragraphs, drawn, pilot_test, settle, small_codebook
from tui.agreement_app import AgreementApp
from tui.screens.agreement import AgreementScreen, SplitParagraph


def double_coded(path: Path) -> None:
    with Project.open(path) as project:
        code_paragraphs(project, "ann", {"doc1:1": {"border_control": 1}, "doc1:2": {"wmd": 1}, "doc1:3": {}})
        code_paragraphs(project, "bob", {"doc1:1": {}, "doc1:2": {"wmd": 1}, "doc1:3": {"border_control": 1}})


@pilot_test
async def test_table_then_splits_then_the_paragraph(project_path: Path) -> None:
    double_coded(project_path)
    app = AgreementApp(project_path, replicates=100)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        table = screen.query_one(DataTable)
        assert [str(row.value) for row in table.rows] == ["border_control", "wmd", "nuclear", "stance"]
        assert "3 paragraphs done by two or more of 2 coders (ann, bob)" in str(
            screen.query_one("#agreement-title", Static).content)
        screen_text = drawn(pilot)
        assert "reliable" in screen_text and "border_control: coders split on 2 paragraphs" in screen_text
        splits = screen.query_one(OptionList)
        assert [splits.get_option_at_index(i).id for i in range(splits.option_count)] == ["doc1:1", "doc1:3"]
        await pilot.press("down")  # wmd: nobody split
        await settle(pilot)
        assert splits.option_count == 0 and "wmd: coders never split" in drawn(pilot)
        await pilot.press("up", "enter")  # back to border_control, into its splits
        await settle(pilot)
        assert splits.has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SplitParagraph)
        text = drawn(pilot)
        assert "Paragraph 1 of doc1 on border control." in text and "ann: 1" in text and "bob: 0" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AgreementScreen)


@pilot_test
async def test_the_filters_of_agree_tui_choose_the_codes_and_coders_shown(project_path: Path) -> None:
    double_coded(project_path)
    app = AgreementApp(project_path, 100, 0, codes=["wmd", "stance"], coders=["ann", "bob"], documents=["doc1"])
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert [str(row.value) for row in table.rows] == ["wmd", "stance"]


def test_an_unknown_filter_is_refused_before_the_screen_opens(project_path: Path) -> None:
    # It used to pass silently into the screen and fail later, in the worker, as a traceback.
    with pytest.raises(TypeError):
        AgreementApp(project_path, code=["wmd"])  # type: ignore[call-arg]


LONG = ("Export controls are an essential part of our response. Through the Australia Group and the "
        "Nuclear Suppliers Group we keep sensitive goods out of the wrong hands.")
"""Its 80th character falls inside "Group"."""


@pilot_test
async def test_a_long_split_paragraph_is_shown_in_whole_words(tmp_path: Path) -> None:
    path = tmp_path / "long.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents([SourceDocument(id="fr", paragraphs=[LONG, "Short one."], source="fr.txt")])
        code_paragraphs(project, "ann", {"fr:1": {"border_control": 1}, "fr:2": {}})
        code_paragraphs(project, "bob", {"fr:1": {}, "fr:2": {}})
    app = AgreementApp(path, replicates=10)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        splits = app.screen.query_one(OptionList)
        shown = str(splits.get_option_at_index(0).prompt).split("bob: 0", 1)[1].strip()
        words = shown.removesuffix("…").split()
        assert words, shown
        assert LONG.split()[: len(words)] == words  # every word whole, none cut in the middle
