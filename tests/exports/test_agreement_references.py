"""Agreement coefficients against independent packages on many random matrices, to 1e-9.

Each reference is fed what it handles, so that like is compared with like:
- `krippendorff` and NLTK's alpha take missing values as Krippendorff (2011) does;
- irrCAC follows Gwet's Handbook for missing values (Fleiss, AC1/AC2, Brennan-Prediger); it pins
  an old SciPy, so its answers on fixed matrices are kept in tests/data/irrcac_reference.json
  (made by tests/data/make_irrcac_reference.py) rather than computed here;
- statsmodels' Fleiss kappa and NLTK's pi/S/kappa assume every coder rated every unit;
- scikit-learn's Cohen's kappa takes two complete vectors (we drop units not coded by both).
"""

from __future__ import annotations

import json
import logging
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import interval_distance, masi_distance
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss

from exports.agreement import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from tests.helpers import DATA

TOL = 1e-9
logging.getLogger("nltk").setLevel(logging.WARNING)
IRRCAC = json.loads((DATA / "irrcac_reference.json").read_text(encoding="utf-8"))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def matrices(draw, complete: bool = False, coders: tuple[int, int] = (2, 5)) -> np.ndarray:
    """Coders x units of small integer categories (1..q), NaN where missing."""
    n_coders = draw(st.integers(*coders))
    n_units = draw(st.integers(2, 25))
    q = draw(st.integers(2, 5))
    values = draw(st.lists(st.integers(1, q), min_size=n_coders * n_units, max_size=n_coders * n_units))
    data = np.array(values, dtype=np.float64).reshape(n_coders, n_units)
    if not complete:
        gaps = draw(st.lists(st.booleans(), min_size=data.size, max_size=data.size))
        data[np.array(gaps).reshape(data.shape) & (draw(st.floats(0, 0.6)) > 0.1)] = np.nan
    return data


