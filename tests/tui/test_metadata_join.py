"""`accord import --metadata TABLE`: document metadata joined by id onto documents already imported."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.helpers import KAZAKHSTAN
from tui.cli import main

IDS = sorted(path.stem for path in KAZAKHSTAN.glob("*.txt"))


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def kazakhstan(tmp_path: Path) -> Path:
    """The five Kazakhstan statements imported, one paragraph coded and done by ann."""
    path = tmp_path / "accord.db"
    assert run("init", "--project", path).exit_code == 0
    assert run("import", KAZAKHSTAN, "--project", path).exit_code == 0
    with sqlite3.connect(path) as conn:
        first = conn.execute("select id from paragraphs order by seq limit 1").fetchone()[0]
    rows = f"paragraph_id,coder,code,value\n{first},ann,,\n"
    (tmp_path / "ann.csv").write_text(rows, encoding="utf-8")
    assert run("import-codings", tmp_path / "ann.csv", "--project", path).exit_code == 0
    return path


def table(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def dump(path: Path) -> tuple[object, ...]:
    with sqlite3.connect(path) as conn:
        return tuple(conn.execute(f"select * from {t} order by 1, 2").fetchall()
                     for t in ("codings", "paragraph_status", "events", "paragraphs"))


def test_joined_metadata_shows_in_the_export(kazakhstan: Path, tmp_path: Path) -> None:
    before = run("export", "--project", kazakhstan)
    assert {row["title"] for row in csv.DictReader(io.StringIO(before.stdout))} == {""}
    codings = dump(kazakhstan)
    lines = ["id,title,date,meeting"] + [f"{i},Statement {n},200{n}-03-1{n},S/PV.{n}" for n, i in enumerate(IDS, 1)]
    lines.append("999_unknown,Lost,2010-01-01,S/PV.9")
    result = run("import", "--metadata", table(tmp_path, "meta.csv", "\n".join(lines) + "\n"), "--project", kazakhstan)
    assert result.exit_code == 0, result.output
    assert "5 documents" in result.stderr and "999_unknown" in result.stderr
    assert dump(kazakhstan) == codings  # no coding, status, event or paragraph changed
    exported = list(csv.DictReader(io.StringIO(run("export", "--project", kazakhstan).stdout)))
    first = next(row for row in exported if row["document_id"] == IDS[0])
    assert (first["title"], first["date"], first["meeting"]) == ("Statement 1", "2001-03-11", "S/PV.1")
    assert first["speaker"]  # kept from the text: the table has no speaker column
    assert {row["title"] for row in exported} == {f"Statement {n}" for n in range(1, 6)}


def test_a_tsv_with_doc_id_fills_speaker_and_country(kazakhstan: Path, tmp_path: Path) -> None:
    text = "doc_id\tspeaker\tcountry\n" + f"{IDS[1]}\tMs. Test\tKazakhstan\n"
    result = run("import", "--metadata", table(tmp_path, "meta.tsv", text), "--project", kazakhstan)
    assert result.exit_code == 0, result.output
    with sqlite3.connect(kazakhstan) as conn:
        assert conn.execute("select speaker, country from documents where id = ?", [IDS[1]]).fetchone() == (
            "Ms. Test", "Kazakhstan")


def test_a_table_without_an_id_column_is_refused(kazakhstan: Path, tmp_path: Path) -> None:
    before = dump(kazakhstan)
    path = table(tmp_path, "meta.csv", "name,title\nx,y\n")
    result = run("import", "--metadata", path, "--project", kazakhstan)
    assert result.exit_code == 1
    assert str(path) in result.stderr and "id column" in result.stderr
    assert dump(kazakhstan) == before


def test_a_repeated_id_is_refused_with_its_line(kazakhstan: Path, tmp_path: Path) -> None:
    path = table(tmp_path, "meta.csv", f"id,title\n{IDS[0]},A\n{IDS[0]},B\n")
    result = run("import", "--metadata", path, "--project", kazakhstan)
    assert result.exit_code == 1
    assert f"{path}:3:" in result.stderr and "line 2" in result.stderr
    with sqlite3.connect(kazakhstan) as conn:
        assert conn.execute("select count(*) from documents where title is not null").fetchone() == (0,)
