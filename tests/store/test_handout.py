"""Handing a project out: one file per coder, a reproducible stratified reliability sample."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from store import AccordError, Project
from store.teams.handout import hand_out
from store.rows import Progress
from tests.helpers import documents, small_codebook


@pytest.fixture
def lead(tmp_path: Path) -> Project:
    """A lead's project of 10 documents (100 paragraphs), one of which bob already coded."""
    project = Project.create(tmp_path / "study.db", small_codebook())
    project.import_documents(documents(*[10] * 10))
    project.set_coding("doc1:1", "zoe", "wmd", 1)
    yield project
    project.close()


def plan(path: Path) -> dict[str, set[str]]:
    """Paragraph id -> its coders, read from a project file's assignments table."""
    result: dict[str, set[str]] = {}
    for paragraph, coder in sqlite3.connect(path).execute("select paragraph_id, coder_id from assignments"):
        result.setdefault(paragraph, set()).add(coder)
    return result


def test_every_paragraph_gets_a_coder_and_the_sample_gets_all(lead: Project, tmp_path: Path) -> None:
    report = hand_out(lead, ["alice", "bob", "carol"], tmp_path / "out", overlap=0.2, seed=7)
    assignments = plan(lead.path)
    assert len(assignments) == 100 and report.new_paragraphs == 100
    shared = {p for p, coders in assignments.items() if len(coders) == 3}
    single = {p for p, coders in assignments.items() if len(coders) == 1}
    assert len(shared) == report.sample == 20 and len(single) == 80
    # Stratified: 20% of every 10-paragraph document.
    assert Counter(p.split(":")[0] for p in shared) == {f"doc{d}": 2 for d in range(1, 11)}
    # The single-coded rest is balanced.
    loads = Counter(next(iter(assignments[p])) for p in single)
    assert sorted(loads.values()) in ([26, 27, 27], [26, 26, 28])
    assert report.assigned == {c: 20 + loads[c] for c in ("alice", "bob", "carol")}


def test_coder_files_are_blind_and_carry_only_their_assignments(lead: Project, tmp_path: Path) -> None:
    report = hand_out(lead, ["alice", "bob"], tmp_path / "out", overlap=0.3, seed=1)
    assert sorted(report.files) == ["alice", "bob"]
    for coder, path in report.files.items():
        assert path == tmp_path / "out" / f"study-{coder}.db"
        with Project.open(path) as copy:
            assert copy.project_id == lead.project_id
            assert [p.id for p in copy.paragraphs()] == [p.id for p in lead.paragraphs()]
            assert copy.codebook_sha256() == lead.codebook_sha256()
            assert copy.coders() == [coder]
            assert copy.codings("doc1:1", "zoe") == {}
            assert copy.meta("handout_coder") == coder
        assert set(plan(path)) == {p for p, c in plan(lead.path).items() if coder in c}
        assert {c for cs in plan(path).values() for c in cs} == {coder}
        # Deleted rows are zeroed, not merely unlinked: zoe's coding cannot be recovered.
        assert b"zoe" not in path.read_bytes()


def test_same_seed_same_handout_other_seed_other_sample(tmp_path: Path) -> None:
    def draw(name: str, seed: int) -> dict[str, set[str]]:
        with Project.create(tmp_path / f"{name}.db", small_codebook()) as project:
            project.import_documents(documents(7, 12, 5, 30))
            hand_out(project, ["a", "b", "c"], tmp_path / name, overlap=0.25, seed=seed)
        return plan(tmp_path / f"{name}.db")

    first = draw("one", 3)
    assert draw("two", 3) == first
    assert draw("three", 4) != first
    shared = [p for p, c in first.items() if len(c) == 3]
    assert len(shared) == round(0.25 * 54)


def test_per_unit_gives_each_paragraph_that_many_coders(lead: Project, tmp_path: Path) -> None:
    hand_out(lead, ["a", "b", "c"], tmp_path / "out", per_unit=2, seed=0)
    assignments = plan(lead.path)
    assert {len(c) for c in assignments.values()} == {2}
    assert sorted(Counter(c for cs in assignments.values() for c in cs).values()) == [66, 67, 67]


def test_a_second_handout_only_assigns_new_paragraphs(lead: Project, tmp_path: Path) -> None:
    hand_out(lead, ["a", "b"], tmp_path / "first", overlap=0.2)
    before = plan(lead.path)
    lead.import_documents(documents(10, prefix="late"))
    report = hand_out(lead, ["a", "b"], tmp_path / "second", overlap=0.2)
    after = plan(lead.path)
    assert report.new_paragraphs == 10 and report.sample == 2
    assert {p: c for p, c in after.items() if p in before} == before


def test_refusals_write_nothing(lead: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "study-bob.db").write_text("mine")
    with pytest.raises(AccordError, match=r"study-bob\.db already exists"):
        hand_out(lead, ["alice", "bob"], out, overlap=0.2)
    assert sorted(p.name for p in out.iterdir()) == ["study-bob.db"]
    assert plan(lead.path) == {}
    for coders, kwargs, message in (
        (["consensus"], {}, "reserved"),
        (["a/b"], {}, "may contain only"),
        (["a", "a"], {}, "named twice"),
        (["a"], {"overlap": 0.2}, "at least two coders"),
        (["a", "b"], {"overlap": 1.5}, "between 0 and 1"),
        (["a", "b"], {"per_unit": 3}, "between 1 and the number of coders"),
        (["a", "b"], {"per_unit": 2, "overlap": 0.1}, "not both"),
    ):
        with pytest.raises(AccordError, match=message):
            hand_out(lead, coders, tmp_path / "other", **kwargs)
    assert plan(lead.path) == {}


def test_assigned_paragraphs_come_first_when_coding(lead: Project, tmp_path: Path) -> None:
    report = hand_out(lead, ["alice", "bob"], tmp_path / "out", overlap=0.1, seed=2)
    with Project.open(report.files["alice"]) as copy:
        mine = sorted(copy.paragraph(p).seq for p in plan(report.files["alice"]))
        assert copy.assigned("alice") == len(mine) == lead.assigned("alice")
        assert copy.next_not_done("alice") == mine[0]
        assert copy.next_not_done("alice", after_seq=mine[0]) == mine[1]
        assert copy.next_not_done("alice", assigned_first=False) == 1
        for seq in mine:
            copy.set_status(copy.paragraph_at(seq).id, "alice", "done")
        assert copy.progress("alice", assigned=True) == Progress("alice", len(mine), len(mine))
        assert copy.assignment_progress() == {"alice": Progress("alice", len(mine), len(mine))}
        # All assigned work done: the rest of the corpus is offered.
        first_free = min(set(range(1, 101)) - set(mine))
        assert copy.next_not_done("alice") == first_free
    assert lead.assignment_progress() == {
        coder: Progress(coder, 0, lead.assigned(coder)) for coder in ("alice", "bob")}
