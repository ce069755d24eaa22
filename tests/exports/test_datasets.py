"""The dataset: whose codings, missing versus absent, layouts and the document unit."""

from __future__ import annotations

import pandas as pd
import pytest

from exports.datasets import DatasetSpec, build_dataset
from store import AccordError, Codebook, Project
from tests.helpers import code_two_coders, small_codebook


def frame(project: Project, chunk_size: int = 50_000, **spec: object) -> pd.DataFrame:
    dataset = build_dataset(project, DatasetSpec(**spec), chunk_size=chunk_size)  # type: ignore[arg-type]
    chunks = list(dataset.chunks)
    result = pd.concat(chunks, ignore_index=True)
    assert list(result.columns) == [c.name for c in dataset.columns]
    return result.set_index(["paragraph_id", "coder"] if "coder" in result and "position" in result else "paragraph_id"
                            if "paragraph_id" in result else "document_id")


def test_one_coder_every_paragraph_missing_not_zero(project: Project) -> None:
    rows = frame(code_two_coders(project), whose="coder", coder="alice")
    assert list(rows.index) == ["doc1:1", "doc1:2", "doc1:3", "doc2:1", "doc2:2"]
    assert rows.loc["doc1:1", ["border_control", "wmd", "nuclear"]].tolist() == [1, 0, 0]
    assert rows.loc["doc1:1", "stance"] == "support"
    # Applied but not marked done: missing, and so are untouched paragraphs; never 0.
    assert rows.loc[["doc1:3", "doc2:2"], ["border_control", "wmd", "nuclear"]].isna().all().all()
    assert rows.loc["doc2:1", ["border_control", "wmd", "nuclear"]].tolist() == [0, 1, 1]
    assert pd.isna(rows.loc["doc2:1", "stance"])
    assert rows.loc["doc1:1", "note"] == '=HYPERLINK("x")'
    assert rows.loc["doc1:1", "speaker"] == "Mr. Test"
    assert rows.loc["doc1:1", "text"] == "Paragraph 1 of doc1 on border control."
    assert str(rows["border_control"].dtype) == "Int8"


def test_no_text_drops_the_text(project: Project) -> None:
    assert "text" not in frame(code_two_coders(project), whose="coder", coder="bob", text=False)


def test_consensus_prefers_adjudication_then_unanimity(project: Project) -> None:
    rows = frame(code_two_coders(project), whose="consensus")
    assert rows.loc["doc1:1", "border_control"] == 1 and rows.loc["doc1:1", "basis"] == "unanimous"
    assert rows.loc["doc1:2", "border_control"] == 0 and rows.loc["doc1:2", "basis"] == "adjudicated"
    # Done by alice alone: one coder is not a consensus.
    assert rows.loc["doc2:1", ["border_control", "wmd"]].isna().all()
    assert pd.isna(rows.loc["doc2:1", "basis"])
    assert rows.loc["doc1:1", "flag"] == 1
    assert rows.loc["doc1:1", "note"] == 'alice: =HYPERLINK("x")'


def test_majority_needs_more_than_half(project: Project) -> None:
    code_two_coders(project)
    for coder in ("carol",):
        project.set_coding("doc1:2", coder, "border_control", 1)
        project.set_status("doc1:2", coder, "done")
        project.set_status("doc1:1", coder, "done")
    rows = frame(project, whose="majority")
    assert rows.loc["doc1:2", "border_control"] == 1  # alice and carol against bob
    assert rows.loc["doc1:1", "border_control"] == 1  # 2 of 3
    assert rows.loc["doc1:1", "coders_done"] == 3
    # stance: support, support, blank -> support by majority
    assert rows.loc["doc1:1", "stance"] == "support"
    two = frame(code_two_coders(_fresh(project)), whose="majority")
    assert pd.isna(two.loc["doc1:2", "border_control"])  # 1 against 1: a tie is missing


def _fresh(project: Project) -> Project:
    fresh = Project.create(project.path.with_name("fresh.db"), small_codebook())
    from tests.helpers import documents

    fresh.import_documents(documents(3, 2))
    return fresh


def test_all_gives_a_row_per_paragraph_and_coder(project: Project) -> None:
    rows = frame(code_two_coders(project), whose="all")
    assert len(rows) == 10  # 5 paragraphs x alice, bob (consensus is not a coder here)
    assert rows.loc[("doc1:2", "alice"), "border_control"] == 1
    assert rows.loc[("doc1:2", "bob"), "border_control"] == 0
    assert pd.isna(rows.loc[("doc2:1", "bob"), "wmd"])


