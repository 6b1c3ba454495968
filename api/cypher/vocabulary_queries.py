"""The vocabularies' named queries: every value a filter can take, with decision counts.

Each returns one page of rows (`$skip`, `$limit`) ordered by decisions, then key, and filtered by
`$name` (a case-insensitive substring, or null for all). The lists of terms with an uphold rate also
drop terms with fewer than `$min_decisions` decisions before paging, so a page is never short of rows
that a later page holds."""

from __future__ import annotations

from api.cypher.root_queries import GUIDELINE_FIELDS, SECTION_FIELDS, cypher_map

_NAME = "($name IS NULL OR toLower({expr}) CONTAINS toLower($name))"
_PAGE = """
WHERE decisions >= $min_decisions
WITH *
ORDER BY decisions DESC, key
SKIP $skip LIMIT $limit
RETURN key, name, decisions, upheld, parent, category, description
"""

TREATMENTS = (
    f"MATCH (t:Treatment) WHERE {_NAME.format(expr='t.name')}"
    + """
CALL (t) {
  MATCH (t)<-[:FOR_TREATMENT]-(d:Decision)
  RETURN count(d) AS decisions, count(CASE WHEN d.outcome = 'UPHELD' THEN 1 END) AS upheld
}
WITH t, decisions, upheld,
     COLLECT { MATCH (t)-[:IN_CLASS]->(x) RETURN x.name }[0] AS parent,
     COLLECT { MATCH (t)-[:IN_CATEGORY]->(k) RETURN k.name }[0] AS category
WITH t.name AS key, t.name AS name, decisions, upheld, parent, category, null AS description"""
    + _PAGE
)

TREATMENT_CLASSES = (
    f"MATCH (x:TreatmentClass) WHERE {_NAME.format(expr='x.name')}"
    + """
CALL (x) {
  MATCH (d:Decision {treatment_class: x.name})
  RETURN count(d) AS decisions, count(CASE WHEN d.outcome = 'UPHELD' THEN 1 END) AS upheld
}
WITH x, decisions, upheld, COLLECT { MATCH (x)-[:OF_CATEGORY]->(k) RETURN k.name }[0] AS category
WITH x.name AS key, x.name AS name, decisions, upheld, x.subcategory AS parent, category,
     null AS description"""
    + _PAGE
)

SPECIALTIES = (
    f"MATCH (s:Specialty) WHERE {_NAME.format(expr='s.name')}"
    + """
CALL (s) {
  MATCH (s)<-[:REVIEWER_SPECIALTY]-(:Case)-[:HAS_DECISION]->(d:Decision)
  RETURN count(DISTINCT d) AS decisions, count(DISTINCT CASE WHEN d.outcome = 'UPHELD' THEN d END) AS upheld
}
WITH s.name AS key, s.name AS name, decisions, upheld, null AS parent, null AS category,
     s.kind AS description"""
    + _PAGE
)

STATES = (
    f"MATCH (s:State) WHERE {_NAME.format(expr='s.code')}"
    + """
CALL (s) {
  MATCH (s)<-[:REVIEWER_LICENSED_IN]-(:Case)-[:HAS_DECISION]->(d:Decision)
  RETURN count(DISTINCT d) AS decisions, count(DISTINCT CASE WHEN d.outcome = 'UPHELD' THEN d END) AS upheld
}
WITH s.code AS key, s.code AS name, decisions, upheld, null AS parent, null AS category, null AS description"""
    + _PAGE
)

DENIAL_REASON_CODES = (
    f"MATCH (x:DenialReason) WHERE {_NAME.format(expr='x.code')}"
    + """
CALL (x) { MATCH (x)<-[:DENIED_BECAUSE]-(d:Decision) RETURN count(DISTINCT d) AS decisions }
WITH x.code AS key, x.code AS name, decisions, decisions AS upheld, null AS parent, null AS category,
     x.description AS description"""
    + _PAGE
)


def _from_tallies(query: str, traversal: str, cells: str, cell: str = "x") -> str:
    """A vocabulary's query with its counting block replaced by a sum over its tally cells: each
    decision is in one OutcomeTally cell per anchor value, so the sums equal the traversal's distinct
    counts, read from a few cells per term."""
    assert traversal in query
    return query.replace(
        traversal,
        f"OPTIONAL MATCH ({cell}:{cells})\n  RETURN coalesce(sum({cell}.decisions), 0) AS decisions, "
        f"coalesce(sum({cell}.upheld), 0) AS upheld",
    )


