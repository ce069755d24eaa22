"""Hostile cell values in every CSV/TSV Accord writes: a carriage return never splits a row, and
no cell (headers and labels included) reaches a spreadsheet as a formula."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from exports.cells import neutralised
from store import Code, Codebook, Project, SourceDocument
from tests.helpers import REPO

FORMULAS = ["=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", " =1+2", "  @x", "\t+1", "＝1+2", "＋1", "－1",
            "＠SUM(A1)", "\u3000＝1"]
"""Cells a spreadsheet runs as a formula, the full-width and leading-space variants included."""


def accord(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI's run, its output decoded as written (text=True would turn each "\\r" into "\\n")."""
    done = subprocess.run([sys.executable, "-m", "tui", "--project", str(project), *args], cwd=REPO,
                          capture_output=True)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


@pytest.mark.parametrize("cell", FORMULAS)
def test_every_formula_form_is_neutralised(cell: str) -> None:
    assert neutralised(cell).startswith("'")
    assert neutralised("plain") == "plain" and neutralised("a=b") == "a=b"


CR = "<CR>"
"""Stands for a carriage return until the project is written: import turns one into a newline."""


def hostile_project(path: Path) -> Path:
    """One document whose id, metadata (values and a column name), text, coder, note and a code label
    each carry a bare carriage return or a formula: a project written before line ends were
    normalised at import (the carriage returns are put into the file directly)."""
    codebook = Codebook(title="T", codes=(Code(id="wmd", label=f"=HYPERLINK(\"x\")<script>{CR}WMD"),), source="x")
    with Project.create(path, codebook) as project:
        project.import_documents([SourceDocument(
            id=f"doc{CR}1", paragraphs=[f"first{CR}paragraph", "second"], source="a.txt", speaker=f"Mr.{CR}CR",
            country="=cmd|' /C calc'!A0", meta={f"=region{CR}": f"＝1+2{CR}Europe", "party": f"{CR}left"})])
        for n in (1, 2):
            for coder in (f"al{CR}ice", "bob"):
                project.set_coding(f"doc{CR}1:{n}", coder, "wmd", 1 if coder == "bob" or n == 1 else 0)
                project.set_status(f"doc{CR}1:{n}", coder, "done")
            project.set_note(f"doc{CR}1:{n}", "bob", f"a{CR}note -1")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA foreign_keys = OFF")
        tables = [row[0] for row in db.execute("select name from sqlite_master where type = 'table' "
                                               "and name not like '%fts%' and name not like 'sqlite%'")]
        for table in tables:
            for column in [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]:
                cr = "\\r" if column == "meta" else "\r"  # metadata is JSON: there a carriage return is escaped
                db.execute(f'UPDATE "{table}" SET "{column}" = replace("{column}", ?, ?) '
                           f'WHERE typeof("{column}") = \'text\'', [CR, cr])
    return path


@pytest.mark.parametrize("fmt, separator", [("csv", ","), ("tsv", "\t")])
def test_carriage_returns_never_split_a_row(tmp_path: Path, fmt: str, separator: str) -> None:
    project = hostile_project(tmp_path / "p.db")
    out = tmp_path / f"out.{fmt}"
    done = accord(project, "export", "--all", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "Wrote 4 rows" in done.stderr
    back = pd.read_csv(out, sep=separator, dtype=str, keep_default_na=False)
    assert len(back) == 4
    assert set(back["paragraph_id"]) == {"doc\r1:1", "doc\r1:2"}
    assert set(back["speaker"]) == {"Mr.\rCR"}
    assert "'=region\r" in back.columns
    assert set(back["'=region\r"]) == {"'＝1+2\rEurope"}
    assert set(back["country"]) == {"'=cmd|' /C calc'!A0"}
    assert set(back["coder"]) == {"al\rice", "bob"}
    assert "a\rnote -1" in set(back["note"])


def test_raw_keeps_headers_and_cells_as_they_are(tmp_path: Path) -> None:
    project = hostile_project(tmp_path / "p.db")
    done = accord(project, "export", "--all", "--raw", "--format", "csv")
    back = pd.read_csv(io.StringIO(done.stdout), dtype=str, keep_default_na=False)
    assert len(back) == 4 and "=region\r" in back.columns and set(back["country"]) == {"=cmd|' /C calc'!A0"}


def test_agreement_csv_neutralises_labels_and_keeps_its_rows(tmp_path: Path) -> None:
    project = hostile_project(tmp_path / "p.db")
    out = tmp_path / "agree.csv"
    done = accord(project, "agree", "--format", "csv", "-o", str(out))
    assert done.returncode == 0, done.stderr
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(back) == 1
    assert back["label"].tolist() == ["'=HYPERLINK(\"x\")<script>\rWMD"]
    markdown = accord(project, "agree", "--format", "md").stdout
    assert "<script" not in markdown and "&lt;script&gt;" in markdown and "\r" not in markdown


def test_notes_csv_keeps_its_rows_and_markdown_shows_html_as_text(tmp_path: Path) -> None:
    project = hostile_project(tmp_path / "p.db")
    with sqlite3.connect(project) as db:
        db.execute("UPDATE paragraph_status SET note = '=1+2 <script>alert(1)</script>' || char(13) || 'x' "
                   "WHERE coder_id = 'bob' AND paragraph_id LIKE '%:2'")
    out = tmp_path / "notes.csv"
    done = accord(project, "notes", "--format", "csv", "-o", str(out))
    assert done.returncode == 0, done.stderr
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert len(back) == 2
    assert set(back["note"]) == {"a\rnote -1", "'=1+2 <script>alert(1)</script>\rx"}
    markdown = accord(project, "notes", "--format", "md").stdout
    assert "<script" not in markdown and "&lt;script&gt;" in markdown
    assert len(markdown.splitlines()) == 4  # header, rule, one line a note
