"""The team workflow end to end, as a lead and coders on separate laptops would run it:
init, import, handout, code blind on each copy, merge, status, adjudicate."""

from __future__ import annotations

import asyncio
import csv
import itertools
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from store import CONSENSUS, Project
from store.teams.adjudication import open_disagreements
from tests.helpers import KAZAKHSTAN
from tui.adjudicate_app import AdjudicateApp
from tui.cli import main


def accord(project: Path, *args: str) -> str:
    """Run `accord --project PROJECT ARGS...`; fail the test on a non-zero exit."""
    result = CliRunner().invoke(main, ["--project", str(project), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout + result.stderr


def code_on_laptop(path: Path, coder: str, style: int) -> None:
    """A coder works through their assigned paragraphs, in the order the coding screen offers.

    Coders differ on purpose: `style` decides which paragraphs get `wmd` and which stance.
    """
    with Project.open(path) as project:
        assert project.coders() == [coder]  # blind: nobody else's work is in the copy
        while project.progress(coder, assigned=True).done < project.assigned(coder):
            paragraph = project.paragraph_at(project.next_not_done(coder))
            assert project.is_assigned(paragraph.id, coder)
            project.set_coding(paragraph.id, coder, "arms_trade", 1)
            if (paragraph.seq + style) % 3 == 0:
                project.set_coding(paragraph.id, coder, "wmd", 1)
            project.set_coding(paragraph.id, coder, "stance", ["supports", "conditional", "opposes"][(paragraph.seq * style) % 3]
                               if style else "supports")
            if paragraph.seq % 7 == 0:
                project.set_note(paragraph.id, coder, f"{coder} was unsure here")
            project.set_status(paragraph.id, coder, "done")


@pytest.fixture
def lead(tmp_path: Path) -> Path:
    path = tmp_path / "lead" / "accord.db"
    path.parent.mkdir()
    accord(path, "init")
    accord(path, "import", str(KAZAKHSTAN))
    return path


def test_two_laptops_handout_code_merge_adjudicate(lead: Path, tmp_path: Path) -> None:
    output = accord(lead, "handout", "--coders", "alice,bob", "--overlap", "0.3", "--seed", "11",
                    "--out", str(tmp_path / "usb"))
    assert "to more than one coder" in output
    # Each file travels to a laptop of its own.
    laptops = {}
    for coder in ("alice", "bob"):
        laptop = tmp_path / f"laptop-{coder}"
        laptop.mkdir()
        laptops[coder] = Path(shutil.copy(tmp_path / "usb" / f"accord-{coder}.db", laptop))
    code_on_laptop(laptops["alice"], "alice", 0)
    code_on_laptop(laptops["bob"], "bob", 1)

    output = accord(lead, "merge", str(laptops["alice"]), str(laptops["bob"]))
    assert "Coders seen: alice, bob" in output and "0 conflicts" in output
    again = accord(lead, "merge", str(laptops["bob"]), str(laptops["alice"]))
    assert "added 0 rows, 0 values changed" in again

    with Project.open(lead) as project:
        paragraphs = project.paragraph_count()
        assert project.progress("alice", assigned=True).done == project.assigned("alice")
        assert project.progress("bob", assigned=True).done == project.assigned("bob")
        shared = project.db.execute(
            "select count(*) from (select paragraph_id from assignments group by paragraph_id having count(*) = 2)"
        ).fetchone()[0]
        assert shared == round(0.3 * paragraphs)
        disputed = open_disagreements(project)
    assert disputed > 0
    status = accord(lead, "status")
    assert f"Reliability sample: {shared} of {shared}" in status and f"Open disagreements: {disputed}" in status

    agreement = accord(lead, "agree", "--format", "json", "--codes", "wmd,stance")
    assert "wmd" in agreement and "stance" in agreement
    output = accord(lead, "adjudicate", "--accept-unanimous")
    assert "Accepted" in output

    async def settle() -> None:
        app = AdjudicateApp(lead)
        async with app.run_test(size=(110, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            for _ in range(disputed):
                await pilot.press("1")  # the first option: Applied / the first level

    asyncio.run(settle())
    with Project.open(lead) as project:
        assert open_disagreements(project) == 0
        # Every paragraph has a complete consensus: the dataset covers the corpus.
        assert project.progress(CONSENSUS).done == paragraphs
        assert all(project.codings(p.id, CONSENSUS).get("arms_trade") == 1 for p in project.paragraphs())
    dataset = tmp_path / "consensus.csv"
    accord(lead, "export", "--consensus", "-o", str(dataset))
    rows = list(csv.DictReader(dataset.open(encoding="utf-8-sig")))
    assert len(rows) == paragraphs
    assert {row["arms_trade"] for row in rows} == {"1"}


def test_three_coders_merged_in_every_order_give_the_same_project(lead: Path, tmp_path: Path) -> None:
    accord(lead, "handout", "--coders", "ann,ben,cat", "--per-unit", "2", "--out", str(tmp_path / "out"))
    files = [tmp_path / "out" / f"accord-{c}.db" for c in ("ann", "ben", "cat")]
    for style, (path, coder) in enumerate(zip(files, ("ann", "ben", "cat"), strict=True)):
        code_on_laptop(path, coder, style)
    dumps, exports = [], []
    for n, order in enumerate(itertools.permutations(files)):
        copy = tmp_path / f"order{n}.db"
        sqlite3.connect(lead).execute("vacuum into ?", [str(copy)]).connection.close()
        accord(copy, "merge", *map(str, order))
        assert "added 0 rows, 0 values changed" in accord(copy, "merge", *map(str, files))
        conn = sqlite3.connect(copy)
        dumps.append([conn.execute(f"select * from {table} order by 1, 2, 3").fetchall()
                      for table in ("codings", "paragraph_status", "events")])
        conn.close()
        target = tmp_path / f"order{n}.csv"
        accord(copy, "export", "--all", "--format", "csv", "-o", str(target))
        exports.append(target.read_bytes())
    assert all(dump == dumps[0] for dump in dumps)
    assert all(export == exports[0] for export in exports)
    assert all(name in exports[0] for name in (b"ann", b"ben", b"cat"))
