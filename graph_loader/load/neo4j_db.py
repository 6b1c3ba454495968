"""The one module of the loader that talks to Neo4j: schema, batched writes, counts."""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from neo4j import Driver, GraphDatabase, ManagedTransaction

from graph_loader import progress
from graph_loader.config import Settings
from graph_loader.errors import ImrGraphError
from graph_loader.graph import declaration
from graph_loader.graph.rows import GRAPH_MODEL_VERSION, GraphRows, LetterRows, Row, dataset_row
from graph_loader.graph.tallies import TALLIES_SINCE_MODEL, Tallies, facts_from_record, facts_from_rows
from graph_loader.load import write_queries as queries


def connect(settings: Settings) -> Driver:
    driver = GraphDatabase.driver(
        settings.uri, auth=(settings.user, settings.password), notifications_min_severity="OFF"
    )
    driver.verify_connectivity()
    return driver


def create_schema(driver: Driver, database: str, show_progress: bool = False) -> None:
    """Constraints and indexes before any load, so every MERGE is an index lookup. A vector index
    built for another dimension (an older loader's vectors) is dropped first: `IF NOT EXISTS` would
    keep it, and every query against it would fail."""
    for index in declaration.GRAPH.vector:
        records, _, _ = driver.execute_query(
            queries.VECTOR_INDEX_DIMENSIONS, name=index.name, database_=database
        )
        if records and records[0]["dimensions"] != index.dimensions:
            driver.execute_query(f"DROP INDEX {index.name} IF EXISTS", database_=database)
    for statement in queries.SCHEMA.values():
        driver.execute_query(statement, database_=database)
    with progress.counter(show_progress, "indexes", unit="%", total=100) as tick:
        shown = 0

        def advance(waiting: list[tuple[str, float]]) -> None:
            nonlocal shown
            least = int(min(percent for _, percent in waiting))
            if least > shown:
                tick(least - shown)
                shown = least

        await_indexes(driver, database, on_progress=advance)


class IndexesNotOnline(ImrGraphError):
    """An index failed to populate, or was still populating when the wait ran out."""


# A million letters' indexes (the vector index above all) take tens of minutes on two cores.
INDEX_WAIT_S = 6 * 3600.0


def await_indexes(
    driver: Driver,
    database: str,
    deadline_s: float = INDEX_WAIT_S,
    poll_s: float = 2.0,
    on_progress: Callable[[list[tuple[str, float]]], None] | None = None,
) -> None:
    """Until every index is ONLINE, polling their states; an index that FAILED is reported by name
    with Neo4j's reason, and one still populating at the deadline by name with how far it got."""
    stop = time.monotonic() + deadline_s
    while True:
        records, _, _ = driver.execute_query(queries.INDEX_STATES, database_=database)
        failed = [r for r in records if r["state"] == "FAILED"]
        if failed:
            raise IndexesNotOnline(
                "; ".join(
                    f"index {r['name']} failed to populate: {r['failure'] or 'no reason given'}"
                    for r in failed
                )
            )
        waiting = [(str(r["name"]), float(r["percent"] or 0.0)) for r in records if r["state"] != "ONLINE"]
        if not waiting:
            return
        if time.monotonic() > stop:
            raise IndexesNotOnline(
                f"indexes still populating after {deadline_s:.0f} s: "
                + ", ".join(f"{name} ({percent:.0f} %)" for name, percent in waiting)
                + "; what was written is kept and Neo4j goes on building them (`SHOW INDEXES` shows how far)"
            )
        if on_progress is not None:
            on_progress(waiting)
        time.sleep(poll_s)


