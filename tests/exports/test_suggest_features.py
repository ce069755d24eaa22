"""Assisted coding's features (issue 16, speed): the fast tokeniser counts what scikit-learn's
counts, training shares each fold's features between codes, and models stored by an earlier
feature pipeline are refused instead of read wrong."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sklearn.feature_extraction.text import CountVectorizer

from exports.suggest import evaluation
from exports.suggest.features import SUBWORDS, WORDS, _gram_hashes, counts
from store import Project
from tests.suggest_helpers import word_project
from tui.cli import main

TEXTS = ["The Council's resolution, adopted 12-3: border patrols (again)!", "", "a b c", "Naïve café — ÉTAT d'urgence",
         "snake_case and 2024 numbers", "tab\tand\nnewline  spaces", "a paragraph holding \x01 and \x00 inside",
         "Grenzkontrollen an der Grenze; Grenzkontrollen."]


def test_each_paragraph_has_the_word_and_pair_counts_scikit_learn_finds() -> None:
    """Same tokens as scikit-learn's default (two or more word characters, lowercased), each token
    and each pair of neighbours counted once per occurrence, one row per paragraph."""
    ours = counts(TEXTS)[:, :WORDS]  # the word and pair columns; the sub-words' follow them
    theirs = CountVectorizer(ngram_range=(1, 2)).fit(TEXTS).transform(TEXTS)
    assert ours.shape[0] == len(TEXTS)
    assert ours.sum(axis=1).A1.tolist() == theirs.sum(axis=1).A1.tolist()
    assert sorted(ours[7].data.tolist()) == sorted(theirs[7].data.tolist())  # "grenzkontrollen" twice


def test_each_word_has_the_sub_word_of_its_least_char_wb_n_gram() -> None:
    """A word's sub-word feature is one of the character 3- and 4-grams scikit-learn's 'char_wb'
    finds in it (the word between spaces): the one whose hash is least. Counted once per word
    (of the same words the word features see), one row per paragraph."""
    words = CountVectorizer().build_analyzer()
    grams = CountVectorizer(analyzer="char_wb", ngram_range=(3, 4)).build_analyzer()
    ours = counts(TEXTS)[:, WORDS:]
    for row, text in enumerate(TEXTS):
        expected: Counter[int] = Counter()
        for word in words(text):
            points = [np.array([[ord(c) for c in gram]], dtype=np.uint64) for gram in grams(word)]
            expected[int(min(_gram_hashes(p)[0] for p in points) % SUBWORDS)] += 1
        assert dict(zip(ours[row].indices.tolist(), ours[row].data.tolist(), strict=True)) == expected, text
    assert counts(["border borders bordre"])[:, WORDS:].nnz == 1  # as it happens, one n-gram stands for all three


def test_a_code_learnt_from_border_is_suggested_on_borders(tmp_path: Path) -> None:
    """Inflected and misspelt forms share most of their character n-grams with the words the model
    learnt from: a paragraph on "borders" scores above an unrelated one, though neither word was seen."""
    from exports.suggest.predict import Predictor

    path = word_project(tmp_path / "p.db")
    train(path, "border_control")
    with Project.open(path) as project:
        predictor = Predictor.load(project)
        assert predictor is not None
    related, misspelt, unrelated = predictor.scores(["Borders patrolled", "bordre patrolls", "Fisheries quotas"])[
        "border_control"]
    assert related > unrelated and misspelt > unrelated


def test_many_paragraphs_are_counted_as_each_alone() -> None:
    many = counts(TEXTS * 3)
    for i, text in enumerate(TEXTS * 3):
        alone = counts([text])
        assert many[i].indices.tolist() == alone.indices.tolist() and many[i].data.tolist() == alone.data.tolist()


def train(path: Path, *codes: str, bootstrap: int = 0) -> None:
    result = CliRunner().invoke(main, ["--project", str(path), "suggest", "train", "--basis", "ann",
                                       "--bootstrap", str(bootstrap),
                                       *[arg for code in codes for arg in ("--codes", code)]])
    assert result.exit_code == 0, result.output


def test_training_weighs_each_fold_once_for_all_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two codes with the same training rows: each fold's IDF is computed once, not once per code."""
    path = word_project(tmp_path / "p.db")
    with Project.open(path) as project:  # wmd: the opposite of border_control, on the same paragraphs
        for (pid,) in project.db.execute("select paragraph_id from paragraph_status where coder_id = 'ann'").fetchall():
            project.set_coding(pid, "ann", "wmd", int(not project.codings(pid, "ann").get("border_control")))
    calls = []
    original = evaluation.idf
    monkeypatch.setattr(evaluation, "idf", lambda matrix: calls.append(matrix.shape[0]) or original(matrix))
    train(path, "border_control")
    one = len(calls)
    calls.clear()
    train(path, "border_control", "wmd")
    assert one > 0 and len(calls) == one


