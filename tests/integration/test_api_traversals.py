"""The nested connections from vocabulary nodes (treatments, classes, specialties, states, denial
reasons, guideline sections, diagnoses) against the root connections and Cypher: same rows, same
order, one query per level however many parents."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from neo4j import Driver

from api.cypher.db import ReadOnlyGraph
from api.cypher.root_queries import DATASET
from api.cypher.tally_answers import TALLIES_READY, Readiness
from api.graphql.schema import execute, schema


def _data(query: str, graph: ReadOnlyGraph) -> dict[str, Any]:
    result = execute(query, graph)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def _ids(connection: dict[str, Any], field: str = "decisionId") -> list[str]:
    return [e["node"][field] for e in connection["edges"]]


@pytest.mark.parametrize(
    ("root", "root_filter"),
    [
        ("treatments", '{{treatment: {{equals: "{key}"}}}}'),
        ("treatmentClasses", '{{treatmentClass: "{key}"}}'),
        ("states", '{{licensureState: "{key}"}}'),
        ("denialReasonCodes", '{{denialReason: "{key}"}}'),
    ],
)
def test_a_terms_decisions_are_the_root_decisions_with_its_filter(
    root: str, root_filter: str, rich_graph: ReadOnlyGraph
) -> None:
    sort = "sort: [{field: QUANTITY, direction: DESC}, {field: ITEM, direction: ASC}]"
    nested = _data(
        f"{{ {root}(first: 6) {{ terms {{ key decisions "
        f"decisionsConnection(first: 7, {sort}) {{ totalCount edges {{ node {{ decisionId }} }} "
        f"pageInfo {{ hasNextPage }} }} }} }} }}",
        rich_graph,
    )[root]["terms"]
    assert len(nested) > 1
    for term in nested:
        connection = term["decisionsConnection"]
        flat = _data(
            f"{{ decisions(filter: {root_filter.format(key=term['key'])}, first: 7, {sort}) "
            "{ totalCount edges { node { decisionId } } pageInfo { hasNextPage } } }",
            rich_graph,
        )["decisions"]
        assert _ids(connection) == _ids(flat), term["key"]
        assert connection["totalCount"] == flat["totalCount"] == term["decisions"], term["key"]
        assert connection["pageInfo"] == flat["pageInfo"]


def test_specialty_and_section_decisions_match_cypher(rich_graph: ReadOnlyGraph, driver: Driver) -> None:
    data = _data(
        """{ specialties(first: 15) { terms { key decisionsConnection(first: 50) { totalCount edges { node { decisionId } } } } }
             guidelines(first: 3, sections: 5) { terms { sections { decisions section { key
               decisionsConnection(first: 50, filter: {outcome: UPHELD}) { totalCount edges { node { decisionId outcome } } } } } } } }""",
        rich_graph,
    )
    for term in data["specialties"]["terms"]:
        records, _, _ = driver.execute_query(
            "MATCH (:Specialty {name: $k})<-[:REVIEWER_SPECIALTY]-(:Case)-[:HAS_DECISION]->(d) "
            "RETURN collect(DISTINCT d.decision_id) AS ids",
            k=term["key"],
        )
        connection = term["decisionsConnection"]
        assert connection["totalCount"] == len(records[0]["ids"])
        assert set(_ids(connection)) <= set(records[0]["ids"])
        assert len(connection["edges"]) == min(50, len(records[0]["ids"]))
    sections = [s for g in data["guidelines"]["terms"] for s in g["sections"]]
    assert sections
    for s in sections:
        connection = s["section"]["decisionsConnection"]
        records, _, _ = driver.execute_query(
            "MATCH (:GuidelineSection {key: $k})<-[:CITES]-(d:Decision {outcome: 'UPHELD'}) "
            "RETURN count(DISTINCT d) AS n",
            k=s["section"]["key"],
        )
        assert connection["totalCount"] == records[0]["n"]
        assert len(connection["edges"]) == min(50, records[0]["n"])
        assert len(set(_ids(connection))) == len(connection["edges"])
        assert all(e["node"]["outcome"] == "UPHELD" for e in connection["edges"])


def test_a_chapters_cases_include_every_code_below_it_once(rich_graph: ReadOnlyGraph) -> None:
    chapters = _data(
        "{ diagnoses { terms { code cases casesConnection(first: 100) { totalCount edges { node { letterId } } } } } }",
        rich_graph,
    )["diagnoses"]["terms"]
    assert any(t["cases"] > 1 for t in chapters)
    for chapter in chapters:
        connection = chapter["casesConnection"]
        letters = _ids(connection, "letterId")
        assert connection["totalCount"] == chapter["cases"] == len(letters) == len(set(letters))
        flat = _data(
            f'{{ cases(filter: {{icd10: "{chapter["code"]}"}}, first: 100) {{ edges {{ node {{ letterId }} }} }} }}',
            rich_graph,
        )["cases"]
        assert letters == _ids(flat, "letterId")


def test_a_nested_filter_composes(rich_graph: ReadOnlyGraph) -> None:
    chapter = _data(
        "{ diagnoses(first: 1) { terms { code casesConnection(filter: {decisions: {some: {outcome: UPHELD}}, "
        "age: {min: 40}}, sort: {field: AGE, direction: ASC}, first: 100) { totalCount edges { node { age decisions { outcome } } } } } } }",
        rich_graph,
    )["diagnoses"]["terms"][0]
    cases = [e["node"] for e in chapter["casesConnection"]["edges"]]
    assert cases, chapter
    assert all(c["age"] >= 40 and any(d["outcome"] == "UPHELD" for d in c["decisions"]) for c in cases)
    assert [c["age"] for c in cases] == sorted(c["age"] for c in cases)


def test_each_level_runs_one_query_however_many_parents(rich_graph: ReadOnlyGraph) -> None:
    sent = len(rich_graph.queries_sent)
    data = _data(
        """{ treatments(first: 20) { terms { decisionsConnection(first: 3) { edges { node {
               citations { guideline { sections(first: 5) { decisionsConnection(first: 2) { totalCount } } } } } } } } } }""",
        rich_graph,
    )
    terms = data["treatments"]["terms"]
    assert len(terms) == 20
    guidelines = [
        c["guideline"]
        for t in terms
        for e in t["decisionsConnection"]["edges"]
        for c in e["node"]["citations"]
    ]
    assert len(guidelines) > 3 and any(g["sections"] for g in guidelines)
    # treatments, their decisions, the guidelines' sections, the sections' decisions; and at most one
    # readiness check (cached per process for a few seconds), however many parents ask for it at once,
    # and at most one read of extensions.dataset (cached alike)
    queries = rich_graph.queries_sent[sent:]
    assert len([q for q in queries if q not in (TALLIES_READY, DATASET)]) == 4
    assert queries.count(DATASET) <= 1
    assert queries.count(TALLIES_READY) <= 1


def test_aliased_nested_fields_keep_their_own_arguments_and_selection(rich_graph: ReadOnlyGraph) -> None:
    """Every parent of a nested field shares one plan, made once per response path: two aliases of
    the same field under the same parents, or under two aliases of the root, are two paths."""
    data = _data(
        """{ treatments(first: 6) { terms { key decisions upheld
               up: decisionsConnection(first: 3, filter: {outcome: UPHELD}) { totalCount edges { node { outcome } } }
               over: decisionsConnection(first: 3, filter: {outcome: OVERTURNED}) { edges { node { outcome } } }
               every: decisionsConnection(first: 2) { totalCount } } }
             again: treatments(first: 2) { terms { key decisionsConnection(first: 1) { totalCount edges { node { outcome } } } } } }""",
        rich_graph,
    )
    terms = data["treatments"]["terms"]
    assert len(terms) > 1
    for term in terms:
        assert term["up"]["totalCount"] == term["upheld"], term["key"]
        assert all(e["node"]["outcome"] == "UPHELD" for e in term["up"]["edges"]), term["key"]
        assert all(e["node"]["outcome"] == "OVERTURNED" for e in term["over"]["edges"]), term["key"]
        assert term["every"] == {"totalCount": term["decisions"]}, term["key"]
    assert any(term["over"]["edges"] for term in terms) and any(term["up"]["edges"] for term in terms)
    for term in data["again"]["terms"]:
        assert term["decisionsConnection"]["totalCount"] == next(
            t["decisions"] for t in terms if t["key"] == term["key"]
        )
        assert len(term["decisionsConnection"]["edges"]) == 1


def test_guideline_sections_by_name(rich_graph: ReadOnlyGraph, driver: Driver) -> None:
    terms = _data(
        '{ guidelines(name: "MTUS") { terms { guideline { key sections(first: 100) { key name } '
        'therapy: sections(name: "therapy") { name } } } } }',
        rich_graph,
    )["guidelines"]["terms"]
    assert terms
    for term in terms:
        g = term["guideline"]
        records, _, _ = driver.execute_query(
            "MATCH (:Guideline {key: $k})<-[:PART_OF]-(s) RETURN s.key AS key ORDER BY s.name, s.key",
            k=g["key"],
        )
        assert [s["key"] for s in g["sections"]] == [r["key"] for r in records][:100]
        assert all("therapy" in s["name"].lower() for s in g["therapy"])


def test_nested_pages_are_bounded(rich_graph: ReadOnlyGraph) -> None:
    too_deep = execute(
        "{ treatments(first: 100) { terms { decisionsConnection(first: 100) { totalCount } } } }", rich_graph
    )
    assert too_deep.errors
    assert "nested fields may ask for at most 2000 rows" in too_deep.errors[0].message
    too_wide = execute("{ states { terms { decisionsConnection(first: 101) { totalCount } } } }", rich_graph)
    assert too_wide.errors and "first may be at most 100" in too_wide.errors[0].message
    deep = execute(
        """{ decisions(first: 1) { edges { node { citations { guideline { sections { decisionsConnection {
             edges { node { citations { guideline { sections { key } } } } } } } } } } } } }""",
        rich_graph,
    )
    assert deep.errors and "exceeds maximum operation depth" in deep.errors[0].message


def test_a_nested_cursor_pages_within_its_parent(rich_graph: ReadOnlyGraph) -> None:
    term = _data(
        "{ treatments(first: 1) { terms { key decisionsConnection(first: 2) { edges { node { decisionId } } "
        "pageInfo { endCursor } } } } }",
        rich_graph,
    )["treatments"]["terms"][0]
    after = term["decisionsConnection"]["pageInfo"]["endCursor"]
    name = term["key"]
    terms = _data(
        f'{{ treatments(name: "{name}", first: 50) {{ terms {{ key decisionsConnection(first: 2, after: "{after}") '
        "{ edges { node { decisionId } } } } } }",
        rich_graph,
    )["treatments"]["terms"]
    second = next(t for t in terms if t["key"] == name)["decisionsConnection"]
    four = _data(
        f'{{ decisions(filter: {{treatment: {{equals: "{name}"}}}}, first: 4) {{ edges {{ node {{ decisionId }} }} }} }}',
        rich_graph,
    )["decisions"]
    assert _ids(term["decisionsConnection"]) + _ids(second) == _ids(four)


@pytest.mark.parametrize(
    ("root", "root_filter"),
    [
        ("treatments", 'treatment: {{equals: "{key}"}}'),
        ("treatmentClasses", 'treatmentClass: "{key}"'),
        ("states", 'licensureState: "{key}"'),
        ("specialties", 'specialty: "{key}"'),
    ],
)
@pytest.mark.parametrize("outcome", ["", "outcome: UPHELD"])
def test_date_order_pages_with_tally_totals_match_the_root_pages(
    root: str, root_filter: str, outcome: str, rich_graph: ReadOnlyGraph
) -> None:
    """In date order with a filter the tallies count, each key's total comes from the tallies and its
    page from the index walk (a key with many decisions) or a sort (few): both plans give the root
    connection's rows, pages after a cursor included."""
    n = rich_graph.read("MATCH (d:Decision) RETURN count(d) AS n")[0]["n"]
    plans = set()
    for first in (1, 3):
        terms = _data(
            f"{{ {root}(first: 8) {{ terms {{ key decisionsConnection(first: {first}, filter: {{{outcome}}}) "
            "{ totalCount edges { node { decisionId } } pageInfo { hasNextPage endCursor } } } } }",
            rich_graph,
        )[root]["terms"]
        for term in terms:
            connection, key = term["decisionsConnection"], term["key"]
            flat_filter = f"{{{root_filter.format(key=key)}, {outcome}}}"
            flat = _data(
                f"{{ decisions(filter: {flat_filter}, first: {2 * first + 1}) "
                "{ totalCount edges { node { decisionId } } } }",
                rich_graph,
            )["decisions"]
            assert connection["totalCount"] == flat["totalCount"], key
            assert _ids(connection) == _ids(flat)[:first], key
            plans.add(flat["totalCount"] ** 2 >= (first + 1) * n)
            if connection["pageInfo"]["hasNextPage"]:
                after = connection["pageInfo"]["endCursor"]
                second = _data(
                    f'{{ {root}(first: 8) {{ terms {{ key decisionsConnection(first: {first}, after: "{after}", '
                    f"filter: {{{outcome}}}) {{ edges {{ node {{ decisionId }} }} }} }} }} }}",
                    rich_graph,
                )[root]["terms"]
                page = next(t for t in second if t["key"] == key)["decisionsConnection"]
                assert _ids(page) == _ids(flat)[first : 2 * first], key
    if root == "states":
        # One state licenses most reviewers, others few.
        assert plans == {True, False}, "both plans should be exercised"


