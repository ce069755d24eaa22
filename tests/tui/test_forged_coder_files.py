"""A coder's file cannot forge the consensus, another coder's work or the time of its work."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from store import CONSENSUS, Project, now
from tests.helpers import documents, small_codebook
from tui.cli import main


def accord(project: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--project", str(project), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, Path]:
    """The lead's project, adjudicated on doc1:1 (border_control absent), and ann's handed-out
    file in which ann coded doc1:1 and marked it done."""
    lead = tmp_path / "study.db"
    with Project.create(lead, small_codebook()) as project:
        project.import_documents(documents(3, 2))
    assert accord(lead, "handout", "--coders", "ann,ben", "--overlap", "1", "--out", str(tmp_path))[0] == 0
    ann = tmp_path / "study-ann.db"
    with Project.open(ann) as copy:
        copy.set_coding("doc1:1", "ann", "border_control", 1)
        copy.set_status("doc1:1", "ann", "done")
    with Project.open(lead) as project:
        project.set_coding("doc1:1", CONSENSUS, "border_control", 0)
        project.set_status("doc1:1", CONSENSUS, "done")
    return lead, ann


def forge(path: Path, coder: str, at: str, value: object = 1, paragraph: str = "doc1:1") -> None:
    """What a hostile coder does with sqlite3: a coding and its event, under any name and date."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("insert or ignore into coders (id, name, created_at) values (?, ?, ?)", [coder, coder, at])
        conn.execute("insert or replace into codings values (?, ?, 'border_control', ?, ?)", [paragraph, coder, value, at])
        conn.execute("insert into events (id, at, coder_id, paragraph_id, code_id, action, value) "
                     "values (?, ?, ?, ?, 'border_control', 'code', ?)", [f"forged-{coder}-{at}", at, coder, paragraph, value])
    conn.close()


def consensus_border_control(lead: Path) -> object:
    code, stdout, _ = accord(lead, "export", "--consensus", "--no-text")
    assert code == 0
    frame = pd.read_csv(io.StringIO(stdout))
    return frame.set_index("paragraph_id").loc["doc1:1", "border_control"]


def unchanged(lead: Path, before: dict[str, list[tuple[object, ...]]]) -> bool:
    return rows(lead) == before


def rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {table: sorted(conn.execute(f"select * from {table}").fetchall(), key=repr)
                for table in ("codings", "paragraph_status", "events", "coders")}
    finally:
        conn.close()


def test_a_coder_file_with_a_forged_consensus_is_refused(team: tuple[Path, Path]) -> None:
    lead, ann = team
    forge(ann, CONSENSUS, now())
    before = rows(lead)
    code, _, stderr = accord(lead, "merge", str(ann))
    assert code == 1
    message = " ".join(stderr.split())
    assert f"{ann} carries consensus values (1 coding, 1 event)" in message
    assert "--include-consensus" in message and "Nothing was merged" in message
    assert unchanged(lead, before)
    assert consensus_border_control(lead) == 0


def test_another_leads_project_merges_its_consensus_on_purpose(team: tuple[Path, Path], tmp_path: Path) -> None:
    lead, _ = team
    second = tmp_path / "second-lead.db"
    conn = sqlite3.connect(lead)
    conn.execute("vacuum into ?", [str(second)])
    conn.close()
    with Project.open(second) as other:
        other.set_coding("doc1:1", CONSENSUS, "border_control", 1)  # the second lead decided later
    assert accord(lead, "merge", str(second))[0] == 1
    code, _, stderr = accord(lead, "merge", "--include-consensus", str(second))
    assert code == 0, stderr
    assert consensus_border_control(lead) == 1


def test_a_handed_out_file_carries_only_its_coders_work(team: tuple[Path, Path]) -> None:
    lead, ann = team
    forge(ann, "ben", now())
    before = rows(lead)
    code, _, stderr = accord(lead, "merge", str(ann))
    assert code == 1
    message = " ".join(stderr.split())
    assert "was handed out to ann but carries the work of ben (1 coding, 1 event)" in message
    assert "Nothing was merged" in message
    assert unchanged(lead, before)


