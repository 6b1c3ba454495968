"""The filter fields and operators researchers asked for, and sorting, each against Cypher."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from api.cypher.db import ReadOnlyGraph
from api.graphql.schema import execute

MATCH = "MATCH (c:Case)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)"


def _total(graph: ReadOnlyGraph, decision_filter: str) -> int:
    result = execute(f"{{ decisions(filter: {decision_filter}, first: 1) {{ totalCount }} }}", graph)
    assert result.errors is None, result.errors
    assert result.data
    return int(result.data["decisions"]["totalCount"])


def _count(driver: Driver, where: str) -> int:
    records, _, _ = driver.execute_query(f"{MATCH} WHERE {where} RETURN count(d) AS n")
    return int(records[0]["n"])


@pytest.mark.parametrize(
    ("graphql_filter", "cypher_where"),
    [
        (
            '{denialReason: "no_rationale_from_treater"}',
            "EXISTS { (d)-[:DENIED_BECAUSE]->(:DenialReason {code: 'NO_RATIONALE_FROM_TREATER'}) }",
        ),
        ("{citedBy: CLAIMS_ADMINISTRATOR}", "EXISTS { (d)-[:CITES {by: 'CLAIMS_ADMINISTRATOR'}]->() }"),
        (
            '{citedBy: IMR_REVIEWER, citesSection: {contains: "physical"}}',
            "EXISTS { MATCH (d)-[r:CITES]->(s) WHERE r.by = 'IMR_REVIEWER' AND toLower(s.name) CONTAINS 'physical' }",
        ),
        ('{licensureState: "ca"}', "EXISTS { (c)-[:REVIEWER_LICENSED_IN]->(:State {code: 'CA'}) }"),
        ("{quantity: {min: 6, max: 12}}", "d.quantity >= 6 AND d.quantity <= 12"),
        ("{partiallyAuthorized: true}", "d.authorized_item IS NOT NULL"),
        ("{outcomeIn: [OVERTURNED]}", "d.outcome IN ['OVERTURNED']"),
        ("{categoryIn: [INJECTION, SURGERY]}", "k.name IN ['INJECTION', 'SURGERY']"),
        ('{injuryDate: {min: "2010-01-01"}}', "c.injury_date >= '2010-01-01'"),
        ('{urDecisionDate: {max: "2015-12-31"}}', "c.ur_decision_date <= '2015-12-31'"),
        ("{caseNumber: {isNull: true}}", "c.case_number IS NULL"),
        (
            '{treatment: {in: ["Physical therapy", "Chiropractic"]}}',
            "t.name IN ['Physical therapy', 'Chiropractic']",
        ),
    ],
)
def test_filter_matches_cypher(
    graphql_filter: str, cypher_where: str, rich_graph: ReadOnlyGraph, driver: Driver
) -> None:
    assert _total(rich_graph, graphql_filter) == _count(driver, cypher_where)


def _column(data: dict[str, Any], field: str) -> list[Any]:
    return [e["node"][field] for e in data["edges"]]


def test_decisions_and_cases_sort_on_several_fields(rich_graph: ReadOnlyGraph) -> None:
    result = execute(
        "{ decisions(sort: [{field: QUANTITY, direction: DESC}, {field: ITEM, direction: ASC}], first: 50) "
        "  { edges { node { quantity item } } } "
        "  cases(sort: [{field: YEAR, direction: ASC}, {field: AGE, direction: DESC}, {field: LETTER_ID, direction: ASC}], first: 50) "
        "  { edges { node { year age letterId } } } }",
        rich_graph,
    )
    assert result.errors is None and result.data
    rows = [(e["node"]["quantity"], e["node"]["item"]) for e in result.data["decisions"]["edges"]]
    with_quantity = [r for r in rows if r[0] is not None]
    assert with_quantity == sorted(with_quantity, key=lambda r: (-r[0], r[1]))
    cases = [(e["node"]["year"], e["node"]["age"]) for e in result.data["cases"]["edges"]]
    known = [c for c in cases if c[0] is not None and c[1] is not None]
    assert known == sorted(known, key=lambda c: (c[0], -c[1]))
