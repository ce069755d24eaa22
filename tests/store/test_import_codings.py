"""Codings made elsewhere, imported from CSV: all of a file or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import Project
from store.import_codings import CodingsFileError
from tests.helpers import code_paragraphs


def write(tmp_path: Path, text: str, name: str = "codings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_long_layout_marks_paragraphs_done_and_codes_absent(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "paragraph_id,coder,code,value\n"
                           "doc1:1,ann,border_control,1\n"
                           "doc1:1,ann,stance,Supports\n"  # a level's label is accepted
                           "doc1:2,ann,,\n"
                           "doc1:2,bob,wmd,\n")
    result = project.import_codings(path)
    assert (result.layout, result.paragraphs, result.coders) == ("long", 3, ["ann", "bob"])
    assert project.codings("doc1:1", "ann") == {"border_control": 1, "stance": "support"}
    assert project.codings("doc1:2", "ann") == {}
    assert project.codings("doc1:2", "bob") == {"wmd": 1}
    assert all(project.status(p, c).status == "done" for p, c in [("doc1:1", "ann"), ("doc1:2", "ann"), ("doc1:2", "bob")])
    assert project.status("doc1:3", "ann").status is None
    assert {e.action for e in project.events("ann")} == {"code", "status"}  # audited like a coder's own work


def test_wide_layout_and_the_file_is_the_whole_truth(project: Project, tmp_path: Path) -> None:
    code_paragraphs(project, "ann", {"doc1:1": {"wmd": 1, "stance": "oppose"}})
    path = write(tmp_path, "paragraph_id\tcoder\tborder_control\twmd\tstance\n"
                           "doc1:1\tann\tx\t\t\n"
                           "doc2:1\tann\tno\tyes\tsupport\n", name="codings.tsv")
    result = project.import_codings(path)
    assert result.layout == "wide"
    assert project.codings("doc1:1", "ann") == {"border_control": 1, "wmd": 0}  # wmd removed, stance cleared
    assert project.codings("doc2:1", "ann") == {"wmd": 1, "stance": "support"}
    data = project.done_codings(min_coders=1)
    assert data.paragraphs == ["doc1:1", "doc2:1"]


def test_every_problem_is_listed_with_its_line_and_nothing_is_imported(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "paragraph_id,coder,code,value\n"
                           "doc1:1,ann,border_control,1\n"
                           "doc9:1,ann,border_control,1\n"
                           "doc1:2,ann,no_such_code,1\n"
                           "doc1:3,ann,stance,maybe\n"
                           "doc1:3,,wmd,1\n"
                           "doc2:1,ann,wmd,2\n")
    with pytest.raises(CodingsFileError) as caught:
        project.import_codings(path)
    lines = [(p.line, p.message) for p in caught.value.problems]
    assert [line for line, _ in lines] == [3, 4, 5, 6, 7]
    text = str(caught.value)
    for fragment in ("no paragraph 'doc9:1'", "no code or variable 'no_such_code'", "no level 'maybe'",
                     "no coder", "1 or 0, not '2'", "nothing was imported", "codings.csv:3"):
        assert fragment in text
    assert project.coders() == [] and project.codings("doc1:1", "ann") == {}


def test_header_without_the_needed_columns(project: Project, tmp_path: Path) -> None:
    with pytest.raises(CodingsFileError, match="paragraph_id, coder"):
        project.import_codings(write(tmp_path, "id,who,what\n1,2,3\n"))


def test_wide_layout_names_unknown_columns(project: Project, tmp_path: Path) -> None:
    with pytest.raises(CodingsFileError, match=r"codings.csv:1:4: the codebook has no code or variable 'bogus'"):
        project.import_codings(write(tmp_path, "paragraph_id,coder,wmd,bogus\ndoc1:1,ann,1,1\n"))


def test_semicolon_separated_file_from_a_european_excel(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffparagraph_id;coder;border_control;stance\ndoc1:1;ann;1;oppose\n")
    project.import_codings(path)
    assert project.codings("doc1:1", "ann") == {"border_control": 1, "stance": "oppose"}


def test_importing_the_same_file_again_changes_nothing(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "paragraph_id,coder,border_control,wmd,stance\ndoc1:1,ann,1,0,support\ndoc1:2,ann,0,0,\n")
    assert project.import_codings(path).changes == 2
    events = len(project.events())
    assert project.import_codings(path).changes == 0
    assert len(project.events()) == events
    project.undo("ann")  # imported work is undone like typed work: the last step was doc1:2 done
    assert project.status("doc1:2", "ann").status is None
    assert project.status("doc1:1", "ann").status == "done"
