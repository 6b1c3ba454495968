"""Every Cypher statement the loader runs, by name. Parameters only: no string formatting of input."""

from __future__ import annotations

SCHEMA: dict[str, str] = {
    "case_key": "CREATE CONSTRAINT case_key IF NOT EXISTS FOR (n:Case) REQUIRE n.letter_id IS UNIQUE",
    "decision_key": "CREATE CONSTRAINT decision_key IF NOT EXISTS FOR (n:Decision) REQUIRE n.decision_id IS UNIQUE",
    "diagnosis_key": "CREATE CONSTRAINT diagnosis_key IF NOT EXISTS FOR (n:Diagnosis) REQUIRE n.code IS UNIQUE",
    "treatment_key": "CREATE CONSTRAINT treatment_key IF NOT EXISTS FOR (n:Treatment) REQUIRE n.name IS UNIQUE",
    "category_key": "CREATE CONSTRAINT category_key IF NOT EXISTS "
    "FOR (n:TreatmentCategory) REQUIRE n.name IS UNIQUE",
    "region_key": "CREATE CONSTRAINT region_key IF NOT EXISTS FOR (n:BodyRegion) REQUIRE n.name IS UNIQUE",
    "guideline_key": "CREATE CONSTRAINT guideline_key IF NOT EXISTS FOR (n:Guideline) REQUIRE n.key IS UNIQUE",
    "section_key": "CREATE CONSTRAINT section_key IF NOT EXISTS "
    "FOR (n:GuidelineSection) REQUIRE n.key IS UNIQUE",
    "specialty_key": "CREATE CONSTRAINT specialty_key IF NOT EXISTS FOR (n:Specialty) REQUIRE n.name IS UNIQUE",
    "state_key": "CREATE CONSTRAINT state_key IF NOT EXISTS FOR (n:State) REQUIRE n.code IS UNIQUE",
    "reason_key": "CREATE CONSTRAINT reason_key IF NOT EXISTS FOR (n:DenialReason) REQUIRE n.code IS UNIQUE",
    "case_number": "CREATE INDEX case_number IF NOT EXISTS FOR (n:Case) ON (n.case_number)",
    "decision_outcome": "CREATE INDEX decision_outcome IF NOT EXISTS FOR (n:Decision) ON (n.outcome)",
    "case_year": "CREATE INDEX case_year IF NOT EXISTS FOR (n:Case) ON (n.year)",
    "rationale_fulltext": "CREATE FULLTEXT INDEX rationale_fulltext IF NOT EXISTS "
    "FOR (n:Decision) ON EACH [n.rationale, n.item]",
}

# Locks the batch's cases (in id order, so two loaders cannot deadlock) before reading their hashes:
# a second loader on overlapping input waits, then sees the letters as unchanged.
LOCK_CASES = """
UNWIND $ids AS id
MERGE (c:Case {letter_id: id})
SET c.content_hash = c.content_hash
RETURN c.letter_id AS letter_id, c.content_hash AS content_hash, c.graph_model AS graph_model
"""

# A changed letter loses every fact it contributed before its new facts are written, in one transaction.
DELETE_CASE_FACTS = """
UNWIND $ids AS id
MATCH (c:Case {letter_id: id})
OPTIONAL MATCH (c)-[:HAS_DECISION]->(d:Decision)
DETACH DELETE d
WITH DISTINCT c
OPTIONAL MATCH (c)-[r]->()
DELETE r
"""

