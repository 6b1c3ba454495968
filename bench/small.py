"""`make bench-small`: the headline figures on 10,000 synthetic letters in a few minutes.

Parse speed on one core, the incremental load (end to end, with the loader's peak memory), and the
flagship query through GraphQL over HTTP beside the same Cypher through the driver.
Writes bench/results/small.json.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from api.cypher.db import ReadOnlyGraph
from bench.common import fresh_server, metadata, write_result
from bench.query_speed import served
from bench.rss import PeakRss
from bench.side_by_side import side_by_side
from bench.synth import write as write_synthetic
from bench.workload import operations
from graph_loader.extract.letter import parse_text
from graph_loader.extract.source import iter_letter_paths, read_letter_text
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters
from graph_loader.server import local_neo4j as server

RESULTS = Path(__file__).parent / "results"


def parse_rate(files: list[Path]) -> float:
    """Letters per second on one core, text already in memory (reading files is not parsing)."""
    raws = [(str(p), read_letter_text(p)) for p in files]
    parse_text(raws[0][1], "warm-up")
    start = time.perf_counter()
    for source, raw in raws:
        parse_text(raw, source)
    return round(len(raws) / (time.perf_counter() - start), 1)


def run(count: int, rounds: int) -> dict[str, Any]:
    corpus = Path(tempfile.mkdtemp(prefix="imr-graph-bench-small-"))
    out: dict[str, Any] = {"letters": count}
    try:
        write_synthetic(corpus, count, seed=7)
        files, _ = iter_letter_paths([corpus])
        out["parse_text_letters_per_s"] = parse_rate(files[:2000])
        with fresh_server("2g", "2g") as b:
            settings = b.settings
            t = time.perf_counter()
            with PeakRss() as rss:
                summary = load_letters(LetterFiles([corpus]), settings, batch_size=1000)
            out["load_letters_per_s"] = round(count / (time.perf_counter() - t), 1)
            out["loader_peak_rss_mb"] = rss.peak_mb
            out["graph"] = summary.graph
            graph = ReadOnlyGraph.connect(settings)
            flagship = next(op for op in operations(graph) if op.name == "flagship")
            port = server.free_port()
            try:
                with served("api.web.app:app_from_env", settings, port, {}):
                    figures = side_by_side([flagship], graph, port, rounds, None)["flagship"]
            finally:
                graph.close()
            out["flagship_graphql_p50_ms"] = figures["graphql_p50_ms"]
            out["flagship_cypher_p50_ms"] = figures["cypher_p50_ms"]
            out["graphql_cypher_ratio"] = figures["graphql_cypher_ratio"]
        return out
    finally:
        shutil.rmtree(corpus, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--letters", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=100)
    args = ap.parse_args()
    started = time.perf_counter()
    result = {**metadata("make bench-small"), **run(args.letters, args.rounds)}
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    write_result("small", result)


if __name__ == "__main__":
    main()