def reference_or_none(call):
    """A reference's value, or None when it raises or answers NaN (its way of saying undefined)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = float(call())
    except (ValueError, ZeroDivisionError, FloatingPointError):
        return None
    return None if np.isnan(value) else value


def agree(ours, reference, undefined_as_one: bool = False) -> None:
    """Defined together, equal to 1e-9; where we say undefined the reference must not have a value
    (NLTK, `undefined_as_one`, answers 1.0 where chance agreement is total)."""
    if ours.value is None:
        allowed = (None, 1.0) if undefined_as_one else (None,)
        assert reference in allowed, ours.reason
    else:
        assert reference is not None
        assert ours.value == pytest.approx(reference, abs=TOL)


def triples(data: np.ndarray, convert=lambda v: v) -> list[tuple[str, str, object]]:
    return [
        (f"c{c}", f"u{u}", convert(data[c, u]))
        for c in range(data.shape[0])
        for u in range(data.shape[1])
        if not (isinstance(data[c, u], float) and np.isnan(data[c, u]))
    ]


def pairable_values(data: np.ndarray) -> bool:
    return bool(((~np.isnan(data)).sum(axis=0) >= 2).any())


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@SETTINGS
@given(data=matrices())
def test_alpha_matches_krippendorff_package(level: str, data: np.ndarray) -> None:
    reference = reference_or_none(lambda: krippendorff.alpha(data, level_of_measurement=level))
    ours = krippendorff_alpha(data, level)
    if ours.value is None and pairable_values(data):
        assert "variation" in ours.reason
        return
    agree(ours, reference)


@SETTINGS
@given(data=matrices())
def test_alpha_matches_nltk_nominal_and_interval(data: np.ndarray) -> None:
    ours = krippendorff_alpha(data, "nominal")
    if ours.value is not None:  # NLTK answers 1 where alpha is undefined
        task = AnnotationTask(triples(data))
        assert ours.value == pytest.approx(task.alpha(), abs=TOL)
    ours = krippendorff_alpha(data, "interval")
    if ours.value is not None:
        task = AnnotationTask(triples(data), distance=lambda a, b: interval_distance(a, b))
        assert ours.value == pytest.approx(task.alpha(), abs=TOL)


@SETTINGS
@given(
    sets=st.lists(
        st.lists(st.one_of(st.none(), st.frozensets(st.sampled_from("abcd"), min_size=1)), min_size=6, max_size=6),
        min_size=2,
        max_size=4,
    )
)
def test_set_valued_alpha_matches_nltk_masi(sets: list[list[frozenset[str] | None]]) -> None:
    ours = krippendorff_alpha(sets, "set")
    if ours.value is None:
        return
    data = [(f"c{c}", f"u{u}", cell) for c, row in enumerate(sets) for u, cell in enumerate(row) if cell is not None]
    assert ours.value == pytest.approx(AnnotationTask(data, distance=masi_distance).alpha(), abs=TOL)


def recorded(rows: list[list[object]]) -> np.ndarray:
    """A matrix of the irrCAC reference as irrCAC was given it: NaN where missing, or None among text."""
    text = any(isinstance(v, str) for row in rows for v in row)
    missing = None if text else np.nan
    return np.array([[missing if v is None else v for v in row] for row in rows], dtype=object if text else np.float64)


@pytest.mark.parametrize("case", IRRCAC["random"])
def test_gwet_family_matches_irrcac_with_missing_values(case: dict) -> None:
    data = recorded(case["data"])
    if not pairable_values(data):
        assert gwet_ac1(data).value is None
        return
    q = len(np.unique(data[~np.isnan(data)]))
    if q >= 2:
        agree(gwet_ac1(data), case["gwet"])
        agree(gwet_ac1(data, weights="ordinal"), case["gwet_ordinal"])
        agree(gwet_ac1(data, weights="quadratic"), case["gwet_quadratic"])
        agree(brennan_prediger(data), case["bp"])
    fleiss = fleiss_kappa(data)
    if fleiss.value is not None:
        agree(fleiss, case["fleiss"])


@SETTINGS
@given(data=matrices(complete=True, coders=(2, 6)))
def test_fleiss_matches_statsmodels_on_complete_data(data: np.ndarray) -> None:
    table, _ = aggregate_raters(data.T.astype(int))
    agree(fleiss_kappa(data), reference_or_none(lambda: sm_fleiss(table)))


@SETTINGS
@given(data=matrices(coders=(2, 2)), weights=st.sampled_from([None, "linear", "quadratic"]))
def test_cohen_kappa_matches_sklearn_on_units_coded_by_both(data: np.ndarray, weights: str | None) -> None:
    both = ~np.isnan(data).any(axis=0)
    categories = sorted(np.unique(data[~np.isnan(data)]).tolist())
    ours = cohen_kappa(data, weights=weights)
    if not both.any():
        assert ours.value is None and "both" in ours.reason
        return
    reference = reference_or_none(
        lambda: cohen_kappa_score(data[0, both], data[1, both], labels=categories, weights=weights)
    )
    agree(ours, reference)


@SETTINGS
@given(data=matrices(complete=True, coders=(2, 2)))
def test_two_coder_coefficients_match_nltk_on_complete_data(data: np.ndarray) -> None:
    task = AnnotationTask(triples(data))
    agree(percent_agreement(data), task.avg_Ao())
    ours_pi, ours_kappa = scott_pi(data), cohen_kappa(data)
    agree(ours_pi, reference_or_none(task.pi), undefined_as_one=True)
    agree(ours_kappa, reference_or_none(task.kappa), undefined_as_one=True)
    agree(brennan_prediger(data), reference_or_none(task.S), undefined_as_one=True)


@SETTINGS
@given(data=matrices(complete=True, coders=(3, 5)))
def test_percent_agreement_matches_nltk_average_pairwise(data: np.ndarray) -> None:
    task = AnnotationTask(triples(data))
    assert percent_agreement(data).value == pytest.approx(task.avg_Ao(), abs=TOL)


@SETTINGS
@given(data=matrices(complete=True, coders=(2, 4)))
def test_text_values_give_the_same_nominal_coefficients(data: np.ndarray) -> None:
    words = np.array(["", "alpha", "bravo", "charlie", "delta", "echo"], dtype=object)
    text = words[data.astype(int)]
    for function in (percent_agreement, fleiss_kappa, gwet_ac1, brennan_prediger, krippendorff_alpha):
        assert function(text) == function(data)


@pytest.mark.parametrize("dataset", sorted(IRRCAC["datasets"]))
def test_irrcac_bundled_datasets(dataset: str) -> None:
    reference = IRRCAC["datasets"][dataset]
    data = recorded(reference["ratings"])  # rows coders, columns units
    assert gwet_ac1(data).value == pytest.approx(reference["gwet"], abs=TOL)
    assert fleiss_kappa(data).value == pytest.approx(reference["fleiss"], abs=TOL)
    assert brennan_prediger(data).value == pytest.approx(reference["bp"], abs=TOL)
    assert krippendorff_alpha(data).value == pytest.approx(reference["krippendorff"], abs=TOL)
    assert percent_agreement(data).value == pytest.approx(reference["pa"], abs=TOL)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_bootstrap_matches_a_plain_resampling_of_units(level: str) -> None:
    """The pattern-multinomial bootstrap is the same resampling as drawing units one by one."""
    from exports.alpha import alpha_interval

    rng = np.random.default_rng(11)
    truth = rng.integers(1, 5, 300)
    data = np.where(rng.random((4, 300)) < 0.8, truth, rng.integers(1, 5, (4, 300))).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    plain = []
    for _ in range(800):
        sample = data[:, rng.integers(0, 300, 300)]
        plain.append(krippendorff.alpha(sample, level_of_measurement=level))
    ours = alpha_interval(data, level, replicates=4000, seed=3)
    low, high = np.percentile(plain, [2.5, 97.5])
    assert ours.low == pytest.approx(low, abs=0.015)
    assert ours.high == pytest.approx(high, abs=0.015)
