"""The rate statistics against published worked examples, and their properties on random counts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from api.graphql.analytics_types import RateComparison
from api.graphql.rate_statistics import compare, fisher_p_value, newcombe_difference, wilson_interval

# Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of seven
# methods", Statistics in Medicine 17:857-872, Table I, method 3 (score interval without continuity
# correction), to the 4 places printed there.
NEWCOMBE_TABLE_I = [
    ((81, 263), (0.2553, 0.3662)),
    ((15, 148), (0.0624, 0.1605)),
    ((0, 20), (0.0000, 0.1611)),
    ((1, 29), (0.0061, 0.1718)),
]

# Newcombe (1998), "Interval estimation for the difference between independent proportions:
# comparison of eleven methods", Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score
# without continuity correction): (x1, n1, x2, n2) -> (difference, lower, upper). Newcombe prints
# 6/7 - 2/7 as 0.0582 to 0.8062, which this implementation reproduces.
NEWCOMBE_TABLE_II = [
    ((56, 70, 48, 80), (0.2000, 0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.6000, 0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.5714, 0.0582, 0.8062)),
    ((5, 56, 0, 29), (0.0893, -0.0381, 0.1926)),
    ((0, 10, 0, 20), (0.0000, -0.1611, 0.2775)),
    ((0, 10, 0, 10), (0.0000, -0.2775, 0.2775)),
    ((10, 10, 0, 20), (1.0000, 0.6791, 1.0000)),
    ((10, 10, 0, 10), (1.0000, 0.6075, 1.0000)),
]


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE_TABLE_I)
def test_wilson_matches_newcombe_table_i(counts: tuple[int, int], expected: tuple[float, float]) -> None:
    interval = wilson_interval(*counts)
    assert interval is not None
    assert interval == pytest.approx(expected, abs=5e-5)


def test_one_of_one_is_not_certain() -> None:
    """The example of docs/queries.md: 1 of 1 upheld shows 100%, but the interval reaches down to 0.21."""
    assert wilson_interval(1, 1) == pytest.approx((0.2065, 1.0), abs=5e-5)


def test_wilson_limits_are_exact_at_the_ends_and_undefined_without_trials() -> None:
    none_upheld, all_upheld = wilson_interval(0, 7), wilson_interval(7, 7)
    assert none_upheld is not None and none_upheld[0] == 0.0
    assert all_upheld is not None and all_upheld[1] == 1.0
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE_TABLE_II)
def test_newcombe_matches_table_ii(
    counts: tuple[int, int, int, int], expected: tuple[float, float, float]
) -> None:
    result = newcombe_difference(*counts)
    assert result is not None
    assert result == pytest.approx(expected, abs=5e-5)


def test_no_difference_without_decisions_in_a_group() -> None:
    assert newcombe_difference(0, 0, 3, 5) is None
    comparison = compare(3, 5, 0, 0)
    assert comparison.b is None and comparison.difference is None and comparison.p_value == 1.0


def test_fisher_matches_scipys_documented_example() -> None:
    """scipy.stats.fisher_exact's docs: the table [[6, 2], [1, 4]] gives p = 0.10256..."""
    assert fisher_p_value(6, 8, 1, 5) == pytest.approx(0.1025641025641026, rel=1e-12)


def test_fisher_on_a_table_computed_by_hand() -> None:
    """3 of 3 against 0 of 3: the only tables as extreme are this one and its mirror, each with
    probability 1 / C(6, 3) = 1/20, so p = 2/20."""
    assert fisher_p_value(3, 3, 0, 3) == pytest.approx(0.1, rel=1e-12)
    assert fisher_p_value(2, 4, 2, 4) == pytest.approx(1.0)


def _fisher_by_hypergeometric(x1: int, n1: int, x2: int, n2: int) -> float:
    """The two-sided p summed directly: every table with the same margins that is at most as probable
    as the one observed (with the relative tolerance scipy and R use for ties)."""
    upheld, total = x1 + x2, n1 + n2

    def probability(k: int) -> float:
        return math.comb(n1, k) * math.comb(n2, upheld - k) / math.comb(total, upheld)

    observed = probability(x1)
    ks = range(max(0, upheld - n2), min(n1, upheld) + 1)
    return min(1.0, sum(p for k in ks if (p := probability(k)) <= observed * (1 + 1e-7)))


