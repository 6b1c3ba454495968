"""The one module of the loader that talks to Neo4j: schema, batched writes, counts."""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from neo4j import Driver, GraphDatabase, ManagedTransaction, Record
from neo4j.exceptions import AuthError, ServiceUnavailable

from graph_loader import progress
from graph_loader.config import Settings, credentials_refused, server_unreachable
from graph_loader.errors import ImrGraphError
from graph_loader.graph import declaration
from graph_loader.graph.rows import GRAPH_MODEL_VERSION, GraphRows, LetterRows, Row, dataset_row
from graph_loader.graph.tallies import TALLIES_SINCE_MODEL, CaseFacts, facts_from_record, facts_from_rows
from graph_loader.load import tally_journal
from graph_loader.load import write_queries as queries
from graph_loader.load.near_duplicates import (
    Stamp,
    near_keys,
    newer,
    newness,
    stamp_of_case,
    stamp_of_rows,
    why_same,
)


class Neo4jUnreachable(ImrGraphError):
    """Nothing answers at NEO4J_URI, or the server refuses the login: one line naming what to set."""


def connect(settings: Settings) -> Driver:
    """A driver that has reached the server; fails at once (no 30 s of retries) when it cannot."""
    try:
        driver = GraphDatabase.driver(
            settings.uri, auth=(settings.user, settings.password), notifications_min_severity="OFF"
        )
    except ValueError as exc:
        raise Neo4jUnreachable(f"NEO4J_URI {settings.uri!r} is not a Neo4j address: {exc}") from exc
    try:
        driver.verify_connectivity()
    except AuthError as exc:
        driver.close()
        raise Neo4jUnreachable(credentials_refused(settings)) from exc
    except (ServiceUnavailable, OSError) as exc:
        driver.close()
        raise Neo4jUnreachable(server_unreachable(settings)) from exc
    return driver


def create_schema(driver: Driver, database: str, show_progress: bool = False) -> None:
    """Constraints and indexes before any load, so every MERGE is an index lookup. A vector index
    built otherwise than declared is dropped first, since `IF NOT EXISTS` would keep it: for
    another dimension (an older loader's vectors) every query against it would fail, and with
    quantization (an older loader's default) it proposes poorer candidates."""
    for index in declaration.GRAPH.vector:
        records, _, _ = driver.execute_query(queries.VECTOR_INDEX_CONFIG, name=index.name, database_=database)
        if records and (records[0]["dimensions"], records[0]["quantization"]) != (
            index.dimensions,
            index.quantization,
        ):
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


Pair = tuple[Stamp, Stamp, str]


@dataclass
class _Written:
    """What a batch's transaction did besides writing: the letters already there unchanged, those
    not written because the graph held a newer letter of their case, and the older cases replaced."""

    unchanged: set[str] = field(default_factory=set)
    kept_by_graph: list[Pair] = field(default_factory=list)
    replaced: list[Pair] = field(default_factory=list)


