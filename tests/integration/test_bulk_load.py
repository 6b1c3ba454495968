"""The bulk path (neo4j-admin database import) builds exactly the graph the incremental path builds."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from graph_loader.config import Settings
from graph_loader.load import neo4j_db
from graph_loader.load.bulk import importer as bulk_importer
from graph_loader.load.bulk.importer import BulkLoadError, bulk_load_letters
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters
from graph_loader.server.admin_import import admin_import
from tests.helpers import RunningServer, clear_graph, graph_snapshot

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "letters"


def test_bulk_import_equals_incremental_load(
    private_server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.synth import write as write_synthetic

    corpus = tmp_path / "corpus"
    write_synthetic(corpus, 300, seed=5)
    for p in SAMPLES.glob("*.txt"):
        shutil.copy(p, corpus / p.name)
    shutil.copy(next(SAMPLES.glob("*.txt")), corpus / "zz-duplicate.txt")
    (corpus / "empty.txt").write_text("")
    # Lines that end, or start, with what the multi-line reader scans for: quotes, commas, backslashes.
    awkward = '"Quoted line",\nends with a comma,\nends with a backslash \\\n"\n,\n\\\n'
    for p in sorted(corpus.rglob("*.txt"))[:40:3]:
        letter = p.read_text()
        p.write_text(letter.replace("\n", "\n" + awkward, 1) + awkward)
    # Buffers of 64 kB instead of 4 MB: the per-file multi-line reader cuts the case file's 1 MB in
    # about fifteen places, each where it finds the last line end scanning backwards.
    readers: list[Any] = []

    def small_buffers(*args: Any, **kwargs: Any) -> str:
        readers.append(kwargs["multiline"])
        return admin_import(*args, **kwargs, read_buffer_size="64k")

    monkeypatch.setattr(bulk_importer, "admin_import", small_buffers)
    settings = private_server.settings

    clear_graph(settings)
    incremental = load_letters(LetterFiles([corpus], 1), settings)
    expected = graph_snapshot(settings)

    clear_graph(settings)
    report = tmp_path / "rejects.txt"
    bulk = bulk_load_letters(
        LetterFiles([corpus], 1), settings, private_server.home, private_server.config, report_path=report
    )
    assert [[p.name for p in files] for files in readers] == [["case.csv"]]
    assert (bulk.loaded, bulk.duplicates, bulk.rejected) == (305, 1, 1)
    assert bulk.decisions == incremental.decisions
    assert "empty.txt: empty file" in report.read_text()
    assert graph_snapshot(settings) == expected
    # the bulk path leaves the same constraints and indexes behind, so later incremental loads work
    with neo4j_db.connect(settings) as driver:
        records, _, _ = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")
    assert records[0]["n"] >= 11
    again = load_letters(LetterFiles([corpus], 1), settings)
    assert again.unchanged == 305 and graph_snapshot(settings) == expected


def test_bulk_refuses_a_database_with_data(private_server: RunningServer) -> None:
    settings = private_server.settings
    clear_graph(settings)
    load_letters(LetterFiles([SAMPLES]), settings)
    with pytest.raises(BulkLoadError, match="empty database only"):
        bulk_load_letters(LetterFiles([SAMPLES]), settings, private_server.home, private_server.config)
    assert graph_snapshot(settings)[0]["cases"] == 5


def test_bulk_refuses_a_server_it_does_not_run(private_server: RunningServer, tmp_path: Path) -> None:
    other = Settings(uri="bolt://127.0.0.1:1", user="neo4j", password="x")
    with pytest.raises(BulkLoadError, match="needs the Neo4j server imr-graph runs"):
        bulk_load_letters(LetterFiles([SAMPLES]), other, private_server.home, private_server.config)


def test_auto_takes_bulk_only_for_a_large_first_load(
    private_server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph_loader.load.bulk import importer as bulk_load

    settings, home, config = private_server
    clear_graph(settings)
    assert bulk_load.choose_method("auto", LetterFiles([SAMPLES]), settings, home, config) == "unwind"
    monkeypatch.setattr(bulk_load, "BULK_MIN_FILES", 5)
    assert bulk_load.choose_method("auto", LetterFiles([SAMPLES]), settings, home, config) == "bulk"
    other = Settings(uri="bolt://127.0.0.1:1", user="neo4j", password="x")
    assert bulk_load.choose_method("auto", LetterFiles([SAMPLES]), other, home, config) == "unwind"
    load_letters(LetterFiles([SAMPLES]), settings)
    assert bulk_load.choose_method("auto", LetterFiles([SAMPLES]), settings, home, config) == "unwind"
    assert bulk_load.choose_method("bulk", LetterFiles([SAMPLES]), settings, home, config) == "bulk"
