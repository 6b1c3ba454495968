"""The bytes of the bulk importer's CSV files: one field (`csv_field`, `csv_line`) and one line per
label and relationship type, compiled once from the graph declaration (`NODE_FORMATS`, `REL_FORMATS`). Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from graph_loader.graph import schema_types
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.rows import Row

# Never in letter text after normalization; lets section names keep their ';' and ','.
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"


def csv_field(value: Any) -> str:
    """One field: null as an empty unquoted field, strings quoted (RFC 4180), lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return _quote(ARRAY_DELIMITER.join(str(v) for v in value))
    return _quote(str(value))


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def csv_line(values: Iterable[Any]) -> str:
    return ",".join(csv_field(v) for v in values) + "\n"


# ---- per-column formatters ----------------------------------------------------------------------------
# csv_field asks every value what it is; the schema already says what each column holds, so each
# column gets a formatter for its declared type with a fast path for the classes the rows put there.
# Anything else falls back to csv_field: the bytes are csv_line's for every value, whatever its class.

Format = Callable[[Any], str]


def _fallback(value: Any) -> str:
    return csv_field(_empty_list_as_null(value))


def _string(value: Any) -> str:
    if value.__class__ is str:
        return '"' + value.replace('"', '""') + '"'
    return "" if value is None else _fallback(value)


def _long(value: Any) -> str:
    if value.__class__ is int:
        return str(value)
    return "" if value is None else _fallback(value)


def _boolean(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return "" if value is None else _fallback(value)


def _array(value: Any) -> str:
    if value.__class__ is list:
        if not value:
            return ""
        return '"' + ARRAY_DELIMITER.join(map(str, value)).replace('"', '""') + '"'
    return "" if value is None else _fallback(value)


_FORMATS: dict[str, Format] = {
    "string": _string,
    "long": _long,
    "boolean": _boolean,
    "string[]": _array,
    "long[]": _array,
    "double[]": _array,
}


def column_format(prop_type: str) -> Format:
    return _FORMATS.get(prop_type, _fallback)


@dataclass(frozen=True)
class LineFormat:
    """One CSV file's line, compiled once from the graph declaration: the row keys in header order, each with
    the formatter of its declared type. `line(row)` is csv_line over those columns, byte for byte;
    `key(row)` is what a shared row is written once per (the node's key, or start and end)."""

    columns: tuple[tuple[str, Format], ...]
    key_columns: tuple[str, ...]

    def line(self, row: Row) -> str:
        return ",".join([fmt(row[name]) for name, fmt in self.columns]) + "\n"

    def key(self, row: Row) -> Any:
        names = self.key_columns
        return row[names[0]] if len(names) == 1 else tuple(row[name] for name in names)

    def key_length(self, row: Row) -> int:
        """How long the start of `line(row)` that holds the key's fields is (they come first)."""
        return len(",".join([fmt(row[name]) for name, fmt in self.columns[: len(self.key_columns)]]))


def _node_format(n: schema_types.NodeType) -> LineFormat:
    columns = ((n.key.name, column_format(n.key.type)), *((p.name, column_format(p.type)) for p in n.props))
    return LineFormat(columns, (n.key.name,))


def _rel_format(r: schema_types.RelType) -> LineFormat:
    start, end = GRAPH.node(r.start).key, GRAPH.node(r.end).key
    columns = (
        ("src", column_format(start.type)),
        ("dst", column_format(end.type)),
        *((p.name, column_format(p.type)) for p in r.props),
    )
    return LineFormat(columns, ("src", "dst"))


NODE_FORMATS = {n.label: _node_format(n) for n in GRAPH.nodes}
REL_FORMATS = {r.type: _rel_format(r) for r in GRAPH.relationships}


def _empty_list_as_null(value: Any) -> Any:
    # The importer cannot tell an empty array from a missing one; neither can readers of the graph.
    return None if isinstance(value, list) and not value else value
