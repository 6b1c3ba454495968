"""Charts of the stored queries that declare one (`// chart: mark=line x=year y=uphold_rate ...`), served
as SVG at /charts/NAME.svg?param=value.

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

import altair as alt
import anyio.to_thread
import vl_convert
from neo4j.exceptions import ServiceUnavailable
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from api.cypher.db import QueryTimeout, ReadOnlyGraph
from api.cypher.pagination import MAX_PAGE_SIZE
from graph_loader import stored_queries as library
from graph_loader.errors import ClientFacingError, ImrGraphError

CACHE_SECONDS = 60.0
CACHE_ENTRIES = 64
WIDTH = 560
LINE_HEIGHT = 300
BAR_STEP = 18
# Longest axis label before Vega truncates it with an ellipsis (section names run long).
LABEL_LIMIT = 320


class ChartError(ImrGraphError):
    """A chart's declaration does not match what its query returned (a bug in cypher/, not the client's)."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_fraction(column: str) -> bool:
    return column.endswith("rate") or column == "share"


def _channel_type(channel: library.Channel, rows: list[dict[str, Any]], default: str) -> str:
    if channel.type:
        return channel.type
    values = [r.get(channel.column) for r in rows if r.get(channel.column) is not None]
    return "Q" if values and all(_is_number(v) for v in values) else default


def _position(name: str, channel: library.Channel, rows: list[dict[str, Any]], mark: str) -> Any:
    kind = _channel_type(channel, rows, "O" if mark != "bar" else "N")
    title = channel.column.replace("_", " ")
    encode = alt.X if name == "x" else alt.Y
    if kind == "Q" and _is_fraction(channel.column):
        return encode(
            f"{channel.column}:Q", title=title, axis=alt.Axis(format=".0%"), scale=alt.Scale(domain=[0, 1])
        )
    if kind == "Q":
        # Counts under 10 get a tick per whole number; Vega would otherwise label 0.5 decisions.
        counts = [r.get(channel.column) for r in rows]
        small = bool(counts) and all(isinstance(v, int) and not isinstance(v, bool) for v in counts)
        top = max((v for v in counts if isinstance(v, int)), default=0)
        axis = alt.Axis(values=list(range(top + 1)), format="d") if small and top < 10 else alt.Undefined
        return encode(f"{channel.column}:Q", title=title, axis=axis)
    # sort=None keeps the rows in the query's ORDER BY: the Cypher decides what comes first. Long
    # category labels beside bars say what they are; an axis title there would only overlap them.
    return encode(
        f"{channel.column}:{kind}",
        title=None if name == "y" else title,
        sort=None,
        axis=alt.Axis(labelLimit=LABEL_LIMIT, labelAngle=0 if name == "x" else alt.Undefined),
    )


def _subtitle(params: dict[str, Any]) -> str:
    text = "  ".join(f"{k}={json.dumps(v)}" for k, v in params.items())
    return text if len(text) <= 140 else text[:139] + "…"


def _marked(chart: alt.Chart, mark: str) -> Any:
    if mark == "line":
        return chart.mark_line(point=True)
    if mark == "bar":
        return chart.mark_bar()
    if mark == "area":
        return chart.mark_area(opacity=0.7)
    return chart.mark_point(filled=True)


def chart_spec(
    query: library.StoredQuery, params: dict[str, Any], rows: list[dict[str, Any]]
) -> dict[str, Any]:
    """The Vega-Lite spec of `query`'s declared chart over `rows` (the data inline)."""
    spec = query.chart
    if spec is None:
        raise ChartError(f"{query.name} declares no chart")
    if rows:
        missing = [c for c in spec.columns if c not in rows[0]]
        if missing:
            raise ChartError(f"cypher/{query.name}.cypher: chart column(s) {', '.join(missing)} not returned")
    values = [{c: r.get(c) for c in spec.columns} for r in rows]
    encodings: dict[str, Any] = {
        "x": _position("x", spec.x, rows, spec.mark),
        "y": _position("y", spec.y, rows, spec.mark),
    }
    if spec.color is not None:
        kind = _channel_type(spec.color, rows, "N")
        encodings["color"] = alt.Color(
            f"{spec.color.column}:{kind}",
            title=spec.color.column.replace("_", " "),
            legend=alt.Legend(orient="bottom", columns=2, labelLimit=LABEL_LIMIT),
        )
    y_kind = encodings["y"].to_dict().get("type")
    height: Any = alt.Step(BAR_STEP) if spec.mark == "bar" and y_kind != "quantitative" else LINE_HEIGHT
    subtitle = _subtitle(params) if rows else "no rows for these parameters"
    chart = _marked(alt.Chart(alt.InlineData(values=values)), spec.mark).encode(**encodings)
    chart = chart.properties(
        title=alt.TitleParams(query.title, subtitle=subtitle or (), anchor="start"),
        width=WIDTH,
        height=height,
    )
    result: dict[str, Any] = chart.to_dict()
    return result


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
        try:
            # A chart is a page of rows like any other: its row limit takes the API's page size.
            params = library.params_from_text(query, given, max_rows=MAX_PAGE_SIZE)
        except ClientFacingError as exc:
            return _text(str(exc), 400)
        key = json.dumps([name, params], sort_keys=True, default=str)
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
            spec = chart_spec(query, params, rows)
            svg = await anyio.to_thread.run_sync(render_svg, spec)
            cache.put(key, svg)
        return Response(svg, media_type="image/svg+xml", headers={"cache-control": "max-age=60"})

    return [Route("/charts/{name}.svg", chart)]
