"""Blind coding, resume, durability across processes, text shown as written, the virtual lists."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

from textual.widgets import OptionList, Static

from store import Code, Codebook, Project
from store.intake.source import SourceDocument
from tests.helpers import CODER, REPO, coding, documents, drawn, pilot_test, settle, small_codebook, stored
from tui.app import AccordApp
from tui.codebook_view import CodebookView
from tui.screens.coding import CodingScreen
from tui.widgets.paged_list import PAGE, PagedList
from tui.widgets.paragraph import highlighted


@pilot_test
async def test_a_coder_sees_only_their_own_codings(project_path: Path) -> None:
    with stored(project_path) as project:
        project.set_coding("doc1:1", "bob", "border_control", 1)
        project.set_status("doc1:1", "bob", "done")
        project.set_note("doc1:1", "bob", "bob's secret")
    async with coding(project_path) as pilot:
        text = drawn(pilot)
        assert "[x]" not in text and "done" not in text and "secret" not in text
        assert pilot.app.screen.session.paragraph.id == "doc1:1"  # bob's done is not alice's


@pilot_test
async def test_reopening_resumes_on_the_paragraph_left(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("right", "right", "right")
    async with coding(project_path) as pilot:
        assert pilot.app.screen.session.paragraph.id == "doc2:1"
        assert "paragraph 1 of 2" in str(pilot.app.screen.query_one("#docline", Static).render())
    async with coding(project_path, coder="bob") as pilot:
        assert pilot.app.screen.session.paragraph.id == "doc1:1"  # each coder resumes alone


@pilot_test
async def test_a_new_coder_starts_on_their_first_paragraph_not_done(project_path: Path) -> None:
    with stored(project_path) as project:
        project.set_status("doc1:1", CODER, "done")
        project.set_status("doc1:2", CODER, "done")
    async with coding(project_path) as pilot:
        assert pilot.app.screen.session.paragraph.id == "doc1:3"


@pilot_test
async def test_enter_on_the_last_paragraph_not_done_says_all_is_done(project_path: Path) -> None:
    with stored(project_path) as project:
        for pid in ("doc1:1", "doc1:2", "doc1:3", "doc2:1"):
            project.set_status(pid, CODER, "done")
    async with coding(project_path) as pilot:
        assert pilot.app.screen.session.paragraph.id == "doc2:2"
        await pilot.press("enter")
        assert pilot.app.screen.session.paragraph.id == "doc2:2"
        assert "5 / 5" in drawn(pilot)
    with stored(project_path) as project:
        assert project.progress(CODER).done == 5


SECOND_CODER = """
import asyncio, sys
from pathlib import Path
from tui.app import AccordApp

async def main():
    app = AccordApp(Path(sys.argv[1]), "bob")
    async with app.run_test() as pilot:
        for _ in range(5):
            await pilot.press("w", "enter")
        await pilot.app.workers.wait_for_complete()

