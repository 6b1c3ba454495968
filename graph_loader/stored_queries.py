"""The stored Cypher library in cypher/: parse headers, validate parameters, run read-only, format.

One text per question: the API runs these same files for the questions they answer (api/cypher/root_queries.py
names them), so the Browser guide, `imr-graph query` and GraphQL cannot disagree. The folder ships in
the package (graph_loader/cypher links to the top-level cypher/).

A header is `//` lines (`//   ...` continues the line above): `title:`, `description:`, `chart:`
(api/web/charts.py); `:param NAME => JSON`, a parameter and its example (Neo4j Browser's syntax);
`param NAME: integer >= 0` (string, integer, number, boolean, list or map; numbers may take >= N) or
`param NAME: UPHELD | OVERTURNED` (the only values, in any case, passed on as written: the graph's
spelling), else the example's type, and null always ("any"); `columns: NAME:TYPE, ...` (COLUMN_TYPES),
the Parquet types of `query --format parquet` even with no rows, else inferred from the values, and
string for a column without any."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_loader.config import Settings, credentials_refused, server_unreachable
from graph_loader.errors import ImrGraphError, InvalidArgument
from graph_loader.records import rows_of

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


PARAM_TYPES = ("string", "integer", "number", "boolean", "list", "map")
# A `// columns:` line's types, which `query --format parquet` writes (graph_loader/export/files.py);
# json: lists of maps and other nested values, as JSON text.
COLUMN_TYPES = ("string", "int64", "float64", "bool", "list<string>", "list<int64>", "json")


@dataclass(frozen=True)
class ParamSpec:
    """What a parameter takes: a JSON type (None: anything), the only values, or the least number."""

    type: str | None = None
    values: tuple[str, ...] = ()
    minimum: int | None = None

    def describe(self, value: Any = None) -> str:
        """What the parameter takes, for the `value` refused: a text is told the type, a number the range."""
        if self.values:
            return f"one of {', '.join(self.values)} (any case)"
        if self.type in ("integer", "number"):
            what = "a whole number" if self.type == "integer" and isinstance(value, float) else "a number"
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            return f"{what} >= {self.minimum}" if numeric and self.minimum is not None else what
        if self.type == "boolean":
            return "true or false"
        return f"a {self.type}" if self.type else "any value"


def spec_of_example(example: Any) -> ParamSpec:
    """A parameter without a `// param` line takes its example's type; a null example, anything."""
    whole = isinstance(example, int) and not isinstance(example, bool)
    return ParamSpec("integer" if whole else None if example is None else _json_type(example))


@dataclass(frozen=True)
class StoredQuery:
    name: str
    title: str
    description: str
    cypher: str
    example_params: dict[str, Any] = field(default_factory=dict)
    chart: ChartSpec | None = None
    # Only what a `// param NAME: ...` line declares; see param_spec for the rest.
    param_specs: dict[str, ParamSpec] = field(default_factory=dict)
    # A `// columns:` line's RETURN columns and their types; empty when the header declares none.
    column_types: dict[str, str] = field(default_factory=dict)

    def param_spec(self, name: str) -> ParamSpec:
        return self.param_specs.get(name) or spec_of_example(self.example_params.get(name))


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


def parse_param_spec(text: str, where: str) -> ParamSpec:
    """`integer`, `integer >= 0`, or allowed values `UPHELD | OVERTURNED`; `where` names the line."""
    if (m := re.fullmatch(r"(\w+)(?:\s*>=\s*(-?\d+))?", text)) and m.group(1) in PARAM_TYPES:
        if m.group(2) is not None and m.group(1) not in ("integer", "number"):
            raise LibraryError(f"{where}: only numbers take >= N")
        return ParamSpec(m.group(1), minimum=None if m.group(2) is None else int(m.group(2)))
    values = tuple(v.strip() for v in text.split("|"))
    if len(values) < 2 or not all(values):
        raise LibraryError(
            f"{where}: {text!r} is neither a type ({', '.join(PARAM_TYPES)}, numbers with >= N) "
            "nor values A | B"
        )
    return ParamSpec("string", values)


