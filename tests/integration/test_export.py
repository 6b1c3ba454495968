"""`imr-graph export` against a real graph: the tables read back with pyarrow and DuckDB hold as many
rows as Cypher counts in the graph, CSV and Parquet agree, and --from-graph and --from-jsonl give the
same tables (sample and synthetic letters; the shared real letters when ../shared is there)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from neo4j import Driver
from typer.testing import CliRunner

from graph_loader import stored_queries as library
from graph_loader.cli.main import app
from graph_loader.config import Settings
from graph_loader.export.runner import export_from_graph, export_from_jsonl
from graph_loader.export.tables import TABLES, arrow_schema
from graph_loader.load.sources import ParseOutput
from graph_loader.load.unwind import load_letters
from tests.helpers import ROOT, SAMPLES, settings_env

# What each table counts, in the graph.
GRAPH_COUNTS = {
    "cases": "MATCH (c:Case) RETURN count(c) AS n",
    "decisions": "MATCH (:Case)-[:HAS_DECISION]->(d:Decision) RETURN count(d) AS n",
    "diagnoses": "MATCH (:Case)-[r:HAS_DIAGNOSIS]->(:Diagnosis) RETURN count(r) AS n",
    "citations": "MATCH (:Decision)-[r:CITES]->(:GuidelineSection) RETURN count(r) AS n",
    "denial_reasons": "MATCH (:Decision)-[r:DENIED_BECAUSE]->(:DenialReason) RETURN count(r) AS n",
    "treatments": "MATCH (:Treatment)-[r:IN_CLASS]->(:TreatmentClass) RETURN count(r) AS n",
}


def _parse_to_jsonl(paths: list[Path], out: Path) -> Path:
    result = CliRunner().invoke(app, ["parse", "--text", "--workers", "1", *map(str, paths)])
    assert result.exit_code == 0, result.output
    out.write_text(result.stdout)
    return out


def _load_only(jsonl: Path, settings: Settings, driver: Driver) -> None:
    driver.execute_query("MATCH (n) DETACH DELETE n")
    summary = load_letters(ParseOutput([jsonl]), settings)
    assert summary.rejected == 0, summary.describe()


def _sorted_rows(path: Path) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in pq.read_table(path).to_pylist())


@pytest.fixture(scope="module")
def corpus(neo4j_server: Settings, driver: Driver, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples and 60 synthetic letters (drugs, every category), parsed once and loaded from the
    parse output, so both export sources start from the same input in the same order."""
    from bench.synth import write

    tmp = tmp_path_factory.mktemp("export-corpus")
    write(tmp / "synthetic", 60, seed=11)
    jsonl = _parse_to_jsonl([SAMPLES, tmp / "synthetic"], tmp / "parsed.jsonl")
    _load_only(jsonl, neo4j_server, driver)
    return jsonl


def test_parquet_from_the_graph_has_the_graph_counts(
    corpus: Path, neo4j_server: Settings, driver: Driver, tmp_path: Path
) -> None:
    # Small batches: several pages of letters and several row groups per file.
    summary = export_from_graph(tmp_path, "parquet", neo4j_server, batch=7)
    assert summary.letters == 65 and summary.rejected == 0
    for t in TABLES:
        path = tmp_path / f"{t.name}.parquet"
        expected = driver.execute_query(GRAPH_COUNTS[t.name]).records[0]["n"]
        assert expected > 0, t.name
        table = pq.read_table(path)
        assert table.num_rows == expected == summary.rows[t.name], t.name
        assert table.schema.equals(arrow_schema(t), check_metadata=False), t.name
        assert table.schema.field(t.columns[0].name).metadata[b"description"] == t.columns[0].doc.encode()
        counted = duckdb.sql(f"select count(*) from read_parquet('{path}')").fetchall()
        assert counted == [(expected,)], t.name
    assert pq.ParquetFile(tmp_path / "cases.parquet").metadata.num_row_groups == 10  # 65 letters / 7
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary file is left"

    # The tables join on their keys: every decision's letter is a case, every citation's decision a decision.
    con = duckdb.connect()
    for name in ("cases", "decisions", "citations", "denial_reasons", "diagnoses"):
        con.execute(f"create view {name} as select * from read_parquet('{tmp_path / name}.parquet')")
    orphans = con.sql(
        "select count(*) from decisions d left join cases c using (letter_id) where c.letter_id is null"
    ).fetchall()
    assert orphans == [(0,)]
    orphans = con.sql(
        "select count(*) from citations x left join decisions d using (decision_id) where d.decision_id is null"
    ).fetchall()
    assert orphans == [(0,)]
    per_case = con.sql(
        "select count(*) from cases c where decision_count <> "
        "(select count(*) from decisions d where d.letter_id = c.letter_id)"
    ).fetchall()
    assert per_case == [(0,)]
    upheld = driver.execute_query("MATCH (d:Decision {outcome: 'UPHELD'}) RETURN count(d) AS n").records[0][
        "n"
    ]
    assert con.sql("select count(*) from decisions where outcome = 'UPHELD'").fetchall() == [(upheld,)]


