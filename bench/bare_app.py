"""The baseline for the API load test: a bare Starlette endpoint that runs the same recorded Cypher
through the same driver wrapper, without GraphQL. `uvicorn --factory bench.bare_app:create`, with
IMR_BENCH_OPERATIONS naming a JSON file of {name: [{cypher, params}, ...]} (the statements of one
operation run one after the other, as the API's levels do)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.cypher.db import DEFAULT_TIMEOUT_S, QueryTimeout, ReadOnlyGraph
from api.web.app import max_concurrent_queries
from graph_loader.config import load_settings


def create() -> Starlette:
    ops = json.loads(Path(os.environ["IMR_BENCH_OPERATIONS"]).read_text())
    graph = ReadOnlyGraph.connect(
        load_settings(),
        timeout_s=float(os.environ.get("IMR_QUERY_TIMEOUT_S", DEFAULT_TIMEOUT_S)),
        max_concurrent=max_concurrent_queries(),  # the API's own default and setting
    )

    async def run(request: Request) -> JSONResponse:
        statements = ops[request.path_params["name"]]
        try:
            data = [await graph.aread(s["cypher"], **s["params"]) for s in statements]
            return JSONResponse({"data": data})
        except QueryTimeout as exc:
            return JSONResponse({"errors": [{"message": str(exc)}]}, status_code=504)

    return Starlette(routes=[Route("/cypher/{name}", run, methods=["POST"])])
