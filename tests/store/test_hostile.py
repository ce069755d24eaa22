"""Hostile input at the Project API: huge, binary-looking and right-to-left paragraphs, ids and
names made of SQL and shell metacharacters, search queries of any shape. Each gets a correct
result or a clear error, and the project is never left half-written."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import AccordError, Code, Codebook, Project
from store.doctor import diagnose
from store.intake.source import SourceDocument, sha256_text
from tests.helpers import documents, small_codebook

NASTY = [
    "'; drop table codings; --",
    'x" or "1"="1',
    "$(rm -rf ~)",
    "`reboot`",
    "a|b&c;d>e<f",
    "[bracket] {brace} %s %d \\n",
    "💥 emoji",
    "ناتو",
]
CONTROL_AND_RTL = [
    "NUL\x00inside",
    "bell\x07 escape\x1b[31mred\x1b[0m tab\tcarriage\rreturn",
    "مجلس الأمن يدين الاتجار غير المشروع بالأسلحة الصغيرة",
    "עברית mixed with English and \u202eRTL override\u202c",
    "zero\u200bwidth\ufeffBOM and \u2028line separator",
    "[b]Rich markup[/b] [red]not[/red]",
]


def test_huge_paragraph_round_trips_and_is_searchable(project: Project) -> None:
    words = [f"w{i}" for i in range(160_000)]
    huge = " ".join(words) + " needleword."
    assert len(huge.encode()) > 1_000_000
    project.import_documents([SourceDocument(id="huge", paragraphs=[huge, "small"])])
    paragraph = project.paragraph("huge:1")
    assert paragraph.text == huge and paragraph.sha256 == sha256_text(huge)
    [hit] = project.search("needleword")
    assert hit.paragraph_id == "huge:1" and "[needleword]" in hit.snippet and len(hit.snippet) < 500
    assert project.paragraph_count() == 7


@pytest.mark.parametrize("text", CONTROL_AND_RTL)
def test_control_characters_and_rtl_text_are_kept_exactly(project: Project, text: str) -> None:
    project.import_documents([SourceDocument(id="odd", paragraphs=[text])])
    # Kept exactly, but for line ends: a carriage return comes in as "\n" (issue 13: it split CSV rows).
    assert project.paragraph("odd:1").text == text.replace("\r", "\n")
    project.set_coding("odd:1", "alice", "border_control", 1)
    assert project.codings("odd:1", "alice") == {"border_control": 1}
    # Kept as given through the API, but Stata and SPSS would cut a text at a NUL: the doctor says so.
    assert [f.check for f in diagnose(project.path)] == (["nul"] if "\x00" in text else [])


def test_arabic_words_are_found_by_search(project: Project) -> None:
    project.import_documents([SourceDocument(id="ar", paragraphs=[CONTROL_AND_RTL[2]])])
    assert [h.paragraph_id for h in project.search("بالأسلحة")] == ["ar:1"]


@pytest.mark.parametrize("nasty", NASTY)
def test_metacharacter_ids_and_names_are_plain_data(tmp_path: Path, nasty: str) -> None:
    codebook = Codebook(title=nasty, codes=(Code(id=nasty, label=nasty, key="x"),), source=nasty)
    with Project.create(tmp_path / "p.db", codebook) as project:
        project.import_documents([SourceDocument(id=nasty, paragraphs=[nasty, "second"])])
        pid = project.paragraphs()[0].id
        assert pid == f"{nasty}:1"
        project.set_coding(pid, nasty, nasty, 1)
        project.set_note(pid, nasty, nasty)
        assert project.codings(pid, nasty) == {nasty: 1}
        assert project.status(pid, nasty).note == nasty
        assert project.coders() == [nasty]
        assert project.undo(nasty) is not None
        tables = {r[0] for r in project.db.execute("select name from sqlite_master where type='table'")}
        assert {"codings", "codes", "paragraphs"} <= tables
    assert diagnose(tmp_path / "p.db") == []


def test_document_ids_that_look_like_paragraph_ids_do_not_collide(project: Project) -> None:
    project.import_documents([SourceDocument(id="doc1:1", paragraphs=["a", "b"]),
                              SourceDocument(id="doc1:", paragraphs=["c"])])
    ids = [p.id for p in project.paragraphs()]
    assert len(ids) == len(set(ids)) == 8


def test_same_id_twice_in_one_import_keeps_the_first(project: Project) -> None:
    report = project.import_documents([SourceDocument(id="twin", paragraphs=["one"]),
                                       SourceDocument(id="twin", paragraphs=["two"])])
    assert report.added == ["twin"] and report.changed == ["twin"]
    assert [p.text for p in project.paragraphs("twin")] == ["one"]


def test_bad_write_leaves_nothing_behind(project: Project) -> None:
    before = project.db.execute("select count(*) from events").fetchone()[0]
    with pytest.raises(AccordError):
        project.set_coding("doc1:1", "alice", "no such code", 1)
    with pytest.raises(AccordError):
        project.set_coding("doc1:1", "alice", "stance", "'; drop table codes; --")
    assert project.db.execute("select count(*) from events").fetchone()[0] == before
    assert project.codings("doc1:1", "alice") == {}


@pytest.fixture(scope="module")
def search_project() -> Project:
    folder = tempfile.mkdtemp()
    project = Project.create(Path(folder) / "p.db", small_codebook())
    project.import_documents([*documents(20, 20), SourceDocument(id="odd", paragraphs=CONTROL_AND_RTL)])
    yield project
    project.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=60))
def test_search_takes_any_query(search_project: Project, query: str) -> None:
    hits = search_project.search(query)
    assert len(hits) <= 200
    assert all(search_project.paragraph(h.paragraph_id).seq == h.seq for h in hits)


@settings(max_examples=60, deadline=None)
@given(paragraphs=st.lists(st.text(min_size=1, max_size=300), min_size=1, max_size=8))
def test_any_text_round_trips(paragraphs: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder, Project.create(Path(folder) / "p.db", small_codebook()) as project:
        project.import_documents([SourceDocument(id="any", paragraphs=paragraphs)])
        # Exactly, but for line ends, which come in as "\n" (issue 13).
        assert [p.text for p in project.paragraphs("any")] == [p.replace("\r\n", "\n").replace("\r", "\n") for p in paragraphs]
        again = project.import_documents([SourceDocument(id="any", paragraphs=paragraphs)])
        assert again.unchanged == ["any"]


def test_search_index_stays_in_step_through_imports_and_replacements(project: Project) -> None:
    """Imports index paragraphs themselves (the insert trigger is suspended for speed)."""
    project.import_documents([SourceDocument(id="doc1", paragraphs=["replaced quokka"])], replace=True)
    project.import_documents([SourceDocument(id="late", paragraphs=["late wombat", "more"])])
    assert [h.paragraph_id for h in project.search("quokka")] == ["doc1:1"]
    assert [h.paragraph_id for h in project.search("wombat")] == ["late:1"]
    assert project.search("doc1 paragraph 3") == []
    assert [p.seq for p in project.paragraphs()] == [1, 2, 3, 4, 5]
    triggers = {r[0] for r in project.db.execute("select name from sqlite_master where type = 'trigger'")}
    assert {"paragraphs_ai", "paragraphs_ad", "paragraphs_au"} <= triggers
    project.db.execute("update paragraphs set text = 'edited koala' where id = 'late:2'")
    assert [h.paragraph_id for h in project.search("koala")] == ["late:2"]
    assert [f.check for f in diagnose(project.path)] == ["text-hash"]


def test_search_of_a_common_word_comes_in_corpus_order(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word in most of a huge corpus is listed in corpus order, not ranked (bounded cost)."""
    project.import_documents([SourceDocument(id="late", paragraphs=["border border border control"])])
    assert project.search("border")[0].paragraph_id == "late:1"  # ranked best of all six
    monkeypatch.setattr(Project, "RANK_LIMIT", 3)
    hits = project.search("border")
    assert [h.paragraph_id for h in hits][:3] == ["doc1:1", "doc1:2", "doc1:3"]
    assert len(project.search("border", limit=2)) == 2
    assert project.search_counted("border", limit=2) == (6, project.search("border", limit=2))
    monkeypatch.setattr(Project, "RANK_LIMIT", 6)
    assert project.search_counted("border")[1][0].paragraph_id == "late:1"  # six: ranked again
    assert project.search_counted("wombat") == (0, [])
    assert project.search_counted("") == (0, [])


def test_a_prefix_is_looked_up_once_for_the_count_and_the_hits(project: Project,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    looked_up: list[str] = []
    words = Project._prefix_words
    monkeypatch.setattr(Project, "_prefix_words", lambda self, stem: looked_up.append(stem) or words(self, stem))
    total, hits = project.search_counted("bord*")
    assert (total, len(hits)) == (5, 5) and looked_up == ["bord"]


def test_prefix_search_finds_the_same_paragraphs_expanded_or_not(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import store.corpus.search

    project.import_documents([SourceDocument(id="p", paragraphs=[
        "Disarmament now.", "The disarming of groups.", "Disarm them.", "Armed disarray.", "Nothing here."])])
    expanded = {h.paragraph_id for h in project.search("disarm*")}
    assert expanded == {"p:1", "p:2", "p:3"}
    assert {h.paragraph_id for h in project.search("DISARM* groups")} == {"p:2"}
    monkeypatch.setattr(store.corpus.search, "PREFIX_WORDS", 0)  # too many words: FTS5's own prefix query
    assert {h.paragraph_id for h in project.search("disarm*")} == expanded
    assert {h.paragraph_id for h in project.search("dis*")} == {"p:1", "p:2", "p:3", "p:4"}
