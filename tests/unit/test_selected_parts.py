"""A decision's rationale, citations, reasons, drug, regions and evidence, and a case's decisions, diagnoses,
specialties and states, are computed by the query only when the client selected them: the resolvers
hand the projection the selected names as `$selected`. Executed without HTTP or Neo4j, recording
what each root field sends."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
from graphql import GraphQLObjectType
from neo4j import Driver

from api.cypher.db import ReadOnlyGraph
from api.cypher.root_queries import CASE_PROJECTION, DECISION_PROJECTION, SELECTABLE_PARTS
from api.graphql.schema import schema


class RecordingGraph(ReadOnlyGraph):
    """Answers every read with no rows, and keeps the parameters of each statement that projects."""

    sent: list[dict[str, Any]]

    async def aread(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        if "$selected" in cypher:
            assert "selected" in params, f"sent without $selected: {cypher[:200]}"
            self.sent.append(params)
        return []


def selected_for(query: str) -> list[str]:
    graph = RecordingGraph(driver=cast(Driver, None), database="neo4j")
    graph.sent = []
    result = asyncio.run(schema.execute(query, context_value={"graph": graph}))
    assert result.errors is None, result.errors
    assert len(graph.sent) == 1, graph.sent
    return cast(list[str], graph.sent[0]["selected"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ decisions(first: 5) { edges { node { item outcome } } } }", []),
        ("{ decisions(first: 5) { totalCount edges { node { item } } } }", []),
        (
            "{ decisions(first: 5) { edges { node { citations { pages } denialReasons { code } } } } }",
            ["citations", "denialReasons"],
        ),
        (
            "{ decisions(first: 5, sort: [{field: DECISION_DATE, direction: DESC}]) "
            "{ edges { node { drug { form } itemEvidence { text } } } } }",
            ["drug", "itemEvidence"],
        ),
        # Through a named fragment and an inline one.
        (
            "query { decisions(first: 5) { edges { node { ...D } } } } "
            "fragment D on Decision { item ... on Decision { outcomeEvidence { text } bodyRegions } }",
            ["bodyRegions", "outcomeEvidence"],
        ),
        ('{ case(caseNumber: "CM16-0000001") { letterId age } }', []),
        (
            '{ case(caseNumber: "CM16-0000001") { specialties decisions { item citations { text } } } }',
            ["citations", "decisions", "specialties"],
        ),
        (
            "{ cases(first: 3) { edges { node { diagnoses { code } licensureStates } } } }",
            ["diagnoses", "licensureStates"],
        ),
        ("{ decisions(first: 5) { edges { node { item rationale } } } }", ["rationale"]),
        ('{ case(caseNumber: "CM16-0000001") { decisions { rationale } } }', ["decisions", "rationale"]),
        ('{ searchRationales(text: "therapy") { score decision { item } } }', []),
        # The snippet is cut from the rationale in the resolver, so it needs the rationale unselected.
        (
            '{ searchRationales(text: "therapy") { snippet { highlighted } decision { item } } }',
            ["rationale"],
        ),
        ('{ searchRationales(text: "therapy") { decision { denialReasons { code } } } }', ["denialReasons"]),
    ],
)
def test_the_query_computes_only_the_selected_parts(query: str, expected: list[str]) -> None:
    assert selected_for(query) == expected


# The case's own entries, before the decisions it embeds.
CASE_SHELL = CASE_PROJECTION[: CASE_PROJECTION.index("decisions: ") + 200]


def test_every_part_is_gated_in_its_projection() -> None:
    for part in SELECTABLE_PARTS:
        gate = f"CASE WHEN '{part}' IN $selected THEN"
        in_case, in_decision = (f"{part}: {gate}" in p for p in (CASE_SHELL, DECISION_PROJECTION))
        assert in_case != in_decision, part


def test_every_part_is_a_field_the_api_serves() -> None:
    # A part named after no field would never be selected, and always come back empty.
    names = set()
    for type_name in ("Decision", "Case"):
        served = schema._schema.get_type(type_name)
        assert isinstance(served, GraphQLObjectType)
        names |= set(served.fields)
    assert set(SELECTABLE_PARTS) <= names, set(SELECTABLE_PARTS) - names


def test_aliases_of_one_field_keep_their_own_selections() -> None:
    graph = RecordingGraph(driver=cast(Driver, None), database="neo4j")
    graph.sent = []
    query = (
        "{ a: decisions(first: 5) { edges { node { item } } } "
        "b: decisions(first: 5) { edges { node { citations { text } } } } }"
    )
    result = asyncio.run(schema.execute(query, context_value={"graph": graph}))
    assert result.errors is None, result.errors
    assert sorted(p["selected"] for p in graph.sent) == [[], ["citations"]]


def test_a_total_asked_in_a_fragment_is_counted() -> None:
    graph = RecordingGraph(driver=cast(Driver, None), database="neo4j")
    graph.sent = []
    query = "{ decisions(first: 5) { ...on DecisionConnection { totalCount } edges { node { item } } } }"
    result = asyncio.run(schema.execute(query, context_value={"graph": graph}))
    assert result.errors is None, result.errors
    # Counted in the same query: the page's statement counts its total (an empty page: 0, not null).
    assert result.data == {"decisions": {"totalCount": 0, "edges": []}}
