"""Inter-coder agreement coefficients: pure functions over a coders x units matrix.

`data` is 2-D array-like: rows coders, columns units, `None`/`NaN` missing (the convention of
the `krippendorff` package); nominal values may be any hashable (strings, numbers). Each
function returns a `Coefficient(value, reason)`; `value` is None, with `reason` in words,
when the data cannot define the coefficient. No loop over units: the work is NumPy.

Missing data and unequal numbers of coders per unit follow Gwet, *Handbook of Inter-Rater
Reliability* (4th ed., 2014, ch. 2-4): the observed agreement averages over units rated by at
least two coders, the category shares over units rated by at least one. With every coder on
every unit these reduce to the classical formulas (Fleiss 1971, Brennan and Prediger 1981,
Gwet 2008). Krippendorff's alpha lives in `exports.alpha` and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from exports.alpha import alpha_interval, krippendorff_alpha
from exports.ratings import MISSING, Coefficient, Ratings, two_coders

__all__ = [
    "Coefficient",
    "Ratings",
    "alpha_interval",
    "brennan_prediger",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "gwet_ac2",
    "krippendorff_alpha",
    "percent_agreement",
    "scott_pi",
    "weight_matrix",
]

NO_PAIR = "no unit was coded by at least two coders"
NO_VARIATION = (
    "chance agreement is total: every value falls in one category, so agreement "
    "beyond chance cannot be measured (no variation)"
)
_TOLERANCE = 1e-12


def weight_matrix(q: int, weights: str = "identity", scores: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
    """Agreement weights between q ordered categories (1 on the diagonal), Gwet (2014, §3.5).

    `identity` (nominal); `linear` 1 - |x_k - x_l| / (x_max - x_min) and `quadratic`
    1 - (x_k - x_l)² / (x_max - x_min)² over the category scores x (their values when numeric,
    else their ranks); `ordinal` 1 - C(|k-l|+1, 2) / max C over ranks, the weights of AC2.
    """
    ranks = np.arange(q, dtype=np.float64)
    x = ranks if scores is None else np.asarray(scores, dtype=np.float64)
    if weights == "identity" or q < 2:
        return np.eye(q)
    if weights in ("linear", "quadratic"):
        power = 1 if weights == "linear" else 2
        distance: NDArray[np.float64] = np.abs(x[:, None] - x[None, :])
        return 1 - distance**power / float((x.max() - x.min()) ** power)
    if weights == "ordinal":
        gap: NDArray[np.float64] = np.abs(ranks[:, None] - ranks[None, :])
        pairs = (gap + 1) * gap / 2
        return 1 - pairs / float(pairs.max())
    raise ValueError(f"unknown weights {weights!r}: use identity, linear, quadratic or ordinal")


GwetParts = tuple[float, NDArray[np.float64]] | Coefficient
"""Observed agreement p_a and category shares π_k, or why the data has none."""


def _gwet_parts(ratings: Ratings, weights: NDArray[np.float64]) -> GwetParts:
    """Observed (weighted) agreement p_a and category shares π_k, Gwet (2014) eq. 2.8-2.9.

    Kept on the `Ratings` (per weight matrix): a report asks for Fleiss, AC1 and percent
    agreement of the same ratings, and they share these parts.
    """
    cache: dict[bytes, GwetParts] = ratings.__dict__.setdefault("_gwet_parts", {})  # a frozen dataclass still has a __dict__
    key = weights.tobytes()
    if key not in cache:
        cache[key] = _compute_gwet_parts(ratings, weights)
    return cache[key]


def _compute_gwet_parts(ratings: Ratings, weights: NDArray[np.float64]) -> GwetParts:
    counts = ratings.counts
    raters = _row_sums(counts)
    rated = raters >= 1
    paired = raters >= 2
    if not paired.any():
        return Coefficient.undefined(NO_PAIR)
    # A report passes units that two or more coders valued: no copy when every unit is kept.
    n2, r2 = (counts, raters) if paired.all() else (counts[paired], raters[paired])
    if np.array_equal(weights, np.eye(len(weights))):
        agreeing = _row_sums(n2 * (n2 - 1))  # n2 @ I is n2 exactly
    else:
        agreeing = (n2 * (n2 @ weights.T - 1)).sum(axis=1)
    p_a = float(np.mean(agreeing / (r2 * (r2 - 1))))
    n1, r1 = (counts, raters) if rated.all() else (counts[rated], raters[rated])
    shares = (n1 / r1[:, None]).mean(axis=0)
    return p_a, shares


def _row_sums(counts: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each row's sum, column by column: the counts are whole numbers, so any order of adding
    gives the same floats as `sum(axis=1)`, which is several times slower on a few columns."""
    total = counts[:, 0].copy() if counts.shape[1] else np.zeros(len(counts))
    for column in range(1, counts.shape[1]):
        total += counts[:, column]
    return total


def _chance_corrected(p_a: float, p_e: float) -> Coefficient:
    if 1 - p_e <= _TOLERANCE:
        return Coefficient.undefined(NO_VARIATION)
    return Coefficient.of((p_a - p_e) / (1 - p_e))


