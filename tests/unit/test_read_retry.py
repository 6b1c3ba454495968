"""How the API reads: one auto-commit transaction per query with the request timeout, and a managed
read transaction (which the driver retries) only after an error the driver calls retryable, such as a
cluster member gone. No server: the driver is a stand-in that records what it was asked."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Query, Record
from neo4j.exceptions import ClientError, ServiceUnavailable

from api.cypher.db import QueryTimeout, ReadOnlyGraph


class _Session:
    def __init__(self, driver: _Driver) -> None:
        self.driver = driver

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def run(self, query: Query, params: dict[str, Any]) -> list[Record]:
        self.driver.calls.append(("run", query.text, query.timeout))
        if self.driver.run_fails is not None:
            raise self.driver.run_fails
        return [Record({"n": params["n"]}.items())]

    def execute_read(self, work: Any) -> list[dict[str, Any]]:
        self.driver.calls.append(("execute_read", None, getattr(work, "timeout", None)))
        return work(_Transaction())  # type: ignore[no-any-return]


class _Transaction:
    def run(self, cypher: str, params: dict[str, Any]) -> list[Record]:
        return [Record({"n": params["n"]}.items())]


class _Driver:
    def __init__(self, run_fails: Exception | None = None) -> None:
        self.run_fails = run_fails
        self.calls: list[tuple[str, str | None, float | None]] = []

    def session(self, **config: Any) -> _Session:
        assert config["default_access_mode"] == "READ"
        return _Session(self)


def _graph(driver: _Driver) -> ReadOnlyGraph:
    return ReadOnlyGraph(driver=driver, database="neo4j", timeout_s=3.0)  # type: ignore[arg-type]


def test_a_query_is_one_auto_commit_transaction_with_the_timeout() -> None:
    driver = _Driver()
    assert _graph(driver).read("RETURN $n AS n", n=7) == [{"n": 7}]
    assert driver.calls == [("run", "RETURN $n AS n", 3.0)]


def test_a_retryable_error_is_retried_as_a_managed_read_transaction() -> None:
    driver = _Driver(run_fails=ServiceUnavailable("a reader went away"))
    assert _graph(driver).read("RETURN $n AS n", n=7) == [{"n": 7}]
    assert [call[0] for call in driver.calls] == ["run", "execute_read"]
    assert driver.calls[1][2] == 3.0, "the retry keeps the request timeout"


def test_a_client_error_is_not_retried() -> None:
    timed_out = ClientError._hydrate_neo4j(  # the server's own error, as the driver builds it
        code="Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", message="timed out"
    )
    driver = _Driver(run_fails=timed_out)
    with pytest.raises(QueryTimeout, match="past the 3 s limit"):
        _graph(driver).read("RETURN $n AS n", n=7)
    assert [call[0] for call in driver.calls] == ["run"]
