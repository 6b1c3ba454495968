"""The ASGI app: GraphQL (with GraphiQL, served from the project) at /graphql, /health, the Neo4j Browser
guide, charts of the stored queries at /charts/NAME.svg, and the landing page at /."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

from cross_web import HTTPException
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from api.cypher import root_queries as queries
from api.cypher.db import DEFAULT_TIMEOUT_S, ReadOnlyGraph
from api.graphql.schema import schema
from api.web import graphiql
from api.web.charts import chart_routes
from api.web.guide import guide_routes
from api.web.http_spec import GraphQLResponseMediaType
from api.web.landing import browser_url, landing_routes
from graph_loader.config import Settings
from graph_loader.errors import ClientFacingError, ImrGraphError

MAX_BODY_BYTES = 100_000


class GraphQLApp(GraphQL[dict[str, Any], None]):
    def __init__(self, graph: ReadOnlyGraph) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self.graph = graph

    async def get_context(self, request: Any, response: Any = None) -> dict[str, Any]:
        return {"graph": self.graph, "request": request}

    async def render_graphql_ide(self, request: Request) -> Response:
        # strawberry's own page loads its scripts from a CDN; this one from /static/graphiql/.
        return HTMLResponse(graphiql.page(str(request.url.replace(query=""))))

    def decode_json(self, data: str | bytes) -> object:
        # strawberry reads whatever JSON it gets as an object: a string, null or a list (it has no
        # batching) would fail inside it with a 500, and undecodable bytes too.
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BadRequestBody("the request body is not UTF-8 text") from exc
        try:
            body = json.loads(data)
        except json.JSONDecodeError as exc:
            raise BadRequestBody(f"the request body is not JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise BadRequestBody(
                f"the request body must be a JSON object with a query, not {_json_kind(body)}"
            )
        return body

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        # strawberry's own loop, but for its refusals: it answers them (a wrong content type, a
        # mutation over GET, no query, a `variables` that is not an object) in plain text, where every
        # other client error of this API is a GraphQL error body a client already knows how to read.
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except BadRequestBody as exc:
            response = client_error(str(exc), 400)
        except HTTPException as exc:
            response = client_error(exc.reason, exc.status_code)
        # Raised before anything was sent: the answer is whole, and the connection stays usable.
        await response(scope, receive, send)


def client_error(message: str, status: int) -> JSONResponse:
    """The house's answer to a request GraphQL cannot run: GraphQL-over-HTTP's error body."""
    return JSONResponse({"errors": [{"message": message}]}, status_code=status)


class BadRequestBody(ClientFacingError):
    """A POST body that is not a JSON object of UTF-8 text: nothing GraphQL can read."""


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list (batched requests are not supported)"
    return "a string" if isinstance(value, str) else f"a {type(value).__name__}"


class BodyLimit:
    """Reject request bodies over MAX_BODY_BYTES before GraphQL parses them, declared or streamed."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY_BYTES:
            await _too_large(scope, receive, send)
            return
        # A chunked body declares no length: count it as it arrives.
        received = 0

        async def counting_receive() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    raise _BodyTooLarge
            return message

        started = False

        async def tracking_send(message: Any) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _too_large(scope, receive, send)


class _BodyTooLarge(ImrGraphError):
    pass


async def _too_large(scope: Any, receive: Any, send: Any) -> None:
    await client_error(f"request body over {MAX_BODY_BYTES} bytes", 413)(scope, receive, send)


def max_concurrent_queries() -> int | None:
    """How many queries one API process runs at once (None: no limit). Unset, one per core of this
    machine: 32 clients on two cores met p99 1 s only with at most 2 at once, because Neo4j then runs
    each query with a core to itself instead of all of them sharing (docs/benchmarks.md). 0 lifts it."""
    value = os.environ.get("IMR_MAX_CONCURRENT_QUERIES")
    if value is None or not value.strip():
        return os.cpu_count() or 2
    return int(value) or None


def create_app(
    settings: Settings, graph: ReadOnlyGraph | None = None, *, query_timeout_s: float | None = None
) -> Starlette:
    timeout = query_timeout_s or float(os.environ.get("IMR_QUERY_TIMEOUT_S", DEFAULT_TIMEOUT_S))
    concurrent = max_concurrent_queries()
    graph = graph or ReadOnlyGraph.connect(settings, timeout_s=timeout, max_concurrent=concurrent)

    async def health(request: Request) -> Response:
        try:
            await graph.aread(queries.HEALTH)
        except Exception:
            return JSONResponse({"status": "unavailable", "neo4j": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "neo4j": "up"})

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        graph.close()

    origins = cors_origins()
    routes = [
        Route("/health", health),
        # Every method reaches GraphQLApp, so a PUT gets its JSON 405 rather than Starlette's plain text.
        Route(
            "/graphql",
            GraphQLResponseMediaType(GraphQLApp(graph)),
            methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        ),
        *guide_routes(),
        *landing_routes(),
        *chart_routes(graph),
        graphiql.static_mount(),
    ]
    return Starlette(
        routes=routes,
        middleware=[
            Middleware(BodyLimit),
            Middleware(
                CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST"], allow_headers=["*"]
            ),
        ],
        lifespan=lifespan,
    )


def cors_origins() -> list[str]:
    """The origins allowed to call the API: IMR_CORS_ORIGINS, else the Neo4j Browser the landing page
    links to (IMR_NEO4J_BROWSER_URL), so its guide loads on whatever port that Browser is served from.
    A loopback Browser is reachable as 127.0.0.1 and as localhost, and sends either as its origin."""
    given = os.environ.get("IMR_CORS_ORIGINS")
    if given is not None:
        return [o.strip() for o in given.split(",") if o.strip()]
    url = urlsplit(browser_url())
    origins = [f"{url.scheme}://{url.netloc}"]
    twins = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}
    if url.hostname in twins:
        port = f":{url.port}" if url.port else ""
        origins.append(f"{url.scheme}://{twins[url.hostname]}{port}")
    return origins


def app_from_env() -> Starlette:
    """App factory for ASGI servers: `uvicorn --factory api.web.app:app_from_env` (settings from env/.env)."""
    from graph_loader.config import load_settings

    return create_app(load_settings())
