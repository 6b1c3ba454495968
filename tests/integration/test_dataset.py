"""Which data an answer came from: the Dataset node a finished load writes has the same id whichever
path (unwind, bulk, parse output) loaded the same letters, another id once a letter is added, and it
is what `extensions.dataset`, export's manifest.json and query's FILE.manifest.json carry."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from api.web.app import create_app
from graph_loader.cli.main import app
from graph_loader.config import Settings
from graph_loader.export.runner import export_from_jsonl
from graph_loader.graph.rows import GRAPH_MODEL_VERSION, dataset_block, parser_version
from graph_loader.load import neo4j_db
from graph_loader.load.bulk.importer import bulk_load_letters
from graph_loader.load.sources import LetterFiles, ParseOutput
from graph_loader.load.unwind import load_letters
from tests.helpers import SAMPLES, RunningServer, clear_graph, settings_env


def _dataset(settings: Settings) -> dict[str, Any] | None:
    with neo4j_db.connect(settings) as driver:
        return neo4j_db.read_dataset(driver, settings.database)


def _without_time(block: dict[str, Any] | None) -> dict[str, Any]:
    assert block is not None
    return {k: v for k, v in block.items() if k != "loadedAt"}


def test_the_same_letters_give_the_same_id_whichever_path_loads_them(
    private_server: RunningServer, tmp_path: Path
) -> None:
    settings = private_server.settings
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(p, corpus / p.name)
    parsed = tmp_path / "parsed.jsonl"
    result = CliRunner().invoke(app, ["parse", "--text", "--workers", "1", str(corpus)])
    assert result.exit_code == 0, result.output
    # Reversed: the order the letters come in makes no difference.
    parsed.write_text("\n".join(reversed(result.stdout.splitlines())) + "\n")

    clear_graph(settings)
    assert _dataset(settings) is None
    unwind = load_letters(LetterFiles([corpus]), settings)
    by_unwind = _dataset(settings)
    assert by_unwind is not None and unwind.dataset is not None
    assert by_unwind["id"] == unwind.dataset["id"] and len(by_unwind["id"]) == 64
    assert (by_unwind["letters"], by_unwind["decisions"]) == (5, 9)
    assert (by_unwind["parser_version"], by_unwind["graph_model"]) == (parser_version(), GRAPH_MODEL_VERSION)
    assert by_unwind["loaded_at"].endswith("Z")
    assert f"dataset: {by_unwind['id']}" in unwind.describe()

    # Loading the same letters again rewrites the node: same id, a later (or equal) time.
    load_letters(LetterFiles([corpus]), settings)
    again = _dataset(settings)
    assert again is not None and again["id"] == by_unwind["id"]
    assert again["loaded_at"] >= by_unwind["loaded_at"]

    clear_graph(settings)
    bulk_load_letters(LetterFiles([corpus]), settings, private_server.home, private_server.config)
    by_bulk = _dataset(settings)
    assert by_bulk is not None and by_bulk["id"] == by_unwind["id"]

    clear_graph(settings)
    load_letters(ParseOutput([parsed]), settings)
    by_jsonl = _dataset(settings)
    assert by_jsonl is not None and by_jsonl["id"] == by_unwind["id"]

    # An export from the parse output computes the dataset a load of it records.
    exported = export_from_jsonl(tmp_path / "from-jsonl", "parquet", ParseOutput([parsed]))
    manifest = json.loads((tmp_path / "from-jsonl" / "manifest.json").read_text())
    assert manifest["dataset"]["loadedAt"] is None
    assert _without_time(manifest["dataset"]) == _without_time(dataset_block(by_jsonl))
    assert exported.dataset is not None and exported.dataset["id"] == by_unwind["id"]

    # One letter more: another dataset.
    from bench.synth import write as write_synthetic

    extra = tmp_path / "extra"
    write_synthetic(extra, 1, seed=3)
    load_letters(LetterFiles([extra]), settings)
    grown = _dataset(settings)
    assert grown is not None and grown["id"] != by_unwind["id"] and grown["letters"] == 6


def test_a_load_in_progress_leaves_no_dataset(private_server: RunningServer) -> None:
    settings = private_server.settings
    clear_graph(settings)
    load_letters(LetterFiles([SAMPLES]), settings)
    with neo4j_db.connect(settings) as driver:
        # What a load does before its first write: until it finishes the graph is no recorded dataset.
        neo4j_db.forget_dataset(driver, settings.database)
        assert neo4j_db.read_dataset(driver, settings.database) is None
        recorded = neo4j_db.record_dataset(driver, settings.database)
        assert neo4j_db.read_dataset(driver, settings.database) == recorded


def test_the_hashes_read_in_chunks_give_the_id_of_the_whole(
    private_server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The hashes come in lists of CASE_HASH_CHUNK: chunks of 2 and 3 over 5 letters end mid-way.
    settings = private_server.settings
    clear_graph(settings)
    load_letters(LetterFiles([SAMPLES]), settings)
    whole = _dataset(settings)
    assert whole is not None and whole["letters"] == 5
    for chunk in (1, 2, 3):
        monkeypatch.setattr(neo4j_db.queries, "CASE_HASH_CHUNK", chunk)
        with neo4j_db.connect(settings) as driver:
            row = neo4j_db.record_dataset(driver, settings.database)
        assert (row["id"], row["letters"]) == (whole["id"], 5), chunk


def test_graphql_answers_carry_the_dataset(private_server: RunningServer) -> None:
    settings = private_server.settings
    clear_graph(settings)
    with TestClient(create_app(settings)) as client:
        empty = client.post("/graphql", json={"query": "{ __typename }"}).json()
    assert empty == {"data": {"__typename": "Query"}, "extensions": {"dataset": None}}
    load_letters(LetterFiles([SAMPLES]), settings)
    recorded = _dataset(settings)
    with TestClient(create_app(settings)) as client:
        answer = client.post("/graphql", json={"query": "{ cases(first: 1) { totalCount } }"}).json()
        invalid = client.post("/graphql", json={"query": "{ nope }"}).json()
    assert answer["data"]["cases"]["totalCount"] == 5
    assert answer["extensions"]["dataset"] == dataset_block(recorded)
    assert set(answer["extensions"]["dataset"]) >= {"id", "letters", "decisions", "loadedAt", "parserVersion"}
    # Even an answer that is only an error says which graph it was asked of.
    assert invalid["errors"] and invalid["extensions"]["dataset"] == dataset_block(recorded)


def test_export_and_query_manifests(
    private_server: RunningServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = private_server.settings
    clear_graph(settings)
    load_letters(LetterFiles([SAMPLES]), settings)
    block = dataset_block(_dataset(settings))
    settings_env(monkeypatch, settings)

    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["export", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "manifest.json: dataset " in result.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["dataset"] == block
    assert (manifest["format"], manifest["letters"], manifest["rejected"]) == ("csv", 5, 0)
    files = {p.name for p in out.iterdir()} - {"manifest.json"}
    assert set(manifest["files"]) == files
    for name, entry in manifest["files"].items():
        data = (out / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["rows"] == pa_csv.read_csv(out / name).num_rows, name

    rates = tmp_path / "rates.parquet"
    args = [
        "query",
        "uphold_rates_by_category",
        "-p",
        "min_decisions=1",
        "--format",
        "parquet",
        "-o",
        str(rates),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    beside = json.loads((tmp_path / "rates.parquet.manifest.json").read_text())
    assert beside["dataset"] == block
    assert (beside["query"], beside["parameters"]["min_decisions"]) == ("uphold_rates_by_category", 1)
    assert beside["rows"] == pq.read_table(rates).num_rows > 0
    assert beside["sha256"] == hashlib.sha256(rates.read_bytes()).hexdigest()
