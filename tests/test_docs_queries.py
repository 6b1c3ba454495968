"""Every GraphQL example in docs/queries.md runs against the sample graph without errors and returns data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver

from api.db import ReadOnlyGraph
from api.schema import schema
from graph_loader.config import Settings
from graph_loader.pipeline import load_paths

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = re.findall(r"```graphql\n(.*?)```", (ROOT / "docs" / "queries.md").read_text(), re.S)


@pytest.fixture(scope="module")
def sample_graph(neo4j_server: Settings, driver: Driver) -> Iterator[ReadOnlyGraph]:
    driver.execute_query("MATCH (n) DETACH DELETE n")
    load_paths([ROOT / "samples" / "letters"], neo4j_server)
    g = ReadOnlyGraph.connect(neo4j_server)
    yield g
    g.close()


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("query", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_documented_query_runs(query: str, sample_graph: ReadOnlyGraph) -> None:
    result = schema.execute_sync(query, context_value={"graph": sample_graph})
    assert result.errors is None, result.errors
    assert result.data and all(value for value in result.data.values()), result.data