# Shared nodes (treatments, guidelines, diagnoses, ...) are merged once per batch from distinct rows,
# so the per-letter queries below only MATCH them: far fewer locking MERGEs per letter.
SHARED: dict[str, str] = {
    "specialties": "UNWIND $rows AS name MERGE (:Specialty {name: name})",
    "states": "UNWIND $rows AS code MERGE (:State {code: code})",
    "regions": "UNWIND $rows AS name MERGE (:BodyRegion {name: name})",
    "reasons": """
UNWIND $rows AS row
MERGE (x:DenialReason {code: row.code})
ON CREATE SET x.description = row.description
""",
    "treatments": """
UNWIND $rows AS row
MERGE (t:Treatment {name: row.treatment})
MERGE (k:TreatmentCategory {name: row.category})
MERGE (t)-[:IN_CATEGORY]->(k)
""",
    "diagnoses": """
UNWIND $rows AS row
MERGE (d:Diagnosis {code: row.code})
SET d.name = row.name, d.level = row.level
""",
    "diagnosis_hierarchy": """
UNWIND $rows AS row
MATCH (child:Diagnosis {code: row.child}), (parent:Diagnosis {code: row.parent})
MERGE (child)-[:IS_A]->(parent)
""",
    "guidelines": """
UNWIND $rows AS row
MERGE (g:Guideline {key: row.guideline_key})
ON CREATE SET g.family = row.family, g.title = row.title, g.edition = row.edition, g.url = row.guideline_url,
              g.resolved = row.resolved
""",
    "sections": """
UNWIND $rows AS row
MATCH (g:Guideline {key: row.guideline_key})
MERGE (s:GuidelineSection {key: row.section_key})
ON CREATE SET s.pages = row.pages, s.sections = row.sections, s.label = row.section_label, s.url = row.section_url,
              s.guideline_key = row.guideline_key
MERGE (s)-[:PART_OF]->(g)
""",
}
SHARED_ORDER = (
    "specialties",
    "states",
    "regions",
    "reasons",
    "treatments",
    "diagnoses",
    "diagnosis_hierarchy",
    "guidelines",
    "sections",
)

LOAD: dict[str, str] = {
    "cases": """
UNWIND $rows AS row
MERGE (c:Case {letter_id: row.letter_id})
SET c += row.props, c.content_hash = row.content_hash
""",
    "specialties": """
UNWIND $rows AS row
MATCH (c:Case {letter_id: row.letter_id}), (s:Specialty {name: row.name})
CREATE (c)-[:REVIEWER_SPECIALTY]->(s)
""",
    "states": """
UNWIND $rows AS row
MATCH (c:Case {letter_id: row.letter_id}), (s:State {code: row.code})
CREATE (c)-[:REVIEWER_LICENSED_IN]->(s)
""",
    "diagnoses": """
UNWIND $rows AS row
MATCH (c:Case {letter_id: row.letter_id}), (d:Diagnosis {code: row.code})
CREATE (c)-[:HAS_DIAGNOSIS {text: row.text, span: row.span, status: row.status, letter_id: row.letter_id}]->(d)
""",
    "decisions": """
UNWIND $rows AS row
MATCH (c:Case {letter_id: row.letter_id}), (t:Treatment {name: row.treatment})
CREATE (c)-[:HAS_DECISION]->(d:Decision {decision_id: row.decision_id})-[:FOR_TREATMENT]->(t)
SET d += row.props
""",
    "regions": """
UNWIND $rows AS row
MATCH (d:Decision {decision_id: row.decision_id}), (b:BodyRegion {name: row.name})
CREATE (d)-[:CONCERNS_REGION]->(b)
""",
    "citations": """
UNWIND $rows AS row
MATCH (d:Decision {decision_id: row.decision_id}), (s:GuidelineSection {key: row.section_key})
CREATE (d)-[:CITES {by: row.by, section_key: row.section_key, letter_id: row.letter_id, span: row.span,
                    text: row.text}]->(s)
""",
    "reasons": """
UNWIND $rows AS row
MATCH (d:Decision {decision_id: row.decision_id}), (x:DenialReason {code: row.code})
CREATE (d)-[:DENIED_BECAUSE {letter_id: row.letter_id, span: row.span}]->(x)
""",
}

# Order matters: nodes a query MATCHes are created by an earlier one.
LOAD_ORDER = ("cases", "specialties", "states", "diagnoses", "decisions", "regions", "citations", "reasons")

COUNTS = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (c:Case) RETURN count(c) AS cases }
CALL () { MATCH (d:Decision) RETURN count(d) AS decisions }
RETURN nodes, relationships, cases, decisions
"""

IS_EMPTY = "MATCH (n) RETURN count(n) = 0 AS empty LIMIT 1"

NODE_FINGERPRINT = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
RELATIONSHIP_FINGERPRINT = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, coalesce(a.letter_id, a.decision_id, a.code, a.name, a.key) AS start,
       coalesce(b.letter_id, b.decision_id, b.code, b.name, b.key) AS end, properties(r) AS props
"""
