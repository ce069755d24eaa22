"""Agreement coefficients against published worked examples, to every printed digit."""

from __future__ import annotations

import math

import numpy as np
import pytest

from exports.agreement import (
    alpha_interval,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)

nan = math.nan

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
# 12 units, missing values; the same data is Gwet's (2014) raw_4raters.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]

# Fleiss (1971): 6 psychiatrists diagnose 30 patients into 5 categories (R irr's `diagnoses`).
FLEISS_1971 = np.array(
    [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ]
).T  # rows coders, columns units

# Wikipedia, "Fleiss' kappa", worked example: 14 raters, 10 subjects, counts per category.
FLEISS_WIKIPEDIA_COUNTS = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]


def from_counts(counts: list[list[int]]) -> np.ndarray:
    """Raw ratings (raters x subjects) from a subjects x categories count table."""
    return np.array([np.repeat(np.arange(1, len(row) + 1), row) for row in counts]).T


def two_by_two(yes_yes: int, yes_no: int, no_yes: int, no_no: int) -> list[list[str]]:
    """Two coders' yes/no ratings from the cells of a 2 x 2 table."""
    first = ["yes"] * (yes_yes + yes_no) + ["no"] * (no_yes + no_no)
    second = ["yes"] * yes_yes + ["no"] * yes_no + ["yes"] * no_yes + ["no"] * no_no
    return [first, second]


@pytest.mark.parametrize(
    ("level", "printed"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_all_levels(level: str, printed: float) -> None:
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level).value, 3) == printed


def test_krippendorff_2011_ordinal_with_named_levels_in_order() -> None:
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    data = [[None if math.isnan(v) else names[v] for v in row] for row in KRIPPENDORFF_2011]
    order = list(names.values())
    assert round(krippendorff_alpha(data, "ordinal", categories=order).value, 3) == 0.815
    assert round(krippendorff_alpha(data, "nominal").value, 3) == 0.743
    unordered = krippendorff_alpha(data, "ordinal")
    assert unordered.value is None and "order" in unordered.reason


def test_gwet_handbook_raw_4raters() -> None:
    # Gwet (2014) dataset as printed by irrCAC: AC1 0.77544 (pa 0.81818), Fleiss 0.76117.
    assert round(gwet_ac1(KRIPPENDORFF_2011).value, 5) == 0.77544
    assert round(percent_agreement(KRIPPENDORFF_2011).value, 5) == 0.81818
    assert round(fleiss_kappa(KRIPPENDORFF_2011).value, 5) == 0.76117
    # Brennan-Prediger: (pa - 1/5) / (1 - 1/5) with pa = 9/11.
    assert brennan_prediger(KRIPPENDORFF_2011).value == pytest.approx((9 / 11 - 0.2) / 0.8, abs=1e-12)


def test_fleiss_1971() -> None:
    assert round(fleiss_kappa(FLEISS_1971).value, 3) == 0.430
    assert round(fleiss_kappa(FLEISS_1971).value, 7) == 0.4302445  # R irr kappam.fleiss


def test_fleiss_wikipedia_example() -> None:
    assert round(fleiss_kappa(from_counts(FLEISS_WIKIPEDIA_COUNTS)).value, 3) == 0.210


@pytest.mark.parametrize(
    ("cells", "printed"),
    [
        ((20, 5, 10, 15), 0.4),  # Wikipedia "Cohen's kappa": 50 grant proposals
        ((45, 15, 25, 15), 0.1304),  # "same percentage, different kappas", first table
        ((25, 35, 5, 35), 0.2593),  # second table
    ],
)
def test_cohen_kappa_textbook(cells: tuple[int, int, int, int], printed: float) -> None:
    data = two_by_two(*cells)
    digits = len(str(printed).split(".")[1])
    assert round(cohen_kappa(data).value, digits) == printed


def test_scott_pi_grant_example() -> None:
    # p_o = 0.7; pooled shares yes (25+30)/100, no 45/100: p_e = 0.505; pi = 0.195/0.495.
    assert scott_pi(two_by_two(20, 5, 10, 15)).value == pytest.approx(0.195 / 0.495, abs=1e-12)


