"""The bulk path's tallies summed in the parse workers (graph_loader/load/bulk/worker_tallies.py): a load
on a pool of workers writes the same tally rows as one process and as the rows summed in one place,
copies it drops included, and leaves no worker's sum behind."""

from __future__ import annotations

import shutil
from pathlib import Path

from graph_loader.extract.letter import parse_file
from graph_loader.extract.parallel import PARALLEL_THRESHOLD
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.rows import batch_rows
from graph_loader.load.bulk.csv_writer import CsvGraphWriter
from graph_loader.load.pipeline import LoadSummary, write_letters
from graph_loader.load.sources import LetterFiles
from tests.helpers import SAMPLES

TALLY_FILES = [f"{n.file}.csv" for n in GRAPH.nodes if n.scope == "tally"]


def _tally_bytes(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in TALLY_FILES}


def test_a_pool_of_workers_writes_the_tallies_one_process_writes(tmp_path: Path) -> None:
    samples = sorted(SAMPLES.glob("*.txt"))
    corpus = tmp_path / "letters"
    corpus.mkdir()
    copies = PARALLEL_THRESHOLD // len(samples) + 2  # enough files for a pool
    for i in range(copies):
        for p in samples:
            shutil.copy(p, corpus / f"{i:02d}-{p.name}")
    with CsvGraphWriter(tmp_path / "one-place") as writer:
        writer.write(batch_rows([parse_file(p) for p in samples]))
    expected = _tally_bytes(tmp_path / "one-place")
    assert any(len(data.splitlines()) > 1 for data in expected.values())
    for workers in (1, 2):
        out = tmp_path / f"workers-{workers}"
        summary = LoadSummary()
        with CsvGraphWriter(out) as writer:
            write_letters(
                writer, LetterFiles([corpus], workers=workers), summary, batch_size=7, show_progress=False
            )
        # Every copy but the first of each letter was rendered, summed in its worker, then dropped.
        assert (summary.loaded, summary.duplicates) == (len(samples), len(samples) * (copies - 1))
        assert _tally_bytes(out) == expected, f"{workers} workers"
        assert not list(out.glob("worker-tallies-*")), "a worker's sum was left behind"
