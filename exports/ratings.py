"""Reliability data as the agreement coefficients see it: coders x units, values coded as integers.

Every coefficient in `exports.agreement` and `exports.alpha` starts from a `Ratings`: the
researcher's matrix (rows coders, columns units, `None`/`NaN` missing, values any hashable)
turned once into integer category codes, so that the arithmetic after it is NumPy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from numbers import Number

import numpy as np
from numpy.typing import NDArray

MISSING = -1
"""The code of a missing value in `Ratings.codes`."""


@dataclass(frozen=True)
class Coefficient:
    """An agreement coefficient: a value, or None with the reason it is undefined for this data."""

    value: float | None
    """The coefficient, or None when the data cannot define it."""
    reason: str | None = None
    """Why `value` is None, in words a researcher understands."""

    @classmethod
    def undefined(cls, reason: str) -> Coefficient:
        return cls(None, reason)

    @classmethod
    def of(cls, value: float) -> Coefficient:
        return cls(float(value), None)


@dataclass(frozen=True)
class Ratings:
    """A coders x units matrix of category codes (`MISSING` where a coder gave no value)."""

    codes: NDArray[np.int64]
    """int64 array, rows coders, columns units."""
    categories: tuple[object, ...]
    """The category of each code, in order (declared order, else sorted observed values)."""

    @classmethod
    def of(cls, data: object, categories: Sequence[object] | None = None) -> Ratings:
        """Read `data` (array-like, rows coders, columns units; None/NaN missing).

        Args:
            data: the reliability data, or a `Ratings` already read (returned as is when
                `categories` is None or equal to its own).
            categories: the category set in its order; default the observed values, sorted
                when they can be (numbers numerically, text alphabetically).

        Raises:
            ValueError: the data is not two-dimensional, or holds a value outside `categories`.
        """
        if isinstance(data, Ratings):
            if categories is None or tuple(categories) == data.categories:
                return data
            return data.recoded(categories)
        array = np.asarray(data, dtype=object) if not isinstance(data, np.ndarray) else data
        if array.ndim != 2:
            raise ValueError(
                f"reliability data must be two-dimensional (rows coders, columns units), not {array.ndim}-dimensional"
            )
        import pandas as pd  # here, not above: a report builds its Ratings from integers and never loads pandas

        flat = array.ravel()
        if flat.dtype.kind in "biuf":
            flat = flat.astype(np.float64)
        codes, uniques = pd.factorize(flat, use_na_sentinel=True)
        observed = list(uniques)
        if categories is None:
            order = _sorted_if_possible(observed)
        else:
            order = list(dict.fromkeys(categories))
            position = {value: i for i, value in enumerate(order)}
            outside = [value for value in observed if value not in position]
            if outside:
                shown = ", ".join(repr(_plain(v)) for v in outside[:5])
                raise ValueError(f"values outside the declared categories: {shown}")
        position = {value: i for i, value in enumerate(order)}
        recode = np.array([position[value] for value in observed] + [MISSING], dtype=np.int64)
        codes = recode[codes].reshape(array.shape)  # the -1 sentinel picks the trailing MISSING
        return cls(codes, tuple(_plain(value) for value in order))

    def recoded(self, categories: Sequence[object]) -> Ratings:
        """The same ratings over a declared category set (a superset of the observed one)."""
        order = list(dict.fromkeys(categories))
        position = {value: i for i, value in enumerate(order)}
        used = np.unique(self.codes[self.codes != MISSING])
        outside = [self.categories[i] for i in used if self.categories[i] not in position]
        if outside:
            raise ValueError(f"values outside the declared categories: {', '.join(map(repr, outside[:5]))}")
        recode = np.array([position.get(value, MISSING) for value in self.categories] + [MISSING], dtype=np.int64)
        return Ratings(recode[self.codes], tuple(order))

    @property
    def coders(self) -> int:
        return int(self.codes.shape[0])

    @property
    def units(self) -> int:
        return int(self.codes.shape[1])

    def rows(self, *indices: int) -> Ratings:
        """The ratings of some coders only (for pairwise coefficients)."""
        return Ratings(self.codes[list(indices)], self.categories)

    @cached_property
    def counts(self) -> NDArray[np.float64]:
        """Units x categories: how many coders gave each category to each unit (computed once)."""
        q = len(self.categories)
        unit = np.broadcast_to(np.arange(self.units), self.codes.shape)
        present = self.codes != MISSING
        flat = unit[present] * q + self.codes[present]
        return np.bincount(flat, minlength=self.units * q).reshape(self.units, q).astype(np.float64)

    def numeric_categories(self) -> NDArray[np.float64] | None:
        """The categories as floats, or None when one of them is not a number."""
        if all(isinstance(c, Number) and not isinstance(c, complex) for c in self.categories):
            return np.array(self.categories, dtype=np.float64)
        return None


def _sorted_if_possible(values: list[object]) -> list[object]:
    try:
        return sorted(values)  # type: ignore[type-var]
    except TypeError:
        return values  # mixed or unordered values (sets): first-seen order


def _plain(value: object) -> object:
    """NumPy scalars as Python ones, so that reports and JSON show 1 and 'a', not np.float64(1.0)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def two_coders(ratings: Ratings, name: str) -> tuple[NDArray[np.int64], NDArray[np.int64]] | Coefficient:
    """The two rows of a two-coder coefficient over units coded by both, or why there are none."""
    if ratings.coders != 2:
        return Coefficient.undefined(
            f"{name} compares exactly two coders; this data has {ratings.coders} "
            "(use Fleiss' kappa or Krippendorff's alpha for more)"
        )
    both = (ratings.codes != MISSING).all(axis=0)
    if not both.any():
        return Coefficient.undefined("no unit was coded by both coders")
    return ratings.codes[0, both], ratings.codes[1, both]
