"""How sure a rate is, on a real graph: the stored queries' Wilson columns equal the Python function,
compareRates counts what decisions(filter) counts, and minDecisions drops thin groups before paging."""

from __future__ import annotations

import json
from typing import Any

import pytest

from api.cypher.db import ReadOnlyGraph
from api.graphql.rate_statistics import compare, wilson_interval
from api.graphql.schema import execute
from graph_loader import stored_queries as library
from graph_loader.config import Settings

# The stored queries with an uphold rate, and the columns their rate is computed from.
RATE_QUERIES = {
    "uphold_rates_by_category": ("upheld", "decisions"),
    "opioids_by_year": (None, "decisions"),
    "uphold_rates_by_treatment": ("upheld", "decisions"),
    "specialty_vs_outcome": ("upheld", "decisions"),
    "uphold_rates_by_ingredient": ("upheld", "decisions"),
    "outcomes_by_year": ("upheld", "decisions"),
    "outcome_rates_by_diagnosis_category": ("upheld", "decisions"),
    "uphold_rates_by_year_and_category": ("upheld", "decisions"),
}
# Both sides round to 3 places; their unrounded values may straddle a rounding boundary by one ulp.
ROUNDED = 0.0005 + 1e-9


def _data(graph: ReadOnlyGraph, query: str) -> dict[str, Any]:
    result = execute(query, graph)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


@pytest.mark.parametrize("name", RATE_QUERIES)
def test_stored_interval_columns_equal_the_python_wilson(name: str, rich_loaded: Settings) -> None:
    query = library.get(name)
    rows = library.run(query, query.example_params, rich_loaded)
    assert list(query.column_types)[-2:] == ["uphold_rate_low", "uphold_rate_high"]
    assert rows and all(list(r)[-2:] == ["uphold_rate_low", "uphold_rate_high"] for r in rows)
    checked = 0
    for r in rows:
        if r["uphold_rate"] is None:
            assert r["decisions"] == 0 and r["uphold_rate_low"] is None and r["uphold_rate_high"] is None
            continue
        # opioids_by_year has no upheld column: its rate is rounded, so recover the count from it.
        upheld_column, decisions_column = RATE_QUERIES[name]
        n = r[decisions_column]
        x = r[upheld_column] if upheld_column else round(r["uphold_rate"] * n)
        interval = wilson_interval(x, n)
        assert interval is not None
        assert r["uphold_rate_low"] == pytest.approx(interval[0], abs=ROUNDED), r
        assert r["uphold_rate_high"] == pytest.approx(interval[1], abs=ROUNDED), r
        assert r["uphold_rate_low"] <= r["uphold_rate"] <= r["uphold_rate_high"]
        checked += 1
    assert checked, f"{name} has no row with a rate to check"


def test_outcome_rates_carry_the_python_interval(rich_graph: ReadOnlyGraph) -> None:
    data = _data(
        rich_graph,
        "{ outcomeRates(groupBy: CATEGORY, filter: {year: {min: 2000}}) "
        "{ group decisions upheld upholdRate upholdRateLow upholdRateHigh } }",
    )
    rows = data["outcomeRates"]
    assert rows
    for r in rows:
        assert (r["upholdRateLow"], r["upholdRateHigh"]) == pytest.approx(
            wilson_interval(r["upheld"], r["decisions"])
        )


@pytest.mark.parametrize("filtered", [False, True], ids=["tallies-or-traversal", "traversal"])
def test_min_decisions_keeps_the_groups_with_enough_decisions(
    rich_graph: ReadOnlyGraph, filtered: bool
) -> None:
    filt = ", filter: {year: {min: 2000}}" if filtered else ""
    every = _data(
        rich_graph, f"{{ outcomeRates(groupBy: TREATMENT, first: 100{filt}) {{ group decisions }} }}"
    )
    counts = sorted({r["decisions"] for r in every["outcomeRates"]})
    assert len(counts) >= 2, "the rich graph has treatments with different counts"
    least = counts[1]
    kept = _data(
        rich_graph,
        f"{{ outcomeRates(groupBy: TREATMENT, first: 100, minDecisions: {least}{filt}) {{ group decisions }} }}",
    )["outcomeRates"]
    assert kept == [r for r in every["outcomeRates"] if r["decisions"] >= least]
    assert 0 < len(kept) < len(every["outcomeRates"])