counts = st.integers(min_value=0, max_value=60).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@given(counts)
def test_wilson_contains_the_rate_and_stays_in_unit_range(xn: tuple[int, int]) -> None:
    x, n = xn
    interval = wilson_interval(x, n)
    if n == 0:
        assert interval is None
        return
    assert interval is not None
    low, high = interval
    assert 0.0 <= low <= x / n <= high <= 1.0
    assert low < high


@given(counts, counts)
def test_comparison_properties(a: tuple[int, int], b: tuple[int, int]) -> None:
    (x1, n1), (x2, n2) = a, b
    result = compare(x1, n1, x2, n2)
    assert result.p_value == pytest.approx(_fisher_by_hypergeometric(x1, n1, x2, n2), rel=1e-9, abs=1e-12)
    assert 0.0 <= result.p_value <= 1.0
    if n1 == 0 or n2 == 0:
        assert result.difference is None
        return
    assert result.difference is not None
    difference, low, high = result.difference
    assert difference == pytest.approx(x1 / n1 - x2 / n2)
    assert -1.0 <= low <= difference <= high <= 1.0


def _scipy_wilson(x: int, n: int) -> tuple[float, float]:
    """scipy's own Wilson score interval (scipy.stats.binomtest(...).proportion_ci), computed apart
    from api/graphql/rate_statistics.py (scipy's z is norm.ppf(0.975), 1.95996398..., against the
    API's 1.959964: the limits agree to about 1e-8, hence the tolerance)."""
    ci = binomtest(x, n).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


@given(counts, counts)
def test_intervals_on_random_counts_match_an_independent_computation(
    a: tuple[int, int], b: tuple[int, int]
) -> None:
    """Wilson from scipy, Newcombe's method 10 written from its definition over scipy's Wilson limits
    (d - sqrt((p1 - l1)^2 + (u2 - p2)^2), d + sqrt((u1 - p1)^2 + (p2 - l2)^2)), Fisher summed over the
    hypergeometric tables: the same numbers as the API's statistics, on random counts."""
    (x1, n1), (x2, n2) = a, b
    for x, n in ((x1, n1), (x2, n2)):
        if n:
            assert wilson_interval(x, n) == pytest.approx(_scipy_wilson(x, n), rel=1e-6, abs=1e-7)
    result = compare(x1, n1, x2, n2)
    assert result.p_value == pytest.approx(_fisher_by_hypergeometric(x1, n1, x2, n2), rel=1e-9, abs=1e-12)
    if n1 and n2:
        (l1, u1), (l2, u2) = _scipy_wilson(x1, n1), _scipy_wilson(x2, n2)
        p1, p2 = x1 / n1, x2 / n2
        expected = (
            p1 - p2,
            p1 - p2 - math.hypot(p1 - l1, u2 - p2),
            p1 - p2 + math.hypot(u1 - p1, p2 - l2),
        )
        assert result.difference == pytest.approx(expected, rel=1e-6, abs=1e-7)


def test_the_graphql_type_carries_the_statistics() -> None:
    row = {"aDecisions": 70, "aUpheld": 56, "bDecisions": 80, "bUpheld": 48}
    result = RateComparison.from_row(row)
    assert (result.a.decisions, result.a.upheld, result.a.overturned) == (70, 56, 14)
    assert result.a.uphold_rate == pytest.approx(0.8) and result.b.uphold_rate == pytest.approx(0.6)
    assert (result.difference, result.difference_low, result.difference_high) == pytest.approx(
        (0.2, 0.0524, 0.3339), abs=5e-5
    )
    assert result.p_value == pytest.approx(fisher_p_value(56, 70, 48, 80))
    assert "Newcombe" in result.method