def test_csv_holds_the_same_rows_as_parquet(corpus: Path, neo4j_server: Settings, tmp_path: Path) -> None:
    export_from_graph(tmp_path / "p", "parquet", neo4j_server)
    export_from_graph(tmp_path / "c", "csv", neo4j_server)
    for t in TABLES:
        csv_path, parquet_path = tmp_path / "c" / f"{t.name}.csv", tmp_path / "p" / f"{t.name}.parquet"
        parquet = pq.read_table(parquet_path)
        read_back = pa_csv.read_csv(csv_path)
        assert read_back.column_names == list(t.column_names), t.name
        assert read_back.num_rows == parquet.num_rows, t.name
        counted = duckdb.sql(f"select count(*) from read_csv('{csv_path}')").fetchall()
        assert counted == [(parquet.num_rows,)], t.name
    # A list cell is its items joined with "|".
    got = duckdb.sql(
        f"select pages from read_csv('{tmp_path / 'c' / 'citations.csv'}', all_varchar=true) where pages like '%|%'"
    ).fetchall()
    assert got, "some citation names several pages"
    lists = pq.read_table(tmp_path / "p" / "citations.parquet").column("pages").to_pylist()
    assert {"|".join(map(str, p)) for p in lists if len(p) > 1} == {row[0] for row in got}


def test_both_sources_give_the_same_tables(corpus: Path, neo4j_server: Settings, tmp_path: Path) -> None:
    export_from_graph(tmp_path / "graph", "parquet", neo4j_server, text=True)
    summary = export_from_jsonl(tmp_path / "jsonl", "parquet", ParseOutput([corpus]), text=True, batch=9)
    assert summary.letters == 65
    for t in TABLES:
        graph_rows = _sorted_rows(tmp_path / "graph" / f"{t.name}.parquet")
        jsonl_rows = _sorted_rows(tmp_path / "jsonl" / f"{t.name}.parquet")
        assert graph_rows == jsonl_rows, t.name
    texts = pq.read_table(tmp_path / "graph" / "cases.parquet").column("text").to_pylist()
    assert all(texts), "--text fills cases.text"


