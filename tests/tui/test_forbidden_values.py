"""Values the codebook forbids, written into a file with sqlite3: merge refuses the file, the
doctor finds them in a project, export and retrieve refuse to write a dataset from it."""

from __future__ import annotations

import re
import shlex
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from store import Project, now
from tests.helpers import documents, small_codebook
from tui.cli import main

BAD = {
    "code valued 5": ("insert or replace into codings values ('doc1:1', 'ann', 'border_control', 5, ?)",
                      "border_control = 5"),
    # Equal to 1 in Python and pandas, yet not a value Accord writes.
    "code as the real 1.0": ("insert or replace into codings values ('doc1:1', 'ann', 'border_control', 1.0, ?)",
                             "border_control = 1.0"),
    "code as a BLOB": ("insert or replace into codings values ('doc1:1', 'ann', 'border_control', x'01', ?)",
                       "border_control = a BLOB"),
    "unknown level": ("insert or replace into codings values ('doc1:1', 'ann', 'stance', 'maybe', ?)",
                      "stance = 'maybe'"),
    "level as a BLOB": ("insert or replace into codings values ('doc1:1', 'ann', 'stance', cast('support' as blob), ?)",
                        "stance = a BLOB"),
    "unknown status": ("insert or replace into paragraph_status (paragraph_id, coder_id, status, updated_at) "
                       "values ('doc1:1', 'ann', 'approved', ?)", "status 'approved'"),
    # An undo writes an event's previous value back: the log is held to the same rule.
    "event valued 5": ("insert into events (id, at, coder_id, paragraph_id, code_id, action, value, previous) "
                       "values ('forged', ?, 'ann', 'doc1:1', 'border_control', 'code', 1, 5)",
                       "border_control = 1 (before: 5)"),
    "event of an unknown status": ("insert into events (id, at, coder_id, paragraph_id, action, value) "
                                   "values ('forged', ?, 'ann', 'doc1:1', 'status', 'approved')",
                                   "status 'approved' (before: none)"),
}


def accord(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--project", str(project), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {table: sorted(conn.execute(f"select * from {table}").fetchall(), key=repr)
                for table in ("codings", "paragraph_status", "events", "coders")}
    finally:
        conn.close()


def write(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(statement, [now()])
    conn.close()


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, Path]:
    """The lead's project and ann's handed-out file, in which ann coded doc1:2 honestly."""
    lead = tmp_path / "study.db"
    with Project.create(lead, small_codebook()) as project:
        project.import_documents(documents(3, 2))
    assert accord(lead, "handout", "--coders", "ann,ben", "--overlap", "1", "--out", str(tmp_path))[0] == 0
    ann = tmp_path / "study-ann.db"
    with Project.open(ann) as copy:
        copy.set_coding("doc1:2", "ann", "border_control", 1)
        copy.set_status("doc1:2", "ann", "done")
    return lead, ann


@pytest.mark.parametrize("kind", BAD)
def test_merge_refuses_a_coder_file_with_a_value_the_codebook_forbids(team: tuple[Path, Path], kind: str) -> None:
    lead, ann = team
    statement, shown = BAD[kind]
    write(ann, statement)
    before = rows(lead)
    code, _, stderr = accord(lead, "merge", str(ann))
    message = " ".join(stderr.split())
    assert code == 1, stderr
    assert str(ann) in message and "the codebook forbids" in message and shown in message
    assert "Nothing was merged" in message
    assert len(stderr.strip().splitlines()) == 1
    assert rows(lead) == before  # not even ann's honest work on doc1:2


def test_every_forbidden_value_is_counted_in_one_message(team: tuple[Path, Path]) -> None:
    lead, ann = team
    write(ann, BAD["code valued 5"][0])
    write(ann, BAD["unknown level"][0])
    write(ann, BAD["unknown status"][0])
    code, _, stderr = accord(lead, "merge", str(ann))
    message = " ".join(stderr.split())
    assert code == 1
    assert "has 3 values the codebook forbids" in message
    assert len(stderr.strip().splitlines()) == 1


def test_an_honest_file_still_merges(team: tuple[Path, Path]) -> None:
    lead, ann = team
    with Project.open(ann) as copy:
        copy.set_coding("doc1:2", "ann", "stance", "oppose")
        copy.set_coding("doc1:2", "ann", "stance", None)  # a cleared variable: NULL
        copy.set_coding("doc1:2", "ann", "border_control", 0)
        copy.set_status("doc1:2", "ann", "skipped")
    assert accord(lead, "merge", str(ann))[0] == 0