def test_mixed_missing_markers_and_text_values() -> None:
    data = [["a", "b", None, "a"], ["a", "b", float("nan"), "b"]]
    assert percent_agreement(data).value == pytest.approx(2 / 3)
    assert cohen_kappa(data).value == cohen_kappa([["a", "b", "a"], ["a", "b", "b"]]).value


@pytest.mark.parametrize(
    "function",
    [percent_agreement, cohen_kappa, fleiss_kappa, scott_pi, brennan_prediger, gwet_ac1, krippendorff_alpha],
)
def test_no_unit_with_two_coders_is_undefined_with_reason(function) -> None:
    result = function([[1, None, None], [None, 2, None]])
    assert result.value is None
    assert "two coders" in result.reason or "both coders" in result.reason


@pytest.mark.parametrize("function", [cohen_kappa, fleiss_kappa, scott_pi, krippendorff_alpha])
def test_no_variation_is_undefined_not_nan(function) -> None:
    result = function([[1, 1, 1], [1, 1, 1]])
    assert result.value is None
    assert "variation" in result.reason


def test_declared_categories_define_ac1_and_brennan_prediger_without_variation() -> None:
    data = [[0, 0, 0], [0, 0, 0]]
    assert gwet_ac1(data).value is None
    assert gwet_ac1(data, categories=[0, 1]).value == 1.0
    assert brennan_prediger(data, categories=[0, 1]).value == 1.0


def test_two_coder_coefficients_refuse_three_coders_in_words() -> None:
    result = cohen_kappa([[1, 2], [1, 2], [1, 1]])
    assert result.value is None and "exactly two coders" in result.reason


def test_set_valued_alpha_with_masi() -> None:
    # Identical label sets on every unit: perfect; a subset counts as partial agreement.
    same = [[{"a"}, {"a", "b"}, {"c"}], [{"a"}, {"a", "b"}, {"c"}]]
    assert krippendorff_alpha(same, "set").value == 1.0
    partial = [[{"a"}, {"a", "b"}, {"c"}], [{"a"}, {"a"}, {"c"}]]
    disjoint = [[{"a"}, {"a", "b"}, {"c"}], [{"a"}, {"c"}, {"c"}]]
    assert krippendorff_alpha(partial, "set").value > krippendorff_alpha(disjoint, "set").value


def test_bootstrap_interval_is_seeded_and_brackets_alpha() -> None:
    first = alpha_interval(KRIPPENDORFF_2011, "interval", replicates=500, seed=7)
    again = alpha_interval(KRIPPENDORFF_2011, "interval", replicates=500, seed=7)
    other = alpha_interval(KRIPPENDORFF_2011, "interval", replicates=500, seed=8)
    assert first == again
    assert first != other
    assert first.low < 0.849 < first.high <= 1.0


def test_bootstrap_interval_narrows_with_more_units() -> None:
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 2000)
    noisy = np.where(rng.random(2000) < 0.9, truth, 1 - truth)
    small = alpha_interval(np.array([truth[:100], noisy[:100]]), seed=1)
    large = alpha_interval(np.array([truth, noisy]), seed=1)
    assert large.high - large.low < (small.high - small.low) / 2


@pytest.mark.parametrize(
    "data",
    [np.zeros((0, 0)), np.zeros((2, 0)), [[1, 2, 3]], [[None, None], [None, None]], np.zeros((0, 4))],
    ids=["nothing", "no units", "one coder", "all missing", "no coders"],
)
@pytest.mark.parametrize(
    "function",
    [percent_agreement, cohen_kappa, fleiss_kappa, scott_pi, brennan_prediger, gwet_ac1, krippendorff_alpha],
)
def test_degenerate_shapes_are_undefined_never_an_error(function, data) -> None:
    result = function(data)
    assert result.value is None and result.reason
    assert alpha_interval(data).low is None
