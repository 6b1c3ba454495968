"""Quantifiers across a case's decisions and the vocabulary root fields, checked against Cypher on the
sample letters plus synthetic ones."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from api.cypher.db import ReadOnlyGraph
from api.graphql.schema import execute


def _data(query: str, graph: ReadOnlyGraph) -> dict[str, Any]:
    result = execute(query, graph)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def _count(driver: Driver, cypher: str) -> int:
    records, _, _ = driver.execute_query(cypher)
    return int(records[0]["n"])


PATTERN = "(c)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(:Treatment)-[:IN_CATEGORY]->(k)"


@pytest.mark.parametrize(
    ("graphql_filter", "cypher_where"),
    [
        (
            "{decisions: {none: {category: PHARMACEUTICAL}}}",
            f"NOT EXISTS {{ MATCH {PATTERN} WHERE k.name = 'PHARMACEUTICAL' }}",
        ),
        (
            "{decisions: {all: {outcome: UPHELD}}}",
            f"NOT EXISTS {{ MATCH {PATTERN} WHERE d.outcome <> 'UPHELD' }}",
        ),
        (
            "{decisions: {single: {outcome: OVERTURNED}}}",
            f"COUNT {{ MATCH {PATTERN} WHERE d.outcome = 'OVERTURNED' }} = 1",
        ),
        (
            "{AND: [{decisions: {some: {outcome: UPHELD, category: PHARMACEUTICAL}}},"
            " {decisions: {some: {outcome: OVERTURNED}}}]}",
            f"EXISTS {{ MATCH {PATTERN} WHERE d.outcome = 'UPHELD' AND k.name = 'PHARMACEUTICAL' }} AND "
            f"EXISTS {{ MATCH {PATTERN} WHERE d.outcome = 'OVERTURNED' }}",
        ),
        (
            "{NOT: {decisions: {some: {category: DIAGNOSTIC}}}, decisions: {some: {category: INJECTION}}}",
            f"NOT EXISTS {{ MATCH {PATTERN} WHERE k.name = 'DIAGNOSTIC' }} AND "
            f"EXISTS {{ MATCH {PATTERN} WHERE k.name = 'INJECTION' }}",
        ),
    ],
)
def test_quantifiers_match_cypher(
    graphql_filter: str, cypher_where: str, rich_graph: ReadOnlyGraph, driver: Driver
) -> None:
    data = _data(f"{{ cases(filter: {graphql_filter}, first: 1) {{ totalCount }} }}", rich_graph)
    expected = _count(driver, f"MATCH (c:Case) WHERE {cypher_where} RETURN count(c) AS n")
    assert data["cases"]["totalCount"] == expected
    assert expected > 0, "the corpus exercises this quantifier"


def test_vocabularies_list_every_value_with_counts(rich_graph: ReadOnlyGraph, driver: Driver) -> None:
    data = _data(
        """{
          treatments(first: 100) { terms { name decisions parent category } pageInfo { hasNextPage } }
          treatmentClasses(first: 100) { terms { name decisions upheld upholdRate category } }
          specialties { terms { name decisions } }
          states { terms { name decisions } }
          denialReasonCodes { terms { key description decisions } }
          guidelines(name: "MTUS") { terms { guideline { key title url } decisions
                                             sections { section { name url } decisions } } }
        }""",
        rich_graph,
    )
    decisions = _count(driver, "MATCH (d:Decision) RETURN count(d) AS n")
    treatments = data["treatments"]["terms"]
    if not data["treatments"]["pageInfo"]["hasNextPage"]:
        assert sum(t["decisions"] for t in treatments) == decisions
    assert all(t["parent"] and t["category"] for t in treatments)
    classes = {t["name"]: t for t in data["treatmentClasses"]["terms"]}
    assert "Opioids" in classes and classes["Opioids"]["category"] == "PHARMACEUTICAL"
    assert sum(t["decisions"] for t in classes.values()) == decisions
    assert data["specialties"]["terms"] and data["states"]["terms"]
    assert all(t["description"] for t in data["denialReasonCodes"]["terms"])
    mtus = data["guidelines"]["terms"]
    assert mtus and all(g["guideline"]["key"].startswith("mtus") for g in mtus)
    assert all(s["decisions"] <= g["decisions"] for g in mtus for s in g["sections"])


def test_diagnoses_walk_down_and_up(rich_graph: ReadOnlyGraph) -> None:
    chapters = _data("{ diagnoses { terms { code level children cases } } }", rich_graph)["diagnoses"][
        "terms"
    ]
    assert chapters and all(t["level"] == "chapter" for t in chapters)
    chapter = max(chapters, key=lambda t: t["cases"])
    down = _data(
        f'{{ diagnoses(code: "{chapter["code"]}") {{ terms {{ code parent cases }} }} }}', rich_graph
    )["diagnoses"]["terms"]
    assert {t["code"] for t in down} == set(chapter["children"])
    assert all(t["parent"] == chapter["code"] for t in down)
    assert sum(t["cases"] for t in down) >= chapter["cases"]
    found = _data('{ diagnoses(name: "radiculopathy") { terms { code name } } }', rich_graph)["diagnoses"][
        "terms"
    ]
    assert found and all("radiculopathy" in t["name"].lower() for t in found)


def test_vocabulary_pages_follow_their_cursor(rich_graph: ReadOnlyGraph) -> None:
    first = _data("{ treatments(first: 3) { terms { key } pageInfo { hasNextPage endCursor } } }", rich_graph)
    page = first["treatments"]
    assert page["pageInfo"]["hasNextPage"]
    after = page["pageInfo"]["endCursor"]
    second = _data(f'{{ treatments(first: 3, after: "{after}") {{ terms {{ key }} }} }}', rich_graph)
    everything = _data("{ treatments(first: 6) { terms { key } } }", rich_graph)
    keys = [t["key"] for t in page["terms"]] + [t["key"] for t in second["treatments"]["terms"]]
    assert keys == [t["key"] for t in everything["treatments"]["terms"]]
