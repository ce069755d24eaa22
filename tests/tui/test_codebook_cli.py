"""`accord codebook check|show|update` and `accord init` with the real codebook, as a user runs them."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store import Project
from store.codebook.parser import load_codebook, parse_codebook
from tests.helpers import REPO, SMALL_YAML, documents
from tui.cli import main

NUCLEAR = "    children:\n      - id: nuclear\n        label: Nuclear\n        key: n\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """A project on the small codebook with one document of two paragraphs; ann applied nuclear."""
    path = tmp_path / "accord.db"
    with Project.create(path, parse_codebook(SMALL_YAML, "small.yaml")) as project:
        project.import_documents(documents(2))
        project.set_coding(project.paragraphs()[0].id, "ann", "nuclear", 1)
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(path: Path) -> tuple[object, ...]:
    """Everything an update may change, read straight from the file."""
    with sqlite3.connect(path) as conn:
        return (
            conn.execute("select * from codes order by id").fetchall(),
            conn.execute("select * from code_levels order by code_id, position").fetchall(),
            conn.execute("select sha256 from codebooks order by sha256").fetchall(),
            conn.execute("select value from meta where key = 'codebook_sha256'").fetchall(),
            conn.execute("select * from codings").fetchall(),
        )


# -- check ------------------------------------------------------------------------------------


def test_check_a_good_file_prints_one_ok_line() -> None:
    result = run("codebook", "check", REPO / "codebook.yaml")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"{REPO / 'codebook.yaml'}: OK, 20 codes (7 of them sub-codes), 2 variables, version 1.0\n"


def test_check_lists_every_problem_with_file_line_column(tmp_path: Path) -> None:
    path = write(tmp_path, "cb.yaml", "codebook: T\ncodes:\n  - id: Border\n    lable: B\n    key: q\n")
    result = run("codebook", "check", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}:3:9: id 'Border' must be snake_case: lowercase letters, digits and _, starting with a letter "
        "(it becomes a column name in exports)",
        f"{path}:4:5: unknown field 'lable' in a code; did you mean 'label'?",
        f"{path}:5:10: key 'q' of code 'Border' is taken by the coding screen "
        "(reserved: * - / 1 2 3 4 5 6 7 8 9 : ? C R e f g q u); "
        "choose another letter",
        f"3 problems in {path}",
    ]


def test_check_reports_yaml_syntax_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "cb.yaml", "codebook: T\ncodes:\n  - id: a\n    label: 'unclosed\n")
    result = run("codebook", "check", path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:4:12: YAML syntax: a quoted text opens here and is never closed")
    assert "Traceback" not in result.output


def test_check_without_file_uses_local_codebook_then_the_shipped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("codebook", "check")
    assert result.exit_code == 0
    assert "store/data/codebook.yaml: OK, 20 codes" in result.stderr
    Path("codebook.yaml").write_text("codebook: Mine\ncodes:\n  - {id: a, label: A, key: 'e'}\n")
    result = run("codebook", "check")
    assert result.exit_code == 1
    assert result.stderr.startswith("codebook.yaml:3:28: key 'e' of code 'a' is taken")


# -- show -------------------------------------------------------------------------------------


def test_show_draws_the_project_codebook_as_a_tree(project_path: Path) -> None:
    result = run("--project", project_path, "codebook", "show")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Test codebook  version 1"
    assert "├── 1 b  Border control  border_control" in result.stdout
    assert "│       └──   n  Nuclear  nuclear" in result.stdout
    assert "    └──   s  Stance  stance  (single)" in result.stdout
    assert "1  Supports  support" in result.stdout and "2  Opposes  oppose" in result.stdout


def test_show_prints_definitions_unless_brief(tmp_path: Path) -> None:
    path = REPO / "codebook.yaml"
    full = run("codebook", "show", path)
    brief = run("codebook", "show", "--brief", path)
    assert full.exit_code == brief.exit_code == 0
    assert "The authorized international trade in conventional arms" in full.stdout
    assert "The authorized international trade" not in brief.stdout
    for label in ("Border control", "Means of delivery", "Gender perspectives", "Salience"):
        assert label in brief.stdout
    assert "1  Low  low" in brief.stdout and "3  High  high" in brief.stdout


def test_show_marks_retired_codes(project_path: Path, tmp_path: Path) -> None:
    assert run("--project", project_path, "codebook", "update", "--retire",
               write(tmp_path, "v2.yaml", SMALL_YAML.replace(NUCLEAR, ""))).exit_code == 0
    result = run("--project", project_path, "codebook", "show")
    assert result.exit_code == 0
    assert "Nuclear  nuclear  retired" in result.stdout


def test_show_without_a_project_says_how_to_make_one(tmp_path: Path) -> None:
    result = run("--project", tmp_path / "none.db", "codebook", "show")
    assert result.exit_code == 1
    assert "no project at" in result.stderr and "accord init" in result.stderr


# -- update -----------------------------------------------------------------------------------


def test_update_reports_added_updated_and_removed(project_path: Path, tmp_path: Path) -> None:
    text = (SMALL_YAML.replace("label: Border control", "label: Border and customs control")
            .replace("  - id: wmd", "  - id: sanctions\n    label: Sanctions\n    key: x\n  - id: wmd"))
    text = text.replace("      - {value: oppose, label: Opposes}\n", "      - {value: oppose, label: Opposes}\n"
                        "      - {value: unclear, label: Unclear}\n")
    result = run("--project", project_path, "codebook", "update", write(tmp_path, "v2.yaml", text))
    assert result.exit_code == 0, result.output
    assert "Added (1): sanctions" in result.stderr
    # wmd and nuclear moved down one place to make room: not an update, and not a reordering.
    assert "Updated (2): border_control, stance\n" in result.stderr
    assert "Reordered" not in result.stderr
    with Project.open(project_path) as project:
        assert project.codebook().by_id()["border_control"].label == "Border and customs control"
        assert [v for v, _ in project.levels("stance")] == ["support", "oppose", "unclear"]
        assert project.db.execute("select count(*) from codebooks").fetchone()[0] == 2


def test_update_removes_a_dropped_code_without_codings(project_path: Path, tmp_path: Path) -> None:
    text = SMALL_YAML.replace("  - id: border_control\n    label: Border control\n    key: b\n", "")
    result = run("--project", project_path, "codebook", "update", write(tmp_path, "v2.yaml", text))
    assert result.exit_code == 0, result.output
    assert "Removed (1): border_control" in result.stderr
    with Project.open(project_path) as project:
        assert "border_control" not in [row.id for row in project.codes()]


def test_update_refuses_to_drop_a_coded_code_and_leaves_the_project_unchanged(project_path: Path, tmp_path: Path) -> None:
    before = snapshot(project_path)
    result = run("--project", project_path, "codebook", "update", write(tmp_path, "v2.yaml", SMALL_YAML.replace(NUCLEAR, "")))
    assert result.exit_code == 1
    assert "nuclear (1 coding)" in result.stderr and "--retire" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(project_path) == before


def test_update_with_retire_keeps_the_code_and_its_codings(project_path: Path, tmp_path: Path) -> None:
    v2 = write(tmp_path, "v2.yaml", SMALL_YAML.replace(NUCLEAR, ""))
    result = run("--project", project_path, "codebook", "update", "--retire", v2)
    assert result.exit_code == 0, result.output
    assert "Retired (1): nuclear" in result.stderr
    with Project.open(project_path) as project:
        assert [row.id for row in project.codes(include_retired=False)] == ["border_control", "wmd", "stance"]
        assert project.codebook().by_id()["nuclear"].retired
        assert project.db.execute("select count(*) from codings where code_id = 'nuclear'").fetchone()[0] == 1
    result = run("--project", project_path, "codebook", "update", write(tmp_path, "v3.yaml", SMALL_YAML))
    assert result.exit_code == 0
    assert "Restored (1): nuclear" in result.stderr


def test_update_with_a_broken_file_lists_problems_and_changes_nothing(project_path: Path, tmp_path: Path) -> None:
    before = snapshot(project_path)
    bad = write(tmp_path, "bad.yaml", SMALL_YAML.replace("key: w", "key: b"))
    result = run("--project", project_path, "codebook", "update", bad)
    assert result.exit_code == 1
    assert f"{bad}:9:10: duplicate key 'b': code 'border_control' uses it too (line 6)" in result.stderr
    assert snapshot(project_path) == before


def test_update_with_the_same_file_or_only_new_wording(project_path: Path, tmp_path: Path) -> None:
    same = run("--project", project_path, "codebook", "update", write(tmp_path, "same.yaml", SMALL_YAML))
    assert same.exit_code == 0 and "nothing changed" in same.stderr
    reworded = SMALL_YAML.replace("codebook: Test codebook\n", "codebook: Test codebook\ninstructions: Read twice.\n")
    result = run("--project", project_path, "codebook", "update", write(tmp_path, "v2.yaml", reworded))
    assert result.exit_code == 0
    assert "no code changed" in result.stderr
    with Project.open(project_path) as project:
        assert project.codebook().instructions == "Read twice."


def test_update_reports_codes_that_change_places(project_path: Path, tmp_path: Path) -> None:
    border = "  - id: border_control\n    label: Border control\n    key: b\n"
    swapped = SMALL_YAML.replace(border, "").replace("variables:\n", border + "variables:\n")
    result = run("--project", project_path, "codebook", "update", write(tmp_path, "v2.yaml", swapped))
    assert result.exit_code == 0, result.output
    assert "Reordered: codes changed places; keys 1-9 follow the new order." in result.stderr
    assert "Updated" not in result.stderr
    shown = run("--project", project_path, "codebook", "show").stdout
    assert "├── 1 w  WMD  wmd" in shown and "└── 2 b  Border control  border_control" in shown


@pytest.mark.parametrize("command", ["check", "show", "update"])
def test_every_codebook_command_explains_itself(command: str) -> None:
    result = run("codebook", command, "--help")
    assert result.exit_code == 0
    assert "codebook" in result.stdout.lower() and len(result.stdout.splitlines()) > 5


# -- init with the real codebook ----------------------------------------------------------------


def test_init_from_the_command_line_uses_the_shipped_codebook(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ACCORD_PROJECT"} | {"PYTHONPATH": str(REPO)}
    result = subprocess.run([sys.executable, "-m", "tui", "init"], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    expected = load_codebook(REPO / "codebook.yaml")
    with Project.open(tmp_path / "accord.db") as project:
        assert [(row.id, row.parent_id, row.label, row.kind, row.key) for row in project.codes()] == [
            (code.id, code.parent_id, code.label, code.kind, code.key) for code in expected.walk()
        ]
        assert project.codebook() == expected
    again = subprocess.run([sys.executable, "-m", "tui", "init"], cwd=tmp_path, env=env,
                           capture_output=True, text=True)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_init_prefers_a_codebook_beside_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCORD_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path)
    Path("codebook.yaml").write_text(SMALL_YAML)
    result = run("init")
    assert result.exit_code == 0, result.output
    assert "with codebook codebook.yaml" in " ".join(result.stderr.split())
    with Project.open(tmp_path / "accord.db") as project:
        assert [row.id for row in project.codes()] == ["border_control", "wmd", "nuclear", "stance"]


SIXTEEN_LINES = """\
codebook: Test
version: "1"
codes:
  - id: border_control
    label: Border control
    key: b
  - id: wmd
    label: WMD
    key: w
    keywords: [nuclear, chemical]
  - id: terror
    label: Terrorism
    key: t
  - id: arms
    label: Arms
    key: a
