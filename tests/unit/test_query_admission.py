"""The API's admission limit: with IMR_MAX_CONCURRENT_QUERIES = N, at most N queries of the process
run at once and the rest wait their turn; unset, one per core; 0, they all run together. No server: `read` is
replaced by a stand-in that records how many run at the same time."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from api.cypher.db import ReadOnlyGraph


class _Recording(ReadOnlyGraph):
    lock = threading.Lock()
    running = 0
    most = 0

    def read(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        with self.lock:
            type(self).running += 1
            type(self).most = max(type(self).most, type(self).running)
        time.sleep(0.05)
        with self.lock:
            type(self).running -= 1
        return [{"cypher": cypher, **params}]


@pytest.mark.parametrize(("limit", "expected"), [(2, 2), (None, 8)])
def test_at_most_the_limit_of_queries_run_at_once(limit: int | None, expected: int) -> None:
    _Recording.running = _Recording.most = 0
    graph = _Recording(driver=None, database="neo4j", max_concurrent=limit)  # type: ignore[arg-type]

    async def many() -> list[list[dict[str, Any]]]:
        return await asyncio.gather(*(graph.aread("RETURN $n", n=n) for n in range(8)))

    rows = asyncio.run(many())
    assert [r[0]["n"] for r in rows] == list(range(8)), "every query is answered, each with its own rows"
    assert _Recording.most == expected


@pytest.mark.parametrize(("value", "expected"), [(None, "cores"), ("", "cores"), ("0", None), ("3", 3)])
def test_the_default_limit_is_one_query_per_core(
    value: str | None, expected: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from api.web.app import max_concurrent_queries

    if value is None:
        monkeypatch.delenv("IMR_MAX_CONCURRENT_QUERIES", raising=False)
    else:
        monkeypatch.setenv("IMR_MAX_CONCURRENT_QUERIES", value)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert max_concurrent_queries() == (6 if expected == "cores" else expected)
