"""The export tables read from Neo4j: `export --from-graph`. Named, parameterized, read-only queries.

Letters are read a page at a time, in `letter_id` order from the key's index (`WHERE letter_id >
$after ... LIMIT $page`, so each page is an index seek, not a skip over the pages before it); every
letter table is read for that page's ids, then the next page. The client holds one page's rows at a
time, whatever the size of the graph. `treatments` is one query: it has a row per treatment and
class, a vocabulary, not per letter. Each RETURN names the table's columns in their declared order
(tables.py), and returns a column declared as a property's copy as that property: unit tests check
both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from neo4j import READ_ACCESS, Driver, ManagedTransaction

from graph_loader.graph.rows import Row
from graph_loader.records import rows_of

CASE_COUNT = "MATCH (c:Case) RETURN count(c) AS cases"

CASE_PAGE = """
MATCH (c:Case) WHERE c.letter_id > $after
RETURN c.letter_id AS letter_id
ORDER BY letter_id
LIMIT $page
"""

TABLE_QUERIES: dict[str, str] = {
    "cases": """
UNWIND $ids AS id
MATCH (c:Case {letter_id: id})
RETURN c.letter_id AS letter_id, c.case_number AS case_number, c.source AS source, c.layout AS layout,
  c.content_hash AS content_hash, c.decision_date AS decision_date, c.injury_date AS injury_date,
  c.ur_decision_date AS ur_decision_date, c.date_assigned AS date_assigned, c.year AS year,
  c.year_source AS year_source, c.age AS age, c.age_band AS age_band, c.sex AS sex,
  COLLECT { MATCH (c)-[:REVIEWER_SPECIALTY]->(s:Specialty) RETURN s.name ORDER BY s.name } AS reviewer_specialties,
  COLLECT { MATCH (c)-[:REVIEWER_LICENSED_IN]->(s:State) RETURN s.code ORDER BY s.code } AS reviewer_states,
  COUNT { (c)-[:HAS_DECISION]->(:Decision) } AS decision_count,
  coalesce(c.warnings, []) AS warnings,
  CASE WHEN $text THEN c.text END AS text
ORDER BY letter_id
""",
    "decisions": """
UNWIND $ids AS id
MATCH (c:Case {letter_id: id})-[:HAS_DECISION]->(d:Decision)
OPTIONAL MATCH (d)-[:FOR_TREATMENT]->(t:Treatment)
RETURN d.decision_id AS decision_id, c.letter_id AS letter_id, d.index AS decision_index, d.item AS item,
  d.outcome AS outcome, d.outcome_inferred AS outcome_inferred, d.quantity AS quantity,
  d.requested_item AS requested_item, d.requested_quantity AS requested_quantity,
  d.authorized_item AS authorized_item, d.authorized_quantity AS authorized_quantity,
  t.name AS treatment, d.treatment_class AS treatment_class,
  COLLECT { MATCH (t)-[:IN_CATEGORY]->(k:TreatmentCategory) RETURN k.name ORDER BY k.name LIMIT 1 }[0]
    AS treatment_category,
  COLLECT { MATCH (d)-[:CONCERNS_REGION]->(r:BodyRegion) RETURN r.name ORDER BY r.name } AS body_regions,
  COLLECT { MATCH (d)-[:INVOLVES_INGREDIENT]->(i:Ingredient) RETURN i.name ORDER BY i.name } AS ingredients,
  d.drug_strength AS drug_strength, d.drug_form AS drug_form, d.drug_route AS drug_route,
  d.drug_compounded AS drug_compounded, d.drug_brand AS drug_brand, d.year AS year, d.rationale AS rationale,
  d.dwc_category AS dwc_category, d.dwc_subcategory AS dwc_subcategory, d.dwc_outcome AS dwc_outcome
ORDER BY letter_id, decision_index
""",
    "diagnoses": """
