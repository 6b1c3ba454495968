"""Every Cypher statement the loader runs, by name. Parameters only: no string formatting of input."""

from __future__ import annotations

from graph_loader.graph import declaration, statements

# Generated from the one declaration of the graph (declaration.py), so they cannot drift from it.
SCHEMA: dict[str, str] = statements.schema_statements()
NODE_WRITES: dict[str, str] = {
    n.label: statements.node_write(n) for n in declaration.GRAPH.nodes if n.scope in ("letter", "shared")
}
RELATIONSHIP_WRITES: dict[str, str] = {
    r.type: statements.relationship_write(r) for r in declaration.GRAPH.relationships
}
TALLY_WRITES: dict[str, str] = {
    n.label: statements.tally_write(n) for n in declaration.GRAPH.nodes if n.scope == "tally"
}
# Nodes before the relationships that MATCH them; shared before per-letter.
WRITE_ORDER = statements.write_order()

_DATASET = next(n for n in declaration.GRAPH.nodes if n.scope == "dataset")
# Rewritten by every finished load (SET), where a shared node keeps the values it was created with.
DATASET_WRITE = (
    f"UNWIND $rows AS row\nMERGE (n:{_DATASET.label} {{{_DATASET.key.name}: row.{_DATASET.key.name}}})\n"
    "SET " + ", ".join(f"n.{p.name} = row.{p.name}" for p in _DATASET.props)
)
# A load that starts removes it: until one finishes, no Dataset node claims to describe the graph.
DATASET_FORGET = f"MATCH (n:{_DATASET.label}) DELETE n"
# Loaders before 2026-12-06 removed a tally cell when its `decisions` reached zero, which CaseTally
# (it counts cases) has not: its cells a changed letter emptied stayed, at zero. Every load clears them.
EMPTY_CASE_CELLS_DROP = (
    f"MATCH (t:CaseTally) WHERE t.{declaration.TALLY_COUNTERS['CaseTally'][0]} = 0 DELETE t"
)
DATASET_READ = f"MATCH (n:{_DATASET.label}) RETURN properties(n) AS row"
# The hashes in the order rows.dataset_id takes them: the server sorts, the client streams them in
# lists of $chunk. One record per hash cost the driver about 11 µs each (19 s at 1M letters, at the
# end of every load); the sort holds every hash on the server either way.
CASE_HASHES = """
MATCH (c:Case) WHERE c.content_hash IS NOT NULL
WITH c.content_hash AS h ORDER BY h
WITH collect(h) AS hs
UNWIND range(0, size(hs) - 1, $chunk) AS i
RETURN hs[i..i + $chunk] AS hashes
"""
CASE_HASH_CHUNK = 10_000
DECISION_COUNT = "MATCH (d:Decision) RETURN count(d) AS n"

# Locks the batch's cases (in id order, so two loaders cannot deadlock) before reading their hashes:
# a second loader on overlapping input waits, then sees the letters as unchanged.
LOCK_CASES = """
UNWIND $ids AS id
MERGE (c:Case {letter_id: id})
SET c.content_hash = c.content_hash
RETURN c.letter_id AS letter_id, c.content_hash AS content_hash, c.graph_model AS graph_model
"""

# What near_duplicates.stamp_of_case reads of a case, and the sources it has replaced so far.
_STAMP = """c {.letter_id, .source, .content_hash, .case_number, .decision_date, .date_assigned, .injury_date,
       .age, .sex, .graph_model, .superseded_sources,
       decisions: COLLECT { MATCH (c)-[:HAS_DECISION]->(d:Decision) RETURN [d.item, d.outcome] }}"""

CASE_STAMPS = f"""
UNWIND $ids AS id
MATCH (c:Case {{letter_id: id}}) WHERE c.content_hash IS NOT NULL
RETURN {_STAMP} AS case
"""

# The cases of other ids a letter of the batch may be a copy of (near_duplicates.near_keys): the same
# injury date (indexed) and the same decision date or date assigned; Python compares the rest.
NEAR_CANDIDATES = f"""
UNWIND $probes AS p
MATCH (c:Case {{injury_date: p.injury_date}})
WHERE c.content_hash IS NOT NULL AND NOT c.letter_id IN $ids
  AND (c.decision_date = p.decision_date OR c.date_assigned = p.date_assigned)
RETURN p.letter_id AS incoming, {_STAMP} AS case
"""

# A case replaced by a newer letter of its own (another id) goes with every fact it contributed.
DELETE_CASES = """
UNWIND $ids AS id
MATCH (c:Case {letter_id: id})
OPTIONAL MATCH (c)-[:HAS_DECISION]->(d:Decision)
DETACH DELETE d
WITH DISTINCT c
DETACH DELETE c
"""

# LOCK_CASES made a node for every id of the batch; one whose letter was not written leaves none.
DROP_PLACEHOLDERS = """
UNWIND $ids AS id
MATCH (c:Case {letter_id: id}) WHERE c.content_hash IS NULL
DETACH DELETE c
"""

