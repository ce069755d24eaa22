"""Krippendorff's alpha at every level of measurement, and a bootstrap interval for it.

Follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": values are
pairable only within units that at least two coders valued, each unit's m_u values enter
the coincidence matrix o_ck = Σ_u (n_uc n_uk - [c=k] n_uc) / (m_u - 1), and

    alpha = 1 - (n - 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck

with n_c the margins of o and n their sum. Units with one value drop out; nothing is imputed.
The `set` level takes set-valued codings (several labels per unit) with the MASI distance of
Passonneau (2006) as δ², as NLTK does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from exports.ratings import Coefficient, Ratings

LEVELS = ("nominal", "ordinal", "interval", "ratio", "set")

NO_PAIRABLE = "no unit was coded by at least two coders, so no values are pairable"
NO_VARIATION = (
    "all pairable values are the same, so disagreement cannot be compared with chance "
    "(no variation)"
)


@dataclass(frozen=True)
class Interval:
    """A bootstrap confidence interval, or None bounds with the reason."""

    low: float | None
    high: float | None
    reason: str | None = None
    samples: int = 0
    """Bootstrap replicates on which alpha was defined."""


def masi_distance(first: frozenset[object], second: frozenset[object]) -> float:
    """MASI distance between two label sets (Passonneau 2006): 1 - Jaccard x monotonicity."""
    if not first and not second:
        return 0.0
    common = len(first & second)
    if first == second:
        monotonicity = 1.0
    elif common == min(len(first), len(second)):
        monotonicity = 2 / 3
    elif common > 0:
        monotonicity = 1 / 3
    else:
        monotonicity = 0.0
    return 1 - common / len(first | second) * monotonicity


def set_ratings(data: Iterable[Iterable[Iterable[object] | None]]) -> Ratings:
    """Read set-valued data: each cell a set (list, tuple...) of labels, or None when missing."""
    rows = [[None if cell is None else frozenset(cell) for cell in row] for row in data]
    array = np.empty((len(rows), len(rows[0]) if rows else 0), dtype=object)
    for i, row in enumerate(rows):
        array[i, :] = np.array([*row, None], dtype=object)[:-1]  # keep sets as objects
    return Ratings.of(array)


def _distances(level: str, ratings: Ratings, margins: NDArray[np.float64]) -> NDArray[np.float64]:
    """δ²_ck for the level (Krippendorff 2011, §E); the ordinal one depends on the margins n_c."""
    q = len(ratings.categories)
    if level == "nominal":
        return 1 - np.eye(q)
    if level == "ordinal":
        return _ordinal_distances(margins)
    if level == "set":
        cats = ratings.categories
        # At the set level the categories are the frozensets that set_ratings made.
        return np.array([[masi_distance(a, b) for b in cats] for a in cats])  # type: ignore[arg-type]
    values = ratings.numeric_categories()
    assert values is not None
    diff: NDArray[np.float64] = values[:, None] - values[None, :]
    if level == "interval":
        return diff**2
    total: NDArray[np.float64] = values[:, None] + values[None, :]
    ratio: NDArray[np.float64] = np.divide(diff, total, out=np.zeros_like(diff), where=total != 0)
    return ratio**2


def _ordinal_distances(margins: NDArray[np.float64]) -> NDArray[np.float64]:
    """(Σ_{g=c..k} n_g - (n_c + n_k)/2)², for one set of margins (q,) or a stack (B, q)."""
    cumulative = np.cumsum(margins, axis=-1)
    q = margins.shape[-1]
    low = np.minimum.outer(np.arange(q), np.arange(q))
    high = np.maximum.outer(np.arange(q), np.arange(q))
    before = np.concatenate([np.zeros_like(cumulative[..., :1]), cumulative], axis=-1)
    between = before[..., high + 1] - before[..., low]
    distances: NDArray[np.float64] = (between - (margins[..., :, None] + margins[..., None, :]) / 2) ** 2
    return distances


def _prepared(data: object, level: str, categories: Sequence[object] | None) -> Ratings | str:
    """The ratings for `level`, or why the data cannot be read at it."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    if level == "set" and not isinstance(data, Ratings):
        return set_ratings(data)  # type: ignore[arg-type]  # the public functions take any array-like `data`
    ratings = Ratings.of(data, categories)
    if level in ("interval", "ratio") and ratings.numeric_categories() is None:
        return f"{level} alpha needs numeric values"
    ordered = categories is not None or isinstance(data, Ratings)  # a Ratings carries its order
    if level == "ordinal" and not ordered and ratings.numeric_categories() is None:
        return "ordinal alpha needs the order of the values: pass categories= in order"
    if level == "ratio" and (v := ratings.numeric_categories()) is not None and (v < 0).any():
        return "ratio alpha needs values of zero or more"
    return ratings


def _pairable_counts(ratings: Ratings) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    counts = ratings.counts
    values = counts[:, 0].copy() if counts.shape[1] else np.zeros(len(counts))
    for column in range(1, counts.shape[1]):  # whole numbers: the same sums as sum(axis=1), faster
        values += counts[:, column]
    keep = values >= 2
    if keep.all():  # a report passes only pairable units: no copy
        return counts, values
    return counts[keep], values[keep]