def test_long_layout(project: Project) -> None:
    rows = frame(code_two_coders(project), whose="coder", coder="alice", long=True).reset_index()
    assert len(rows) == 5 * 4
    first = rows[rows["paragraph_id"] == "doc1:1"]
    assert first[["code", "value"]].values.tolist() == [
        ["border_control", "1"], ["wmd", "0"], ["nuclear", "0"], ["stance", "support"]]
    assert rows[rows["paragraph_id"] == "doc2:2"]["value"].isna().all()


def test_document_unit_counts_and_shares(project: Project) -> None:
    rows = frame(code_two_coders(project), whose="coder", coder="alice", unit="document")
    assert rows.loc["doc1", ["paragraphs", "coded", "border_control_n"]].tolist() == [3, 2, 2]
    assert rows.loc["doc1", "border_control_share"] == 1.0
    assert rows.loc["doc1", "stance_support_share"] == 1.0  # of the paragraphs where stance was set
    assert rows.loc["doc2", ["paragraphs", "coded", "wmd_n", "wmd_share"]].tolist() == [2, 1, 1, 1.0]


def test_document_share_leaves_out_disagreements(project: Project) -> None:
    rows = frame(code_two_coders(project), whose="majority", unit="document")
    # doc1:1 both apply border_control; doc1:2 is a tie (missing): 1 of 1, not 1 of 2.
    assert rows.loc["doc1", ["coded", "border_control_n", "border_control_share"]].tolist() == [2, 1, 1.0]
    assert rows.loc["doc1", "wmd_share"] == 0.0


def test_document_unit_adds_up_across_chunks(project: Project) -> None:
    code_two_coders(project)
    whole = frame(project, whose="coder", coder="alice", unit="document")
    pieces = frame(project, chunk_size=2, whose="coder", coder="alice", unit="document")
    pd.testing.assert_frame_equal(whole, pieces)


def test_document_without_coded_paragraphs_is_missing(project: Project) -> None:
    rows = frame(code_two_coders(project), whose="coder", coder="bob", unit="document")
    assert rows.loc["doc2", "coded"] == 0
    assert pd.isna(rows.loc["doc2", "border_control_n"]) and pd.isna(rows.loc["doc2", "border_control_share"])


def test_chunks_give_the_same_rows(project: Project) -> None:
    code_two_coders(project)
    for whose in ("consensus", "all"):
        pd.testing.assert_frame_equal(frame(project, whose=whose), frame(project, chunk_size=2, whose=whose))


def test_retired_codes_are_still_exported(project: Project) -> None:
    code_two_coders(project)
    base = small_codebook()
    project.apply_codebook(Codebook(title=base.title, codes=base.codes[1:], variables=base.variables,
                                    source=base.source + "\n# v2"), retire=True)
    rows = frame(project, whose="coder", coder="alice")
    assert rows.loc["doc1:1", "border_control"] == 1


def test_metadata_columns_keep_types_and_avoid_clashes(project: Project) -> None:
    from store.intake.source import SourceDocument

    project.import_documents([SourceDocument("doc3", ["Text."], meta={"year": 2001, "wmd": "clash", "tags": ["a"]})])
    project.set_status("doc3:1", "alice", "done")
    rows = frame(project, whose="coder", coder="alice")
    assert rows.loc["doc3:1", "year"] == 2001 and str(rows["year"].dtype) == "Int64"
    assert rows.loc["doc3:1", "meta_wmd"] == "clash" and rows.loc["doc3:1", "wmd"] == 0
    assert rows.loc["doc3:1", "tags"] == '["a"]'


def test_no_choice_means_the_only_coder_or_the_consensus(project: Project) -> None:
    from exports.datasets import resolve_whose

    project.set_status("doc1:1", "alice", "done")
    assert resolve_whose(project, DatasetSpec()) == DatasetSpec(whose="coder", coder="alice")
    code_two_coders(project)
    assert resolve_whose(project, DatasetSpec()).whose == "consensus"
    pd.testing.assert_frame_equal(frame(project), frame(project, whose="consensus"))


def test_refusals_name_the_choice(project: Project) -> None:
    with pytest.raises(AccordError, match="nobody has coded"):
        build_dataset(project, DatasetSpec(whose="all"))
    code_two_coders(project)
    with pytest.raises(AccordError, match="no coder named 'zoe'"):
        build_dataset(project, DatasetSpec(whose="coder", coder="zoe"))
    with pytest.raises(AccordError, match="do not combine"):
        build_dataset(project, DatasetSpec(whose="all", long=True, unit="document"))