# At the end of a load: the sources each kept case replaced, added to those it had.
SUPERSEDE = """
UNWIND $rows AS row
MATCH (c:Case {letter_id: row.letter_id})
WITH c, coalesce(c.superseded_sources, []) AS had, row.sources AS sources
SET c.superseded_sources = had + [s IN sources WHERE NOT s IN had]
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

# What a letter in the graph contributes to the tallies (tallies.facts_from_record), read before a
# changed letter's facts are deleted so its old counts can be taken away.
CASE_TALLY_FACTS = """
UNWIND $ids AS id
MATCH (c:Case {letter_id: id})
RETURN c.letter_id AS letter_id, c.year AS year, c.year_source AS year_source, c.age AS age,
       c.ur_decision_date AS ur_decision_date, c.decision_date AS decision_date,
       c.diagnosis_codes AS diagnosis_codes, c.graph_model AS graph_model,
       COLLECT { MATCH (c)-[:REVIEWER_SPECIALTY]->(s) RETURN s.name } AS specialties,
       COLLECT { MATCH (c)-[:REVIEWER_LICENSED_IN]->(s) RETURN s.code } AS states,
       COLLECT {
         MATCH (c)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)
         RETURN {outcome: d.outcome, treatment: t.name, category: k.name,
                 treatment_class: d.treatment_class, quantity: d.quantity,
                 ingredients: COLLECT { MATCH (d)-[:INVOLVES_INGREDIENT]->(i) RETURN i.name },
                 citations: COLLECT { MATCH (d)-[r:CITES]->(s)-[:PART_OF]->(g) RETURN [s.key, g.key, r.by] },
                 reasons: COLLECT { MATCH (d)-[:DENIED_BECAUSE]->(x) RETURN x.code }}
       } AS decisions
"""

# The tally journal (tally_journal.py): one node per committed batch, folded into the cells later.
_JOURNAL, _FOLD = declaration.GRAPH.node("TallyJournal"), declaration.GRAPH.node("TallyFold")
_JID = _JOURNAL.key.name
JOURNAL_WRITE = (
    f"CREATE (j:{_JOURNAL.label} {{{_JID}: $id, "
    + ", ".join(f"{p.name}: ${p.name}" for p in _JOURNAL.props)
    + "})"
)
JOURNAL_PENDING = f"MATCH (j:{_JOURNAL.label}) RETURN j.{_JID} AS id, j.letters AS letters ORDER BY id"
JOURNAL_READ = f"UNWIND $ids AS id MATCH (j:{_JOURNAL.label} {{{_JID}: id}}) RETURN j.facts AS facts"
JOURNAL_DROP = f"UNWIND $ids AS id MATCH (j:{_JOURNAL.label} {{{_JID}: id}}) DELETE j"
# MERGE on a uniquely constrained key locks that key until the transaction ends, created or not: a
# second fold waits here, then reads the journal the first one left.
FOLD_LOCK = f"MERGE (l:{_FOLD.label} {{{_FOLD.key.name}: $name}})"
FOLD_UNLOCK = f"MATCH (l:{_FOLD.label} {{{_FOLD.key.name}: $name}}) DELETE l"

VECTOR_INDEX_CONFIG = """
SHOW VECTOR INDEXES YIELD name, options WHERE name = $name
RETURN toInteger(options.indexConfig.`vector.dimensions`) AS dimensions,
       options.indexConfig.`vector.quantization.enabled` AS quantization
"""

# Polled in short statements while indexes populate: one `db.awaitIndexes` call would be a single
# transaction, which the server's transaction timeout (120 s on the project's server) ends long before
# the indexes over a million letters are built.
INDEX_STATES = """
SHOW INDEXES YIELD name, state, populationPercent, failureMessage
RETURN name, state, populationPercent AS percent, failureMessage AS failure
ORDER BY name
"""

COUNTS = """
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
CALL () { MATCH (c:Case) RETURN count(c) AS cases }
CALL () { MATCH (d:Decision) RETURN count(d) AS decisions }
RETURN nodes, relationships, cases, decisions
"""

IS_EMPTY = "MATCH (n) RETURN count(n) = 0 AS empty LIMIT 1"

# A node's key, whatever its label: `Diagnosis.name` is a property but `Treatment.name` a key.
_ANY_KEY = (
    "CASE "
    + " ".join(f"WHEN {{n}}:{n.label} THEN {{n}}.{n.key.name}" for n in declaration.GRAPH.nodes)
    + " END"
)
# The Dataset node's loaded_at is left out: two loads of the same letters differ only in when they
# finished, and the rest of the node (its id above all) must still agree between them.
NODE_FINGERPRINT = f"""
MATCH (n)
RETURN labels(n) AS labels,
       CASE WHEN n:{_DATASET.label} THEN n {{.*, loaded_at: null}} ELSE properties(n) END AS props
"""
RELATIONSHIP_FINGERPRINT = f"""
MATCH (a)-[r]->(b)
RETURN type(r) AS type, {_ANY_KEY.format(n="a")} AS start, {_ANY_KEY.format(n="b")} AS end, properties(r) AS props
"""
RELATIONSHIP_KEYS = f"""
MATCH (a)-[r]->(b)
RETURN type(r) + ':' + {_ANY_KEY.format(n="a")} + '>' + {_ANY_KEY.format(n="b")} AS k
"""
