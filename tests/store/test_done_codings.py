"""The bulk read behind agreement: what counts as coded, and by whom."""

from __future__ import annotations

import numpy as np

from store import Project
from tests.helpers import code_paragraphs


def test_only_done_paragraphs_of_two_coders_count_in_corpus_order(project: Project) -> None:
    code_paragraphs(project, "ann", {"doc2:1": {"wmd": 1}, "doc1:1": {"border_control": 1}, "doc1:2": {}})
    code_paragraphs(project, "bob", {"doc2:1": {}, "doc1:1": {"border_control": 1}})
    code_paragraphs(project, "bob", {"doc1:2": {"wmd": 1}}, done=False)  # not done: missing
    code_paragraphs(project, "cem", {"doc1:3": {"wmd": 1}})  # only one coder: not a unit
    data = project.done_codings()
    assert data.coders == ["ann", "bob", "cem"]
    assert data.paragraphs == ["doc1:1", "doc2:1"]
    assert data.done.tolist() == [[True, True], [True, True], [False, False]]
    applied = {(v.coder, v.value, tuple(v.paragraphs)) for v in data.values["border_control"]}
    assert applied == {(0, 1, (0,)), (1, 1, (0,))}
    assert "wmd" in data.values and [v.coder for v in data.values["wmd"]] == [0]


def test_removed_codes_and_consensus_do_not_count(project: Project) -> None:
    code_paragraphs(project, "ann", {"doc1:1": {"border_control": 1}})
    project.toggle("doc1:1", "ann", "border_control")  # removed again: value 0
    code_paragraphs(project, "bob", {"doc1:1": {"border_control": 1}})
    code_paragraphs(project, "consensus", {"doc1:1": {"border_control": 1}, "doc1:2": {}})
    data = project.done_codings()
    assert data.coders == ["ann", "bob"]
    assert [v.coder for v in data.values["border_control"]] == [1]


def test_filters_by_coder_code_and_document(project: Project) -> None:
    for coder in ("ann", "bob", "cem"):
        code_paragraphs(project, coder, {"doc1:1": {"wmd": 1, "border_control": 1}, "doc2:2": {"wmd": 1}})
    data = project.done_codings(coders=["ann", "cem"], codes=["wmd"], documents=["doc2"])
    assert data.coders == ["ann", "cem"]
    assert data.paragraphs == ["doc2:2"]
    assert set(data.values) == {"wmd"}
    assert np.array_equal(data.done, [[True], [True]])


def test_variables_keep_their_level(project: Project) -> None:
    code_paragraphs(project, "ann", {"doc1:1": {"stance": "support"}})
    code_paragraphs(project, "bob", {"doc1:1": {"stance": "oppose"}})
    data = project.done_codings()
    assert sorted((v.coder, v.value) for v in data.values["stance"]) == [(0, "support"), (1, "oppose")]
