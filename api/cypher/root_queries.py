"""Every Cypher statement the API runs, by name (or by the name of its stored cypher/ file).
Read-only; parameters only.

Filters are compiled (api/cypher/filters.py) into a WHERE predicate from fixed fragments whose values are
all parameters; `{where}` below is only ever that compiled predicate, never user text. Pages are
keyset pages (api/cypher/keyset.py): `{order}` is the fixed ORDER BY of the chosen sort fields, `{seek}` the
predicate "sorts after the cursor" over parameters, `{sort_values}` the row's sort values.
"""

from __future__ import annotations

DECISION_PROJECTION = """
{
  decisionId: d.decision_id, index: d.index, item: d.item, outcome: d.outcome, quantity: d.quantity,
  requestedItem: d.requested_item, authorizedItem: d.authorized_item, rationale: d.rationale,
  treatment: t.name, treatmentClass: d.treatment_class, category: k.name, letterId: c.letter_id,
  caseNumber: c.case_number, year: c.year,
  drug: CASE WHEN d.drug_form IS NOT NULL OR d.drug_route IS NOT NULL OR d.drug_strength IS NOT NULL
               OR EXISTS { (d)-[:INVOLVES_INGREDIENT]->() } THEN {
    strength: d.drug_strength, form: d.drug_form, route: d.drug_route, compounded: d.drug_compounded,
    brand: d.drug_brand,
    ingredients: COLLECT { MATCH (d)-[:INVOLVES_INGREDIENT]->(i) RETURN {name: i.name, drugbankId: i.drugbank_id,
                                                                       meshId: i.mesh_id, medlineplusId: i.medlineplus_id} }
  } END,
  bodyRegions: COLLECT { MATCH (d)-[:CONCERNS_REGION]->(b) RETURN b.name },
  citations: COLLECT {
    MATCH (d)-[r:CITES]->(s:GuidelineSection)-[:PART_OF]->(g:Guideline)
    RETURN {citedBy: r.by, span: r.span, text: r.text,
            guideline: {key: g.key, family: g.family, title: g.title, edition: g.edition, url: g.url},
            section: {key: s.key, name: s.name, kind: s.kind, known: s.known, chapter: s.chapter,
                      pages: s.pages, url: s.url}, pages: r.pages}
    ORDER BY r.span[0]
  },
  denialReasons: COLLECT {
    MATCH (d)-[r:DENIED_BECAUSE]->(x) RETURN {code: x.code, description: x.description, span: r.span}
  }
}
"""

CASE_PROJECTION = (
    """
{
  letterId: c.letter_id, caseNumber: c.case_number, layout: c.layout, source: c.source,
  decisionDate: c.decision_date, injuryDate: c.injury_date, urDecisionDate: c.ur_decision_date,
  year: c.year, yearSource: c.year_source, age: c.age, ageBand: c.age_band, sex: c.sex, warnings: coalesce(c.warnings, []),
  specialties: COLLECT { MATCH (c)-[:REVIEWER_SPECIALTY]->(s) RETURN s.name ORDER BY s.name },
  licensureStates: COLLECT { MATCH (c)-[:REVIEWER_LICENSED_IN]->(s) RETURN s.code ORDER BY s.code },
  diagnoses: COLLECT {
    MATCH (c)-[h:HAS_DIAGNOSIS]->(x:Diagnosis)
    RETURN {code: x.code, name: x.name, text: h.text, status: h.status, span: h.span,
            category: h.category}
    ORDER BY h.span[0]
  },
  decisions: COLLECT {
    MATCH (c)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)
    RETURN """
    + DECISION_PROJECTION
    + """ ORDER BY d.index
  }
}
"""
)

CASE_BY_KEY = f"""
MATCH (c:Case)
WHERE c.case_number = $key OR c.letter_id = $key
RETURN {CASE_PROJECTION} AS case
LIMIT 1
"""

