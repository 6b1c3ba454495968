"""The client-error matrix over a real socket: uvicorn serving the app (with the matrix's fake graph),
every bad request and then a good one sent on one keep-alive HTTP/1.1 connection. Each refusal is
answered whole (the body its Content-Length says), the server keeps the connection open, and the good
request after it is answered on the same socket."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from typing import cast
from urllib.parse import urlencode

import pytest
import uvicorn
from neo4j import Driver

from api.web.app import create_app
from graph_loader.config import Settings
from graph_loader.server.local_neo4j import free_port
from tests.unit.test_client_errors import GOOD, MATRIX, FakeGraph


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    graph = FakeGraph(driver=cast(Driver, None), database="neo4j")
    app = create_app(Settings(uri="bolt://127.0.0.1:1", user="neo4j", password="x"), graph=graph)
    chosen = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=chosen, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield chosen
    server.should_exit = True
    thread.join(10)


def test_every_refusal_leaves_the_connection_serving(port: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.connect()
    socket = conn.sock
    for case in MATRIX:
        path = case.path + ("?" + urlencode(case.params) if case.params else "")
        conn.request(case.method, path, body=case.body, headers=case.headers)
        answer = conn.getresponse()
        body = answer.read()
        assert answer.status == case.status, (case.id, body)
        assert (answer.getheader("connection") or "").lower() != "close", case.id
        if case.path == "/graphql":
            assert answer.getheader("content-type", "").startswith("application/json"), (case.id, body)
            assert any(case.message in e["message"] for e in json.loads(body)["errors"]), (case.id, body)
        conn.request("POST", "/graphql", body=json.dumps(GOOD), headers={"content-type": "application/json"})
        good = conn.getresponse()
        assert good.status == 200 and json.loads(good.read())["data"] == {"__typename": "Query"}, case.id
        assert conn.sock is socket, f"{case.id}: the connection was reset"
    conn.close()
