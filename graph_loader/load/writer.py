"""The one interface both graph writers implement: the incremental `UNWIND` writer (neo4j_db) and the
bulk importer's CSV writer (bulk/csv_writer.py). Both take the same rows, shaped by graph/declaration.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from graph_loader.graph.rows import LetterRows
from graph_loader.load.near_duplicates import Stamp
from graph_loader.load.render import RenderedLetter


class GraphWriter(Protocol):
    def write(self, letters: list[LetterRows], retract: Sequence[str] = ()) -> set[str]:
        """Write one batch of letters, first taking back the letters of `retract` (written earlier in
        the load, now replaced by a newer letter of their case); return the ids of those already in
        the graph unchanged."""
        ...

    def kept_by_graph(self) -> list[tuple[Stamp, Stamp, str]]:
        """Since the last call: (letter, the newer letter of its case the graph already held, why), for
        each letter of a batch not written for that reason."""
        ...

    def replaced_in_graph(self) -> list[tuple[Stamp, Stamp, str]]:
        """Since the last call: (letter, the older letter of its case it replaced in the graph, why)."""
        ...

    def supersede(self, replaced: Iterable[tuple[str, list[str]]]) -> None:
        """At the end of a load: each kept case's id with the sources of the letters it replaced, added
        to its `superseded_sources`."""
        ...

    def close(self) -> object: ...


@runtime_checkable
class RenderedWriter(Protocol):
    """A writer whose work per letter can be done in the parse workers (`bulk_render`): the pipeline
    feeds it rendered letters instead of rows."""

    # Where the parse workers leave their tally sums for this writer (bulk/worker_tallies.py).
    tally_to: str

    def write_rendered(self, letters: list[RenderedLetter], retract: Sequence[str] = ()) -> None: ...

    def not_written(self, letter: RenderedLetter) -> None:
        """A rendered letter the load drops (a copy, or the older letter of its case)."""
        ...
