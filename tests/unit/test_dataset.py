"""The dataset id (graph/rows.py) and where it is shown without a server: the API's
`extensions.dataset` and the manifest beside `imr-graph query --output`."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any, cast

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from api.cypher.db import ReadOnlyGraph
from api.cypher.root_queries import DATASET
from api.graphql import dataset as dataset_extension
from api.graphql.schema import schema
from graph_loader import stored_queries as library
from graph_loader.cli import query_command
from graph_loader.cli.main import app
from graph_loader.graph.rows import (
    DATASET_BLOCK,
    GRAPH_MODEL_VERSION,
    dataset_block,
    dataset_id,
    dataset_row,
    parser_version,
)

HASHES = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(5)]


def test_the_id_depends_on_the_letters_not_their_order() -> None:
    base = dataset_id(sorted(HASHES), version="1.0")
    assert dataset_id(sorted(reversed(HASHES)), version="1.0") == base
    assert dataset_id(sorted([*HASHES, hashlib.sha256(b"new").hexdigest()]), version="1.0") != base
    assert dataset_id(sorted(HASHES[1:]), version="1.0") != base
    assert dataset_id(sorted(HASHES), version="1.1") != base
    assert dataset_id(sorted(HASHES), version="1.0", graph_model=GRAPH_MODEL_VERSION + 1) != base
    # Hash-by-hash, so no two lists run together into the same bytes.
    assert dataset_id(["ab", "c"], version="1.0") != dataset_id(["a", "bc"], version="1.0")


def test_the_id_refuses_hashes_out_of_order() -> None:
    with pytest.raises(ValueError, match="ascending"):
        dataset_id(list(reversed(sorted(HASHES))), version="1.0")


def test_the_row_counts_the_letters_and_names_the_versions() -> None:
    row = dataset_row(iter(sorted(HASHES)), decisions=9, loaded_at="2026-01-01T00:00:00Z")
    assert row["letters"] == 5 and row["decisions"] == 9
    assert row["id"] == dataset_id(sorted(HASHES), version=parser_version())
    assert (row["parser_version"], row["graph_model"]) == (parser_version(), GRAPH_MODEL_VERSION)
    assert dataset_block(row) == {
        "id": row["id"],
        "letters": 5,
        "decisions": 9,
        "loadedAt": "2026-01-01T00:00:00Z",
        "parserVersion": parser_version(),
        "graphModel": GRAPH_MODEL_VERSION,
    }
    assert dataset_block(None) is None


def test_the_api_reads_the_block_under_the_same_names() -> None:
    assert library.return_columns(DATASET) == list(DATASET_BLOCK)


class OneDatasetGraph(ReadOnlyGraph):
    """Answers the dataset read with one row (or none) and counts it; no driver."""

    block: dict[str, Any] | None = None

    async def aread(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        self.queries_sent.append(cypher)
        return [self.block] if cypher == DATASET and self.block else []


def _extensions(graph: ReadOnlyGraph) -> dict[str, Any]:
    result = asyncio.run(schema.execute("{ __typename }", context_value={"graph": graph}))
    assert result.errors is None
    return cast(dict[str, Any], result.extensions)


def test_every_response_carries_the_dataset_read_once_per_ttl(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = OneDatasetGraph(driver=cast(Driver, None), database="neo4j")
    row = dataset_row(sorted(HASHES), decisions=9, loaded_at="2026-01-01T00:00:00Z")
    graph.block = dataset_block(row)
    assert _extensions(graph) == {"dataset": graph.block}
    assert _extensions(graph) == {"dataset": graph.block}
    assert graph.queries_sent.count(DATASET) == 1, "cached for a few seconds, not read per request"
    # Past the TTL the node is read again: a load that finished since (or a cleared graph) shows.
    monkeypatch.setattr(dataset_extension, "DATASET_TTL_S", -1.0)
    graph.block = None
    assert _extensions(graph) == {"dataset": None}
    assert graph.queries_sent.count(DATASET) == 2


def test_a_failed_read_keeps_the_last_block(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = OneDatasetGraph(driver=cast(Driver, None), database="neo4j")
    graph.block = {"id": "x", "letters": 1}
    assert _extensions(graph)["dataset"] == graph.block

    async def down(cypher: str, **params: Any) -> list[dict[str, Any]]:
        raise OSError("connection refused")

    monkeypatch.setattr(dataset_extension, "DATASET_TTL_S", -1.0)
    monkeypatch.setattr(graph, "aread", down)
    assert _extensions(graph)["dataset"] == {"id": "x", "letters": 1}


def test_query_output_gets_a_manifest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rows = [{"treatment": "MRI", "decisions": 3}]
    monkeypatch.setattr(library, "run_columns", lambda *a: (["treatment", "decisions"], rows))
    row = dataset_row(sorted(HASHES), decisions=9, loaded_at="2026-01-01T00:00:00Z")
    monkeypatch.setattr(query_command, "graph_dataset", lambda: row)
    out = tmp_path / "rates.csv"
    args = ["query", "uphold_rates_by_treatment", "-p", "min_decisions=2", "--format", "csv", "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "rates.csv.manifest.json").read_text())
    assert manifest["dataset"] == dataset_block(row)
    assert manifest["query"] == "uphold_rates_by_treatment"
    assert manifest["parameters"]["min_decisions"] == 2
    assert (manifest["file"], manifest["rows"]) == ("rates.csv", 1)
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert manifest["createdAt"].endswith("Z")
