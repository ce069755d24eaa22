"""The demo project: built from the shipped statements, coded by two overlapping demo coders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from store import Project, ProjectError
from store.demo import DEMO_FILE, build_demo


EXPECTED_PARAGRAPHS = {
    "01_peru": 6, "02_nigeria": 6, "03_denmark": 5, "04_japan": 5, "05_russia": 6,
    "06_france": 5, "07_kenya": 6, "08_jordan": 5, "09_mexico": 6, "10_china": 5,
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo built for the read-only tests of this module."""
    return build_demo(tmp_path_factory.mktemp("demo"))


def done_codings(project: Project, coder: str) -> dict[str, frozenset[str]]:
    """Paragraph id -> the codes this coder applied, for the paragraphs they marked done."""
    result = {}
    for paragraph in project.paragraphs():
        if project.status(paragraph.id, coder).status == "done":
            values = project.codings(paragraph.id, coder)
            result[paragraph.id] = frozenset(code for code, value in values.items() if value == 1)
    return result


def test_the_demo_holds_the_ten_statements_segmented_as_a_reader_would(demo: Path) -> None:
    assert demo.name == DEMO_FILE
    with Project.open(demo) as project:
        documents = project.documents()
        assert {d.id: len(project.paragraphs(d.id)) for d in documents} == EXPECTED_PARAGRAPHS
        peru = project.document("01_peru")
        assert (peru.speaker, peru.country, peru.date) == ("Mr. Alvarez", "Peru", "2024-02-13")
        assert peru.title == "Small arms (S/PV.9521)"
        assert all(d.speaker and d.country and d.title and d.date for d in documents)
        texts = [p.text for p in project.paragraphs()]
        # Running heads are gone and the paragraphs that page breaks cut are whole again.
        assert not [t for t in texts if "S/PV." in t or "24-" in t or "11/29" in t]
        assert any("reports on exports and imports, as well as their reports" in t for t in texts)
        assert any("terrorist groups and other non-State actors." in t for t in texts)


def test_two_demo_coders_overlap_with_agreements_and_disagreements(demo: Path) -> None:
    with Project.open(demo) as project:
        total = project.paragraph_count()
        assert {"amina", "ben"} <= set(project.coders())
        amina, ben = done_codings(project, "amina"), done_codings(project, "ben")
        assert total - 5 <= len(amina) < total
        assert 0.6 * total <= len(ben) <= 0.8 * total
        both = amina.keys() & ben.keys()
        assert len(both) >= 0.5 * total
        same = [p for p in both if amina[p] == ben[p]]
        different = [p for p in both if amina[p] != ben[p]]
        assert len(same) >= len(both) / 3, "the demo coders should mostly agree"
        assert len(different) >= 3, "the demo needs disagreements to adjudicate"
        # Agreement on presence too, not only on empty paragraphs.
        assert any(amina[p] & ben[p] for p in both)
        codes_used = set().union(*amina.values(), *ben.values())
        assert len(codes_used) >= 10


def test_variables_are_set_and_sometimes_differ(demo: Path) -> None:
    with Project.open(demo) as project:
        variables = [c.id for c in project.codes() if c.kind != "code"]
        assert variables
        differing = 0
        for paragraph in project.paragraphs():
            amina = project.codings(paragraph.id, "amina")
            ben = project.codings(paragraph.id, "ben")
            if project.status(paragraph.id, "amina").status == "done":
                coded = any(amina.get(c.id) == 1 for c in project.codes() if c.kind == "code")
                # The codebook's rule: variables on every paragraph with a code, on no other.
                assert all((v in amina) == coded for v in variables), paragraph.id
            if amina and ben:
                differing += any(amina.get(v) != ben.get(v) for v in variables)
        assert differing >= 2


def test_notes_and_a_flag_wait_for_discussion(demo: Path) -> None:
    with Project.open(demo) as project:
        flagged = project.status("05_russia:3", "ben")
        assert flagged.flagged and flagged.note
        assert project.status("05_russia:3", "amina").note
        assert not project.status("05_russia:3", "amina").flagged
        # Both coded it: adjudication has two codings to compare.
        assert project.status("05_russia:3", "amina").status == "done" == flagged.status


def test_the_demo_is_the_same_on_every_machine(demo: Path, tmp_path: Path) -> None:
    other = build_demo(tmp_path)
    with Project.open(demo) as first, Project.open(other) as second:
        for coder in ("amina", "ben"):
            assert done_codings(first, coder) == done_codings(second, coder)


def test_reopening_keeps_what_the_user_coded_and_fresh_rebuilds(tmp_path: Path) -> None:
    path = build_demo(tmp_path)
    with Project.open(path) as project:
        project.set_coding("01_peru:2", "carol", "border_control", 1)
        project.set_status("01_peru:2", "carol", "done")
    assert build_demo(tmp_path) == path
    with Project.open(path) as project:
        assert project.codings("01_peru:2", "carol") == {"border_control": 1}
    build_demo(tmp_path, fresh=True)
    with Project.open(path) as project:
        assert "carol" not in project.coders()
        assert project.progress("amina").done > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [DEMO_FILE]


def test_a_failed_rebuild_leaves_the_old_demo_and_no_debris(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_demo(tmp_path)
    with Project.open(path) as project:
        project.set_note("01_peru:1", "carol", "mine")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("store.demo_coders.simulate_coders", broken)
    with pytest.raises(RuntimeError):
        build_demo(tmp_path, fresh=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [DEMO_FILE]
    with Project.open(path) as project:
        assert project.status("01_peru:1", "carol").note == "mine"


def test_a_foreign_file_in_the_demo_place_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / DEMO_FILE).write_text("my thesis notes")
    with pytest.raises(ProjectError, match="not an Accord project"):
        build_demo(tmp_path)
    assert (tmp_path / DEMO_FILE).read_text() == "my thesis notes"


def test_the_demo_folder_is_created_with_its_parents(tmp_path: Path) -> None:
    path = build_demo(tmp_path / "a" / "b")
    assert path == tmp_path / "a" / "b" / DEMO_FILE and path.is_file()


def test_leftovers_of_a_killed_build_are_cleared(tmp_path: Path) -> None:
    old = tmp_path / f".{DEMO_FILE}.building-99999"
    old.write_bytes(b"half a database")
    os.utime(old, (0, 0))
    recent = tmp_path / f".{DEMO_FILE}.building-99998-wal"
    recent.write_bytes(b"a build running right now")
    build_demo(tmp_path)
    assert not old.exists()
    assert recent.exists()
