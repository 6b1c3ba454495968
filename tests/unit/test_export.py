"""The export without a server: the table declaration against its docs and the graph queries, the
tables from JSON Lines, atomic files, and one-line errors for a bad output folder or a bad line."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from bench.synth import generate
from graph_loader.cli.main import app
from graph_loader.export import files as export_files
from graph_loader.export import from_graph as export_graph
from graph_loader.export import tables as export_tables
from graph_loader.export.from_rows import RowsTables
from graph_loader.export.runner import export_from_jsonl
from graph_loader.export.tables import TABLES
from graph_loader.extract.letter import parse_file, parse_text
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.rows import letter_rows
from graph_loader.load.sources import ParseOutput
from graph_loader.models import Letter
from tests.helpers import ROOT, SAMPLES

runner = CliRunner()


@pytest.fixture(scope="module")
def letters() -> list[Letter]:
    found = [parse_file(p) for p in sorted(SAMPLES.glob("*.txt"))]
    return found + [parse_text(s.text, s.name) for s in generate(30, seed=5)]


@pytest.fixture(scope="module")
def jsonl(letters: list[Letter], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("jsonl") / "parsed.jsonl"
    path.write_text("".join(letter.model_dump_json(by_alias=True) + "\n" for letter in letters))
    return path


def test_docs_table_is_generated_from_the_declaration() -> None:
    doc = (ROOT / "docs" / "exports.md").read_text()
    assert export_tables.markdown() in doc, (
        "docs/exports.md is stale: run `python -m graph_loader.export.tables --write docs/exports.md`"
    )


def test_column_names_are_stable_snake_case_and_unique() -> None:
    assert [t.name for t in TABLES] == [
        "cases",
        "decisions",
        "diagnoses",
        "citations",
        "denial_reasons",
        "treatments",
    ]
    for t in TABLES:
        assert len(set(t.column_names)) == len(t.column_names), t.name
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in t.column_names), t.name
        assert set(t.joins) <= set(t.column_names), t.name
        assert all(c.doc for c in t.columns), t.name


def _return_aliases(cypher: str) -> list[str]:
    clause = cypher[cypher.index("\nRETURN ") : cypher.index("\nORDER BY")]
    while "{" in clause:  # COLLECT / COUNT subqueries have their own RETURN
        clause = re.sub(r"\{[^{}]*\}", "", clause)
    return re.findall(r"\bAS (\w+)", clause)


def test_graph_queries_return_the_declared_columns_in_order() -> None:
    queries = {**export_graph.TABLE_QUERIES, "treatments": export_graph.TREATMENTS}
    assert set(queries) == {t.name for t in TABLES}
    for t in TABLES:
        assert _return_aliases(queries[t.name]) == list(t.column_names), t.name


def test_graph_queries_use_only_declared_labels_and_relationship_types() -> None:
    labels = {n.label for n in GRAPH.nodes}
    types = {r.type for r in GRAPH.relationships}
    queries = [*export_graph.TABLE_QUERIES.values(), export_graph.TREATMENTS, export_graph.CASE_PAGE]
    for cypher in queries:
        assert set(re.findall(r"\(\w*:(\w+)", cypher)) <= labels
        assert set(re.findall(r"\[\w*:([A-Z_]+)", cypher)) <= types
        assert "$ids" in cypher or "$after" in cypher or cypher is export_graph.TREATMENTS


def test_rows_give_every_table_its_declared_columns_and_counts(letters: list[Letter]) -> None:
    joined = RowsTables()
    tables: dict[str, list[dict[str, object]]] = {t.name: [] for t in TABLES}
    for letter in letters:
        for name, rows in joined.add(letter_rows(letter, keep_text=False)).items():
            tables[name] += rows
    tables["treatments"] = joined.treatments()
    for t in TABLES:
        assert tables[t.name], t.name
        assert all(list(row) == list(t.column_names) for row in tables[t.name]), t.name
    decisions = [d for letter in letters for d in letter.decisions]
    assert len(tables["cases"]) == len(letters)
    assert len(tables["decisions"]) == len(decisions)
    assert len(tables["denial_reasons"]) == sum(len(d.denial_reasons) for d in decisions)
    coded = [dx for letter in letters for dx in letter.diagnoses if dx.icd10]
    assert len(tables["diagnoses"]) == len(coded)
    assert all(row["chapter"] and row["description"] for row in tables["diagnoses"])
    assert sum(row["decision_count"] for row in tables["treatments"]) == len(decisions)  # type: ignore[misc]
    drugs = [row for row in tables["decisions"] if row["ingredients"]]
    assert drugs and all(row["treatment_category"] for row in tables["decisions"])


def test_jsonl_export_reads_back_in_duckdb(jsonl: Path, letters: list[Letter], tmp_path: Path) -> None:
    summary = export_from_jsonl(tmp_path, "parquet", ParseOutput([jsonl]), batch=4)
    assert (summary.letters, summary.rejected) == (len(letters), 0)
    cases = pq.read_table(tmp_path / "cases.parquet")
    assert cases.schema.field("decision_date").type == "date32[day]"
    assert str(cases.schema.field("reviewer_specialties").type.value_type) == "string"
    got = duckdb.sql(f"select count(*) from read_parquet('{tmp_path}/decisions.parquet')").fetchall()
    assert got == [(sum(len(letter.decisions) for letter in letters),)]
    assert pq.ParquetFile(tmp_path / "cases.parquet").metadata.num_row_groups == -(-len(letters) // 4)


def test_a_bad_line_or_a_duplicate_costs_only_itself(
    jsonl: Path, letters: list[Letter], tmp_path: Path
) -> None:
    lines = jsonl.read_text().splitlines()
    odd = json.loads(lines[1])
    odd["letter_id"], odd["decision_date"] = "odd-date", "12/31/2014"
    bad = tmp_path / "in.jsonl"
    bad.write_text("\n".join([*lines, lines[0], "{not json", json.dumps(odd)]) + "\n")
    result = runner.invoke(
        app, ["export", str(tmp_path / "out"), "--from-jsonl", str(bad), "--format", "csv"]
    )
    assert result.exit_code == 1, result.output
    assert f"{bad}:{len(lines) + 2}: not JSON" in result.stderr
    assert "letter odd-date" in result.stderr and "'12/31/2014' is not an ISO date" in result.stderr
    assert (
        f"exported {len(letters)} letters" in result.stdout
        and "1 duplicates skipped, 2 rejected" in result.stdout
    )
    count = duckdb.sql(f"select count(*) from read_csv('{tmp_path}/out/cases.csv')").fetchall()
    assert count == [(len(letters),)]


def test_a_failed_export_leaves_the_previous_tables(
    jsonl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_from_jsonl(tmp_path, "parquet", ParseOutput([jsonl]))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    calls = 0
    original = export_files.TableFile.write

    def fail_later(self: export_files.TableFile, rows: list[dict[str, object]]) -> None:
        nonlocal calls
        calls += 1
        if calls == 9:
            raise OSError(28, "No space left on device")
        original(self, rows)

    monkeypatch.setattr(export_files.TableFile, "write", fail_later)
    with pytest.raises(OSError, match="No space left"):
        export_from_jsonl(tmp_path, "parquet", ParseOutput([jsonl]), batch=3)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before, "no half file, no temporary"


def test_bad_output_folders_are_one_line_errors(jsonl: Path, tmp_path: Path) -> None:
    a_file = tmp_path / "taken"
    a_file.write_text("x")
    for folder, problem in (
        (a_file, f"imr-graph: {a_file}: not a folder (a file of that name is there)\n"),
        (a_file / "sub", f"imr-graph: {a_file / 'sub'}: cannot create the folder (Not a directory)\n"),
    ):
        result = runner.invoke(app, ["export", str(folder), "--from-jsonl", str(jsonl)])
        assert (result.exit_code, result.stderr) == (2, problem)
    missing = tmp_path / "nowhere.jsonl"
    result = runner.invoke(app, ["export", str(tmp_path / "out"), "--from-jsonl", str(missing)])
    assert (result.exit_code, result.stderr) == (2, f"imr-graph: {missing}: no such file or directory\n")
    result = runner.invoke(app, ["export", str(tmp_path), "--from-graph", "--from-jsonl", str(jsonl)])
    assert result.exit_code == 2 and "give one" in result.stderr
    result = runner.invoke(app, ["export", str(tmp_path), "--format", "xlsx"])
    assert result.exit_code == 2 and "xlsx" in result.output


def test_query_parquet_needs_an_output_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["query", "uphold_rates_by_category", "--format", "parquet"])
    assert (result.exit_code, result.stderr) == (
        2,
        "imr-graph: --format parquet writes a file: give it with --output FILE\n",
    )
    result = runner.invoke(
        app, ["query", "uphold_rates_by_category", "--format", "parquet", "-o", str(tmp_path)]
    )
    assert (result.exit_code, result.stderr) == (2, f"imr-graph: {tmp_path}: is a folder, not a file\n")
    result = runner.invoke(app, ["query", "uphold_rates_by_category", "--format", "xml"])
    assert result.exit_code == 2 and "xml" in result.output


def test_query_parquet_infers_types(tmp_path: Path) -> None:
    rows = [
        {"name": "a", "n": 1, "rate": 0.5, "mixed": 1, "tags": ["x"], "when": datetime.date(2014, 1, 2)},
        {"name": None, "n": 2, "rate": 1, "mixed": "two", "tags": [], "when": None},
    ]
    out = tmp_path / "q.parquet"
    export_files.write_query_parquet(["name", "n", "rate", "mixed", "tags", "when", "none"], rows, out)
    table = pq.read_table(out)
    types = {f.name: str(f.type) for f in table.schema}
    assert types == {
        "name": "string",
        "n": "int64",
        "rate": "double",
        "mixed": "string",
        "tags": "list<element: string>",
        "when": "date32[day]",
        "none": "string",
    }
    assert table.column("mixed").to_pylist() == ["1", "two"]
    export_files.write_query_parquet(["a"], [], tmp_path / "empty.parquet")
    assert pq.read_table(tmp_path / "empty.parquet").column_names == ["a"]