"""


@pytest.mark.parametrize(("line", "written", "column", "message"), [
    (5, '    label: "Border control', 12, 'a quoted text opens here and is never closed: add the closing "'),
    (5, "    label: 'Border control", 12, "a quoted text opens here and is never closed: add the closing '"),
    (6, "   key: b", 4, "this line is indented differently from the lines above it"),
    (6, "     key: b", 9, "a ':' where no field can start: indent this line like the field above, or quote the value"),
    (6, "\tkey: b", 1, "a tab (YAML indents with spaces only)"),
    (10, "    keywords: [nuclear, chemical", 15, "the '[' opened here is never closed: add ']'"),
    (10, "    keywords: {nuclear: 1", 15, "the '{' opened here is never closed: add '}'"),
    (6, "    key b", 5, "a line without ':' (fields are written `name: value`)"),
], ids=["double quote", "single quote", "indented less", "indented more", "tab", "bracket", "brace", "no colon"])
def test_a_yaml_syntax_error_points_at_the_line_where_it_starts(
    tmp_path: Path, line: int, written: str, column: int, message: str
) -> None:
    lines = SIXTEEN_LINES.splitlines()
    lines[line - 1] = written
    path = write(tmp_path, "cb.yaml", "\n".join(lines) + "\n")
    result = run("codebook", "check", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    first, shown, caret, *_ = result.stderr.splitlines()
    assert first == f"{path}:{line}:{column}: YAML syntax: {message}"
    # Then the line itself (a tab shown as an arrow), and a caret under the place.
    assert shown == "    " + written.replace("\t", "\u2192")
    assert caret == "    " + " " * (column - 1) + "^"
