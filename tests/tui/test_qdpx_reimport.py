"""A `.qdpx` writes one event per actual change: overlapping selections do not multiply the
event log, and importing the same file again changes nothing."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

from click.testing import CliRunner, Result

from store import Project
from tests.helpers import code_two_coders, small_codebook
from tui.cli import main

SOURCE = "55555555-5555-5555-5555-555555555555"
USER = "66666666-6666-6666-6666-666666666666"
CODE = "77777777-7777-7777-7777-777777777777"
NOTE = "88888888-8888-8888-8888-888888888888"


def overlapping(path: Path, paragraphs: int, selections: int) -> Path:
    """`selections` selections by one user, each over every paragraph, each with the same code
    and note: the small file of the issue (2,000 paragraphs, 50 selections: 6.5 KB)."""
    text = "\n\n".join(f"p{n}" for n in range(paragraphs))
    chosen = "".join(
        f'<PlainTextSelection guid="{n:08d}-0000-0000-0000-000000000000" startPosition="0" endPosition="{len(text)}" '
        f'creatingUser="{USER}"><Coding guid="{n:08d}-1111-0000-0000-000000000000" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{CODE}"/></Coding><NoteRef targetGUID="{NOTE}"/></PlainTextSelection>'
        for n in range(selections))
    project = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" creatingUserGUID="{USER}">
  <Users><User guid="{USER}" name="alice"/></Users>
  <CodeBook><Codes><Code guid="{CODE}" name="border_control" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="{SOURCE}" name="speech" plainTextPath="internal://{SOURCE}.txt">{chosen}</TextSource></Sources>
  <Notes><Note guid="{NOTE}"><PlainTextContent>seen twice</PlainTextContent></Note></Notes>
</Project>"""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("project.qde", project)
        handle.writestr(f"sources/{SOURCE}.txt", text)
    return path


def accord(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a fixed order. The full-text index is compared by what it
    holds (paragraphs_fts), not by FTS5's shadow tables, whose structure record counts FTS5's own
    configuration writes (an import sets its buffer size and puts it back)."""
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("select name from sqlite_master where type = 'table' "
                                          "and name not like 'paragraphs\\_fts\\_%' escape '\\' order by name")]
        return {name: sorted(db.execute(f'select * from "{name}"').fetchall(), key=repr) for name in names}


def test_overlapping_selections_write_one_event_per_change_and_a_reimport_writes_none(tmp_path: Path) -> None:
    db = tmp_path / "accord.db"
    Project.create(db, small_codebook()).close()
    archive = overlapping(tmp_path / "overlap.qdpx", paragraphs=200, selections=20)
    result = accord("--project", db, "import", archive)
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as handle:
        per_key = handle.execute(
            "select count(*), count(distinct paragraph_id || ' ' || coder_id || ' ' || coalesce(code_id, action)) from events"
        ).fetchone()
        codings = handle.execute("select count(*) from codings where value = 1").fetchone()[0]
    assert codings == 200
    # a code, a status and a note on each paragraph: one event each, not one per selection
    assert per_key == (600, 600)
    before = tables(db)
    again = accord("--project", db, "import", archive)
    assert again.exit_code == 0, again.output
    assert tables(db) == before


def test_a_project_importing_its_own_export_changes_nothing(project: Project, tmp_path: Path) -> None:
    """The round trip a lead makes by mistake: export the coded project, import the file back."""
    code_two_coders(project)
    project.close()
    archive = tmp_path / "p.qdpx"
    assert accord("--project", project.path, "export", "-o", archive).exit_code == 0
    before = tables(project.path)
    result = accord("--project", project.path, "import", "--include-consensus", archive)
    assert result.exit_code == 0, result.output
    assert tables(project.path) == before