@pytest.mark.parametrize(
    "sort",
    [
        "",
        "sort: {field: AGE, direction: DESC}, ",
        "sort: {field: AGE, direction: ASC}, ",
        "sort: {field: DECISION_DATE, direction: ASC}, ",
    ],
)
def test_a_diagnosis_cases_walked_in_index_order_match_the_traversal(
    sort: str, rich_graph: ReadOnlyGraph
) -> None:
    """A diagnosis's cases with the total from the CaseTally cells and the page from a walk of the
    sort key's index (a code with many cases) or a sort (few) equal the traversal's, after a cursor too."""
    traversal = Readiness(checked_at=float("inf"), ready=False, date_order=True)

    def run(query: str, *, tallies: bool) -> Any:
        context: dict[str, Any] = {"graph": rich_graph}
        if not tallies:
            context["tally_readiness"] = traversal
        result = asyncio.run(schema.execute(query, context_value=context))
        assert result.errors is None, result.errors
        return result.data

    n = rich_graph.read("MATCH (c:Case) RETURN count(c) AS n")[0]["n"]
    walked = set()
    for first in (1, 2):
        checked = 0
        query = (
            f'{{ diagnoses(name: "e", first: 80) {{ terms {{ code cases decisions upheld casesConnection({sort}first: {first}) '
            "{ totalCount edges { node { letterId } } pageInfo { hasNextPage endCursor } } } } }"
        )
        answer = run(query, tallies=True)
        assert answer == run(query, tallies=False)
        for term in answer["diagnoses"]["terms"]:
            total = term["casesConnection"]["totalCount"]
            walked.add(total * total >= (first + 1) * n)
            end = term["casesConnection"]["pageInfo"]["endCursor"]
            # A few codes' next pages (each is one more request for all 80 codes).
            if term["casesConnection"]["pageInfo"]["hasNextPage"] and checked < 3:
                checked += 1
                # The cursor is this code's; every code's page after it is compared, as both plans must agree.
                nxt = query.replace(f"first: {first})", f'first: {first}, after: "{end}")')
                assert run(nxt, tallies=True) == run(nxt, tallies=False), term["code"]
    assert walked == {True, False}, "both plans should be exercised"
