"""Required variables (`required: always | when_coded`), as a team meets them: the codebook check,
enter in the coding screen, import-codings, merge, export and status."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store import Project, default_codebook_path, load_codebook, parse_codebook
from tests.helpers import CODER, SMALL_YAML, coding, documents, pilot_test, settle, stored
from tui.cli import main

REQUIRED_YAML = SMALL_YAML.replace("    key: s\n", "    key: s\n    required: when_coded\n")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def required_path(tmp_path: Path) -> Path:
    """The small codebook with stance required on coded paragraphs; documents of 3 and 2 paragraphs."""
    path = tmp_path / "accord.db"
    with Project.create(path, parse_codebook(REQUIRED_YAML, "small.yaml")) as project:
        project.import_documents(documents(3, 2))
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the codebook ----------------------------------------------------------------------------


def test_the_shipped_codebook_requires_stance_and_salience_on_coded_paragraphs() -> None:
    codebook = load_codebook(default_codebook_path())
    assert codebook.required() == {"stance": "when_coded", "salience": "when_coded"}
    assert (Path(__file__).parents[2] / "codebook.yaml").read_bytes() == default_codebook_path().read_bytes()


def test_codebook_check_points_at_a_bad_required_value(tmp_path: Path) -> None:
    path = write(tmp_path, "book.yaml", SMALL_YAML.replace("    key: s\n", "    key: s\n    required: yes\n"))
    result = run("codebook", "check", path)
    assert result.exit_code == 1
    assert f"{path}:19:15:" in result.output and "'yes'" in result.output and "when_coded" in result.output


def test_codebook_check_refuses_required_on_a_code(tmp_path: Path) -> None:
    path = write(tmp_path, "book.yaml", SMALL_YAML.replace("    key: b\n", "    key: b\n    required: always\n", 1))
    result = run("codebook", "check", path)
    assert result.exit_code == 1
    assert f"{path}:7:15:" in result.output and "only variables take required" in result.output


def test_required_survives_a_yaml_round_trip_and_absent_means_optional() -> None:
    from store import dump_codebook

    codebook = parse_codebook(REQUIRED_YAML, "small.yaml")
    assert parse_codebook(dump_codebook(codebook), "again.yaml").required() == {"stance": "when_coded"}
    assert parse_codebook(SMALL_YAML, "old.yaml").required() == {}


def test_an_old_project_without_required_stays_optional(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Project.create(path, parse_codebook(SMALL_YAML, "small.yaml")) as project:
        project.import_documents(documents(1))
        project.set_coding("doc1:1", "ann", "border_control", 1)
        project.set_status("doc1:1", "ann", "done")
    result = run("export", "--project", path)
    assert result.exit_code == 0 and "required" not in result.stderr


# -- the coding screen -----------------------------------------------------------------------


@pilot_test
async def test_enter_refuses_a_coded_paragraph_without_its_required_variable(required_path: Path) -> None:
    async with coding(required_path) as pilot:
        await pilot.press("b", "enter")
        await settle(pilot)
        messages = [str(n.message) for n in pilot.app._notifications]
        assert any("Stance" in m and "required" in m for m in messages), messages
        with stored(required_path) as project:
            assert project.status("doc1:1", CODER).status != "done"
        await pilot.press("s", "1")  # stance: the first level
        await settle(pilot)
        await pilot.press("enter")
    with stored(required_path) as project:
        assert project.status("doc1:1", CODER).status == "done"
        assert project.codings("doc1:1", CODER)["stance"] == "support"


@pilot_test
async def test_enter_marks_a_paragraph_with_no_code_done_without_the_variable(required_path: Path) -> None:
    async with coding(required_path) as pilot:
        await pilot.press("enter")
    with stored(required_path) as project:
        assert project.status("doc1:1", CODER).status == "done"


# -- import-codings, merge, export, status ---------------------------------------------------


def test_import_codings_imports_and_reports_paragraphs_missing_a_required_variable(
        required_path: Path, tmp_path: Path) -> None:
    rows = "paragraph_id,coder,border_control,stance\n" + "".join(
        f"doc1:{n},ann,1,\n" for n in (1, 2, 3)) + "doc2:1,ann,1,support\ndoc2:2,ann,0,\n"
    result = run("import-codings", write(tmp_path, "ann.csv", rows), "--project", required_path)
    assert result.exit_code == 0, result.output
    assert "3 done paragraphs miss a required variable (stance): doc1:1, doc1:2, doc1:3" in result.stderr
    with stored(required_path) as project:
        assert project.progress("ann").done == 5  # imported all the same


def test_merge_reports_a_coders_paragraphs_missing_a_required_variable(required_path: Path, tmp_path: Path) -> None:
    handed = run("handout", "--coders", "bob,carol", "--overlap", "1", "--out", tmp_path, "--project", required_path)
    assert handed.exit_code == 0, handed.output
    coder_file = next(tmp_path.glob("*bob*.db"))
    with Project.open(coder_file) as project:
        for n in (1, 2):
            project.set_coding(f"doc1:{n}", "bob", "wmd", 1)
            project.set_status(f"doc1:{n}", "bob", "done")
        project.set_coding("doc1:3", "bob", "wmd", 1)
        project.set_coding("doc1:3", "bob", "stance", "oppose")
        project.set_status("doc1:3", "bob", "done")
    result = run("merge", coder_file, "--project", required_path)
    assert result.exit_code == 0, result.output
    assert f"{coder_file.name}: 2 done paragraphs miss a required variable (stance): doc1:1, doc1:2" in result.stderr
    with stored(required_path) as project:
        assert project.progress("bob").done == 3  # merged all the same


def test_export_and_status_count_done_paragraphs_missing_a_required_variable(required_path: Path,
                                                                           tmp_path: Path) -> None:
    with Project.open(required_path) as project:
        for paragraph, stance in (("doc1:1", None), ("doc1:2", "support"), ("doc1:3", None)):
            project.set_coding(paragraph, "ann", "border_control", 1)
            if stance:
                project.set_coding(paragraph, "ann", "stance", stance)
            project.set_status(paragraph, "ann", "done")
        project.set_status("doc2:1", "ann", "done")  # nothing applied: stance not needed
    result = run("export", "-o", tmp_path / "ann.csv", "--project", required_path)
    assert result.exit_code == 0, result.output
    assert "2 exported done paragraphs miss a variable the codebook requires" in result.stderr
    assert "first doc1:1, doc1:3;" in result.stderr
    status = run("status", "--project", required_path)
    assert "2 done paragraphs miss a required variable (stance): doc1:1, doc1:3" in status.output


def test_the_methods_appendix_states_the_rule(required_path: Path) -> None:
    result = run("codebook", "export", "--format", "md", "--project", required_path)
    assert result.exit_code == 0, result.output
    assert "set on every paragraph with a code applied (`required: when_coded`)" in result.stdout


def test_status_says_when_a_large_project_is_not_checked(required_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import store.status

    with Project.open(required_path) as project:
        project.set_coding("doc1:1", "ann", "wmd", 1)
        project.set_status("doc1:1", "ann", "done")
    monkeypatch.setattr(store.status, "REQUIRED_CHECK_LIMIT", 0)
    result = run("status", "--project", required_path)
    assert "Required variables: not checked at this size" in result.output
