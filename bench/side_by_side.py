"""The questions timed side by side in one process: GraphQL over HTTP, the same Cypher through the
driver, and DuckDB's SQL over the flat tables, taking turns; and page 50 by keyset beside the SKIP
an offset cursor would send. Used by bench.query_speed and bench.small."""

from __future__ import annotations

import itertools
import operator
import statistics
import time
from typing import Any

import httpx

from api.cypher.db import ReadOnlyGraph
from bench.common import cpu_seconds, pct
from bench.duckdb_side import SQL as DUCKDB_SQL
from bench.duckdb_side import DuckSide
from bench.workload import Operation, offset_equivalent

WARM_UP = 2  # rounds per operation not counted


def side_by_side(
    ops: list[Operation],
    graph: ReadOnlyGraph,
    port: int,
    rounds: int,
    duck: DuckSide | None,
    server_pid: int | None = None,
) -> dict[str, Any]:
    """Each operation's p50 and p95 on each side. Beside them, what HTTP and GraphQL add, two ways
    that Neo4j's own time (tens of milliseconds on a nested page, varying by more than the figure
    from run to run on these machines) does not blur: the median of each round's GraphQL time minus
    the same round's Cypher time, and, given the server's process id, the CPU the server spends on a
    request beside the CPU this process spends reading the same Cypher's rows through the driver."""
    out: dict[str, Any] = {}
    case = next((p["case_key"] for op in ops for _, p in op.statements if "case_key" in p), "")
    cpu = {"server": 0.0, "driver": 0.0}  # seconds spent in the counted rounds of one operation
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        for op in ops:
            times: dict[str, list[float]] = {"http": [], "cypher": [], "duckdb": []}

            def run_duckdb(op: Operation = op) -> None:
                if duck is not None and op.name in DUCKDB_SQL:
                    duck.run(op.name, case)

            def run_http(op: Operation = op) -> None:
                before = cpu_seconds(server_pid) if server_pid else None
                response = client.post("/graphql", json={"query": op.graphql})
                after = cpu_seconds(server_pid) if server_pid else None
                if before is not None and after is not None:
                    cpu["server"] += after - before
                assert response.status_code == 200 and "errors" not in response.json(), response.text[:300]

            def run_cypher(op: Operation = op) -> None:
                before = time.process_time()
                for cypher_text, params in op.statements:
                    graph.read(cypher_text, **params)
                cpu["driver"] += time.process_time() - before

            orders = list(
                itertools.permutations([("duckdb", run_duckdb), ("http", run_http), ("cypher", run_cypher)])
            )
            for i in range(rounds + WARM_UP):
                if i == WARM_UP:
                    cpu.update(server=0.0, driver=0.0)
                # The three sides take turns in every order: DuckDB in this process slowed whichever
                # side ran right after it (HTTP 3.6-4.9 ms after it against 2.8-3.0 ms first), so a
                # fixed order charged that to the graph.
                for name, run in orders[i % len(orders)]:
                    if name == "duckdb" and (duck is None or op.name not in DUCKDB_SQL):
                        continue
                    t = time.perf_counter()
                    run()
                    if i >= WARM_UP:
                        times[name].append(time.perf_counter() - t)
            http, cypher, duckdb = times["http"], times["cypher"], times["duckdb"]
            out[op.name] = {
                "graphql_p50_ms": pct(http, 0.5),
                "graphql_p95_ms": pct(http, 0.95),
                "cypher_p50_ms": pct(cypher, 0.5),
                "cypher_p95_ms": pct(cypher, 0.95),
                "graphql_cypher_ratio": round(statistics.median(http) / statistics.median(cypher), 2),
                "graphql_added_paired_ms": round(
                    1000 * statistics.median(map(operator.sub, http, cypher)), 2
                ),
                "cypher_driver_cpu_ms": round(1000 * cpu["driver"] / rounds, 2),
            }
            if server_pid and cpu_seconds(server_pid) is not None:
                out[op.name] |= {
                    "graphql_server_cpu_ms": round(1000 * cpu["server"] / rounds, 2),
                    "graphql_added_cpu_ms": round(1000 * (cpu["server"] - cpu["driver"]) / rounds, 2),
                }
            if duckdb:
                out[op.name] |= {
                    "duckdb_p50_ms": pct(duckdb, 0.5),
                    "duckdb_p95_ms": pct(duckdb, 0.95),
                    "graphql_vs_duckdb": round(statistics.median(http) / statistics.median(duckdb), 2),
                }
            print(op.name, out[op.name], flush=True)
    return out


def deep_pages(ops: list[Operation], graph: ReadOnlyGraph, rounds: int) -> dict[str, Any]:
    """Page 50 of decisions through the driver: the keyset statement the API sends beside the SKIP
    statement an offset cursor would send (alternating, so both see the same caches)."""
    keyset = next((op for op in ops if op.name == "decisions_page_50_keyset"), None)
    if keyset is None:
        return {"skipped": "the corpus has fewer than 50 pages of decisions"}
    offset = offset_equivalent(keyset)
    times: dict[str, list[float]] = {"keyset": [], "offset": []}
    for i in range(rounds + WARM_UP):
        for name, (cypher_text, params) in (("keyset", keyset.statements[0]), ("offset", offset)):
            t = time.perf_counter()
            rows = graph.read(cypher_text, **params)
            if i >= WARM_UP:
                times[name].append(time.perf_counter() - t)
            assert rows, name
    out: dict[str, Any] = {
        f"{name}_{q}_ms": pct(values, f)
        for name, values in times.items()
        for q, f in (("p50", 0.5), ("p95", 0.95))
    }
    out["offset_keyset_ratio"] = round(
        statistics.median(times["offset"]) / statistics.median(times["keyset"]), 2
    )
    print("deep pages", out, flush=True)
    return out