def percent_agreement(data: object, categories: Sequence[object] | None = None) -> Coefficient:
    """Share of agreeing pairs of coders per unit, averaged over units with two or more coders.

    With two coders: the share of units coded by both on which they agree. For more coders and
    missing values, Gwet's (2014, eq. 2.8) p_a.
    """
    ratings = Ratings.of(data, categories)
    parts = _gwet_parts(ratings, np.eye(len(ratings.categories)))
    return parts if isinstance(parts, Coefficient) else Coefficient.of(parts[0])


def fleiss_kappa(data: object, categories: Sequence[object] | None = None) -> Coefficient:
    """Fleiss' kappa (Fleiss 1971); with missing values Gwet's generalisation (2014, §2.3).

    p_a averages over units with two or more coders; π_k = mean over units with one or more of
    n_uk / n_u; p_e = Σ π_k². With every coder on every unit this is Fleiss (1971) exactly.
    """
    ratings = Ratings.of(data, categories)
    parts = _gwet_parts(ratings, np.eye(len(ratings.categories)))
    if isinstance(parts, Coefficient):
        return parts
    p_a, shares = parts
    return _chance_corrected(p_a, float(shares @ shares))


def gwet_ac1(data: object, categories: Sequence[object] | None = None, weights: str = "identity") -> Coefficient:
    """Gwet's AC1 (Gwet 2008), or AC2 with `weights` (Gwet 2014, §3.5), missing values as Gwet (2014).

    p_e = T_w / (q (q - 1)) Σ π_k (1 - π_k), with q the number of categories (declare them with
    `categories`: a category nobody used still counts) and T_w the sum of the weights.
    """
    ratings = Ratings.of(data, categories)
    q = len(ratings.categories)
    if q < 2:
        return Coefficient.undefined(
            "Gwet's AC1 needs at least two categories; declare the possible values with categories="
        )
    w = weight_matrix(q, weights, ratings.numeric_categories())
    parts = _gwet_parts(ratings, w)
    if isinstance(parts, Coefficient):
        return parts
    p_a, shares = parts
    p_e = w.sum() / (q * (q - 1)) * float(shares @ (1 - shares))
    return _chance_corrected(p_a, p_e)


def gwet_ac2(data: object, categories: Sequence[object] | None = None, weights: str = "ordinal") -> Coefficient:
    """Gwet's AC2: AC1 with agreement weights for ordered categories (default Gwet's ordinal weights)."""
    return gwet_ac1(data, categories, weights)


def brennan_prediger(data: object, categories: Sequence[object] | None = None) -> Coefficient:
    """Brennan and Prediger's (1981) coefficient: chance agreement 1/q over q categories.

    Observed agreement as Gwet (2014) for missing values; q is the number of declared
    `categories` (default: the values observed).
    """
    ratings = Ratings.of(data, categories)
    q = len(ratings.categories)
    parts = _gwet_parts(ratings, np.eye(q))
    if isinstance(parts, Coefficient):
        return parts
    return _chance_corrected(parts[0], 1 / q)


def cohen_kappa(data: object, categories: Sequence[object] | None = None, weights: str | None = None) -> Coefficient:
    """Cohen's kappa (Cohen 1960) for two coders over the units both coded.

    `weights="linear"` or `"quadratic"` gives weighted kappa (Cohen 1968) over the categories
    in order; the disagreement weights are |k-l| and (k-l)² as in scikit-learn.
    """
    ratings = Ratings.of(data, categories)
    pair = two_coders(ratings, "Cohen's kappa")
    if isinstance(pair, Coefficient):
        return pair
    first, second = pair
    q = len(ratings.categories)
    table = np.bincount(first * q + second, minlength=q * q).reshape(q, q).astype(np.float64)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    k = np.arange(q)
    if weights is None:
        disagreement = 1 - np.eye(q)
    elif weights == "linear":
        disagreement = np.abs(k[:, None] - k[None, :]).astype(np.float64)
    elif weights == "quadratic":
        disagreement = ((k[:, None] - k[None, :]) ** 2).astype(np.float64)
    else:
        raise ValueError(f"unknown weights {weights!r}: use None, 'linear' or 'quadratic'")
    chance = float((disagreement * expected).sum())
    if chance <= _TOLERANCE * table.sum():
        return Coefficient.undefined(
            "both coders used one and the same category throughout, so agreement beyond chance "
            "cannot be measured (no variation)"
        )
    return Coefficient.of(1 - float((disagreement * table).sum()) / chance)


def scott_pi(data: object, categories: Sequence[object] | None = None) -> Coefficient:
    """Scott's pi (Scott 1955) for two coders over the units both coded.

    Chance agreement from the pooled shares of both coders; for more coders use Fleiss' kappa,
    its generalisation.
    """
    ratings = Ratings.of(data, categories)
    pair = two_coders(ratings, "Scott's pi")
    if isinstance(pair, Coefficient):
        return pair
    first, second = pair
    q = len(ratings.categories)
    p_o = float(np.mean(first == second))
    pooled = np.bincount(np.concatenate([first, second]), minlength=q) / (2 * len(first))
    return _chance_corrected(p_o, float(pooled @ pooled))


def pairable(data: object) -> int:
    """Number of units with values from at least two coders."""
    ratings = Ratings.of(data)
    return int(((ratings.codes != MISSING).sum(axis=0) >= 2).sum())
