"""The nested fields that walk from a vocabulary node to its decisions or cases (and from a guideline
to its sections), batched: every parent of one level is served by ONE query.

The first parent of a nested field compiles its arguments into the query text and parameters (its
plan), which its siblings share, since they come from the same place in the document; each parent
then asks a per-request DataLoader for its own key, and the loader runs one
`UNWIND $keys AS key` query per distinct (query, parameters) and hands each parent its own page. A
list of 50 treatments asking for their decisions costs one query, not 50.

Nested pages multiply (a page of terms, each with a page of decisions), so a request may ask for at
most MAX_NESTED_ROWS rows through nested fields, counted by `first` over every occurrence, before a
query is sent.

These functions return a parent's page of rows; the output types' fields (api/graphql/types.py,
vocabulary_types.py) make their connection of it, so this module needs no output type and the types
can import it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info

from api.cypher import nested_queries as Q
from api.cypher.db import ReadOnlyGraph
from api.cypher.decision_pages import decision_ordering_for
from api.cypher.filters import Compiler, case_predicate, decision_predicate
from api.cypher.keyset import Ordering, case_ordering
from api.cypher.pagination import Page, keyset_page, page_size, render
from api.cypher.tally_answers import tally_total_params
from api.graphql.context import graph, readiness, selected_parts, wants_total
from api.graphql.inputs import CaseSort, DecisionFilter, DecisionSort, sort_order
from api.graphql.sibling_arguments import place
from graph_loader.errors import InvalidArgument
from graph_loader.graph.tallies import BASE_CUBE

MAX_NESTED_ROWS = 2000
_LOADER = "nested_loader"
_SPENT = "nested_rows"
_PLANS = "nested_plans"

KeyRows = tuple[list[dict[str, Any]], int | None]


@dataclass(frozen=True)
class Batch:
    """What the parents of one nested field share: the query text and its parameters (as JSON, so the
    batch can key the loader)."""

    cypher: str
    params: str


@dataclass(frozen=True)
class Load:
    batch: Batch
    key: str


async def _load(g: ReadOnlyGraph, loads: list[Load]) -> list[KeyRows]:
    keys: dict[Batch, list[str]] = {}
    for load in loads:
        batch_keys = keys.setdefault(load.batch, [])
        if load.key not in batch_keys:
            batch_keys.append(load.key)

    async def run(batch: Batch, batch_keys: list[str]) -> dict[tuple[Batch, str], KeyRows]:
        rows = await g.aread(batch.cypher, keys=batch_keys, **json.loads(batch.params))
        return {(batch, r["key"]): (r["rows"], r["total"]) for r in rows}

    found: dict[tuple[Batch, str], KeyRows] = {}
    for part in await asyncio.gather(*(run(b, k) for b, k in keys.items())):
        found.update(part)
    return [found.get((load.batch, load.key), ([], None)) for load in loads]


def _loader(info: Info) -> DataLoader[Load, KeyRows]:
    context = info.context
    loader = context.get(_LOADER)
    if loader is None:
        loader = DataLoader(load_fn=partial(_load, graph(info)))
        context[_LOADER] = loader
    assert isinstance(loader, DataLoader)
    return loader


def _spend(info: Info, first: int) -> int:
    """`first` checked against the page-size limit and charged to the request's nested-row budget."""
    limit = page_size(first)
    spent = int(info.context.get(_SPENT, 0)) + limit
    if spent > MAX_NESTED_ROWS:
        raise InvalidArgument(
            f"nested fields may ask for at most {MAX_NESTED_ROWS} rows per request (the sum of `first` "
            "over every parent): lower `first` or narrow the outer page"
        )
    info.context[_SPENT] = spent
    return limit


def _batch(cypher: str, comp: Compiler, **params: Any) -> Batch:
    return Batch(cypher, json.dumps({**comp.params, **params}, sort_keys=True))


async def _fetch(info: Info, cypher: str, comp: Compiler, key: str, **params: Any) -> KeyRows:
    return await _loader(info).load(Load(_batch(cypher, comp, **params), key))


@dataclass(frozen=True)
class Plan:
    """What every parent of one nested connection shares: its batch, page size and ordering, and
    whether the client selected its total."""

    batch: Batch
    limit: int
    ordering: Ordering
    total: bool


async def _shared_plan(info: Info, kind: str, make: Callable[[], Awaitable[Plan]]) -> Plan:
    """The field's plan, made by its first parent and awaited by the others. Every parent of a nested
    field has the same arguments and selection (they come from the same place in the document), and
    making the plan once per parent (compiling the filter, rendering the template, keying the batch)
    was most of what GraphQL added to a page of 20 treatments with their decisions."""
    key = (kind, place(info.path))
    plans = info.context.setdefault(_PLANS, {})
    if key not in plans:
        # A future, not the plan: the first parent's `make` awaits the readiness check, and the
        # other parents must wait for it rather than make the plan again.
        plans[key] = asyncio.ensure_future(make())
    plan = await plans[key]
    assert isinstance(plan, Plan)
    return plan


async def _page(info: Info, plan: Plan, key: str, first: int) -> Page:
    """One parent's keyset page from its field's plan, charged to the request's nested-row budget."""
    _spend(info, first)
    rows, counted = await _loader(info).load(Load(plan.batch, key))
    return keyset_page(rows, plan.limit, plan.ordering, counted if plan.total else None)