asyncio.run(main())
"""


@pilot_test
async def test_two_coders_code_one_file_at_once(project_path: Path) -> None:
    script = textwrap.dedent(SECOND_CODER)
    async with coding(project_path) as pilot:
        bob = subprocess.Popen([sys.executable, "-c", script, str(project_path)], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while bob.poll() is None:
            await pilot.press("b", "enter")
        _, errors = bob.communicate()
        assert bob.returncode == 0, errors
        await pilot.press("b")
    with stored(project_path) as project:
        assert project.progress("bob").done == 5
        assert all(project.codings(f"doc{d}:{p}", "bob") == {"wmd": 1}
                   for d, p in (("1", 1), ("1", 2), ("1", 3), ("2", 1), ("2", 2)))
        assert project.progress(CODER).done >= 1
        assert project.codings("doc1:1", CODER)["border_control"] in (0, 1)


def test_a_killed_app_loses_nothing_it_showed(project_path: Path) -> None:
    """kill -9 right after the screen showed a change: the change is in the file."""
    script = textwrap.dedent("""
        import asyncio, os, signal, sys
        from pathlib import Path
        from tui.app import AccordApp

        async def main():
            app = AccordApp(Path(sys.argv[1]), "alice")
            async with app.run_test() as pilot:
                await pilot.press("b", "enter", "w")
                await pilot.pause()
                os.kill(os.getpid(), signal.SIGKILL)

        asyncio.run(main())
    """)
    result = subprocess.run([sys.executable, "-c", script, str(project_path)], cwd=REPO, capture_output=True)
    assert result.returncode == -9
    with stored(project_path) as project:
        assert project.codings("doc1:1", CODER) == {"border_control": 1}
        assert project.status("doc1:1", CODER).status == "done"
        assert project.codings("doc1:2", CODER) == {"wmd": 1}


@pilot_test
async def test_brackets_in_the_text_are_shown_as_written(tmp_path: Path) -> None:
    path = tmp_path / "accord.db"
    text = "The Council [bold]recalls[/bold] resolution 1540 (2004) [and urges] States."
    with Project.create(path, small_codebook()) as project:
        project.import_documents([SourceDocument(id="S-1", paragraphs=[text], source="s.txt")])
    async with coding(path, size=(160, 30)) as pilot:
        assert text in drawn(pilot)
        await pilot.press("slash", *"urges")
        await settle(pilot)
        hit = pilot.app.screen.query_one("#hits", OptionList).get_option_at_index(0).prompt
        assert "[and urges]" in hit.plain  # the text's own brackets, not a match marker
        assert [hit.plain[span.start:span.end] for span in hit.spans if "reverse" in str(span.style)] == ["urges"]


def test_keywords_are_highlighted_as_whole_word_starts() -> None:
    codebook = Codebook(title="t", codes=(Code(id="border_control", label="Border", keywords=("border", "small arms")),))
    pattern = CodebookView(codebook).keyword_pattern
    rich = highlighted("Borders and small arms, not cross-border... but disorder.", pattern)
    marked = [rich.plain[span.start:span.end] for span in rich.spans]
    assert marked == ["Borders", "small arms", "border"]


def test_codebook_keys_leave_accords_own_keys_alone() -> None:
    codebook = Codebook(title="t", codes=(
        Code(id="a", label="A", key="q"),
        Code(id="b", label="B", key="x", children=(Code(id="c", label="C", key="y", parent_id="b"),)),
        Code(id="old", label="Old", key="o", retired=True),
    ))
    view = CodebookView(codebook)
    assert view.code_for_key("1") == "a" and view.code_for_key("2") == "b"
    assert view.code_for_key("q") is None and [c.id for c in view.clashes] == ["a"]
    assert view.code_for_key("y") == "c" and view.code_for_key("o") is None
    assert [(row.code.id, row.depth) for row in view.rows] == [("a", 0), ("b", 0), ("c", 1)]


@pilot_test
async def test_the_document_list_reads_only_the_pages_it_draws(tmp_path: Path) -> None:
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(*[1] * 1000))
    async with coding(path) as pilot:
        await pilot.press("g")
        listing = pilot.app.screen.query_one(PagedList)
        fetched: list[tuple[int, int]] = []
        original = listing.fetch
        listing.fetch = lambda offset, limit: fetched.append((offset, limit)) or original(offset, limit)
        listing._pages.clear()
        await pilot.press("end")
        await settle(pilot)
        assert "doc1000" in drawn(pilot)
        assert fetched and all(limit == PAGE for _, limit in fetched) and len(fetched) <= 2
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, CodingScreen)
        assert pilot.app.screen.session.paragraph.id == "doc1000:1"


@pilot_test
async def test_a_file_found_damaged_after_the_first_paint_stops_the_app(tmp_path: Path) -> None:
    """The page check runs in the background (startup stays fast); damage still stops coding."""
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(40, 40, 40))
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        # Pages of the full-text index: the coding screen does not read them to open.
        pages = [row[0] for row in project.db.execute(
            "select pageno from dbstat where name = 'paragraphs_fts_data' order by pageno desc limit 2")]
        page_size = project.db.execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as handle:  # scribble over them: the header and length stay right
        for page in pages:
            handle.seek((page - 1) * page_size)
            handle.write(b"\xff" * 64)
    app = AccordApp(path, CODER)
    async with app.run_test():
        for _ in range(200):  # the check runs in a thread after the first paint
            if app.return_code is not None:
                break
            await asyncio.sleep(0.05)
    assert app.return_code == 1


@pilot_test
async def test_page_keys_scroll_a_long_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "accord.db"
    long_text = " ".join(f"Sentence {i} on the illicit trade in small arms." for i in range(200))
    with Project.create(path, small_codebook()) as project:
        project.import_documents([SourceDocument(id="S-1", paragraphs=[long_text], source="s.txt")])
    async with coding(path, size=(80, 24)) as pilot:
        text = pilot.app.screen.query_one("#text")
        assert text.scroll_y == 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert text.scroll_y > 10
        await pilot.press("pageup")
        await settle(pilot)
        assert text.scroll_y == 0


@pilot_test
async def test_a_tall_terminal_shows_more_of_the_neighbouring_paragraphs(tmp_path: Path) -> None:
    following = " ".join(f"word{n}" for n in range(120))  # about six lines at 120 columns
    path = tmp_path / "context.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents([SourceDocument(id="d", paragraphs=["The paragraph coded.", following])])
    async with coding(path, size=(80, 24)) as pilot:
        assert "word119" not in drawn(pilot) and "…" in drawn(pilot)  # cut at about three lines
    async with coding(path, size=(200, 60)) as pilot:
        assert "word119" in drawn(pilot)  # shown whole: the column has room for it