@pytest.mark.parametrize(("at", "said"), [("9999-01-01T00:00:00.000000+00:00", "more than a day in the future"),
                                          ("2001-01-01T00:00:00.000000+00:00", "before this project was created")])
def test_impossible_dates_are_refused(team: tuple[Path, Path], at: str, said: str) -> None:
    lead, ann = team
    forge(ann, "ann", at, value=1)
    before = rows(lead)
    code, _, stderr = accord(lead, "merge", str(ann))
    assert code == 1
    message = " ".join(stderr.split())
    assert f"{ann} has 1 coding, 1 event dated" in message and said in message
    assert "check the clock of the computer that coded it" in message
    assert "Nothing was merged" in message
    assert unchanged(lead, before)


def test_a_future_dated_file_cannot_revert_the_leads_later_corrections(team: tuple[Path, Path]) -> None:
    """The lead merges ann's work, then corrects ann's value; a file of 9999 would win again on
    every merge. Refused: the correction stays."""
    lead, ann = team
    assert accord(lead, "merge", str(ann))[0] == 0
    with Project.open(lead) as project:
        project.set_coding("doc1:1", "ann", "border_control", 0)
    forge(ann, "ann", "9999-12-31T23:59:59.999999+00:00", value=1)
    assert accord(lead, "merge", str(ann))[0] == 1
    with Project.open(lead) as project:
        assert project.codings("doc1:1", "ann")["border_control"] == 0


def test_a_clock_a_few_hours_ahead_is_fine(team: tuple[Path, Path]) -> None:
    from datetime import UTC, datetime, timedelta

    lead, ann = team
    forge(ann, "ann", (datetime.now(UTC) + timedelta(hours=5)).isoformat(timespec="microseconds"), value=1,
          paragraph="doc1:2")
    code, _, stderr = accord(lead, "merge", str(ann))
    assert code == 0, stderr


def test_a_qdpx_user_named_consensus_is_refused(tmp_path: Path) -> None:
    """A coder's REFI-QDA project whose selections are made by a user named `consensus`."""
    source = tmp_path / "elsewhere.db"
    with Project.create(source, small_codebook()) as project:
        project.import_documents(documents(3, 2))
        project.set_coding("doc1:1", CONSENSUS, "border_control", 1)
        project.set_status("doc1:1", CONSENSUS, "done")
    archive = tmp_path / "forged.qdpx"
    assert accord(source, "export", "-o", str(archive))[0] == 0
    lead = tmp_path / "study.db"
    with Project.create(lead, small_codebook()) as project:
        project.import_documents(documents(3, 2))
    before = rows(lead)
    code, _, stderr = accord(lead, "import", str(archive))
    assert code == 1
    message = " ".join(stderr.split())
    assert f"{archive} has 1 selection by the user 'consensus'" in message
    assert "--include-consensus" in message and "Nothing was imported" in message
    assert unchanged(lead, before)
    code, _, stderr = accord(lead, "import", "--include-consensus", str(archive))
    assert code == 0, stderr
    assert consensus_border_control(lead) == 1


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_an_import_codings_file_with_the_coder_consensus_is_refused(team: tuple[Path, Path], tmp_path: Path,
                                                                    layout: str) -> None:
    lead, _ = team
    table = tmp_path / "codings.csv"
    table.write_text("paragraph_id,coder,code,value\ndoc1:2,ann,border_control,1\ndoc1:1,consensus,border_control,1\n"
                     if layout == "long" else
                     "paragraph_id,coder,border_control\ndoc1:2,ann,1\ndoc1:1,consensus,1\ndoc1:3,consensus,1\n")
    before = rows(lead)
    code, _, stderr = accord(lead, "import-codings", str(table))
    assert code == 1
    message = " ".join(stderr.split())
    assert f"{table}:3" in message and "'consensus' is reserved" in message
    assert "--include-consensus" in message
    assert unchanged(lead, before)
    assert consensus_border_control(lead) == 0
    code, _, stderr = accord(lead, "import-codings", "--include-consensus", str(table))
    assert code == 0, stderr
    assert consensus_border_control(lead) == 1