@pytest.mark.parametrize("kind", BAD)
def test_doctor_reports_stored_values_the_codebook_forbids_and_its_advice_works(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3))
        project.set_coding("doc1:2", "ann", "border_control", 1)
    write(path, BAD[kind][0])
    code, stdout, _ = accord(path, "doctor")
    assert code == 1
    assert "problem  values" in stdout and BAD[kind][1] in " ".join(stdout.split())
    commands = re.findall(r"`(accord [^`]*)`", " ".join(stdout.split()))
    assert commands
    for command in commands:  # the advice as the researcher pastes it
        assert CliRunner().invoke(main, shlex.split(command)[1:]).exit_code == 0, command
    assert accord(path, "doctor")[0] == 0
    with Project.open(path) as project:
        assert project.codings("doc1:2", "ann") == {"border_control": 1}  # the good value stays


READ = [kind for kind in BAD if not kind.startswith("event")]
"""What export reads: codings and statuses (an event's values are the doctor's and merge's)."""


@pytest.fixture
def coded(tmp_path: Path) -> Path:
    """A project where ann coded doc1:1 and doc1:2 as border control, both done."""
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3))
        for paragraph in ("doc1:1", "doc1:2"):
            project.set_coding(paragraph, "ann", "border_control", 1)
            project.set_status(paragraph, "ann", "done")
    return path


@pytest.mark.parametrize("whose", [["--coder", "ann"], ["--all"], ["--majority"]])
@pytest.mark.parametrize("kind", READ)
def test_export_refuses_a_value_the_codebook_forbids_instead_of_writing_a_wrong_dataset(
        coded: Path, tmp_path: Path, kind: str, whose: list[str]) -> None:
    write(coded, BAD[kind][0])
    out = tmp_path / "out.csv"
    code, _, stderr = accord(coded, "export", *whose, "-o", str(out))
    message = " ".join(stderr.split())
    assert code == 1, message
    assert "doc1:1" in message and "ann" in message and "accord doctor" in message
    assert not out.exists()


def test_retrieve_refuses_a_value_the_codebook_forbids(coded: Path) -> None:
    write(coded, BAD["code as the real 1.0"][0])
    code, stdout, stderr = accord(coded, "retrieve", "--code", "border_control", "--coder", "ann")
    assert code == 1 and "doc1:2" not in stdout
    assert "doc1:1" in stderr and "accord doctor" in " ".join(stderr.split())


def test_after_the_doctor_clears_it_the_export_holds_the_other_values(coded: Path, tmp_path: Path) -> None:
    write(coded, BAD["code as the real 1.0"][0])
    assert accord(coded, "doctor", "--repair")[0] == 0
    out = tmp_path / "out.csv"
    assert accord(coded, "export", "--coder", "ann", "-o", str(out))[0] == 0
    import pandas as pd

    table = pd.read_csv(out).set_index("paragraph_id")
    assert table.loc["doc1:2", "border_control"] == 1


@pytest.mark.parametrize("kind", [kind for kind in READ if kind != "unknown status"])
def test_agree_refuses_a_value_the_codebook_forbids_instead_of_a_wrong_alpha(coded: Path, tmp_path: Path,
                                                                            kind: str) -> None:
    """A text '1' was dropped as "not applied" and a 1.0 taken for 1: alpha moved, exit 0."""
    with Project.open(coded) as project:
        for paragraph in ("doc1:1", "doc1:2"):
            project.set_coding(paragraph, "ben", "border_control", 1)
            project.set_status(paragraph, "ben", "done")
    write(coded, BAD[kind][0])
    out = tmp_path / "agree.json"
    code, _, stderr = accord(coded, "agree", "--format", "json", "-o", str(out))
    message = " ".join(stderr.split())
    assert code == 1, message
    assert "doc1:1" in message and "ann" in message and "accord doctor" in message
    assert not out.exists()


PLACES = {
    "position as text": "update paragraphs set position = 'x' where id = 'doc1:1'",
    "position as a real": "update paragraphs set position = 1.5 where id = 'doc1:1'",
    "number as a real": "update paragraphs set seq = 1.5 where id = 'doc1:1'",
}


