"""What a resolver reads from its request: the graph connection, the tallies' readiness, and what the
client selected. The cypher layer takes these as plain values; this module finds them in the request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from api.cypher.db import ReadOnlyGraph
from api.cypher.root_queries import SELECTABLE_PARTS
from api.cypher.tally_answers import Readiness, readiness_of
from api.graphql.sibling_arguments import place

_SELECTIONS = "selections"


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


@dataclass(frozen=True)
class _Selection:
    children: frozenset[str]  # the fields selected directly under the field, fragments expanded
    below: frozenset[str]  # every field name selected anywhere under it


def _selection(info: Info) -> _Selection:
    """What the client selected under the field. Every parent at one place in the document has the
    same selection, so it is worked out once per request and place (sibling_arguments.place, the key
    the converted arguments and the nested plans use too), not once per parent row."""
    key = place(info.path)
    cache = info.context.setdefault(_SELECTIONS, {})
    found = cache.get(key)
    if found is None:
        children: set[str] = set()
        below: set[str] = set()

        def walk(selections: list[Selection], direct: bool) -> None:
            for sel in selections:
                if isinstance(sel, SelectedField):
                    below.add(sel.name)
                    if direct:
                        children.add(sel.name)
                    walk(list(sel.selections or []), False)
                else:  # a fragment's fields stand where it is spread
                    walk(list(sel.selections or []), direct)

        for field in info.selected_fields:
            walk(list(getattr(field, "selections", []) or []), True)
        found = cache[key] = _Selection(frozenset(children), frozenset(below))
    assert isinstance(found, _Selection)
    return found


def wants_total(info: Info) -> bool:
    """Whether the client selected the connection's totalCount (counted only then)."""
    return "totalCount" in _selection(info).children


def asks_extremes(info: Info) -> bool:
    """True when the selection asks a Stats `min` or `max` anywhere under the field."""
    return not _selection(info).below.isdisjoint(("min", "max"))


def selected_parts(info: Info, needs: Mapping[str, str] | None = None) -> list[str]:
    """The projection parts (SELECTABLE_PARTS) the client selected anywhere under the field, for the
    queries' `$selected`. A name selected anywhere counts, so a part is sometimes computed for a type
    that does not show it, never left out of one that does. `needs` maps a field the resolver computes
    itself to the part it is computed from (a search's snippet is cut from the rationale)."""
    below = _selection(info).below
    implied = {part for name, part in (needs or {}).items() if name in below}
    return sorted(below.intersection(SELECTABLE_PARTS) | implied)