# Per vocabulary query, the tally-backed one, used once the tallies cover the graph.
FROM_TALLIES = {
    TREATMENTS: _from_tallies(
        TREATMENTS,
        """MATCH (t)<-[:FOR_TREATMENT]-(d:Decision)
  RETURN count(d) AS decisions, count(CASE WHEN d.outcome = 'UPHELD' THEN 1 END) AS upheld""",
        "OutcomeTally {cube: 'TREATMENT', anchor: t.name}",
    ),
    TREATMENT_CLASSES: _from_tallies(
        TREATMENT_CLASSES,
        """MATCH (d:Decision {treatment_class: x.name})
  RETURN count(d) AS decisions, count(CASE WHEN d.outcome = 'UPHELD' THEN 1 END) AS upheld""",
        "OutcomeTally {cube: 'BASE', anchor: '', treatment_class: x.name}",
        cell="y",
    ),
    SPECIALTIES: _from_tallies(
        SPECIALTIES,
        """MATCH (s)<-[:REVIEWER_SPECIALTY]-(:Case)-[:HAS_DECISION]->(d:Decision)
  RETURN count(DISTINCT d) AS decisions, count(DISTINCT CASE WHEN d.outcome = 'UPHELD' THEN d END) AS upheld""",
        "OutcomeTally {cube: 'SPECIALTY', anchor: s.name}",
    ),
    STATES: _from_tallies(
        STATES,
        """MATCH (s)<-[:REVIEWER_LICENSED_IN]-(:Case)-[:HAS_DECISION]->(d:Decision)
  RETURN count(DISTINCT d) AS decisions, count(DISTINCT CASE WHEN d.outcome = 'UPHELD' THEN d END) AS upheld""",
        "OutcomeTally {cube: 'STATE', anchor: s.code}",
    ),
}


GUIDELINES = (
    f"MATCH (g:Guideline) WHERE {_NAME.format(expr='g.title')} OR g.key = $name OR g.family = $name"
    + """
CALL (g) {
  MATCH (g)<-[:PART_OF]-(:GuidelineSection)<-[:CITES]-(d:Decision)
  RETURN count(DISTINCT d) AS decisions, count(DISTINCT CASE WHEN d.outcome = 'UPHELD' THEN d END) AS upheld
}
WITH g, g.key AS key, decisions, upheld
ORDER BY decisions DESC, key
SKIP $skip LIMIT $limit
RETURN key, decisions, upheld,
       """
    + cypher_map(GUIDELINE_FIELDS)
    + """ AS guideline,
       COLLECT {
         MATCH (g)<-[:PART_OF]-(s:GuidelineSection)<-[:CITES]-(d:Decision)
         WITH s, count(DISTINCT d) AS n ORDER BY n DESC, s.name LIMIT toInteger($sections)
         RETURN {section: """
    + cypher_map(SECTION_FIELDS)
    + """, decisions: n}
       } AS sections
"""
)

# Without a code: the chapters (or, with a name, any code whose name matches); with a code: its
# children. Each row names its parent, so a client walks up and down the hierarchy.
_DIAGNOSES_MATCH = """
MATCH (x:Diagnosis)
WHERE CASE WHEN $code IS NULL
           THEN ($name IS NULL AND x.level = 'chapter') OR ($name IS NOT NULL AND toLower(x.name) CONTAINS toLower($name))
           ELSE EXISTS { (x)-[:IS_A]->(:Diagnosis {code: $code}) } END"""
_DIAGNOSES_PAGE = """
WITH x, x.code AS key, cases, decisions, upheld
ORDER BY decisions DESC, key
SKIP $skip LIMIT $limit
RETURN key, x.name AS name, x.level AS level, cases, decisions, upheld,
       COLLECT { MATCH (x)-[:IS_A]->(p) RETURN p.code }[0] AS parent,
       COLLECT { MATCH (x)<-[:IS_A]-(ch) RETURN ch.code ORDER BY ch.code } AS children
"""

DIAGNOSES = (
    _DIAGNOSES_MATCH
    + """
CALL (x) {
  MATCH (x)<-[:IS_A*0..6]-(:Diagnosis)<-[:HAS_DIAGNOSIS {status: 'stated'}]-(c:Case)
  WITH DISTINCT c
  OPTIONAL MATCH (c)-[:HAS_DECISION]->(d:Decision)
  RETURN count(DISTINCT c) AS cases, count(d) AS decisions,
         count(CASE WHEN d.outcome = 'UPHELD' THEN 1 END) AS upheld
}"""
    + _DIAGNOSES_PAGE
)

# The same counts summed from the tallies (a code's cases from CaseTally, its decisions from the
# OutcomeTally DIAGNOSIS cube, both over stated codes at every level): a few cells per code instead
# of every case below a chapter.
DIAGNOSES_FROM_TALLIES = (
    _DIAGNOSES_MATCH
    + """
CALL (x) {
  OPTIONAL MATCH (t:CaseTally {cube: 'DIAGNOSIS', anchor: x.code})
  RETURN coalesce(sum(t.cases), 0) AS cases
}
CALL (x) {
  OPTIONAL MATCH (t:OutcomeTally {cube: 'DIAGNOSIS', anchor: x.code})
  RETURN coalesce(sum(t.decisions), 0) AS decisions, coalesce(sum(t.upheld), 0) AS upheld
}"""
    + _DIAGNOSES_PAGE
)
