"""Every key of the coding screen, checked against what the project file holds afterwards."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from tests.helpers import CODER, coding, drawn, pilot_test, settle, stored
from tui.screens.coding import CodingScreen
from tui.widgets.codebook_list import CodebookList


def current_id(pilot) -> str:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, CodingScreen)
    return screen.session.paragraph.id


@pilot_test
async def test_a_codes_key_toggles_it_in_the_file(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("n")
        assert pilot.app.screen.query_one(CodebookList).highlighted_option.id == "nuclear"  # panel follows
        await pilot.press("n", "b")
        with stored(project_path) as project:
            assert project.codings("doc1:1", CODER) == {"border_control": 1, "nuclear": 0}
        await pilot.press("b")
    with stored(project_path) as project:
        assert project.codings("doc1:1", CODER) == {"border_control": 0, "nuclear": 0}


@pilot_test
async def test_digits_toggle_top_level_codes_in_codebook_order(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("1", "2", "n", "9")
    with stored(project_path) as project:
        # 9 names no code in a two-code codebook: nothing happens.
        assert project.codings("doc1:1", CODER) == {"border_control": 1, "wmd": 1, "nuclear": 1}


@pilot_test
async def test_the_list_shows_the_stored_state(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("w")
        listing = pilot.app.screen.query_one(CodebookList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert prompts[1].endswith("[x] WMD") and "[ ] Border control" in prompts[0]
        assert prompts[2].endswith("  [ ] Nuclear")  # sub-code indented under its parent


@pilot_test
async def test_space_and_a_click_toggle_the_code_in_the_list(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        listing = pilot.app.screen.query_one(CodebookList)
        listing.highlighted = 1
        await pilot.press("space")
        with stored(project_path) as project:
            assert project.codings("doc1:1", CODER) == {"wmd": 1}
        await pilot.click("#codebook", offset=(10, 0))
        await settle(pilot)
    with stored(project_path) as project:
        assert project.codings("doc1:1", CODER) == {"wmd": 1, "border_control": 1}


@pilot_test
async def test_enter_marks_done_and_skips_to_the_next_paragraph_not_done(project_path: Path) -> None:
    with stored(project_path) as project:
        project.set_status("doc1:2", CODER, "done")
    async with coding(project_path) as pilot:
        assert current_id(pilot) == "doc1:1"
        await pilot.press("b", "enter")
        assert current_id(pilot) == "doc1:3"
        header = pilot.app.screen.query_one("#header")
        assert header.progress.done == 2 and header.progress.total == 5
    with stored(project_path) as project:
        assert project.status("doc1:1", CODER).status == "done"
        assert project.codings("doc1:1", CODER) == {"border_control": 1}
        assert project.last_paragraph(CODER) == "doc1:3"


@pilot_test
async def test_left_and_right_move_without_marking(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("right", "right", "right", "left")
        assert current_id(pilot) == "doc1:3"
        docline = str(pilot.app.screen.query_one("#docline", Static).render())
        assert "paragraph 3 of 3" in docline
    with stored(project_path) as project:
        assert project.progress(CODER).done == 0
        assert project.last_paragraph(CODER) == "doc1:3"


@pilot_test
async def test_undo_walks_back_through_the_log(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("b", "w", "enter")
        await pilot.press("u")
        assert current_id(pilot) == "doc1:1"  # undo shows the paragraph it changed
        with stored(project_path) as project:
            assert project.status("doc1:1", CODER).status is None
        await pilot.press("ctrl+z")
        with stored(project_path) as project:
            assert project.codings("doc1:1", CODER) == {"border_control": 1}
        await pilot.press("u")
    with stored(project_path) as project:
        assert project.codings("doc1:1", CODER) == {}
        assert project.progress(CODER).done == 0


@pilot_test
async def test_the_progress_shown_follows_enter_and_undo_without_recounting(project_path: Path) -> None:
    with stored(project_path) as project:
        project.set_status("doc1:2", CODER, "done")
    async with coding(project_path) as pilot:
        header = pilot.app.screen.query_one("#header")
        assert header.progress.done == 1
        await pilot.press("enter", "left", "left", "enter")  # doc1:1 done, then doc1:1 again
        assert header.progress.done == 2
        await pilot.press("u")  # the second enter changed nothing; undo takes back the first
        assert header.progress.done == 1
        with stored(project_path) as project:
            assert project.progress(CODER).done == 1
        await pilot.press("u")  # undo reaches back to doc1:2's done, from before the session
        assert header.progress.done == 0
        with stored(project_path) as project:
            assert project.progress(CODER).done == 0


@pilot_test
async def test_f_flags_and_unflags(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("f")
        with stored(project_path) as project:
            assert project.status("doc1:1", CODER).flagged
        assert "flagged" in str(pilot.app.screen.query_one("#docline", Static).render())
        await pilot.press("f")
    with stored(project_path) as project:
        assert not project.status("doc1:1", CODER).flagged


@pilot_test
async def test_e_edits_the_note_and_escape_cancels(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("e")
        await pilot.press(*"Ask [Bob]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CodingScreen)
        assert "Ask [Bob]" in str(pilot.app.screen.query_one("#note", Static).render())
        await pilot.press("e", "x", "escape")
    with stored(project_path) as project:
        assert project.status("doc1:1", CODER).note == "Ask [Bob]"


@pilot_test
async def test_a_variables_key_opens_its_levels_and_digits_pick(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("s")
        assert not isinstance(pilot.app.screen, CodingScreen)
        await pilot.press("2")
        with stored(project_path) as project:
            assert project.codings("doc1:1", CODER) == {"stance": "oppose"}
        await pilot.press("s", "escape")
        with stored(project_path) as project:
            assert project.codings("doc1:1", CODER) == {"stance": "oppose"}
        await pilot.press("s", "0")
    with stored(project_path) as project:
        assert project.codings("doc1:1", CODER) == {}


@pilot_test
async def test_search_jumps_to_the_chosen_paragraph(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("slash", *"doc2")
        await settle(pilot)
        hits = pilot.app.screen.query_one("#hits", OptionList)
        assert hits.option_count == 2
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CodingScreen)
        assert current_id(pilot).startswith("doc2:")
        chosen = current_id(pilot)
    with stored(project_path) as project:
        assert project.last_paragraph(CODER) == chosen


@pilot_test
async def test_g_opens_the_document_list_with_progress(project_path: Path) -> None:
    with stored(project_path) as project:
        project.set_status("doc2:1", CODER, "done")
    async with coding(project_path) as pilot:
        await pilot.press("g")
        listing = pilot.app.screen.query_one("#document-list")
        assert "1/2" in listing.render_line(1).text
        await pilot.press("down", "enter")
        assert current_id(pilot) == "doc2:2"  # the document's first paragraph not done


@pilot_test
async def test_help_shows_the_instructions_and_keys(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("question_mark")
        text = drawn(pilot)
        assert "This codebook has no instructions" in text or "Test codebook" in text
        assert "toggle Border control" in text and "undo the last action" in text
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, CodingScreen)


@pilot_test
async def test_shift_c_hides_and_shows_the_neighbouring_paragraphs(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("right")
        previous = pilot.app.screen.query_one("#previous", Static)
        assert previous.display and "Paragraph 1 of doc1" in str(previous.render())
        await pilot.press("C")
        assert not previous.display
        await pilot.press("C")
        assert previous.display


@pilot_test
async def test_the_command_palette_offers_the_actions(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Flag the paragraph")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+p", *"Toggle code: WMD")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
    with stored(project_path) as project:
        assert project.status("doc1:1", CODER).flagged
        assert project.codings("doc1:1", CODER) == {"wmd": 1}


@pilot_test
async def test_q_quits(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("b", "q")
        await settle(pilot)
        assert pilot.app.return_code == 0 and not pilot.app.is_running
