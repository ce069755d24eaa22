"""The verdict on a code's reliability, read off the lower end of alpha's bootstrap interval.

Krippendorff (2004, p. 241) relies on variables with alpha >= 0.800 and draws tentative
conclusions only from those with alpha >= 0.667. A point estimate from a small sample can clear
a bar by chance, so the bar is applied to the lower end of alpha's 95 % bootstrap interval: the
data must make it unlikely that alpha falls below the bar (Hayes and Krippendorff 2007 report
this as the probability q of failing to reach alpha_min). When the interval reaches below 0.667
while the estimate does not, or there is no interval, the verdict is `inconclusive` and says
that the sample is too small to tell.

Apart from the verdict, a code with fewer units than Krippendorff's minimum sample gets a
warning. The minimum is the number of units that shows alpha >= 0.800 at p = 0.05 when the k
values of the code are equally frequent (each with probability 1/k: 2 for a code, the levels
for a variable), the most favourable case, from Bloch and Kraemer's (1989, eq. 3.7) formula
that Krippendorff (2004, ch. 11) tabulates:

    N = 2 z^2 [ (1 + a)(3 - a) / (4 (1 - a) P (1 - P)) - a ],  a = 0.800, z = 1.645, P = 1/k

103 units for a code, 117 for a variable of three levels. Rarer values need more units; the
minimum is where a warning starts, not where trust does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from exports.alpha import Interval
from exports.ratings import Coefficient

RELIABLE = 0.800
TENTATIVE = 0.667
Z_ONE_TAILED_05 = 1.6449
"""z for a one-tailed p of 0.05: the bar is a lower bound."""
NO_BOOTSTRAP = "no bootstrap asked for"
"""The interval's reason when the report was made without a bootstrap."""
VERDICTS = ("reliable", "tentative", "inconclusive", "unreliable", "undefined")


@dataclass(frozen=True)
class Verdict:
    """A code's verdict and, when the estimate alone would say otherwise, why."""

    word: str
    """One of VERDICTS."""
    reason: str | None = None


def minimum_units(categories: int, alpha_min: float = RELIABLE, z: float = Z_ONE_TAILED_05) -> int:
    """Units needed to show alpha >= alpha_min at p = .05 with `categories` equally frequent values
    (Bloch and Kraemer 1989, eq. 3.7, as Krippendorff 2004 tabulates it)."""
    share = 1 / max(categories, 2)
    n = 2 * z**2 * ((1 + alpha_min) * (3 - alpha_min) / (4 * (1 - alpha_min) * share * (1 - share)) - alpha_min)
    return math.ceil(n)


def judge(alpha: Coefficient, interval: Interval) -> Verdict:
    """The verdict on alpha and its bootstrap interval (see the module's docstring)."""
    if alpha.value is None:
        return Verdict("undefined", alpha.reason)
    value, low, high = alpha.value, interval.low, interval.high
    if low is None or high is None:
        if value < TENTATIVE:
            return Verdict("unreliable")
        if interval.reason == NO_BOOTSTRAP:
            return Verdict("inconclusive", f"no 95 % interval to show that α = {value:.3f} clears {TENTATIVE:.3f} "
                                           "(--bootstrap 0)")
        return Verdict("inconclusive", f"the sample is too small to tell: no 95 % interval for α = {value:.3f} "
                                       f"({interval.reason or 'none'})")
    shown = f"α = {value:.3f} but its 95 % interval [{low:.3f}, {high:.3f}]"
    if low >= RELIABLE:
        return Verdict("reliable")
    if low >= TENTATIVE:
        return Verdict("tentative", f"{shown} reaches below {RELIABLE:.3f}" if value >= RELIABLE else None)
    if value < TENTATIVE:
        return Verdict("unreliable")
    return Verdict("inconclusive", f"the sample is too small to tell: {shown} reaches below {TENTATIVE:.3f}")


def sample_warning(units: int, categories: int) -> str | None:
    """A warning when `units` is below the minimum sample, else None."""
    needed = minimum_units(categories)
    if units >= needed:
        return None
    return (f"too few units: {units:,}, below the {needed} that Krippendorff (2004) asks for to show "
            f"α ≥ {RELIABLE:.3f} at p = .05 with {categories} equally frequent values")


__all__ = ["NO_BOOTSTRAP", "RELIABLE", "TENTATIVE", "VERDICTS", "Verdict", "judge", "minimum_units", "sample_warning"]
