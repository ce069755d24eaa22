"""Data never reaches the terminal as control sequences: an id, speaker, country or coder name
holding ESC/CSI/OSC bytes is printed escaped, by the CLI and the TUI alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from store import Project, SourceDocument
from tests.helpers import CODER, coding, drawn, pilot_test, small_codebook
from tui.cli import main
from tui.safe_text import printable

CLEAR = "\x1b[2J\x1b[H"
TITLE = "\x1b]0;owned\x07"
CSI_8BIT = "\x9b31m"
HOSTILE = f"x{CLEAR}{TITLE}{CSI_8BIT}\x08y"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What a terminal would act on (a newline and a tab are layout, not control)."""


def hostile_project(path: Path) -> Path:
    with Project.create(path, small_codebook()) as project:
        project.import_documents([SourceDocument(id=f"doc{HOSTILE}", paragraphs=[f"One {HOSTILE}.", "Two."],
                                                 speaker=f"Mr. {HOSTILE}", country=f"Land{HOSTILE}")])
        project.set_coding(f"doc{HOSTILE}:1", f"eve{HOSTILE}", "border_control", 1)
        project.set_status(f"doc{HOSTILE}:1", f"eve{HOSTILE}", "done")
    return path


def test_printable_escapes_what_a_terminal_acts_on() -> None:
    assert printable(HOSTILE) == "x␛[2J␛[H␛]0;owned␇\ufffd31m␈y"
    assert printable("line\nand\ttab ünï 💥") == "line\nand\ttab ünï 💥"


def test_status_prints_hostile_names_escaped(tmp_path: Path) -> None:
    project = hostile_project(tmp_path / "p.db")
    done = CliRunner().invoke(main, ["--project", str(project), "status"])
    assert done.exit_code == 0, done.output
    assert not RAW.search(done.stdout), repr(done.stdout)
    assert "Mr. x␛[2J" in done.stdout and "eve" in done.stdout


def test_import_codings_prints_hostile_coder_escaped(tmp_path: Path) -> None:
    project = hostile_project(tmp_path / "p.db")
    codings = tmp_path / "codings.csv"
    codings.write_text(f"paragraph_id,coder,code,value\ndoc{HOSTILE}:2,mal{CLEAR}[red]lory,border_control,1\n")
    done = CliRunner().invoke(main, ["--project", str(project), "import-codings", str(codings)])
    assert not RAW.search(done.output), repr(done.output)
    assert done.exit_code == 0, done.output
    assert "mal␛[2J␛[H[red]lory" in done.stderr


@pytest.mark.parametrize("args", [["agree", "--coders", f"nobody{CLEAR}"], ["export", "--coder", f"nobody{TITLE}"]])
def test_error_messages_print_data_escaped(tmp_path: Path, args: list[str]) -> None:
    project = hostile_project(tmp_path / "p.db")
    done = CliRunner().invoke(main, ["--project", str(project), *args])
    assert done.exit_code == 1
    assert not RAW.search(done.output), repr(done.output)


@pilot_test
async def test_coding_screen_shows_hostile_data_escaped(tmp_path: Path) -> None:
    path = hostile_project(tmp_path / "p.db")
    with Project.open(path) as project:
        project.set_note(f"doc{HOSTILE}:1", CODER, f"note {HOSTILE}")
    async with coding(path, size=(140, 40)) as pilot:
        screen = drawn(pilot)
        assert not RAW.search(screen), repr(screen)
        assert "Mr. x␛[2J" in screen and "note x␛[2J" in screen


