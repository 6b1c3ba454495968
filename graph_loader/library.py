"""The stored Cypher library in cypher/: parse headers, validate parameters, run read-only, format.

One text per question: the API runs these same files for the questions they answer (api/queries.py
names them), so the Browser guide, `imr-graph query` and GraphQL cannot disagree. The folder ships in
the package (graph_loader/cypher links to the top-level cypher/)."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_loader.config import Settings
from graph_loader.errors import ImrGraphError, InvalidArgument

CYPHER_DIR = Path(__file__).resolve().parent / "cypher"


class LibraryError(ImrGraphError):
    """The library is missing or a query is not in it."""


@dataclass(frozen=True)
class StoredQuery:
    name: str
    title: str
    description: str
    cypher: str
    example_params: dict[str, Any] = field(default_factory=dict)


def parse_stored(path: Path) -> StoredQuery:
    title, description, params = "", [], {}
    body: list[str] = []
    for line in path.read_text().splitlines():
        if line.startswith("//"):
            text = line[2:].strip()
            if text.startswith("title:"):
                title = text[6:].strip()
            elif text.startswith("description:"):
                description.append(text[12:].strip())
            elif m := re.match(r":param\s+(\w+)\s*=>\s*(.+)$", text):
                params[m.group(1)] = json.loads(m.group(2))
            elif description and not title.endswith(text):
                description.append(text)
        else:
            body.append(line)
    return StoredQuery(
        name=path.stem,
        title=title or path.stem,
        description=" ".join(description),
        cypher="\n".join(body).strip(),
        example_params=params,
    )


def all_queries(directory: Path = CYPHER_DIR) -> list[StoredQuery]:
    found = [parse_stored(p) for p in sorted(directory.glob("*.cypher"))]
    if not found:
        # An install without its library must say so, not list nothing.
        raise LibraryError(f"no stored queries in {directory}: the installation is incomplete")
    return found


@functools.cache
def get(name: str, directory: Path = CYPHER_DIR) -> StoredQuery:
    path = directory / f"{name}.cypher"
    if not re.fullmatch(r"[a-z0-9_]+", name) or not path.is_file():
        raise LibraryError(f"no stored query named {name!r}; see `imr-graph query --list`")
    return parse_stored(path)


def validate_params(query: StoredQuery, given: dict[str, Any]) -> dict[str, Any]:
    """The query's parameters: its header's example values, overridden by `given`. A name the header
    does not declare, or a value of another JSON type than the example's, is refused."""
    params = dict(query.example_params)
    for key, value in given.items():
        if key not in params:
            declared = ", ".join(sorted(params)) or "none"
            raise InvalidArgument(f"{query.name} has no parameter {key!r} (it takes: {declared})")
        example = params[key]
        if example is not None and value is not None and _json_type(value) != _json_type(example):
            raise InvalidArgument(
                f"{query.name}: parameter {key!r} must be a {_json_type(example)}, not a {_json_type(value)}"
            )
        params[key] = value
    return params


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "map" if isinstance(value, dict) else type(value).__name__


def run(query: StoredQuery, params: dict[str, Any], settings: Settings) -> list[dict[str, Any]]:
    return run_columns(query, params, settings)[1]


def run_columns(
    query: StoredQuery, params: dict[str, Any], settings: Settings
) -> tuple[list[str], list[dict[str, Any]]]:
    """The column names (known even when there are no rows) and the rows."""
    from neo4j import READ_ACCESS, GraphDatabase, ManagedTransaction

    def read(tx: ManagedTransaction) -> tuple[list[str], list[dict[str, Any]]]:
        result = tx.run(query.cypher, params)
        rows = [r.data() for r in result]
        return list(result.keys()), rows

    with (
        GraphDatabase.driver(
            settings.uri, auth=(settings.user, settings.password), notifications_min_severity="OFF"
        ) as driver,
        driver.session(database=settings.database, default_access_mode=READ_ACCESS) as session,
    ):
        return session.execute_read(read)


def _cell(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    return "" if value is None else str(value)


def format_rows(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=1, default=str)
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        writer.writerows([[_cell(r[c]) for c in columns] for r in rows])
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise InvalidArgument(f"unknown format {fmt!r}: use table, csv or json")
    if not rows:
        return "(no rows)"
    cells = [[_cell(r[c])[:60] for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join([line, sep, *body])
