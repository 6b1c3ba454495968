"""Property tests over every argument of every root field, through HTTP: whatever the values, the API
answers with data or a clear GraphQL error (never a 500, never a masked internal error), and no value
changes the graph."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLType,
    get_named_type,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from api.cypher.db import ReadOnlyGraph
from api.graphql.schema import schema
from api.web.app import create_app
from graph_loader.config import Settings
from graph_loader.load import neo4j_db

GRAPHQL = schema._schema
INTERNAL = "Internal error while querying the graph."

# Strings that would change the graph or break out of a query if they were ever spliced into Cypher or
# Lucene, next to ordinary values the sample graph contains.
PAYLOADS = [
    "' }) MATCH (n) DETACH DELETE n //",
    '" }) MATCH (n) DETACH DELETE n //',
    "x` ]-() DETACH DELETE n //",
    "M54.16'; CREATE (:Pwned) //",
    "*:*",
    "rationale:(a OR",
    '"unbalanced',
    "\\",
    "${x}",
    "\x00",
    "lumbar radiculopathy",
    "M54",
    "CM15-0000001",
    "Physical therapy",
    "MTUS",
    "",
]
strings = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=40))
SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "String": strings,
    "ID": strings,
    "Int": st.one_of(st.integers(-5, 200), st.integers(-(2**31), 2**31 - 1)),
    "Float": st.floats(allow_nan=False, allow_infinity=False, width=32),
    "Boolean": st.booleans(),
    # storedQuery's params: objects of names to values, or anything else JSON can be.
    "JSON": st.one_of(
        st.dictionaries(
            strings, st.one_of(strings, st.integers(-5, 200), st.booleans(), st.none()), max_size=3
        ),
        st.lists(strings, max_size=2),
        strings,
    ),
}


def value_strategy(t: GraphQLType, depth: int = 0) -> st.SearchStrategy[Any]:
    if isinstance(t, GraphQLNonNull):
        return _non_null(t.of_type, depth)
    if depth > 3:
        return st.none()
    return st.one_of(st.none(), _non_null(t, depth))


def _non_null(t: GraphQLType, depth: int) -> st.SearchStrategy[Any]:
    if isinstance(t, GraphQLNonNull):
        return _non_null(t.of_type, depth)
    if isinstance(t, GraphQLList):
        return st.lists(value_strategy(t.of_type, depth + 1), max_size=3)
    if isinstance(t, GraphQLEnumType):
        return st.sampled_from(sorted(t.values))
    if isinstance(t, GraphQLScalarType):
        return SCALARS[t.name]
    assert isinstance(t, GraphQLInputObjectType), t
    fields = {name: value_strategy(f.type, depth + 1) for name, f in t.fields.items()}
    required = {n: s for n, s in fields.items() if isinstance(t.fields[n].type, GraphQLNonNull)}
    optional = {n: s for n, s in fields.items() if n not in required}
    return st.fixed_dictionaries(required, optional=optional)


def selection(t: GraphQLNamedType, depth: int = 0) -> str:
    """Every argument-free field of the result type, three levels deep."""
    assert isinstance(t, GraphQLObjectType)
    parts = []
    for name, f in t.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) and a.default_value is None for a in f.args.values()):
            continue
        inner = get_named_type(f.type)
        if isinstance(inner, GraphQLObjectType):
            if depth < 3:
                parts.append(f"{name} {{ {selection(inner, depth + 1)} }}")
        else:
            parts.append(name)
    return " ".join(parts) or "__typename"


def operation(field: str) -> tuple[str, dict[str, GraphQLArgument]]:
    f = GRAPHQL.query_type.fields[field]  # type: ignore[union-attr]
    declared = ", ".join(f"${n}: {a.type}" for n, a in f.args.items())
    passed = ", ".join(f"{n}: ${n}" for n in f.args)
    head = f"query Fuzz({declared})" if declared else "query Fuzz"
    call = f"{field}({passed})" if passed else field
    return f"{head} {{ {call} {{ {selection(get_named_type(f.type))} }} }}", dict(f.args)


ROOT_FIELDS = sorted(GRAPHQL.query_type.fields)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def client(sample_loaded: Settings) -> Iterator[TestClient]:
    graph = ReadOnlyGraph.connect(sample_loaded)
    with TestClient(create_app(sample_loaded, graph)) as c:
        yield c
    graph.close()


@pytest.fixture(scope="module")
def fingerprint_before(sample_loaded: Settings) -> str:
    with neo4j_db.connect(sample_loaded) as driver:
        return neo4j_db.fingerprint(driver, "neo4j")


@pytest.mark.parametrize("field", ROOT_FIELDS)
def test_every_argument_of_every_root_field(client: TestClient, field: str, fingerprint_before: str) -> None:
    query, args = operation(field)
    variables = st.fixed_dictionaries({n: value_strategy(a.type) for n, a in args.items()})

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(variables)
    def check(values: dict[str, Any]) -> None:
        response = client.post("/graphql", json={"query": query, "variables": values})
        assert response.status_code in (200, 400), (response.status_code, response.text[:300], values)
        body = response.json()
        for error in body.get("errors") or []:
            assert error["message"] != INTERNAL, (json.dumps(values), error)
            assert error["message"].strip(), values
        if response.status_code == 200 and not body.get("errors"):
            assert body["data"][field] is not None or field == "case"

    check()


# Where each field with arguments below the root is reached from: its arguments are fuzzed there.
NESTED = {
    ("VocabularyTerm", "decisionsConnection"): "treatments(first: 3) { terms { %s } }",
    ("DiagnosisTerm", "casesConnection"): "diagnoses(first: 3) { terms { %s } }",
    ("Guideline", "sections"): "guidelines(first: 2) { terms { guideline { %s } } }",
    (
        "GuidelineSection",
        "decisionsConnection",
    ): "guidelines(first: 2) { terms { sections { section { %s } } } }",
}


def test_every_nested_field_with_arguments_is_fuzzed() -> None:
    nested = {
        (name, field)
        for name, t in GRAPHQL.type_map.items()
        if isinstance(t, GraphQLObjectType) and t is not GRAPHQL.query_type and not name.startswith("__")
        for field, f in t.fields.items()
        if f.args
    }
    assert nested == set(NESTED)


@pytest.mark.parametrize("path", sorted(NESTED), ids=[".".join(p) for p in sorted(NESTED)])
def test_every_argument_of_every_nested_field(
    client: TestClient, path: tuple[str, str], fingerprint_before: str
) -> None:
    parent, field = path
    f = GRAPHQL.type_map[parent].fields[field]  # type: ignore[union-attr]
    declared = ", ".join(f"${n}: {a.type}" for n, a in f.args.items())
    call = f"{field}({', '.join(f'{n}: ${n}' for n in f.args)}) {{ {selection(get_named_type(f.type), 2)} }}"
    query = f"query Fuzz({declared}) {{ {NESTED[path] % call} }}"
    variables = st.fixed_dictionaries({n: value_strategy(a.type) for n, a in f.args.items()})

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(variables)
    def check(values: dict[str, Any]) -> None:
        response = client.post("/graphql", json={"query": query, "variables": values})
        assert response.status_code in (200, 400), (response.status_code, response.text[:300], values)
        body = response.json()
        for error in body.get("errors") or []:
            assert error["message"] != INTERNAL, (json.dumps(values), error)
            assert error["message"].strip(), values

    check()


def test_no_argument_changed_the_graph(
    client: TestClient, sample_loaded: Settings, fingerprint_before: str
) -> None:
    # Runs after the fuzzing above (same module, file order).
    with neo4j_db.connect(sample_loaded) as driver:
        assert neo4j_db.fingerprint(driver, "neo4j") == fingerprint_before
