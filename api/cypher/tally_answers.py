"""Answers read from the loader's tallies (graph_loader/graph/tallies.py) when they cover the question, the
traversal otherwise. Which combinations are covered is decided here, and docs/queries.md lists them.

Covered:
- guidelineCitationStats: every call with at most one diagnosis code (a phrase resolving to one code,
  or `icd10`), any outcome, voice, grouping and year.
- outcomeRates: no filter; one to three dimensions of which at most one is among TREATMENT,
  SPECIALTY, STATE, INGREDIENT and DIAGNOSIS_CATEGORY (the rest: YEAR, CATEGORY, TREATMENT_CLASS);
  counts, rates and averages. A query selecting `min` or `max` runs the traversal: extremes cannot be
  kept under subtraction.
- denialReasons: no filter, or a treatment, a category, or one diagnosis code (treatment and diagnosis
  together run the traversal); the example sentences come from the decisions in the same query.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from api.cypher.db import ReadOnlyGraph
from api.cypher.filters import CLEAN
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.tallies import (
    BASE_CUBE,
    DIAGNOSIS_CUBE,
    INGREDIENT_CUBE,
    SPECIALTY_CUBE,
    STATE_CUBE,
    TREATMENT_CUBE,
)

JOURNAL_LABEL = GRAPH.node("TallyJournal").label
# outcomeRates dimensions every cube carries, and the ones answered by a cube of their own (a
# diagnosis category is the DIAGNOSIS cube's category-level anchors).
BASE_DIMENSIONS = {
    "YEAR": "toString(t.year)",
    "CATEGORY": "t.category",
    "TREATMENT_CLASS": "t.treatment_class",
}
ANCHOR_CUBES = {
    "TREATMENT": TREATMENT_CUBE,
    "SPECIALTY": SPECIALTY_CUBE,
    "STATE": STATE_CUBE,
    "INGREDIENT": INGREDIENT_CUBE,
    "DIAGNOSIS_CATEGORY": DIAGNOSIS_CUBE,
}

# The tallies are complete when every decision in the graph is counted in the BASE cube and no batch
# of the incremental loader waits in the tally journal (graph_loader/load/tally_journal.py): a graph
# loaded by a version before tallies (or half re-loaded since), or in the middle of a load, is
# answered by traversal. Pages in date order read Case.decision_date_order, which letters loaded
# before graph model 7 lack (an index on graph_model makes that check a seek).
TALLIES_READY = f"""
CALL () {{ MATCH (d:Decision) RETURN count(d) AS decisions }}
CALL () {{ MATCH (t:OutcomeTally {{cube: '{BASE_CUBE}'}}) RETURN coalesce(sum(t.decisions), 0) AS counted }}
CALL () {{ MATCH (c:Case) RETURN count(c) AS cases }}
CALL () {{ MATCH (t:CaseTally {{cube: '{BASE_CUBE}'}}) RETURN coalesce(sum(t.cases), 0) AS cases_counted }}
WITH *, NOT EXISTS {{ MATCH (:{JOURNAL_LABEL}) }} AS folded
RETURN folded AND decisions = counted AS ready, folded AND cases = cases_counted AS cases_ready,
       NOT EXISTS {{ MATCH (c:Case) WHERE c.graph_model < $date_order_model }} AS date_order
