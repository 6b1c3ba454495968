"""The Cypher of the root fields, by name (or by the name of its stored cypher/ file), and the
projections of cases and decisions that the nested fields (nested_queries.py) and the vocabularies
(vocabulary_queries.py) share. Read-only; parameters only.

Filters are compiled (api/cypher/filters.py) into a WHERE predicate from fixed fragments whose values are
all parameters; `{where}` below is only ever that compiled predicate, never user text. Pages are
keyset pages (api/cypher/keyset.py): `{order}` is the fixed ORDER BY of the chosen sort fields, `{seek}` the
predicate "sorts after the cursor" over parameters, `{sort_values}` the row's sort values.
"""

from __future__ import annotations

from api.cypher.filters import ignoring_case
from graph_loader.graph.declaration import GRAPH

# The projections' plain fields are the declared properties (graph_loader/graph/declaration.py) of
# the labels and relationship types they read, but these, which the API's types do not expose. A new
# declared property is projected unless it is listed here; tests/unit/test_declared_once.py checks
# that every declared property is projected or listed, and that the types' from_row
# (api/graphql/types.py) read only projected keys.
NOT_EXPOSED: dict[str, frozenset[str]] = {
    "Case": frozenset(
        {
            "content_hash",  # the loader's test for an unchanged letter
            "decision_date_order",  # a sort key (api/cypher/keyset.py); decision_date is the field
            "date_assigned",  # exported (cases.date_assigned); not a field of the API's Case
            "diagnosis_codes",  # the icd10 filter's lookup list; `diagnoses` are the field
            "uncertain_diagnosis_codes",  # the same for includeUncertain; `diagnoses` carry a status
            "graph_model",  # the loader's model version
            "embedding",  # the similar-cases vector
        }
    ),
    "Decision": frozenset(
        {
            # Exported (the decisions table), not fields of the API's Decision.
            "outcome_inferred",
            "requested_quantity",
            "authorized_quantity",
            # Its case's year is projected (`year: c.year`), the same value.
            "year",
        }
    ),
    "Specialty": frozenset({"kind"}),  # the vocabulary's description (specialties), not a case's
    "REVIEWER_SPECIALTY": frozenset({"printed"}),  # a case lists the canonical names
    "Diagnosis": frozenset({"level"}),  # the hierarchy's (diagnoses), not a case's diagnosis
    "HAS_DIAGNOSIS": frozenset({"letter_id"}),  # the case's own
    "CITES": frozenset({"section_key", "letter_id"}),  # the section's key is in `section`; the letter's own
    "GuidelineSection": frozenset({"guideline_key"}),  # the guideline is in `guideline`
    "Guideline": frozenset({"resolved"}),  # not a field of the API's Guideline
    "DenialReason": frozenset({"example"}),  # the denialReasons statistics' (DENIAL_REASONS)
    "DENIED_BECAUSE": frozenset({"letter_id"}),  # the decision's own
}


# Read by the projections only to cut evidence from (`evidence`): the case's text is served in pieces
# (each fact's evidence, search snippets, and Case.text on its own, batched), the decision's spans as
# itemEvidence and outcomeEvidence.
SERVED_AS_EVIDENCE: dict[str, frozenset[str]] = {
    "Case": frozenset({"text"}),
    "Decision": frozenset({"item_span", "outcome_span"}),
}


def declared(owner: str) -> list[str]:
    """The declared property names of a label (its key first) or of a relationship type."""
    for n in GRAPH.nodes:
        if n.label == owner:
            return [n.key.name, *(p.name for p in n.props)]
    return [p.name for p in GRAPH.rel(owner).props]


def exposed(owner: str) -> list[str]:
    hidden = NOT_EXPOSED.get(owner, frozenset()) | SERVED_AS_EVIDENCE.get(owner, frozenset())
    return [p for p in declared(owner) if p not in hidden]


def fields(var: str, props: list[str], *, prefix: str = "", **renamed: str) -> dict[str, str]:
    """Projected key (camelCase, `prefix` dropped, unless `renamed`) -> `var.prop`, for each prop."""
    return {renamed.get(p, _camel(p.removeprefix(prefix))): f"{var}.{p}" for p in props}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(w.capitalize() for w in rest)


