"""`imr-graph query NAME`: run a stored query of the cypher/ library, read-only, as a table, CSV, JSON
or Parquet.

A function with typer annotations; graph_loader/cli/main.py registers it (`app.command()(query)`), so
this module imports nothing of main. Every problem (a bad parameter, an unknown query, no server, a
query the server refuses) is one line on stderr: exit 2 for what the caller can fix, 1 for a query
the server fails.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from graph_loader.cli import err
from graph_loader.config import load_settings
from graph_loader.errors import ImrGraphError, InvalidArgument


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def given_params(items: list[str]) -> dict[str, list[str]]:
    """`--param key=value` options as text per name (repeated for a list), for
    `stored_queries.params_from_text` to read as the header's types."""
    given: dict[str, list[str]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep:
            raise InvalidArgument(f"--param takes key=value: {item!r} has no '='")
        given.setdefault(key.strip(), []).append(raw)
    return given


def query(
    name: Annotated[str | None, typer.Argument(help="Name of a query in cypher/ (see --list).")] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            help="key=value, as the query's header declares it (see docs/queries.md); allowed values in "
            "any case; a list parameter takes the option once per item, or one JSON list.",
        ),
    ] = None,
    fmt: Annotated[
        QueryFormat, typer.Option("--format", help="table, csv, json, or parquet (needs --output).")
    ] = QueryFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the rows to this file instead of stdout.")
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the stored queries with their titles.")] = False,
) -> None:
    """Run a stored, parameterized Cypher query from the cypher/ library (read-only)."""
    from neo4j.exceptions import Neo4jError

    from graph_loader import stored_queries as library
    from graph_loader.export.files import atomic_file, check_output_file, write_query_parquet

    try:
        if list_ or name is None:
            for q in library.all_queries():
                typer.echo(f"{q.name:32s} {q.title}")
            return
        if fmt is QueryFormat.parquet and output is None:
            err("--format parquet writes a file: give it with --output FILE")
            raise typer.Exit(2)
        if output is not None:
            check_output_file(output)
        stored = library.get(name)
        values = library.params_from_text(stored, given_params(param or []))
        columns, rows = library.run_columns(stored, values, load_settings())
        if fmt is QueryFormat.parquet:
            assert output is not None
            write_query_parquet(columns, rows, output, stored.column_types)
            typer.echo(f"{output}: {len(rows)} rows", err=True)
        elif output is not None:
            with atomic_file(output) as handle:
                handle.write((library.format_rows(rows, fmt.value, columns) + "\n").encode())
        else:
            typer.echo(library.format_rows(rows, fmt.value, columns))
        if output is not None:
            write_query_manifest(output, graph_dataset(), name, values, len(rows))
    except ImrGraphError as exc:
        err(str(exc))
        raise typer.Exit(2) from exc
    except Neo4jError as exc:
        # Parameters are checked before the query runs; what the server still refuses is its own
        # message, on one line, not a traceback.
        err(f"{name}: Neo4j refused the query: {' '.join(str(exc).split())}")
        raise typer.Exit(1) from exc


def graph_dataset() -> dict[str, Any] | None:
    """The graph's Dataset node (None when no load has finished on it), read after the query ran: a
    load finishing in between shows as a loadedAt later than the file's."""
    from graph_loader.load import neo4j_db

    settings = load_settings()
    with neo4j_db.connect(settings) as driver:
        return neo4j_db.read_dataset(driver, settings.database)


def write_query_manifest(
    output: Path, dataset: dict[str, Any] | None, name: str, values: dict[str, Any], rows: int
) -> Path:
    """`FILE.manifest.json` beside a query's output file: the dataset, the query and the parameters it
    ran with, the rows and the file's SHA-256, so a figure made from the file can say where it came
    from."""
    from graph_loader.export.files import file_sha256, write_manifest
    from graph_loader.graph.rows import dataset_block

    path = output.with_name(output.name + ".manifest.json")
    write_manifest(
        path,
        {
            "dataset": dataset_block(dataset),
            "query": name,
            "parameters": values,
            "file": output.name,
            "rows": rows,
            "sha256": file_sha256(output),
        },
    )
    return path
