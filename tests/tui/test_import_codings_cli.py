"""`accord import-codings` as a lead or a coder runs it: its help, its hints, its next step."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from store import Project, load_codebook
from store.codebook.parser import default_codebook_path
from tests.helpers import documents
from tui.cli import main


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A project with the codebook Accord ships and documents doc1 and doc2."""
    path = tmp_path / "study.db"
    with Project.create(path, load_codebook(default_codebook_path())) as project:
        project.import_documents(documents(3, 3))
    return path


def accord(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_the_examples_in_the_help_import_into_a_project_with_the_shipped_codebook(shipped: Path, tmp_path: Path) -> None:
    help_text = accord("import-codings", "--help").stdout
    blocks: list[list[str]] = []
    for line in help_text.splitlines():
        cells = line.strip().split("  ")[0].strip()
        if cells.startswith("paragraph_id,"):
            blocks.append([cells])
        elif blocks and cells.startswith("doc"):
            blocks[-1].append(cells)
    assert len(blocks) == 2
    for number, block in enumerate(blocks):
        example = tmp_path / f"example{number}.csv"
        example.write_text("\n".join(block) + "\n")
        result = accord("import-codings", str(example), "--project", str(shipped))
        assert result.exit_code == 0, (block, result.output)
    with Project.open(shipped) as project:
        levels = {level.value for level in project.codebook().by_id()["stance"].levels}
        assert project.codings("doc1:1", "ann")["stance"] in levels


@pytest.mark.parametrize(("row", "hint"), [
    ("doc1:1,ann,stance,suports", "stance has no level 'suports'"),
    ("doc1:1,ann,stance,support", "stance has no level 'support'"),
    ("doc1:1,ann,border_controll,1", "the codebook has no code or variable 'border_controll'"),
])
def test_an_unknown_code_or_level_gets_a_suggestion(shipped: Path, tmp_path: Path, row: str, hint: str) -> None:
    wanted = "supports" if "stance" in row else "border_control"
    bad = tmp_path / "codings.csv"
    bad.write_text(f"paragraph_id,coder,code,value\n{row}\n")
    result = accord("import-codings", str(bad), "--project", str(shipped))
    assert result.exit_code == 1
    assert f"{bad}:2:" in result.output
    assert f"{hint}; did you mean {wanted}?" in result.output


def test_a_misspelt_wide_column_gets_a_suggestion(shipped: Path, tmp_path: Path) -> None:
    bad = tmp_path / "wide.csv"
    bad.write_text("paragraph_id,coder,wmd,Stance\ndoc1:1,ann,1,supports\n")
    result = accord("import-codings", str(bad), "--project", str(shipped))
    assert result.exit_code == 1
    assert "the codebook has no code or variable 'Stance'; did you mean stance?" in result.output


def test_a_coder_importing_into_a_handed_out_file_is_sent_to_merge(shipped: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    handout = accord("handout", "--coders", "ann,ben", "--overlap", "0.5", "--out", str(out), "--project", str(shipped))
    assert handout.exit_code == 0, handout.output
    [ann_file] = out.glob("*ann*.db")
    with Project.open(ann_file) as project:
        mine = next(p.id for p in project.paragraphs() if project.is_assigned(p.id, "ann"))
    codings = tmp_path / "ann.csv"
    codings.write_text(f"paragraph_id,coder,code,value\n{mine},ann,wmd,1\n")
    result = accord("import-codings", str(codings), "--project", str(ann_file))
    assert result.exit_code == 0, result.output
    next_line = [line for line in result.stderr.splitlines() if line.startswith("Next:")]
    assert next_line and "merge" in next_line[0] and "agree" not in next_line[0]
    # In the lead's project the next step is still agreement.
    lead = accord("import-codings", str(codings), "--project", str(shipped))
    assert "Next: accord agree" in lead.stderr


def test_a_codings_file_with_a_header_and_no_rows_is_refused(shipped: Path, tmp_path: Path) -> None:
    empty = tmp_path / "codings.csv"
    empty.write_text("paragraph_id,coder,code,value\n\n")
    result = accord("import-codings", str(empty), "--project", str(shipped))
    assert result.exit_code == 1
    assert f"{empty}:1: a header and no rows: nothing to import" in result.output


def test_the_report_says_whose_earlier_codings_were_replaced(shipped: Path, tmp_path: Path) -> None:
    """ann coded doc1:1 and doc1:2 in the coding screen; a spreadsheet of ann and bob replaces
    ann's codings on doc1:1 (doc1:2 the file gives as she had it, doc1:3 she had not coded)."""
    with Project.open(shipped) as project:
        project.set_coding("doc1:1", "ann", "border_control", 1)
        project.set_coding("doc1:2", "ann", "border_control", 1)
    sheet = tmp_path / "codings.csv"
    sheet.write_text("paragraph_id,coder,code,value\ndoc1:1,ann,wmd,1\ndoc1:2,ann,border_control,1\n"
                     "doc1:3,ann,wmd,1\ndoc1:1,bob,wmd,1\n")
    result = accord("import-codings", str(sheet), "--project", str(shipped))
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert "4 paragraphs done by ann, bob" in said
    assert "Replaced codings ann already had on 1 paragraph (the file's are kept)" in said
    with Project.open(shipped) as project:
        assert project.codings("doc1:1", "ann") == {"border_control": 0, "wmd": 1}
    again = accord("import-codings", str(sheet), "--project", str(shipped))
    assert "Replaced" not in again.stderr and "0 codings written" in again.stderr
