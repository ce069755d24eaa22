"""`accord import` and `accord status` as a researcher runs them, on real files and projects."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store import Project
from tests.helpers import KAZAKHSTAN
from tui.cli import main

COUNTS = [9, 8, 6, 8, 10]


def accord(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(db), *args], catch_exceptions=False)


def test_import_kazakhstan_corpus_then_status(db: Path) -> None:
    result = accord(db, "import", str(KAZAKHSTAN))
    assert result.exit_code == 0, result.output
    assert "Added 5 documents (41 paragraphs)." in result.stderr
    assert result.stdout == ""
    with Project.open(db) as project:
        overview = project.document_overview()
        assert [row["paragraphs"] for row in overview] == COUNTS
        assert [row["speaker"] for row in overview] == [
            "Mr. Abdrakhmanov", "Mr. Sadykov", "Ms. Alzhanova", "Mr. Sadykov", "Mr. Kazykhanov"]
        assert {row["country"] for row in overview} == {"Kazakhstan"}
        first = project.paragraphs("002_b0601d0a2056250e")[0].text
        assert first.startswith("Let me start by expressing our gratitude to you, Sir, for convening this important debate")
    status = accord(db, "status")
    assert status.exit_code == 0
    assert "Documents" in status.stdout and "Mr. Kazykhanov" in status.stdout and "Kazakhstan" in status.stdout
    data = json.loads(accord(db, "status", "--json").stdout)
    assert (data["documents"], data["paragraphs"]) == (5, 41)
    assert {"speaker": "Mr. Sadykov", "country": "Kazakhstan", "documents": 2, "paragraphs": 16} in data["speakers"]


def test_reimport_of_unchanged_files_changes_nothing(db: Path) -> None:
    accord(db, "import", str(KAZAKHSTAN))
    before = db.read_bytes()
    with Project.open(db) as project:
        paragraphs = [(p.id, p.seq, p.sha256) for p in project.paragraphs()]
    result = accord(db, "import", str(KAZAKHSTAN))
    assert result.exit_code == 0
    assert "5 documents already in the project, unchanged." in result.stderr
    assert "Added" not in result.stderr
    with Project.open(db) as project:
        assert [(p.id, p.seq, p.sha256) for p in project.paragraphs()] == paragraphs
    assert len(db.read_bytes()) == len(before)


def test_changed_file_is_left_alone_unless_replace_and_refused_once_coded(db: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(KAZAKHSTAN, corpus)
    accord(db, "import", str(corpus))
    edited = corpus / "004_ce1fb7fb2b5b11ec.txt"
    edited.write_text(edited.read_text() + "\nA new closing paragraph.\n")

    result = accord(db, "import", str(corpus))
    assert result.exit_code == 0
    assert "1 document left alone (--replace replaces them):" in result.stderr
    assert f"  {edited}: changed since it was imported as document 004_ce1fb7fb2b5b11ec" in result.stderr
    with Project.open(db) as project:
        assert len(project.paragraphs("004_ce1fb7fb2b5b11ec")) == 10

    result = accord(db, "import", "--replace", str(corpus))
    assert result.exit_code == 0
    assert "Replaced 1 document: 004_ce1fb7fb2b5b11ec" in result.stderr
    with Project.open(db) as project:
        assert project.paragraphs("004_ce1fb7fb2b5b11ec")[-1].text == "A new closing paragraph."
        project.set_status("004_ce1fb7fb2b5b11ec:1", "ana", "done")

    edited.write_text(edited.read_text() + "\nYet another.\n")
    result = accord(db, "import", "--replace", str(corpus))
    assert result.exit_code == 1
    assert "004_ce1fb7fb2b5b11ec: not replaced: its paragraphs have 1 coding statuses" in result.stderr
    with Project.open(db) as project:
        assert project.paragraphs("004_ce1fb7fb2b5b11ec")[-1].text == "A new closing paragraph."


def test_a_different_file_with_a_known_id_is_named(db: Path, tmp_path: Path) -> None:
    for folder, text in (("2016", "One."), ("2017", "Two.")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "kaz.txt").write_text(text)
    accord(db, "import", str(tmp_path / "2016" / "kaz.txt"))
    result = accord(db, "import", str(tmp_path / "2017" / "kaz.txt"))
    assert (f"{tmp_path / '2017' / 'kaz.txt'}: its text differs from document kaz, imported from "
            f"{tmp_path / '2016' / 'kaz.txt'}") in result.stderr


def test_bad_files_are_listed_and_the_rest_imported(db: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "mixed"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Mr. Doe (Ruritania): Border control matters.\n")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "table.csv").write_text("id,speaker\n1,Mr. A\n")
    (corpus / "lines.jsonl").write_text('{"text": "Fine."}\n{"text": oops}\n')
    result = accord(db, "import", str(corpus))
    assert result.exit_code == 1
    assert f"{corpus / 'empty.txt'}: empty file" in result.stderr
    assert f"{corpus / 'table.csv'}: no text column; name it with --text-column (columns: id, speaker)" in result.stderr
    assert f"{corpus / 'lines.jsonl'}:2:10: not valid JSON" in result.stderr
    assert "Added 2 documents (2 paragraphs)." in result.stderr
    with Project.open(db) as project:
        assert [d.id for d in project.documents()] == ["good", "lines-1"]
        assert project.document("good").country == "Ruritania"


def test_table_options(db: Path, tmp_path: Path) -> None:
    table = tmp_path / "speeches.tsv"
    table.write_text("meeting\tstatement\tspeaker\n8140\tFirst.\tMr. A\n8140\tSecond.\tMr. A\n8141\tThird.\tMs. B\n")
    result = accord(db, "import", "--text-column", "statement", "--id-column", "meeting", str(table))
    assert result.exit_code == 0, result.stderr
    with Project.open(db) as project:
        assert [(d.id, d.speaker) for d in project.documents()] == [("8140", "Mr. A"), ("8141", "Ms. B")]
        assert [p.text for p in project.paragraphs("8140")] == ["First.", "Second."]


def test_status_of_a_big_corpus_stays_short(db: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(60):
        (corpus / f"s{i:03}.txt").write_text(f"Mr. Speaker{i % 25} (Country {i % 25}): Statement {i}.\n")
    result = accord(db, "import", str(corpus))
    assert result.exit_code == 0
    assert "\x1b" not in result.stderr and "Importing" not in result.stderr  # piped: no progress bar
    out = accord(db, "status").stdout
    assert "Speakers" in out and "and 15 more (accord status --json lists all)" in out
    assert len(out.splitlines()) < 30
    assert len(json.loads(accord(db, "status", "--json").stdout)["speakers"]) == 25


def test_import_without_a_project_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--project", str(tmp_path / "none.db"), "import", str(KAZAKHSTAN)])
    assert result.exit_code == 1
    assert "no project at" in result.stderr and "Traceback" not in result.output


def test_init_import_status_as_in_the_readme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("store.codebook.parser")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    assert runner.invoke(main, ["import", str(KAZAKHSTAN)]).exit_code == 0
    data = json.loads(runner.invoke(main, ["status", "--json"]).stdout)
    assert (data["documents"], data["paragraphs"]) == (5, 41)


def test_split_speakers_option(db: Path, tmp_path: Path) -> None:
    record = tmp_path / "S-PV-5390.txt"
    record.write_text("The President: I give the floor to Kazakhstan.\n\n"
                      "Ms. Alzhanova (Kazakhstan): Thank you.\n\nWe support the Programme of Action.\n")
    result = accord(db, "import", "--split-speakers", str(record))
    assert result.exit_code == 0, result.stderr
    with Project.open(db) as project:
        assert [(d.id, d.speaker, d.country) for d in project.documents()] == [
            ("S-PV-5390-001", "The President", None), ("S-PV-5390-002", "Ms. Alzhanova", "Kazakhstan")]
        assert len(project.paragraphs("S-PV-5390-002")) == 2


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("speeches.csv", "id,speaker,text\n", "a header and no rows: nothing to import"),
    ("speeches.csv", "id,speaker,text\r\n\r\n\r\n", "a header and no rows: nothing to import"),
    ("speeches.tsv", "id\tspeaker\ttext\n", "a header and no rows: nothing to import"),
    ("speeches.csv", "id,text\n1,\n2,   \n", "no text to import: column 'text' is empty in every row"),
    ("speeches.jsonl", '{"id": "a", "text": ""}\n{"id": "b", "text": []}\n',
     "no text to import: 'text' is empty in every record"),
])
def test_a_table_with_nothing_to_import_is_a_problem_like_an_empty_text_file(
    db: Path, tmp_path: Path, name: str, content: str, reason: str
) -> None:
    table = tmp_path / name
    table.write_text(content, encoding="utf-8")
    result = accord(db, "import", str(table))
    assert result.exit_code == 1, result.stderr
    assert f"{table}: {reason}" in result.stderr
    assert "1 problem above" in result.stderr
    with Project.open(db) as project:
        assert project.document_count() == 0
    # As an empty .txt is reported, through the same path.
    (tmp_path / "empty.txt").write_bytes(b"")
    both = accord(db, "import", str(table), str(tmp_path / "empty.txt"))
    assert both.exit_code == 1
    assert f"{table}: {reason}" in both.stderr and f"{tmp_path / 'empty.txt'}: empty file" in both.stderr
    assert "2 problems above" in both.stderr
