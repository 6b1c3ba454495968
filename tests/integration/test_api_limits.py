"""Requests that would run too long or send too much are bounded with a clear error, and the server
keeps answering."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from neo4j import Driver
from starlette.testclient import TestClient

from api.web.app import MAX_BODY_BYTES, create_app
from graph_loader.config import Settings

# One case whose 400 decisions share a treatment and a cited section with 8,000 decisions of other cases:
# similarCases has to weigh millions of paths, far past a one-second limit.
HEAVY_NEIGHBOURHOOD = """
CREATE (t:Treatment {name: 'slow-treatment'}), (s:GuidelineSection {key: 'slow-section', label: 'slow'}),
       (c:Case {letter_id: 'SLOW-0', case_number: 'SLOW-0'})
WITH t, s, c
UNWIND range(1, 400) AS i
CREATE (c)-[:HAS_DECISION]->(d:Decision {decision_id: 'SLOW-0#' + i})-[:FOR_TREATMENT]->(t), (d)-[:CITES]->(s)
WITH DISTINCT t, s
UNWIND range(1, 40) AS k
CREATE (o:Case {letter_id: 'SLOW-' + k, case_number: 'SLOW-' + k})
WITH t, s, o, k
UNWIND range(1, 200) AS i
CREATE (o)-[:HAS_DECISION]->(d:Decision {decision_id: 'SLOW-' + k + '#' + i})-[:FOR_TREATMENT]->(t),
       (d)-[:CITES]->(s)
"""


@pytest.fixture
def slow_client(empty_graph: Settings, driver: Driver) -> Iterator[TestClient]:
    driver.execute_query(HEAVY_NEIGHBOURHOOD)
    with TestClient(create_app(empty_graph, query_timeout_s=1.0)) as client:
        yield client
    driver.execute_query("MATCH (n) DETACH DELETE n")


def test_a_query_past_the_timeout_is_stopped_with_a_clear_error(slow_client: TestClient) -> None:
    response = slow_client.post(
        "/graphql", json={"query": '{ similarCases(caseNumber: "SLOW-0") { score } }'}
    )
    assert response.status_code == 200
    errors = response.json()["errors"]
    assert errors[0]["message"].startswith("the query ran past the 1 s limit and was stopped")
    # the server keeps answering, at once
    assert slow_client.get("/health").json() == {"status": "ok", "neo4j": "up"}
    quick = slow_client.post("/graphql", json={"query": '{ case(caseNumber: "SLOW-3") { letterId } }'})
    assert quick.json()["data"] == {"case": {"letterId": "SLOW-3"}}


def test_a_streamed_body_over_the_limit_is_refused(sample_loaded: Settings) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "{ cases { totalCount } }", "pad": "'
        for _ in range(MAX_BODY_BYTES // 10_000 + 2):
            yield b"x" * 10_000
        yield b'"}'

    with TestClient(create_app(sample_loaded)) as client:
        # A generator body goes out chunked, with no Content-Length to refuse it by.
        response = client.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert "request body over" in response.json()["errors"][0]["message"]
        assert client.get("/health").status_code == 200
