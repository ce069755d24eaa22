"""From a project to a reliability report: missing versus absent, filters, splits, verdicts."""

from __future__ import annotations

import json

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from exports.agreement_report import report_dict, to_json
from exports.alpha import Interval
from exports.ratings import Coefficient
from exports.verdict import minimum_units
from exports.reliability import reliability_report, verdict
from store import AccordError, Project
from tests.helpers import code_paragraphs

nan = np.nan


@pytest.fixture
def coded(project: Project) -> Project:
    """ann did all five paragraphs, bob four, cem one; consensus everything."""
    code_paragraphs(project, "ann", {
        "doc1:1": {"border_control": 1, "stance": "support"},
        "doc1:2": {"border_control": 1, "stance": "oppose"},
        "doc1:3": {"wmd": 1},
        "doc2:1": {"stance": "support"},
        "doc2:2": {"wmd": 1},
    })
    code_paragraphs(project, "bob", {
        "doc1:1": {"border_control": 1, "stance": "support"},
        "doc1:2": {"stance": "support"},
        "doc1:3": {"border_control": 1, "wmd": 1},
        "doc2:1": {},
    })
    code_paragraphs(project, "bob", {"doc2:2": {"border_control": 1}}, done=False)
    code_paragraphs(project, "cem", {"doc1:1": {}})
    code_paragraphs(project, "consensus", {f"doc1:{i}": {"nuclear": 1} for i in (1, 2, 3)})
    return project


def by_code(report):
    return {c.code: c for c in report.codes}


def test_missing_is_not_absent_and_matches_krippendorff(coded: Project) -> None:
    report = reliability_report(coded, replicates=0)
    assert report.coders == ["ann", "bob", "cem"]
    assert report.units == 4  # doc2:2 was done by ann only
    border = by_code(report)["border_control"]
    # Units doc1:1, doc1:2, doc1:3, doc2:1; cem did doc1:1 only (absent there, missing elsewhere).
    matrix = [[1, 1, 0, 0], [1, 0, 1, 0], [0, nan, nan, nan]]
    assert border.units == 4 and border.coders == 3
    assert border.alpha.value == pytest.approx(krippendorff.alpha(matrix, level_of_measurement="nominal"), abs=1e-12)
    assert border.prevalence == pytest.approx(4 / 9)
    ann_bob = next(p for p in border.pairs if (p.first, p.second) == ("ann", "bob"))
    assert ann_bob.units == 4
    assert ann_bob.percent_agreement.value == pytest.approx(0.5)
    assert ann_bob.cohen_kappa.value == pytest.approx(cohen_kappa_score([1, 1, 0, 0], [1, 0, 1, 0]))


def test_variables_at_their_level_with_unset_values_missing(coded: Project) -> None:
    stance = by_code(reliability_report(coded, replicates=0))["stance"]
    assert stance.level == "nominal"
    # Values: doc1:1 support/support, doc1:2 oppose/support; doc2:1 ann only: not pairable.
    assert stance.units == 2
    assert stance.coefficients["percent_agreement"].value == pytest.approx(0.5)
    [split] = stance.splits.rows()
    assert split.paragraph_id == "doc1:2" and split.values == {"ann": "oppose", "bob": "support"}


def test_consensus_is_never_counted(coded: Project) -> None:
    nuclear = by_code(reliability_report(coded, replicates=0))["nuclear"]
    assert "consensus" not in reliability_report(coded, replicates=0).coders
    assert nuclear.prevalence == 0.0
    assert nuclear.alpha.value is None and "variation" in nuclear.alpha.reason
    assert nuclear.verdict == "undefined"


def test_splits_name_paragraphs_and_every_coders_value(coded: Project) -> None:
    border = by_code(reliability_report(coded, replicates=0))["border_control"]
    rows = {s.paragraph_id: s.values for s in border.splits.rows()}
    assert rows == {"doc1:1": {"ann": 1, "bob": 1, "cem": 0}, "doc1:2": {"ann": 1, "bob": 0}, "doc1:3": {"ann": 0, "bob": 1}}


def test_filters(coded: Project) -> None:
    report = reliability_report(coded, codes=["wmd"], coders=["ann", "bob"], documents=["doc1"], replicates=0)
    assert [c.code for c in report.codes] == ["wmd"]
    assert report.coders == ["ann", "bob"] and report.units == 3
    assert report.codes[0].coefficients["percent_agreement"].value == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"codes": ["nope"]}, "no code or variable 'nope'"), ({"coders": ["zed"]}, "no coder 'zed'"),
     ({"documents": ["nodoc"]}, "no document")],
)
def test_unknown_names_are_refused_in_words(coded: Project, kwargs, message) -> None:
    with pytest.raises(AccordError, match=message):
        reliability_report(coded, **kwargs)


def test_bootstrap_interval_is_reproducible_with_the_seed(coded: Project) -> None:
    first = by_code(reliability_report(coded, replicates=200, seed=3))["border_control"].alpha_interval
    again = by_code(reliability_report(coded, replicates=200, seed=3))["border_control"].alpha_interval
    assert first == again and first.low <= first.high


def test_coder_pair_matrix(coded: Project) -> None:
    report = reliability_report(coded, replicates=0)
    pairs = {(p.first, p.second): p for p in report.pairs}
    assert set(pairs) == {("ann", "bob"), ("ann", "cem"), ("bob", "cem")}
    assert pairs[("ann", "cem")].units == 1
    assert pairs[("ann", "bob")].units == 4


@pytest.mark.parametrize(
    ("value", "low", "expected"),
    [
        # The thresholds read the lower end of the interval (0.800 and 0.667 as before).
        (0.9, 0.8, "reliable"), (0.9, 0.7999, "tentative"), (0.8, 0.667, "tentative"),
        # Alpha clears a bar that its interval does not: too small a sample to tell.
        (0.85, 0.6669, "inconclusive"), (0.7, 0.3, "inconclusive"), (0.9, None, "inconclusive"),
        (0.6669, 0.3, "unreliable"), (0.5, None, "unreliable"), (None, None, "undefined"),
    ],
)
def test_verdict_thresholds(value, low, expected) -> None:
    interval = Interval(low, None if low is None else 1.0, None if low is not None else "no interval")
    assert verdict(Coefficient(value, None if value is not None else "why"), interval) == expected


def test_minimum_sample_is_krippendorffs_table() -> None:
    # Bloch and Kraemer's formula as Krippendorff tabulates it (alpha_min .800 and .667, p = .05).
    assert [minimum_units(k) for k in (2, 3, 4)] == [103, 117, 139]
    assert minimum_units(4, alpha_min=0.667) == 81


def test_json_report_holds_every_split_one_per_line(coded: Project) -> None:
    """The fast writer gives exactly the documented data, names with quotes and accents intact."""
    code_paragraphs(coded, 'zoë "z"', {"doc1:1": {"stance": "oppose"}, "doc1:2": {"border_control": 1}})
    report = reliability_report(coded, replicates=0)
    text = to_json(report)
    assert json.loads(text) == json.loads(json.dumps(report_dict(report)))
    stance = next(c for c in json.loads(text)["codes"] if c["code"] == "stance")
    assert {"paragraph_id": "doc1:1", "values": {"ann": "support", "bob": "support", 'zoë "z"': "oppose"}} in stance["splits"]
    assert '        {"paragraph_id": "doc1:1", "values": {"ann": "support", "bob": "support", "zoë \\"z\\"": "oppose"}}' in text
    assert '"splits": []' in text  # nuclear: nobody split
