"""The client-error matrix (issue 28): every malformed request, variable, argument, cursor, search text,
stored-query parameter and chart parameter gets a 4xx or a GraphQL error with its own message, never
the masked "Internal error" and never a 500, is not logged as unexpected, and the same client goes on
being served. Every row here is refused before a query would reach Neo4j, so a fake graph serves them;
the rows that need Neo4j's own answer are in tests/integration/test_client_errors_served.py."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from neo4j import Driver
from starlette.testclient import TestClient

from api.cypher.db import ReadOnlyGraph
from api.cypher.pagination import MAX_PAGE_SIZE
from api.cypher.root_queries import DATASET
from api.graphql.extensions import MASKED_MESSAGE, MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from api.graphql.resolvers import MAX_SEARCH_TEXT
from api.web.app import MAX_BODY_BYTES, create_app
from graph_loader.config import Settings

JSON = {"content-type": "application/json"}
GOOD = {"query": "{ __typename }"}


@dataclass(frozen=True)
class Case:
    """One bad request: how it is sent, the status it gets and a fragment of its one error message."""

    id: str
    status: int
    message: str
    method: str = "POST"
    path: str = "/graphql"
    headers: dict[str, str] = field(default_factory=lambda: dict(JSON))
    body: bytes | None = None
    params: dict[str, str] | None = None


def gql(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return json.dumps({"query": query, "variables": variables}).encode()


CASES_FIRST = "query($n: Int!) { cases(first: $n) { edges { cursor } } }"
BY_FILTER = "query($f: DecisionFilter) { cases(filter: $f) { edges { cursor } } }"
STORED = 'query($p: JSON) { storedQuery(name: "uphold_rates_by_treatment", params: $p) { rows } }'
CHART = "/charts/uphold_rates_by_treatment.svg"


def _deep(levels: int) -> str:
    inner = "letterId"
    for _ in range(levels):
        inner = f"decisions {{ case {{ {inner} }} }}"
    return f'{{ case(caseNumber: "x") {{ {inner} }} }}'


MATRIX = [
    # Variables that do not coerce: the same messages as the mistakes written inline.
    Case("variable-string-for-int", 200, "Int cannot represent non-integer value: 'abc'",
         body=gql(CASES_FIRST, {"n": "abc"})),
    Case("variable-missing", 200, "Expected a value of non-null type 'Int!' to be provided",
         body=gql(CASES_FIRST, {})),
    Case("variable-unknown-enum", 200, "Value 'MAYBE' does not exist in 'Outcome' enum",
         body=gql(BY_FILTER, {"f": {"outcome": "MAYBE"}})),
    Case("variable-unknown-input-field", 200, "not to include unknown field 'bogus'",
         body=gql(BY_FILTER, {"f": {"bogus": 1}})),
    Case("inline-string-for-int", 200, "Int cannot represent non-integer value: \"abc\"",
         body=gql('{ cases(first: "abc") { edges { cursor } } }')),
    Case("inline-unknown-enum", 200, "Value 'MAYBE' does not exist in 'Outcome' enum",
         body=gql("{ cases(filter: {outcome: MAYBE}) { edges { cursor } } }")),
    Case("variables-not-an-object", 400, "`variables` must be an object",
         body=json.dumps({"query": "{ __typename }", "variables": [1]}).encode()),
    # Documents.
    Case("syntax-error", 200, "Syntax Error", body=gql("{ cases(")),
    Case("unknown-field", 200, "Cannot query field 'nonsense'", body=gql("{ nonsense }")),
    Case("no-query", 400, "No GraphQL query found", body=b"{}"),
    Case("too-deep", 200, f"exceeds maximum operation depth of {MAX_DEPTH}", body=gql(_deep(6))),
    Case("too-many-aliases", 200, f"{MAX_ALIASES + 1} aliases found. Allowed: {MAX_ALIASES}",
         body=gql("{ " + " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1)) + " }")),
    Case("too-many-tokens", 200, f"Document contains more than {MAX_TOKENS} tokens",
         body=gql("{ " + "__typename " * MAX_TOKENS + "}")),
    Case("too-many-analytic-fields", 200, "analytic root fields in one operation",
         body=gql("{ " + " ".join(f"s{i}: states {{ totalCount }}" for i in range(9)) + " }")),
    # Bodies and transport.
    Case("body-a-string", 400, "the request body must be a JSON object with a query", body=b'"hello"'),
    Case("body-null", 400, "the request body must be a JSON object with a query", body=b"null"),
    Case("body-a-list", 400, "the request body must be a JSON object with a query", body=b"[1]"),
    Case("body-not-utf8", 400, "the request body is not UTF-8 text", body=b'{"query": "\xff\xfe"}'),
    Case("body-not-json", 400, "the request body is not JSON", body=b"{query"),
    # strawberry's own refusals, answered as GraphQL error bodies rather than its plain text.
    Case("content-type-not-json", 400, "Unsupported content type",
         headers={"content-type": "text/plain"}, body=b"{ __typename }"),
    Case("content-type-missing", 400, "Unsupported content type", headers={}, body=gql("{ __typename }")),
    Case("content-type-multipart", 400, "Unsupported content type",
         headers={"content-type": "multipart/form-data; boundary=x"}, body=b"--x--"),
    Case("query-not-a-string", 400, "`query` must be a string or null", body=b'{"query": 5}'),
    Case("extensions-not-an-object", 400, "`extensions` must be an object",
         body=json.dumps({"query": "{ __typename }", "extensions": [1]}).encode()),
    Case("unknown-operation-name", 400, 'Unknown operation named "Nope"',
         body=json.dumps({"query": "query A { __typename }", "operationName": "Nope"}).encode()),
    Case("get-without-query", 400, "No GraphQL query found", method="GET",
         headers={"accept": "application/json"}),
    Case("method-put", 405, "GraphQL only supports GET and POST requests", method="PUT", body=gql("{ x }")),
    Case("method-delete", 405, "GraphQL only supports GET and POST requests", method="DELETE", headers={}),
    Case("body-too-large", 413, f"request body over {MAX_BODY_BYTES} bytes",
         body=gql("{ __typename }" + " " * MAX_BODY_BYTES)),
    Case("mutation-over-get", 400, "mutations are not allowed when using GET", method="GET",
         headers={"accept": "application/json"}, params={"query": "mutation { x }"}),
    # Arguments, cursors, search text, stored queries: refused before a query is sent.
    Case("page-size-over-limit", 200, f"first may be at most {MAX_PAGE_SIZE}",
         body=gql(f"{{ cases(first: {MAX_PAGE_SIZE + 1}) {{ edges {{ cursor }} }} }}")),
    Case("page-size-negative", 200, "first must be 0 or more",
         body=gql("{ decisions(first: -1) { edges { cursor } } }")),
    Case("cursor-malformed", 200, "invalid cursor: pass an endCursor or cursor this API returned",
         body=gql('{ searchRationales(text: "therapy", after: "not a cursor!") { score } }')),
    Case("search-text-too-long", 200, f"the search text is 20000 characters long; at most {MAX_SEARCH_TEXT}",
         body=gql("query($t: String!) { searchRationales(text: $t) { score } }", {"t": "therapy " * 2500})),
    Case("stored-query-unknown", 200, "no stored query named 'nope'",
         body=gql('{ storedQuery(name: "nope") { rows } }')),
    Case("stored-params-not-an-object", 200, "params must be a JSON object", body=gql(STORED, {"p": [1]})),
    Case("stored-param-unknown", 200, "uphold_rates_by_treatment has no parameter 'colour'",
         body=gql(STORED, {"p": {"colour": "red"}})),
    Case("stored-param-negative", 200, "uphold_rates_by_treatment: parameter 'first'",
         body=gql(STORED, {"p": {"first": -5}})),
    Case("stored-param-over-page-size", 200, "parameter 'first' takes a whole number from 0 to 100",
         body=gql(STORED, {"p": {"first": 1000000000}})),
    Case("stored-param-wrong-type", 200, "parameter 'min_decisions' must be",
         body=gql(STORED, {"p": {"min_decisions": "many"}})),
    # Chart parameters: a one-line 400 naming the parameter.
    *(
        Case(f"chart-first-{name}", 400, f"parameter 'first' takes a whole number from 0 to {MAX_PAGE_SIZE}",
             method="GET", path=CHART, headers={}, params={"first": value})
        for name, value in [("past-64-bits", "99999999999999999999"), ("over-page-size", "1000000000")]
    ),
    # Type and minimum are the header's `// param` lines (graph_loader/stored_queries.py words them).
    Case("chart-first-negative", 400, "parameter 'first' must be",
         method="GET", path=CHART, headers={}, params={"first": "-5"}),
    Case("chart-first-not-a-number", 400, "parameter 'first' must be",
         method="GET", path=CHART, headers={}, params={"first": "many"}),
    Case("chart-first-fraction", 400, "parameter 'first' must be",
         method="GET", path=CHART, headers={}, params={"first": "2.5"}),
    Case("chart-param-unknown", 400, "has no parameter 'colour'",
         method="GET", path=CHART, headers={}, params={"colour": "red"}),
    Case("chart-unknown", 404, "no stored query named 'nope'",
         method="GET", path="/charts/nope.svg", headers={}),
]  # fmt: skip


class FakeGraph(ReadOnlyGraph):
    """Answers every read with no rows and holds no driver: the matrix's requests are refused before
    they would read (the resolvers check they were handed a ReadOnlyGraph, hence the subclass)."""

    async def aread(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        # The response's extensions.dataset read (api/graphql/dataset.py) is not the request's query.
        if cypher != DATASET:
            self.queries_sent.append(cypher)
        return []

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def fake_graph() -> FakeGraph:
    return FakeGraph(driver=cast(Driver, None), database="neo4j")


@pytest.fixture(scope="module")
def client(fake_graph: FakeGraph) -> Iterator[TestClient]:
    settings = Settings(uri="bolt://127.0.0.1:1", user="neo4j", password="x")
    # raise_server_exceptions=False: a server error must show as the 500 a client would get.
    with TestClient(create_app(settings, graph=fake_graph), raise_server_exceptions=False) as served:
        yield served


def send(client: TestClient, case: Case) -> Any:
    return client.request(case.method, case.path, headers=case.headers, content=case.body, params=case.params)


def assert_client_error(response: Any, status: int, message: str) -> None:
    """A 4xx naming the problem, or a 200 whose GraphQL errors name it; never a 500 or the masked
    message."""
    assert response.status_code == status, response.text
    assert 400 <= status < 500 or status == 200
    assert MASKED_MESSAGE not in response.text
    if response.url.path == "/graphql":
        # A GraphQL client reads every answer of /graphql the same way, a refusal included.
        assert response.headers["content-type"].startswith("application/json"), response.text
        assert set(response.json()) == {"errors"} or status == 200, response.json()
    if status == 200 or response.headers["content-type"].startswith("application/json"):
        errors = response.json()["errors"]
        assert errors and all(isinstance(e["message"], str) for e in errors)
        assert any(message in e["message"] for e in errors), errors
    else:
        assert message in response.text
        assert "\n" not in response.text.strip(), "one line"


@pytest.mark.parametrize("case", MATRIX, ids=[c.id for c in MATRIX])
def test_a_client_error_is_answered_as_such_and_the_client_is_still_served(
    client: TestClient, case: Case, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="imr_graph.api"):
        assert_client_error(send(client, case), case.status, case.message)
        after = client.post("/graphql", json=GOOD)
    # No Dataset node in a graph with no rows: the answer says so.
    assert after.status_code == 200
    assert after.json() == {"data": {"__typename": "Query"}, "extensions": {"dataset": None}}
    assert not [r for r in caplog.records if r.name.startswith("imr_graph.api")], "logged as unexpected"


def test_request_errors_are_400_for_a_graphql_response_client(client: TestClient) -> None:
    """GraphQL over HTTP: a variable that does not coerce is a request error (nothing ran): 400."""
    response = client.post(
        "/graphql",
        content=gql(CASES_FIRST, {"n": "abc"}),
        headers={**JSON, "accept": "application/graphql-response+json"},
    )
    assert response.status_code == 400
    assert "data" not in response.json()
    assert "Int cannot represent non-integer value" in response.json()["errors"][0]["message"]


def test_refused_parameters_never_reach_the_graph(client: TestClient, fake_graph: FakeGraph) -> None:
    """The range checks run before the query: `LIMIT -5` is never sent for Neo4j to fail on."""
    before = len(fake_graph.queries_sent)
    assert send(client, next(c for c in MATRIX if c.id == "stored-param-negative")).status_code == 200
    assert send(client, next(c for c in MATRIX if c.id == "chart-first-negative")).status_code == 400
    assert len(fake_graph.queries_sent) == before
    good = client.get(CHART, params={"first": str(MAX_PAGE_SIZE)})
    assert good.status_code == 200 and good.headers["content-type"].startswith("image/svg+xml")
    assert len(fake_graph.queries_sent) == before + 1