CASES_PAGE = (
    """
MATCH (c:Case)
WHERE {where} AND {seek}
WITH c ORDER BY {order} LIMIT $limit
RETURN """
    + CASE_PROJECTION
    + " AS case, {sort_values} AS sortKey"
)

# The total is counted first, so it survives a page past the end (the page then is one null row).
CASES_PAGE_WITH_TOTAL = (
    """
MATCH (c:Case)
WHERE {where}
WITH count(c) AS total
OPTIONAL CALL (total) {
  MATCH (c:Case)
  WHERE {where} AND {seek}
  WITH c ORDER BY {order} LIMIT $limit
  RETURN """
    + CASE_PROJECTION
    + """ AS case, {sort_values} AS sortKey
}
RETURN case, sortKey, total
"""
)

_DECISIONS_MATCH = "MATCH (c:Case)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)"
_DECISION_ROW = "RETURN " + DECISION_PROJECTION + " AS decision, {sort_values} AS sortKey"

# A page by traversal: every match is found, then sorted.
_SORTED_PAGE = f"""
{_DECISIONS_MATCH}
WHERE {{where}} AND {{seek}}
WITH c, d, t, k ORDER BY {{order}} LIMIT $limit
{_DECISION_ROW}"""

# A page in date order read from the decision_date_order index: cases come newest (or oldest) first
# and the walk stops once the page is full, so a broad filter costs a page, not a sort of every
# match. `{from}` is the index range's lower bound: '' reads it all; '\uffff' (above every key) reads
# nothing, which is how the choice below switches this branch off before it scans.
_DATE_ORDER_PAGE = f"""
MATCH (c:Case) USING INDEX c:Case(decision_date_order)
WHERE c.decision_date_order >= {{from}}
CALL (c) {{
  MATCH (c)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)
  WHERE {{where}} AND {{seek}}
  RETURN d, t, k
}}
WITH c, d, t, k ORDER BY {{order}} LIMIT $limit
{_DECISION_ROW}"""

DECISIONS_PAGE = _SORTED_PAGE
DECISIONS_IN_DATE_ORDER = _DATE_ORDER_PAGE.replace("{from}", "''")

# The total is counted first, so it survives a page past the end (the page then is one null row).
_TRAVERSAL_TOTAL = f"""
{_DECISIONS_MATCH}
WHERE {{where}}
WITH count(d) AS total"""


def _after_total(page: str) -> str:
    return f"""
OPTIONAL CALL (total) {{{page}
}}
RETURN decision, sortKey, total
"""


DECISIONS_PAGE_WITH_TOTAL = _TRAVERSAL_TOTAL + _after_total(_SORTED_PAGE)
DECISIONS_IN_DATE_ORDER_WITH_TOTAL = _TRAVERSAL_TOTAL + _after_total(DECISIONS_IN_DATE_ORDER)

# The total summed from the OutcomeTally cells the filter selects (api/cypher/tally_answers.py decides which
# filters qualify): the count costs a few thousand cells, not every decision.
_TALLY_TOTAL = """
CALL () {
  MATCH (t:OutcomeTally {cube: $tally_cube})
  WHERE ($tally_anchor IS NULL OR t.anchor = $tally_anchor)
    AND ($tally_contains IS NULL OR toLower(t.anchor) CONTAINS toLower($tally_contains))
    AND ($tally_category IS NULL OR t.category = $tally_category)
    AND ($tally_class IS NULL OR t.treatment_class = $tally_class)
    AND ($tally_year_min IS NULL OR t.year >= $tally_year_min)
    AND ($tally_year_max IS NULL OR t.year <= $tally_year_max)
  RETURN coalesce(sum(CASE $tally_outcome WHEN 'UPHELD' THEN t.upheld WHEN 'OVERTURNED' THEN t.overturned
                      ELSE t.decisions END), 0) AS total
}"""

DECISIONS_PAGE_WITH_TALLY_TOTAL = _TALLY_TOTAL + _after_total(_SORTED_PAGE)

