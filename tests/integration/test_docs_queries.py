"""Every GraphQL example in docs/queries.md runs against the sample graph (plus synthetic letters with
drugs) without errors and returns data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.cypher.db import ReadOnlyGraph
from api.graphql.schema import execute

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = re.findall(r"```graphql\n(.*?)```", (ROOT / "docs" / "queries.md").read_text(), re.S)


def test_there_are_examples() -> None:
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("query", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_documented_query_runs(query: str, rich_graph: ReadOnlyGraph) -> None:
    result = execute(query, rich_graph)
    assert result.errors is None, result.errors
    assert result.data and all(value for value in result.data.values()), result.data
