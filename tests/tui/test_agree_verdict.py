"""The verdict weighs alpha's uncertainty: a small sample whose alpha clears 0.800 by chance is
not called reliable, and every report format says the same (issue 12, item 18)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from textual.widgets import Static

from store import Project, SourceDocument
from tests.helpers import code_paragraphs, drawn, pilot_test, settle, small_codebook
from tui.agreement_app import AgreementApp
from tui.cli import main


def coded(tmp_path: Path, units: int) -> Path:
    """ann and bob code border_control on `units` paragraphs: half present, one split at the end."""
    path = tmp_path / f"p{units}.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents([SourceDocument("d", [f"Paragraph {n}." for n in range(1, units + 1)])])
        for coder in ("ann", "bob"):
            split = coder == "bob"
            code_paragraphs(project, coder, {
                f"d:{n}": {"border_control": 1} if n <= units // 2 or (split and n == units) else {}
                for n in range(1, units + 1)})
    return path


def agree(path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--project", str(path), "agree", "--codes", "border_control", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_alpha_over_0_8_on_twelve_paragraphs_is_inconclusive_in_every_format(tmp_path: Path) -> None:
    path = coded(tmp_path, 12)
    report = json.loads(agree(path, "--format", "json"))
    border = report["codes"][0]
    assert border["krippendorff_alpha"]["value"] > 0.8 and border["krippendorff_alpha"]["low"] < 0.667
    assert border["verdict"] == "inconclusive"
    assert "sample is too small" in border["verdict_reason"]
    assert border["minimum_units"] == 103 and "too few units: 12, below the 103" in border["warning"]
    row = next(csv.DictReader(io.StringIO(agree(path, "--format", "csv"))))
    assert row["verdict"] == "inconclusive" and row["minimum_units"] == "103"
    assert "sample is too small" in row["note"] and "too few units" in row["note"]
    for fmt in ("table", "md", "html"):
        text = agree(path, "--format", fmt)
        assert "inconclusive" in text and "sample is too small" in text and "too few units: 12" in text, fmt
        table = text.split("Methods")[0]  # the methods paragraph names every verdict
        assert " reliable" not in table.replace("unreliable", ""), fmt


def test_forty_units_are_reliable_with_a_warning_and_two_hundred_without(tmp_path: Path) -> None:
    forty = json.loads(agree(coded(tmp_path, 40), "--format", "json"))["codes"][0]
    assert forty["krippendorff_alpha"]["low"] >= 0.8 and forty["verdict"] == "reliable"
    assert forty["verdict_reason"] is None and "too few units: 40" in forty["warning"]
    many = json.loads(agree(coded(tmp_path, 200), "--format", "json"))["codes"][0]
    assert many["verdict"] == "reliable" and many["warning"] is None


def test_methods_paragraph_states_the_rule_and_the_minimum(tmp_path: Path) -> None:
    path = coded(tmp_path, 12)
    for fmt in ("md", "html"):
        text = agree(path, "--format", fmt)
        methods = text[text.index("Methods"):]
        assert "lower end of" in methods and "95 % bootstrap interval" in methods, fmt
        assert "Bloch" in methods and "103" in methods and "inconclusive" in methods, fmt


@pilot_test
async def test_the_agreement_screen_shows_the_same_verdict_and_why(tmp_path: Path) -> None:
    path = coded(tmp_path, 12)
    app = AgreementApp(path, replicates=1000, codes=["border_control"])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        text = drawn(pilot)
        assert "inconclusive" in text
        note = str(app.screen.query_one("#agreement-verdict", Static).content)
        assert "sample is too small" in note and "too few units: 12" in note
