"""What a resolver reads from its request: the graph connection, the tallies' readiness, and what the
client selected. The cypher layer takes these as plain values; this module finds them in the request."""

from __future__ import annotations

from strawberry.types import Info

from api.cypher.db import ReadOnlyGraph
from api.cypher.root_queries import SELECTABLE_PARTS
from api.cypher.tally_answers import Readiness, readiness_of


def graph(info: Info) -> ReadOnlyGraph:
    g = info.context["graph"]
    assert isinstance(g, ReadOnlyGraph)
    return g


def readiness(info: Info) -> Readiness:
    """The connection's readiness, unless the context passes its own `tally_readiness` (tests force
    the traversal with one that says no)."""
    found = info.context.get("tally_readiness") or readiness_of(graph(info))
    assert isinstance(found, Readiness)
    return found


async def tallies_ready(info: Info) -> bool:
    """Whether tallies may answer."""
    return (await readiness(info).check(graph(info))).ready


def wants_total(info: Info) -> bool:
    """Whether the client selected the connection's totalCount (counted only then)."""
    return any(
        f.name == "totalCount" for sel in info.selected_fields for f in sel.selections if hasattr(f, "name")
    )


def _names_under(info: Info) -> set[str]:
    """Every field name selected anywhere under the field (not its own), through fragments."""
    names: set[str] = set()

    def walk(selections: list[object]) -> None:
        for sel in selections:
            name = getattr(sel, "name", None)
            if name is not None:
                names.add(name)
            walk(list(getattr(sel, "selections", []) or []))

    for field in info.selected_fields:
        walk(list(getattr(field, "selections", []) or []))
    return names


def asks_extremes(info: Info) -> bool:
    """True when the selection asks a Stats `min` or `max` anywhere under the field."""
    return not _names_under(info).isdisjoint(("min", "max"))


def selected_parts(info: Info) -> list[str]:
    """The projection parts (SELECTABLE_PARTS) the client selected anywhere under the field, for the
    queries' `$selected`. A name selected anywhere counts, so a part is sometimes computed for a type
    that does not show it, never left out of one that does."""
    return sorted(_names_under(info).intersection(SELECTABLE_PARTS))
