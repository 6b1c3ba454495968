"""Cross-tabulated outcome rates: one to three dimensions, with min/avg/max, against Cypher."""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from api.cypher.db import ReadOnlyGraph
from api.graphql.schema import execute


def _rates(query: str, graph: ReadOnlyGraph) -> list[dict[str, Any]]:
    result = execute(query, graph)
    assert result.errors is None, result.errors
    assert result.data
    rows: list[dict[str, Any]] = result.data["outcomeRates"]
    return rows


def test_year_by_category_adds_up_and_matches_cypher(rich_graph: ReadOnlyGraph, driver: Driver) -> None:
    rows = _rates(
        "{ outcomeRates(groupBy: [YEAR, CATEGORY], first: 100) { group groups decisions upheld "
        "  age { min avg max } quantity { max } daysFromUrDenial { avg } } }",
        rich_graph,
    )
    records, _, _ = driver.execute_query(
        "MATCH (c:Case)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->()-[:IN_CATEGORY]->(k) "
        "RETURN toString(c.year) AS year, k.name AS category, count(d) AS n, "
        "count(CASE WHEN d.outcome = 'UPHELD' THEN 1 END) AS upheld, min(c.age) AS min_age, "
        "max(c.age) AS max_age, max(d.quantity) AS max_q"
    )
    expected = {(r["year"], r["category"]): r for r in records}
    assert len(rows) == len(expected)
    for row in rows:
        year, category = row["groups"]
        e = expected[(year, category)]
        assert (row["decisions"], row["upheld"]) == (e["n"], e["upheld"])
        assert row["group"] == year
        assert row["age"]["min"] == (None if e["min_age"] is None else float(e["min_age"]))
        assert row["age"]["max"] == (None if e["max_age"] is None else float(e["max_age"]))
        assert row["quantity"]["max"] == (None if e["max_q"] is None else float(e["max_q"]))


def test_one_dimension_still_takes_a_single_value(rich_graph: ReadOnlyGraph) -> None:
    single = _rates("{ outcomeRates(groupBy: CATEGORY) { group groups decisions } }", rich_graph)
    assert single and all(r["groups"] == [r["group"]] for r in single)
    three = _rates(
        "{ outcomeRates(groupBy: [SPECIALTY, TREATMENT_CLASS, YEAR], first: 100) { groups decisions } }",
        rich_graph,
    )
    assert three and all(len(r["groups"]) == 3 for r in three)


def test_too_many_or_repeated_dimensions_are_refused(rich_graph: ReadOnlyGraph) -> None:
    for groups in ("[YEAR, YEAR]", "[YEAR, CATEGORY, STATE, SPECIALTY]", "[]"):
        result = execute(f"{{ outcomeRates(groupBy: {groups}) {{ group }} }}", rich_graph)
        assert result.errors and "groupBy takes one to 3 different dimensions" in result.errors[0].message
