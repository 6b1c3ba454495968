"""Charts of the stored queries that declare one (`// chart: mark=line x=year y=uphold_rate ...`), served
as SVG at /charts/NAME.svg?param=value (api/web/chart_specs.py draws them; `sort=rate|n` orders bars).

The query runs read-only with its header's parameters (query-string values read as the header's types,
counts checked, the row limit `first` at most the API's page size; a bad value is a 400 naming it);
Altair builds the Vega-Lite spec and vl-convert renders it here, in process: its JavaScript engine and
Vega ship in the wheel, and external data URLs are refused, so nothing is fetched from anywhere.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import anyio.to_thread
import vl_convert
from neo4j.exceptions import ServiceUnavailable
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from api.cypher.db import QueryTimeout, ReadOnlyGraph
from api.cypher.pagination import MAX_PAGE_SIZE
from api.graphql.dataset import dataset_cache
from api.web.chart_specs import SORTS, ChartError, chart_spec, is_fraction
from graph_loader import stored_queries as library
from graph_loader.errors import ClientFacingError, InvalidArgument

__all__ = ["ChartError", "chart_routes", "chart_spec", "render_svg", "sort_from_text"]

CACHE_SECONDS = 60.0
CACHE_ENTRIES = 64
# Not a stored-query parameter: how the bars are ordered (the query's ORDER BY when absent).
SORT_PARAM = "sort"


def sort_from_text(name: str, query: library.StoredQuery, given: list[str]) -> str:
    """`?sort=rate|n`, checked like the query's own parameters: one value, one of the two, on bars."""
    if len(given) != 1:
        raise InvalidArgument(f"{name}: parameter 'sort' is given {len(given)} times")
    (value,) = given
    if value not in SORTS:
        raise InvalidArgument(f"{name}: parameter 'sort' takes rate or n, not {value!r}")
    chart = query.chart
    if chart is None or chart.mark != "bar":
        raise InvalidArgument(
            f"{name}: parameter 'sort' orders bars; this chart draws a {chart and chart.mark}"
        )
    if value == "rate" and not any(is_fraction(c.column) for c in (chart.x, chart.y)):
        raise InvalidArgument(
            f"{name}: parameter 'sort' is rate, but this chart draws no rate; sort=n orders it"
        )
    return value


def render_svg(spec: dict[str, Any]) -> str:
    # allowed_base_urls=[]: a spec can never make the renderer fetch data from anywhere.
    svg: str = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    return svg


class _Cache:
    """The last few charts for CACHE_SECONDS: a landing page reload does not rerun every query."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, tuple[float, str]] = {}

    def get(self, key: str) -> str | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None or time.monotonic() - hit[0] > CACHE_SECONDS:
                self._items.pop(key, None)
                return None
            return hit[1]

    def put(self, key: str, svg: str) -> None:
        with self._lock:
            if len(self._items) >= CACHE_ENTRIES:
                self._items.pop(next(iter(self._items)))
            self._items[key] = (time.monotonic(), svg)


def _text(message: str, status: int) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status)


def chart_routes(graph: ReadOnlyGraph) -> list[Route]:
    cache = _Cache()

    async def chart(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            query = library.get(name)
        except library.LibraryError as exc:
            return _text(str(exc), 404)
        if query.chart is None:
            return _text(f"{name} declares no chart; the queries with one are listed at /", 404)
        given = {key: request.query_params.getlist(key) for key in request.query_params}
        sort_given = given.pop(SORT_PARAM, None)
        try:
            sort = sort_from_text(name, query, sort_given) if sort_given is not None else None
            # A chart is a page of rows like any other: its row limit takes the API's page size.
            params = library.params_from_text(query, given, max_rows=MAX_PAGE_SIZE)
        except ClientFacingError as exc:
            return _text(str(exc), 400)
        # The same Dataset node, read as often, as the GraphQL answers' extensions.dataset.
        dataset = await dataset_cache(graph).get(graph)
        key = json.dumps([name, params, sort, dataset], sort_keys=True, default=str)
        svg = cache.get(key)
        if svg is None:
            try:
                rows = await graph.aread(query.cypher, **params)
            except QueryTimeout as exc:
                return _text(str(exc), 504)
            except ClientFacingError as exc:
                return _text(str(exc), 400)
            except ServiceUnavailable:
                return _text("Neo4j is not answering; start it with `imr-graph neo4j start`", 503)
            spec = chart_spec(query, params, rows, dataset=dataset, sort=sort)
            svg = await anyio.to_thread.run_sync(render_svg, spec)
            cache.put(key, svg)
        return Response(svg, media_type="image/svg+xml", headers={"cache-control": "max-age=60"})

    return [Route("/charts/{name}.svg", chart)]