def set_meta(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(sql)
    conn.close()


def test_a_file_renamed_to_another_coder_is_refused(team: tuple[Path, Path]) -> None:
    """ann's file says it was handed out to ben and carries ben's forged work."""
    lead, ann = team
    set_meta(ann, "update meta set value = 'ben' where key = 'handout_coder'")
    set_meta(ann, "update codings set coder_id = 'ben'")
    forge(ann, "ben", now())
    before = rows(lead)
    code, _, stderr = accord(lead, "merge", str(ann))
    assert code == 1
    assert "did not hand that file out to ben" in " ".join(stderr.split())
    assert unchanged(lead, before)


def test_a_file_stripped_of_its_handout_record_cannot_carry_other_coders_work(team: tuple[Path, Path]) -> None:
    lead, ann = team
    set_meta(ann, "delete from meta where key like 'handout%'")
    forge(ann, "ben", now())
    before = rows(lead)
    code, _, stderr = accord(lead, "merge", str(ann))
    assert code == 1
    message = " ".join(stderr.split())
    assert ("is not a handed-out file but carries the work of ann (1 coding, 1 status, 2 events); "
            "ben (1 coding, 1 event)") in message
    assert unchanged(lead, before)


def test_the_handout_token_of_one_file_is_not_in_the_next(team: tuple[Path, Path], tmp_path: Path) -> None:
    """A later handout's files do not carry the tokens of earlier ones (a coder could borrow them)."""
    lead, _ = team
    with Project.open(lead) as project:
        project.import_documents(documents(2, prefix="new"))
    assert accord(lead, "handout", "--coders", "cat", "--overlap", "0", "--out", str(tmp_path / "later"))[0] == 0
    conn = sqlite3.connect(tmp_path / "later" / "study-cat.db")
    keys = [key for key, in conn.execute("select key from meta where key like 'handout%'")]
    conn.close()
    assert sorted(keys) == ["handout_coder", "handout_token"]


def test_every_refused_file_is_named(team: tuple[Path, Path], tmp_path: Path) -> None:
    lead, ann = team
    ben = tmp_path / "study-ben.db"
    forge(ann, CONSENSUS, now())
    forge(ben, "ben", "9999-01-01T00:00:00.000000+00:00")
    before = rows(lead)
    code, _, stderr = accord(lead, "merge", str(ann), str(ben))
    assert code == 1
    message = " ".join(stderr.split())
    assert f"{ann} carries consensus values (1 coding, 1 event)" in message
    assert f"{ben} has 1 coding, 1 event dated after" in message
    assert unchanged(lead, before)


def test_every_problem_of_a_file_is_counted(team: tuple[Path, Path]) -> None:
    lead, ann = team
    forge(ann, CONSENSUS, now())
    forge(ann, "ben", "9999-01-01T00:00:00.000000+00:00")
    code, _, stderr = accord(lead, "merge", str(ann))
    assert code == 1
    message = " ".join(stderr.split())
    assert f"{ann} carries consensus values (1 coding, 1 event)" in message
    assert "was handed out to ann but carries the work of ben (1 coding, 1 event)" in message
    assert "it has 1 coding, 1 event dated after" in message and message.endswith("Nothing was merged")


def test_a_refused_qdpx_does_not_stop_the_other_files_of_the_import(tmp_path: Path) -> None:
    source = tmp_path / "elsewhere.db"
    with Project.create(source, small_codebook()) as project:
        project.import_documents(documents(1))
        project.set_coding("doc1:1", CONSENSUS, "border_control", 1)
    archive = tmp_path / "forged.qdpx"
    assert accord(source, "export", "-o", str(archive))[0] == 0
    text = tmp_path / "speech.txt"
    text.write_text("A statement on arms.\n")
    lead = tmp_path / "study.db"
    Project.create(lead, small_codebook()).close()
    code, _, stderr = accord(lead, "import", str(archive), str(text))
    assert code == 1 and "by the user 'consensus'" in " ".join(stderr.split())
    with Project.open(lead) as project:
        assert [d.id for d in project.documents()] == ["speech"]
