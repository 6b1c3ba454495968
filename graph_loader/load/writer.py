"""The one interface both graph writers implement: the incremental `UNWIND` writer (neo4j_db) and the
bulk importer's CSV writer (bulk/csv_writer.py). Both take the same rows, shaped by graph/declaration.py."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from graph_loader.graph.rows import LetterRows
from graph_loader.load.render import RenderedLetter


class GraphWriter(Protocol):
    def write(self, letters: list[LetterRows]) -> set[str]:
        """Write one batch of letters; return the ids of those already in the graph unchanged."""
        ...

    def close(self) -> object: ...


@runtime_checkable
class RenderedWriter(Protocol):
    """A writer whose work per letter can be done in the parse workers (`bulk_render`): the pipeline
    feeds it rendered letters instead of rows."""

    def write_rendered(self, letters: list[RenderedLetter]) -> None: ...
