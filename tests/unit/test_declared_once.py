"""A case's and a decision's fields are declared once (graph_loader/graph/declaration.py); the API's
projections, its filters, its row mapping and the export agree with the declaration, checked without a
server: the Cypher is read, not run (tests/unit/cypher_reader.py). Each check returns its problems,
each naming the field and the file to edit, and each is shown failing on a declaration with a property
taken away or added."""

from __future__ import annotations

import enum
import re
import sys
import typing
from collections import defaultdict
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from api.cypher import nested_queries, root_queries
from api.cypher.filters import Compiler, decision_predicate
from api.graphql import types as T
from api.graphql.inputs import DateRange, DecisionFilter, DecisionQuantifier, IntRange, StringFilter
from graph_loader import models
from graph_loader.export import from_graph, tables
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.schema_types import GraphSchema
from tests.helpers import ROOT
from tests.unit.cypher_reader import (
    Owners,
    bind,
    close,
    declared,
    items,
    reads,
    split_subqueries,
    top_level,
    with_prop,
    without_prop,
)

# The variables every decision template and filter fragment is written over (api/cypher/filters.py).
DECISION_VARS: Owners = {"c": {"Case"}, "d": {"Decision"}, "t": {"Treatment"}, "k": {"TreatmentCategory"}}


def undeclared_reads(texts: dict[str, str], schema: GraphSchema, outer: Owners | None = None) -> list[str]:
    problems = []
    for where, cypher in texts.items():
        for owners, prop in reads(cypher, schema, outer)[0]:
            if not any(prop in declared(schema, o) for o in owners):
                problems.append(
                    f"{where} reads {'/'.join(sorted(owners))}.{prop}, which graph_loader/graph/declaration.py "
                    f"does not declare: declare it, or fix the query in {where.split(' ')[0]}"
                )
    return problems


def texts_of(module: Any) -> dict[str, str]:
    """The module's Cypher: its upper-case strings, and the strings of its upper-case dicts."""
    path = Path(module.__file__).relative_to(ROOT)
    out = {}
    for name, value in vars(module).items():
        if name.isupper() and isinstance(value, str):
            out[f"{path} {name}"] = value
        elif name.isupper() and isinstance(value, dict):
            out |= {f"{path} {name}[{k}]": v for k, v in value.items() if isinstance(v, str)}
    return out


def _api_texts() -> dict[str, str]:
    """The API's Cypher over cases and decisions: named queries, nested queries, vocabularies, sorts."""
    from api.cypher import keyset, vocabulary_queries

    sorts = {
        f"api/cypher/keyset.py {name}[{k}]": key.expr
        for name, value in vars(keyset).items()
        if name.isupper() and isinstance(value, dict)
        for k, key in value.items()
        if isinstance(getattr(key, "expr", None), str)
    }
    return texts_of(root_queries) | texts_of(nested_queries) | texts_of(vocabulary_queries) | sorts


def _export_texts() -> dict[str, str]:
    return texts_of(from_graph)


def test_every_property_the_api_and_the_export_read_is_declared() -> None:
    assert len(_api_texts()) > 30 and len(_export_texts()) > 5
    assert undeclared_reads(_api_texts(), GRAPH, DECISION_VARS) == []
    assert undeclared_reads(_export_texts(), GRAPH) == []


def test_a_read_of_an_undeclared_property_is_reported() -> None:
    schema = without_prop(GRAPH, "Decision", "authorized_item")
    problems = undeclared_reads(_api_texts(), schema, DECISION_VARS)
    assert any("root_queries.py DECISION_PROJECTION reads Decision.authorized_item" in p for p in problems)
    problems = undeclared_reads(_export_texts(), schema)
    assert any("TABLE_QUERIES[decisions] reads Decision.authorized_item" in p for p in problems)


# ---- the API's projections ----------------------------------------------------------------------------

# Each projection with the variables the templates around it bind.
PROJECTIONS: dict[str, tuple[str, Owners]] = {
    "CASE_PROJECTION (api/cypher/root_queries.py)": (root_queries.CASE_PROJECTION, {"c": {"Case"}}),
    "SECTIONS_OF (api/cypher/nested_queries.py)": (nested_queries.SECTIONS_OF, {}),
}


