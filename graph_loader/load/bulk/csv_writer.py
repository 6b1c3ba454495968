"""Map batches of rows to the CSV files `neo4j-admin database import full` reads.

The files describe exactly the graph the incremental loader builds (both are generated from
the graph declaration), so a bulk first load and an `UNWIND` load of the same letters are equal graphs. Shared
nodes are written once (their keys are kept in memory: thousands, not millions); per-letter rows stream
straight to disk, so memory stays flat whatever the corpus size.
"""

from __future__ import annotations

import json
import pickle
import shutil
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph_loader.graph import statements
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.rows import LetterRows
from graph_loader.graph.tallies import Tallies
from graph_loader.load.bulk import worker_tallies
from graph_loader.load.bulk.csv_format import (
    ARRAY_DELIMITER,
    ARRAY_DELIMITER_OPTION,
    NODE_FORMATS,
    QUOTE_OPTION,
    SPANNING_FILES,
    csv_field,
    csv_line,
)
from graph_loader.load.near_duplicates import Stamp
from graph_loader.load.render import RenderedLetter, render
from graph_loader.seen import SeenMap

__all__ = [
    "ARRAY_DELIMITER",
    "ARRAY_DELIMITER_OPTION",
    "QUOTE_OPTION",
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
    # The files whose values span lines, for the import tool's per-file multi-line reader; None when
    # some line would not split cleanly there (csv_format.splits_cleanly), and every file must be
    # read by its slower, sequential one.
    multiline: tuple[Path, ...] | None = ()


@dataclass
class CsvGraphWriter:
    """Streams rows into one CSV file per label and relationship type under `directory`, headers and
    column order generated from the graph declaration. Shared nodes and relationships are written once.

    The lines are made per letter by `bulk_render.render`, in the parse workers when the pipeline
    feeds `write_rendered` (what this writer does to a letter needs nothing but the letter); what is
    left here needs every letter before it: the shared rows' keys and the tallies' sums."""

    directory: Path
    _files: dict[str, IO[bytes]] = field(default_factory=dict)
    _seen: dict[str, set[Any]] = field(default_factory=dict)
    # Where each letter's lines are (file -> [start, end) in bytes) and where its tally facts are in
    # the spool, on disk: a letter replaced later in the load by a newer one of its case is cut out
    # of the files, and its facts taken off the tallies, when the files are closed.
    _written: SeenMap = field(default_factory=SeenMap)
    _spool: IO[bytes] | None = None
    # Where each file and the spool end, counted as they are written (cheaper than asking the file).
    _ends: dict[str, int] = field(default_factory=dict)
    _spool_end: int = 0
    # Where the retracted letters were (a few: the older letters of re-posted cases).
    _retracted: list[dict[str, list[int]]] = field(default_factory=list)
    # Each kept case's id with the sources it replaced: Case.superseded_sources, set after the import.
    superseded: list[tuple[str, list[str]]] = field(default_factory=list)
    # The tallies are summed in memory (cells, not letters: they grow with the vocabularies) and
    # written when the files are closed.
    _tallies: Tallies = field(default_factory=Tallies)
    tally_seconds: float = 0.0
    # Whether every line written so far splits cleanly (RenderedLetter.splits_cleanly).
    _splits_cleanly: bool = True

    def __post_init__(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for n in GRAPH.nodes:
            self._open(n.file, statements.node_header(n))
        for r in GRAPH.relationships:
            self._open(r.file, statements.relationship_header(r))

    def _open(self, name: str, header: tuple[str, ...]) -> None:
        handle = (self.directory / f"{name}.csv").open("wb")
        self._ends[name] = handle.write((",".join(header) + "\n").encode())
        self._files[name] = handle
        self._seen[name] = set()

    def __enter__(self) -> CsvGraphWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write(self, letters: list[LetterRows], retract: Sequence[str] = ()) -> set[str]:
        """Write one batch; the bulk path starts from an empty database, so nothing is unchanged."""
        self.write_rendered([render(lr) for lr in letters], retract)
        return set()

    def kept_by_graph(self) -> list[tuple[Stamp, Stamp, str]]:
        return []  # an empty database holds no letter

    def replaced_in_graph(self) -> list[tuple[Stamp, Stamp, str]]:
        return []

    def supersede(self, replaced: Iterable[tuple[str, list[str]]]) -> None:
        self.superseded.extend(replaced)

    def write_rendered(self, letters: list[RenderedLetter], retract: Sequence[str] = ()) -> None:
        files, seen_of = self._files, self._seen
        # Taken back before this batch's letters are written: one of them may have the same id.
        for letter_id in retract:
            self._retracted.append(json.loads(self._written.get(letter_id) or "{}"))
        if self._spool is None:
            self._spool = (self.directory / "facts.spool").open("w+b")
        ends, spool = self._ends, self._spool
        # One statement per batch: a letter retracts only letters of earlier batches.
        placed: list[tuple[str, str]] = []
        for rl in letters:
            where: dict[str, list[int]] = {}
            for name, text in rl.lines.items():
                data = text.encode()
                files[name].write(data)
                start = ends.get(name, 0)
                ends[name] = end = start + len(data)
                where[name] = [start, end]
            for name, (text, bounds) in rl.shared.items():
                # render.shared_rows, inlined: this loop runs for every shared row of every letter.
                seen, handle = seen_of[name], files[name]
                marks = memoryview(bounds).cast("I")
                start = 0
                for i in range(0, len(marks), 2):
                    key = text[start : marks[i]]
                    end = marks[i + 1]
                    if key not in seen:
                        seen.add(key)
                        handle.write(text[start:end].encode())
                    start = end
            if not rl.splits_cleanly:
                self._splits_cleanly = False
            if not rl.counted:
                started = time.perf_counter()
                self._tallies.add(rl.facts)
                self.tally_seconds += time.perf_counter() - started
            facts = rl.facts_pickled
            start = self._spool_end
            self._spool_end += len(facts)
            where["facts.spool"] = [start, self._spool_end]
            spool.write(facts)
            placed.append((rl.letter_id, json.dumps(where)))
        self._written.put_many(placed)

    @property
    def tally_to(self) -> str:
        return str(self.directory)

    def not_written(self, letter: RenderedLetter) -> None:
        if letter.counted:
            started = time.perf_counter()
            self._tallies.add(letter.facts, sign=-1)
            self.tally_seconds += time.perf_counter() - started

    def _take_back(self) -> dict[str, list[tuple[int, int]]]:
        """Take the retracted letters' facts off the tallies; return their lines' byte ranges per file."""
        cut: dict[str, list[tuple[int, int]]] = {}
        assert self._spool is not None
        for where in self._retracted:
            if "facts.spool" in where:
                start, end = where.pop("facts.spool")
                self._spool.seek(start)
                self._tallies.add(pickle.loads(self._spool.read(end - start)), sign=-1)
                self._spool.seek(0, 2)
            for name, (start, end) in where.items():
                cut.setdefault(name, []).append((start, end))
        return cut

    def close(self) -> ImportFiles:
        if not self._files[GRAPH.nodes[0].file].closed:
            cut = self._take_back() if self._retracted else {}
            started = time.perf_counter()
            self._tallies.merge(worker_tallies.collect(self.tally_to))
            for label, rows in self._tallies.rows().items():
                n, fmt = GRAPH.node(label), NODE_FORMATS[label]
                lines = [fmt.line(row) for row in rows]
                text = "".join(lines)
                self._splits_cleanly = self._splits_cleanly and fmt.lines_split_cleanly(lines, text)
                self._files[n.file].write(text.encode())
            self._tallies = Tallies()
            self.tally_seconds += time.perf_counter() - started
            for handle in self._files.values():
                handle.close()
            for name, ranges in cut.items():
                _cut_out(self.directory / f"{name}.csv", sorted(ranges))
            if self._spool is not None:
                self._spool.close()
                (self.directory / "facts.spool").unlink()
            self._written.close()
        return ImportFiles(
            nodes={n.label: self.directory / f"{n.file}.csv" for n in GRAPH.nodes},
            relationships={r.type: self.directory / f"{r.file}.csv" for r in GRAPH.relationships},
            multiline=tuple(self.directory / f"{f}.csv" for f in SPANNING_FILES)
            if self._splits_cleanly
            else None,
        )


def _cut_out(path: Path, ranges: list[tuple[int, int]]) -> None:
    """Rewrite `path` without the byte ranges (sorted, not overlapping): a retracted letter's lines."""
    kept = path.with_name(path.name + ".kept")
    with path.open("rb") as src, kept.open("wb") as dst:
        at = 0
        for start, end in ranges:
            shutil.copyfileobj(_Window(src, at, start), dst)
            at = end
        src.seek(at)
        shutil.copyfileobj(src, dst)
    kept.replace(path)


class _Window:
    """The bytes [start, end) of an open file, read in chunks."""

    def __init__(self, handle: IO[bytes], start: int, end: int) -> None:
        handle.seek(start)
        self.handle, self.left = handle, end - start

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        data = self.handle.read(size)
        self.left -= len(data)
        return data
