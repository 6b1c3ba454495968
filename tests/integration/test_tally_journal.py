"""The incremental loader's tally journal (graph_loader/load/tally_journal.py): batches a loader
committed but never folded (it died) are folded by the next load; while they wait the API does not
answer from the tallies; two folds at once add each batch once; a finished load leaves no journal."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from neo4j import Driver

from api.cypher.tally_answers import DATE_ORDER_MODEL, TALLIES_READY
from bench.synth import generate
from graph_loader.config import Settings
from graph_loader.extract.letter import parse_text
from graph_loader.graph.rows import batch_rows
from graph_loader.load import neo4j_db, tally_journal
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters
from tests.helpers import tally_mismatches

JOURNAL = "MATCH (j:TallyJournal) RETURN count(j) AS n"
LOCKS = "MATCH (l:TallyFold) RETURN count(l) AS n"


def _count(driver: Driver, cypher: str) -> int:
    return int(driver.execute_query(cypher)[0][0]["n"])


def _ready(driver: Driver) -> bool:
    return bool(driver.execute_query(TALLIES_READY, date_order_model=DATE_ORDER_MODEL)[0][0]["ready"])


@pytest.fixture(scope="module")
def synthetic() -> dict[str, str]:
    return {s.name: s.text for s in generate(48, seed=41)}


def _unfolded_batches(settings: Settings, texts: dict[str, str], size: int) -> None:
    """Batches committed as a loader commits them, with the fold that would follow never run."""
    driver = neo4j_db.connect(settings)
    try:
        neo4j_db.create_schema(driver, settings.database)
        writer = neo4j_db.UnwindWriter(driver, settings.database, fold_letters=10**9)
        letters = [parse_text(text, name) for name, text in sorted(texts.items())]
        for at in range(0, len(letters), size):
            writer.write(batch_rows(letters[at : at + size]))
    finally:
        driver.close()


def test_a_dead_loaders_batches_wait_in_the_journal_and_the_next_load_folds_them(
    empty_graph: Settings, driver: Driver, synthetic: dict[str, str], tmp_path: Path
) -> None:
    _unfolded_batches(empty_graph, synthetic, size=10)
    assert _count(driver, JOURNAL) == 5
    assert tally_mismatches(empty_graph) != []  # the cells lack the journal's letters
    assert not _ready(driver)  # so the API answers by traversal

    folder = tmp_path / "letters"
    folder.mkdir()
    for name, text in synthetic.items():
        (folder / name).write_text(text)
    summary = load_letters(LetterFiles([folder]), empty_graph)
    assert summary.unchanged == len(synthetic) and summary.loaded == 0
    assert _count(driver, JOURNAL) == 0 and _count(driver, LOCKS) == 0
    assert tally_mismatches(empty_graph) == []
    assert _ready(driver)


def test_two_folds_at_once_add_each_batch_once(
    empty_graph: Settings, driver: Driver, synthetic: dict[str, str]
) -> None:
    _unfolded_batches(empty_graph, synthetic, size=3)
    assert _count(driver, JOURNAL) == 16
    folded: list[tally_journal.Folded] = []
    errors: list[BaseException] = []

    def fold() -> None:
        try:
            # A few letters per transaction, so the two folds take turns many times.
            folded.append(tally_journal.fold(driver, empty_graph.database, letters_per_fold=6))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=fold) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(f.journals for f in folded) == 16
    assert sum(f.letters for f in folded) == len(synthetic)
    assert _count(driver, JOURNAL) == 0 and _count(driver, LOCKS) == 0
    assert tally_mismatches(empty_graph) == []


def test_a_load_folds_on_the_way_and_leaves_no_journal(
    empty_graph: Settings, driver: Driver, synthetic: dict[str, str]
) -> None:
    driver_ = neo4j_db.connect(empty_graph)
    try:
        neo4j_db.create_schema(driver_, empty_graph.database)
        writer = neo4j_db.UnwindWriter(driver_, empty_graph.database, fold_letters=20)
        letters = [parse_text(text, name) for name, text in sorted(synthetic.items())]
        for at in range(0, len(letters), 8):
            writer.write(batch_rows(letters[at : at + 8]))
            # Folded once 20 letters are waiting: at most two batches and a half are ever pending.
            assert _count(driver, JOURNAL) <= 2
        writer.fold()
    finally:
        driver_.close()
    assert _count(driver, JOURNAL) == 0
    assert tally_mismatches(empty_graph) == []
