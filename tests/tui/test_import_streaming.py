"""`accord import` writes each file's documents while worker processes read the next files:
the project it leaves is the one a sequential read and a single `import_documents` give."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import store.intake.readers
from benchmarks.synthetic import write_corpus
from store import Project
from store.intake.readers import read_paths
from tests.helpers import small_codebook
from tui.cli import main


def contents(path: Path) -> dict[str, list[tuple]]:
    """Every row an import writes, in storage order, and what a few searches find."""
    conn = sqlite3.connect(path)
    try:
        tables = {
            "documents": conn.execute("select rowid, * from documents order by rowid").fetchall(),
            "paragraphs": conn.execute("select rowid, * from paragraphs order by rowid").fetchall(),
            "index": conn.execute("select rowid, text from paragraphs_fts order by rowid").fetchall(),
        }
        for query in ("weapons", "border control", '"small arms"', "disarm*"):
            tables[query] = conn.execute(
                "select rowid from paragraphs_fts where paragraphs_fts match ? order by rank", [query]).fetchall()
        return tables
    finally:
        conn.close()


def test_streamed_parallel_import_equals_a_sequential_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 900, seed=3)
    (corpus / "bad.txt").write_bytes(b"\x00\x01binary")
    streamed, sequential = tmp_path / "streamed.db", tmp_path / "sequential.db"
    for path in (streamed, sequential):
        Project.create(path, small_codebook()).close()
    documents, problems = read_paths([corpus])  # fewer than PARALLEL_FROM files: read here, in order
    assert len(problems) == 1 and len(documents) > 40
    with Project.open(sequential) as project:
        project.import_documents(documents)

    # Workers from 2 files, 3 files a task, one task ahead per worker: the readers wait for the writer.
    monkeypatch.setattr(store.intake.readers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(store.intake.readers, "CHUNK", 3)
    monkeypatch.setattr(store.intake.readers, "AHEAD", 1)
    monkeypatch.setattr(store.intake.readers, "READ_AHEAD", 1)  # and no more once counted
    monkeypatch.setattr(store.intake.readers.os, "cpu_count", lambda: 2)
    result = CliRunner().invoke(main, ["--project", str(streamed), "import", str(corpus)], catch_exceptions=False)
    assert result.exit_code == 1  # the bad file is listed, the rest imported
    assert "bad.txt:1: binary file, not text: it contains a NUL byte" in result.stderr

    assert f"({sum(len(d.paragraphs) for d in documents):,} paragraphs)" in result.stderr
    assert contents(streamed) == contents(sequential)
