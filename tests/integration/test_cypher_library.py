"""Every stored query runs on the sample graph with its example parameters and returns rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_loader import stored_queries as library
from graph_loader.config import Settings

ROOT = Path(__file__).resolve().parents[2]
QUERIES = library.all_queries()


def test_library_has_the_curated_queries() -> None:
    assert len(QUERIES) >= 12
    for q in QUERIES:
        assert q.title and q.description, f"{q.name}: header needs a title and a description"
        assert "$" in q.cypher or not q.example_params


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_stored_query_returns_rows(query: library.StoredQuery, rich_loaded: Settings) -> None:
    rows = library.run(query, query.example_params, rich_loaded)
    assert rows, f"{query.name} returned no rows on the sample graph"


def test_query_command_formats(sample_loaded: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph_loader.cli.main import app

    for key, value in (
        ("NEO4J_URI", sample_loaded.uri),
        ("NEO4J_USER", sample_loaded.user),
        ("NEO4J_PASSWORD", sample_loaded.password),
        ("NEO4J_DATABASE", "neo4j"),
    ):
        monkeypatch.setenv(key, value)
    runner = CliRunner()
    listed = runner.invoke(app, ["query", "--list"])
    assert "flagship_guideline_sections" in listed.output
    csv_out = runner.invoke(app, ["query", "uphold_rates_by_category", "--format", "csv"])
    assert csv_out.exit_code == 0 and csv_out.output.startswith("category,decisions,upheld,uphold_rate")
    js = runner.invoke(
        app, ["query", "flagship_guideline_sections", "-p", 'diagnosis_codes=["M54"]', "--format", "json"]
    )
    assert js.exit_code == 0 and '"guideline"' in js.output
