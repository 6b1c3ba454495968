"""Benchmark (not a test): the flagship query through GraphQL over HTTP vs the same Cypher through the
driver, side by side in one run (alternating, so both see the same cache and load).

usage: python -m bench.api_ratio [N_SYNTHETIC] [--rounds 200]
With N_SYNTHETIC=0 the five sample letters are loaded instead. A throw-away Neo4j is started and
removed. Writes bench/results/api-ratio-<N>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from api import queries
from api.app import create_app
from api.db import ReadOnlyGraph
from bench.load_speed import start_server
from bench.synth import write as write_synthetic
from graph_loader.neo4j_server import server
from graph_loader.pipeline import load_paths

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
FLAGSHIP = """{ guidelineCitationStats(diagnosis: "lumbar radiculopathy", outcome: UPHELD, citedBy: IMR_REVIEWER) {
  guideline { family title url } section pages url decisions share } }"""
PARAMS = {
    "codes": ["M54.16"],
    "outcome": "UPHELD",
    "citedBy": "IMR_REVIEWER",
    "groupBy": "SECTION",
    "first": 20,
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def measure(count: int, rounds: int) -> dict[str, Any]:
    settings, home, _, tmp = start_server("4g", "4g")
    corpus = Path(tempfile.mkdtemp(prefix="imr-graph-bench-api-"))
    try:
        if count:
            write_synthetic(corpus, count, seed=3)
            load_paths([corpus], settings, batch_size=1000)
        else:
            load_paths([ROOT / "samples" / "letters"], settings)
        port = server.free_port()
        app = create_app(settings)
        uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=uv.run, daemon=True)
        thread.start()
        while not uv.started:
            time.sleep(0.05)
        graph = ReadOnlyGraph.connect(settings)
        http, cypher = [], []
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for i in range(rounds + 20):
                t = time.perf_counter()
                response = client.post("/graphql", json={"query": FLAGSHIP})
                http_s = time.perf_counter() - t
                assert response.status_code == 200 and "errors" not in response.json(), response.text
                t = time.perf_counter()
                graph.read(queries.GUIDELINE_CITATION_STATS_FOR_DIAGNOSIS, **PARAMS)
                cypher_s = time.perf_counter() - t
                if i >= 20:  # warm-up rounds are not counted
                    http.append(http_s)
                    cypher.append(cypher_s)
        uv.should_exit = True
        thread.join(10)
        graph.close()
        return {
            "letters": count or 5,
            "rounds": rounds,
            "flagship_graphql_p50_ms": pct(http, 0.5),
            "flagship_graphql_p95_ms": pct(http, 0.95),
            "flagship_cypher_p50_ms": pct(cypher, 0.5),
            "flagship_cypher_p95_ms": pct(cypher, 0.95),
            "graphql_cypher_ratio": round(statistics.median(http) / statistics.median(cypher), 2),
        }
    finally:
        server.stop(home)
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(corpus, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("count", type=int, nargs="?", default=0)
    ap.add_argument("--rounds", type=int, default=200)
    args = ap.parse_args()
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "command": f"python -m bench.api_ratio {args.count} --rounds {args.rounds}",
        **measure(args.count, args.rounds),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"api-ratio-{args.count or 'sample'}.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