def _write_batch(
    tx: ManagedTransaction, letters: list[LetterRows], retract: list[str], clock: list[float]
) -> _Written:
    ids = sorted(lr.letter_id for lr in letters)
    locked = tx.run(queries.LOCK_CASES, ids=ids)
    existing = {
        rec["letter_id"]: (rec["content_hash"], rec["graph_model"])
        for rec in locked
        if rec["content_hash"] is not None
    }
    out = _Written(
        unchanged={
            lr.letter_id
            for lr in letters
            if existing.get(lr.letter_id) == (lr.content_hash, GRAPH_MODEL_VERSION)
        }
    )
    # A letter replacing one of its own id written earlier in the load: the load has named that pair.
    named = set(retract) & set(ids)
    retract = sorted(set(retract) - set(ids))
    if len(out.unchanged) == len(ids) and not retract:
        return out
    rows_of = {lr.letter_id: lr for lr in letters}
    stamps = {lid: stamp_of_rows(lr.nodes["Case"][0], lr.nodes["Decision"]) for lid, lr in rows_of.items()}
    dropped: set[str] = set()
    # Cases of other ids that go whole: retracted by the load, or replaced by a newer letter here.
    gone: dict[str, Row] = {
        rec["case"]["letter_id"]: rec["case"] for rec in _run(tx, queries.CASE_STAMPS, retract)
    }
    changed = [lid for lid in ids if lid in existing and lid not in out.unchanged]
    for rec in _run(tx, queries.CASE_STAMPS, changed):
        old = stamp_of_case(rec["case"])
        _one_of(stamps[old.letter_id], old, rec["case"], rows_of, out, dropped, gone, same_id=True)
    probes = [
        {
            "letter_id": lid,
            "injury_date": st.injury_date,
            "decision_date": st.decision_date,
            "date_assigned": st.assigned,
        }
        for lid, st in stamps.items()
        if lid not in out.unchanged and lid not in dropped and near_keys(st)
    ]
    candidates: dict[str, list[Row]] = {}
    for rec in tx.run(queries.NEAR_CANDIDATES, probes=probes, ids=ids + retract) if probes else ():
        candidates.setdefault(rec["incoming"], []).append(rec["case"])
    for lid, cases in candidates.items():
        st = stamps[lid]
        matching = [(stamp_of_case(c), c) for c in cases if why_same(st, stamp_of_case(c))]
        newest = max(matching, key=lambda m: newness(m[0]), default=None)
        if newest is not None and newer(st, newest[0]) is newest[0]:
            _one_of(st, newest[0], newest[1], rows_of, out, dropped, gone, same_id=False)
            continue
        for old, case in matching:
            _one_of(st, old, case, rows_of, out, dropped, gone, same_id=False)
    out.replaced = [pair for pair in out.replaced if pair[0].letter_id not in named]
    changed = [lid for lid in changed if lid not in dropped]
    started = time.perf_counter()
    # Letters written before tallies existed (model < 5) were never counted: nothing to take away.
    counted = [lid for lid in changed if (existing[lid][1] or 0) >= TALLIES_SINCE_MODEL]
    counted += [lid for lid, case in gone.items() if (case["graph_model"] or 0) >= TALLIES_SINCE_MODEL]
    taken = [
        facts_from_record(rec) for rec in (tx.run(queries.CASE_TALLY_FACTS, ids=counted) if counted else ())
    ]
    if changed:
        tx.run(queries.DELETE_CASE_FACTS, ids=changed).consume()
    if gone:
        tx.run(queries.DELETE_CASES, ids=sorted(gone)).consume()
    if dropped:
        tx.run(queries.DROP_PLACEHOLDERS, ids=sorted(dropped)).consume()
    clock[0] += time.perf_counter() - started
    new = [lr for lr in letters if lr.letter_id not in out.unchanged and lr.letter_id not in dropped]
    rows = GraphRows.combine(new)
    for kind, name in queries.WRITE_ORDER:
        batch = rows.nodes[name] if kind == "node" else rows.relationships[name]
        if batch:
            cypher = queries.NODE_WRITES[name] if kind == "node" else queries.RELATIONSHIP_WRITES[name]
            tx.run(cypher, rows=batch).consume()
    started = time.perf_counter()
    tally_journal.record(tx, _tally_facts(taken, new))
    clock[0] += time.perf_counter() - started
    return out


def _tally_facts(taken: list[CaseFacts], new: list[LetterRows]) -> list[tuple[int, CaseFacts]]:
    """The batch's signed tally facts: what the letters it takes away had, and what its letters add.
    One function, so bench/load_speed.py can leave the tallies out and measure what they cost."""
    return [(-1, facts) for facts in taken] + [(1, facts_from_rows(lr)) for lr in new]


def _run(tx: ManagedTransaction, cypher: str, ids: list[str]) -> list[Record]:
    return list(tx.run(cypher, ids=ids)) if ids else []


def _one_of(
    st: Stamp,
    old: Stamp,
    case: Row,
    rows_of: dict[str, LetterRows],
    out: _Written,
    dropped: set[str],
    gone: dict[str, Row],
    *,
    same_id: bool,
) -> None:
    """A letter of the batch and a case the graph holds, one case (or the same file rewritten, when the
    source is the same): keep the newer; the kept one carries the sources the other had replaced."""
    why = why_same(st, old)
    if why is None or (same_id and st.source == old.source):
        # The same file, changed on disk: the normal update, keeping what the case had replaced.
        if why is None and not same_id:
            return
        _carry(rows_of[st.letter_id], list(case["superseded_sources"] or []))
        return
    if newer(st, old) is old:
        dropped.add(st.letter_id)
        out.kept_by_graph.append((st, old, why))
        return
    out.replaced.append((st, old, why))
    _carry(rows_of[st.letter_id], [*(case["superseded_sources"] or []), old.source])
    if not same_id:
        gone[old.letter_id] = case


