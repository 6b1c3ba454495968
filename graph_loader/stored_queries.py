"""The stored Cypher library in cypher/: parse headers, validate parameters, run read-only, format.

One text per question: the API runs these same files for the questions they answer (api/cypher/root_queries.py
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


CHART_MARKS = ("line", "bar", "point", "area")
CHART_CHANNELS = ("x", "y", "color")
# Vega-Lite's shorthand types: quantitative, ordinal, nominal, temporal.
CHART_TYPES = ("Q", "O", "N", "T")


class GraphUnreachable(ImrGraphError):
    """No server at the configured address, or it refused the credentials: what to set, in one line."""


@dataclass(frozen=True)
class Channel:
    column: str
    type: str | None = None  # None: read from the values (numbers quantitative, else ordinal/nominal)


@dataclass(frozen=True)
class ChartSpec:
    """A header's `// chart: mark=line x=year y=uphold_rate color=category` (api/web/charts.py draws it)."""

    mark: str
    x: Channel
    y: Channel
    color: Channel | None = None

    @property
    def columns(self) -> list[str]:
        return [c.column for c in (self.x, self.y, self.color) if c is not None]


@dataclass(frozen=True)
class StoredQuery:
    name: str
    title: str
    description: str
    cypher: str
    example_params: dict[str, Any] = field(default_factory=dict)
    chart: ChartSpec | None = None


def parse_chart(text: str, where: str) -> ChartSpec:
    """`mark=line x=year y=uphold_rate:Q color=category`; `where` names the file in errors."""
    fields: dict[str, str] = {}
    for token in text.split():
        key, sep, value = token.partition("=")
        if not sep or not value:
            raise LibraryError(f"{where}: chart: {token!r} is not key=value")
        if key not in ("mark", *CHART_CHANNELS):
            raise LibraryError(f"{where}: chart: unknown key {key!r} (use mark, x, y, color)")
        if key in fields:
            raise LibraryError(f"{where}: chart: {key!r} is given twice")
        fields[key] = value
    missing = [k for k in ("mark", "x", "y") if k not in fields]
    if missing:
        raise LibraryError(f"{where}: chart: {', '.join(missing)} missing")
    if fields["mark"] not in CHART_MARKS:
        raise LibraryError(f"{where}: chart: mark {fields['mark']!r} is not one of {', '.join(CHART_MARKS)}")

    def channel(key: str) -> Channel:
        m = re.fullmatch(r"([A-Za-z_]\w*)(?::([A-Z]))?", fields[key])
        if not m or (m.group(2) and m.group(2) not in CHART_TYPES):
            raise LibraryError(
                f"{where}: chart: {key}={fields[key]!r} must be a RETURN column, optionally :Q, :O, :N or :T"
            )
        return Channel(m.group(1), m.group(2))

    return ChartSpec(
        mark=fields["mark"],
        x=channel("x"),
        y=channel("y"),
        color=channel("color") if "color" in fields else None,
    )


def return_columns(cypher: str) -> list[str]:
    """The columns of a query's final top-level RETURN (its alias, or the bare expression)."""
    text = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", cypher)
    depth, last = 0, -1
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif (
            depth == 0
            and re.match(r"(?i)\bRETURN\b", text[i : i + 7])
            and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"))
        ):
            last = i
    if last < 0:
        return []
    clause = re.split(r"(?i)\b(?:ORDER\s+BY|SKIP|LIMIT|UNION)\b", text[last + 6 :])[0]
    items, depth, start = [], 0, 0
    for i, ch in enumerate(clause):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(clause[start:i])
            start = i + 1
    items.append(clause[start:])
    columns = []
    for item in (i.strip() for i in items):
        alias = re.search(r"(?i)\bAS\s+(\w+)$", item)
        columns.append(alias.group(1) if alias else item)
    return [c for c in columns if c]


def parse_stored(path: Path) -> StoredQuery:
    title, description, params = "", [], {}
    chart: ChartSpec | None = None
    body: list[str] = []
    for line in path.read_text().splitlines():
        if line.startswith("//"):
            text = line[2:].strip()
            if text.startswith("title:"):
                title = text[6:].strip()
            elif text.startswith("chart:"):
                chart = parse_chart(text[6:], f"{path.name}")
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
        chart=chart,
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


def params_from_text(query: StoredQuery, given: dict[str, list[str]]) -> dict[str, Any]:
    """Parameters given as text (a URL's query string), read as the header's example types, then
    validated. A list takes repeated values (`?codes=M54&codes=M51`) or one JSON list; a string is the
    text as given; numbers, booleans and maps are JSON; a parameter whose example is null takes JSON
    when the text is JSON, else the text."""
    parsed: dict[str, Any] = {}
    for key, values in given.items():
        example = query.example_params.get(key)
        if isinstance(example, list) and not (len(values) == 1 and values[0].lstrip().startswith("[")):
            parsed[key] = list(values)
            continue
        if len(values) != 1:
            raise InvalidArgument(f"{query.name}: parameter {key!r} is given {len(values)} times")
        raw = values[0]
        if isinstance(example, str):
            parsed[key] = raw
            continue
        try:
            parsed[key] = json.loads(raw)
        except json.JSONDecodeError as exc:
            if example is None:
                parsed[key] = raw
                continue
            raise InvalidArgument(
                f"{query.name}: parameter {key!r} must be a {_json_type(example)}, not {raw[:40]!r}"
            ) from exc
    return validate_params(query, parsed)


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
    from neo4j.exceptions import AuthError, ServiceUnavailable

    def read(tx: ManagedTransaction) -> tuple[list[str], list[dict[str, Any]]]:
        result = tx.run(query.cypher, params)
        rows = [r.data() for r in result]
        return list(result.keys()), rows

    try:
        with GraphDatabase.driver(
            settings.uri, auth=(settings.user, settings.password), notifications_min_severity="OFF"
        ) as driver:
            # Fails at once on a server that is down or refuses the password, where a read would retry
            # for 30 s first.
            driver.verify_connectivity()
            with driver.session(database=settings.database, default_access_mode=READ_ACCESS) as session:
                return session.execute_read(read)
    except AuthError as exc:
        raise GraphUnreachable(
            f"Neo4j at {settings.uri} refused the credentials of user {settings.user!r}: set NEO4J_USER "
            "and NEO4J_PASSWORD (environment or .env) to the server's"
        ) from exc
    except ServiceUnavailable as exc:
        raise GraphUnreachable(
            f"no Neo4j answers at {settings.uri}: start the local one with `imr-graph neo4j start`, or "
            "point NEO4J_URI at yours"
        ) from exc


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
