"""The error policy: clients see client-facing errors as they are and nothing else; every other error
is masked for the client and logged with its traceback."""

from __future__ import annotations

import logging

import pytest
from neo4j import Driver

from api.cypher.db import ReadOnlyGraph
from api.graphql.extensions import MASKED_MESSAGE
from api.graphql.schema import execute
from graph_loader.config import Settings


def test_an_unexpected_error_is_masked_and_logged(
    sample_loaded: Settings, driver: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    records, _, _ = driver.execute_query(
        "MATCH (d:Decision) WITH d ORDER BY d.decision_id LIMIT 1 "
        "SET d.outcome_was = d.outcome, d.outcome = 'BOGUS' RETURN d.decision_id AS id"
    )
    bogus = records[0]["id"]
    graph = ReadOnlyGraph.connect(sample_loaded)
    try:
        with caplog.at_level(logging.ERROR, logger="imr_graph.api"):
            result = execute("{ decisions(first: 100) { edges { node { decisionId outcome } } } }", graph)
    finally:
        graph.close()
        driver.execute_query(
            "MATCH (d:Decision {decision_id: $id}) SET d.outcome = d.outcome_was REMOVE d.outcome_was",
            id=bogus,
        )
    assert result.errors and [e.message for e in result.errors] == [MASKED_MESSAGE]
    assert "BOGUS" not in str(result.errors[0].formatted)
    logged = [r for r in caplog.records if r.name == "imr_graph.api"]
    assert len(logged) == 1 and "BOGUS" in logged[0].getMessage()
    assert logged[0].exc_info is not None, "the traceback is logged"


def test_a_client_facing_error_is_shown_and_not_logged(
    sample_graph: ReadOnlyGraph, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="imr_graph.api"):
        result = execute("{ decisions(first: 1000) { edges { cursor } } }", sample_graph)
        bad_cursor = execute('{ cases(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }', sample_graph)
        unknown = execute("{ nonsense }", sample_graph)
    assert result.errors and result.errors[0].message == "first may be at most 100"
    assert bad_cursor.errors and bad_cursor.errors[0].message.startswith("invalid cursor")
    assert unknown.errors and "nonsense" in unknown.errors[0].message
    assert not [r for r in caplog.records if r.name == "imr_graph.api"]
