"""`make bench-small`: the headline figures on 10,000 synthetic letters in a few minutes.

Parse speed on one core, the incremental load (end to end, with the loader's peak memory), and the
flagship query through GraphQL over HTTP beside the same Cypher through the driver.
Writes bench/results/small.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from api.db import ReadOnlyGraph
from bench.load_speed import start_server
from bench.query_speed import pct, serve
from bench.rss import PeakRss
from bench.synth import write as write_synthetic
from bench.workload import operations
from graph_loader.extract.letter import parse_text
from graph_loader.extract.source import iter_letter_paths, read_letter_text
from graph_loader.neo4j_server import server
from graph_loader.pipeline import load_paths

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
        settings, home, _, tmp = start_server("2g", "2g")
        try:
            t = time.perf_counter()
            with PeakRss() as rss:
                summary = load_paths([corpus], settings, batch_size=1000)
            out["load_letters_per_s"] = round(count / (time.perf_counter() - t), 1)
            out["loader_peak_rss_mb"] = rss.peak_mb
            out["graph"] = summary.graph
            graph = ReadOnlyGraph.connect(settings)
            flagship = next(op for op in operations(graph) if op.name == "flagship")
            port = server.free_port()
            proc = serve("api.app:app_from_env", settings, port, {})
            http, cypher = [], []
            try:
                with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                    for i in range(rounds + 10):
                        t = time.perf_counter()
                        response = client.post("/graphql", json={"query": flagship.graphql})
                        http_s = time.perf_counter() - t
                        assert response.status_code == 200 and "errors" not in response.json()
                        t = time.perf_counter()
                        graph.read(flagship.cypher, **flagship.params)
                        if i >= 10:
                            http.append(http_s)
                            cypher.append(time.perf_counter() - t)
            finally:
                proc.terminate()
                proc.wait(30)
                graph.close()
            out["flagship_graphql_p50_ms"] = pct(http, 0.5)
            out["flagship_cypher_p50_ms"] = pct(cypher, 0.5)
            out["graphql_cypher_ratio"] = round(statistics.median(http) / statistics.median(cypher), 2)
        finally:
            server.stop(home)
            shutil.rmtree(tmp, ignore_errors=True)
        return out
    finally:
        shutil.rmtree(corpus, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--letters", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=100)
    args = ap.parse_args()
    started = time.perf_counter()
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "neo4j": server.NEO4J_VERSION,
        "python": platform.python_version(),
        "command": "make bench-small",
        **run(args.letters, args.rounds),
    }
    result["wall_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "small.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
