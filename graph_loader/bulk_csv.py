"""Map batches of rows to the CSV files `neo4j-admin database import full` reads.

The files describe exactly the graph the incremental loader builds (both are generated from
graph_schema), so a bulk first load and an `UNWIND` load of the same letters are equal graphs. Shared
nodes are written once (their keys are kept in memory: thousands, not millions); per-letter rows stream
straight to disk, so memory stays flat whatever the corpus size.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph_loader import graph_schema
from graph_loader.graph_schema import GRAPH
from graph_loader.rows import LetterRows, Row
from graph_loader.tallies import Tallies, facts_from_rows

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


@dataclass(frozen=True)
class ImportFiles:
    """What `neo4j-admin database import full` needs: the files per label and per relationship type."""

    nodes: dict[str, Path]
    relationships: dict[str, Path]


@dataclass
class CsvGraphWriter:
    """Streams rows into one CSV file per label and relationship type under `directory`, headers and
    column order generated from graph_schema. Shared nodes and relationships are written once."""

    directory: Path
    _files: dict[str, IO[str]] = field(default_factory=dict)
    _seen: dict[str, set[Any]] = field(default_factory=dict)
    # The tallies are summed in memory (cells, not letters: they grow with the vocabularies) and
    # written when the files are closed.
    _tallies: Tallies = field(default_factory=Tallies)
    tally_seconds: float = 0.0

    def __post_init__(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for n in GRAPH.nodes:
            self._open(n.file, graph_schema.node_header(n))
        for r in GRAPH.relationships:
            self._open(r.file, graph_schema.relationship_header(r))

    def _open(self, name: str, header: tuple[str, ...]) -> None:
        handle = (self.directory / f"{name}.csv").open("w", encoding="utf-8", newline="")
        handle.write(",".join(header) + "\n")
        self._files[name] = handle
        self._seen[name] = set()

    def __enter__(self) -> CsvGraphWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, letters: list[LetterRows]) -> set[str]:
        """Write one batch; the bulk path starts from an empty database, so nothing is unchanged."""
        for lr in letters:
            for n in GRAPH.nodes:
                self._rows(n.file, n.scope, lr.nodes[n.label], _NODE_COLUMNS[n.label], (n.key.name,))
            for r in GRAPH.relationships:
                self._rows(r.file, r.scope, lr.relationships[r.type], _REL_COLUMNS[r.type], ("src", "dst"))
            started = time.perf_counter()
            self._tallies.add(facts_from_rows(lr))
            self.tally_seconds += time.perf_counter() - started
        return set()

    def _rows(
        self, name: str, scope: str, rows: list[Row], columns: tuple[str, ...], key: tuple[str, ...]
    ) -> None:
        handle, seen = self._files[name], self._seen[name]
        for row in rows:
            if scope == "shared":
                k = tuple(row[c] for c in key)
                if k in seen:
                    continue
                seen.add(k)
            handle.write(csv_line(_empty_list_as_null(row[c]) for c in columns))

    def close(self) -> ImportFiles:
        if not self._files[GRAPH.nodes[0].file].closed:
            started = time.perf_counter()
            for label, rows in self._tallies.rows().items():
                n = GRAPH.node(label)
                self._rows(n.file, n.scope, rows, _NODE_COLUMNS[label], (n.key.name,))
            self._tallies = Tallies()
            self.tally_seconds += time.perf_counter() - started
        for handle in self._files.values():
            if not handle.closed:
                handle.close()
        return ImportFiles(
            nodes={n.label: self.directory / f"{n.file}.csv" for n in GRAPH.nodes},
            relationships={r.type: self.directory / f"{r.file}.csv" for r in GRAPH.relationships},
        )


# Row keys in header order: the key (or src, dst) first, then the declared properties.
_NODE_COLUMNS = {n.label: (n.key.name, *(p.name for p in n.props)) for n in GRAPH.nodes}
_REL_COLUMNS = {r.type: ("src", "dst", *(p.name for p in r.props)) for r in GRAPH.relationships}


def _empty_list_as_null(value: Any) -> Any:
    # The importer cannot tell an empty array from a missing one; neither can readers of the graph.
    return None if isinstance(value, list) and not value else value
