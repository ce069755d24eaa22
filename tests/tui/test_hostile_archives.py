"""Broken and hostile REFI-QDA files and project files from the command line: a message naming
the file, exit 1, never a traceback, and the other files of the same import still imported."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store import Project
from tests.helpers import small_codebook
from tui.cli import main

SOURCE_GUID = "44444444-4444-4444-4444-444444444444"
TEXT = "First paragraph of the archived speech. " * 20


def qde(codes: str = "", source: str = f'plainTextPath="internal://{SOURCE_GUID}.txt"') -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <CodeBook><Codes>{codes}</Codes></CodeBook>
  <Sources><TextSource guid="{SOURCE_GUID}" name="speech" {source}/></Sources>
</Project>"""


def nested_codes(depth: int, ns: str = "") -> str:
    opening = "".join(f'<Code guid="{n:08d}-0000-0000-0000-000000000000" name="c{n}" isCodable="true">'
                      for n in range(depth))
    return opening + "</Code>" * depth


def archive(path: Path, project_qde: str, source: bytes, compression: int = zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w") as handle:
        handle.writestr("project.qde", project_qde)
        handle.writestr(f"sources/{SOURCE_GUID}.txt", source, compress_type=compression)
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "accord.db"
    Project.create(path, small_codebook()).close()
    return path


def accord(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def bad_crc(path: Path) -> Path:
    archive(path, qde(), TEXT.encode())
    data = path.read_bytes()
    path.write_bytes(data.replace(b"First paragraph", b"Forst paragraph", 1))
    return path


def bad_deflate(path: Path) -> Path:
    archive(path, qde(), TEXT.encode(), zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(path) as handle:
        info = handle.getinfo(f"sources/{SOURCE_GUID}.txt")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + info.compress_size] = b"\xff" * info.compress_size
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: archive(p, qde(), "Café au lait. ".encode("cp1252") * 10), "not UTF-8"),
    (bad_crc, "damaged"),
    (bad_deflate, "damaged"),
    (lambda p: archive(p, qde(nested_codes(1200)), TEXT.encode()), "nested"),
])
def test_a_broken_archive_is_a_message_and_the_other_files_are_imported(db: Path, tmp_path: Path, make, expected) -> None:  # type: ignore[no-untyped-def]
    bad = make(tmp_path / "bad.qdpx")
    good = tmp_path / "good.txt"
    good.write_text("A good statement in a text file.\n")
    result = accord("--project", db, "import", bad, good)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, (RecursionError, UnicodeError))
    line = next(line for line in result.stderr.splitlines() if str(bad) in line)
    assert expected in line, result.stderr
    with Project.open(db) as project:
        assert [row["id"] for row in project.document_overview()] == ["good"]


def test_a_qdc_with_codes_nested_1200_deep_is_a_message(db: Path, tmp_path: Path) -> None:
    qdc = tmp_path / "deep.qdc"
    qdc.write_text('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   + nested_codes(1200) + "</Codes></CodeBook>")
    result = accord("--project", db, "codebook", "update", qdc)
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, RecursionError)
    assert str(qdc) in result.stderr and "nested" in result.stderr


@pytest.mark.parametrize("version", ["abc", "", "3.5", None])
def test_a_schema_version_that_is_not_a_number_is_named(db: Path, version: str | None) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("update meta set value = ? where key = 'schema_version'", [version])
    conn.close()
    result = accord("--project", db, "status")
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, (ValueError, TypeError)), result.exception
    assert str(db) in result.stderr and "schema version" in result.stderr
    result = accord("--project", db, "doctor")
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, (ValueError, TypeError)), result.exception
    assert f"schema version {version!r} in its meta table is not a number" in result.output
