"""One text per question: GraphQL runs the stored cypher/ files for the questions they answer, and
where the API compiles filters into its own template, the unfiltered answer equals the stored one."""

from __future__ import annotations

from typing import Any

import pytest

from api.cypher import root_queries as queries
from api.cypher.db import ReadOnlyGraph
from api.graphql.schema import execute
from graph_loader import stored_queries as library
from graph_loader.config import Settings


def _stored(name: str, settings: Settings, **params: Any) -> list[dict[str, Any]]:
    query = library.get(name)
    return library.run(query, library.validate_params(query, params), settings)


def test_the_api_names_stored_queries_that_exist() -> None:
    for name in (queries.FLAGSHIP, queries.FLAGSHIP_ANY_DIAGNOSIS, queries.SIMILAR_CASES):
        assert library.get(name).cypher
    texts = [v for v in vars(queries).values() if isinstance(v, str)]
    # No three consecutive lines of a stored query are copied into the API's own queries.
    flat = ["\n".join(ln.strip() for ln in t.splitlines() if ln.strip()) for t in texts]
    for stored_query in library.all_queries():
        lines = [
            ln.strip() for ln in stored_query.cypher.splitlines() if ln.strip() and not ln.startswith("//")
        ]
        windows = ["\n".join(lines[i : i + 3]) for i in range(len(lines) - 2)]
        copied = [w for w in windows if any(w in t for t in flat)]
        assert not copied, (stored_query.name, copied, "the API keeps no copy of stored queries")


def test_flagship_through_graphql_equals_the_stored_query(
    sample_graph: ReadOnlyGraph, sample_loaded: Settings
) -> None:
    result = execute(
        '{ guidelineCitationStats(icd10: "M54.16", outcome: UPHELD, citedBy: IMR_REVIEWER) '
        "{ guideline { key title } section decisions share } }",
        sample_graph,
    )
    assert result.errors is None and result.data
    api_rows = [
        (r["guideline"]["key"], r["section"], r["decisions"]) for r in result.data["guidelineCitationStats"]
    ]
    stored = _stored("flagship_guideline_sections", sample_loaded)
    assert api_rows == [(r["guideline_key"], r["section"], r["decisions"]) for r in stored]
    assert api_rows, "the sample has upheld lumbar radiculopathy decisions"


def test_similar_cases_through_graphql_equals_the_stored_query(
    sample_graph: ReadOnlyGraph, sample_loaded: Settings
) -> None:
    cases = execute("{ cases(first: 1) { edges { node { letterId } } } }", sample_graph).data
    assert cases
    key = cases["cases"]["edges"][0]["node"]["letterId"]
    result = execute(
        "query($k: String!) { similarCases(caseNumber: $k) { letterId score shared } }",
        sample_graph,
        {"k": key},
    )
    assert result.errors is None and result.data
    stored = _stored("similar_cases", sample_loaded, case_key=key)
    assert [(r["letterId"], r["score"]) for r in result.data["similarCases"]] == [
        (r["letter_id"], r["score"]) for r in stored
    ]


@pytest.mark.parametrize(
    ("stored_name", "column", "grouping"),
    [
        ("uphold_rates_by_category", "category", "CATEGORY"),
        ("uphold_rates_by_treatment", "treatment", "TREATMENT"),
        ("outcome_rates_by_diagnosis_category", "diagnosis", "DIAGNOSIS_CATEGORY"),
        ("outcomes_by_year", "year", "YEAR"),
        ("specialty_vs_outcome", "specialty", "SPECIALTY"),
    ],
)
def test_outcome_rates_agree_with_the_stored_queries(
    sample_graph: ReadOnlyGraph, sample_loaded: Settings, stored_name: str, column: str, grouping: str
) -> None:
    query = library.get(stored_name)
    params = {
        k: v
        for k, v in {"min_decisions": 1, "first": 100, "category": None}.items()
        if k in query.example_params
    }
    stored = {
        (None if r[column] == "unknown" else r[column]): (r["decisions"], r["upheld"])
        for r in _stored(stored_name, sample_loaded, **params)
    }
    result = execute(
        f"{{ outcomeRates(groupBy: {grouping}, first: 100) {{ group decisions upheld }} }}", sample_graph
    )
    assert result.errors is None and result.data
    api = {r["group"]: (r["decisions"], r["upheld"]) for r in result.data["outcomeRates"]}
    assert api == stored and api
