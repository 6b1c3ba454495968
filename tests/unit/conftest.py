"""The unit tier runs without a server: a test here that opens a Neo4j driver fails at once."""

from __future__ import annotations

from typing import Any

import neo4j
import pytest


@pytest.fixture(autouse=True)
def _no_neo4j(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("tests/unit must not talk to Neo4j: move this test to tests/integration")

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", refuse)