def krippendorff_alpha(data: object, level: str = "nominal", categories: Sequence[object] | None = None) -> Coefficient:
    """Krippendorff's alpha (Krippendorff 2011) with missing values handled by pairability.

    Args:
        data: rows coders, columns units, None/NaN missing; for `level="set"` each cell is a
            set of labels (MASI distance).
        level: nominal, ordinal, interval, ratio or set.
        categories: the values in order (needed for ordinal text values such as levels).
    """
    ratings = _prepared(data, level, categories)
    if isinstance(ratings, str):
        return Coefficient.undefined(ratings)
    counts, values = _pairable_counts(ratings)
    if len(values) == 0:
        return Coefficient.undefined(NO_PAIRABLE)
    scaled = counts / (values - 1)[:, None]
    coincidences = counts.T @ scaled
    coincidences -= np.diag(scaled.sum(axis=0))
    value = alpha_of_coincidences(coincidences[None], level, ratings)[0]
    return Coefficient.undefined(NO_VARIATION) if np.isnan(value) else Coefficient.of(value)


def alpha_of_coincidences(coincidences: NDArray[np.float64], level: str, ratings: Ratings) -> NDArray[np.float64]:
    """Alpha of each coincidence matrix in a stack (B, q, q): NaN where there is no variation.

    The one place the formula lives: `krippendorff_alpha` passes a stack of one, and the drift
    view (exports/drift.py) one matrix per coder and window, so that thousands of windows cost
    one NumPy expression. `ratings` gives the categories the distances need.
    """
    margins = coincidences.sum(axis=1)
    total = margins.sum(axis=1)
    if not len(total):
        return np.empty(0)
    if level == "ordinal":  # the distances depend on each matrix's margins
        distance = _ordinal_distances(margins)
        expected = np.einsum("bi,bij,bj->b", margins, distance, margins)
        largest = distance.max(axis=(1, 2)) if distance.size else np.zeros(len(total))
        observed = (coincidences * distance).sum(axis=(1, 2))
    else:  # one distance matrix for all: matrix products, fast for thousands of small matrices
        fixed = _distances(level, ratings, margins[0])
        expected = ((margins @ fixed) * margins).sum(axis=1)
        largest = np.full(len(total), float(fixed.max()) if fixed.size else 0.0)
        observed = coincidences.reshape(len(total), -1) @ fixed.ravel()
    defined = expected > 1e-12 * np.maximum(total**2, 1.0) * np.maximum(largest, 1e-300)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1 - (total - 1) * observed / expected
    return np.where(defined, alpha, np.nan)


def alpha_interval(
    data: object,
    level: str = "nominal",
    categories: Sequence[object] | None = None,
    replicates: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> Interval:
    """Percentile bootstrap interval for alpha: units resampled with replacement, seeded.

    Units with fewer than two values carry no pairable values, so the pairable units are
    resampled. Each replicate recomputes alpha in full (for ordinal data the distances too).
    Identical units are grouped and drawn by a multinomial, which is the same resampling but
    costs per distinct unit pattern, not per unit: no loop over units.
    """
    ratings = _prepared(data, level, categories)
    if isinstance(ratings, str):
        return Interval(None, None, ratings)
    counts, values = _pairable_counts(ratings)
    units = len(values)
    if units < 2:
        return Interval(None, None, "a bootstrap interval needs at least two units coded by two or more coders")
    patterns, frequency = _patterns(counts)
    m = patterns.sum(axis=1)
    q = patterns.shape[1]
    # Each pattern's contribution to the coincidence matrix (Krippendorff 2011, §C).
    per_pattern = (patterns[:, :, None] * patterns[:, None, :] - patterns[:, :, None] * np.eye(q)) / (m - 1)[:, None, None]
    rng = np.random.default_rng(seed)
    fixed = None if level == "ordinal" else _distances(level, ratings, per_pattern.sum(axis=(0, 1)))
    pattern_margins = per_pattern.sum(axis=2)
    if fixed is not None:
        observed_per_pattern = (per_pattern * fixed).sum(axis=(1, 2))
    alphas: list[NDArray[np.float64]] = []
    block = max(1, min(replicates, 5_000_000 // max(len(patterns) * (q * q if fixed is None else q), 1)))
    done = 0
    while done < replicates:
        size = min(block, replicates - done)
        draws = rng.multinomial(units, frequency / units, size=size).astype(np.float64)
        margins = draws @ pattern_margins
        if fixed is None:
            distance = _ordinal_distances(margins)
            coincidences = (draws @ per_pattern.reshape(len(patterns), -1)).reshape(size, q, q)
            observed = (coincidences * distance).sum(axis=(1, 2))
            expected = np.einsum("bi,bij,bj->b", margins, distance, margins)
        else:
            observed = draws @ observed_per_pattern
            expected = np.einsum("bi,ij,bj->b", margins, fixed, margins)
        total = margins.sum(axis=1)
        defined = expected > 1e-12 * total**2 * max(float(np.max(fixed) if fixed is not None else 1.0), 1e-300)
        alphas.append(1 - (total[defined] - 1) * observed[defined] / expected[defined])
        done += size
    result = np.concatenate(alphas)
    if len(result) < replicates / 2:
        return Interval(None, None, "alpha was undefined (no variation) in most bootstrap samples", len(result))
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(result, [tail, 100 - tail])
    return Interval(float(low), float(high), None, len(result))



def _patterns(counts: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """The distinct rows of a units x categories count matrix and how often each occurs.

    Rows are read as numbers in base (largest count + 1) when that fits in 63 bits, which makes
    this a one-dimensional unique: many times faster than a row-wise one at 100,000 units.
    """
    base = int(counts.max()) + 1 if counts.size else 1
    q = counts.shape[1]
    if q * np.log2(max(base, 2)) < 62:
        weights = base ** np.arange(q, dtype=np.int64)
        _, first, frequency = np.unique(counts.astype(np.int64) @ weights, return_index=True, return_counts=True)
        return counts[first], frequency
    return np.unique(counts, axis=0, return_counts=True)
