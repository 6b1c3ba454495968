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
DIAGNOSES = """
MATCH (x:Diagnosis)
WHERE CASE WHEN $code IS NULL
           THEN ($name IS NULL AND x.level = 'chapter') OR ($name IS NOT NULL AND toLower(x.name) CONTAINS toLower($name))
           ELSE EXISTS { (x)-[:IS_A]->(:Diagnosis {code: $code}) } END
CALL (x) {
  MATCH (x)<-[:IS_A*0..6]-(:Diagnosis)<-[:HAS_DIAGNOSIS {status: 'stated'}]-(c:Case)
  WITH DISTINCT c
  OPTIONAL MATCH (c)-[:HAS_DECISION]->(d:Decision)
  RETURN count(DISTINCT c) AS cases, count(d) AS decisions,
         count(CASE WHEN d.outcome = 'UPHELD' THEN 1 END) AS upheld
}
WITH x, x.code AS key, cases, decisions, upheld
ORDER BY decisions DESC, key
SKIP $skip LIMIT $limit
RETURN key, x.name AS name, x.level AS level, cases, decisions, upheld,
       COLLECT { MATCH (x)-[:IS_A]->(p) RETURN p.code }[0] AS parent,
       COLLECT { MATCH (x)<-[:IS_A]-(ch) RETURN ch.code ORDER BY ch.code } AS children
"""
