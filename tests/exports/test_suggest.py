"""Assisted coding (issue 16): training, honest cross-validation grouped by document, the report."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from exports.suggest.evaluation import folds
from tests.suggest_helpers import WORDS, coded_project, word_project
from tui.cli import main

def train_and_report(path: Path) -> dict[str, object]:
    runner = CliRunner()
    trained = runner.invoke(main, ["--project", str(path), "suggest", "train", "--basis", "ann",
                                   "--codes", "border_control", "--bootstrap", "200"])
    assert trained.exit_code == 0, trained.output
    reported = runner.invoke(main, ["--project", str(path), "suggest", "report", "--format", "json",
                                    "--bootstrap", "0"])
    assert reported.exit_code == 0, reported.output
    return json.loads(reported.stdout)  # type: ignore[no-any-return]


def test_folds_never_split_a_document() -> None:
    groups = np.repeat([f"d{i}" for i in range(13)], 7)
    for train, test in folds(groups):
        assert not set(groups[train]) & set(groups[test])


def test_a_document_of_repeated_paragraphs_cannot_be_learnt_by_heart(tmp_path: Path) -> None:
    """Each document repeats one paragraph of words of its own, coded at random per document:
    with paragraphs split across folds the model would recall its twins and score alpha near 1;
    grouped by document it has nothing to go on."""
    rng = np.random.default_rng(1)
    labels = [[int(v)] * 5 for v in rng.permutation([0, 1] * 10)]
    texts = [[f"Speaker zq{d}x says wq{d}v and kq{d}y plainly."] * 5 for d in range(20)]
    report = train_and_report(coded_project(tmp_path / "a.db", texts, labels))
    [code] = report["codes"]  # type: ignore[misc]
    assert code["code"] == "border_control" and code["positives"] == 50
    assert code["alpha"] < 0.3
    assert not code["trusted"]


def test_a_code_that_depends_on_a_word_is_learnt_and_trusted(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    texts, labels = [], []
    for _document in range(20):
        rows = [rng.integers(0, 2) for _ in range(6)]
        labels.append(rows)
        texts.append([" ".join(rng.choice(WORDS, 8)) + (" border patrols" if value else " budget talks")
                      for value in rows])
    report = train_and_report(coded_project(tmp_path / "b.db", texts, labels))
    [code] = report["codes"]  # type: ignore[misc]
    assert code["alpha"] > 0.8 and code["trusted"]
    assert [point["share"] for point in code["curve"]] == [0.25, 0.5, 1.0]
    assert report["skipped"] == {} and report["basis"] == "ann"


def test_too_few_positives_are_skipped_and_listed(tmp_path: Path) -> None:
    labels = [[1, 0, 0], [0, 0, 0], [1, 0, 0], [0, 0, 0]]
    texts = [[f"Paragraph {p} of {d}." for p in range(3)] for d in range(4)]
    path = coded_project(tmp_path / "c.db", texts, labels)
    result = CliRunner().invoke(main, ["--project", str(path), "suggest", "train", "--basis", "ann"])
    assert result.exit_code == 0, result.output
    assert "Skipped border_control: 2 paragraphs with it, fewer than 10." in result.stderr


def test_predicted_exports_read_back_with_their_source(tmp_path: Path) -> None:
    import pandas as pd
    import pyarrow.parquet as pq
    import pyreadstat

    path = word_project(tmp_path / "p.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--project", str(path), "suggest", "train", "--basis", "ann", "--codes",
                                "border_control", "--bootstrap", "100"]).exit_code == 0
    for suffix in ("csv", "parquet", "dta", "sav"):
        out = tmp_path / f"predicted.{suffix}"
        result = runner.invoke(main, ["--project", str(path), "export", "--predicted", "--coder", "ann",
                                      "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "threshold" in result.stderr
        frame = {"csv": pd.read_csv, "parquet": pd.read_parquet, "dta": pd.read_stata,
                 "sav": lambda p: pyreadstat.read_sav(p)[0]}[suffix](out)
        assert len(frame) == 23 * 6, suffix
        human, machine = frame[frame["source"] == "human"], frame[frame["source"] == "machine"]
        assert len(human) == 20 * 6 and len(machine) == 3 * 6, suffix
        assert machine["border_control_p"].between(0, 1).all()
        assert human["border_control_p"].isna().all()
        expected = machine["text"].str.endswith("border patrols").astype(int).to_numpy()
        values = machine["border_control"].map(lambda v: 1 if v in (1, "1", "Applied", "present") else 0)
        assert (values.to_numpy() == expected).mean() > 0.9, suffix
    metadata = pq.read_schema(tmp_path / "predicted.parquet").metadata
    report = json.loads(metadata[b"accord.suggest_report"])
    assert report["codes"][0]["code"] == "border_control" and report["codes"][0]["threshold"] is not None


def test_the_report_compares_agreement_with_and_without_suggestions(tmp_path: Path) -> None:
    from store import Project

    path = word_project(tmp_path / "bias.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--project", str(path), "suggest", "train", "--basis", "ann", "--codes",
                                "border_control", "--bootstrap", "0"]).exit_code == 0
    with Project.open(path) as project:
        # cat follows every suggestion on d20 (shown), and codes d21 against the words (none shown)
        for p in range(1, 7):
            patrols = project.paragraph(f"d20:{p}").text.endswith("patrols")
            project.set_coding(f"d20:{p}", "cat", "border_control", int(patrols), suggested=True)
            project.set_status(f"d20:{p}", "cat", "done")
            patrols = project.paragraph(f"d21:{p}").text.endswith("patrols")
            project.set_coding(f"d21:{p}", "cat", "border_control", int(not patrols), suggested=False)
            project.set_status(f"d21:{p}", "cat", "done")
    result = runner.invoke(main, ["--project", str(path), "suggest", "report", "--format", "json", "--bootstrap", "0"])
    bias = json.loads(result.stdout)["automation_bias"]["border_control"]
    assert bias["with"]["paragraphs"] == 6 and bias["without"]["paragraphs"] == 6
    assert bias["with"]["agreement"] > 0.8 > 0.2 > bias["without"]["agreement"]
    md = runner.invoke(main, ["--project", str(path), "suggest", "report", "--format", "md", "--bootstrap", "0"])
    assert "Automation bias, border_control: coders agree with the model on" in md.stdout


def test_machine_values_from_untrusted_models_or_another_basis_are_said_loudly(tmp_path: Path) -> None:
    path = word_project(tmp_path / "p.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--project", str(path), "suggest", "train", "--basis", "ann", "--codes",
                                "border_control", "--bootstrap", "100"]).exit_code == 0
    from store import Project

    with Project.open(path) as project:  # the report's verdict, as a forged or weak model would have it
        project.db.execute("UPDATE models SET report = json_set(report, '$.verdict', 'unreliable')")
        project.db.commit()
    result = runner.invoke(main, ["--project", str(path), "export", "--predicted", "--majority",
                                  "-o", str(tmp_path / "p.csv")])
    assert result.exit_code == 0, result.output
    assert "not trusted" in result.stderr and "border_control" in result.stderr
    assert "trained on ann" in result.stderr