def unprojected(schema: GraphSchema, not_exposed: dict[str, frozenset[str]]) -> list[str]:
    """Every declared property of a label or relationship type the projections traverse is projected
    or listed as not exposed, and only declared properties are listed."""
    read: Owners = defaultdict(set)
    traversed: set[str] = set()
    for cypher, outer in PROJECTIONS.values():
        found, seen = reads(cypher, schema, outer)
        traversed |= seen
        for owners, prop in found:
            for owner in owners:
                read[owner].add(prop)
    problems = []
    for owner in sorted(traversed):
        hidden = not_exposed.get(owner, frozenset())
        problems += [
            f"{owner}.{prop} is declared, but the API neither projects it nor lists it in NOT_EXPOSED "
            "(api/cypher/root_queries.py)"
            for prop in sorted(declared(schema, owner) - read[owner] - hidden)
        ]
        problems += [
            f"{owner}.{prop} is projected, yet NOT_EXPOSED (api/cypher/root_queries.py) lists it"
            for prop in sorted(hidden & read[owner])
        ]
    for owner, hidden in sorted(not_exposed.items()):
        problems += [
            f"NOT_EXPOSED (api/cypher/root_queries.py) lists {owner}.{prop}, which "
            "graph_loader/graph/declaration.py does not declare"
            for prop in sorted(hidden - declared(schema, owner))
        ]
    return problems


def test_every_declared_property_is_projected_or_not_exposed() -> None:
    assert unprojected(GRAPH, root_queries.NOT_EXPOSED) == []


def test_an_unprojected_or_stale_property_is_reported() -> None:
    assert unprojected(with_prop(GRAPH, "Specialty", "board"), root_queries.NOT_EXPOSED) == [
        "Specialty.board is declared, but the API neither projects it nor lists it in NOT_EXPOSED "
        "(api/cypher/root_queries.py)"
    ]
    assert unprojected(without_prop(GRAPH, "Case", "embedding"), root_queries.NOT_EXPOSED) == [
        "NOT_EXPOSED (api/cypher/root_queries.py) lists Case.embedding, which "
        "graph_loader/graph/declaration.py does not declare"
    ]
    hidden = root_queries.NOT_EXPOSED | {"Diagnosis": frozenset({"level", "name"})}
    assert unprojected(GRAPH, hidden) == [
        "Diagnosis.name is projected, yet NOT_EXPOSED (api/cypher/root_queries.py) lists it"
    ]


def test_a_declared_property_is_projected_unless_not_exposed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(root_queries, "GRAPH", with_prop(GRAPH, "Decision", "appeal_item"))
    assert root_queries.fields("d", root_queries.exposed("Decision"))["appealItem"] == "d.appeal_item"
    monkeypatch.setitem(root_queries.NOT_EXPOSED, "Decision", frozenset({"appeal_item"}))
    assert "appealItem" not in root_queries.fields("d", root_queries.exposed("Decision"))


# ---- the row mapping ----------------------------------------------------------------------------------


def shape(expr: str) -> Any:
    """A projected value's shape: {key: shape} for a map, [shape] for a COLLECT, None for a scalar."""
    expr = expr.strip()
    if m := re.match(r"CASE WHEN '\w+' IN \$selected THEN\s*", expr):  # a part computed when selected
        return shape(expr[m.end() :].rsplit(" ELSE ", 1)[0])
    if expr.startswith("COLLECT"):
        start = expr.index("{")
        body = expr[start + 1 : close(expr, start)]
        returned = body[top_level(body, "RETURN") + len("RETURN") :]
        order = top_level(returned, "ORDER")
        return [shape(returned[:order] if order >= 0 else returned)]
    if expr.startswith("{"):
        entries = [e.split(":", 1) for e in items(expr[1 : close(expr, 0)]) if e.strip()]
        return {key.strip(): shape(value) for key, value in entries}
    if m := re.search(r"\bTHEN\s*(?=\{)", expr):  # CASE WHEN ... THEN {a map} END
        return shape(expr[m.end() :])
    return None


class Projected(dict[str, Any]):
    """A row holding only the projected keys: `get` of another raises as `[]` does."""

    def get(self, key: str, default: Any = None) -> Any:
        return self[key]


# Values the mapping parses (enums); every other projected scalar is null.
_VALUES = {"category": models.Category.PHARMACEUTICAL.value, "citedBy": models.CitedBy.IMR_REVIEWER.value}


def sample_row(s: Any, key: str = "") -> Any:
    if isinstance(s, dict):
        return Projected({k: sample_row(v, k) for k, v in s.items()})
    if isinstance(s, list):
        return [sample_row(s[0])]
    return _VALUES.get(key)


def unmapped(projection: str, build: Any, where: str) -> list[str]:
    """The mapping `build` run on a row of exactly the projection's keys: a key it reads that the
    projection lacks, or a type it builds with keys it does not take."""
    try:
        build(sample_row(shape(projection)))
    except KeyError as e:
        return [
            f"{where} reads {e.args[0]!r}, which the projection does not project (api/cypher/root_queries.py)"
        ]
    except TypeError as e:
        return [f"{where}: {e}: its projection (api/cypher/root_queries.py) holds other keys than it takes"]
    return []


def _section_rows(cypher: str) -> str:
    m = re.search(r"collect\((\{.*\})\) AS rows", cypher, re.S)
    assert m, "SECTIONS_OF returns collect({...}) AS rows"
    return m[1]


