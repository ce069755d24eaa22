"""`accord suggest train` fits its folds in worker processes (issue 16, speed): the models and
the report do not depend on how many, and each code takes the fits README.md says."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.linear_model import LogisticRegression

from exports.suggest import evaluation
from store import Project, load_models
from tests.suggest_helpers import word_project
from tui.cli import main


def two_codes(path: Path) -> Path:
    """word_project, with wmd the opposite of border_control on the same paragraphs."""
    word_project(path)
    with Project.open(path) as project:
        for (pid,) in project.db.execute("select paragraph_id from paragraph_status where coder_id = 'ann'").fetchall():
            project.set_coding(pid, "ann", "wmd", int(not project.codings(pid, "ann").get("border_control")))
    return path


def train(path: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["--project", str(path), "suggest", "train", "--basis", "ann",
                                       "--codes", "border_control,wmd", "--bootstrap", "200", *args])
    assert result.exit_code == 0, result.output


def test_one_and_two_worker_processes_store_the_same_models_and_report(tmp_path: Path) -> None:
    path = two_codes(tmp_path / "p.db")
    stored = []
    for workers in ("1", "2", "2"):
        train(path, "--workers", workers)
        with Project.open(path) as project:
            stored.append(load_models(project.db))
    one, *others = stored
    assert set(one) == {"*features*", "border_control", "wmd"}
    for other in others:
        assert set(other) == set(one)
        for code, model in one.items():
            assert model.report == other[code].report, code
            for name, array in model.arrays.items():
                assert np.array_equal(array, other[code].arrays[name]), (code, name)


def count_fits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The training rows of every logistic regression fitted in this process."""
    calls: list[int] = []
    original = LogisticRegression.fit
    monkeypatch.setattr(LogisticRegression, "fit",
                        lambda self, x, y, *a, **k: calls.append(x.shape[0]) or original(self, x, y, *a, **k))
    return calls


def test_each_code_takes_five_folds_the_curve_and_the_stored_fit(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """README: 5 folds, a quarter and a half of each fold's documents for the curve, the stored
    model: 16 fits a code while the test folds are small."""
    path = two_codes(tmp_path / "p.db")
    calls = count_fits(monkeypatch)
    train(path, "--workers", "1")
    assert len(calls) == 2 * 16
    assert calls.count(120) == 2  # the stored model, on every coded paragraph


def test_a_large_project_is_judged_on_as_few_folds_as_hold_enough_tests(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """README: from TESTED coded paragraphs in the test folds, the cross-validation and the curve
    score only the first folds of the five whose test paragraphs reach TESTED (1 of 5 at 100,000
    coded paragraphs): each fold still trains on the other four fifths, grouped by document, and
    the report says on how many paragraphs it was judged: 1 + 1 + 1 + 1 fits a code."""
    path = two_codes(tmp_path / "p.db")
    monkeypatch.setattr(evaluation, "TESTED", 24)  # 120 paragraphs, 24 in each test fold
    calls = count_fits(monkeypatch)
    train(path, "--workers", "1")
    assert len(calls) == 2 * 4
    assert calls.count(96) == 2 * 1  # one fold a code, trained on four fifths
    with Project.open(path) as project:
        models = load_models(project.db)
    curve = models["border_control"].report["curve"]
    assert [point["share"] for point in curve] == [0.25, 0.5, 1.0]
    assert all(point["f1"] is not None for point in curve)
    assert curve[-1]["f1"] == models["border_control"].report["f1"]  # the whole share: the same paragraphs
    assert models["border_control"].report["evaluated"] == 24
    assert models["*features*"].report["tested_folds"] == 1
    result = CliRunner().invoke(main, ["--project", str(path), "suggest", "report", "--bootstrap", "0"])
    assert result.exit_code == 0, result.output
    assert "judged on 24 of 120 paragraphs (1 of the 5 folds)" in " ".join(result.output.split())


def test_the_progress_bar_names_each_stage_and_the_fits(tmp_path: Path) -> None:
    from exports.suggest.training import train as run

    path = two_codes(tmp_path / "p.db")
    stages: list[str] = []
    with Project.open(path) as project:
        run(project, "ann", ["border_control", "wmd"], 0, workers=2, on_stage=stages.append)
    assert stages == ["reading the basis", "counting words", "32 fits in 2 processes", "bootstrap and storing"]


def _killed(index: int) -> None:
    """A worker's end as the kernel's out-of-memory killer would make it."""
    os._exit(9)


def test_a_worker_killed_mid_training_is_a_message_and_the_models_stay(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from exports.suggest import fitting

    path = two_codes(tmp_path / "p.db")
    train(path, "--workers", "1")
    with Project.open(path) as project:
        before = {code: model.report for code, model in load_models(project.db).items()}
    monkeypatch.setattr(fitting, "_work", _killed)
    result = CliRunner().invoke(main, ["--project", str(path), "suggest", "train", "--basis", "ann",
                                       "--codes", "wmd", "--workers", "2"])
    assert result.exit_code == 1
    assert "a worker process stopped before its fits were done (out of memory?)" in result.output
    assert "Traceback" not in result.output
    with Project.open(path) as project:
        assert {code: model.report for code, model in load_models(project.db).items()} == before
