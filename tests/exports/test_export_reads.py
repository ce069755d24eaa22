"""How an export reads a project: three queries per chunk, each a column SQLite makes, never a
Python row per paragraph (work counted, not timed)."""

from __future__ import annotations

import threading

import pytest

import store.project

from exports.datasets import DatasetSpec, build_dataset
from store import Project
from store.range_reads import RangeReads
from tests.helpers import code_two_coders


def traced(project: Project, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(thread, statement) of every statement run from now on: on the project's connection and
    on any the export opens."""
    seen: list[tuple[str, str]] = []

    def trace(statement: str) -> None:
        seen.append((threading.current_thread().name, statement))

    connect_file = store.project.connect_file

    def connected(*args: object, **kwargs: object) -> object:
        db = connect_file(*args, **kwargs)  # type: ignore[arg-type]
        db.set_trace_callback(trace)
        return db

    monkeypatch.setattr(store.project, "connect_file", connected)
    project.db.set_trace_callback(trace)
    return seen


@pytest.mark.parametrize("whose", ["coder", "consensus", "all"])
def test_an_honest_project_is_read_as_columns_in_three_queries_per_chunk(project: Project, whose: str,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    code_two_coders(project)

    def refused(*args: object) -> None:
        raise AssertionError("read row by row")

    for name in ("paragraph_rows", "status_rows_at", "coding_rows_at"):
        monkeypatch.setattr(RangeReads, name, refused)
    spec = DatasetSpec(whose=whose, coder="alice" if whose == "coder" else None)
    dataset = build_dataset(project, spec, chunk_size=2)
    statements = traced(project, monkeypatch)
    chunks = list(dataset.chunks)
    project.db.set_trace_callback(None)
    reads = [s for _, s in statements if "paragraphs" in s or "paragraph_status" in s or "codings" in s]
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


@pytest.mark.parametrize("whose", ["coder", "consensus", "all"])
def test_the_next_chunk_is_read_in_a_thread_of_its_own(project: Project, whose: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's steps let go of the GIL: the ranges are read in a reader thread, on a connection
    of its own (a connection serves the thread that opened it), while this thread builds rows."""
    code_two_coders(project)
    dataset = build_dataset(project, DatasetSpec(whose=whose, coder="alice" if whose == "coder" else None),
                            chunk_size=2)
    statements = traced(project, monkeypatch)
    assert len(list(dataset.chunks)) == 3
    project.db.set_trace_callback(None)
    reads = [(thread, s) for thread, s in statements if "group_concat" in s or "json_group_array" in s]
    assert len(reads) == 9
    assert {thread for thread, _ in reads} != {threading.main_thread().name}
    assert all(thread.startswith("accord-reader") for thread, _ in reads)
    assert not any(t.name.startswith("accord-reader") for t in threading.enumerate())  # done, its connection closed
