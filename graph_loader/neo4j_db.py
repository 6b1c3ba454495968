"""The one module of the loader that talks to Neo4j: schema, batched writes, counts."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from neo4j import Driver, GraphDatabase, ManagedTransaction

from graph_loader import queries
from graph_loader.config import Settings
from graph_loader.rows import GRAPH_MODEL_VERSION, GraphRows, shared_rows


def connect(settings: Settings) -> Driver:
    driver = GraphDatabase.driver(
        settings.uri, auth=(settings.user, settings.password), notifications_min_severity="OFF"
    )
    driver.verify_connectivity()
    return driver


def create_schema(driver: Driver, database: str) -> None:
    """Constraints and indexes before any load, so every MERGE is an index lookup."""
    for statement in queries.SCHEMA.values():
        driver.execute_query(statement, database_=database)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)


def _write_batch(tx: ManagedTransaction, rows: GraphRows, hashes: dict[str, str]) -> list[str]:
    ids = [r["letter_id"] for r in rows.cases]
    locked = tx.run(queries.LOCK_CASES, ids=sorted(ids))
    existing = {
        rec["letter_id"]: (rec["content_hash"], rec["graph_model"])
        for rec in locked
        if rec["content_hash"] is not None
    }
    unchanged = {lid for lid, h in hashes.items() if existing.get(lid) == (h, GRAPH_MODEL_VERSION)}
    if len(unchanged) == len(ids):
        return sorted(unchanged)
    changed = [lid for lid in ids if lid in existing and lid not in unchanged]
    if changed:
        tx.run(queries.DELETE_CASE_FACTS, ids=changed).consume()
    todo = {
        name: [r for r in getattr(rows, name) if r.get("letter_id", _letter_of(r)) not in unchanged]
        for name in queries.LOAD_ORDER
    }
    fresh = GraphRows(**todo, diagnosis_hierarchy=[r for r in rows.diagnosis_hierarchy])
    shared = shared_rows(fresh)
    for name in queries.SHARED_ORDER:
        if shared[name]:
            tx.run(queries.SHARED[name], rows=shared[name]).consume()
    for name in queries.LOAD_ORDER:
        if todo[name]:
            tx.run(queries.LOAD[name], rows=todo[name]).consume()
    return sorted(unchanged)


def _letter_of(row: dict[str, Any]) -> str:
    return str(row.get("decision_id", "")).rsplit("#", 1)[0]


def write_batch(driver: Driver, database: str, rows: GraphRows) -> list[str]:
    """Write one batch in one transaction (retried on transient errors); returns the unchanged ids."""
    hashes = {r["letter_id"]: r["content_hash"] for r in rows.cases}
    with driver.session(database=database) as session:
        return session.execute_write(_write_batch, rows, hashes)


def counts(driver: Driver, database: str) -> dict[str, int]:
    records, _, _ = driver.execute_query(queries.COUNTS, database_=database)
    record = records[0]
    return {k: int(record[k]) for k in ("nodes", "relationships", "cases", "decisions")}


def is_empty(driver: Driver, database: str) -> bool:
    records, _, _ = driver.execute_query(queries.IS_EMPTY, database_=database)
    return bool(records[0]["empty"])


def fingerprint(driver: Driver, database: str) -> str:
    """SHA-256 over every node and relationship with all their properties: equal only for equal graphs."""
    lines: list[str] = []
    with driver.session(database=database, default_access_mode="READ") as session:
        for query in (queries.NODE_FINGERPRINT, queries.RELATIONSHIP_FINGERPRINT):
            lines.extend(
                json.dumps(list(r.values()), sort_keys=True, default=str) for r in session.run(query)
            )
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line.encode() + b"\n")
    return digest.hexdigest()


def checksum(driver: Driver, database: str) -> str:
    """SHA-256 over every relationship as (type, start key, end key), sorted: equal graphs, equal sums."""
    records, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) + ':' + "
        "coalesce(a.letter_id, a.decision_id, a.code, a.name, a.key) + '>' + "
        "coalesce(b.letter_id, b.decision_id, b.code, b.name, b.key) AS k",
        database_=database,
    )
    digest = hashlib.sha256()
    for key in sorted(str(r["k"]) for r in records):
        digest.update(key.encode() + b"\n")
    return digest.hexdigest()
