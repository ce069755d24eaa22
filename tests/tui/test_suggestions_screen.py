"""The coding screen's model suggestions (issue 16): shown with their probability on a coder's
paragraphs, never on the reliability sample, never when the lead turned them off; each coding
event records whether one was visible."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from store import Project
from tests.helpers import coding, drawn, pilot_test, settle
from tests.suggest_helpers import word_project
from tui.cli import main


def handed_out(tmp_path: Path, *options: str) -> tuple[Path, set[str], set[str]]:
    """alice's file, her paragraphs in the reliability sample and those only she codes."""
    lead = word_project(tmp_path / "lead.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--project", str(lead), "suggest", "train", "--basis", "ann", "--codes",
                                "border_control", "--bootstrap", "100"]).exit_code == 0
    result = runner.invoke(main, ["--project", str(lead), "handout", "--coders", "alice,bob", "--overlap", "0.5",
                                  "--out", str(tmp_path / "out"), *options])
    assert result.exit_code == 0, result.output
    with Project.open(lead) as project:
        rows = project.db.execute("select paragraph_id, count(*) from assignments group by paragraph_id").fetchall()
        mine = {pid for (pid,) in project.db.execute("select paragraph_id from assignments where coder_id = 'alice'")}
    shared = {pid for pid, n in rows if n > 1} & mine
    return tmp_path / "out" / "lead-alice.db", shared, mine - shared


async def visit(pilot, paragraph_id: str) -> str:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    screen.go(screen.session.project.paragraph(paragraph_id).seq)
    await settle(pilot)
    return drawn(pilot)


def with_patrols(path: Path, ids: set[str]) -> list[str]:
    with Project.open(path) as project:
        return sorted(pid for pid in ids if project.paragraph(pid).text.endswith("border patrols"))


@pilot_test
async def test_suggestions_are_drawn_outside_the_reliability_sample_only(tmp_path: Path) -> None:
    path, shared, own = handed_out(tmp_path)
    assert shared and own
    shared_patrols, own_patrols = with_patrols(path, shared), with_patrols(path, own)
    async with coding(path, "alice") as pilot:
        for paragraph_id in shared:
            assert "◆" not in await visit(pilot, paragraph_id), paragraph_id
        text = await visit(pilot, own_patrols[0])
        assert "◆" in text and "%" in text
        assert "[ ]" in text  # suggested, never applied
        await pilot.press("b")
        await visit(pilot, shared_patrols[0])
        await pilot.press("b")
    with Project.open(path) as project:
        flags = dict(project.db.execute("select paragraph_id, suggested from events where action = 'code'"))
        assert project.codings(own_patrols[0], "alice") == {"border_control": 1}
    assert flags == {own_patrols[0]: 1, shared_patrols[0]: 0}


@pilot_test
async def test_handout_no_suggestions_turns_them_off(tmp_path: Path) -> None:
    path, _shared, own = handed_out(tmp_path, "--no-suggestions")
    async with coding(path, "alice") as pilot:
        for paragraph_id in own:
            assert "◆" not in await visit(pilot, paragraph_id), paragraph_id
        await pilot.press("b")
    with Project.open(path) as project:
        assert [row[0] for row in project.db.execute("select suggested from events where action = 'code'")] == [None]


@pilot_test
async def test_order_uncertain_serves_the_least_sure_first_and_the_sample_last(tmp_path: Path) -> None:
    import numpy as np

    from exports.suggest.predict import Predictor
    from tui.app import AccordApp

    path, shared, own = handed_out(tmp_path)
    with Project.open(path) as project:
        predictor = Predictor.load(project)
        assert predictor is not None
        model = predictor.models["border_control"]
        texts = {pid: project.paragraph(pid).text for pid in own}
        scores = predictor.scores(list(texts.values()))["border_control"]
        margin = dict(zip(texts, np.abs(scores - model.threshold), strict=True))
        seq_of = {pid: project.paragraph(pid).seq for pid in own | shared}
    app = AccordApp(path, "alice", order="uncertain")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        order = app.session.order
        assert order is not None
        ids = {seq: pid for pid, seq in seq_of.items()}
        served = [ids[seq] for seq in order]
        assert set(served[: len(own)]) == own and set(served[len(own):]) == shared
        assert [margin[pid] for pid in served[: len(own)]] == sorted(margin.values())
        assert app.session.paragraph.id == served[0]
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.paragraph.id == served[1]


def test_order_uncertain_without_a_model_says_so(tmp_path: Path) -> None:
    lead = word_project(tmp_path / "lead.db")
    result = CliRunner().invoke(main, ["--project", str(lead), "code", "--coder", "ann", "--order", "uncertain"])
    assert result.exit_code == 1
    assert "no model in this project yet: run `accord suggest train` first" in result.output
