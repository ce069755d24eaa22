"""`accord agree --over time` and `--by document`: a lead sees a coder drift, or a document that
splits everyone, on real project files written through the coding API (events and all)."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from exports.alpha import krippendorff_alpha
from store import CONSENSUS, Project
from tests.helpers import documents, small_codebook
from tui.cli import main

CODES = ("border_control", "wmd")


def run(path: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(path), "agree", *args])


def code(project: Project, coder: str, paragraphs: dict[str, dict[str, int]]) -> None:
    """Code the paragraphs in the order given, each marked done after its codes."""
    for pid, values in paragraphs.items():
        for code_id, value in values.items():
            if value:
                project.set_coding(pid, coder, code_id, value)
        project.set_status(pid, coder, "done")


def truth(ids: list[str], seed: int) -> dict[str, dict[str, int]]:
    rng = random.Random(seed)
    return {pid: {c: int(rng.random() < 0.5) for c in CODES} for pid in ids}


def randomly(ids: list[str], seed: int) -> dict[str, dict[str, int]]:
    return truth(ids, seed + 1000)


@pytest.fixture(scope="module")
def drifting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ann and cat code the truth on 200 paragraphs; bob does too for his first 100, then at random."""
    path = tmp_path_factory.mktemp("drift") / "accord.db"
    ids = [f"doc1:{i}" for i in range(1, 201)]
    right = truth(ids, 1)
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(200))
        code(project, "ann", right)
        code(project, "cat", right)
        code(project, "bob", {**{p: right[p] for p in ids[:100]}, **randomly(ids[100:], 2)})
    return path


def rows(result) -> list[dict]:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["rows"]


def test_planted_drift_shows_high_then_low_windows(drifting: Path) -> None:
    report = rows(run(drifting, "--over", "time", "--window", "50", "--codes", ",".join(CODES), "--format", "json"))
    bob = [r for r in report if r["coder"] == "bob"]
    assert [r["window"] for r in bob] == [1, 2, 3, 4]
    assert [r["paragraphs"] for r in bob] == [50, 50, 50, 50]
    assert bob[0]["alpha"] == pytest.approx(1.0) and bob[1]["alpha"] == pytest.approx(1.0)
    assert bob[2]["alpha"] < 0.3 and bob[3]["alpha"] < 0.3
    assert bob[2]["percent_agreement"] < 0.75
    ann = [r for r in report if r["coder"] == "ann"]
    assert ann[3]["alpha"] > bob[3]["alpha"] + 0.2  # ann still agrees with cat: the drift is bob's


def test_table_and_markdown_show_each_coder_and_window(drifting: Path) -> None:
    result = run(drifting, "--over", "time", "--window", "50", "--codes", "border_control")
    assert result.exit_code == 0, result.output
    assert "bob" in result.stdout and "doc1:151" in result.stdout and "doc1:200" in result.stdout
    md = run(drifting, "--over", "time", "--window", "50", "--format", "md")
    assert md.exit_code == 0, md.output
    assert "| Coder | Window |" in md.stdout and "| bob | 4 |" in md.stdout


def test_html_has_a_line_chart_with_one_line_per_coder(drifting: Path, tmp_path: Path) -> None:
    target = tmp_path / "drift.html"
    result = run(drifting, "--over", "time", "--window", "50", "-o", str(target))
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") == 1
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert svg.count("<path") > 10  # axes, ticks and the lines: a chart, not an empty frame
    for coder in ("ann", "bob", "cat"):
        assert coder in html
    for external in ("<script", "<link", 'src="http'):
        assert external not in html
    table = pd.read_html(io.StringIO(html))[0]
    assert list(table.columns[:3]) == ["Coder", "Window", "First paragraph"]


def test_csv_reads_back_with_missing_windows_as_empty(drifting: Path, tmp_path: Path) -> None:
    target = tmp_path / "drift.csv"
    assert run(drifting, "--over", "time", "--window", "60", "-o", str(target)).exit_code == 0
    table = pd.read_csv(target)
    bob = table[table["coder"] == "bob"]
    assert list(bob["paragraphs"]) == [60, 60, 60, 20]
    last = bob.iloc[-1]
    assert np.isnan(last["alpha"]) and np.isnan(last["percent_agreement"])  # missing, not zero
    assert "too few" in last["note"]


@pytest.fixture
def backwards(tmp_path: Path) -> Path:
    """ann codes doc1 forwards, bob backwards; they disagree on border_control in 16-20 only."""
    path = tmp_path / "accord.db"
    ids = [f"doc1:{i}" for i in range(1, 21)]
    ann = {pid: {"border_control": i % 2, "wmd": int(i % 3 == 0)} for i, pid in enumerate(ids, 1)}
    bob = {pid: {**ann[pid], "border_control": 1 - ann[pid]["border_control"]} if i > 15 else ann[pid]
           for i, pid in enumerate(ids, 1)}
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(20))
        code(project, "ann", ann)
        code(project, "bob", dict(reversed(bob.items())))
    return path