"""
DATE_ORDER_MODEL = 7
READY_TTL_S = 10.0


@dataclass
class Readiness:
    """Whether the tallies cover the graph and every case has its date order, asked at most every
    READY_TTL_S seconds per API process (a load's journal makes the answer false until its fold, so
    a stale answer can use the tallies for up to READY_TTL_S seconds after a batch commits)."""

    checked_at: float = field(default=-1e9)
    ready: bool = False
    date_order: bool = False
    # The CaseTally cells count every case (a graph loaded since graph model 9).
    cases_ready: bool = False
    # The check in flight, so the many resolvers of one request that ask at once send one query.
    _pending: asyncio.Task[None] | None = field(default=None, repr=False)

    async def check(self, graph: ReadOnlyGraph) -> Readiness:
        if time.monotonic() - self.checked_at > READY_TTL_S:
            pending = self._pending
            if pending is None or pending.done() or pending.get_loop() is not asyncio.get_running_loop():
                pending = self._pending = asyncio.ensure_future(self._ask(graph))
            await asyncio.shield(pending)
        return self

    async def _ask(self, graph: ReadOnlyGraph) -> None:
        rows = await graph.aread(TALLIES_READY, date_order_model=DATE_ORDER_MODEL)
        self.ready = bool(rows and rows[0]["ready"])
        self.date_order = bool(rows and rows[0]["date_order"])
        self.cases_ready = bool(rows and rows[0]["cases_ready"])
        self.checked_at = time.monotonic()


def readiness_of(graph: ReadOnlyGraph) -> Readiness:
    """The graph connection's own readiness record, so its answer is shared by every request."""
    return _READINESS.setdefault(id(graph), Readiness())


# One per graph connection (an API process has one).
_READINESS: dict[int, Readiness] = {}


def outcome_cube(dimensions: tuple[str, ...]) -> str | None:
    """The cube that answers these dimensions, or None when two of them would need their own."""
    anchors = [d for d in dimensions if d in ANCHOR_CUBES]
    if len(anchors) > 1 or any(d not in BASE_DIMENSIONS and d not in ANCHOR_CUBES for d in dimensions):
        return None
    return ANCHOR_CUBES[anchors[0]] if anchors else BASE_CUBE


@cache
def outcome_rates_tally_cypher(dimensions: tuple[str, ...]) -> str:
    """Sums over one cube's cells; the same columns as crosstab.outcome_rates_cypher."""
    picks = []
    for i, dim in enumerate(dimensions):
        if dim in BASE_DIMENSIONS:
            picks.append(f"{BASE_DIMENSIONS[dim]} AS g{i}")
        elif dim == "DIAGNOSIS_CATEGORY":
            picks.append(f"x.code + ' ' + x.name AS g{i}")
        else:
            picks.append(f"t.anchor AS g{i}")
    groups = ", ".join(f"g{i}" for i in range(len(dimensions)))

    def avg(name: str) -> str:
        return (
            f"{{min: null, avg: CASE WHEN {name}_n > 0 THEN toFloat({name}_sum) / {name}_n END, max: null}}"
        )

    return "\n".join(
        [
            "MATCH (t:OutcomeTally {cube: $cube})",
            *(
                ["MATCH (x:Diagnosis {code: t.anchor}) WHERE x.level = 'category'"]
                if "DIAGNOSIS_CATEGORY" in dimensions
                else []
            ),
            f"WITH {', '.join(picks)}, t",
            f"WITH {groups}, sum(t.decisions) AS decisions, sum(t.upheld) AS upheld,",
            "     sum(t.estimated_years) AS estimatedYears,",
            "     sum(t.age_sum) AS age_sum, sum(t.age_n) AS age_n,",
            "     sum(t.quantity_sum) AS quantity_sum, sum(t.quantity_n) AS quantity_n,",
            "     sum(t.days_sum) AS days_sum, sum(t.days_n) AS days_n",
            f"RETURN [{groups}] AS groups, g0 AS group, decisions, upheld, decisions - upheld AS overturned,",
            "       toFloat(upheld) / decisions AS upholdRate, estimatedYears,",
            f"       {avg('age')} AS age, {avg('quantity')} AS quantity, {avg('days')} AS days",
            "ORDER BY decisions DESC, groups",
            "LIMIT $first",
        ]
    )


