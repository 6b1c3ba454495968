"""How sure a rate is: the Wilson score interval of a proportion, Newcombe's interval for the
difference of two proportions, and Fisher's exact test of two groups (pure; no graph).

The stored queries of cypher/ compute the same Wilson interval in Cypher with the same `Z95`, so an
interval read from `imr-graph query` and one read from the API agree to their 3 rounded places
(tests/integration/test_rate_intervals.py checks it on the sample graph)."""

from __future__ import annotations

import math
from dataclasses import dataclass

# SciPy ships no type hints for scipy.stats (its stubs are a separate, unofficial package).
from scipy.stats import fisher_exact  # type: ignore[import-untyped]

# The 97.5% quantile of the standard normal, to the 7 digits the Cypher formula writes out: the two
# implementations must share it to the last digit to agree after rounding.
Z95 = 1.959964

NEWCOMBE_METHOD = "Newcombe hybrid score interval (Newcombe 1998, method 10) from two Wilson 95% intervals"


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of successes/trials; None without trials (no rate to bound).

    Written as (x + z²/2 ± z·sqrt(x(n-x)/n + z²/4)) / (n + z²), the form the Cypher uses, and clamped
    so that 0 of n gives exactly 0 and n of n exactly 1 rather than a rounding error outside [0, 1]."""
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must lie in [0, trials]: {successes} of {trials}")
    if trials == 0:
        return None
    z2 = z * z
    centre = (successes + z2 / 2) / (trials + z2)
    half = z * math.sqrt(successes * (trials - successes) / trials + z2 / 4) / (trials + z2)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


def newcombe_difference(
    x1: int, n1: int, x2: int, n2: int, z: float = Z95
) -> tuple[float, float, float] | None:
    """p1 - p2 with its hybrid score interval (Newcombe 1998, method 10): each side of the
    difference combines the distances from each rate to the Wilson limit on that side. None when
    either group is empty."""
    w1, w2 = wilson_interval(x1, n1, z), wilson_interval(x2, n2, z)
    if w1 is None or w2 is None:
        return None
    (l1, u1), (l2, u2) = w1, w2
    p1, p2 = x1 / n1, x2 / n2
    diff = p1 - p2
    low = diff - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return diff, max(-1.0, low), min(1.0, high)


def fisher_p_value(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided p of Fisher's exact test on the 2x2 table (successes, failures) x (group 1, group 2)."""
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    if min(min(row) for row in table) < 0:
        raise ValueError(f"successes must lie in [0, trials]: {x1} of {n1}, {x2} of {n2}")
    return min(1.0, float(fisher_exact(table, alternative="two-sided").pvalue))


@dataclass(frozen=True)
class Comparison:
    """Two groups' rates compared: the difference a - b, its interval, and Fisher's p."""

    a: tuple[float, float] | None
    b: tuple[float, float] | None
    difference: tuple[float, float, float] | None
    p_value: float


def compare(x1: int, n1: int, x2: int, n2: int) -> Comparison:
    return Comparison(
        a=wilson_interval(x1, n1),
        b=wilson_interval(x2, n2),
        difference=newcombe_difference(x1, n1, x2, n2),
        p_value=fisher_p_value(x1, n1, x2, n2),
    )
