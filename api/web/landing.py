"""The landing page at /: where to go next (GraphiQL, Neo4j Browser, the guide), every stored query with
its chart, and the exports. Plain server-rendered HTML with its style inline: nothing loads from
another host."""

from __future__ import annotations

import html
import json
import os

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from api.web import graphiql
from graph_loader.stored_queries import StoredQuery, all_queries

DEFAULT_BROWSER_URL = "http://127.0.0.1:7474/browser/"

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 980px; padding: 1.5em; color: #222; }
h1 { margin-bottom: .2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.6em; }
code, pre { font: 13px/1.4 ui-monospace, monospace; background: #f5f5f5; }
pre { padding: .7em; overflow-x: auto; } code { padding: 0 .2em; }
ul.tools li { margin: .3em 0; } .query { margin: 1.4em 0 2em; } .query h3 { margin-bottom: .2em; }
.meta { color: #555; font-size: 13px; } .warn { color: #a40; }
ul.toc { columns: 2; font-size: 14px; }
img.chart { display: block; max-width: 100%; margin: .6em 0; border: 1px solid #eee; }
"""


def browser_url() -> str:
    """Neo4j Browser's address: IMR_NEO4J_BROWSER_URL, else the local server `imr-graph neo4j start` runs."""
    return os.environ.get("IMR_NEO4J_BROWSER_URL") or DEFAULT_BROWSER_URL


def _query_section(q: StoredQuery) -> str:
    e = html.escape
    params = ", ".join(
        f"<code>{e(k)}</code> = <code>{e(json.dumps(v))}</code>" for k, v in q.example_params.items()
    )
    chart = ""
    if q.chart is not None:
        src = f"/charts/{e(q.name)}.svg"
        chart = (
            f'<a href="{src}"><img class="chart" src="{src}" alt="chart: {e(q.title)}" loading="lazy"></a>'
            f'<p class="meta">chart: <code>{src}</code>; add parameters to the URL, '
            f"e.g. <code>?{e(next(iter(q.example_params), 'name'))}=...</code></p>"
        )
    return f"""
<div class="query" id="{e(q.name)}">
  <h3>{e(q.title)}</h3>
  <p>{e(q.description)}</p>
  <p class="meta"><code>cypher/{e(q.name)}.cypher</code> &middot; <code>imr-graph query {e(q.name)}</code>
  {"&middot; parameters: " + params if params else ""}</p>
  {chart}
  <details><summary>Cypher</summary><pre>{e(q.cypher)}</pre></details>
</div>"""


def render_landing(base_url: str) -> str:
    e = html.escape
    queries = sorted(
        all_queries(), key=lambda q: (q.name != "flagship_guideline_sections", q.chart is None, q.name)
    )
    guide_url = base_url.rstrip("/") + "/guide"
    graphiql_note = (
        ""
        if graphiql.assets_installed()
        else ' <span class="warn">(its assets are not installed here: run <code>make graphiql-assets</code>)</span>'
    )
    toc = "".join(f'<li><a href="#{e(q.name)}">{e(q.title)}</a></li>' for q in queries)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>imr-graph</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>
<body>
<h1>imr-graph</h1>
<p>California workers' compensation Independent Medical Review decisions as a knowledge graph: each
case is one Final Determination Letter, each decision one disputed treatment, <b>upheld</b> (the denial
stands) or <b>overturned</b>, with the guideline sections cited and the reasons given.</p>

<h2>Tools</h2>
<ul class="tools">
  <li><a href="/graphql">GraphiQL</a>: the GraphQL API, with the flagship question ready to run{graphiql_note}</li>
  <li><a href="{e(browser_url())}">Neo4j Browser</a>: the graph itself, in Cypher (credentials in the
  project's <code>.env</code>)</li>
  <li><a href="/guide">The Browser guide</a> of the stored queries: in Neo4j Browser run
  <code>:play {e(guide_url)}</code></li>
  <li><a href="/health">/health</a>: whether Neo4j answers</li>
</ul>

<h2>Exports</h2>
<p>The graph as files for pandas, R or DuckDB: <code>imr-graph export --format parquet DIR</code>.
The formats and columns are described in <code>docs/exports.md</code> in the repository.</p>

<h2>Stored queries</h2>
<p>The curated, parameterized Cypher of <code>cypher/</code>: the same text runs in Neo4j Browser, in
<code>imr-graph query NAME</code> and, where a GraphQL field answers the same question, in the API.
Charts are drawn here from each query's <code>// chart:</code> header, with its example parameters.</p>
<ul class="toc">{toc}</ul>
{"".join(_query_section(q) for q in queries)}
</body></html>
"""


async def landing(request: Request) -> HTMLResponse:
    return HTMLResponse(render_landing(str(request.base_url)))


def landing_routes() -> list[Route]:
    return [Route("/", landing)]
