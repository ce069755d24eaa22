"""Range reads behind the exports: the paragraphs in a range, and the work of chosen coders on them."""

from __future__ import annotations

from store import Project
from tests.helpers import code_paragraphs


def test_range_reads_keep_the_chosen_coders_only(project: Project) -> None:
    for coder in ("ann", "o'brien", "cem"):
        code_paragraphs(project, coder, {"doc1:2": {"wmd": 1}, "doc2:1": {"border_control": 1}})
    # seq 2-4 are doc1:2, doc1:3 and doc2:1
    codings = project.coding_rows(2, 4, ["o'brien", "cem"])
    assert sorted((seq, c, code) for seq, c, code, _ in codings) == [
        (2, "cem", "wmd"), (2, "o'brien", "wmd"), (4, "cem", "border_control"), (4, "o'brien", "border_control"),
    ]
    statuses = project.status_rows(2, 4, ["ann"])
    assert sorted((seq, c, s) for seq, c, s, _, _ in statuses) == [(2, "ann", "done"), (4, "ann", "done")]


def test_range_reads_without_coders_return_everyones_work(project: Project) -> None:
    for coder in ("ann", "bob"):
        code_paragraphs(project, coder, {"doc1:1": {"wmd": 1}})
    assert {c for _, c, _, _ in project.coding_rows(1, 5)} == {"ann", "bob"}
    assert project.coding_rows(2, 5) == []
    assert project.status_rows(1, 5, []) == []
