"""What an import writes, row by row, and what it leaves as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Project
from store.corpus.importing import paragraph_id
from store.intake.source import SourceDocument, sha256_text
from tests.helpers import small_codebook


def test_paragraph_rows_numbered_by_sqlite_match_their_python_definitions(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    odd = [
        SourceDocument(id="007", paragraphs=["First.", "Second."]),
        SourceDocument(id="2017/S-PV-8140 (Resumption 1)", paragraphs=["Ça va ; « oui »."]),
        SourceDocument(id="x' or 1=1; --", paragraphs=["A", "B", "C"]),
        SourceDocument(id="1e5", paragraphs=["Number-like id."]),
    ]
    with Project.create(path, small_codebook()) as project:
        project.import_documents(odd[:2])
        project.import_documents(odd[2:])  # numbering continues after what the project holds
        rows = project.db.execute("select rowid, id, document_id, position, seq, text, sha256 from paragraphs "
                                  "order by rowid").fetchall()
    expected, number = [], 0
    for document in odd:
        for position, text in enumerate(document.paragraphs, start=1):
            number += 1
            expected.append((number, paragraph_id(document.id, position), document.id, position, number, text,
                             sha256_text(text)))
    assert rows == expected
    assert all(isinstance(row[3], int) and isinstance(row[1], str) for row in rows)


def index_settings(project: Project) -> list[tuple]:
    return project.db.execute("select * from paragraphs_fts_config order by k").fetchall()


def test_the_bulk_settings_of_an_import_are_put_back_after_it_succeeds_or_fails(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db", small_codebook()) as project:
        fresh = index_settings(project)
        cache = project.db.execute("PRAGMA cache_size").fetchone()

        def failing() -> Iterator[SourceDocument]:
            yield SourceDocument(id="a", paragraphs=["One."])
            raise RuntimeError("the disk went away")

        with pytest.raises(RuntimeError):
            project.import_documents(failing())
        assert project.document_count() == 0
        assert index_settings(project) == fresh
        project.import_documents([SourceDocument(id="a", paragraphs=["One.", "Two small arms."])])
        assert index_settings(project) == fresh == [("version", 4)]
        assert project.db.execute("PRAGMA cache_size").fetchone() == cache
        assert [hit.paragraph_id for hit in project.search("small arms")] == ["a:2"]


def test_a_document_replaced_by_the_import_that_added_it_leaves_a_sound_search_index(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.db", small_codebook()) as project:
        report = project.import_documents([SourceDocument(id="a", paragraphs=["Small arms.", "Light weapons."]),
                                           SourceDocument(id="a", paragraphs=["Border control."])], replace=True)
        assert (report.added, report.replaced) == (["a"], ["a"])
        project.db.execute("insert into paragraphs_fts (paragraphs_fts, rank) values ('integrity-check', 1)")
        assert [hit.paragraph_id for hit in project.search("border")] == ["a:1"]
        assert project.search("small") == [] and project.search("weapons") == []


def test_an_import_leaves_the_search_index_in_one_segment_as_a_bare_insert_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each `insert ... select` into FTS5 writes its pending terms out as a new segment at its
    end (a statement that may fail midway flushes them): an import that indexed 50,000
    paragraphs at a time left 10 segments at 1,000,000, merged again and again on the way, where
    the floor's one statement leaves 1. (A batch of 7 here, were the import to index in batches.)"""
    import store.corpus.importing

    monkeypatch.setattr(store.corpus.importing, "INDEX_BATCH", 7, raising=False)
    documents = [SourceDocument(id=f"d{n}", paragraphs=[f"Small arms {n}.", f"Light weapons {n}."]) for n in range(40)]
    with Project.create(tmp_path / "p.db", small_codebook()) as project:
        project.import_documents(documents)
        segments = project.db.execute("select count(distinct segid) from paragraphs_fts_idx").fetchone()[0]
        assert segments == 1
        assert len(project.search("weapons")) == 40


def test_an_import_indexes_what_it_wrote_while_it_goes_on_not_all_after_the_last_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The full-text index in one statement after the last file ran alone at the end of a large
    import (~11 s of 30 at 1,000,000 paragraphs, one core idle): the paragraphs are now indexed
    in batches as they are written, while the next files are read."""
    import store.corpus.importing

    monkeypatch.setattr(store.corpus.importing, "INDEX_BATCH", 2)  # a document's paragraphs here
    seen: list[int] = []
    with Project.create(tmp_path / "p.db", small_codebook()) as project:

        def documents() -> Iterator[SourceDocument]:
            for n in range(3):
                # What the import has indexed by the time it asks for the next document.
                seen.append(project.db.execute(
                    "select count(*) from paragraphs_fts where paragraphs_fts match 'weapons'").fetchone()[0])
                yield SourceDocument(id=f"d{n}", paragraphs=[f"Small arms {n}.", f"Light weapons {n}."])

        project.import_documents(documents())
        assert seen == [0, 1, 2]
        assert len(project.search("weapons")) == 3
        project.db.execute("insert into paragraphs_fts (paragraphs_fts, rank) values ('integrity-check', 1)")
