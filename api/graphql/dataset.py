"""`extensions.dataset` on every response: which data the answer came from (the graph's Dataset node,
written when a load finishes), or null when no load has finished on the graph.

Read at most every DATASET_TTL_S seconds per graph connection, so a busy API sends one extra query
every few seconds, not one per request; a load finishing shows in the answers within that time.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from strawberry.extensions import SchemaExtension

from api.cypher.db import ReadOnlyGraph
from api.cypher.root_queries import DATASET

DATASET_TTL_S = 5.0

log = logging.getLogger("imr_graph.api")


@dataclass
class DatasetCache:
    checked_at: float = field(default=-1e9)
    block: dict[str, Any] | None = None
    # The read in flight, so the requests arriving together while it runs send one query.
    _pending: asyncio.Task[None] | None = field(default=None, repr=False)

    async def get(self, graph: ReadOnlyGraph) -> dict[str, Any] | None:
        if time.monotonic() - self.checked_at > DATASET_TTL_S:
            pending = self._pending
            if pending is None or pending.done() or pending.get_loop() is not asyncio.get_running_loop():
                pending = self._pending = asyncio.ensure_future(self._read(graph))
            await asyncio.shield(pending)
        return self.block

    async def _read(self, graph: ReadOnlyGraph) -> None:
        try:
            rows = await graph.aread(DATASET)
        except Exception:
            # The answer itself may still be served (or fail with its own error): the block stays
            # what it was last read as, and the next request after the TTL asks again.
            log.warning(
                "could not read the Dataset node; extensions.dataset keeps its last value", exc_info=True
            )
        else:
            self.block = dict(rows[0]) if rows else None
        self.checked_at = time.monotonic()


# One per graph connection (an API process has one).
_CACHES: dict[int, DatasetCache] = {}


def dataset_cache(graph: ReadOnlyGraph) -> DatasetCache:
    key = id(graph)
    if key not in _CACHES:
        _CACHES[key] = DatasetCache()
        # A later connection may get the same id: it must not inherit this one's block.
        weakref.finalize(graph, _CACHES.pop, key, None)
    return _CACHES[key]


class DatasetExtension(SchemaExtension):
    """Adds `dataset` to the response's `extensions` (not part of the schema's SDL)."""

    async def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        graph = context.get("graph") if isinstance(context, dict) else None
        if not isinstance(graph, ReadOnlyGraph):
            return {"dataset": None}
        return {"dataset": await dataset_cache(graph).get(graph)}
