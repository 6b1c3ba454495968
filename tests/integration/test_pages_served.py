"""The landing page, the charts and GraphiQL as the API serves them over HTTP, on the sample graph:
every page and image names no outside host, and charts refuse bad parameters with a one-line reason."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from api.cypher.db import ReadOnlyGraph
from api.web import graphiql
from api.web.app import create_app
from graph_loader import stored_queries as library
from graph_loader.config import Settings
from tests.outside_hosts import outside_hosts

CHARTED = [q.name for q in library.all_queries() if q.chart is not None]
OWN = {"testserver", "127.0.0.1:7474"}


@pytest.fixture(scope="module")
def client(sample_graph: ReadOnlyGraph, sample_loaded: Settings) -> Iterator[TestClient]:
    app = create_app(sample_loaded, graph=ReadOnlyGraph.connect(sample_loaded))
    with TestClient(app) as c:
        yield c


def test_pages_name_no_outside_host(client: TestClient) -> None:
    for path, headers in (("/", {}), ("/graphql", {"Accept": "text/html"}), ("/guide", {})):
        r = client.get(path, headers=headers)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
        assert outside_hosts(r.text, OWN) == [], path
    assert client.get("/health").json() == {"status": "ok", "neo4j": "up"}


@pytest.mark.parametrize("name", CHARTED)
def test_every_chart_renders_from_the_graph(client: TestClient, name: str) -> None:
    r = client.get(f"/charts/{name}.svg")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("image/svg+xml") and r.text.startswith("<svg")
    assert outside_hosts(r.text, set()) == []


def test_chart_columns_come_back_from_the_real_query(sample_graph: ReadOnlyGraph) -> None:
    for name in CHARTED:
        query = library.get(name)
        assert query.chart is not None
        rows = sample_graph.read(query.cypher, **query.example_params)
        if rows:
            assert set(query.chart.columns) <= set(rows[0]), name


def test_chart_parameters_from_the_query_string(client: TestClient) -> None:
    r = client.get("/charts/flagship_guideline_sections.svg?diagnosis_codes=M54&first=2")
    # The subtitle says in words what was asked, and the caption which load answered.
    assert r.status_code == 200 and "dorsalgia (M54), upheld, cited by the IMR reviewer" in r.text
    assert "top 2" in r.text and "diagnosis_codes" not in r.text
    dataset = client.post("/graphql", json={"query": "{ __typename }"}).json()["extensions"]["dataset"]
    assert f"dataset {dataset['id']} ({dataset['letters']} letters" in r.text
    by_rate = client.get("/charts/uphold_rates_by_treatment.svg?sort=rate")
    assert by_rate.status_code == 200 and "bars: uphold rate; lines: 95% interval" in by_rate.text
    assert client.get("/charts/uphold_rates_by_treatment.svg?sort=size").status_code == 400
    bad = client.get("/charts/flagship_guideline_sections.svg?first=lots")
    assert bad.status_code == 400
    assert bad.text.strip() == "flagship_guideline_sections: parameter 'first' must be a number, not 'lots'"
    unknown = client.get("/charts/denial_reasons_for_treatment.svg?drug=x")
    assert unknown.status_code == 400 and "has no parameter 'drug' (it takes: treatment)" in unknown.text
    assert client.get("/charts/quality_checks.svg").status_code == 404
    assert "declares no chart" in client.get("/charts/quality_checks.svg").text
    assert client.get("/charts/no_such_query.svg").status_code == 404


def test_graphiql_assets_are_served_when_installed(client: TestClient) -> None:
    if not graphiql.assets_installed():
        page = client.get("/graphql", headers={"Accept": "text/html"}).text
        assert "GraphiQL's assets are not installed" in page
        pytest.skip("GraphiQL's assets are not installed (no npm): checked the page that says so")
    for name in graphiql.ASSETS:
        r = client.get(f"/static/graphiql/{name}")
        assert r.status_code == 200 and len(r.content) > 500, name
