"""The one interface both graph writers implement: the incremental `UNWIND` writer (neo4j_db) and the
bulk importer's CSV writer (bulk_csv). Both take the same rows, shaped by graph_schema."""

from __future__ import annotations

from typing import Protocol

from graph_loader.rows import LetterRows


class GraphWriter(Protocol):
    def write(self, letters: list[LetterRows]) -> set[str]:
        """Write one batch of letters; return the ids of those already in the graph unchanged."""
        ...

    def close(self) -> object: ...
