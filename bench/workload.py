"""The analytics the query and load benchmarks run: the flagship and others, each as the GraphQL a
researcher sends and as the exact Cypher + parameters the API's resolvers send for it (recorded by
executing the GraphQL once: one statement per root field, plus one per level of nested fields), so
GraphQL and raw Cypher are timed on identical work. Deep pages are timed both ways: the keyset page
the API sends, and the SKIP query an offset cursor would cost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.cypher.db import ReadOnlyGraph
from api.cypher.root_queries import DATASET
from api.cypher.tally_answers import TALLIES_READY
from api.graphql.schema import execute

FLAGSHIP = """{ guidelineCitationStats(diagnosis: "lumbar radiculopathy", outcome: UPHELD, citedBy: IMR_REVIEWER) {
  guideline { family title url } section pages url decisions share } }"""

OPERATIONS: dict[str, str] = {
    "flagship": FLAGSHIP,
    "outcome_rates_by_category": "{ outcomeRates(groupBy: CATEGORY) { group decisions upheld upholdRate } }",
    "outcome_rates_by_specialty": "{ outcomeRates(groupBy: SPECIALTY) { group decisions upholdRate } }",
    "denial_reasons_physical_therapy": """{ denialReasons(treatment: "Physical therapy") {
      code description decisions examples { text source { letterId span } } } }""",
    "decisions_m54_upheld_page": """{ decisions(filter: {icd10: "M54", outcome: UPHELD}, first: 20) {
      totalCount edges { cursor node { item outcome treatment category } } pageInfo { hasNextPage } } }""",
    "search_rationales": """{ searchRationales(text: "functional improvement", first: 20) {
      score decision { item outcome } } }""",
    "similar_cases": """{ similarCases(caseNumber: "%CASE%", first: 10) { letterId score shared } }""",
    "nested_treatments_decisions": """{ treatments(first: 20) { terms { name
      decisionsConnection(first: 5, filter: {outcome: UPHELD}) { totalCount edges { node { item outcome } } } } } }""",
    "nested_chapters_cases": """{ diagnoses { terms { code
      casesConnection(first: 5, sort: {field: AGE, direction: DESC}) { totalCount edges { node { letterId age } } } } } }""",
    "decisions_page_50_keyset": """{ decisions(first: 20, after: "%PAGE50%") {
      edges { cursor node { item outcome treatment category } } pageInfo { hasNextPage } } }""",
    "decisions_m54_upheld_page_50_keyset": """{ decisions(filter: {icd10: "M54", outcome: UPHELD}, first: 20,
      after: "%PAGE50_M54%") {
      edges { cursor node { item outcome treatment category } } pageInfo { hasNextPage } } }""",
}
# The filters of the deep pages, by their placeholder.
DEEP_FILTERS = {"%PAGE50%": "", "%PAGE50_M54%": 'filter: {icd10: "M54", outcome: UPHELD}, '}
DEEP_PAGE = 50
PAGE_SIZE = 20
# The mix issue 15 set its load target on: the flagship and the six analytics, without the nested
# pages and the deep page, which the benchmark times on their own.
CORE_MIX = tuple(
    name for name, text in OPERATIONS.items() if not name.startswith("nested_") and "%PAGE50" not in text
)


@dataclass(frozen=True)
class Operation:
    name: str
    graphql: str
    statements: tuple[tuple[str, dict[str, Any]], ...]


class _Recorder(ReadOnlyGraph):
    recorded: list[tuple[str, dict[str, Any]]]

    def read(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        self.recorded.append((cypher, params))
        return super().read(cypher, **params)


def deep_cursor(
    graph: ReadOnlyGraph, page: int = DEEP_PAGE, size: int = PAGE_SIZE, filter: str = ""
) -> str | None:
    """The `after` cursor of decision page `page` (default sort, `filter` a GraphQL filter argument
    with its trailing comma), walked to with pages of 100; None when the corpus has fewer pages."""
    rows_before, after = (page - 1) * size, None
    while rows_before > 0:
        first = min(rows_before, 100)
        cursor = f', after: "{after}"' if after else ""
        result = execute(
            f"{{ decisions({filter}first: {first}{cursor}) {{ pageInfo {{ endCursor hasNextPage }} }} }}",
            graph,
        )
        assert result.data is not None, result.errors
        info = result.data["decisions"]["pageInfo"]
        if not info["hasNextPage"]:
            return None
        after, rows_before = info["endCursor"], rows_before - first
    return after


def offset_equivalent(
    op: Operation, page: int = DEEP_PAGE, size: int = PAGE_SIZE
) -> tuple[str, dict[str, Any]]:
    """The deep keyset page's statement as an offset cursor would have run it: no seek, SKIP the rows."""
    from api.cypher.keyset import decision_ordering
    from api.cypher.pagination import render
    from api.cypher.root_queries import DECISIONS_PAGE

    ordering = decision_ordering(None)
    cypher = render(
        DECISIONS_PAGE.replace("LIMIT $limit", "SKIP $skip LIMIT $limit"), "true", "true", ordering
    )
    keyset_params = op.statements[0][1]
    return cypher, {
        "skip": (page - 1) * size,
        "limit": keyset_params["limit"],
        "selected": keyset_params["selected"],
    }


def operations(graph: ReadOnlyGraph) -> list[Operation]:
    """Every operation with the Cypher its resolvers send; fails loudly if one errors or is empty.
    The deep page is left out on a corpus too small to have it."""
    rows = graph.read("MATCH (c:Case)-[:HAS_DIAGNOSIS]->() RETURN c.letter_id AS n ORDER BY n LIMIT 1")
    case_number = str(rows[0]["n"]) if rows else "none"
    deep = {placeholder: deep_cursor(graph, filter=f) for placeholder, f in DEEP_FILTERS.items()}
    recorder = _Recorder(driver=graph.driver, database=graph.database, timeout_s=graph.timeout_s)
    out = []
    for name, text in OPERATIONS.items():
        placeholder = next((p for p in deep if p in text), None)
        if placeholder is not None:
            cursor = deep[placeholder]
            if cursor is None:
                continue
            text = text.replace(placeholder, cursor)
        text = text.replace("%CASE%", case_number)
        recorder.recorded = []
        result = execute(text, recorder)
        if result.errors:
            raise RuntimeError(f"{name}: {result.errors}")
        # The tallies' readiness check and the dataset block are asked once per process (the dataset
        # again every few seconds), not per request: not part of the work.
        sent = tuple((c, p) for c, p in recorder.recorded if c not in (TALLIES_READY, DATASET))
        expected = 2 if name.startswith("nested_") else 1
        assert result.data is not None and len(sent) == expected, (name, len(sent))
        out.append(Operation(name, text, sent))
    return out
