"""The GraphQL API executed without HTTP (as strawberry's own tests do) against the sample graph,
plus the HTTP app for health, GraphiQL and limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from starlette.testclient import TestClient

from api.cypher.db import ReadOnlyGraph
from api.cypher.pagination import MAX_PAGE_SIZE
from api.cypher.root_queries import DATASET
from api.cypher.tally_answers import TALLIES_READY
from api.graphql.schema import execute, schema
from api.web.app import create_app
from graph_loader.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def run(g: ReadOnlyGraph, query: str, **variables: Any) -> dict[str, Any]:
    result = execute(query, g, variables)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def test_schema_file_is_current() -> None:
    committed = (ROOT / "schema.graphql").read_text()
    assert committed.strip() == schema.as_str().strip(), "schema drifted: run `make schema` and commit"


def test_flagship_through_graphql(sample_graph: ReadOnlyGraph) -> None:
    data = run(
        sample_graph,
        """{ guidelineCitationStats(diagnosis: "lumbar radiculopathy", outcome: UPHELD,
        citedBy: IMR_REVIEWER) { guideline { family title url } section pages decisions decisionsInScope
        share } }""",
    )
    rows = data["guidelineCitationStats"]
    assert rows and rows[0]["guideline"]["family"] == "MTUS"
    assert all(r["guideline"]["url"] for r in rows)
    # A share is of the decisions in scope (cited or not), not of the rows' sum.
    scope = {r["decisionsInScope"] for r in rows}
    assert len(scope) == 1 and scope.pop() >= max(r["decisions"] for r in rows)
    assert all(abs(r["share"] - r["decisions"] / r["decisionsInScope"]) < 1e-9 for r in rows)


def test_each_root_field_sends_one_query(sample_graph: ReadOnlyGraph) -> None:
    sample_graph.queries_sent.clear()
    run(
        sample_graph,
        """{
      cases(first: 5) { totalCount edges { node { letterId diagnoses { code source { span } }
        decisions { item citations { guideline { title } section { label } source { span } }
        denialReasons { code source { span } } } } } }
      decisions(first: 5) { edges { node { item treatment category bodyRegions } } }
      outcomeRates(groupBy: TREATMENT) { group upholdRate }
    }""",
    )
    # The tallies' readiness check and extensions.dataset's read are per process, every few seconds,
    # not per field.
    assert len([q for q in sample_graph.queries_sent if q not in (TALLIES_READY, DATASET)]) == 3
    assert sample_graph.queries_sent.count(TALLIES_READY) <= 1
    assert sample_graph.queries_sent.count(DATASET) <= 1


def test_filters_and_pagination(sample_graph: ReadOnlyGraph) -> None:
    q = """query($after: String) { decisions(first: 4, after: $after,
        filter: {OR: [{category: PHYSICAL_MEDICINE}, {NOT: {outcome: UPHELD}}]}) {
          totalCount edges { cursor node { category } } pageInfo { hasNextPage endCursor } } }"""
    first = run(sample_graph, q)["decisions"]
    assert first["totalCount"] == 7 and first["pageInfo"]["hasNextPage"]
    second = run(sample_graph, q, after=first["pageInfo"]["endCursor"])["decisions"]
    assert len(first["edges"]) + len(second["edges"]) == 7
    assert not second["pageInfo"]["hasNextPage"]
    past_end = run(sample_graph, q, after=second["pageInfo"]["endCursor"])["decisions"]
    assert past_end["totalCount"] == 7 and past_end["edges"] == []


def test_outcome_rates_and_denial_reasons(sample_graph: ReadOnlyGraph) -> None:
    data = run(
        sample_graph,
        """{ outcomeRates(groupBy: CATEGORY) { group decisions upholdRate }
      denialReasons(treatment: "physical therapy") { code decisions examples { text source { span } } } }""",
    )
    rates = {r["group"]: r for r in data["outcomeRates"]}
    assert rates["PHYSICAL_MEDICINE"]["decisions"] == 7
    codes = {r["code"] for r in data["denialReasons"]}
    assert "NO_FUNCTIONAL_IMPROVEMENT" in codes
    assert all(e["text"] for r in data["denialReasons"] for e in r["examples"])


def test_similar_cases(sample_graph: ReadOnlyGraph) -> None:
    some = run(sample_graph, "{ cases(first: 1) { edges { node { letterId } } } }")
    key = some["cases"]["edges"][0]["node"]["letterId"]
    data = run(
        sample_graph, "query($k: String!) { similarCases(caseNumber: $k) { letterId score shared } }", k=key
    )
    assert data["similarCases"] and all(r["letterId"] != key for r in data["similarCases"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ cases(first: 1000000) { edges { cursor } } }", f"at most {MAX_PAGE_SIZE}"),
        ("{ " + " ".join(f'a{i}: case(caseNumber: "x") {{ layout }}' for i in range(500)) + " }", "tokens"),
        ("{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }", "aliases"),
        ('{ cases(after: "!!notacursor") { edges { cursor } } }', "invalid cursor"),
        ('{ guidelineCitationStats(diagnosis: "zzzz") { decisions } }', "no ICD-10-CM code"),
    ],
)
def test_abuse_is_rejected_with_a_clear_error(sample_graph: ReadOnlyGraph, query: str, message: str) -> None:
    result = execute(query, sample_graph)
    assert result.errors and message in str(result.errors[0].message)


def test_deep_queries_are_rejected_and_the_schema_stays_usable(sample_graph: ReadOnlyGraph) -> None:
    deep = "{ cases { edges { node { decisions { citations { guideline { title } } } } } } }"
    assert execute(deep, sample_graph).errors is None
    twenty = (
        "{ cases { edges { node { "
        + "decisions { citations { source { " * 6
        + "span"
        + " } } }" * 6
        + " } } } }"
    )
    result = execute(twenty, sample_graph)
    assert result.errors and (
        "depth" in result.errors[0].message or "Cannot query" in result.errors[0].message
    )
    assert execute(deep, sample_graph).errors is None


def test_injection_attempts_change_nothing(sample_graph: ReadOnlyGraph, driver: Driver) -> None:
    before = driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    for evil in ["x' OR 1=1 //", '") DETACH DELETE n //', "x} MATCH (n) DETACH DELETE n //"]:
        run(
            sample_graph,
            "query($v: String!) { case(caseNumber: $v) { layout } "
            "decisions(filter: {item: {contains: $v}, treatment: {startsWith: $v}}) "
            "{ edges { cursor } } }",
            v=evil,
        )
    assert driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == before


def test_read_mode_refuses_writes(sample_graph: ReadOnlyGraph) -> None:
    with pytest.raises(Exception, match=r"(?i)write|read"):
        sample_graph.read("CREATE (:Hack)")


def test_http_app(sample_graph: ReadOnlyGraph, neo4j_server: Settings) -> None:
    app = create_app(neo4j_server, graph=ReadOnlyGraph.connect(neo4j_server))
    with TestClient(app) as client:
        assert client.get("/health").json() == {"status": "ok", "neo4j": "up"}
        page = client.get("/graphql", headers={"Accept": "text/html"}, follow_redirects=False)
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        r = client.post(
            "/graphql",
            json={"query": "{ outcomeRates(groupBy: YEAR) { group decisions } }"},
            follow_redirects=False,
        )
        assert r.status_code == 200 and r.json()["data"]["outcomeRates"]
        big = client.post(
            "/graphql", content=b"{" + b" " * 1_000_000 + b"}", headers={"content-type": "application/json"}
        )
        assert big.status_code == 413
        r = client.post("/graphql", json={"query": "{ nonsense }"})
        assert "Traceback" not in r.text and "MATCH" not in r.text


def test_invalid_search_text_gets_a_clear_error(sample_graph: ReadOnlyGraph) -> None:
    result = execute('{ searchRationales(text: "therapy}") { score } }', sample_graph)
    assert result.errors and "not a valid Lucene query" in result.errors[0].message


def test_api_has_no_write_path() -> None:
    import re

    import api.cypher.root_queries
    from graph_loader.stored_queries import all_queries

    sources = {p.name: p.read_text() for p in (ROOT / "api").glob("*.py")}
    for name, text in sources.items():
        assert "execute_write" not in text and "WRITE_ACCESS" not in text, name
    statements: list[str] = []
    for value in vars(api.cypher.root_queries).values():
        if isinstance(value, str):
            statements.append(value)
        elif isinstance(value, dict):
            statements.extend(v for v in value.values() if isinstance(v, str))
    statements.extend(q.cypher for q in all_queries())
    assert len(statements) >= 20
    write = re.compile(r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|LOAD CSV|FOREACH)\b")
    assert not [s for s in statements if write.search(s)]