def _plan(
    info: Info,
    template: str,
    where: str,
    ordering: Ordering,
    comp: Compiler,
    first: int,
    after: str | None,
    **params: Any,
) -> Plan:
    """A level's batched template made into its plan (its total, when it counts one, is handed on
    only if the client selected totalCount)."""
    limit = page_size(first)
    seek = ordering.seek(comp, after)
    cypher = render(template, where, seek, ordering)
    batch = _batch(cypher, comp, limit=limit + 1, selected=selected_parts(info), **params)
    return Plan(batch, limit, ordering, wants_total(info))


def _nested_template(info: Info, template: str, total: str, anchor: str) -> str:
    """A level's batched query with its anchor, and its total where the client selected it (the total
    fragment repeats the anchor, so it goes in first)."""
    return template.replace("{total}", total if wants_total(info) else Q.NO_TOTAL).replace("{anchor}", anchor)


async def decisions_of(
    info: Info,
    vocabulary: str,
    key: str,
    filter: DecisionFilter | None,
    sort: list[DecisionSort] | None,
    first: int,
    after: str | None,
) -> Page:
    """The page of decisions of one parent; each row's `node` is a decision."""

    async def make() -> Plan:
        comp = Compiler()
        where = decision_predicate(comp, filter)
        anchor = Q.DECISION_ANCHORS[vocabulary]
        ordering = await decision_ordering_for(graph(info), readiness(info), sort_order(sort))
        tally = _tally_for(vocabulary, filter) if ordering.in_date_order else None
        if tally is not None and (await readiness(info).check(graph(info))).ready:
            template = _tally_template(vocabulary, anchor)
            return _plan(info, template, where, ordering, comp, first, after, **tally)
        template = _nested_template(info, Q.DECISIONS_OF, Q.DECISIONS_TOTAL, anchor)
        return _plan(info, template, where, ordering, comp, first, after)

    return await _page(info, await _shared_plan(info, f"decisions of {vocabulary}", make), key, first)


def _tally_for(vocabulary: str, filter: DecisionFilter | None) -> dict[str, Any] | None:
    """The tally parameters of a key's total under this filter, or None where the tallies cannot count
    it (a vocabulary without cells, a filter they do not cover, or a second anchor)."""
    if vocabulary not in Q.TALLY_CELLS_OF:
        return None
    params = tally_total_params(filter)
    if params is None or params["tally_contains"] is not None:
        return None
    if vocabulary == "treatment_class":
        if params["tally_class"] is not None:
            return None
        return params | {"tally_anchor": params["tally_anchor"] or ""}
    return params if params["tally_cube"] == BASE_CUBE else None


def _tally_template(vocabulary: str, anchor: str) -> str:
    """Pages in date order with their totals from the tallies, the plan picked per key."""
    return (
        Q.DECISIONS_OF_IN_DATE_ORDER.replace("{cells}", Q.TALLY_CELLS_OF[vocabulary])
        .replace("{walk_test}", Q.WALK_TEST[vocabulary])
        .replace("{anchor}", anchor)
    )


async def cases_of(
    info: Info,
    anchor: str,
    key: str,
    filter: DecisionFilter | None,
    sort: list[CaseSort] | None,
    first: int,
    after: str | None,
) -> Page:
    """The page of cases of one parent; each row's `node` is a case."""

    async def make() -> Plan:
        comp = Compiler()
        where = case_predicate(comp, filter)
        ordering = case_ordering(sort_order(sort))
        with_prop = Q.WALKABLE_CASE_KEYS.get(ordering.keys[0][0].name)
        if (
            with_prop is not None
            and where == "true"
            and anchor == "diagnosis"
            and (await readiness(info).check(graph(info))).cases_ready
        ):
            return _plan(info, _walked_template(with_prop, ordering), "true", ordering, comp, first, after)
        template = _nested_template(info, Q.CASES_OF, Q.CASES_TOTAL, Q.CASE_ANCHORS[anchor])
        return _plan(info, template, where, ordering, comp, first, after)

    return await _page(info, await _shared_plan(info, f"cases of {anchor}", make), key, first)


def _walked_template(with_prop: str, ordering: Ordering) -> str:
    """A diagnosis's pages of cases with their totals from the CaseTally cells, the plan picked per
    code."""
    first_key, descending = ordering.keys[0]
    return (
        Q.CASES_OF_WALKED.replace("{walk}", Q.CASE_WALKS[first_key.name])
        .replace("{ages}", Q.AGES[descending])
        .replace("{with_prop}", with_prop)
        .replace("{anchor}", Q.CASE_ANCHORS["diagnosis"])
    )


async def text_of(info: Info, letter_id: str) -> str | None:
    """The normalized text of one case (null where the load did not keep it)."""
    rows, _ = await _fetch(info, Q.TEXT_OF, Compiler(), letter_id)
    return rows[0]["text"] if rows else None


async def sections_of(info: Info, guideline_key: str, name: str | None, first: int) -> list[dict[str, Any]]:
    """The section rows of one guideline."""
    limit = _spend(info, first)
    rows, _ = await _fetch(info, Q.SECTIONS_OF, Compiler(), guideline_key, name=name, limit=limit)
    return rows
