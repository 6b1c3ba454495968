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

# The cases of a diagnosis without a filter: the CaseTally cells give each code's total, and a code
# with many cases walks the index of the first sort key in order, testing each case's own list of
# codes (diagnosis_codes: its stated codes and their ancestors, what the IS_A walk finds), and stops
# when the page is full; a code with few is found by traversal and sorted. The walk skips cases
# without the key's value, so it is taken only where the tallies say the code has none (Cypher
# sorts nulls first when descending). `{walk}` is the key's walk (CASE_WALKS), `{with_prop}` the
# tally counter of cases with a value (WALKABLE_CASE_KEYS).
WALKABLE_CASE_KEYS = {"DECISION_DATE": "with_decision_date", "AGE": "with_age"}
CASE_WALKS = {
    # Dates are nearly unique: the index is read in order, and the few cases of one date sorted.
    "DECISION_DATE": """MATCH (c:Case) USING INDEX c:Case(decision_date)
    WHERE c.decision_date > CASE WHEN walk THEN '' ELSE null END
      AND key IN c.diagnosis_codes AND {seek}
    WITH c ORDER BY {order} LIMIT $limit
    RETURN c""",
    # Ages repeat (twenty thousand cases share one at 1M letters), and the tiebreak (letter id) would
    # have every case of the first age read and sorted: instead one age at a time, from the
    # (age, letter_id) index in letter id order, stopping when the page is full. `{ages}` runs from the
    # first age of the order to the last: range(top, bottom, -1) descending, range(bottom, top) ascending.
    "AGE": """CALL (walk) {
      MATCH (c:Case) WHERE c.age >= CASE WHEN walk THEN 0 ELSE null END
      RETURN c.age AS bottom ORDER BY c.age LIMIT 1
    }
    CALL (walk) {
      MATCH (c:Case) WHERE c.age >= CASE WHEN walk THEN 0 ELSE null END
      RETURN c.age AS top ORDER BY c.age DESC LIMIT 1
    }
    UNWIND {ages} AS age
    CALL (key, age) {
      MATCH (c:Case) WHERE c.age = age AND c.letter_id > '' AND key IN c.diagnosis_codes AND {seek}
      WITH c ORDER BY c.age, c.letter_id LIMIT $limit
      RETURN c
    }
    WITH c LIMIT $limit
    RETURN c""",
}
AGES = {True: "range(top, bottom, -1)", False: "range(bottom, top)"}
CASES_OF_WALKED = (
    """
UNWIND $keys AS key
CALL (key) {
  MATCH (x:CaseTally {cube: 'DIAGNOSIS', anchor: key})
  RETURN coalesce(sum(x.cases), 0) AS total, coalesce(sum(x.{with_prop}), 0) AS valued
}
WITH key, total, total = valued AND total * total >= $limit * COUNT { (:Case) } AS walk
CALL (key, walk) {
  CALL (key, walk) {
    {walk}
    UNION ALL
    UNWIND CASE WHEN walk THEN [] ELSE [key] END AS narrow
    {anchor}
    WITH c WHERE {seek}
    WITH c ORDER BY {order} LIMIT $limit
    RETURN c
  }
  WITH c ORDER BY {order}
  RETURN collect({node: """
    + CASE_PROJECTION
    + """, sortKey: {sort_values}}) AS rows
}
RETURN key, rows, total
"""
)

# In date order, the decisions of a treatment, class, specialty or state whose filter the tallies
# count: the tallies give each key's total, and the total picks its plan, as the root page's does
# (root_queries.DECISIONS_IN_DATE_ORDER_WITH_TALLY_TOTAL). A key with many matches walks the
# decision_date_order index newest first and stops when its page is full (about N / total cases per
# row); a key with few is found by traversal and sorted (total rows). The walk is taken where it reads
# fewer rows: total * total >= page * N. Both costs stay flat in the corpus' size where it matters:
# a broad key walks a few cases, a narrow one sorts a few rows.
# Per vocabulary: the OutcomeTally cells of the key, and the key's test on one case's decision.
TALLY_CELLS_OF = {
    "treatment": "x.cube = 'TREATMENT' AND x.anchor = key",
    "specialty": "x.cube = 'SPECIALTY' AND x.anchor = key",
    "state": "x.cube = 'STATE' AND x.anchor = key",
    "treatment_class": "x.cube = $tally_cube AND x.anchor = $tally_anchor AND x.treatment_class = key",
}
WALK_TEST = {
    "treatment": "t.name = key",
    "specialty": "EXISTS { (c)-[:REVIEWER_SPECIALTY]->(:Specialty {name: key}) }",
    "state": "EXISTS { (c)-[:REVIEWER_LICENSED_IN]->(:State {code: key}) }",
    "treatment_class": "d.treatment_class = key",
}
DECISIONS_OF_IN_DATE_ORDER = (
    """
UNWIND $keys AS key
CALL (key) {
  MATCH (x:OutcomeTally)
  WHERE {cells}
    AND ($tally_category IS NULL OR x.category = $tally_category)
    AND ($tally_class IS NULL OR x.treatment_class = $tally_class)
    AND ($tally_year_min IS NULL OR x.year >= $tally_year_min)
    AND ($tally_year_max IS NULL OR x.year <= $tally_year_max)
  RETURN coalesce(sum(CASE $tally_outcome WHEN 'UPHELD' THEN x.upheld WHEN 'OVERTURNED' THEN x.overturned
                      ELSE x.decisions END), 0) AS total
}
WITH key, total, total * total >= $limit * COUNT { (:Decision) } AS walk
CALL (key, walk) {
  CALL (key, walk) {
    MATCH (c:Case) USING INDEX c:Case(decision_date_order)
    WHERE c.decision_date_order >= CASE WHEN walk THEN '' ELSE '\\uffff' END
    CALL (c, key) {
      MATCH (c)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)
      WHERE {walk_test} AND {where} AND {seek}
      RETURN d, t, k
    }
    WITH c, d, t, k ORDER BY {order} LIMIT $limit
    RETURN c, d, t, k
    UNION ALL
    UNWIND CASE WHEN walk THEN [] ELSE [key] END AS narrow
    {anchor}
    WITH c, d, t, k WHERE {where} AND {seek}
    WITH c, d, t, k ORDER BY {order} LIMIT $limit
    RETURN c, d, t, k
  }
  WITH c, d, t, k ORDER BY {order}
  RETURN collect({node: """
    + DECISION_PROJECTION
    + """, sortKey: {sort_values}}) AS rows
}
RETURN key, rows, total
"""
)

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
