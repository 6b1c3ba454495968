"""The client-error matrix against a served graph: the rows whose refusal used to come from Neo4j
itself (Lucene's clause limit, `LIMIT -5`, a number past 64 bits) and the matrix's argument rows again,
this time with every query free to reach the server. Same contract as tests/unit/test_client_errors.py:
a 4xx or a GraphQL error with its own message, nothing logged as unexpected, the client still served."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from api.cypher.pagination import MAX_PAGE_SIZE
from api.graphql.resolvers import MAX_SEARCH_TEXT
from api.web.app import create_app
from graph_loader.config import Settings
from tests.unit.test_client_errors import CHART, STORED, Case, assert_client_error, gql, send

SEARCH = "query($t: String!, $after: String) { searchRationales(text: $t, after: $after) { score } }"
GOOD_QUERY = {"query": "{ cases(first: 1) { edges { node { caseNumber } } } }"}

SERVED = [
    Case("search-text-past-lucene-clause-limit", 200,
         f"the search text is 20000 characters long; at most {MAX_SEARCH_TEXT}",
         body=gql(SEARCH, {"t": "therapy " * 2500})),
    # The longest text allowed, of the shortest fuzzy words: Lucene takes it or says why not.
    Case("search-text-at-the-limit-fuzzy", 200, "",
         body=gql(SEARCH, {"t": ("x~ " * MAX_SEARCH_TEXT)[:MAX_SEARCH_TEXT]})),
    Case("search-text-not-lucene", 200, "the search text is not a valid Lucene query",
         body=gql(SEARCH, {"t": "physical AND (therapy"})),
    Case("search-cursor-malformed", 200, "invalid cursor", body=gql(SEARCH, {"t": "therapy", "after": "x"})),
    Case("cases-cursor-malformed", 200, "invalid cursor",
         body=gql('{ cases(after: "bm90LWEtY3Vyc29y") { edges { cursor } } }')),
    Case("page-size-over-limit", 200, f"first may be at most {MAX_PAGE_SIZE}",
         body=gql("{ decisions(first: 1000) { edges { cursor } } }")),
    Case("variable-string-for-int", 200, "Int cannot represent non-integer value: 'abc'",
         body=gql("query($n: Int!) { decisions(first: $n) { edges { cursor } } }", {"n": "abc"})),
    Case("stored-param-negative", 200, "uphold_rates_by_treatment: parameter 'first'",
         body=gql(STORED, {"p": {"first": -5}})),
    Case("stored-param-past-64-bits", 200, "parameter 'first' takes a whole number from 0 to 100",
         body=gql(STORED, {"p": {"first": 99999999999999999999}})),
    Case("stored-param-over-page-size", 200, "parameter 'first' takes a whole number from 0 to 100",
         body=gql(STORED, {"p": {"first": 1000000000}})),
    Case("stored-param-fraction", 200, "parameter 'first' must be",
         body=gql(STORED, {"p": {"first": 2.5}})),
    Case("stored-param-negative-count", 200, "parameter 'min_decisions'",
         body=gql(STORED, {"p": {"min_decisions": -1}})),
    *(
        Case(f"chart-first-{name}", 400, "parameter 'first'", method="GET", path=CHART, headers={},
             params={"first": value})
        for name, value in [("negative", "-5"), ("past-64-bits", "99999999999999999999"),
                            ("over-page-size", "1000000000")]
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def client(sample_loaded: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(sample_loaded), raise_server_exceptions=False) as served:
        yield served


@pytest.mark.parametrize("case", SERVED, ids=[c.id for c in SERVED])
def test_a_client_error_is_answered_by_the_served_graph(
    client: TestClient, case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="imr_graph.api"):
        response = send(client, case)
        if case.message:
            assert_client_error(response, case.status, case.message)
        else:
            # A row with no expected message may be answered with rows or with a client error.
            assert response.status_code == case.status
            assert all("Internal error" not in e["message"] for e in response.json().get("errors", []))
        after = client.post("/graphql", json=GOOD_QUERY)
    assert after.status_code == 200 and "errors" not in after.json()
    assert after.json()["data"]["cases"]["edges"], "the sample graph answers"
    assert not [r for r in caplog.records if r.name.startswith("imr_graph.api")], "logged as unexpected"


def test_a_chart_within_the_limits_is_drawn(client: TestClient) -> None:
    response = client.get(CHART, params={"first": str(MAX_PAGE_SIZE), "min_decisions": "1"})
    assert response.status_code == 200 and response.text.lstrip().startswith("<svg")