def _carry(lr: LetterRows, sources: list[str]) -> None:
    row = lr.nodes["Case"][0]
    had = row.get("superseded_sources") or []
    merged = [*had, *(s for s in sources if s not in had and s != row["source"])]
    row["superseded_sources"] = merged or None


@dataclass
class UnwindWriter:
    """The incremental path: one transaction per batch (retried on transient errors), into a running
    server, new or not. Letters already there with the same content and model version are skipped; a
    letter and a case the graph holds that are one case (near_duplicates.py) leave the newer."""

    driver: Driver
    database: str
    # Letters between folds of the tally journal (tally_journal.py); `fold` takes the rest.
    fold_letters: int = tally_journal.FOLD_LETTERS
    # Seconds spent on the tallies (their facts, the journal and its folds, server time included), so
    # benchmarks can say what they cost; a retried transaction counts each attempt.
    tally_seconds: float = 0.0
    _unfolded: int = 0
    _kept_by_graph: list[Pair] = field(default_factory=list)
    _replaced: list[Pair] = field(default_factory=list)

    def write(self, letters: list[LetterRows], retract: Sequence[str] = ()) -> set[str]:
        clock = [0.0]
        with self.driver.session(database=self.database) as session:
            written = session.execute_write(_write_batch, letters, list(retract), clock)
        self.tally_seconds += clock[0]
        self._kept_by_graph += written.kept_by_graph
        self._replaced += written.replaced
        self._unfolded += len(letters) + len(retract)
        if self._unfolded >= self.fold_letters:
            self.fold()
        return written.unchanged

    def fold(self) -> tally_journal.Folded:
        """Every pending batch of the tally journal added to the cells: at the end of a load, before
        the Dataset node says the graph is complete, and every `fold_letters` letters on the way."""
        folded = tally_journal.fold(self.driver, self.database, letters_per_fold=self.fold_letters)
        self.tally_seconds += folded.seconds
        self._unfolded = 0
        return folded

    def kept_by_graph(self) -> list[Pair]:
        pairs, self._kept_by_graph = self._kept_by_graph, []
        return pairs

    def replaced_in_graph(self) -> list[Pair]:
        pairs, self._replaced = self._replaced, []
        return pairs

    def supersede(self, replaced: Iterable[tuple[str, list[str]]]) -> None:
        supersede(self.driver, self.database, replaced)

    def close(self) -> None:
        """The driver belongs to the caller."""


def supersede(driver: Driver, database: str, replaced: Iterable[tuple[str, list[str]]]) -> None:
    """Add to each case's `superseded_sources` the sources of the letters it replaced."""
    rows = [{"letter_id": letter_id, "sources": sources} for letter_id, sources in replaced]
    for at in range(0, len(rows), 1000):
        driver.execute_query(queries.SUPERSEDE, rows=rows[at : at + 1000], database_=database)


def forget_dataset(driver: Driver, database: str) -> None:
    """Before a load writes: what the graph held no longer describes it until the load finishes."""
    driver.execute_query(queries.DATASET_FORGET, database_=database)


def drop_empty_case_cells(driver: Driver, database: str) -> None:
    """CaseTally cells that earlier loaders left at zero cases (write_queries.EMPTY_CASE_CELLS_DROP)."""
    driver.execute_query(queries.EMPTY_CASE_CELLS_DROP, database_=database)


def record_dataset(driver: Driver, database: str) -> Row:
    """The Dataset node of the graph as it is now, written when a load finishes (both paths): its id
    from every case's content hash, streamed in the order the server sorts them in."""
    with driver.session(database=database) as session:

        def hashes() -> Iterator[str]:
            for record in session.run(queries.CASE_HASHES, chunk=queries.CASE_HASH_CHUNK):
                yield from record["hashes"]

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
