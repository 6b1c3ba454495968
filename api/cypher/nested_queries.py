"""The named queries of the nested fields (a vocabulary term's decisions, a diagnosis's cases, a
guideline's sections, a section's decisions): each serves every parent of one level at once,
`UNWIND $keys AS key`, and returns one row per key with that key's page.

`{anchor}` is one of the fixed patterns below, bound to `key`; `{where}`, `{seek}`, `{order}` and
`{sort_values}` are filled as in the root page templates (api/cypher/root_queries.py); `{total}` is a count of
the key's rows when the client selects totalCount, else null."""

from __future__ import annotations

from api.cypher.root_queries import CASE_PROJECTION, DECISION_PROJECTION, SECTION_FIELDS, cypher_map

# The decisions of a vocabulary term: each pattern binds c, d, t, k, one row per decision.
_DECISION_SHAPE = "(c:Case)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)"
DECISION_ANCHORS = {
    "treatment": "MATCH (t:Treatment {name: key})<-[:FOR_TREATMENT]-(d:Decision)<-[:HAS_DECISION]-(c:Case)"
    "\nMATCH (t)-[:IN_CATEGORY]->(k)",
    "treatment_class": "MATCH (c:Case)-[:HAS_DECISION]->(d:Decision {treatment_class: key})"
    "-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)",
    "specialty": "MATCH (:Specialty {name: key})<-[:REVIEWER_SPECIALTY]-" + _DECISION_SHAPE,
    "state": "MATCH (:State {code: key})<-[:REVIEWER_LICENSED_IN]-" + _DECISION_SHAPE,
    # A decision may give a reason, or cite a section, more than once (several spans or voices).
    "denial_reason": "MATCH (:DenialReason {code: key})<-[:DENIED_BECAUSE]-(x:Decision)\nWITH DISTINCT x AS d"
    "\nMATCH (c:Case)-[:HAS_DECISION]->(d)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)",
    "section": "MATCH (:GuidelineSection {key: key})<-[:CITES]-(x:Decision)\nWITH DISTINCT x AS d"
    "\nMATCH (c:Case)-[:HAS_DECISION]->(d)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)",
}

# The cases of a diagnosis: coded at it or anywhere below it in the ICD-10-CM hierarchy, each once.
CASE_ANCHORS = {
    "diagnosis": "MATCH (:Diagnosis {code: key})<-[:IS_A*0..6]-(:Diagnosis)"
    "<-[:HAS_DIAGNOSIS {status: 'stated'}]-(x:Case)"
    "\nWITH DISTINCT x AS c",
}

DECISIONS_OF = (
    """
UNWIND $keys AS key
CALL (key) {
  {anchor}
  WITH c, d, t, k WHERE {where} AND {seek}
  WITH c, d, t, k ORDER BY {order} LIMIT $limit
  RETURN collect({node: """
    + DECISION_PROJECTION
    + """, sortKey: {sort_values}}) AS rows
}
{total}
RETURN key, rows, total
"""
)
DECISIONS_TOTAL = """CALL (key) {
  {anchor}
  WITH c, d, t, k WHERE {where}
  RETURN count(*) AS total
}"""

CASES_OF = (
    """
UNWIND $keys AS key
CALL (key) {
  {anchor}
  WITH c WHERE {where} AND {seek}
  WITH c ORDER BY {order} LIMIT $limit
  RETURN collect({node: """
    + CASE_PROJECTION
    + """, sortKey: {sort_values}}) AS rows
}
{total}
RETURN key, rows, total
"""
)
CASES_TOTAL = """CALL (key) {
  {anchor}
  WITH c WHERE {where}
  RETURN count(*) AS total
}"""

NO_TOTAL = "WITH key, rows, null AS total"

# A case's whole normalized text, for the cases of one response at once.
TEXT_OF = """
UNWIND $keys AS key
MATCH (c:Case {letter_id: key})
RETURN key, [{text: c.text}] AS rows, null AS total
"""

# A guideline's sections by name (a name filter narrows a long table of contents).
SECTIONS_OF = f"""
UNWIND $keys AS key
CALL (key) {{
  MATCH (:Guideline {{key: key}})<-[:PART_OF]-(s:GuidelineSection)
  WHERE $name IS NULL OR toLower(s.name) CONTAINS toLower($name)
  WITH s ORDER BY s.name, s.key LIMIT $limit
  RETURN collect({cypher_map(SECTION_FIELDS)}) AS rows
}}
RETURN key, rows, null AS total
"""
