"""What commands print into a pipe or a file: messages on one line each, tables whole."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from store import Project
from store.codebook.parser import default_codebook_path
from tests.helpers import documents, small_codebook
from tui.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_messages_are_never_hard_wrapped(tmp_path: Path) -> None:
    folder = tmp_path / "a folder whose name is long enough to push the message past eighty columns"
    folder.mkdir()
    codebook = folder / "codebook.yaml"
    codebook.write_text(default_codebook_path().read_text(encoding="utf-8"), encoding="utf-8")
    code, _, stderr = run("--project", str(tmp_path / "accord.db"), "init", "--codebook", str(codebook))
    assert code == 0, stderr
    first = stderr.splitlines()[0]
    assert first.startswith("Created ") and str(codebook) in first and first.endswith("variables).")


def test_tables_keep_long_cells_whole_when_piped(tmp_path: Path) -> None:
    lead = tmp_path / "study.db"
    with Project.create(lead, small_codebook()) as project:
        project.import_documents(documents(4, 4))
    target = tmp_path / "handout files for the coders of a study with a long descriptive folder name"
    coder = "amina_with_a_rather_long_coder_name"
    code, stdout, stderr = run("--project", str(lead), "handout", "--coders", f"{coder},ben", "--out", str(target))
    assert code == 0, stderr
    handed = target / f"study-{coder}.db"
    assert handed.exists()
    assert str(handed) in stdout  # one line, not folded or cut with "…"
    assert "…" not in stdout
    assert "reliability sample)." in stderr.splitlines()[0]
    code, stdout, stderr = run("--project", str(lead), "merge", "--dry-run", str(handed))
    assert code == 0, stderr
    assert handed.name in stdout and "Codings added" in stdout and "Conflicts" in stdout
