"""The questions the treatment vocabulary answers (issue 13): by class, by ingredient, filters on both,
and the opioid share per year, through GraphQL and the stored query, on letters with drugs."""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from api.cypher.db import ReadOnlyGraph
from api.graphql.schema import execute
from graph_loader import stored_queries as library
from graph_loader.config import Settings


def _data(query: str, graph: ReadOnlyGraph) -> dict[str, Any]:
    result = execute(query, graph)
    assert result.errors is None, result.errors
    assert result.data
    return result.data


def test_rates_by_class_and_ingredient_match_the_graph(
    rich_graph: ReadOnlyGraph, rich_loaded: Settings, driver: Driver
) -> None:
    data = _data(
        "{ c: outcomeRates(groupBy: TREATMENT_CLASS, first: 100) { group decisions upheld } "
        "  i: outcomeRates(groupBy: INGREDIENT, first: 100) { group decisions upheld } }",
        rich_graph,
    )
    by_class = {r["group"]: r["decisions"] for r in data["c"]}
    by_ingredient = {r["group"]: r["decisions"] for r in data["i"]}
    records, _, _ = driver.execute_query("MATCH (d:Decision) RETURN d.treatment_class AS c, count(*) AS n")
    assert by_class == {r["c"]: r["n"] for r in records}
    assert "Opioids" in by_class and "hydrocodone" in by_ingredient
    records, _, _ = driver.execute_query(
        "MATCH (:Ingredient {name: 'hydrocodone'})<-[:INVOLVES_INGREDIENT]-(d) RETURN count(DISTINCT d) AS n"
    )
    assert by_ingredient["hydrocodone"] == records[0]["n"] > 0


def test_filters_on_class_and_ingredient(rich_graph: ReadOnlyGraph) -> None:
    data = _data(
        '{ d: decisions(filter: {ingredient: "Hydrocodone"}, first: 100) { totalCount '
        "     edges { node { treatmentClass drug { ingredients { name drugbankId } } } } } "
        '  o: decisions(filter: {treatmentClass: "Opioids"}) { totalCount } }',
        rich_graph,
    )
    edges = data["d"]["edges"]
    assert edges and data["d"]["totalCount"] == len(edges)
    for e in edges:
        names = {i["name"] for i in e["node"]["drug"]["ingredients"]}
        assert "hydrocodone" in names
    assert all(
        i["drugbankId"] for e in edges for i in e["node"]["drug"]["ingredients"] if i["name"] == "hydrocodone"
    )
    assert data["o"]["totalCount"] >= data["d"]["totalCount"] > 0


def test_opioid_share_by_year(rich_loaded: Settings, rich_graph: ReadOnlyGraph) -> None:
    query = library.get("opioids_by_year")
    rows = library.run(query, query.example_params, rich_loaded)
    assert rows
    data = _data(
        "{ outcomeRates(groupBy: YEAR, filter: {category: PHARMACEUTICAL}, first: 100) { group decisions } }",
        rich_graph,
    )
    pharmaceutical = {r["group"] or "unknown": r["decisions"] for r in data["outcomeRates"]}
    assert {r["year"]: r["pharmaceutical"] for r in rows} == pharmaceutical
    assert all(0 <= r["share"] <= 1 for r in rows) and any(r["decisions"] for r in rows)
