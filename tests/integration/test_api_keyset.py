"""Keyset cursors: walking every page of a sorted connection gives exactly the rows of one ordering
(Cypher's own ORDER BY over the same fields), in order, without duplicates or gaps, ascending and
descending, over fields with nulls; foreign and altered cursors are refused with a clear error."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver

from api.cypher.db import ReadOnlyGraph
from api.cypher.keyset import CASE_KEYS, DECISION_KEYS
from api.cypher.tally_answers import Readiness
from api.graphql.enums import DecisionSortField, SortField
from api.graphql.schema import execute

MATCH_DECISIONS = "MATCH (c:Case)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)"


def _run(query: str, graph: ReadOnlyGraph) -> dict[str, Any]:
    result = execute(query, graph)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def _sort_arg(sort: list[tuple[str, str]]) -> str:
    return "[" + ", ".join(f"{{field: {f}, direction: {d}}}" for f, d in sort) + "]"


def walk(
    graph: ReadOnlyGraph, field: str, sort: list[tuple[str, str]], first: int, where: str = ""
) -> list[str]:
    """Every row id of a root connection, page by page."""
    ident = "letterId" if field == "cases" else "decisionId"
    ids: list[str] = []
    after = None
    for _ in range(1000):
        cursor = f', after: "{after}"' if after else ""
        page = _run(
            f"{{ {field}(first: {first}, sort: {_sort_arg(sort)}{cursor}{where}) "
            f"{{ totalCount edges {{ cursor node {{ {ident} }} }} pageInfo {{ hasNextPage endCursor }} }} }}",
            graph,
        )[field]
        ids += [e["node"][ident] for e in page["edges"]]
        assert page["totalCount"] >= len(ids)
        if not page["pageInfo"]["hasNextPage"]:
            assert page["totalCount"] == len(ids)
            return ids
        assert page["edges"] and page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("the walk did not end")


def cypher_order(driver: Driver, field: str, sort: list[tuple[str, str]], where: str = "true") -> list[str]:
    if field == "cases":
        keys: dict[Any, Any] = {k: v.expr for k, v in CASE_KEYS.items()}
        match, ident, tiebreak = "MATCH (c:Case)", "c.letter_id", "c.letter_id"
    else:
        keys = {k: v.expr for k, v in DECISION_KEYS.items()}
        match, ident, tiebreak = MATCH_DECISIONS, "d.decision_id", "d.decision_id"
    order = ", ".join(f"{keys[f]} {d}" for f, d in sort)
    records, _, _ = driver.execute_query(
        f"{match} WHERE {where} RETURN {ident} AS id ORDER BY {order}, {tiebreak}"
    )
    return [r["id"] for r in records]


ORDERS = [
    ("cases", [("DECISION_DATE", "DESC")]),
    ("cases", [("AGE", "ASC"), ("SEX", "DESC")]),
    ("cases", [("INJURY_DATE", "DESC"), ("CASE_NUMBER", "ASC")]),
    ("decisions", [("DECISION_DATE", "DESC")]),
    ("decisions", [("QUANTITY", "ASC"), ("OUTCOME", "DESC")]),
    ("decisions", [("QUANTITY", "DESC"), ("TREATMENT", "ASC"), ("AGE", "DESC")]),
]


@pytest.mark.parametrize(("field", "sort"), ORDERS, ids=[f"{f}-{s}" for f, s in ORDERS])
def test_walking_pages_of_two_gives_the_whole_ordering(
    field: str, sort: list[tuple[str, str]], rich_graph: ReadOnlyGraph, driver: Driver
) -> None:
    expected = cypher_order(driver, field, sort)
    walked = walk(rich_graph, field, sort, 2)
    assert walked == expected
    assert len(set(walked)) == len(walked)
    assert walk(rich_graph, field, sort, 100) == expected


def test_the_sorted_fields_have_nulls(driver: Driver) -> None:
    """The orders above sort over nulls and values both, for cases and for decisions (else they
    prove little)."""
    mixed = {}
    for field, sort in ORDERS:
        keys: dict[Any, Any] = {
            k: v.expr for k, v in (CASE_KEYS if field == "cases" else DECISION_KEYS).items()
        }
        for name, _ in sort:
            records, _, _ = driver.execute_query(
                f"{MATCH_DECISIONS} RETURN count({keys[name]}) AS known, count(*) AS n"
            )
            mixed[field, name] = 0 < records[0]["known"] < records[0]["n"]
    assert any(m for (f, _), m in mixed.items() if f == "cases"), mixed
    assert any(m for (f, _), m in mixed.items() if f == "decisions"), mixed


case_sorts = st.lists(
    st.tuples(st.sampled_from([f.value for f in SortField]), st.sampled_from(["ASC", "DESC"])),
    min_size=1,
    max_size=3,
)
decision_sorts = st.lists(
    st.tuples(st.sampled_from([f.value for f in DecisionSortField]), st.sampled_from(["ASC", "DESC"])),
    min_size=1,
    max_size=3,
)


def test_random_sorts_and_page_sizes_walk_the_whole_ordering(
    rich_graph: ReadOnlyGraph, driver: Driver
) -> None:
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        st.one_of(st.tuples(st.just("cases"), case_sorts), st.tuples(st.just("decisions"), decision_sorts)),
        st.integers(3, 40),
    )
    def check(order: tuple[str, list[tuple[str, str]]], first: int) -> None:
        field, sort = order
        assert walk(rich_graph, field, sort, first) == cypher_order(driver, field, sort)

    check()


def test_a_filtered_walk_keeps_the_filter(rich_graph: ReadOnlyGraph, driver: Driver) -> None:
    ids = walk(rich_graph, "decisions", [("ITEM", "ASC")], 7, ", filter: {outcome: UPHELD}")
    assert ids == cypher_order(driver, "decisions", [("ITEM", "ASC")], "d.outcome = 'UPHELD'")


def _error(query: str, graph: ReadOnlyGraph) -> str:
    result = execute(query, graph)
    assert result.errors, result.data
    return result.errors[0].message


def test_foreign_and_altered_cursors_are_refused_clearly(rich_graph: ReadOnlyGraph) -> None:
    page = _run(
        "{ decisions(first: 2) { pageInfo { endCursor } } cases(first: 2) { pageInfo { endCursor } } "
        "treatments(first: 2) { pageInfo { endCursor } } }",
        rich_graph,
    )
    decision_cursor = page["decisions"]["pageInfo"]["endCursor"]
    case_cursor = page["cases"]["pageInfo"]["endCursor"]
    offset_cursor = page["treatments"]["pageInfo"]["endCursor"]
    other_sort = _error(
        f'{{ decisions(first: 2, after: "{decision_cursor}", sort: {{field: ITEM}}) {{ totalCount }} }}',
        rich_graph,
    )
    assert "cursor from another field or sort order" in other_sort and "ITEM" in other_sort
    assert "another field" in _error(
        f'{{ decisions(first: 2, after: "{case_cursor}") {{ totalCount }} }}', rich_graph
    )
    raw = base64.urlsafe_b64decode(decision_cursor).decode()
    altered = base64.urlsafe_b64encode(raw.replace('"d', '"e', 1).encode()).decode()
    assert altered != decision_cursor
    assert "altered" in _error(f'{{ decisions(first: 2, after: "{altered}") {{ totalCount }} }}', rich_graph)
    for bad in (offset_cursor, "not a cursor", "", "a" * 41):
        if bad:
            message = _error(f'{{ cases(first: 2, after: "{bad}") {{ totalCount }} }}', rich_graph)
            assert message.startswith("invalid cursor"), message
    # An empty cursor is no cursor: the first page.
    assert _run('{ cases(first: 2, after: "") { totalCount } }', rich_graph)["cases"]["totalCount"]


# Filters the tallies count (the count picks the plan) and one they do not (found by traversal).
DATE_ORDER_FILTERS = [
    ("", "true"),
    (", filter: {outcome: UPHELD}", "d.outcome = 'UPHELD'"),
    (
        ', filter: {icd10: "M54", outcome: OVERTURNED}',
        "'M54' IN c.diagnosis_codes AND d.outcome = 'OVERTURNED'",
    ),
    (', filter: {treatment: {equals: "Physical therapy"}}', "t.name = 'Physical therapy'"),
    (", filter: {age: {min: 50}}", "c.age >= 50"),
]


@pytest.mark.parametrize("share", [0, 10**9], ids=["sorted", "index-walk"])
@pytest.mark.parametrize(("arg", "where"), DATE_ORDER_FILTERS, ids=[w for _, w in DATE_ORDER_FILTERS])
def test_date_order_pages_by_either_plan_give_the_ordering(
    share: int,
    arg: str,
    where: str,
    rich_graph: ReadOnlyGraph,
    driver: Driver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A page in date order walks the index or sorts the matches, as the tallies' count decides; both
    plans give the same pages, ascending and descending."""
    assert asyncio.run(Readiness().check(rich_graph)).date_order, "the index walk would not be tried"
    monkeypatch.setattr("api.cypher.root_queries.DATE_ORDER_SHARE", share)
    for direction in ("DESC", "ASC"):
        sort = [("DECISION_DATE", direction)]
        expected = cypher_order(driver, "decisions", sort, where)
        assert expected, where
        assert walk(rich_graph, "decisions", sort, 7, arg) == expected


def test_cursors_of_an_earlier_version_are_refused_clearly(rich_graph: ReadOnlyGraph) -> None:
    page = _run("{ decisions(first: 2) { pageInfo { endCursor } } }", rich_graph)
    raw = base64.urlsafe_b64decode(page["decisions"]["pageInfo"]["endCursor"]).decode()
    _version, digest, payload = raw.split(":", 2)
    old = base64.urlsafe_b64encode(f"k1:{digest}:{payload}".encode()).decode()
    assert "earlier version" in _error(
        f'{{ decisions(first: 2, after: "{old}") {{ totalCount }} }}', rich_graph
    )