def test_the_mapping_reads_only_projected_keys() -> None:
    assert (
        unmapped(root_queries.CASE_PROJECTION, T.Case.from_row, "Case.from_row (api/graphql/types.py)") == []
    )
    sections = _section_rows(nested_queries.SECTIONS_OF)
    assert unmapped(sections, T.GuidelineSection.from_row, "GuidelineSection.from_row") == []
    # The row reaches the deepest map: a decision's drug's ingredients, inside a CASE and two COLLECTs.
    assert shape(root_queries.CASE_PROJECTION)["decisions"][0]["drug"]["ingredients"][0]["meshId"] is None


def test_a_key_the_projection_lacks_is_reported() -> None:
    projection = root_queries.CASE_PROJECTION.replace("authorizedItem: d.authorized_item, ", "")
    assert projection != root_queries.CASE_PROJECTION
    assert unmapped(projection, T.Case.from_row, "Case.from_row") == [
        "Case.from_row reads 'authorizedItem', which the projection does not project (api/cypher/root_queries.py)"
    ]
    projection = root_queries.CASE_PROJECTION.replace("url: g.url", "url: g.url, resolved: g.resolved")
    assert (
        "unexpected keyword argument 'resolved'" in unmapped(projection, T.Case.from_row, "Case.from_row")[0]
    )


# ---- the export ---------------------------------------------------------------------------------------


def unsourced_columns(schema: GraphSchema, tables_: tuple[tables.Table, ...] = tables.TABLES) -> list[str]:
    return [
        f"graph_loader/export/tables.py: column {t.name}.{c.name} copies {c.source}, which "
        "graph_loader/graph/declaration.py does not declare"
        for t in tables_
        for c in t.columns
        if c.source and c.prop not in declared(schema, c.owner)
    ]


def _returned(cypher: str) -> dict[str, str]:
    """A graph export query's RETURN items: alias -> expression."""
    clause = cypher[top_level(cypher, "RETURN") + len("RETURN") : cypher.rindex("\nORDER BY")]
    pairs = (item.strip().rsplit(" AS ", 1) for item in items(clause))
    return {alias: expr.strip() for expr, alias in pairs}


def misread_columns(schema: GraphSchema, tables_: tuple[tables.Table, ...] = tables.TABLES) -> list[str]:
    """Every column with a source is read by the graph export as `var.property` of a variable bound to
    the source's label or relationship type."""
    queries = {**from_graph.TABLE_QUERIES, "treatments": from_graph.TREATMENTS}
    problems = []
    for t in tables_:
        owners = bind(split_subqueries(queries[t.name])[0], schema)[0]
        returned = _returned(queries[t.name])
        for c in t.columns:
            m = re.fullmatch(r"(\w+)\.(\w+)", returned.get(c.name, ""))
            if c.source and not (m and m[2] == c.prop and c.owner in owners.get(m[1], ())):
                problems.append(
                    f"graph_loader/export/from_graph.py returns {t.name}.{c.name} as "
                    f"`{returned.get(c.name)}`, not the {c.source} graph_loader/export/tables.py says it copies"
                )
    return problems


def unexported(schema: GraphSchema, not_exported: dict[str, frozenset[str]]) -> list[str]:
    """Every declared Case and Decision property is read by the graph export or listed as not exported."""
    read: Owners = defaultdict(set)
    for cypher in _export_texts().values():
        for owners, prop in reads(cypher, schema)[0]:
            for owner in owners:
                read[owner].add(prop)
    problems = []
    for owner in ("Case", "Decision"):
        hidden = not_exported.get(owner, frozenset())
        problems += [
            f"{owner}.{prop} is declared, but no export table holds it: add a column "
            "(graph_loader/export/tables.py, from_graph.py) or list it in NOT_EXPORTED (tables.py)"
            for prop in sorted(declared(schema, owner) - read[owner] - hidden)
        ]
        problems += [
            f"NOT_EXPORTED (graph_loader/export/tables.py) lists {owner}.{prop}, which is "
            + ("exported" if prop in read[owner] else "not declared")
            for prop in sorted(hidden - (declared(schema, owner) - read[owner]))
        ]
    return problems


def test_every_export_column_copies_a_declared_property_as_the_graph_export_reads_it() -> None:
    assert sum(bool(c.source) for t in tables.TABLES for c in t.columns) > 40
    assert unsourced_columns(GRAPH) == []
    assert misread_columns(GRAPH) == []


def test_every_declared_case_and_decision_property_is_exported_or_not_exported() -> None:
    assert unexported(GRAPH, tables.NOT_EXPORTED) == []


