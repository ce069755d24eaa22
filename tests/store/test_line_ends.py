"""Line ends are one `\n` once a text is in the project: a carriage return from a file (CSV, JSON
Lines, a metadata table, a .txt) or a typed note never reaches the store, so no export can split
a row on it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from store import Project, SourceDocument
from tests.helpers import small_codebook
from tui.cli import main


def stored_texts(path: Path) -> list[str]:
    """Every text the project holds about its documents, paragraphs and coders' work."""
    with sqlite3.connect(path) as db:
        rows = db.execute("select id, title, speaker, country, date, meta from documents union all "
                          "select id, document_id, text, null, null, null from paragraphs union all "
                          "select paragraph_id, coder_id, note, null, null, null from paragraph_status").fetchall()
    return [value for row in rows for value in row if isinstance(value, str)]


def test_carriage_returns_in_files_and_notes_become_newlines(tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    Project.create(project, small_codebook()).close()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "speeches.csv").write_bytes(
        b'id,speaker,"region\r",text\r\n"a\rb","Mr.\r\nCR","Eu\rrope","First\rline of a speech."\r\n')
    (corpus / "records.jsonl").write_text(json.dumps(
        {"id": "j\r1", "speaker": "Ms.\rJ", "party\r": "le\rft", "text": "Some\rtext."}) + "\n")
    (corpus / "mac.txt").write_bytes(b"Old Mac line ends.\r\rSecond paragraph.\r")
    metadata = tmp_path / "meta.csv"
    metadata.write_bytes(b'id,country,note\r\nmac,"Land\rof CR","a\rb"\r\n')
    done = CliRunner().invoke(main, ["--project", str(project), "import", str(corpus), "--metadata", str(metadata)])
    assert done.exit_code == 0, done.output
    with Project.open(project) as opened:
        opened.set_note("mac:1", "alice", "typed\rnote\r\nhere")
    texts = stored_texts(project)
    assert not [t for t in texts if "\r" in t]
    assert "a\nb" in texts and "Mr.\nCR" in texts and "Land\nof CR" in texts and "typed\nnote\nhere" in texts
    assert "j\n1" in texts and any('"party\\n": "le\\nft"' in t for t in texts)


def test_a_carriage_return_in_an_imported_coder_name_becomes_a_newline(tmp_path: Path) -> None:
    project = tmp_path / "p.db"
    with Project.create(project, small_codebook()) as opened:
        opened.import_documents([SourceDocument(id="doc", paragraphs=["One."])])
    codings = tmp_path / "codings.csv"
    codings.write_bytes(b'paragraph_id,coder,code,value\r\ndoc:1,"ann\rbell",border_control,1\r\n')
    done = CliRunner().invoke(main, ["--project", str(project), "import-codings", str(codings)])
    assert done.exit_code == 0, done.output
    with sqlite3.connect(project) as db:
        assert [row[0] for row in db.execute("select id from coders")] == ["ann\nbell"]


def test_a_qdpx_with_carriage_returns_comes_in_with_newlines(tmp_path: Path) -> None:
    """A .qdpx written from a project that still holds carriage returns (paragraph text, a note, a
    coder name): the import that reads it stores newlines."""
    from tests.exports.test_hostile_cells import hostile_project

    source = hostile_project(tmp_path / "old.db")
    archive = tmp_path / "old.qdpx"
    done = CliRunner().invoke(main, ["--project", str(source), "export", "--format", "qdpx", "-o", str(archive)])
    assert done.exit_code == 0, done.output
    fresh = tmp_path / "fresh.db"
    Project.create(fresh, small_codebook()).close()
    done = CliRunner().invoke(main, ["--project", str(fresh), "import", str(archive)])
    assert done.exit_code == 0, done.output
    texts = stored_texts(fresh)
    assert texts and not [t for t in texts if "\r" in t]
    assert "first\nparagraph" in texts and "a\nnote -1" in texts
    with sqlite3.connect(fresh) as db:
        assert "al\nice" in [row[0] for row in db.execute("select id from coders")]