def test_windows_follow_each_coders_order_not_the_corpus(backwards: Path) -> None:
    report = rows(run(backwards, "--over", "time", "--window", "5", "--codes", "border_control", "--format", "json"))
    bob = [r for r in report if r["coder"] == "bob"]
    ann = [r for r in report if r["coder"] == "ann"]
    assert (bob[0]["first_paragraph"], bob[0]["last_paragraph"]) == ("doc1:20", "doc1:16")
    assert (ann[0]["first_paragraph"], ann[0]["last_paragraph"]) == ("doc1:1", "doc1:5")
    assert bob[0]["first_at"] <= bob[0]["last_at"]
    assert bob[0]["percent_agreement"] == 0.0 and bob[1]["percent_agreement"] == 1.0
    assert ann[3]["percent_agreement"] == 0.0 and ann[0]["percent_agreement"] == 1.0


def test_window_values_equal_the_existing_alpha_on_the_same_paragraphs(backwards: Path) -> None:
    report = rows(run(backwards, "--over", "time", "--window", "10", "--codes", "border_control", "--format", "json"))
    ann = [r for r in report if r["coder"] == "ann"]
    ids = [f"doc1:{i}" for i in range(1, 21)]
    ann_values = [i % 2 for i in range(1, 21)]
    bob_values = [1 - v if i > 15 else v for i, v in enumerate(ann_values, 1)]
    for number, window in enumerate(ann):
        part = slice(10 * number, 10 * number + 10)
        assert window["first_paragraph"] == ids[part][0]
        expected = krippendorff_alpha([ann_values[part], bob_values[part]])
        assert window["alpha"] == pytest.approx(expected.value, abs=1e-12)
        assert window["alpha"] == pytest.approx(
            krippendorff.alpha([ann_values[part], bob_values[part]], level_of_measurement="nominal"), abs=1e-9)


@pytest.fixture
def split_document(tmp_path: Path) -> Path:
    """Three coders agree on doc1 and doc3; on doc2 each codes at random."""
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(30, 30, 30))
        for number, coder in enumerate(("ann", "bob", "cat")):
            for doc in ("doc1", "doc2", "doc3"):
                ids = [f"{doc}:{i}" for i in range(1, 31)]
                code(project, coder, randomly(ids, 10 + number) if doc == "doc2" else truth(ids, 3))
    return path


def test_a_document_that_splits_everyone_stands_out(split_document: Path, tmp_path: Path) -> None:
    report = rows(run(split_document, "--by", "document", "--codes", ",".join(CODES), "--format", "json"))
    everyone = {r["document"]: r for r in report if r["coder"] is None}
    assert set(everyone) == {"doc1", "doc2", "doc3"}
    assert everyone["doc1"]["alpha"] == pytest.approx(1.0) and everyone["doc3"]["alpha"] == pytest.approx(1.0)
    assert everyone["doc2"]["alpha"] < 0.4
    per_coder = [r for r in report if r["coder"] == "bob"]
    assert [r["document"] for r in per_coder] == ["doc1", "doc2", "doc3"]
    target = tmp_path / "documents.html"
    assert run(split_document, "--by", "document", "-o", str(target)).exit_code == 0
    html = target.read_text(encoding="utf-8")
    assert html.count("<svg") == 1 and "doc2" in html


def test_consensus_is_the_reference_where_there_is_one(backwards: Path) -> None:
    with Project.open(backwards) as project:  # the adjudicator sided with bob on 16-20
        for i in range(16, 21):
            project.set_coding(f"doc1:{i}", CONSENSUS, "border_control", 1 - i % 2)
            project.set_status(f"doc1:{i}", CONSENSUS, "done")
    report = rows(run(backwards, "--over", "time", "--window", "5", "--codes", "border_control", "--format", "json"))
    bob = [r for r in report if r["coder"] == "bob"]
    ann = [r for r in report if r["coder"] == "ann"]
    assert bob[0]["percent_agreement"] == 1.0 and ann[3]["percent_agreement"] == 0.0
    assert all(r["coder"] != CONSENSUS for r in report)


def test_bad_options_fail_in_one_line(drifting: Path) -> None:
    result = run(drifting, "--over", "time", "--window", "1")
    assert result.exit_code != 0 and "Traceback" not in result.output and "--window" in result.output
    result = run(drifting, "--over", "time", "--tui")
    assert result.exit_code != 0 and "--tui" in result.output
    result = run(drifting, "--over", "time", "--coders", "nobody")
    assert result.exit_code == 1 and "nobody" in result.output


def test_one_coder_alone_has_nobody_to_compare_with(backwards: Path) -> None:
    result = run(backwards, "--over", "time", "--coders", "bob")
    assert result.exit_code == 0, result.output
    assert "No paragraph" in result.stderr and "Traceback" not in result.output
    assert rows(run(backwards, "--over", "time", "--coders", "bob", "--format", "json")) == []