def _write_batch(tx: ManagedTransaction, letters: list[LetterRows], clock: list[float]) -> set[str]:
    ids = sorted(lr.letter_id for lr in letters)
    locked = tx.run(queries.LOCK_CASES, ids=ids)
    existing = {
        rec["letter_id"]: (rec["content_hash"], rec["graph_model"])
        for rec in locked
        if rec["content_hash"] is not None
    }
    unchanged = {
        lr.letter_id for lr in letters if existing.get(lr.letter_id) == (lr.content_hash, GRAPH_MODEL_VERSION)
    }
    if len(unchanged) == len(ids):
        return unchanged
    changed = [lid for lid in ids if lid in existing and lid not in unchanged]
    deltas = Tallies()
    started = time.perf_counter()
    if changed:
        # Letters written before tallies existed (model < 5) were never counted: nothing to take away.
        counted = [lid for lid in changed if (existing[lid][1] or 0) >= TALLIES_SINCE_MODEL]
        for rec in tx.run(queries.CASE_TALLY_FACTS, ids=counted) if counted else ():
            deltas.add(facts_from_record(rec), sign=-1)
        tx.run(queries.DELETE_CASE_FACTS, ids=changed).consume()
    clock[0] += time.perf_counter() - started
    new = [lr for lr in letters if lr.letter_id not in unchanged]
    rows = GraphRows.combine(new)
    for kind, name in queries.WRITE_ORDER:
        batch = rows.nodes[name] if kind == "node" else rows.relationships[name]
        if batch:
            cypher = queries.NODE_WRITES[name] if kind == "node" else queries.RELATIONSHIP_WRITES[name]
            tx.run(cypher, rows=batch).consume()
    started = time.perf_counter()
    for lr in new:
        deltas.add(facts_from_rows(lr))
    for label, tally_rows in deltas.rows().items():
        if tally_rows:
            tx.run(queries.TALLY_WRITES[label], rows=tally_rows).consume()
    clock[0] += time.perf_counter() - started
    return unchanged


@dataclass
class UnwindWriter:
    """The incremental path: one transaction per batch (retried on transient errors), into a running
    server, new or not. Letters already there with the same content and model version are skipped."""

    driver: Driver
    database: str
    # Seconds spent on the tallies (their facts, deltas and increments, server time included), so
    # benchmarks can say what they cost; a retried transaction counts each attempt.
    tally_seconds: float = 0.0

    def write(self, letters: list[LetterRows]) -> set[str]:
        clock = [0.0]
        with self.driver.session(database=self.database) as session:
            unchanged = session.execute_write(_write_batch, letters, clock)
        self.tally_seconds += clock[0]
        return unchanged

    def close(self) -> None:
        """The driver belongs to the caller."""


def forget_dataset(driver: Driver, database: str) -> None:
    """Before a load writes: what the graph held no longer describes it until the load finishes."""
    driver.execute_query(queries.DATASET_FORGET, database_=database)


def record_dataset(driver: Driver, database: str) -> Row:
    """The Dataset node of the graph as it is now, written when a load finishes (both paths): its id
    from every case's content hash, streamed in the order the server sorts them in."""
    with driver.session(database=database) as session:

        def hashes() -> Iterator[str]:
            for record in session.run(queries.CASE_HASHES):
                yield str(record["h"])

        decisions = int(session.run(queries.DECISION_COUNT).single(strict=True)["n"])
        loaded_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        row = dataset_row(hashes(), decisions=decisions, loaded_at=loaded_at)
        session.execute_write(lambda tx: tx.run(queries.DATASET_WRITE, rows=[row]).consume())
    return row


def read_dataset(driver: Driver, database: str) -> Row | None:
    """The Dataset node's properties, or None when no load has finished on this graph."""
    records, _, _ = driver.execute_query(queries.DATASET_READ, database_=database, routing_="r")
    return dict(records[0]["row"]) if records else None


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
    records, _, _ = driver.execute_query(queries.RELATIONSHIP_KEYS, database_=database)
    digest = hashlib.sha256()
    for key in sorted(str(r["k"]) for r in records):
        digest.update(key.encode() + b"\n")
    return digest.hexdigest()
