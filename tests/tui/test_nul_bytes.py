"""A NUL byte anywhere in a file to import is refused with its file and line (Stata and SPSS
would cut the text there while CSV keeps it), by every reader; the doctor notices NULs already
stored in a project."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store import Project
from tui.cli import main

PROSE = "A sentence of the statement that fills the first pages of the file.\n\n" * 200
"""About 14 KB: a NUL after it is past the 8 KB that decoding looks at for binary files."""
LINE = PROSE.count("\n") + 1
"""The line the NUL is on, when it follows PROSE."""


def accord(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def docx_with_nul() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>Before&#0;after</w:t></w:r></w:p>")
            target.writestr(item, data)
    return out.getvalue()


CASES = {
    "speech.txt": (PROSE + "Hidden\x00text.\n").encode(),
    "speech.md": ("---\ntitle: T\n---\n\n" + PROSE + "Hidden\x00text.\n").encode(),
    "table.csv": ("id,text\n" + "".join(f"r{n},{'Words of the row. ' * 8}\n" for n in range(100))
                  + "late,Hidden\x00text.\n").encode(),
    "table.tsv": ("id\ttext\n" + "".join(f"r{n}\t{'Words of the row. ' * 8}\n" for n in range(100))
                  + "late\tHidden\x00text.\n").encode(),
    "utf16.txt": ("Opening line.\n\nHidden\x00text.\n").encode("utf-16"),
}
EXPECTED_LINE = {"speech.txt": LINE, "speech.md": LINE + 4, "table.csv": 102, "table.tsv": 102, "utf16.txt": 3}


@pytest.mark.parametrize("name", list(CASES))
def test_a_nul_anywhere_in_a_text_file_is_refused_with_its_line(db: Path, tmp_path: Path, name: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(CASES[name])
    good = tmp_path / "good.txt"
    good.write_text("A good statement.\n")
    result = accord("--project", db, "import", bad, good)
    assert result.exit_code == 1, result.output
    assert f"{bad}:{EXPECTED_LINE[name]}: contains a NUL byte" in result.stderr, result.stderr
    with Project.open(db) as project:
        assert [row["id"] for row in project.document_overview()] == ["good"]


def test_a_nul_escaped_in_json_lines_is_refused_with_its_line(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "rows.jsonl"
    bad.write_text('{"id": "a", "text": "Clean text."}\n'
                   '{"id": "b", "text": "Hidden\\u0000text."}\n'
                   '{"id": "c", "text": "Clean.", "party": "x\\u0000y"}\n'
                   '{"id": "d", "text": "A backslash and u0000 written out: \\\\u0000 is text."}\n')
    result = accord("--project", db, "import", bad)
    assert result.exit_code == 1, result.output
    assert f"{bad}:2:" in result.stderr and f"{bad}:3:" in result.stderr
    assert result.stderr.count("contains a NUL byte") == 2, result.stderr
    with Project.open(db) as project:
        assert [row["id"] for row in project.document_overview()] == ["a", "d"]
        assert all("\x00" not in p.text for p in project.paragraphs())


def test_a_docx_with_a_nul_is_refused(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "word.docx"
    bad.write_bytes(docx_with_nul())
    result = accord("--project", db, "import", bad)
    assert result.exit_code == 1, result.output
    assert str(bad) in result.stderr
    with Project.open(db) as project:
        assert project.document_count() == 0


def test_a_nul_in_qdpx_source_text_is_refused_with_its_line(db: Path, tmp_path: Path) -> None:
    from tests.tui.test_hostile_archives import archive, qde

    bad = archive(tmp_path / "bad.qdpx", qde(), b"First line.\n\nSecond\x00line.\n")
    result = accord("--project", db, "import", bad)
    assert result.exit_code == 1, result.output
    assert str(bad) in result.stderr and "line 3 contains a NUL byte" in result.stderr, result.stderr


def test_doctor_notices_a_nul_stored_in_paragraph_text(db: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A good statement.\n\nAnother one.\n")
    assert accord("--project", db, "import", good).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("update paragraphs set text = ? where id = 'good:2'", ["Cut\x00here"])
    conn.close()
    result = accord("--project", db, "doctor")
    assert result.exit_code == 1, result.output
    assert "problem  nul" in result.stdout
    assert "1 paragraph holds a NUL byte: good:2" in result.stdout


def test_metadata_tables_and_codings_files_name_the_line_of_a_nul(db: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("A good statement.\n")
    assert accord("--project", db, "import", good).exit_code == 0
    meta = tmp_path / "meta.csv"
    meta.write_bytes(b"id,party\ngood,A\nother,B\x00C\n")
    result = accord("--project", db, "import", "--metadata", meta)
    assert result.exit_code == 1 and f"{meta}:3: " in result.stderr and "contains a NUL byte" in result.stderr
    codings = tmp_path / "codings.csv"
    codings.write_bytes(b"paragraph_id,coder,border_control\ngood:1,ann,1\ngood:1,b\x00b,1\n")
    result = accord("--project", db, "import-codings", codings)
    assert result.exit_code == 1 and f"{codings}:3: " in result.stderr and "contains a NUL byte" in result.stderr
    with Project.open(db) as project:
        assert not project.document("good").meta
        assert project.codings("good:1", "ann") == {}
