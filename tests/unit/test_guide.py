"""The Neo4j Browser guide is generated from cypher/ and contains every stored query."""

from __future__ import annotations

import html

from api.web.guide import render_guide
from graph_loader.stored_queries import all_queries


def test_guide_contains_every_query() -> None:
    page = render_guide()
    for q in all_queries():
        assert html.escape(q.cypher) in page, f"{q.name} is missing from the guide"
        assert html.escape(q.title) in page
    assert page.count("<slide") == len(all_queries()) + 1
