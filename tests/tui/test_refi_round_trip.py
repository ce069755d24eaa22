"""A team's adjudicated project through REFI-QDA and back: every decision, every explicit 0,
and the count of open disagreements survive `export --format qdpx`, `init` and `import`."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from store import CONSENSUS, Project, accept_unanimous, decide, disagreements
from store.demo import build_demo
from tests.helpers import REFI_SCHEMAS
from tui.cli import main


def run(project: Path, *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["--project", str(project), *args])
    assert result.exit_code == 0, result.output
    return result


def rows(path: Path) -> list[tuple[object, ...]]:
    """Every coding row that carries a value (consensus included), as stored."""
    with sqlite3.connect(path) as db:
        return db.execute("select paragraph_id, coder_id, code_id, value from codings where value is not null "
                          "order by 1, 2, 3").fetchall()


def statuses(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute("select paragraph_id, coder_id, status, flagged, note from paragraph_status "
                          "order by 1, 2").fetchall()


def adjudicated_demo(folder: Path) -> Path:
    """The demo with unanimous values accepted and every disagreement decided: codes alternately
    "Not applied" (0) and "Applied" (1), variables alternately a level and "No level"."""
    path = build_demo(folder)
    with Project.open(path) as project:
        accept_unanimous(project)
        kinds = {row.id: row.kind for row in project.codes()}
        for n, item in enumerate(disagreements(project)):
            if kinds[item.code_id] == "code":
                value: object = n % 2
            else:
                value = project.levels(item.code_id)[0][0] if n % 2 else None
            decide(project, item.paragraph_id, item.code_id, value)
        # A coder who applied a code and took it back: an explicit 0 of a coder.
        project.set_coding("01_peru:1", "ben", "nuclear", 1)
        project.set_coding("01_peru:1", "ben", "nuclear", 0)
    return path


def test_qdpx_round_trip_keeps_not_applied_decisions(tmp_path: Path) -> None:
    source = adjudicated_demo(tmp_path / "demo")
    before = json.loads(run(source, "status", "--json").stdout)
    assert before["open_disagreements"] == 0
    zeros = [row for row in rows(source) if row[3] == 0]
    assert any(row[1] == CONSENSUS for row in zeros) and any(row[1] == "ben" for row in zeros)

    archive = tmp_path / "p.qdpx"
    run(source, "export", "--format", "qdpx", "-o", str(archive))
    with zipfile.ZipFile(archive) as handle:
        root = etree.fromstring(handle.read("project.qde"))
    project_schema = etree.XMLSchema(etree.parse(str(REFI_SCHEMAS / "Project.xsd")))
    assert project_schema.validate(root), project_schema.error_log

    fresh = tmp_path / "fresh.db"
    run(fresh, "init")
    run(fresh, "import", str(archive))
    after = json.loads(run(fresh, "status", "--json").stdout)
    assert after["open_disagreements"] == 0
    assert after["coders"] == before["coders"]
    assert rows(fresh) == rows(source)
    assert statuses(fresh) == statuses(source)
    with Project.open(source) as old, Project.open(fresh) as new:
        assert disagreements(new) == disagreements(old)  # each one decided, "No level" decisions too
        assert old.cleared_rows(1, 10**6) and new.cleared_rows(1, 10**6) == old.cleared_rows(1, 10**6)
