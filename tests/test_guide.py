"""The Neo4j Browser guide is generated from cypher/ and contains every stored query."""

from __future__ import annotations

import html

from starlette.testclient import TestClient

from api.app import create_app
from api.db import ReadOnlyGraph
from api.guide import render_guide
from graph_loader.config import Settings
from graph_loader.library import all_queries


def test_guide_contains_every_query() -> None:
    page = render_guide()
    for q in all_queries():
        assert html.escape(q.cypher) in page, f"{q.name} is missing from the guide"
        assert html.escape(q.title) in page
    assert page.count("<slide") == len(all_queries()) + 1


def test_guide_is_served_with_the_cors_header_browser_needs(
    sample_graph: ReadOnlyGraph, neo4j_server: Settings
) -> None:
    app = create_app(neo4j_server, graph=ReadOnlyGraph.connect(neo4j_server))
    with TestClient(app) as client:
        r = client.get("/guide", headers={"Origin": "http://127.0.0.1:7474"})
        assert r.status_code == 200 and "Guideline pages and sections" in r.text
        assert r.headers["access-control-allow-origin"] == "http://127.0.0.1:7474"
