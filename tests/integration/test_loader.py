"""The loader against a real Neo4j: counts, idempotence, replacement of changed letters, the flagship
query, and bad files beside good ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from neo4j import Driver

from graph_loader import stored_queries as library
from graph_loader.config import Settings
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.embedding import DIMENSIONS as EMBEDDING_DIMENSIONS
from graph_loader.graph.tallies import LABELS as TALLY_LABELS
from graph_loader.load import neo4j_db
from graph_loader.load import write_queries as queries
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "letters"
FLAGSHIP = library.get("flagship_guideline_sections").cypher


def test_sample_counts(empty_graph: Settings, driver: Driver) -> None:
    summary = load_letters(LetterFiles([SAMPLES]), empty_graph)
    assert (summary.loaded, summary.rejected, summary.decisions) == (5, 0, 9)
    counts = neo4j_db.counts(driver, "neo4j")
    assert counts["cases"] == 5 and counts["decisions"] == 9
    records, _, _ = driver.execute_query(
        "MATCH (:Decision)-[r:CITES]->(:GuidelineSection)-[:PART_OF]->(g:Guideline) "
        "RETURN r.by AS by, count(*) AS n ORDER BY by"
    )
    by = {r["by"]: r["n"] for r in records}
    assert by["IMR_REVIEWER"] >= 9 and by["CLAIMS_ADMINISTRATOR"] >= 8
    # every relationship that comes from text carries its provenance
    records, _, _ = driver.execute_query(
        "MATCH ()-[r:CITES|HAS_DIAGNOSIS|DENIED_BECAUSE]->() WHERE r.letter_id IS NULL OR r.span IS NULL "
        "RETURN count(r) AS missing"
    )
    assert records[0]["missing"] == 0


def test_loading_twice_gives_the_identical_graph(empty_graph: Settings, driver: Driver) -> None:
    load_letters(LetterFiles([SAMPLES]), empty_graph)
    before = (neo4j_db.counts(driver, "neo4j"), neo4j_db.checksum(driver, "neo4j"))
    again = load_letters(LetterFiles([SAMPLES]), empty_graph)
    assert again.unchanged == 5 and again.loaded == 0
    assert (neo4j_db.counts(driver, "neo4j"), neo4j_db.checksum(driver, "neo4j")) == before


def test_a_changed_letter_replaces_its_facts(empty_graph: Settings, driver: Driver, tmp_path: Path) -> None:
    letter = next(SAMPLES.glob("004_*.txt"))
    target = tmp_path / "letter.txt"
    shutil.copy(letter, target)
    load_letters(LetterFiles([target]), empty_graph)
    # A corrected letter with the same identity (no case number: the id is the source's content hash,
    # so give it a case number to keep its identity across the edit).
    text = "Case Number: CM15-0000001\n" + letter.read_text()
    target.write_text(text)
    load_letters(LetterFiles([target]), empty_graph)
    target.write_text(text.replace("MASSAGE X 2:  Upheld", "MASSAGE X 2:  Overturned"))
    load_letters(LetterFiles([target]), empty_graph)
    records, _, _ = driver.execute_query(
        "MATCH (c:Case {letter_id: 'CM15-0000001'})-[:HAS_DECISION]->(d) RETURN d.item AS item, d.outcome AS o "
        "ORDER BY d.index"
    )
    assert [(r["item"], r["o"]) for r in records][-1] == ("MASSAGE X 2", "OVERTURNED")
    assert len(records) == 3
    records, _, _ = driver.execute_query(
        "MATCH (d:Decision) WHERE NOT ()-[:HAS_DECISION]->(d) RETURN count(d) AS n"
    )
    assert records[0]["n"] == 0


def test_flagship_query_on_the_sample(empty_graph: Settings, driver: Driver) -> None:
    load_letters(LetterFiles([SAMPLES]), empty_graph)
    records, _, _ = driver.execute_query(
        FLAGSHIP,
        diagnosis_codes=["M54.16"],
        outcome="UPHELD",
        cited_by="IMR_REVIEWER",
        group_by="SECTION",
        year=None,
        include_uncertain=False,
        first=10,
    )
    rows = [(r["guideline"], r["section"], r["decisions"]) for r in records]
    assert rows[0][0] == "Chronic Pain Medical Treatment Guidelines"
    # "Page(s): 98-99" of the Chronic Pain guideline is its Physical medicine section.
    assert any(r["section"] == "Physical medicine" and r["pages"] == [98, 99] for r in records)
    assert all(r["url"] for r in records)


def test_bad_file_beside_good_ones(empty_graph: Settings, tmp_path: Path, driver: Driver) -> None:
    for p in SAMPLES.glob("*.txt"):
        shutil.copy(p, tmp_path / p.name)
    first = next(SAMPLES.glob("*.txt"))
    shutil.copy(first, tmp_path / "zz-same-letter-again.txt")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "junk.pdf").write_bytes(b"\x00\x01binary junk")
    report = tmp_path / "report.txt"
    summary = load_letters(LetterFiles([tmp_path]), empty_graph, report_path=report)
    assert summary.loaded == 5 and summary.rejected == 2 and summary.duplicates == 1
    lines = report.read_text().splitlines()
    assert any("empty.txt: empty file" in line for line in lines)
    assert any("junk.pdf" in line for line in lines)
    assert neo4j_db.counts(driver, "neo4j")["cases"] == 5


def test_two_loaders_at_once_create_no_duplicates(
    empty_graph: Settings, driver: Driver, tmp_path: Path
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from bench.synth import write as write_synthetic

    write_synthetic(tmp_path, 200, seed=11)
    for p in SAMPLES.glob("*.txt"):
        shutil.copy(p, tmp_path / p.name)
    with ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(lambda _: load_letters(LetterFiles([tmp_path], 1), empty_graph, batch_size=50), [0, 1])
        )
    assert sum(r.loaded for r in results) >= 205 and all(r.rejected == 0 for r in results)
    concurrent = (neo4j_db.counts(driver, "neo4j"), neo4j_db.checksum(driver, "neo4j"))
    driver.execute_query("MATCH (n) DETACH DELETE n")
    load_letters(LetterFiles([tmp_path]), empty_graph)
    assert (neo4j_db.counts(driver, "neo4j"), neo4j_db.checksum(driver, "neo4j")) == concurrent
    records, _, _ = driver.execute_query(
        "MATCH (c:Case)-[r]->(x) WITH c, type(r) AS t, x, count(*) AS n WHERE n > 1 RETURN count(*) AS dupes"
    )
    assert records[0]["dupes"] == 0


def test_letters_loaded_by_an_older_graph_model_are_rewritten(empty_graph: Settings, driver: Driver) -> None:
    load_letters(LetterFiles([SAMPLES]), empty_graph)
    current = neo4j_db.fingerprint(driver, "neo4j")
    # What a graph loaded before Case.diagnosis_codes existed looks like (and before tallies).
    driver.execute_query("MATCH (c:Case) REMOVE c.graph_model, c.diagnosis_codes, c.embedding")
    driver.execute_query(f"MATCH (t:{'|'.join(TALLY_LABELS)}) DELETE t")
    upgraded = load_letters(LetterFiles([SAMPLES]), empty_graph)
    assert (upgraded.loaded, upgraded.unchanged) == (5, 0)
    assert neo4j_db.fingerprint(driver, "neo4j") == current
    assert load_letters(LetterFiles([SAMPLES]), empty_graph).unchanged == 5


def test_letters_counted_before_case_tallies_are_counted_once_after(
    empty_graph: Settings, driver: Driver
) -> None:
    """A graph of model 8 had every tally but CaseTally: the re-load takes the letters' old decision
    cells away and adds them anew, and adds their cases once (there was nothing to take away)."""
    load_letters(LetterFiles([SAMPLES]), empty_graph)
    current = neo4j_db.fingerprint(driver, "neo4j")
    driver.execute_query("MATCH (c:Case) SET c.graph_model = 8")
    driver.execute_query("MATCH (t:CaseTally) DELETE t")
    upgraded = load_letters(LetterFiles([SAMPLES]), empty_graph)
    assert (upgraded.loaded, upgraded.unchanged) == (5, 0)
    assert neo4j_db.fingerprint(driver, "neo4j") == current


def test_the_vector_index_is_built_with_the_declared_options(empty_graph: Settings, driver: Driver) -> None:
    load_letters(LetterFiles([SAMPLES]), empty_graph)
    records, _, _ = driver.execute_query(
        "SHOW VECTOR INDEXES YIELD name, options WHERE name = 'case_embedding' "
        "RETURN options.indexConfig AS config"
    )
    (index,) = GRAPH.vector
    config = records[0]["config"]
    assert config["vector.dimensions"] == index.dimensions == EMBEDDING_DIMENSIONS
    assert config["vector.quantization.enabled"] is index.quantization is False
    assert config["vector.hnsw.ef_construction"] == index.ef_construction == 50


@pytest.mark.parametrize(
    ("dimensions", "quantization"),
    [(EMBEDDING_DIMENSIONS, "true"), (16, "false")],
    ids=["quantized, as Neo4j's default built it", "another dimension"],
)
def test_a_vector_index_built_otherwise_is_built_again(
    empty_graph: Settings, driver: Driver, dimensions: int, quantization: str
) -> None:
    load_letters(LetterFiles([SAMPLES]), empty_graph)
    driver.execute_query("DROP INDEX case_embedding")
    driver.execute_query(
        "CREATE VECTOR INDEX case_embedding FOR (n:Case) ON (n.embedding) OPTIONS {indexConfig: "
        f"{{`vector.dimensions`: {dimensions}, `vector.quantization.enabled`: {quantization}}}}}"
    )
    load_letters(LetterFiles([SAMPLES]), empty_graph)
    records, _, _ = driver.execute_query(queries.VECTOR_INDEX_CONFIG, name="case_embedding")
    assert [(r["dimensions"], r["quantization"]) for r in records] == [(EMBEDDING_DIMENSIONS, False)]
    case = driver.execute_query("MATCH (c:Case) WHERE c.embedding IS NOT NULL RETURN c.letter_id AS id")
    indexed = library.get("similar_cases_indexed").cypher
    rows, _, _ = driver.execute_query(indexed, case_key=case.records[0]["id"], first=10, candidates=300)
    assert rows, "the rebuilt index answers"
