"""Merging coder files: the algebra (idempotent, commutative, associative), the report, refusals."""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store import Project, ProjectError, now
from store.teams.merge import merge_files
from store.rows import Status
from tests.helpers import documents, small_codebook

PARAGRAPHS = ["doc1:1", "doc1:2", "doc1:3", "doc2:1", "doc2:2"]
TABLES = {
    "codings": "paragraph_id, coder_id, code_id, value, updated_at",
    "paragraph_status": "paragraph_id, coder_id, status, flagged, note, updated_at",
    "events": "id, at, coder_id, paragraph_id, code_id, action, value, previous, undoes",
    "assignments": "paragraph_id, coder_id",
    "coders": "id",
}


def state(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every merged table of a project file, as sorted rows (what must not depend on order)."""
    conn = sqlite3.connect(path)
    try:
        return {t: sorted(conn.execute(f"select {c} from {t}").fetchall(), key=repr) for t, c in TABLES.items()}
    finally:
        conn.close()


def base_project(directory: Path) -> Path:
    path = directory / "base.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(3, 2))
    return path


def copy(source: Path, target: Path) -> Path:
    conn = sqlite3.connect(source)
    conn.execute("vacuum into ?", [str(target)])
    conn.close()
    Project.open(target).close()  # in WAL mode from now on, as every opened project
    return target


def merged(base: Path, files: list[Path], target: Path) -> dict[str, list[tuple[object, ...]]]:
    with Project.open(copy(base, target)) as project:
        merge_files(project, files)
    return state(target)


OPERATION = st.tuples(
    st.integers(0, 2),  # machine
    st.sampled_from(["ann", "ben"]),  # coder: the same coder on two machines makes divergence
    st.sampled_from(PARAGRAPHS),
    st.sampled_from(["code", "variable", "done", "skip", "reopen", "flag", "note", "undo"]),
    st.sampled_from(["border_control", "wmd", "nuclear"]),
    st.booleans(),
)


def apply(project: Project, coder: str, paragraph: str, kind: str, code: str, flag: bool) -> None:
    if kind == "code":
        project.set_coding(paragraph, coder, code, int(flag))
    elif kind == "variable":
        project.set_coding(paragraph, coder, "stance", "support" if flag else None)
    elif kind in ("done", "skip", "reopen"):
        project.set_status(paragraph, coder, {"done": "done", "skip": "skipped", "reopen": None}[kind])
    elif kind == "flag":
        project.set_flag(paragraph, coder, flag)
    elif kind == "note":
        project.set_note(paragraph, coder, f"{coder} on {code}" if flag else None)
    else:
        project.undo(coder)


def machines(directory: Path, base: Path, operations: list[tuple]) -> list[Path]:
    """Three copies of the base project, each changed by its share of the operations."""
    paths = [copy(base, directory / f"machine{i}.db") for i in range(3)]
    projects = [Project.open(path) for path in paths]
    try:
        for machine, *rest in operations:
            apply(projects[machine], *rest)
    finally:
        for project in projects:
            project.close()
    return paths


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(OPERATION, max_size=25))
def test_merge_is_idempotent_commutative_and_associative(operations: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        base = base_project(directory)
        a, b, c = machines(directory, base, operations)
        results = [merged(base, list(order), directory / f"order{i}.db")
                   for i, order in enumerate(itertools.permutations([a, b, c]))]
        assert all(result == results[0] for result in results)
        # Associative: (a+b) merged with c equals a merged with (b+c).
        ab = directory / "ab.db"
        merged(base, [a, b], ab)
        bc = directory / "bc.db"
        merged(base, [b, c], bc)
        assert merged(base, [ab, c], directory / "ab_c.db") == results[0]
        assert merged(base, [a, bc], directory / "a_bc.db") == results[0]
        # Idempotent: merging everything again changes nothing.
        with Project.open(directory / "order0.db") as project:
            again = merge_files(project, [a, b, c, ab])
        assert again.rows_added == 0 and again.changed == 0
        assert state(directory / "order0.db") == results[0]


def test_most_recent_value_wins_and_a_note_survives_a_later_status(tmp_path: Path) -> None:
    base = base_project(tmp_path)
    laptop, desktop = copy(base, tmp_path / "laptop.db"), copy(base, tmp_path / "desktop.db")
    with Project.open(laptop) as one, Project.open(desktop) as two:
        one.set_coding("doc1:1", "ann", "wmd", 1)
        one.set_note("doc1:2", "ann", "ask the lead")
        two.set_coding("doc1:1", "ann", "wmd", 0)  # later: wins
        two.set_status("doc1:2", "ann", "done")  # later, but says nothing about the note
        one.set_coding("doc2:1", "ann", "stance", "oppose")
    lead = copy(base, tmp_path / "lead.db")
    with Project.open(lead) as project:
        report = merge_files(project, [laptop, desktop])
        assert project.codings("doc1:1", "ann") == {"wmd": 0}
        assert project.status("doc1:2", "ann") == Status("done", False, "ask the lead")
        assert project.codings("doc2:1", "ann") == {"stance": "oppose"}
    assert report.coders == ["ann"]
    first, second = report.files
    assert first.added["codings"] == 2 and first.added["paragraph_status"] == 1
    assert second.added["codings"] == 0 and second.changed == 2  # wmd 1 -> 0, status None -> done
    # ann's wmd diverged: neither machine saw the other's change. Status and note were each
    # written on one machine only: merged, not in conflict.
    assert [(c.paragraph_id, c.coder_id, c.field, c.kept, c.lost) for c in report.conflicts] == [
        ("doc1:1", "ann", "wmd", 0, 1)]


def test_a_later_copy_of_the_same_history_is_no_conflict(tmp_path: Path) -> None:
    base = base_project(tmp_path)
    laptop = copy(base, tmp_path / "laptop.db")
    lead = copy(base, tmp_path / "lead.db")
    with Project.open(laptop) as one:
        one.set_coding("doc1:1", "ann", "wmd", 1)
    with Project.open(lead) as project:
        merge_files(project, [laptop])
    with Project.open(laptop) as one:
        one.set_coding("doc1:1", "ann", "wmd", 0)
    with Project.open(lead) as project:
        report = merge_files(project, [laptop])
        assert project.codings("doc1:1", "ann") == {"wmd": 0}
    assert report.changed == 1 and report.conflicts == []


def test_equal_timestamps_are_settled_by_event_id_in_any_order(tmp_path: Path) -> None:
    base = base_project(tmp_path)
    files = [copy(base, tmp_path / f"m{i}.db") for i in range(2)]
    stamp = now()  # after the project was created: merge refuses work dated before it
    for path, value in zip(files, (1, 0), strict=True):
        with Project.open(path) as project:
            project.set_coding("doc1:1", "ann", "wmd", value)
        conn = sqlite3.connect(path)
        conn.execute("update codings set updated_at = ?", [stamp])
        conn.execute("update events set at = ?", [stamp])
        conn.commit()
        conn.close()
    winner = max(sqlite3.connect(p).execute("select id, value from events").fetchone() for p in files)[1]
    for order in (files, files[::-1]):
        lead = tmp_path / f"lead{hashlib.md5(str(order).encode()).hexdigest()}.db"
        with Project.open(copy(base, lead)) as project:
            merge_files(project, order)
            assert project.codings("doc1:1", "ann") == {"wmd": winner}


def test_dry_run_reports_and_changes_nothing(tmp_path: Path) -> None:
    base = base_project(tmp_path)
    laptop = copy(base, tmp_path / "laptop.db")
    with Project.open(laptop) as one:
        one.set_coding("doc1:1", "ann", "wmd", 1)
        one.set_status("doc1:1", "ann", "done")
    lead = copy(base, tmp_path / "lead.db")
    before = lead.read_bytes()
    with Project.open(lead) as project:
        report = merge_files(project, [laptop], dry_run=True)
    assert report.dry_run and report.files[0].added == {
        "coders": 1, "codings": 1, "paragraph_status": 1, "events": 2, "assignments": 0}
    assert state(lead) == state(base)
    assert lead.read_bytes() == before


def snapshot(path: Path) -> tuple[bytes, dict[str, list[tuple[object, ...]]]]:
    return path.read_bytes(), state(path)


@pytest.fixture
def lead_and_laptop(tmp_path: Path) -> tuple[Path, Path, Path]:
    base = base_project(tmp_path)
    laptop = copy(base, tmp_path / "laptop.db")
    with Project.open(laptop) as one:
        one.set_coding("doc1:1", "ann", "wmd", 1)
    lead = copy(base, tmp_path / "lead.db")
    with Project.open(lead) as project:
        project.set_coding("doc1:2", "lea", "wmd", 1)
    return base, lead, laptop


def refused(lead: Path, files: list[Path], message: str) -> None:
    before = snapshot(lead)
    with Project.open(lead) as project, pytest.raises(ProjectError, match=message) as raised:
        merge_files(project, files)
    assert snapshot(lead) == before
    if lead not in files:
        assert str(lead) not in str(raised.value)  # the bad file is named, never the project


def test_refuses_a_file_of_another_project(lead_and_laptop: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, lead, laptop = lead_and_laptop
    with Project.create(tmp_path / "other.db", small_codebook()) as other:
        other.import_documents(documents(3, 2))
        other_id = other.project_id
    refused(lead, [laptop, tmp_path / "other.db"], f"other.db belongs to another project \\(project id {other_id}")


@pytest.mark.parametrize(
    "edit",
    ["set text = 'Rewritten.', sha256 = 'x'",
     "set text = 'Rewritten.'",  # the stored hash left alone: the file must not be trusted on it
     "set text = cast(text as blob)"],  # the same bytes, stored as a BLOB by some tool
    ids=["text-and-hash", "text-only", "blob"],
)
def test_refuses_a_changed_paragraph(lead_and_laptop: tuple[Path, Path, Path], edit: str) -> None:
    _, lead, laptop = lead_and_laptop
    conn = sqlite3.connect(laptop)
    conn.execute(f"update paragraphs {edit} where id in ('doc2:1', 'doc1:3')")
    conn.commit()
    conn.close()
    refused(lead, [laptop], "laptop.db: the text of paragraph doc1:3, doc2:1 differs")
    with Project.open(lead) as project, pytest.raises(ProjectError, match="doc1:3, doc2:1 differs"):
        merge_files(project, [laptop], dry_run=True)  # a dry run says so too, not "would add"


def test_refuses_corrupt_and_foreign_files(lead_and_laptop: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _, lead, laptop = lead_and_laptop
    damaged = tmp_path / "damaged.db"
    data = bytearray(laptop.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):
        data[offset + 8:offset + 200] = b"\xff" * 192
    damaged.write_bytes(bytes(data))
    refused(lead, [damaged], "damaged.db (is damaged|cannot be read)")
    text = tmp_path / "notes.db"
    text.write_text("not a database")
    refused(lead, [laptop, text], "notes.db is not an Accord project")
    refused(lead, [lead], "is the current project itself")


def test_refuses_codes_the_codebook_lacks(lead_and_laptop: tuple[Path, Path, Path]) -> None:
    _, lead, laptop = lead_and_laptop
    conn = sqlite3.connect(laptop)
    conn.execute("insert into codes (id, label, kind, position, retired) values ('new_code', 'New', 'code', 9, 0)")
    conn.execute("insert into codings values ('doc1:3', 'ann', 'new_code', 1, '2026-01-01')")
    conn.commit()
    conn.close()
    refused(lead, [laptop], "uses code new_code that this project's codebook lacks")


def test_a_note_written_on_two_machines_is_a_conflict_and_the_later_wins(tmp_path: Path) -> None:
    base = base_project(tmp_path)
    laptop, desktop = copy(base, tmp_path / "laptop.db"), copy(base, tmp_path / "desktop.db")
    with Project.open(laptop) as one, Project.open(desktop) as two:
        one.set_note("doc2:2", "ann", "first thought")
        two.set_note("doc2:2", "ann", "second thought")
    for order in ([laptop, desktop], [desktop, laptop]):
        lead = copy(base, tmp_path / f"lead-{order[0].stem}.db")
        with Project.open(lead) as project:
            report = merge_files(project, order)
            assert project.status("doc2:2", "ann").note == "second thought"
        assert [(c.field, c.kept, c.lost) for c in report.conflicts] == [("note", "second thought", "first thought")]


def twelve_coder_files(base: Path, tmp_path: Path, done: bool) -> list[Path]:
    """Twelve coders' files, more than SQLite attaches at once, each with one wmd coding."""
    files = []
    for n in range(12):
        path = copy(base, tmp_path / f"coder{n}.db")
        with Project.open(path) as project:
            project.set_coding(PARAGRAPHS[n % 5], f"coder{n}", "wmd", 1)
            if done:
                project.set_status(PARAGRAPHS[n % 5], f"coder{n}", "done")
        files.append(path)
    return files


def test_more_files_than_sqlite_attaches_at_once_are_merged_in_batches(tmp_path: Path) -> None:
    base = base_project(tmp_path)
    files = twelve_coder_files(base, tmp_path, done=True)
    lead = copy(base, tmp_path / "lead.db")
    with Project.open(lead) as project:
        report = merge_files(project, files)
        assert len(report.files) == 12 and report.coders == sorted(f"coder{n}" for n in range(12))
        assert project.db.execute("select count(*) from codings").fetchone()[0] == 12


def test_a_foreign_file_whose_rows_name_unknown_paragraphs_is_refused_as_foreign(
        lead_and_laptop: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """Rows are written before the file's checks end: their failure must not hide the refusal."""
    _, lead, laptop = lead_and_laptop
    with Project.create(tmp_path / "other.db", small_codebook()) as other:
        other.import_documents(documents(2, prefix="speech"))
        other.set_coding("speech1:1", "ann", "wmd", 1)
        other.set_status("speech1:1", "ann", "done")
    refused(lead, [laptop, tmp_path / "other.db"], "other.db belongs to another project")


def test_a_file_refused_in_a_later_batch_leaves_the_first_batch_unmerged(tmp_path: Path) -> None:
    base = base_project(tmp_path)
    files = twelve_coder_files(base, tmp_path, done=False)
    conn = sqlite3.connect(files[-1])
    conn.execute("update paragraphs set text = 'Rewritten.' where id = 'doc2:1'")
    conn.commit()
    conn.close()
    refused(copy(base, tmp_path / "lead.db"), files, "coder11.db: the text of paragraph doc2:1 differs")
