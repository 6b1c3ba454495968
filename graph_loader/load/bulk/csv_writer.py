"""Map batches of rows to the CSV files `neo4j-admin database import full` reads.

The files describe exactly the graph the incremental loader builds (both are generated from
the graph declaration), so a bulk first load and an `UNWIND` load of the same letters are equal graphs. Shared
nodes are written once (their keys are kept in memory: thousands, not millions); per-letter rows stream
straight to disk, so memory stays flat whatever the corpus size.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph_loader.graph import statements
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.rows import LetterRows
from graph_loader.graph.tallies import Tallies
from graph_loader.load.bulk.csv_format import (
    ARRAY_DELIMITER,
    ARRAY_DELIMITER_OPTION,
    NODE_FORMATS,
    csv_field,
    csv_line,
)
from graph_loader.load.render import RenderedLetter, render

__all__ = [
    "ARRAY_DELIMITER",
    "ARRAY_DELIMITER_OPTION",
    "CsvGraphWriter",
    "ImportFiles",
    "csv_field",
    "csv_line",
]


@dataclass(frozen=True)
class ImportFiles:
    """What `neo4j-admin database import full` needs: the files per label and per relationship type."""

    nodes: dict[str, Path]
    relationships: dict[str, Path]


@dataclass
class CsvGraphWriter:
    """Streams rows into one CSV file per label and relationship type under `directory`, headers and
    column order generated from the graph declaration. Shared nodes and relationships are written once.

    The lines are made per letter by `bulk_render.render`, in the parse workers when the pipeline
    feeds `write_rendered` (what this writer does to a letter needs nothing but the letter); what is
    left here needs every letter before it: the shared rows' keys and the tallies' sums."""

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
            self._open(n.file, statements.node_header(n))
        for r in GRAPH.relationships:
            self._open(r.file, statements.relationship_header(r))

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
        self.write_rendered([render(lr) for lr in letters])
        return set()

    def write_rendered(self, letters: list[RenderedLetter]) -> None:
        files, seen_of = self._files, self._seen
        for rl in letters:
            for name, text in rl.lines.items():
                files[name].write(text)
            for name, keyed in rl.shared.items():
                seen, handle = seen_of[name], files[name]
                for key, line in keyed:
                    if key not in seen:
                        seen.add(key)
                        handle.write(line)
            started = time.perf_counter()
            self._tallies.add(rl.facts)
            self.tally_seconds += time.perf_counter() - started

    def close(self) -> ImportFiles:
        if not self._files[GRAPH.nodes[0].file].closed:
            started = time.perf_counter()
            for label, rows in self._tallies.rows().items():
                n, line = GRAPH.node(label), NODE_FORMATS[label].line
                self._files[n.file].write("".join([line(row) for row in rows]))
            self._tallies = Tallies()
            self.tally_seconds += time.perf_counter() - started
        for handle in self._files.values():
            if not handle.closed:
                handle.close()
        return ImportFiles(
            nodes={n.label: self.directory / f"{n.file}.csv" for n in GRAPH.nodes},
            relationships={r.type: self.directory / f"{r.file}.csv" for r in GRAPH.relationships},
        )
