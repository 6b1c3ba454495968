"""Rows from Neo4j's records, as `Record.data()` returns them, for every reader of the graph: the
API, `export --from-graph` and the stored queries.

data() rebuilds every map and list of a row through abstract-class checks, to turn nodes into maps.
That was 5 of the 8 ms of CPU to read a page of 20 treatments' decisions, and half the CPU of
reading the export's tables. The project's queries return maps, lists and scalars, which data()
would copy unchanged. So a row that a walk of exact type checks finds plain is kept as Bolt gave
it, in under a tenth of that time, and any other row (a node, a date, bytes) still goes through
data()."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neo4j import Record

# What Bolt hands back as these Python types, `Record.data()` returns unchanged.
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _is_plain(value: Any) -> bool:
    kind = type(value)
    if kind is dict:
        return all(map(_is_plain, value.values()))
    if kind is list:
        return all(map(_is_plain, value))
    return kind in _PLAIN


def rows_of(records: Iterable[Record]) -> list[dict[str, Any]]:
    """Each record as `Record.data()` returns it."""
    out = []
    for record in records:
        row = dict(zip(record.keys(), record, strict=True))
        out.append(row if _is_plain(row) else record.data())
    return out
