"""How an export reads a project: three queries per chunk, each a column SQLite makes, never a
Python row per paragraph (work counted, not timed)."""

from __future__ import annotations

import pytest

from exports.datasets import DatasetSpec, build_dataset
from store import Project
from store.range_reads import RangeReads
from tests.helpers import code_two_coders


@pytest.mark.parametrize("whose", ["coder", "consensus", "all"])
def test_an_honest_project_is_read_as_columns_in_three_queries_per_chunk(project: Project, whose: str,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    code_two_coders(project)

    def refused(*args: object) -> None:
        raise AssertionError("read row by row")

    for name in ("paragraph_rows", "status_rows_at", "coding_rows_at"):
        monkeypatch.setattr(RangeReads, name, refused)
    statements: list[str] = []
    spec = DatasetSpec(whose=whose, coder="alice" if whose == "coder" else None)
    dataset = build_dataset(project, spec, chunk_size=2)
    project.db.set_trace_callback(statements.append)
    chunks = list(dataset.chunks)
    project.db.set_trace_callback(None)
    reads = [s for s in statements if "paragraphs" in s or "paragraph_status" in s or "codings" in s]
    assert len(chunks) == 3 and len(reads) == 3 * len(chunks)
    assert all("group_concat" in s or "json_group_array" in s for s in reads)


def test_the_documents_are_read_as_columns_not_as_objects(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The documents' frame comes before the first chunk: a Document object per document was
    half of it (66,514 documents at 1,000,000 paragraphs). The metadata columns are kept."""
    from store.corpus.reads import CorpusReads

    code_two_coders(project)

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a Document made of each row")

    monkeypatch.setattr(CorpusReads, "documents", refused)
    dataset = build_dataset(project, DatasetSpec(whose="coder", coder="alice"))
    frame = next(dataset.chunks)
    assert {"title", "speaker", "country", "date"} <= set(frame.columns) and len(frame)