def test_no_server_is_one_line_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph_loader.server.local_neo4j import free_port

    settings_env(monkeypatch, Settings(uri=f"bolt://127.0.0.1:{free_port()}", password="unused"))
    result = CliRunner().invoke(app, ["export", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.startswith("imr-graph: no Neo4j answers at bolt://127.0.0.1:")
    assert "imr-graph neo4j start" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_export_command_from_the_graph(
    corpus: Path, neo4j_server: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings_env(monkeypatch, neo4j_server)
    result = CliRunner().invoke(app, ["export", str(tmp_path / "out"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "exported 65 letters from the graph" in result.stdout
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [*(f"{t.name}.csv" for t in TABLES), "manifest.json"]
    )


def test_query_format_parquet(
    corpus: Path, neo4j_server: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings_env(monkeypatch, neo4j_server)
    out = tmp_path / "rates.parquet"
    result = CliRunner().invoke(
        app, ["query", "uphold_rates_by_category", "--format", "parquet", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    stored = library.get("uphold_rates_by_category")
    expected = library.run(stored, stored.example_params, neo4j_server)
    table = pq.read_table(out)
    assert table.to_pylist() == expected
    assert [str(f.type) for f in table.schema] == ["string", "int64", "int64", "double", "double", "double"]
    assert duckdb.sql(f"select sum(decisions) from read_parquet('{out}')").fetchall() == [
        (sum(r["decisions"] for r in expected),)
    ]
    # The text formats print, or with --output write the same text to the file.
    printed = CliRunner().invoke(app, ["query", "uphold_rates_by_category", "--format", "csv"])
    to_file = CliRunner().invoke(
        app, ["query", "uphold_rates_by_category", "--format", "csv", "-o", str(tmp_path / "r.csv")]
    )
    assert (printed.exit_code, to_file.exit_code, to_file.stdout) == (0, 0, "")
    assert (tmp_path / "r.csv").read_text() == printed.stdout
    # No rows: the columns are still there, typed as the query's header declares.
    empty = tmp_path / "none.parquet"
    result = CliRunner().invoke(
        app,
        [
            "query",
            "uphold_rates_by_category",
            "-p",
            "min_decisions=100000",
            "--format",
            "parquet",
            "-o",
            str(empty),
        ],
    )
    assert result.exit_code == 0, result.output
    none = pq.read_table(empty)
    assert none.num_rows == 0
    assert [(f.name, str(f.type)) for f in none.schema] == [
        ("category", "string"),
        ("decisions", "int64"),
        ("upheld", "int64"),
        ("uphold_rate", "double"),
        ("uphold_rate_low", "double"),
        ("uphold_rate_high", "double"),
    ]


def test_the_documented_duckdb_examples_answer_as_the_stored_queries(
    corpus: Path, neo4j_server: Settings, tmp_path: Path
) -> None:
    export_from_graph(tmp_path, "parquet", neo4j_server)
    doc = (ROOT / "docs" / "exports.md").read_text()
    by_category, flagship = (
        duckdb.sql(block.replace("'exports/", f"'{tmp_path}/")).fetchall()
        for block in re.findall(r"```sql\n(.*?)```", doc, re.S)
    )
    stored = library.get("uphold_rates_by_category")
    rates = library.run(stored, stored.example_params, neo4j_server)
    assert sorted((c, n) for c, n, _ in by_category) == sorted((r["category"], r["decisions"]) for r in rates)
    stored = library.get("flagship_guideline_sections")
    cited = library.run(stored, {**stored.example_params, "first": 1000}, neo4j_server)
    assert cited, "the corpus answers the flagship"
    assert sorted(flagship) == sorted((r["guideline_key"], r["section"], r["decisions"]) for r in cited)


def test_the_shared_letters_give_the_same_tables_from_both_sources(
    shared_dir: Path, neo4j_server: Settings, driver: Driver, tmp_path: Path
) -> None:
    # Last in the module: it replaces the graph the tests above read.
    letters = [shared_dir / "letters" / "dev", shared_dir / "letters" / "seed"]
    jsonl = _parse_to_jsonl(letters, tmp_path / "shared.jsonl")
    _load_only(jsonl, neo4j_server, driver)
    export_from_graph(tmp_path / "graph", "parquet", neo4j_server)
    summary = export_from_jsonl(tmp_path / "jsonl", "parquet", ParseOutput([jsonl]))
    assert summary.letters == 99 and summary.rejected == 0
    for t in TABLES:
        expected = driver.execute_query(GRAPH_COUNTS[t.name]).records[0]["n"]
        rows: Any = _sorted_rows(tmp_path / "graph" / f"{t.name}.parquet")
        assert len(rows) == expected, t.name
        assert rows == _sorted_rows(tmp_path / "jsonl" / f"{t.name}.parquet"), t.name
