"""Search with filters, cursors and snippets; stored queries over GraphQL; the analytic cost limit."""

from __future__ import annotations

from typing import Any

import pytest

from api.cypher import search_query
from api.cypher.db import ReadOnlyGraph
from api.graphql.extensions import MAX_ANALYTIC_FIELDS
from api.graphql.schema import execute
from graph_loader import stored_queries as library
from graph_loader.config import Settings


def _data(query: str, graph: ReadOnlyGraph, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    result = execute(query, graph, variables)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


SEARCH = """query($after: String, $filter: DecisionFilter) {
  searchRationales(text: "therapy", filter: $filter, first: 3, after: $after) {
    score cursor snippet { text highlighted rationaleSpan } decision { decisionId outcome rationale }
  }
}"""


def _search_pages(
    graph: ReadOnlyGraph, variables: dict[str, object]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Every hit in one page of 100, and the ids of the first two pages of 3."""
    every = execute(SEARCH.replace("first: 3", "first: 100"), graph, variables)
    assert every.errors is None and every.data
    first = execute(SEARCH, graph, variables).data
    assert first
    page1 = first["searchRationales"]
    second = execute(SEARCH, graph, {**variables, "after": page1[-1]["cursor"]}).data
    assert second
    return every.data["searchRationales"], [
        h["decision"]["decisionId"] for h in page1 + second["searchRationales"]
    ]


@pytest.mark.parametrize("filtered", [True, False], ids=["filtered", "unfiltered"])
def test_search_is_filtered_paginated_and_highlighted(rich_graph: ReadOnlyGraph, filtered: bool) -> None:
    hits, paged = _search_pages(rich_graph, {"filter": {"outcome": "UPHELD"}} if filtered else {})
    assert len(hits) > 6
    if filtered:
        assert all(h["decision"]["outcome"] == "UPHELD" for h in hits)
    assert paged == [h["decision"]["decisionId"] for h in hits[:6]]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    for h in hits:
        snip = h["snippet"]
        if snip:
            start, end = snip["rationaleSpan"]
            assert h["decision"]["rationale"][start:end] == snip["text"]
            assert "<mark>" in snip["highlighted"]
    assert any(h["snippet"] for h in hits)


# Every hit, sorted: what each page of searchRationales must be a slice of.
EVERY_HIT = """
CALL db.index.fulltext.queryNodes('rationale_fulltext', $text) YIELD node AS d, score
RETURN d.decision_id AS id, score, d.outcome AS outcome ORDER BY score DESC, id
"""


@pytest.mark.parametrize("outcome", [None, "UPHELD"], ids=["unfiltered", "filtered"])
def test_search_pages_equal_a_sort_of_every_hit(
    rich_graph: ReadOnlyGraph, monkeypatch: pytest.MonkeyPatch, outcome: str | None
) -> None:
    """A Lucene window gives the page only when it holds every hit that passes the filter and scores
    at least the page's last score. With small windows some pages of this corpus end inside a run of
    equal scores, so the first window, the wide one and the sort of every hit are all exercised, and
    every page must equal the reference."""
    every = rich_graph.read(EVERY_HIT, text="therapy")
    reference = [(r["id"], r["score"]) for r in every if outcome is None or r["outcome"] == outcome]
    wanted = {decision_id for decision_id, _ in reference}
    variables = {"filter": {"outcome": outcome} if outcome else None}

    def holds_the_page(asked: int, skip: int) -> bool:
        floor = min(r["score"] for r in every[:asked])
        kept = [r for r in every[:asked] if r["score"] > floor and r["id"] in wanted]
        return len(every) < asked or len(kept) >= skip + 3

    used = set()
    for windows in ((1, 1), (1, 7), (7, 13), (13, 1000), (1000, 1000)):
        monkeypatch.setattr(search_query, "SEARCH_WINDOWS", windows)
        after, skip = None, 0
        while skip < len(reference):
            page = execute(SEARCH, rich_graph, {**variables, "after": after}).data
            assert page
            hits = page["searchRationales"]
            assert [(h["decision"]["decisionId"], h["score"]) for h in hits] == reference[skip : skip + 3]
            first, wide = search_query.search_windows(skip, 3)
            used.add(
                "first" if holds_the_page(first, skip) else "wide" if holds_the_page(wide, skip) else "every"
            )
            after, skip = hits[-1]["cursor"], skip + 3
    assert used == {"first", "wide", "every"}, f"the corpus exercises only {used}"


DECISION_IDS = """query($filter: DecisionFilter, $after: String) {
  decisions(filter: $filter, first: 100, after: $after) {
    edges { node { decisionId } } pageInfo { endCursor hasNextPage }
  }
}"""


@pytest.mark.parametrize(
    "decision_filter",
    [
        {"icd10": "M54"},
        {"treatment": {"contains": "therapy"}},
        {"category": "PHARMACEUTICAL"},
        {"citedBy": "IMR_REVIEWER", "citesSection": {"contains": "physical"}},
        {"denialReason": "NO_FUNCTIONAL_IMPROVEMENT"},
        {"licensureState": "CA", "outcome": "UPHELD"},
        {"year": {"min": 2016}},
    ],
    ids=lambda f: ",".join(f),
)
def test_filtered_search_keeps_exactly_the_filtered_hits(
    rich_graph: ReadOnlyGraph, monkeypatch: pytest.MonkeyPatch, decision_filter: dict[str, Any]
) -> None:
    """Each kind of filter, inside Lucene's window and on the full sort: the pages are every hit
    that the same filter on `decisions` keeps, in score, then decision-id order."""
    ids: set[str] = set()
    after = None
    while True:
        page = _data(DECISION_IDS, rich_graph, {"filter": decision_filter, "after": after})["decisions"]
        ids |= {e["node"]["decisionId"] for e in page["edges"]}
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    reference = [(r["id"], r["score"]) for r in rich_graph.read(EVERY_HIT, text="therapy") if r["id"] in ids]
    assert reference, "the filter keeps no hit: the case tests nothing"
    for windows in ((1, 1), (1, 1000), (1000, 1000)):
        monkeypatch.setattr(search_query, "SEARCH_WINDOWS", windows)
        found, after = [], None
        while True:
            hits = _data(SEARCH, rich_graph, {"filter": decision_filter, "after": after})["searchRationales"]
            if not hits:
                break
            found += [(h["decision"]["decisionId"], h["score"]) for h in hits]
            after = hits[-1]["cursor"]
        assert found == reference, windows


def test_stored_query_over_graphql_equals_the_library(
    rich_graph: ReadOnlyGraph, rich_loaded: Settings
) -> None:
    data = _data(
        '{ storedQuery(name: "uphold_rates_by_category", params: {min_decisions: 1}) { name title params rows truncated } }',
        rich_graph,
    )["storedQuery"]
    query = library.get("uphold_rates_by_category")
    assert data["rows"] == library.run(
        query, library.validate_params(query, {"min_decisions": 1}), rich_loaded
    )
    assert data["params"] == {"min_decisions": 1} and data["truncated"] is False


def test_stored_query_refuses_unknown_names_and_parameters(rich_graph: ReadOnlyGraph) -> None:
    for query, message in (
        ('{ storedQuery(name: "../etc/passwd") { name } }', "no stored query named"),
        ('{ storedQuery(name: "similar_cases", params: {case_key: 3}) { name } }', "must be a string"),
        ('{ storedQuery(name: "similar_cases", params: {limit: 3}) { name } }', "has no parameter 'limit'"),
    ):
        result = execute(query, rich_graph)
        assert result.errors and message in result.errors[0].message, (query, result.errors)


def test_too_many_analytic_fields_in_one_document_are_refused(rich_graph: ReadOnlyGraph) -> None:
    fields = " ".join(
        f"a{i}: outcomeRates(groupBy: YEAR) {{ group }}" for i in range(MAX_ANALYTIC_FIELDS + 1)
    )
    result = execute(f"{{ {fields} }}", rich_graph)
    assert result.errors and "analytic root fields in one operation" in result.errors[0].message
    fragment = f"fragment F on Query {{ {fields} }} query {{ ...F }}"
    result = execute(fragment, rich_graph)
    assert result.errors and "analytic root fields" in result.errors[0].message
