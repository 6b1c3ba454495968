"""The bytes of the bulk importer's CSV files: one field (`csv_field`, `csv_line`) and one line per
label and relationship type, compiled once from the graph declaration (`NODE_FORMATS`, `REL_FORMATS`). Pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from graph_loader.graph import schema_types
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.rows import Row

# Never in letter text after normalization; lets section names keep their ';' and ','.
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
# The quote character, doubled inside a value as RFC 4180 doubles '"'. Not '"': the letter text is
# full of quotation marks, and the import tool's fast multi-line reader (`splits_cleanly`) cannot
# find where a line ends in a file whose values hold its quote character. Like the array
# delimiter, U+001E is white space to the text normalization, so no letter text holds it.
QUOTE = "\x1e"
QUOTE_OPTION = "U+001E"
_QQ = QUOTE + QUOTE


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
    return QUOTE + text.replace(QUOTE, _QQ) + QUOTE


# What a key may hold to be written unquoted: no delimiter, quote or line break.
_NEEDS_QUOTES = re.compile(f"[,\n\r{QUOTE}]")


def csv_key(value: Any) -> str:
    """The key field of a file whose values span lines: unquoted when it can be (the multi-line
    reader finds where a line starts by its unquoted first field), else as csv_field writes it."""
    if value.__class__ is str and value and not _NEEDS_QUOTES.search(value):
        return str(value)
    return csv_field(value)


def splits_cleanly(line: str) -> bool:
    """Whether the import tool's per-file multi-line reader (`--multiline-fields-format=v2`) finds
    this line's end. That reader cuts each 4 MB buffer at the last line end it sees scanning
    backwards, and in Neo4j 5.26 tells a line end in a value from the end of a line only if the line
    starts with an unquoted field, holds a quoted one, and no quoted value holds the quote character
    (an empty string is written as two of them), nor ends with ',' or '\\' (read backwards, a cell
    start, or an escaped quote). A line that fails sends the whole import to the slower reader, which
    reads every file sequentially but is never wrong."""
    # Split at the quote characters, the pieces alternate: outside the quotes, a value, outside...
    # A doubled one (an empty value, or one in a value) leaves an empty piece.
    pieces = line.split(QUOTE)
    if len(pieces) < 3 or not pieces[0]:
        return False
    for value in pieces[1::2]:
        if not value or value[-1] in ",\\":
            return False
    return all(pieces[2:-1:2])


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
        return QUOTE + value.replace(QUOTE, _QQ) + QUOTE
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
        return QUOTE + ARRAY_DELIMITER.join(map(str, value)).replace(QUOTE, _QQ) + QUOTE
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
    # Some column's values may hold line breaks (a `multiline` property): its key is written by
    # csv_key, and the import reads the file with its multi-line reader.
    spans_lines: bool = False

    def line(self, row: Row) -> str:
        return ",".join([fmt(row[name]) for name, fmt in self.columns]) + "\n"

    def key(self, row: Row) -> Any:
        names = self.key_columns
        return row[names[0]] if len(names) == 1 else tuple(row[name] for name in names)

    def lines_split_cleanly(self, lines: list[str], text: str) -> bool:
        """Whether the import tool's per-file reader finds the ends of these lines of this file
        (`text` is them joined): each passes splits_cleanly if the file's values span lines, else
        no value holds a line break."""
        return all(map(splits_cleanly, lines)) if self.spans_lines else text.count("\n") == len(lines)

    def key_length(self, row: Row) -> int:
        """How long the start of `line(row)` that holds the key's fields is (they come first)."""
        return len(",".join([fmt(row[name]) for name, fmt in self.columns[: len(self.key_columns)]]))


def _node_format(n: schema_types.NodeType) -> LineFormat:
    spans = any(p.multiline for p in n.props)
    key_format = csv_key if spans and n.key.type == "string" else column_format(n.key.type)
    columns = ((n.key.name, key_format), *((p.name, column_format(p.type)) for p in n.props))
    return LineFormat(columns, (n.key.name,), spans)


def _rel_format(r: schema_types.RelType) -> LineFormat:
    start, end = GRAPH.node(r.start).key, GRAPH.node(r.end).key
    spans = any(p.multiline for p in r.props)
    columns = (
        ("src", csv_key if spans and start.type == "string" else column_format(start.type)),
        ("dst", column_format(end.type)),
        *((p.name, column_format(p.type)) for p in r.props),
    )
    return LineFormat(columns, ("src", "dst"), spans)


NODE_FORMATS = {n.label: _node_format(n) for n in GRAPH.nodes}
REL_FORMATS = {r.type: _rel_format(r) for r in GRAPH.relationships}


def _empty_list_as_null(value: Any) -> Any:
    # The importer cannot tell an empty array from a missing one; neither can readers of the graph.
    return None if isinstance(value, list) and not value else value


# The files whose values span lines (csv_key writes their key): the per-file reader's list.
SPANNING_FILES = tuple(
    [n.file for n in GRAPH.nodes if NODE_FORMATS[n.label].spans_lines]
    + [r.file for r in GRAPH.relationships if REL_FORMATS[r.type].spans_lines]
)