def test_an_export_column_at_odds_with_the_declaration_is_reported() -> None:
    assert unsourced_columns(without_prop(GRAPH, "Decision", "drug_form")) == [
        "graph_loader/export/tables.py: column decisions.drug_form copies Decision.drug_form, which "
        "graph_loader/graph/declaration.py does not declare"
    ]
    decisions = tables.table("decisions")
    wrong = replace(decisions.column("item"), source="Decision.requested_item")
    odd = replace(decisions, columns=tuple(wrong if c.name == "item" else c for c in decisions.columns))
    assert misread_columns(GRAPH, (odd,)) == [
        "graph_loader/export/from_graph.py returns decisions.item as `d.item`, not the "
        "Decision.requested_item graph_loader/export/tables.py says it copies"
    ]
    assert unexported(with_prop(GRAPH, "Case", "appeal_date"), tables.NOT_EXPORTED) == [
        "Case.appeal_date is declared, but no export table holds it: add a column "
        "(graph_loader/export/tables.py, from_graph.py) or list it in NOT_EXPORTED (tables.py)"
    ]
    hidden = tables.NOT_EXPORTED | {"Decision": tables.NOT_EXPORTED["Decision"] | {"item"}}
    assert unexported(GRAPH, hidden) == [
        "NOT_EXPORTED (graph_loader/export/tables.py) lists Decision.item, which is exported"
    ]


# ---- the filters --------------------------------------------------------------------------------------


def _sample_value(hint: Any) -> Any:
    """A value of a filter field's type that sets it."""
    hint = next(a for a in typing.get_args(hint) or (hint,) if a is not type(None))
    if typing.get_origin(hint) is list:
        return [_sample_value(typing.get_args(hint)[0])]
    samples: dict[Any, Any] = {
        str: " x ",
        bool: True,
        StringFilter: StringFilter(contains="x"),
        IntRange: IntRange(min=1),
        DateRange: DateRange(min="2020-01-01"),
        DecisionFilter: DecisionFilter(item=StringFilter(equals="x")),
        DecisionQuantifier: DecisionQuantifier(some=DecisionFilter(item=StringFilter(equals="x"))),
    }
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return next(iter(hint))
    assert hint in samples, f"add a sample {hint} to tests/unit/test_declared_once.py"
    return samples[hint]


# Filter fields that qualify another one rather than filter by themselves.
MODIFIERS = {"include_uncertain": "icd10"}


def filter_problems(schema: GraphSchema) -> list[str]:
    """Every DecisionFilter field compiles to a predicate over declared properties and relationships."""
    hints = typing.get_type_hints(DecisionFilter)
    rel_types = {r.type for r in schema.relationships}
    problems = []
    for name in (f.name for f in fields(DecisionFilter)):
        # A modifier compiles with the field it qualifies, and must change what that field reads.
        qualified = MODIFIERS.get(name)
        given = {name: _sample_value(hints[name])}
        if qualified:
            given[qualified] = _sample_value(hints[qualified])
            alone = decision_predicate(Compiler(), DecisionFilter(**{qualified: given[qualified]}))
        where = decision_predicate(Compiler(), DecisionFilter(**given))
        if qualified and where == alone:
            problems.append(f"DecisionFilter.{name} (api/graphql/inputs.py) changes nothing in {qualified}")
        found, traversed = reads(where, schema, DECISION_VARS)
        field = f"DecisionFilter.{name} (api/graphql/inputs.py)"
        if where == "true" or not (found or traversed & rel_types):
            problems.append(
                f"{field} compiles to no declared property or relationship in api/cypher/filters.py"
            )
        problems += [
            f"{field} reads {'/'.join(sorted(owners))}.{prop}, which graph_loader/graph/declaration.py does "
            "not declare: fix api/cypher/filters.py"
            for owners, prop in found
            if not any(prop in declared(schema, o) for o in owners)
        ]
    return problems


def test_every_filter_field_maps_to_declared_properties() -> None:
    assert len(fields(DecisionFilter)) > 25
    assert filter_problems(GRAPH) == []


def test_a_filter_on_an_undeclared_property_or_on_nothing_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert filter_problems(without_prop(GRAPH, "Decision", "authorized_item")) == [
        "DecisionFilter.partially_authorized (api/graphql/inputs.py) reads Decision.authorized_item, which "
        "graph_loader/graph/declaration.py does not declare: fix api/cypher/filters.py"
    ]

    compile_filter = decision_predicate

    def ignoring_sex(comp: Compiler, f: Any) -> str:
        return "true" if f.sex is not None else compile_filter(comp, f)

    monkeypatch.setattr(sys.modules[__name__], "decision_predicate", ignoring_sex)
    assert filter_problems(GRAPH) == [
        "DecisionFilter.sex (api/graphql/inputs.py) compiles to no declared property or relationship in "
        "api/cypher/filters.py"
    ]
