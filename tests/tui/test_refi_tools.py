"""Projects and codebooks from MAXQDA, ATLAS.ti, NVivo and QualCoder, through the CLI.

The fixtures (tests/refi_tools.py) follow each program's published REFI-QDA export shape."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from store import Project
from tests.helpers import REFI_SCHEMAS
from tests.refi_tools import EXPECTED_IDS, SHAPES, build_qdpx
from tui.cli import main


@pytest.mark.parametrize("tool", sorted(SHAPES))
def test_the_fixtures_are_valid_refi_qda_projects(tool: str, tmp_path: Path) -> None:
    import zipfile

    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(REFI_SCHEMAS / "Project.xsd")))
    with zipfile.ZipFile(build_qdpx(tool, tmp_path / "x.qdpx")) as archive:
        assert schema.validate(etree.fromstring(archive.read("project.qde"))), schema.error_log


def accord(project: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--project", str(project), *map(str, args)])


@pytest.mark.parametrize("tool", sorted(SHAPES))
def test_a_project_from_another_program_comes_over_with_its_codebook(tool: str, tmp_path: Path) -> None:
    archive = build_qdpx(tool, tmp_path / f"{tool}.qdpx")
    db = tmp_path / "p.db"
    created = accord(db, "init", "--codebook", archive)
    assert created.exit_code == 0, created.output
    result = accord(db, "import", archive)
    assert result.exit_code == 0, result.output
    assert "2 documents added" in result.stderr
    assert "9 codings on 6 paragraphs by Ana Souza, Ben Okafor" in result.stderr
    assert "Codes not in the codebook" not in result.stderr
    skipped = {"maxqda": "report.pdf", "atlasti": "map.png", "nvivo": "interview.mp3", "qualcoder": "meeting.mp4"}[tool]
    assert f"Skipped, not plain text (Accord codes text): {skipped}" in result.stderr
    with Project.open(db) as project:
        codebook = project.codebook()
        assert {code.id: code.label for code in codebook.walk()} == {
            **EXPECTED_IDS, **({"governance_other": "Governance: Other"} if tool == "atlasti" else {})}
        water = codebook.by_id()["water"]
        assert water.color == "#aec7e8" and water.definition.startswith("Access to water.")
        assert codebook.by_id()["resources"].color == "#1f77b4"
        if tool != "atlasti":  # ATLAS.ti's code list is flat
            assert water.parent_id == "resources" and codebook.by_id()["governance_other"].parent_id == "governance"
        if tool == "nvivo":  # the memo linked to the code
            assert water.definition == "Access to water.\n\nIncludes wells."
        assert [(d["id"], d["paragraphs"]) for d in project.document_overview()] == [("Interview 1", 3), ("Focus group", 2)]
        assert project.paragraph("Interview 1:2").text == "The council meets every week."
        assert project.codings("Interview 1:1", "Ana Souza") == {"water": 1}
        # ben's selection runs from the end of paragraph 1 into paragraph 2: it codes both
        assert project.codings("Interview 1:1", "Ben Okafor") == {"water": 1, "local_council": 1}
        assert project.codings("Interview 1:2", "Ben Okafor") == {"water": 1, "local_council": 1}
        assert project.codings("Interview 1:2", "Ana Souza") == {}
        assert project.codings("Interview 1:3", "Ana Souza") == {"water": 1}
        assert project.codings("Focus group:2", "Ana Souza") == {"local_council": 1, "governance_other": 1}
        assert project.codings("Focus group:2", "Ben Okafor") == {"local_council": 1}
        note = {"maxqda": "Check the rainfall data.", "nvivo": "Check the rainfall data.",
                "atlasti": "Scarcity named first."}.get(tool)
        assert project.status("Interview 1:1", "Ana Souza").note == note
    assert accord(db, "import", archive).stderr.count("0 documents added") == 1  # again: nothing new
    exported = accord(db, "export", "--all", "-o", tmp_path / "out.csv")
    assert exported.exit_code == 0, exported.output
    table = pd.read_csv(tmp_path / "out.csv")
    ben = table[(table["coder"] == "Ben Okafor") & (table["paragraph_id"] == "Interview 1:2")]
    assert ben[["water", "local_council"]].values.tolist() == [[1, 1]]


@pytest.mark.parametrize("tool", sorted(SHAPES))
def test_codebook_update_takes_the_codebook_of_a_qdpx(tool: str, project: Project, tmp_path: Path) -> None:
    archive = build_qdpx(tool, tmp_path / f"{tool}.qdpx")
    result = accord(project.path, "codebook", "update", "--retire", archive)
    assert result.exit_code == 0, result.output
    assert "Added (6): " in result.stderr and "governance_other" in result.stderr
    shown = accord(project.path, "codebook", "show", archive)
    assert shown.exit_code == 0 and "local_council" in shown.stdout
    checked = accord(project.path, "codebook", "check", archive)
    assert checked.exit_code == 0 and "6 codes" in checked.stderr


def test_the_same_file_gives_the_same_ids_and_yaml_export_round_trips(tmp_path: Path) -> None:
    archive = build_qdpx("maxqda", tmp_path / "m.qdpx")
    db = tmp_path / "p.db"
    assert accord(db, "init", "--codebook", archive).exit_code == 0
    again = accord(db, "codebook", "update", archive)
    assert "already the project's codebook; nothing changed" in again.stderr, again.output
    yaml_file = tmp_path / "codebook.yaml"
    exported = accord(db, "codebook", "export", "--format", "yaml", "-o", yaml_file)
    assert exported.exit_code == 0, exported.output
    text = yaml_file.read_text()
    assert "id: governance_other" in text and "color: '#aec7e8'" in text
    with Project.open(db) as project:
        versions = project.db.execute("select count(*) from codebooks").fetchone()[0]
    back = accord(db, "codebook", "update", yaml_file)
    assert "already the project's codebook; nothing changed" in back.stderr, back.output
    with Project.open(db) as project:
        assert project.db.execute("select count(*) from codebooks").fetchone()[0] == versions
    qdc = tmp_path / "c.qdc"
    assert accord(db, "codebook", "export", "--format", "qdc", "-o", qdc).exit_code == 0
    assert 'name="Water" isCodable="true" color="#aec7e8"' in qdc.read_text()


def test_an_empty_project_is_a_clear_message(project: Project, tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("project.qde", '<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="e"/>')
    result = accord(project.path, "import", archive)
    assert result.exit_code == 1
    assert f"{archive} holds no sources: nothing to import" in result.stderr
    codebook = accord(project.path, "codebook", "update", archive)
    assert codebook.exit_code == 1 and "has no codes in its codebook" in codebook.stderr


def test_the_codebook_of_a_qdpx_is_read_without_its_sources(project: Project, tmp_path: Path) -> None:
    """A codebook update reads project.qde's CodeBook only: a source Accord could not read
    (here in Windows-1252) does not stand in the way, and large sources are not unpacked."""
    import zipfile

    archive = build_qdpx("maxqda", tmp_path / "m.qdpx")
    broken = tmp_path / "broken.qdpx"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, "Café".encode("cp1252") if info.filename.endswith(".txt") else data)
    result = accord(project.path, "codebook", "update", "--retire", broken)
    assert result.exit_code == 0, result.output
    assert "Added (6)" in result.stderr
    imported = accord(project.path, "import", broken)
    assert imported.exit_code == 1 and "is not UTF-8 text" in imported.stderr
