"""A nested field's arguments are converted once per place in the document and shared by the parent
rows there (api/graphql/sibling_arguments.py), with the same answers, queries and errors as
strawberry's own resolvers. Executed without HTTP or Neo4j."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest
import strawberry
from neo4j import Driver
from strawberry.permission import BasePermission

from api.cypher.db import ReadOnlyGraph
from api.graphql import sibling_arguments
from api.graphql.dataset import DatasetExtension
from api.graphql.extensions import extensions
from api.graphql.schema import CONVERTED_ONCE, Query, Schema, schema

TERMS = 3


class TermsGraph(ReadOnlyGraph):
    """A page of TERMS terms for any vocabulary, an empty nested page for each of them, and no rows
    for anything else; keeps what was sent."""

    sent: list[tuple[str, dict[str, Any]]]

    async def aread(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        self.sent.append((cypher, params))
        if "keys" in params:
            return [{"key": k, "rows": [], "total": 0} for k in params["keys"]]
        if "skip" in params:
            return [
                {
                    "key": f"t{i}",
                    "name": f"t{i}",
                    "decisions": 4,
                    "upheld": 3,
                    "parent": None,
                    "category": None,
                    "description": None,
                }
                for i in range(TERMS)
            ]
        return []


def run(
    on: strawberry.Schema, query: str, variables: dict[str, Any] | None = None
) -> tuple[Any, list[tuple[str, dict[str, Any]]]]:
    graph = TermsGraph(driver=cast(Driver, None), database="neo4j")
    graph.sent = []
    result = asyncio.run(on.execute(query, variable_values=variables, context_value={"graph": graph}))
    return result, graph.sent


def counted_conversions(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    convert = sibling_arguments.convert_arguments

    def counting(values: dict[str, Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        calls.append(values)
        return convert(values, *args, **kwargs)

    monkeypatch.setattr(sibling_arguments, "convert_arguments", counting)
    return calls


def test_the_fields_that_convert_once_are_the_nested_ones() -> None:
    # A new non-root field with arguments joins this list by itself; this says which ones do today.
    assert sorted(CONVERTED_ONCE) == [
        "DiagnosisTerm.casesConnection",
        "Guideline.sections",
        "GuidelineSection.decisionsConnection",
        "VocabularyTerm.decisionsConnection",
    ]


def test_each_place_converts_its_arguments_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counted_conversions(monkeypatch)
    result, sent = run(
        schema,
        """{ treatments(first: 3) { terms {
             a: decisionsConnection(first: 1, filter: {outcome: UPHELD}) { totalCount }
             b: decisionsConnection(first: 2) { totalCount } } } }""",
    )
    assert result.errors is None, result.errors
    assert len(result.data["treatments"]["terms"]) == TERMS
    # Two places (the aliases), three parents each: two conversions, each its own batch.
    assert len(calls) == 2
    batches = [params for _, params in sent if "keys" in params]
    assert sorted(p["limit"] for p in batches) == [2, 3]
    assert all(p["keys"] == ["t0", "t1", "t2"] for p in batches)
    assert sorted(str(p.get("f0")) for p in batches) == ["None", "UPHELD"]


STRAWBERRY_ONLY = Schema(query=Query, extensions=[*extensions(), DatasetExtension])


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (
            """{ treatments(first: 3) { terms { name decisionsConnection(first: 5,
                 filter: {outcome: UPHELD, item: {contains: "therapy"}, year: {min: 2015},
                          OR: [{category: PHARMACEUTICALS}, {NOT: {icd10: "M54"}}]},
                 sort: [{field: DECISION_DATE, direction: ASC}]) {
                 totalCount pageInfo { hasNextPage endCursor } edges { cursor node { item } } } } } }""",
            None,
        ),
        (
            """query ($f: DecisionFilter, $n: Int!) { specialties(first: 3) { terms {
                 decisionsConnection(first: $n, filter: $f) { edges { node { outcome } } } } } }""",
            {"f": {"outcome": "OVERTURNED", "decisions": {"some": {"category": "DME"}}}, "n": 4},
        ),
        (
            "{ diagnoses(first: 3) { terms { casesConnection(first: 2, "
            "sort: [{field: AGE, direction: DESC}]) { totalCount } } } }",
            None,
        ),
        ('{ guidelines(first: 3) { terms { sections(first: 4, name: "pain") { name } } } }', None),
        # Refused arguments: one error per parent, as strawberry's own resolvers give.
        ("{ treatments(first: 3) { terms { decisionsConnection(first: -1) { totalCount } } } }", None),
        (
            '{ treatments(first: 3) { terms { decisionsConnection(after: "not a cursor") '
            "{ totalCount } } } }",
            None,
        ),
    ],
)
def test_answers_queries_and_errors_equal_strawberrys_own(
    query: str, variables: dict[str, Any] | None
) -> None:
    ours, ours_sent = run(schema, query, variables)
    theirs, theirs_sent = run(STRAWBERRY_ONLY, query, variables)
    assert ours.data == theirs.data
    assert [(e.message, e.path) for e in ours.errors or []] == [
        (e.message, e.path) for e in theirs.errors or []
    ]
    assert ours_sent == theirs_sent
    assert any("keys" in params for _, params in ours_sent) or ours.errors


class Never(BasePermission):
    message = "never"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Child:
    @strawberry.field
    def echo(self, word: str, times: int = 1) -> str:
        return word * times


@strawberry.type
class Root:
    @strawberry.field
    def children(self) -> list[Child]:
        return [Child(), Child()]


@pytest.mark.parametrize(("context", "conversions"), [({}, 1), (object(), 2)])
def test_the_request_context_keeps_the_conversion_when_it_is_a_dict(
    monkeypatch: pytest.MonkeyPatch, context: object, conversions: int
) -> None:
    small = strawberry.Schema(query=Root)
    assert sibling_arguments.install(small) == ["Child.echo"]
    calls = counted_conversions(monkeypatch)
    result = small.execute_sync('{ children { echo(word: "ab", times: 2) } }', context_value=context)
    assert result.errors is None, result.errors
    assert result.data == {"children": [{"echo": "abab"}, {"echo": "abab"}]}
    assert len(calls) == conversions


@strawberry.type
class Guarded:
    @strawberry.field(permission_classes=[Never])
    def secret(self, word: str) -> str:
        return word


@strawberry.type
class GuardedRoot:
    @strawberry.field
    def guarded(self) -> Guarded:
        return Guarded()


def test_a_field_strawberry_must_check_itself_is_refused() -> None:
    with pytest.raises(TypeError, match=r"Guarded\.secret"):
        sibling_arguments.install(strawberry.Schema(query=GuardedRoot))
