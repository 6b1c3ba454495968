"""The tally journal: how the incremental loader keeps the tallies exact without incrementing them
in every batch.

A batch's transaction writes its letters and one `TallyJournal` node holding their signed tally
facts (what the letters add, and what the letters they replace take away). A fold, in one
transaction, sums many journal nodes, adds the sum to the cells and deletes those nodes. Why: the
server's cost is per cell touched, and batches touch the same cells again and again (20,000
synthetic letters touch 414,000 cells in batches of 2,500 but 65,000 distinct ones). Nothing is lost
when a loader dies: its committed batches' journal nodes stay until any later fold takes them, and
until then the API sees a journal node and answers by traversal (api/cypher/tally_answers.py).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from neo4j import Driver, ManagedTransaction

from graph_loader.graph.tallies import CaseFacts, Tallies, journal_blob, journal_facts
from graph_loader.load import write_queries as queries

# Letters' facts per fold transaction: each fold touches the distinct cells of this many letters
# (65,425 for 25,000 synthetic letters, near the 52,000 one batch of 2,500 touched before, which
# fits the project's 2 GB heap; docs/benchmarks.md, 2026-12-07, fifth session).
FOLD_LETTERS = 25_000
_LOCK = "tallies"


def record(tx: ManagedTransaction, signed: list[tuple[int, CaseFacts]]) -> None:
    """Inside a batch's transaction: its signed facts, as one journal node."""
    if signed:
        tx.run(
            queries.JOURNAL_WRITE, id=uuid.uuid4().hex, letters=len(signed), facts=journal_blob(signed)
        ).consume()


@dataclass
class Folded:
    journals: int = 0
    letters: int = 0
    cells: int = 0
    seconds: float = 0.0


def fold(driver: Driver, database: str, *, letters_per_fold: int = FOLD_LETTERS) -> Folded:
    """Every pending journal node (this loader's, another's, or a dead one's) added to the cells, in
    transactions of about `letters_per_fold` letters' facts each."""
    total = Folded()
    started = time.perf_counter()
    while True:
        with driver.session(database=database) as session:
            got = session.execute_write(_fold_some, letters_per_fold)
        if not got.journals:
            break
        total.journals += got.journals
        total.letters += got.letters
        total.cells += got.cells
    total.seconds = time.perf_counter() - started
    return total


def _fold_some(tx: ManagedTransaction, letters_per_fold: int) -> Folded:
    tx.run(queries.FOLD_LOCK, name=_LOCK).consume()
    taken: list[str] = []
    letters = 0
    for rec in tx.run(queries.JOURNAL_PENDING):
        if taken and letters + rec["letters"] > letters_per_fold:
            break
        taken.append(rec["id"])
        letters += rec["letters"]
    out = Folded(journals=len(taken), letters=letters)
    if taken:
        tallies = Tallies()
        for rec in tx.run(queries.JOURNAL_READ, ids=taken):
            for sign, facts in journal_facts(rec["facts"]):
                tallies.add(facts, sign)
        # Cells in key order (Tallies.rows), as every writer of them takes their locks.
        for label, cells in tallies.rows().items():
            if cells:
                tx.run(queries.TALLY_WRITES[label], rows=cells).consume()
                out.cells += len(cells)
        tx.run(queries.JOURNAL_DROP, ids=taken).consume()
    tx.run(queries.FOLD_UNLOCK, name=_LOCK).consume()
    return out