@pilot_test
async def test_note_editor_shows_a_hostile_note_escaped(tmp_path: Path) -> None:
    path = hostile_project(tmp_path / "p.db")
    with Project.open(path) as project:
        project.set_note(f"doc{HOSTILE}:1", CODER, f"note {HOSTILE}")
    async with coding(path, size=(140, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        screen = drawn(pilot)
        assert "Note on this paragraph" in screen
        assert not RAW.search(screen), repr(screen)


@pilot_test
async def test_adjudication_shows_hostile_coders_text_and_notes_escaped(tmp_path: Path) -> None:
    from tui.adjudicate_app import AdjudicateApp

    path = tmp_path / "lead.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents([SourceDocument(id="doc1", paragraphs=[f"Text {HOSTILE}."])])
        for coder, value in ((f"ann{CLEAR}", 1), (f"ben{TITLE}", 0)):
            project.set_coding("doc1:1", coder, "wmd", value)
            project.set_status("doc1:1", coder, "done")
            project.set_note("doc1:1", coder, f"unsure {HOSTILE}")
    app = AdjudicateApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = drawn(pilot)
        assert "unsure x␛[2J" in screen and "ann␛[2J" in screen
        assert not RAW.search(screen), repr(screen)


@pytest.mark.parametrize("args", [["export", "--all", "--format", "csv"], ["export", "--all", "--format", "jsonl"],
                                  ["notes", "--format", "csv"], ["notes", "--format", "md"]])
def test_data_written_to_a_terminal_is_shown_escaped_and_to_a_pipe_as_it_is(tmp_path: Path, args: list[str]) -> None:
    import os
    import pty
    import subprocess
    import sys

    from tests.helpers import REPO

    project = hostile_project(tmp_path / "p.db")
    with Project.open(project) as opened:
        opened.set_note(f"doc{HOSTILE}:1", "bob", f"note {HOSTILE}")
    command = [sys.executable, "-m", "tui", "--project", str(project), *args]
    piped = subprocess.run(command, cwd=REPO, capture_output=True, check=True)
    assert b"\x1b[2J" in piped.stdout or b"\\u001b[2J" in piped.stdout  # the data, byte for byte
    leader, follower = pty.openpty()
    done = subprocess.run(command, cwd=REPO, stdout=follower, stderr=subprocess.PIPE, check=True)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0
    text = shown.decode()
    assert not RAW.search(text.replace("\r\n", "\n")), repr(text)  # the terminal's own line ends aside
    assert "␛[2J" in text or "\\u001b[2J" in text  # JSON escapes C0 itself; the 8-bit CSI it leaves is shown


@pilot_test
async def test_agreement_screen_shows_hostile_coders_and_text_escaped(tmp_path: Path) -> None:
    from tests.helpers import code_paragraphs, settle
    from tui.agreement_app import AgreementApp

    path = tmp_path / "p.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents([SourceDocument(id=f"d{CLEAR}", paragraphs=[f"Text {HOSTILE}.", "Two."])])
        code_paragraphs(project, f"ann{TITLE}", {f"d{CLEAR}:1": {"border_control": 1}, f"d{CLEAR}:2": {}})
        code_paragraphs(project, "bob", {f"d{CLEAR}:1": {}, f"d{CLEAR}:2": {}})
    app = AgreementApp(path, replicates=10)
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(pilot)
        screen = drawn(pilot)
        assert "ann␛]0;owned␇" in screen and not RAW.search(screen), repr(screen)
        await pilot.press("enter", "enter")  # into the splits, open the paragraph
        await settle(pilot)
        screen = drawn(pilot)
        assert "Text x␛[2J" in screen and not RAW.search(screen), repr(screen)


@pilot_test
async def test_documents_and_search_show_hostile_ids_and_text_escaped(tmp_path: Path) -> None:
    from tests.helpers import settle

    path = hostile_project(tmp_path / "p.db")
    async with coding(path, size=(140, 40)) as pilot:
        await pilot.press("g")
        await settle(pilot)
        screen = drawn(pilot)
        assert "docx␛[2J" in screen and not RAW.search(screen), repr(screen)
        await pilot.press("escape", "slash")
        await settle(pilot)
        await pilot.press(*"owned")
        await pilot.pause(0.5)
        await settle(pilot)
        screen = drawn(pilot)
        assert "owned" in screen and not RAW.search(screen), repr(screen)
