"""The reliability report's column table reaches the terminal table and the agreement screen too."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable

from exports import report_columns
from exports.agreement import brennan_prediger
from store import Project
from tests.helpers import EXTRA_COLUMN, code_two_coders
from tui.agreement_app import AgreementApp
from tui.cli import main
from tui.commands import agreement as agreement_command

SHOWN = f"{brennan_prediger([[1, 1], [1, 0]]).value:.3f}"  # alice and bob on border_control


@pytest.fixture
def extended(project_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Brennan and Prediger's coefficient registered in the table; alice and bob coded two paragraphs."""
    monkeypatch.setattr(report_columns, "COEFFICIENTS", (*report_columns.COEFFICIENTS, EXTRA_COLUMN))
    with Project.open(project_path) as project:
        code_two_coders(project)
    return project_path


def test_the_terminal_table_shows_a_registered_coefficient(extended: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(agreement_command, "PIPED_WIDTH", 160)  # room for two more columns than usual
    result = CliRunner().invoke(main, ["--project", str(extended), "agree", "--codes", "border_control"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "Verdict" in line)
    assert header.split()[-10:] == ["α", "95", "%", "CI", "AC1", "BP", "95", "%", "CI", "Verdict"]
    row = next(line for line in lines if line.strip().startswith("border_control"))
    assert f"{SHOWN}   [0.111, 1.000]   unreliable" in row


async def shown_table(path: Path) -> tuple[list[str], list[object]]:
    """The agreement screen's column labels and border_control's row, once the report is drawn."""
    app = AgreementApp(path, replicates=10, codes=["border_control"])
    async with app.run_test(size=(140, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        return [str(column.label) for column in table.columns.values()], list(table.get_row("border_control"))


def test_the_agreement_screen_shows_a_registered_coefficient(extended: Path) -> None:
    labels, row = asyncio.run(shown_table(extended))
    assert labels[-4:] == ["AC1", "BP", "95 % CI", "Verdict"]
    assert row[-3:-1] == [SHOWN, "[0.111, 1.000]"]