UNWIND $ids AS id
MATCH (c:Case {letter_id: id})-[h:HAS_DIAGNOSIS]->(dx:Diagnosis)
WITH c, h, dx,
  COLLECT { MATCH (dx)-[:IS_A*0..8]->(b:Diagnosis {level: 'block'}) RETURN b.code LIMIT 1 }[0] AS block,
  COLLECT { MATCH (dx)-[:IS_A*0..8]->(p:Diagnosis {level: 'chapter'}) RETURN p LIMIT 1 }[0] AS chapter
RETURN c.letter_id AS letter_id, dx.code AS icd10, dx.name AS description, h.text AS text,
  h.status AS status, h.category AS category, block AS block, chapter.code AS chapter,
  chapter.name AS chapter_description, h.span[0] AS span_start, h.span[1] AS span_end
ORDER BY letter_id, span_start, icd10
""",
    "citations": """
UNWIND $ids AS id
MATCH (c:Case {letter_id: id})-[:HAS_DECISION]->(d:Decision)-[x:CITES]->(s:GuidelineSection)
OPTIONAL MATCH (s)-[:PART_OF]->(g:Guideline)
RETURN d.decision_id AS decision_id, c.letter_id AS letter_id, x.by AS cited_by, s.key AS section_key,
  s.name AS section_name, s.kind AS section_kind, s.known AS section_known, s.chapter AS chapter,
  s.guideline_key AS guideline_key, g.family AS guideline_family, g.title AS guideline_title,
  g.edition AS guideline_edition, g.chapter AS guideline_chapter, x.edition AS edition,
  x.unresolved AS unresolved, coalesce(x.pages, []) AS pages, x.text AS text,
  x.span[0] AS span_start, x.span[1] AS span_end
ORDER BY letter_id, d.index, span_start, section_key, cited_by
""",
    "denial_reasons": """
UNWIND $ids AS id
MATCH (c:Case {letter_id: id})-[:HAS_DECISION]->(d:Decision)-[x:DENIED_BECAUSE]->(r:DenialReason)
RETURN d.decision_id AS decision_id, c.letter_id AS letter_id, r.code AS reason_code,
  r.description AS description, x.span[0] AS span_start, x.span[1] AS span_end
ORDER BY letter_id, d.index, span_start, reason_code
""",
}

TREATMENTS = """
MATCH (t:Treatment)-[:IN_CLASS]->(k:TreatmentClass)
RETURN t.name AS treatment, k.name AS treatment_class,
  COLLECT { MATCH (t)-[:IN_CATEGORY]->(c:TreatmentCategory) RETURN c.name ORDER BY c.name LIMIT 1 }[0]
    AS treatment_category,
  k.subcategory AS subcategory,
  COLLECT {
    MATCH (t)<-[:FOR_TREATMENT]-(:Decision)-[:INVOLVES_INGREDIENT]->(i:Ingredient)
    WITH DISTINCT i.name AS name RETURN name ORDER BY name
  } AS ingredients,
  COUNT { (t)<-[:FOR_TREATMENT]-(:Decision) } AS decision_count
ORDER BY treatment, treatment_class
"""


def _rows(tx: ManagedTransaction, cypher: str, params: dict[str, Any]) -> list[Row]:
    return rows_of(tx.run(cypher, params))


def count_cases(driver: Driver, database: str) -> int:
    records, _, _ = driver.execute_query(CASE_COUNT, database_=database, routing_="r")
    return int(records[0]["cases"])


def letter_pages(
    driver: Driver, database: str, *, page: int, text: bool
) -> Iterator[tuple[int, dict[str, list[Row]]]]:
    """(letters in the page, rows of each letter table) a page at a time, in letter_id order."""
    after = ""
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        while True:
            ids = [
                r["letter_id"] for r in session.execute_read(_rows, CASE_PAGE, {"after": after, "page": page})
            ]
            if not ids:
                return
            tables = {
                name: session.execute_read(_rows, cypher, {"ids": ids, "text": text})
                for name, cypher in TABLE_QUERIES.items()
            }
            yield len(ids), tables
            after = ids[-1]


def treatments(driver: Driver, database: str) -> list[Row]:
    with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
        return session.execute_read(_rows, TREATMENTS, {})
