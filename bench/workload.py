"""The analytics the query and load benchmarks run: the flagship and six others, each as the GraphQL a
researcher sends and as the exact Cypher + parameters the API's resolver sends for it (recorded by
executing the GraphQL once), so GraphQL and raw Cypher are timed on identical work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.db import ReadOnlyGraph
from api.schema import execute
from api.tallies import TALLIES_READY

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
}
ANALYTICS = [name for name in OPERATIONS if name != "flagship"]


@dataclass(frozen=True)
class Operation:
    name: str
    graphql: str
    cypher: str
    params: dict[str, Any]


class _Recorder(ReadOnlyGraph):
    recorded: list[tuple[str, dict[str, Any]]]

    def read(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        self.recorded.append((cypher, params))
        return super().read(cypher, **params)


def operations(graph: ReadOnlyGraph) -> list[Operation]:
    """Every operation with the Cypher its resolver sends; fails loudly if one errors or is empty."""
    rows = graph.read("MATCH (c:Case)-[:HAS_DIAGNOSIS]->() RETURN c.letter_id AS n ORDER BY n LIMIT 1")
    case_number = str(rows[0]["n"]) if rows else "none"
    recorder = _Recorder(driver=graph.driver, database=graph.database, timeout_s=graph.timeout_s)
    out = []
    for name, text in OPERATIONS.items():
        text = text.replace("%CASE%", case_number)
        recorder.recorded = []
        result = execute(text, recorder)
        if result.errors:
            raise RuntimeError(f"{name}: {result.errors}")
        # The tallies' readiness check runs once per process, not per request: not part of the work.
        sent = [(c, p) for c, p in recorder.recorded if c != TALLIES_READY]
        assert result.data is not None and len(sent) == 1, name
        cypher, params = sent[0]
        out.append(Operation(name, text, cypher, params))
    return out
