"""A graph loaded before graph model 7 has no Case.decision_date_order: pages in date order are then
sorted by the bare decision date (not by a missing key, which would sort by id), root and nested, and
a re-load brings the index walk back."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from neo4j import Driver

from api.cypher.db import ReadOnlyGraph
from api.cypher.tally_answers import Readiness
from api.graphql.schema import schema
from graph_loader.config import Settings
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters
from tests.helpers import SAMPLES


def _run(query: str, graph: ReadOnlyGraph) -> Any:
    # A fresh readiness per request: the graph changes under the test.
    context = {"graph": graph, "tally_readiness": Readiness()}
    result = asyncio.run(schema.execute(query, context_value=context))
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def _ids(graph: ReadOnlyGraph, query: str) -> list[str]:
    return [e["node"]["decisionId"] for e in _run(query, graph)["decisions"]["edges"]]


def _by_date(driver: Driver) -> list[str]:
    records, _, _ = driver.execute_query(
        "MATCH (c:Case)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->()-[:IN_CATEGORY]->() "
        "RETURN d.decision_id AS id, c.decision_date AS date ORDER BY c.decision_date DESC, d.decision_id"
    )
    return [r["date"] for r in records]


def test_an_older_graph_is_still_sorted_by_date(
    empty_graph: Settings, driver: Driver, tmp_path: Path
) -> None:
    from bench.synth import write

    write(tmp_path, 40, seed=5)
    load_letters(LetterFiles([SAMPLES, tmp_path]), empty_graph)
    driver.execute_query("MATCH (c:Case) REMOVE c.decision_date_order SET c.graph_model = 6")
    graph = ReadOnlyGraph.connect(empty_graph)
    try:
        assert not asyncio.run(Readiness().check(graph)).date_order
        query = "{ decisions(first: 100) { edges { node { decisionId } } } }"
        dates = {
            r["id"]: r["date"]
            for r in driver.execute_query(
                "MATCH (c:Case)-[:HAS_DECISION]->(d) RETURN d.decision_id AS id, c.decision_date AS date"
            )[0]
        }
        got = [dates[i] for i in _ids(graph, query)]
        assert got == _by_date(driver)[: len(got)] and len(set(got)) > 1
        nested = _run(
            "{ treatments(first: 3) { terms { decisionsConnection(first: 5) { edges { node { decisionId } } } } } }",
            graph,
        )
        for term in nested["treatments"]["terms"]:
            page = [dates[e["node"]["decisionId"]] for e in term["decisionsConnection"]["edges"]]
            assert page == sorted(page, key=lambda d: (d is None, d or ""), reverse=True)
        load_letters(LetterFiles([SAMPLES, tmp_path]), empty_graph)  # the newer loader rewrites every letter
        assert asyncio.run(Readiness().check(graph)).date_order
        assert [dates[i] for i in _ids(graph, query)] == got
    finally:
        graph.close()