@pytest.mark.parametrize("statement", PLACES.values(), ids=list(PLACES))
def test_a_paragraph_place_no_accord_writes_is_found_by_the_doctor_and_refused_by_export(
        coded: Path, tmp_path: Path, statement: str) -> None:
    """A position another program wrote as text ended the export in a traceback, and the doctor
    called the file sound."""
    conn = sqlite3.connect(coded)
    with conn:
        conn.execute(statement)
    conn.close()
    code, stdout, _ = accord(coded, "doctor")
    assert code == 1 and "doc1:1" in stdout, stdout
    out = tmp_path / "out.csv"
    code, _, stderr = accord(coded, "export", "--coder", "ann", "-o", str(out))
    message = " ".join(stderr.split())
    assert code == 1 and "doc1:1" in message and "accord doctor" in message, message
    assert not out.exists()


def test_paragraphs_numbered_by_text_are_refused_in_one_line_until_the_doctor_renumbers_them(
        coded: Path, tmp_path: Path) -> None:
    """A number another program wrote as text made every command that counts the paragraphs
    (status, export, overview) end in a traceback."""
    conn = sqlite3.connect(coded)
    with conn:
        conn.execute("update paragraphs set seq = 'x' where id = 'doc1:2'")
    conn.close()
    out = tmp_path / "out.csv"
    for command in (["status"], ["export", "--coder", "ann", "-o", str(out)]):
        code, _, stderr = accord(coded, *command)
        assert code == 1 and "accord doctor" in " ".join(stderr.split()), stderr
    assert not out.exists()
    assert accord(coded, "doctor", "--repair")[0] == 0
    assert accord(coded, "export", "--coder", "ann", "-o", str(out))[0] == 0
    import pandas as pd

    assert pd.read_csv(out).set_index("paragraph_id").loc["doc1:2", "border_control"] == 1


def test_a_paragraph_numbered_between_two_chunks_is_refused_not_left_out(coded: Path) -> None:
    """Numbered 1.5 by another program, doc1:2 fell between the chunks [1, 1] and [2, 2] and was
    missing from the dataset without a word."""
    from exports.datasets import DatasetSpec, build_dataset
    from store import ProjectError

    conn = sqlite3.connect(coded)
    with conn:
        conn.execute("update paragraphs set seq = 1.5 where id = 'doc1:2'")
    conn.close()
    with Project.open(coded) as project, pytest.raises(ProjectError, match="doc1:2"):
        for _ in build_dataset(project, DatasetSpec(coder="ann"), chunk_size=1).chunks:
            pass


@pytest.mark.parametrize("statement", ["update paragraphs set seq = 1.5 where id = 'doc1:1'",
                                       "update paragraphs set seq = 'x' where id = 'doc1:1'"], ids=["real", "text"])
@pytest.mark.parametrize("view", [["overview", "--coder", "ann", "--format", "json"],
                                  ["retrieve", "--code", "border_control", "--coder", "ann", "--format", "csv"]],
                         ids=lambda view: view[0])
def test_the_views_refuse_a_paragraph_placed_by_no_whole_number(coded: Path, statement: str,
                                                                 view: list[str]) -> None:
    """Numbered 1.5 by another program, a coded paragraph was left out of the overview's counts
    (one paragraph applied border control, not two) and of retrieve's paragraphs, with exit 0."""
    conn = sqlite3.connect(coded)
    with conn:
        conn.execute(statement)
    conn.close()
    code, stdout, stderr = accord(coded, *view)
    message = " ".join(stderr.split())
    assert code == 1 and "accord doctor" in message, (stdout, message)
    assert stdout == ""
    if "1.5" in statement:  # the highest number as text is refused before, naming no paragraph
        assert "paragraph doc1:1 is numbered 1.5" in message


def test_a_refi_export_refuses_a_paragraph_numbered_between_two_ranges(coded: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Numbered 1.5, doc1:2 was read with the range [1, 1] and its codings with neither range:
    the .qdpx held the paragraph without ann's coding, and said it was written."""
    import exports.refi

    monkeypatch.setattr(exports.refi, "CHUNK_PARAGRAPHS", 1)
    conn = sqlite3.connect(coded)
    with conn:
        conn.execute("update paragraphs set seq = 1.5 where id = 'doc1:2'")
    conn.close()
    out = tmp_path / "season.qdpx"
    code, _, stderr = accord(coded, "export", "-o", str(out))
    assert code == 1 and "paragraph doc1:2 is numbered 1.5" in " ".join(stderr.split())
    assert not out.exists()