def _forge_shared(path: Path, change: dict[str, object], drop: tuple[str, ...]) -> None:
    with Project.open(path) as project:
        (report,) = project.db.execute("select report from models where code_id = '*features*'").fetchone()
        shared = {k: v for k, v in json.loads(report).items() if k not in drop} | change
        project.db.execute("update models set report = ? where code_id = '*features*'", [json.dumps(shared)])
        project.db.commit()


@pytest.mark.parametrize("forged", [
    ({"word_features": 2**18, "char_features": 2**18}, ("pipeline", "probe", "features")),  # the first Accord's
    ({"probe": [1, 2, 3]}, ()),  # this pipeline's name, another hash (a library changed its hashing)
    ({"pipeline": "words-1-2/siphash-0123456789123456/2**19"}, ()),  # words and pairs only, no sub-words
])
def test_models_of_another_feature_pipeline_are_refused_not_misread(
        tmp_path: Path, forged: tuple[dict[str, object], tuple[str, ...]]) -> None:
    path = word_project(tmp_path / "p.db")
    train(path, "border_control", bootstrap=100)
    _forge_shared(path, *forged)
    runner = CliRunner()
    for command in (["export", "--predicted", "--coder", "ann", "-o", str(tmp_path / "x.csv")],
                    ["code", "--coder", "bob", "--order", "uncertain"]):
        result = runner.invoke(main, ["--project", str(path), *command])
        assert result.exit_code == 1, command
        assert "trained by an older Accord: run `accord suggest train` again" in result.output, result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "x.csv").exists()
    from exports.suggest.suggester import Suggester

    with Project.open(path) as project:  # the coding screen shows no suggestion rather than wrong ones
        assert Suggester.for_file(project) is None
    train(path, "border_control", bootstrap=100)
    with Project.open(path) as project:
        assert Suggester.for_file(project) is not None


def test_suggestions_score_as_each_code_alone(tmp_path: Path) -> None:
    """All codes scored by one product give each code's own probabilities."""
    from exports.suggest.predict import Predictor

    path = word_project(tmp_path / "p.db")
    train(path, "border_control")
    with Project.open(path) as project:
        predictor = Predictor.load(project)
        assert predictor is not None
        texts = [project.paragraph(f"d21:{p}").text for p in range(1, 7)]
    model = predictor.models["border_control"]
    alone = model.classifier.scores(predictor.features(texts))
    together = predictor.scores(texts)["border_control"]
    assert np.allclose(alone, together, atol=1e-6)
    expected = np.array([text.endswith("border patrols") for text in texts])
    assert ((together >= model.threshold) == expected).all()


def test_training_twice_on_the_same_basis_stores_the_same_models(tmp_path: Path) -> None:
    """The dual solver visits rows in a random order: a fixed seed keeps training reproducible."""
    from store import load_models

    path = word_project(tmp_path / "p.db")
    stored = []
    for _ in range(2):
        train(path, "border_control")
        with Project.open(path) as project:
            stored.append(load_models(project.db)["border_control"])
    assert stored[0].report == stored[1].report
    for name, array in stored[0].arrays.items():
        assert np.array_equal(array, stored[1].arrays[name]), name
