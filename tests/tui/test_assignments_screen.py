"""A coder on a handed-out file: the coding screen counts, walks and marks their assignment."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from store import Project
from store.teams.handout import hand_out
from tests.helpers import CODER, coding, documents, drawn, pilot_test, small_codebook, stored


@pytest.fixture
def handed_out(tmp_path: Path) -> Path:
    """alice's file of a two-coder handout of 12 paragraphs in three documents."""
    lead = tmp_path / "season.db"
    with Project.create(lead, small_codebook()) as project:
        project.import_documents(documents(5, 4, 3))
        report = hand_out(project, [CODER, "bob"], tmp_path / "out", overlap=0.25, seed=3)
    return report.files[CODER]


def assigned_ids(path: Path) -> list[str]:
    with stored(path) as project:
        rows = project.db.execute(
            "select p.id from assignments a join paragraphs p on p.id = a.paragraph_id "
            "where a.coder_id = ? order by p.seq", [CODER]).fetchall()
    return [row[0] for row in rows]


def messages(pilot: object) -> str:
    """Every notification shown so far, one a line."""
    return "\n".join(n.message for n in pilot.app._notifications)  # type: ignore[attr-defined]


def docline(pilot: object) -> str:
    return str(pilot.app.screen.query_one("#docline", Static).render())  # type: ignore[attr-defined]


@pilot_test
async def test_the_header_counts_the_paragraphs_assigned_to_the_coder(handed_out: Path) -> None:
    mine = assigned_ids(handed_out)
    assert 0 < len(mine) < 12
    async with coding(handed_out) as pilot:
        assert f"0 / {len(mine)} assigned" in drawn(pilot)
        assert pilot.app.screen.session.paragraph.id == mine[0]
        await pilot.press("enter")
        assert f"1 / {len(mine)} assigned" in drawn(pilot)


@pilot_test
async def test_enter_walks_the_assignment_and_says_when_all_of_it_is_done(handed_out: Path) -> None:
    mine = assigned_ids(handed_out)
    async with coding(handed_out, size=(120, 40)) as pilot:
        visited = [pilot.app.screen.session.paragraph.id]
        for _ in mine[1:]:
            await pilot.press("enter")
            visited.append(pilot.app.screen.session.paragraph.id)
            assert "Every" not in messages(pilot)
        assert visited == mine
        await pilot.press("enter")
        assert f"{len(mine)} / {len(mine)} assigned" in drawn(pilot)
        assert "Every assigned paragraph is done" in messages(pilot)
        assert "Every paragraph is done" not in messages(pilot)
    with stored(handed_out) as project:
        assert project.progress(CODER).done == len(mine)  # nothing outside the assignment marked


@pilot_test
async def test_a_paragraph_not_assigned_is_marked_when_the_arrows_reach_it(handed_out: Path) -> None:
    mine = set(assigned_ids(handed_out))
    async with coding(handed_out) as pilot:
        session = pilot.app.screen.session
        session.go(1)
        pilot.app.screen.refresh_view()
        seen = {}
        for _ in range(12):
            seen[session.paragraph.id] = "not assigned to you" in docline(pilot)
            await pilot.press("right")
    assert seen == {pid: pid not in mine for pid in seen}
    assert len(seen) == 12 and any(seen.values())


@pilot_test
async def test_the_document_list_counts_assigned_paragraphs(handed_out: Path) -> None:
    mine = assigned_ids(handed_out)
    per_document = {doc: sum(pid.startswith(f"{doc}:") for pid in mine) for doc in ("doc1", "doc2", "doc3")}
    async with coding(handed_out, size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.press("g")
        await pilot.pause()
        screen = drawn(pilot)
    assert "assigned" in screen
    first = mine[0].split(":")[0]
    for doc, count in per_document.items():
        done = 1 if doc == first else 0
        assert f"{done}/{count} " in next(line for line in screen.splitlines() if f"{doc}  Mr. Test" in line)


@pilot_test
async def test_a_project_without_assignments_says_nothing_of_them(project_path: Path) -> None:
    async with coding(project_path) as pilot:
        await pilot.press("right")
        assert "assigned" not in drawn(pilot)
        assert "0 / 5" in drawn(pilot)