# In date order with the tallies' total, the total picks the plan: a filter matching at least one
# decision in DATE_ORDER_SHARE walks the index (about DATE_ORDER_SHARE * page size cases at most);
# a narrower one is found by traversal and sorted (it has few rows to sort). Only one branch reads
# anything: the other's guard yields no row before it scans.
DATE_ORDER_SHARE = 1000
DECISIONS_IN_DATE_ORDER_WITH_TALLY_TOTAL = (
    _TALLY_TOTAL
    + """
WITH total, total * $date_order_share >= COUNT { (:Decision) } AS walk
OPTIONAL CALL (total, walk) {"""
    + _DATE_ORDER_PAGE.replace("{from}", "CASE WHEN walk THEN '' ELSE '\\uffff' END")
    + """
  UNION ALL
  UNWIND CASE WHEN walk THEN [] ELSE [total] END AS narrow"""
    + _SORTED_PAGE
    + """
}
RETURN decision, sortKey, total
"""
)

# Questions the stored library answers are run from it, one text for GraphQL, `imr-graph query` and
# the Browser guide: these are the names of those cypher/ files.
FLAGSHIP = "flagship_guideline_sections"
FLAGSHIP_ANY_DIAGNOSIS = "guideline_sections"
FLAGSHIP_FROM_TALLIES = "tally_guideline_sections"
SIMILAR_CASES = "similar_cases"
SIMILAR_CASES_INDEXED = "similar_cases_indexed"

# Outcome rates are assembled per combination of dimensions in api/cypher/crosstab.py.

DENIAL_REASONS = """
MATCH (c:Case)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)
WHERE {where}
MATCH (d)-[r:DENIED_BECAUSE]->(x:DenialReason)
WITH x, count(DISTINCT d) AS decisions,
     collect({letterId: c.letter_id, caseNumber: c.case_number, span: r.span,
              text: substring(c.text, r.span[0], r.span[1] - r.span[0])})[..$examples] AS examples
RETURN x.code AS code, x.description AS description, x.example AS example, decisions, examples
ORDER BY decisions DESC, code
LIMIT $first
"""

# Lucene's top `$window` hits (its top-k collector) usually hold the page: a common phrase has
# hundreds of thousands of hits at 1M letters, and matching and sorting every one of them by score and
# decision id is what made search slow. Lucene breaks equal scores in its own segment order, which
# changes as segments merge, so the window is only used when it holds every hit that passes the filter
# and scores at least the page's last score: `$skip + $limit` such hits above the window's lowest
# score. Otherwise (a run of equal scores at the window's edge, or a filter that keeps few hits) every
# hit is matched and sorted. The first call returns scores, so no node list rides along the rows.
FULLTEXT_DECISIONS = (
    """
CALL db.index.fulltext.queryNodes('rationale_fulltext', $text, {limit: $window}) YIELD node AS d, score
WITH count(*) AS hits, min(score) AS floor, collect(CASE WHEN EXISTS {
  MATCH (c:Case)-[:HAS_DECISION]->(d)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k) WHERE {where}
} THEN score END) AS kept
WITH hits < $window OR size([s IN kept WHERE s > floor]) >= $skip + $limit AS complete
CALL (complete) {
  WITH complete WHERE complete
  CALL db.index.fulltext.queryNodes('rationale_fulltext', $text, {limit: $window}) YIELD node, score
  RETURN node AS d, score
  UNION ALL
  WITH complete WHERE NOT complete
  CALL db.index.fulltext.queryNodes('rationale_fulltext', $text) YIELD node, score
  RETURN node AS d, score
}
MATCH (c:Case)-[:HAS_DECISION]->(d)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)
WHERE {where}
WITH c, d, t, k, score ORDER BY score DESC, d.decision_id
SKIP $skip LIMIT $limit
RETURN """
    + DECISION_PROJECTION
    + " AS decision, score"
)

# The smallest window asked of Lucene; deeper pages ask for twice their end.
SEARCH_WINDOW = 1000

HEALTH = "RETURN 1 AS ok"
