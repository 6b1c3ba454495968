"""`imr-graph query`: a bad parameter is one line naming it and what it takes (exit 2), allowed values
match in any case, and an empty result still has its header and typed columns. No server: the
library's `run_columns` is replaced by canned (columns, rows)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import neo4j.exceptions
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from graph_loader import stored_queries as library
from graph_loader.cli.main import app
from graph_loader.errors import InvalidArgument

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
RATE_COLUMNS = ["treatment", "decisions", "upheld", "uphold_rate", "uphold_rate_low", "uphold_rate_high"]


@pytest.fixture(autouse=True)
def no_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest beside an output file reads the graph's dataset: there is no graph here."""
    from graph_loader.cli import query_command

    monkeypatch.setattr(query_command, "graph_dataset", lambda: None)


@pytest.fixture
def ran(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The parameters each run received; every run answers no rows, with its RETURN columns."""
    calls: list[dict[str, Any]] = []

    def run_columns(
        query: library.StoredQuery, params: dict[str, Any], settings: object
    ) -> tuple[list[str], list[dict[str, Any]]]:
        calls.append(params)
        return library.return_columns(query.cypher), []

    monkeypatch.setattr(library, "run_columns", run_columns)
    return calls


def usage_error(args: list[str], ran: list[dict[str, Any]]) -> str:
    result = runner.invoke(app, ["query", *args])
    assert result.exit_code == 2 and not ran and not result.stdout
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    return result.stderr


def test_a_negative_count_is_refused_naming_the_range(ran: list[dict[str, Any]]) -> None:
    line = usage_error(["uphold_rates_by_treatment", "--param", "first=-5"], ran)
    assert line == "imr-graph: uphold_rates_by_treatment: parameter 'first' must be a number >= 0, not -5\n"
    line = usage_error(["uphold_rates_by_treatment", "-p", "first=2.5"], ran)
    assert line.endswith("parameter 'first' must be a whole number >= 0, not 2.5\n")


def test_an_allowed_value_matches_in_any_case_and_is_passed_as_stored(ran: list[dict[str, Any]]) -> None:
    result = runner.invoke(
        app, ["query", "flagship_guideline_sections", "-p", "outcome=upheld", "-p", "cited_by=Imr_Reviewer"]
    )
    assert result.exit_code == 0, result.stderr
    assert ran[0]["outcome"] == "UPHELD" and ran[0]["cited_by"] == "IMR_REVIEWER"
    result = runner.invoke(app, ["query", "outcomes_by_year", "-p", "category=physical_medicine"])
    assert result.exit_code == 0 and ran[1]["category"] == "PHYSICAL_MEDICINE"


def test_a_value_outside_the_allowed_ones_names_them(ran: list[dict[str, Any]]) -> None:
    line = usage_error(["flagship_guideline_sections", "-p", "outcome=maybe"], ran)
    assert line == (
        "imr-graph: flagship_guideline_sections: parameter 'outcome' must be one of UPHELD, OVERTURNED "
        "(any case), not 'maybe'\n"
    )


def test_a_wrong_type_names_the_value_and_the_type(ran: list[dict[str, Any]]) -> None:
    line = usage_error(["flagship_guideline_sections", "-p", "year=abc"], ran)
    assert line == "imr-graph: flagship_guideline_sections: parameter 'year' must be a number, not 'abc'\n"
    result = runner.invoke(app, ["query", "flagship_guideline_sections", "-p", "year=2015"])
    assert result.exit_code == 0 and ran[0]["year"] == 2015


def test_a_param_without_equals_says_how_to_give_it(ran: list[dict[str, Any]]) -> None:
    line = usage_error(["uphold_rates_by_category", "--param", "min_decisions"], ran)
    assert line == "imr-graph: --param takes key=value: 'min_decisions' has no '='\n"


def test_an_unknown_parameter_lists_the_query_s(ran: list[dict[str, Any]]) -> None:
    line = usage_error(["uphold_rates_by_treatment", "-p", "colour=red"], ran)
    assert line == (
        "imr-graph: uphold_rates_by_treatment has no parameter 'colour' (it takes: first, min_decisions)\n"
    )


def test_a_list_parameter_takes_the_option_once_per_item(ran: list[dict[str, Any]]) -> None:
    args = ["query", "flagship_guideline_sections", "-p", "diagnosis_codes=M54", "-p", "diagnosis_codes=M51"]
    assert runner.invoke(app, args).exit_code == 0
    assert ran[0]["diagnosis_codes"] == ["M54", "M51"]


def test_a_query_the_server_refuses_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise neo4j.exceptions.ClientError("Invalid input.\n  LIMIT must be non-negative")

    monkeypatch.setattr(library, "run_columns", refuse)
    result = runner.invoke(app, ["query", "uphold_rates_by_treatment"])
    assert result.exit_code == 1
    assert result.stderr == (
        "imr-graph: uphold_rates_by_treatment: Neo4j refused the query: Invalid input. LIMIT must be "
        "non-negative\n"
    )


def test_no_rows_still_print_the_header(ran: list[dict[str, Any]]) -> None:
    def out(fmt: str) -> str:
        result = runner.invoke(app, ["query", "uphold_rates_by_treatment", "--format", fmt])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    assert out("csv").splitlines() == [",".join(RATE_COLUMNS)]
    assert json.loads(out("json")) == []
    table = out("table").splitlines()
    assert table[0].split() == RATE_COLUMNS and set(table[1]) == {"-", " "} and table[2] == "(no rows)"


def test_no_rows_in_a_file_keep_the_header(ran: list[dict[str, Any]], tmp_path: Path) -> None:
    out = tmp_path / "rates.csv"
    args = ["query", "uphold_rates_by_treatment", "--format", "csv", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    assert out.read_text().splitlines() == [",".join(RATE_COLUMNS)]


def test_no_rows_in_parquet_keep_the_declared_types(ran: list[dict[str, Any]], tmp_path: Path) -> None:
    out = tmp_path / "sections.parquet"
    args = ["query", "flagship_guideline_sections", "--format", "parquet", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and result.stderr == f"{out}: 0 rows\n"
    table = pq.read_table(out)
    types = {f.name: str(f.type) for f in table.schema}
    assert table.num_rows == 0 and list(types) == library.return_columns(
        library.get("flagship_guideline_sections").cypher
    )
    assert types["decisions"] == "int64" and types["share"] == "double" and types["section"] == "string"
    assert types["pages"] == "list<element: int64>"


def test_rows_in_parquet_take_the_declared_types(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # `top`, a list of maps, has no Arrow type of its own: its declared json is JSON text.
    rows = [{"treatment": "MRI", "top": [{"diagnosis": "M54 Dorsalgia", "cases": 2}]}]
    monkeypatch.setattr(library, "run_columns", lambda *a: (["treatment", "top"], rows))
    out = tmp_path / "top.parquet"
    args = ["query", "top_diagnoses_per_treatment", "--format", "parquet", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    table = pq.read_table(out)
    assert str(table.schema.field("top").type) == "string"
    assert json.loads(table.column("top")[0].as_py()) == rows[0]["top"]


def test_every_declared_column_line_names_the_return_columns() -> None:
    for query in library.all_queries():
        if query.column_types:
            assert list(query.column_types) == library.return_columns(query.cypher), query.name


def test_header_mistakes_are_named(tmp_path: Path) -> None:
    path = tmp_path / "q.cypher"
    path.write_text("// title: T\n// :param n => 1\n// param m: integer\nRETURN $n AS n\n")
    with pytest.raises(library.LibraryError, match="param m: no `// :param` line declares it"):
        library.parse_stored(path)
    path.write_text("// title: T\n// :param n => 1\n// param n: integr\nRETURN $n AS n\n")
    with pytest.raises(library.LibraryError, match="'integr' is neither a type"):
        library.parse_stored(path)
    path.write_text("// title: T\n// columns: n:int\nRETURN 1 AS n\n")
    with pytest.raises(library.LibraryError, match="columns: 'n:int' is not name:type"):
        library.parse_stored(path)


def test_values_from_json_are_checked_like_text() -> None:
    # The API's storedQuery passes JSON values straight to validate_params.
    flagship = library.get("flagship_guideline_sections")
    assert library.validate_params(flagship, {"first": 5.0, "outcome": "overturned"})["first"] == 5
    with pytest.raises(InvalidArgument, match="parameter 'first' must be a number, not true"):
        library.validate_params(flagship, {"first": True})
    assert library.validate_params(flagship, {"outcome": None})["outcome"] is None


def test_a_letter_not_in_utf8_is_named_on_stderr(tmp_path: Path) -> None:
    sample = sorted((ROOT / "samples" / "letters").glob("*.txt"))[0]
    letter = tmp_path / "letter.txt"
    text = sample.read_text(encoding="utf-8") + "\nReviewed by José Peña\n"
    letter.write_bytes(text.encode("utf-8"))
    as_utf8 = runner.invoke(app, ["parse", "--workers", "1", str(letter)])
    assert as_utf8.exit_code == 0 and "Windows-1252" not in as_utf8.stderr
    letter.write_bytes(text.encode("cp1252"))
    as_cp1252 = runner.invoke(app, ["parse", "--workers", "1", str(letter)])
    assert as_cp1252.exit_code == 0
    assert as_cp1252.stderr == f"imr-graph: {letter}: not UTF-8; read as Windows-1252\n"
    assert as_cp1252.stdout == as_utf8.stdout


def test_null_is_any_for_a_string_parameter_too() -> None:
    evidence = library.get("citation_evidence")
    params = library.params_from_text(evidence, {"section": ["null"], "guideline_key": ["odg:low-back"]})
    assert params["section"] is None and params["guideline_key"] == "odg:low-back"
    assert library.params_from_text(evidence, {"diagnosis_codes": ["null"]})["diagnosis_codes"] is None


def test_a_table_keeps_one_line_per_row() -> None:
    table = library.format_rows([{"letter": "a", "sentence": "Page(s):\n98-99."}], "table")
    assert table.splitlines()[-1].split() == ["a", "Page(s):", "98-99."]
