"""`imr-graph load --jsonl`: parse output loads through both paths into the graph a load of the
letters builds, and a line that breaks the contract costs only itself."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from graph_loader.load.bulk.importer import bulk_load_letters
from graph_loader.load.sources import LetterFiles, ParseOutput
from graph_loader.load.unwind import load_letters
from tests.helpers import SAMPLES, RunningServer, clear_graph, graph_snapshot


def test_parse_output_loads_into_the_same_graph(private_server: RunningServer, tmp_path: Path) -> None:
    from bench.synth import write as write_synthetic

    corpus = tmp_path / "corpus"
    write_synthetic(corpus, 80, seed=9)
    for p in SAMPLES.glob("*.txt"):
        shutil.copy(p, corpus / p.name)
    settings = private_server.settings
    clear_graph(settings)
    from_letters = load_letters(LetterFiles([corpus], 1), settings)
    expected = graph_snapshot(settings)

    parsed = tmp_path / "parsed"
    parsed.mkdir()
    with (parsed / "part-00000.jsonl").open("w") as out:
        subprocess.run(
            [sys.executable, "-m", "graph_loader.cli.main", "parse", "--text", str(corpus)],
            stdout=out,
            check=True,
        )
    lines = (parsed / "part-00000.jsonl").read_text().splitlines()
    # A second shard with the last letters, a line that is not JSON and one that breaks the contract.
    (parsed / "part-00000.jsonl").write_text("\n".join(lines[:-3]) + "\n")
    broken = json.loads(lines[0])
    del broken["letter_id"]
    (parsed / "part-00001.jsonl").write_text("\n".join([*lines[-3:], "{not json", json.dumps(broken)]) + "\n")

    clear_graph(settings)
    report = tmp_path / "rejects.txt"
    unwind = load_letters(ParseOutput([parsed]), settings, report_path=report)
    assert (unwind.loaded, unwind.rejected, unwind.without_text) == (from_letters.loaded, 2, 0)
    assert graph_snapshot(settings) == expected
    rejects = report.read_text().splitlines()
    assert rejects[0].startswith(f"{parsed / 'part-00001.jsonl'}:4: not JSON")
    assert rejects[1].startswith(
        f"{parsed / 'part-00001.jsonl'}:5: not a parsed letter (letter_id: Field required"
    )

    clear_graph(settings)
    bulk = bulk_load_letters(ParseOutput([parsed]), settings, private_server.home, private_server.config)
    assert (bulk.loaded, bulk.rejected) == (from_letters.loaded, 2)
    assert graph_snapshot(settings) == expected