def test_min_decisions_pages_a_vocabulary_without_gaps(rich_graph: ReadOnlyGraph) -> None:
    every = _data(rich_graph, "{ treatments(first: 100) { terms { key decisions } } }")["treatments"]["terms"]
    least = sorted({t["decisions"] for t in every})[1]
    walked: list[dict[str, Any]] = []
    after = None
    while True:
        cursor = f', after: "{after}"' if after else ""
        page = _data(
            rich_graph,
            f"{{ treatments(first: 2, minDecisions: {least}{cursor}) "
            "{ terms { key decisions upholdRate upholdRateLow upholdRateHigh upheld } "
            "pageInfo { hasNextPage endCursor } } }",
        )["treatments"]
        walked += page["terms"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [(t["key"], t["decisions"]) for t in walked] == [
        (t["key"], t["decisions"]) for t in every if t["decisions"] >= least
    ]
    assert len(walked) > 2, "more than one page was walked"
    for t in walked:
        assert (t["upholdRateLow"], t["upholdRateHigh"]) == pytest.approx(
            wilson_interval(t["upheld"], t["decisions"])
        )


def _total(graph: ReadOnlyGraph, filt: str) -> int:
    count = _data(graph, f"{{ decisions(filter: {filt}, first: 0) {{ totalCount }} }}")["decisions"][
        "totalCount"
    ]
    assert isinstance(count, int)
    return count


GROUPS = [
    ('{treatment: {contains: "physical therapy"}}', '{treatment: {contains: "chiropractic"}}'),
    ("{category: PHARMACEUTICAL}", "{category: PHYSICAL_MEDICINE}"),
    # Same fields in both: the one Compiler must give their values distinct parameters.
    ('{treatmentClass: "Opioids", year: {min: 2015}}', "{category: PHARMACEUTICAL, year: {max: 2030}}"),
    ("{decisions: {some: {category: PHARMACEUTICAL}}, outcomeIn: [UPHELD, OVERTURNED]}", "{}"),
]


@pytest.mark.parametrize(("a", "b"), GROUPS)
def test_compare_rates_counts_what_decisions_counts(rich_graph: ReadOnlyGraph, a: str, b: str) -> None:
    data = _data(
        rich_graph,
        f"{{ compareRates(a: {a}, b: {b}) {{ "
        "a { decisions upheld overturned upholdRate upholdRateLow upholdRateHigh } "
        "b { decisions upheld overturned upholdRate upholdRateLow upholdRateHigh } "
        "difference differenceLow differenceHigh pValue method } }",
    )["compareRates"]
    for side, filt in (("a", a), ("b", b)):
        group = data[side]
        assert group["decisions"] == _total(rich_graph, filt)
        assert group["upheld"] == _total(rich_graph, f"{{AND: [{filt}, {{outcome: UPHELD}}]}}")
        assert group["overturned"] == group["decisions"] - group["upheld"]
    assert data["a"]["decisions"] > 0 and data["b"]["decisions"] > 0, json.dumps(data)
    expected = compare(
        data["a"]["upheld"], data["a"]["decisions"], data["b"]["upheld"], data["b"]["decisions"]
    )
    assert (data["a"]["upholdRateLow"], data["a"]["upholdRateHigh"]) == pytest.approx(expected.a)
    assert (data["b"]["upholdRateLow"], data["b"]["upholdRateHigh"]) == pytest.approx(expected.b)
    assert (data["difference"], data["differenceLow"], data["differenceHigh"]) == pytest.approx(
        expected.difference
    )
    assert data["pValue"] == pytest.approx(expected.p_value)
    assert "Newcombe" in data["method"]


def test_compare_rates_of_an_empty_group(rich_graph: ReadOnlyGraph) -> None:
    data = _data(
        rich_graph,
        '{ compareRates(a: {treatment: {equals: "no such treatment"}}, b: {}) '
        "{ a { decisions upholdRate upholdRateLow } b { decisions } difference pValue } }",
    )["compareRates"]
    assert data["a"] == {"decisions": 0, "upholdRate": None, "upholdRateLow": None}
    assert data["b"]["decisions"] > 0
    assert data["difference"] is None and data["pValue"] == 1.0
