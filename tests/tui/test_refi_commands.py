"""REFI-QDA and the codebook appendix from the command line: export, import, update."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner

from store import Project
from tests.helpers import code_two_coders, small_codebook
from tui.cli import main


def run(project: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["--project", str(project), *args])


def test_qdpx_export_then_import_into_a_new_project(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    archive = tmp_path / "p.qdpx"
    result = run(project.path, "export", "--format", "qdpx", "-o", str(archive))
    assert result.exit_code == 0, result.output
    assert "2 documents, 7 coded paragraphs" in result.stderr
    assert "project.qde" in zipfile.ZipFile(archive).namelist()
    assert run(project.path, "export", "--format", "qdpx").exit_code == 1  # needs -o
    assert run(project.path, "export", "--format", "qdpx", "--coder", "alice", "-o", "x.qdpx").exit_code == 2
    fresh = Project.create(tmp_path / "fresh.db", small_codebook())
    fresh.close()
    result = run(fresh.path, "import", str(archive))
    assert result.exit_code == 0, result.output
    assert "2 documents added" in result.stderr and "8 codings on 7 paragraphs by alice, bob, consensus" in result.stderr
    with Project.open(fresh.path) as reopened:
        # bob removed border_control on doc1:2 and consensus decided "Not applied": both 0s travel.
        assert reopened.codings("doc1:2", "bob") == {"border_control": 0}
        assert reopened.status("doc1:2", "bob").status == "done"
        assert reopened.codings("doc1:2", "consensus") == {"border_control": 0}
        assert reopened.codings("doc1:1", "alice") == {"border_control": 1, "stance": "support"}
        assert reopened.status("doc1:2", "consensus").status == "done"


def test_import_of_a_hostile_archive_is_a_one_line_error(project: Project, tmp_path: Path) -> None:
    archive = tmp_path / "evil.qdpx"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("../../evil.sh", "rm -rf /")
        handle.writestr("project.qde", "<Project/>")
    result = run(project.path, "import", str(archive))
    assert result.exit_code == 1 and "would leave the archive's folder" in result.output
    assert project.document_count() == 2


def test_codebook_export_formats(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    result = run(project.path, "codebook", "export")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Codebook: Test codebook")
    assert "**Applied:** 3 times by the coders: alice 2 of 3 done (67%), bob 1 of 2 done (50%)" in result.stdout
    assert run(project.path, "codebook", "export", "--format", "html", "-o", str(tmp_path / "a.html")).exit_code == 0
    assert "<h1>Codebook: Test codebook</h1>" in (tmp_path / "a.html").read_text()
    assert run(project.path, "codebook", "export", "--format", "qdc").exit_code == 1
    assert run(project.path, "codebook", "export", "--format", "qdc", "-o", str(tmp_path / "c.qdc")).exit_code == 0
    again = run(project.path, "codebook", "export", "--format", "qdc", "-o", str(tmp_path / "c.qdc"))
    assert again.exit_code == 1 and "--force" in again.output


def test_codebook_update_from_qdc_adds_a_code(project: Project, tmp_path: Path) -> None:
    qdc = tmp_path / "c.qdc"
    assert run(project.path, "codebook", "export", "--format", "qdc", "-o", str(qdc)).exit_code == 0
    qdc.write_text(qdc.read_text().replace(
        "</Codes>", '<Code guid="99999999-9999-9999-9999-999999999999" name="Gender" isCodable="true"/></Codes>'))
    result = run(project.path, "codebook", "update", str(qdc))
    assert result.exit_code == 0, result.output
    assert "Added (1): gender" in result.stderr
    with Project.open(project.path) as reopened:
        assert "gender" in [code.id for code in reopened.codes()]
        assert reopened.codebook().by_id()["border_control"].key == "b"
