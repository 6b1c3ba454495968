"""A Neo4j Browser guide generated from the cypher/ library, so the two never drift.

Served by the API at /guide (open it in Neo4j Browser with `:play http://127.0.0.1:8000/guide`, or
`:guide` in newer Browsers); the generated neo4j.conf allows that host and opens it on connect.
"""

from __future__ import annotations

import html
import json

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from graph_loader.stored_queries import StoredQuery, all_queries

INTRO = """
<slide class="row-fluid">
  <div class="col-sm-12">
    <h3>IMR decisions as a knowledge graph</h3>
    <p>Each <b>Case</b> is one Independent Medical Review Final Determination Letter; each
    <b>Decision</b> is one disputed item, <b>UPHELD</b> (the denial stands) or <b>OVERTURNED</b>.
    Decisions <b>CITE</b> guideline sections (who cited is on the relationship: the IMR reviewer, the
    claims administrator, or the rationale) and carry <b>DENIED_BECAUSE</b> reasons. Every fact
    from the letter's text carries its <code>letter_id</code> and character <code>span</code>.</p>
    <p>The next slides are the curated queries of <code>cypher/</code>. Click a query to put it in
    the editor; run the <code>:params</code> line above it first to set its parameters.</p>
  </div>
</slide>
"""


def _slide(q: StoredQuery) -> str:
    # One `:params {...}` command (Browser runs a block as one command; several :param lines fail).
    entries = ", ".join(f"{k}: {json.dumps(v)}" for k, v in q.example_params.items())
    params = f":params {{{entries}}}" if entries else ""
    params_block = f'<pre class="pre-scrollable code runnable">{html.escape(params)}</pre>' if params else ""
    return f"""
<slide class="row-fluid">
  <div class="col-sm-12">
    <h3>{html.escape(q.title)}</h3>
    <p>{html.escape(q.description)}</p>
    <p><small>cypher/{html.escape(q.name)}.cypher &middot; also: <code>imr-graph query {html.escape(q.name)}</code></small></p>
    {params_block}
    <pre class="pre-scrollable code runnable">{html.escape(q.cypher)}</pre>
  </div>
</slide>
"""


def render_guide() -> str:
    queries = sorted(all_queries(), key=lambda q: (q.name != "flagship_guideline_sections", q.name))
    slides = INTRO + "".join(_slide(q) for q in queries)
    return f'<article class="guide" ng-controller="AppCtrl">\n<carousel class="deck container-fluid">{slides}</carousel>\n</article>\n'


async def guide(request: Request) -> HTMLResponse:
    return HTMLResponse(render_guide())


def guide_routes() -> list[Route]:
    return [Route("/guide", guide), Route("/guide.html", guide)]
