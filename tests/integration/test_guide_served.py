"""Neo4j Browser fetches the guide from the API: it must be served with the CORS header it needs."""

from __future__ import annotations

from starlette.testclient import TestClient

from api.cypher.db import ReadOnlyGraph
from api.web.app import create_app
from graph_loader.config import Settings


def test_guide_is_served_with_the_cors_header_browser_needs(
    sample_graph: ReadOnlyGraph, neo4j_server: Settings
) -> None:
    app = create_app(neo4j_server, graph=ReadOnlyGraph.connect(neo4j_server))
    with TestClient(app) as client:
        r = client.get("/guide", headers={"Origin": "http://127.0.0.1:7474"})
        assert r.status_code == 200 and "Guideline pages and sections" in r.text
        assert r.headers["access-control-allow-origin"] == "http://127.0.0.1:7474"
