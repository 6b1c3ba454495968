"""The rows every reader of the graph gets (the API, the export, the stored queries) are what
`Record.data()` returns for each record, whether the record holds only maps, lists and scalars (kept
as Bolt gave them) or a node, relationship, date or bytes somewhere inside (through data()). No
server: the records are built as the driver builds them."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Record
from neo4j.graph import Graph, Node
from neo4j.time import Date, DateTime

from graph_loader.records import rows_of

_GRAPH = Graph()
_NODE = Node(_GRAPH, "4:x:1", 1, ["Decision"], {"item": "Physical therapy", "index": 1})
_OTHER = Node(_GRAPH, "4:x:2", 2, ["Treatment"], {"name": "Physical therapy"})
_REL = _GRAPH.relationship_type("FOR_TREATMENT")(_GRAPH, "5:x:1", 1, {})
_REL._start_node, _REL._end_node = _NODE, _OTHER

PLAIN_ROWS = [
    {"key": "tramadol", "total": 12, "share": 0.25, "walk": True, "parent": None},
    {
        "rows": [
            {"node": {"item": "Tramadol 50 mg", "bodyRegions": [], "drug": None}, "sortKey": ["~", "a#1"]}
        ]
    },
    {"nested": [[1, 2], [], [{"a": [None, "b", 1.5, False]}]], "empty": {}},
]
OTHER_ROWS = [
    {"d": _NODE},
    {"page": [{"node": _NODE, "n": 1}]},
    {"deep": {"list": [1, {"node": _OTHER}]}},
    {"r": _REL},
    {"day": Date(2016, 3, 1), "at": [DateTime(2016, 3, 1, 12, 0, 0)]},
    {"blob": b"\x00\x01"},
]


def _record(row: dict[str, Any]) -> Record:
    return Record(row.items())


@pytest.mark.parametrize("row", PLAIN_ROWS + OTHER_ROWS)
def test_each_row_is_what_data_returns(row: dict[str, Any]) -> None:
    record = _record(row)
    (got,) = rows_of([record])
    assert got == record.data()
    assert list(got) == list(record.keys())


def test_nodes_and_relationships_come_back_as_data_makes_them() -> None:
    (page, rel) = rows_of([_record(OTHER_ROWS[1]), _record(OTHER_ROWS[3])])
    assert page == {"page": [{"node": {"item": "Physical therapy", "index": 1}, "n": 1}]}
    assert rel == {
        "r": ({"item": "Physical therapy", "index": 1}, "FOR_TREATMENT", {"name": "Physical therapy"})
    }


def test_a_plain_row_keeps_the_values_bolt_gave() -> None:
    rows = [{"rows": [{"node": {"item": "x"}}]}]
    record = _record(rows[0])
    (got,) = rows_of([record])
    assert got["rows"] is record["rows"]  # kept, not copied


def test_rows_keep_their_order_when_kinds_mix() -> None:
    mixed = [PLAIN_ROWS[0], OTHER_ROWS[0], PLAIN_ROWS[1], OTHER_ROWS[4]]
    assert rows_of([_record(r) for r in mixed]) == [_record(r).data() for r in mixed]
