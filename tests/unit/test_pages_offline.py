"""The landing page and GraphiQL are served from the project: every page names only its own host (and
the configured Neo4j Browser), GraphiQL's assets are the pinned ones, and without them /graphql says so."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from api.web import graphiql
from api.web.guide import render_guide
from api.web.landing import DEFAULT_BROWSER_URL, render_landing
from graph_loader.stored_queries import all_queries
from tests.helpers import ROOT
from tests.outside_hosts import outside_hosts, references

BASE = "http://127.0.0.1:8000/"


def test_landing_page_links_the_tools_every_query_and_its_chart() -> None:
    page = render_landing(BASE)
    for target in (
        'href="/graphql"',
        f'href="{DEFAULT_BROWSER_URL}"',
        'href="/guide"',
        "imr-graph export --format parquet DIR",
        "docs/exports.md",
    ):
        assert target in page
    for q in all_queries():
        assert html.escape(q.title) in page and html.escape(q.cypher) in page, q.name
        assert (f'src="/charts/{q.name}.svg"' in page) == (q.chart is not None), q.name
    assert outside_hosts(page, {"127.0.0.1:7474"}) == []


def test_landing_page_follows_the_configured_browser_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMR_NEO4J_BROWSER_URL", "http://neo4j.internal:7474/browser/")
    page = render_landing(BASE)
    assert outside_hosts(page, set()) == ["http://neo4j.internal:7474/browser/"]


def test_the_host_check_sees_scripts_styles_and_css_urls() -> None:
    page = """<html><head><script src="https://unpkg.com/react.js"></script>
    <link rel="stylesheet" href="//cdn.example/x.css"><style>@import "https://fonts.example/f.css";
    body { background: url('http://img.example/b.png') }</style></head>
    <body><img srcset="/a.png 1x, https://img.example/a2.png 2x"><a href="/local">x</a></body></html>"""
    assert outside_hosts(page, set()) == [
        "https://unpkg.com/react.js",
        "//cdn.example/x.css",
        "https://fonts.example/f.css",
        "http://img.example/b.png",
        "https://img.example/a2.png",
    ]


def test_guide_references_no_outside_host() -> None:
    assert outside_hosts(render_guide(), set()) == []


def test_graphiql_page_loads_only_the_projects_assets(tmp_path: Path) -> None:
    for name in graphiql.ASSETS:
        (tmp_path / name).write_text("/* stand-in */")
    page = graphiql.page(directory=tmp_path)
    assert outside_hosts(page, set()) == []
    local = sorted(u.removeprefix("/static/graphiql/") for u in references(page))
    assert local == sorted(graphiql.ASSETS)
    assert "unpkg" not in page and "jsdelivr" not in page


def test_graphiql_opens_on_the_readme_flagship(tmp_path: Path) -> None:
    readme_block = re.search(r"```graphql\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert readme_block and readme_block.group(1) == graphiql.FLAGSHIP_QUERY
    for name in graphiql.ASSETS:
        (tmp_path / name).write_text("")
    assert json.dumps(graphiql.DEFAULT_QUERY) in graphiql.page(directory=tmp_path)


def test_without_its_assets_graphiql_says_so_instead_of_hanging(tmp_path: Path) -> None:
    page = graphiql.page("http://127.0.0.1:8000/graphql", directory=tmp_path / "absent")
    assert "GraphiQL's assets are not installed" in page and "make graphiql-assets" in page
    assert "Loading..." not in page and "<script" not in page


def test_assets_are_pinned_and_copied_whole(tmp_path: Path) -> None:
    pins = json.loads((ROOT / "tools" / "graphiql-assets" / "package.json").read_text())["dependencies"]
    assert {package for package, _ in graphiql.ASSETS.values()} == set(pins)
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in pins.values()), pins
    modules = tmp_path / "node_modules"
    for package, inner in graphiql.ASSETS.values():
        (modules / package / inner).parent.mkdir(parents=True, exist_ok=True)
        (modules / package / inner).write_text(f"{package}/{inner}")
        (modules / package / "package.json").write_text(json.dumps({"version": pins[package]}))
    graphiql.install(modules, tmp_path / "out")
    assert graphiql.assets_installed(tmp_path / "out")
    assert (tmp_path / "out" / "graphiql.min.js").read_text() == "graphiql/graphiql.min.js"
    assert json.loads((tmp_path / "out" / graphiql.MARKER).read_text()) == pins


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed: GraphiQL's assets cannot be")
def test_setup_installed_the_assets() -> None:
    missing = graphiql.missing_assets()
    assert not missing, (
        f"GraphiQL assets missing from {graphiql.ASSETS_DIR}: {missing}; run `make graphiql-assets`"
    )
