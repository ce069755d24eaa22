"""Broken and hostile REFI-QDA files and project files from the command line: a message naming
the file, exit 1, never a traceback, and the other files of the same import still imported."""

from __future__ import annotations

import sqlite3
import struct
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store import Project
from store.intake import zip_limits
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


BOMB = ("A paragraph of an archived speech, said again and again. " * 40 + "\n\n").encode() * 4000
"""8.7 MiB of text that deflates to a few kilobytes: far past 100 times the archive's size."""


def forge_size(path: Path, member: str, size: int) -> Path:
    """The member's unpacked size in the zip directory (and its local header) set to `size`."""
    with zipfile.ZipFile(path) as handle:
        info = handle.getinfo(member)
    data = bytearray(path.read_bytes())
    central = data.rfind(b"PK\x01\x02")  # the member written last is last in the directory
    struct.pack_into("<I", data, central + 24, size)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    path.write_bytes(bytes(data))
    return path


def imported(db: Path) -> list[str]:
    with Project.open(db) as project:
        return [row["id"] for row in project.document_overview()]


def test_a_member_that_unpacks_to_100_times_the_archive_is_refused_from_the_directory(db: Path, tmp_path: Path) -> None:
    bomb = archive(tmp_path / "bomb.qdpx", qde(), BOMB, zipfile.ZIP_DEFLATED)
    good = tmp_path / "good.txt"
    good.write_text("A good statement in a text file.\n")
    started = time.perf_counter()
    result = accord("--project", db, "import", bomb, good)
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1, result.output
    line = next(line for line in result.stderr.splitlines() if str(bomb) in line)
    assert f"archive member sources/{SOURCE_GUID}.txt unpacks to 8.7 MiB; Accord unpacks at most 3.2 MiB " \
        "from it (100 times the size of the archive, at least 1.0 MiB, never more than 2.0 GiB); refused" in line, line
    assert imported(db) == ["good"]


def test_members_that_add_up_past_the_cap_are_refused(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zip_limits, "MAX_UNPACKED_BYTES", 150_000)
    path = archive(tmp_path / "many.qdpx", qde(), b"x")
    with zipfile.ZipFile(path, "a") as handle:
        for n in range(4):
            handle.writestr(f"sources/extra{n}.txt", TEXT.encode() * 50)  # 41 KB each, stored
    result = accord("--project", db, "import", path)
    assert result.exit_code == 1, result.output
    assert f"{path}: the archive unpacks to 156.5 KiB; Accord unpacks at most 146.5 KiB" in result.stderr, result.stderr
    assert imported(db) == []


def test_a_forged_directory_size_does_not_get_past(db: Path, tmp_path: Path) -> None:
    member = f"sources/{SOURCE_GUID}.txt"
    forged = forge_size(archive(tmp_path / "forged.qdpx", qde(), BOMB, zipfile.ZIP_DEFLATED), member, 1000)
    with zipfile.ZipFile(forged) as handle:
        assert handle.getinfo(member).file_size == 1000
    result = accord("--project", db, "import", forged)
    assert result.exit_code == 1, result.output
    assert f"{forged}: archive member {member} unpacks to more than the 1,000 bytes its zip directory says" \
        in result.stderr, result.stderr
    assert imported(db) == []