# Reasons by treatment (name contains, case-insensitive, as the traversal's filter), category, or
# one diagnosis code; the examples come from that reason's decisions under the same filter, stopping
# at `$examples`.
DENIAL_REASONS_FROM_TALLIES = """
MATCH (t:ReasonTally {cube: $cube})
WHERE ($anchor IS NULL OR t.anchor = $anchor)
  AND ($treatment IS NULL OR toLower(t.anchor) CONTAINS toLower($treatment))
  AND ($category IS NULL OR t.category = $category)
WITH t.reason AS code, sum(t.decisions) AS decisions
ORDER BY decisions DESC, code
LIMIT $first
MATCH (x:DenialReason {code: code})
CALL (x) {
  MATCH (x)<-[r:DENIED_BECAUSE]-(d:Decision)<-[:HAS_DECISION]-(c:Case)
  MATCH (d)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)
  WHERE {where}
  WITH c, r LIMIT $examples
  RETURN collect({letterId: c.letter_id, caseNumber: c.case_number, span: r.span,
                  text: substring(c.text, r.span[0], r.span[1] - r.span[0])}) AS examples
}
RETURN x.code AS code, x.description AS description, x.example AS example, decisions, examples
ORDER BY decisions DESC, code
"""


def denial_reasons_tally_params(
    code: str | None, treatment: str | None, category: str | None
) -> dict[str, Any]:
    """The parameters of DENIAL_REASONS_FROM_TALLIES: the reasons of one diagnosis code from its cube,
    else those by treatment (all of them without a treatment)."""
    return {
        "cube": TREATMENT_CUBE if code is None else DIAGNOSIS_CUBE,
        "anchor": code,
        "treatment": treatment,
        "category": category,
    }


# Decision filters whose count is a sum over one OutcomeTally cube: outcome, category, class and year
# range, plus at most one of a diagnosis code, an ingredient, a licensure state or a treatment name
# (each decision has at most one cell per anchor value, so the sum counts it once).
_TOTAL_FIELDS = {
    "outcome",
    "category",
    "treatment_class",
    "year",
    "icd10",
    "ingredient",
    "licensure_state",
    "treatment",
}


def tally_total_params(f: Any) -> dict[str, Any] | None:
    """The parameters of DECISIONS_TOTAL_FROM_TALLIES for this filter, or None when it is not covered."""
    if f is None:
        return _total(cube=BASE_CUBE)
    # The tallies count stated diagnoses only; includeUncertain walks the cases.
    set_fields = {
        name for name, value in vars(f).items() if value is not None and name != "include_uncertain"
    }
    if f.include_uncertain or not set_fields <= _TOTAL_FIELDS:
        return None
    anchors = set_fields & {"icd10", "ingredient", "licensure_state", "treatment"}
    if len(anchors) > 1:
        return None
    out = _total(cube=BASE_CUBE)
    if f.treatment is not None:
        t = f.treatment
        if t.in_ is not None or t.is_null is not None or t.starts_with is not None:
            return None
        out |= {"tally_cube": TREATMENT_CUBE, "tally_anchor": t.equals, "tally_contains": t.contains}
    elif f.icd10 is not None:
        out |= {"tally_cube": DIAGNOSIS_CUBE, "tally_anchor": f.icd10}
    elif f.ingredient is not None:
        out |= {"tally_cube": INGREDIENT_CUBE, "tally_anchor": CLEAN["ingredient"](f.ingredient)}
    elif f.licensure_state is not None:
        out |= {"tally_cube": STATE_CUBE, "tally_anchor": CLEAN["licensure_state"](f.licensure_state)}
    out |= {
        "tally_outcome": f.outcome.value if f.outcome else None,
        "tally_category": f.category.value if f.category else None,
        "tally_class": f.treatment_class,
        "tally_year_min": f.year.min if f.year else None,
        "tally_year_max": f.year.max if f.year else None,
    }
    return out


def _total(cube: str) -> dict[str, Any]:
    return dict.fromkeys(
        (
            "tally_anchor",
            "tally_contains",
            "tally_outcome",
            "tally_category",
            "tally_class",
            "tally_year_min",
            "tally_year_max",
        )
    ) | {"tally_cube": cube}