def _pairs(entries: dict[str, str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in entries.items())


def cypher_map(entries: dict[str, str]) -> str:
    return "{" + _pairs(entries) + "}"


# A decision's drug_* properties are projected together, as its `drug`.
_DRUG = "drug_"


def evidence(span: str) -> str:
    """The sentence a span points at, cut from the case's text in the query: {text, start, end} with
    text = Case.text[start:end], or null where the letter's text is not stored."""
    return (
        f"CASE WHEN c.text IS NOT NULL AND {span} IS NOT NULL THEN {{text: substring(c.text, {span}[0], "
        f"{span}[1] - {span}[0]), start: {span}[0], end: {span}[1]}} END"
    )


# The rationale is projected only when selected (SELECTABLE_PARTS), so it is not among the fields
# every decision row carries.
DECISION_FIELDS = fields(
    "d", [p for p in exposed("Decision") if not p.startswith(_DRUG) and p != "rationale"]
)
DRUG_FIELDS = fields("d", [p for p in exposed("Decision") if p.startswith(_DRUG)], prefix=_DRUG)
INGREDIENT_FIELDS = fields("i", exposed("Ingredient"))
GUIDELINE_FIELDS = fields("g", exposed("Guideline"))
SECTION_FIELDS = fields("s", exposed("GuidelineSection"))
CITATION_FIELDS = fields("r", exposed("CITES"), by="citedBy") | {
    "guideline": cypher_map(GUIDELINE_FIELDS),
    "section": cypher_map(SECTION_FIELDS),
    "evidence": evidence("r.span"),
}
DENIAL_REASON_FIELDS = (
    fields("x", exposed("DenialReason"))
    | fields("r", exposed("DENIED_BECAUSE"))
    | {"evidence": evidence("r.span")}
)
DIAGNOSIS_FIELDS = (
    fields("x", exposed("Diagnosis"))
    | fields("h", exposed("HAS_DIAGNOSIS"))
    | {"evidence": evidence("h.span")}
)
# No empty lists are stored (graph_loader/graph/rows.py), and a case's warnings are a list, never null.
CASE_FIELDS = fields("c", exposed("Case")) | {"warnings": "coalesce(c.warnings, [])"}

# The fields of a decision or case whose projection reads beyond the node's own properties (its
# relationships, or the letter's text that evidence is cut from), and the rationale, a decision's one
# long text (a third of the 115 KB a page of 20 treatments' 5 decisions carried, with synthetic
# letters' rationales; real ones are three times as long). Each is computed only when its name is in
# `$selected`, the field names the client selected (api/graphql/context.py `selected_parts`): a page
# of items then skips every citation and rationale, and a page of cases every decision. A part left
# out comes back empty ([] or null), so from_row needs no second shape.
SELECTABLE_PARTS = (
    "rationale",
    "itemEvidence",
    "outcomeEvidence",
    "drug",
    "bodyRegions",
    "citations",
    "denialReasons",
    "specialties",
    "licensureStates",
    "diagnoses",
    "decisions",
)


def _when_selected(name: str, expression: str, empty: str = "[]") -> str:
    assert name in SELECTABLE_PARTS, name
    return f"CASE WHEN '{name}' IN $selected THEN {expression} ELSE {empty} END"


_DRUG_MAP = f"""CASE WHEN d.drug_form IS NOT NULL OR d.drug_route IS NOT NULL OR d.drug_strength IS NOT NULL
               OR EXISTS {{ (d)-[:INVOLVES_INGREDIENT]->() }} THEN {{
    {_pairs(DRUG_FIELDS)},
    ingredients: COLLECT {{ MATCH (d)-[:INVOLVES_INGREDIENT]->(i) RETURN {cypher_map(INGREDIENT_FIELDS)} }}
  }} END"""
_BODY_REGIONS = "COLLECT { MATCH (d)-[:CONCERNS_REGION]->(b) RETURN b.name }"
_CITATIONS = f"""COLLECT {{
    MATCH (d)-[r:CITES]->(s:GuidelineSection)-[:PART_OF]->(g:Guideline)
    RETURN {cypher_map(CITATION_FIELDS)}
    ORDER BY r.span[0]
  }}"""
_DENIAL_REASONS = f"COLLECT {{ MATCH (d)-[r:DENIED_BECAUSE]->(x) RETURN {cypher_map(DENIAL_REASON_FIELDS)} }}"

DECISION_PROJECTION = f"""
{{
  {_pairs(DECISION_FIELDS)},
  rationale: {_when_selected("rationale", "d.rationale", "null")},
  treatment: t.name, category: k.name, letterId: c.letter_id, caseNumber: c.case_number, year: c.year,
  itemEvidence: {_when_selected("itemEvidence", evidence("d.item_span"), "null")},
  outcomeEvidence: {_when_selected("outcomeEvidence", evidence("d.outcome_span"), "null")},
  drug: {_when_selected("drug", _DRUG_MAP, "null")},
  bodyRegions: {_when_selected("bodyRegions", _BODY_REGIONS)},
  citations: {_when_selected("citations", _CITATIONS)},
  denialReasons: {_when_selected("denialReasons", _DENIAL_REASONS)}
}}
"""

_SPECIALTIES = "COLLECT { MATCH (c)-[:REVIEWER_SPECIALTY]->(s) RETURN s.name ORDER BY s.name }"
_LICENSURE_STATES = "COLLECT { MATCH (c)-[:REVIEWER_LICENSED_IN]->(s) RETURN s.code ORDER BY s.code }"
_DIAGNOSES = f"""COLLECT {{
    MATCH (c)-[h:HAS_DIAGNOSIS]->(x:Diagnosis)
    RETURN {cypher_map(DIAGNOSIS_FIELDS)}
    ORDER BY h.span[0]
  }}"""
_DECISIONS = f"""COLLECT {{
    MATCH (c)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)
    RETURN {DECISION_PROJECTION} ORDER BY d.index
  }}"""

CASE_PROJECTION = f"""
{{
  {_pairs(CASE_FIELDS)},
  specialties: {_when_selected("specialties", _SPECIALTIES)},
  licensureStates: {_when_selected("licensureStates", _LICENSURE_STATES)},
  diagnoses: {_when_selected("diagnoses", _DIAGNOSES)},
  decisions: {_when_selected("decisions", _DECISIONS)}
}}
"""

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

# Two groups' counts for compareRates, in one pass over the decisions: `{where_a}` and `{where_b}` are
# two filters compiled by one Compiler (distinct parameter names), matched as decisions(filter) matches,
# so each group's count equals that field's totalCount. A predicate that is null counts as false, as in
# WHERE.
COMPARE_RATES = f"""
{_DECISIONS_MATCH}
WITH d, ({{where_a}}) AS inA, ({{where_b}}) AS inB
RETURN count(CASE WHEN inA THEN 1 END) AS aDecisions,
       count(CASE WHEN inA AND d.outcome = 'UPHELD' THEN 1 END) AS aUpheld,
       count(CASE WHEN inB THEN 1 END) AS bDecisions,
       count(CASE WHEN inB AND d.outcome = 'UPHELD' THEN 1 END) AS bUpheld
"""

# The total summed from the OutcomeTally cells the filter selects (api/cypher/tally_answers.py decides which
# filters qualify): the count costs a few thousand cells, not every decision.
# A treatment's `contains` matches its cells' anchors as the filter (api/cypher/filters.py) matches names.
_TALLY_TOTAL = f"""
CALL () {{
  MATCH (t:OutcomeTally {{cube: $tally_cube}})
  WHERE ($tally_anchor IS NULL OR t.anchor = $tally_anchor)
    AND ($tally_contains IS NULL OR {ignoring_case("t.anchor", "CONTAINS", "$tally_contains")})
    AND ($tally_category IS NULL OR t.category = $tally_category)
    AND ($tally_class IS NULL OR t.treatment_class = $tally_class)
    AND ($tally_year_min IS NULL OR t.year >= $tally_year_min)
    AND ($tally_year_max IS NULL OR t.year <= $tally_year_max)
  RETURN coalesce(sum(CASE $tally_outcome WHEN 'UPHELD' THEN t.upheld WHEN 'OVERTURNED' THEN t.overturned
                      ELSE t.decisions END), 0) AS total
}}"""

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
# dataQuality: parsed vs DWC's labels, letters per layout, replaced near duplicates.
DWC_AGREEMENT = "dwc_agreement"

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


HEALTH = "RETURN 1 AS ok"

# Which data the graph holds (graph_loader/graph/declaration.py, Dataset): every response's
# `extensions.dataset`, with the keys of graph_loader/graph/rows.DATASET_BLOCK.
DATASET = """
MATCH (n:Dataset)
RETURN n.id AS id, n.letters AS letters, n.decisions AS decisions, n.loaded_at AS loadedAt,
       n.parser_version AS parserVersion, n.graph_model AS graphModel
LIMIT 1
"""