def parse_columns(text: str, where: str) -> dict[str, str]:
    """`year:string, decisions:int64, ...`: the RETURN columns' types for typed Parquet."""
    columns: dict[str, str] = {}
    for item in text.split(","):
        name, _, kind = (part.strip() for part in item.partition(":"))
        if not re.fullmatch(r"\w+", name) or kind not in COLUMN_TYPES:
            raise LibraryError(
                f"{where}: columns: {item.strip()!r} is not name:type ({', '.join(COLUMN_TYPES)})"
            )
        columns[name] = kind
    return columns


def _join_continued(lines: list[str]) -> list[str]:
    """A header line indented under the one above (`//   more`) continues it: long lines wrap."""
    joined: list[str] = []
    for line in lines:
        if line.startswith("//   ") and joined and joined[-1].startswith("//"):
            joined[-1] += " " + line[2:].strip()
        else:
            joined.append(line)
    return joined


def parse_stored(path: Path) -> StoredQuery:
    title, description, params = "", [], {}
    chart: ChartSpec | None = None
    specs: dict[str, ParamSpec] = {}
    column_types: dict[str, str] = {}
    body: list[str] = []
    for line in _join_continued(path.read_text().splitlines()):
        if line.startswith("//"):
            text = line[2:].strip()
            if text.startswith("title:"):
                title = text[6:].strip()
            elif text.startswith("chart:"):
                chart = parse_chart(text[6:], f"{path.name}")
            elif text.startswith("columns:"):
                column_types = parse_columns(text[8:], path.name)
            elif text.startswith("description:"):
                description.append(text[12:].strip())
            elif m := re.match(r":param\s+(\w+)\s*=>\s*(.+)$", text):
                params[m.group(1)] = json.loads(m.group(2))
            elif m := re.match(r"param\s+(\w+)\s*:\s*(.+)$", text):
                specs[m.group(1)] = parse_param_spec(m.group(2).strip(), f"{path.name}: param {m.group(1)}")
            elif description and not title.endswith(text):
                description.append(text)
        else:
            body.append(line)
    if stray := sorted(set(specs) - set(params)):
        raise LibraryError(f"{path.name}: param {', '.join(stray)}: no `// :param` line declares it")
    return StoredQuery(
        name=path.stem,
        title=title or path.stem,
        description=" ".join(description),
        cypher="\n".join(body).strip(),
        example_params=params,
        chart=chart,
        param_specs=specs,
        column_types=column_types,
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


# The parameter that caps the rows a stored query returns (its LIMIT), by the library's convention.
ROW_LIMIT_PARAM = "first"
# Neo4j's integers are 64-bit: a larger one fails inside the server, not as a message about the value.
MAX_INTEGER = 2**63 - 1


def validate_params(
    query: StoredQuery, given: dict[str, Any], *, max_rows: int | None = None
) -> dict[str, Any]:
    """The query's parameters: its header's example values, overridden by `given`. A name the header
    does not declare, or a value its `// param` line (else its example's JSON type) refuses, is an
    InvalidArgument of one line; an allowed value given in another case is passed on as declared.
    `max_rows`, when given, caps the row limit `first` (the API passes its page size)."""
    params = dict(query.example_params)
    for key, value in given.items():
        if key not in params:
            declared = ", ".join(sorted(params)) or "none"
            raise InvalidArgument(f"{query.name} has no parameter {key!r} (it takes: {declared})")
        params[key] = check_param(query, key, value)
        _check_range(query, key, params[key], max_rows if key == ROW_LIMIT_PARAM else None)
    return params


def _check_range(query: StoredQuery, key: str, value: Any, most: int | None) -> None:
    """A whole number the server can take: 64-bit, and 0 or more for a count (a parameter whose
    header declares no minimum and whose example is 0 or more: first, candidates, min_decisions...),
    where `LIMIT -5` would fail inside the server instead of naming the parameter."""
    if not isinstance(value, int) or isinstance(value, bool):
        return
    example, spec = query.example_params.get(key), query.param_spec(key)
    counts = isinstance(example, int) and not isinstance(example, bool) and example >= 0
    least = spec.minimum if spec.minimum is not None else (0 if counts else -MAX_INTEGER - 1)
    top = MAX_INTEGER if most is None else most
    if not least <= value <= top:
        shown = str(value) if len(str(value)) <= 40 else str(value)[:39] + "…"
        raise InvalidArgument(
            f"{query.name}: parameter {key!r} takes a whole number from {least} to {top}, not {shown}"
        )


def check_param(query: StoredQuery, key: str, value: Any) -> Any:
    """`value` as the query takes it, or an InvalidArgument naming it and what it takes; null is "any"."""
    spec = query.param_spec(key)
    if value is None or spec.type is None:
        return value
    if spec.values and isinstance(value, str):
        # The graph stores these upper case (graph_loader/models.py); people type them any way.
        for allowed in spec.values:
            if allowed.casefold() == value.strip().casefold():
                return allowed
    elif spec.type == "integer":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        whole = isinstance(value, int) and not isinstance(value, bool)
        if whole and (spec.minimum is None or value >= spec.minimum):
            return value
    elif _json_type(value) == spec.type and (spec.minimum is None or value >= spec.minimum):
        return value
    shown = repr(value[:40]) if isinstance(value, str) else json.dumps(value, default=str)[:40]
    raise InvalidArgument(f"{query.name}: parameter {key!r} must be {spec.describe(value)}, not {shown}")


def params_from_text(
    query: StoredQuery, given: dict[str, list[str]], *, max_rows: int | None = None
) -> dict[str, Any]:
    """Parameters given as text (a URL's query string, `imr-graph query --param`), read as the types
    the header declares (or its examples imply), then validated. A list takes repeated values
    (`?codes=M54&codes=M51`) or one JSON list; a string is the text as given; numbers, booleans and
    maps are JSON (`null` too, for any type); text that is not JSON is kept as text, for validation to
    name."""
    parsed: dict[str, Any] = {}
    for key, values in given.items():
        spec = query.param_spec(key)
        whole_json = len(values) == 1 and (values[0].lstrip().startswith("[") or values[0].strip() == "null")
        if spec.type == "list" and not whole_json:
            parsed[key] = list(values)
            continue
        if len(values) != 1:
            raise InvalidArgument(f"{query.name}: parameter {key!r} is given {len(values)} times")
        raw = values[0]
        if spec.type == "string":
            # `null` is "any" for every parameter, a string's too (no stored value is the text "null").
            parsed[key] = None if raw == "null" else raw
            continue
        try:
            parsed[key] = json.loads(raw)
        except json.JSONDecodeError:
            parsed[key] = raw
    return validate_params(query, parsed, max_rows=max_rows)


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
        rows = rows_of(result)
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
        raise GraphUnreachable(credentials_refused(settings)) from exc
    except ServiceUnavailable as exc:
        raise GraphUnreachable(server_unreachable(settings)) from exc


def _cell(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    return "" if value is None else str(value)


def format_rows(rows: list[dict[str, Any]], fmt: str, columns: list[str] | None = None) -> str:
    """The rows as a table, CSV or JSON; `columns` (run_columns gives them) head a CSV or table with
    no rows."""
    if fmt == "json":
        return json.dumps(rows, indent=1, default=str)
    if columns is None:
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
        head = ["  ".join(columns), "  ".join("-" * len(c) for c in columns)] if columns else []
        return "\n".join([*head, "(no rows)"])
    # One line per row: a sentence's line breaks (a letter's layout) would split the table.
    cells = [[" ".join(_cell(r[c]).split())[:60] for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join([line, sep, *body])
