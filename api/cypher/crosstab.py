"""Outcome rates cross-tabulated by up to three dimensions, as one Cypher query per combination.

The query is assembled from the fixed fragments below, chosen by enum values (never by user text);
each (groups, decision) pair is counted once, and a decision with several values of a dimension (two
specialties, two ingredients) counts in each, as in the one-dimension rates before.
"""

from __future__ import annotations

from functools import cache

MAX_DIMENSIONS = 3

# Dimensions with one value per decision: an expression.
SINGLE = {
    "TREATMENT": "t.name",
    "TREATMENT_CLASS": "d.treatment_class",
    "CATEGORY": "k.name",
    "YEAR": "toString(c.year)",
}
# Dimensions with any number of values per decision: a list to unwind.
MULTI = {
    "SPECIALTY": "COLLECT { MATCH (c)-[:REVIEWER_SPECIALTY]->(s) RETURN s.name }",
    "STATE": "COLLECT { MATCH (c)-[:REVIEWER_LICENSED_IN]->(s) RETURN s.code }",
    "INGREDIENT": "COLLECT { MATCH (d)-[:INVOLVES_INGREDIENT]->(i) RETURN i.name }",
    "DIAGNOSIS_CATEGORY": "COLLECT { MATCH (c)-[:HAS_DIAGNOSIS {status: 'stated'}]->(:Diagnosis)-[:IS_A*0..4]->"
    "(x:Diagnosis {level: 'category'}) RETURN DISTINCT x.code + ' ' + x.name }",
}
DIMENSIONS = (*SINGLE, *MULTI)

_DAYS = (
    "CASE WHEN c.ur_decision_date IS NOT NULL AND c.decision_date IS NOT NULL "
    "THEN duration.inDays(date(c.ur_decision_date), date(c.decision_date)).days END"
)


@cache
def outcome_rates_cypher(dimensions: tuple[str, ...]) -> str:
    """The query for these dimensions, in this order; `{where}` is the compiled filter."""
    if not 1 <= len(dimensions) <= MAX_DIMENSIONS or len(set(dimensions)) != len(dimensions):
        raise ValueError(dimensions)
    unwinds = [f"UNWIND {MULTI[dim]} AS g{i}" for i, dim in enumerate(dimensions) if dim in MULTI]
    picks = [f"{SINGLE[dim]} AS g{i}" if dim in SINGLE else f"g{i}" for i, dim in enumerate(dimensions)]
    groups = ", ".join(f"g{i}" for i in range(len(dimensions)))
    return "\n".join(
        [
            "MATCH (c:Case)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)",
            "WHERE {where}",
            *unwinds,
            f"WITH DISTINCT {', '.join(picks)}, d, c",
            f"WITH {groups}, count(d) AS decisions, count(CASE WHEN d.outcome = 'UPHELD' THEN 1 END) AS upheld,",
            "     count(CASE WHEN c.year_source = 'estimated' THEN 1 END) AS estimatedYears,",
            "     {min: min(c.age), avg: avg(c.age), max: max(c.age)} AS age,",
            "     {min: min(d.quantity), avg: avg(d.quantity), max: max(d.quantity)} AS quantity,",
            f"     {{min: min({_DAYS}), avg: avg({_DAYS}), max: max({_DAYS})}} AS days",
            f"RETURN [{groups}] AS groups, g0 AS group, decisions, upheld, decisions - upheld AS overturned,",
            "       toFloat(upheld) / decisions AS upholdRate, estimatedYears, age, quantity, days",
            "ORDER BY decisions DESC, groups",
            "LIMIT $first",
        ]
    )
