"""The short corpus overviews that `accord status` shows: per document and per speaker."""

from __future__ import annotations

from store import Project
from tests.helpers import documents


def test_document_overview_counts_paragraphs_in_corpus_order(project: Project) -> None:
    assert [(row["id"], row["paragraphs"], row["country"]) for row in project.document_overview()] == [
        ("doc1", 3, "Testland"), ("doc2", 2, "Testland")]
    assert len(project.document_overview(limit=1)) == 1


def test_speakers_with_documents_and_paragraphs_most_documents_first(project: Project) -> None:
    extra = documents(4, 1, 1, prefix="other")
    for document, speaker in zip(extra, ["Ms. A", "Ms. B", "Ms. B"], strict=True):
        document.speaker, document.country = speaker, "Elsewhere"
    project.import_documents(extra)
    assert project.speakers() == [
        {"speaker": "Mr. Test", "country": "Testland", "documents": 2, "paragraphs": 5},
        {"speaker": "Ms. B", "country": "Elsewhere", "documents": 2, "paragraphs": 2},
        {"speaker": "Ms. A", "country": "Elsewhere", "documents": 1, "paragraphs": 4},
    ]
    assert project.speakers(limit=1)[0]["speaker"] == "Mr. Test"
    assert project.speaker_count() == 3
