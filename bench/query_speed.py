"""Benchmark (not a test): the flagship and the other analytics (nested traversals and a deep keyset page
among them) through GraphQL over HTTP beside the same Cypher through the driver (alternating, so both see
the same caches), page 50 of decisions by keyset beside the SKIP an offset cursor costs, then an optional
load test:
32 concurrent clients for a bounded time against the GraphQL API and against a bare Starlette endpoint
running the same Cypher.

usage: python -m bench.query_speed N [--rounds 50] [--clients 32] [--load-seconds 60] [--method auto]
                                   [--workdir DIR [--until parse|load|export]]
N synthetic letters are generated and loaded into a throw-away Neo4j (N=0: the five sample letters).
With --workdir they, their shards, the graph and the DuckDB tables are kept in DIR, and a later run
with the same DIR reuses every phase already finished (1M letters take over two hours: parse, load and
export can be run first, the queries later). Writes bench/results/queries-<N>.json and prints it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from api.cypher.db import ReadOnlyGraph
from api.web.app import max_concurrent_queries
from bench.common import ROOT, BenchServer, fresh_server, kept_server, metadata, pct, write_result
from bench.duckdb_side import DuckSide, build_tables, parse_once
from bench.rss import PeakRss
from bench.side_by_side import deep_pages, side_by_side
from bench.synth import write as write_synthetic
from bench.workload import CORE_MIX, Operation, operations
from graph_loader.config import Settings
from graph_loader.graph.rows import GRAPH_MODEL_VERSION
from graph_loader.load import neo4j_db
from graph_loader.load.bulk.importer import bulk_load_letters
from graph_loader.load.sources import ParseOutput
from graph_loader.load.unwind import load_letters
from graph_loader.server import local_neo4j as server


@contextmanager
def served(factory: str, settings: Settings, port: int, extra_env: dict[str, str]) -> Iterator[int]:
    """An ASGI app in its own process (one uvicorn worker), as `imr-graph serve` runs it, stopped on
    exit; yields the process id. Uvicorn's graceful stop waits for the requests still running, and
    after a load test whose clients gave up those can be queries with minutes left on their timeout:
    after 30 s it is killed."""
    env = {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_USER": settings.user,
        "NEO4J_PASSWORD": settings.password,
        "PYTHONPATH": str(ROOT),
        **extra_env,
    }
    cmd = [sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--log-level", "warning", "--no-access-log"], env=env, cwd=ROOT, stdin=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while not server.port_in_use(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{factory} did not start")
            time.sleep(0.1)
        yield proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(30)


def wait_until_idle(settings: Settings, limit_s: float = 180.0) -> float:
    """Seconds until Neo4j runs no transaction but this one: the queries of a killed app go on until
    the server sees their connection closed or their timeout, and would slow the next measurement."""
    started = time.monotonic()
    driver = neo4j_db.connect(settings)
    try:
        while time.monotonic() - started < limit_s:
            records, _, _ = driver.execute_query(
                "SHOW TRANSACTIONS YIELD currentQuery "
                "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN count(*) AS running",
                database_=settings.database,
            )
            if records[0]["running"] == 0:
                break
            time.sleep(1)
    finally:
        driver.close()
    return round(time.monotonic() - started, 1)


async def _load(
    base: str, requests: list[tuple[str, dict[str, Any]]], clients: int, seconds: float
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient, offset: int) -> None:
        i = offset
        while time.monotonic() < deadline:
            path, body = requests[i % len(requests)]
            i += 1
            t = time.perf_counter()
            try:
                response = await client.post(path, json=body)
                ok = response.status_code == 200 and "errors" not in response.json()
                kind = "" if ok else f"status {response.status_code}"
            except httpx.HTTPError as exc:
                kind = type(exc).__name__
            latencies.append(time.perf_counter() - t)
            if kind:
                errors[kind] = errors.get(kind, 0) + 1

    started = time.monotonic()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        await asyncio.gather(*(client_loop(client, k) for k in range(clients)))
    elapsed = time.monotonic() - started
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(latencies, 0.5),
        "p99_ms": pct(latencies, 0.99),
        "errors": sum(errors.values()),
        "error_kinds": errors,
    }


def load_test(
    ops: list[Operation],
    settings: Settings,
    clients: int,
    seconds: float,
    work: Path,
    max_concurrent: int | None = None,
) -> dict[str, Any]:
    """The same mix of operations, round-robin per client, against GraphQL and against the bare endpoint,
    with at most `max_concurrent` queries at once (0: no limit; None: the API's default)."""
    spec = work / "operations.json"
    spec.write_text(
        json.dumps({op.name: [{"cypher": c, "params": p} for c, p in op.statements] for op in ops})
    )
    limit = max_concurrent_queries() if max_concurrent is None else max_concurrent or None
    out: dict[str, Any] = {"mix": [op.name for op in ops], "max_concurrent_queries": limit}
    targets: dict[str, tuple[str, list[tuple[str, dict[str, Any]]]]] = {
        "graphql": ("api.web.app:app_from_env", [("/graphql", {"query": op.graphql}) for op in ops]),
        "bare_starlette_cypher": ("bench.bare_app:create", [(f"/cypher/{op.name}", {}) for op in ops]),
    }
    for name, (factory, requests) in targets.items():
        port = server.free_port()
        env = {"IMR_BENCH_OPERATIONS": str(spec), "IMR_QUERY_TIMEOUT_S": "120"}
        if max_concurrent is not None:
            env["IMR_MAX_CONCURRENT_QUERIES"] = str(max_concurrent)
        with served(factory, settings, port, env):
            out[name] = asyncio.run(_load(f"http://127.0.0.1:{port}", requests, clients, seconds))
        out[name]["neo4j_busy_after_s"] = wait_until_idle(settings)
        print(name, out[name], flush=True)
    g, b = out["graphql"], out["bare_starlette_cypher"]
    out["graphql_vs_bare_throughput"] = round(g["requests_per_s"] / b["requests_per_s"], 2)
    return out


def similar_overlap(
    graph: ReadOnlyGraph, samples: int, candidates: tuple[int, ...] = (100, 300)
) -> dict[str, Any]:
    """overlap@10 of the vector-indexed similar cases against the exact score, on sampled cases: the
    share of the exact top 10 the indexed answer returns, strictly and counting ties at the 10th
    score, for each number of candidates the index proposes."""
    import random

    from graph_loader.stored_queries import get

    ids = [
        r["id"] for r in graph.read("MATCH (c:Case) WHERE c.embedding IS NOT NULL RETURN c.letter_id AS id")
    ]
    cases = random.Random(7).sample(ids, min(samples, len(ids)))
    exact_s: list[float] = []
    exact: dict[str, list[dict[str, Any]]] = {}
    for case in cases:
        t = time.perf_counter()
        exact[case] = graph.read(get("similar_cases").cypher, case_key=case, first=10)
        exact_s.append(time.perf_counter() - t)
    out: dict[str, Any] = {
        "cases": sum(1 for rows in exact.values() if rows),
        "exact_p50_ms": pct(exact_s, 0.5),
    }
    for k in candidates:
        strict, tied, indexed_s = [], [], []
        for case in cases:
            t = time.perf_counter()
            indexed = graph.read(get("similar_cases_indexed").cypher, case_key=case, first=10, candidates=k)
            indexed_s.append(time.perf_counter() - t)
            if not exact[case]:
                continue
            want = {r["letter_id"] for r in exact[case]}
            got = {r["letter_id"]: r["score"] for r in indexed}
            tenth = exact[case][-1]["score"]
            strict.append(len(want & set(got)) / len(want))
            tied.append(min(1.0, sum(1 for s in got.values() if s >= tenth) / len(want)))
        out[f"candidates_{k}"] = {
            "overlap_at_10": round(statistics.mean(strict), 3) if strict else None,
            "overlap_at_10_ties_counted": round(statistics.mean(tied), 3) if tied else None,
            "indexed_p50_ms": pct(indexed_s, 0.5),
        }
    return out


PHASES = ("parse", "load", "export")  # where --until may stop; the letters are written first
MODEL_FREE = ("letters", "parse")


class Phases:
    """The finished phases of a run kept in `--workdir` (phases.json): their figures, reused by a
    later run with the same letter count and graph model instead of being redone."""

    def __init__(self, workdir: Path | None, count: int) -> None:
        self.path = workdir / "phases.json" if workdir else None
        self.count = count
        saved = json.loads(self.path.read_text()) if self.path and self.path.exists() else {}
        done: dict[str, Any] = saved.get("done", {}) if saved.get("letters") == count else {}
        if saved.get("graph_model") != GRAPH_MODEL_VERSION:
            # The letters and their parse do not depend on the graph model; the graph does.
            done = {k: v for k, v in done.items() if k in MODEL_FREE}
        self.done = done

    def get(self, phase: str) -> dict[str, Any] | None:
        return self.done.get(phase)

    def record(self, phase: str, figures: dict[str, Any]) -> None:
        self.done[phase] = figures
        if self.path:
            body = {"letters": self.count, "graph_model": GRAPH_MODEL_VERSION, "done": self.done}
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(body, indent=1))
            tmp.replace(self.path)


def measure(
    count: int,
    rounds: int,
    clients: int,
    load_seconds: float,
    method: str,
    with_duckdb: bool = True,
    overlap: int = 100,
    max_concurrent: tuple[int, ...] = (),
    workdir: Path | None = None,
    until: str | None = None,
    load_runs: int = 1,
    out: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole benchmark. With `workdir` the letters, shards, graph and tables are kept there and a
    phase already finished by an earlier run (same count, same graph model) is reused, and says so
    (`parse_reused`, `load_reused`, `duckdb_build.reused`); `until` stops after that phase."""
    corpus = workdir / "letters" if workdir else Path(tempfile.mkdtemp(prefix="imr-graph-bench-queries-"))
    phases = Phases(workdir, count)
    if workdir and phases.get("load") is None:
        # A load that did not finish left part of a graph behind; the bulk path imports into an
        # empty database only, so the graph (never the shards) starts over.
        server.drop_store(server.Neo4jHome(workdir / "neo4j"))
    # Filled in place, so that the caller keeps what was measured before a failure.
    out = {} if out is None else out
    out["letters"] = count or 5
    try:
        with kept_server(workdir / "neo4j") if workdir else fresh_server() as b:
            settings = b.settings
            parsed = phases.get("parse")
            if parsed is None:
                if count and phases.get("letters") is None:
                    write_synthetic(corpus, count, seed=3)
                    phases.record("letters", {})
                letters, seconds = parse_once(corpus if count else ROOT / "samples" / "letters", b.directory)
                parsed = {"parse_seconds": seconds}
                phases.record("parse", parsed)
            else:
                letters, out["parse_reused"] = b.directory / "shards", True
            out.update(parse_seconds=parsed["parse_seconds"])
            print("parsed", parsed, flush=True)
            if until == "parse":
                return out
            loaded = phases.get("load")
            if loaded is None:
                loaded = load(count, letters, b, method)
                phases.record("load", loaded)
            else:
                out["load_reused"] = True
            out.update(loaded)
            print("loaded", loaded, flush=True)
            if until == "load":
                return out
            graph = ReadOnlyGraph.connect(settings, timeout_s=120)
            ops = operations(graph)
            duck = None
            if with_duckdb:
                built = phases.get("export")
                parquet = b.directory / "parquet"
                if built is None:
                    parquet, built = build_tables(letters, b.directory)
                    phases.record("export", built)
                else:
                    built = {**built, "reused": True}
                duck = DuckSide(parquet)
                out["duckdb_build"] = built
            if until == "export":
                graph.close()
                return out
            if overlap:
                out["similar_cases_overlap"] = similar_overlap(graph, overlap)
                print("overlap", out["similar_cases_overlap"], flush=True)
            port = server.free_port()
            with served("api.web.app:app_from_env", settings, port, {"IMR_QUERY_TIMEOUT_S": "120"}) as pid:
                out["queries"] = side_by_side(ops, graph, port, rounds, duck, server_pid=pid)
                out["deep_pages"] = deep_pages(ops, graph, rounds)
            graph.close()
            if load_seconds:
                core = [op for op in ops if op.name in CORE_MIX]
                out["load_test_core_mix"] = load_test(core, settings, clients, load_seconds, b.directory)
                for run in range(2, load_runs + 1):
                    out[f"load_test_core_mix_run_{run}"] = load_test(
                        core, settings, clients, load_seconds, b.directory
                    )
                for limit in max_concurrent:
                    out[f"load_test_core_mix_{limit}_at_once"] = load_test(
                        core, settings, clients, load_seconds, b.directory, limit
                    )
                out["load_test"] = load_test(ops, settings, clients, load_seconds, b.directory)
        return out
    finally:
        if workdir is None:
            shutil.rmtree(corpus, ignore_errors=True)


def load(count: int, letters: Path, b: BenchServer, method: str) -> dict[str, Any]:
    """The parsed shards into the benchmark's server, timed, with the loader's peak memory."""
    if not count:
        load_letters(ParseOutput([letters]), b.settings)
        return {}
    t = time.perf_counter()
    with PeakRss() as rss:
        if method == "bulk":
            summary = bulk_load_letters(
                ParseOutput([letters]), b.settings, b.home, b.config, work_dir=b.directory
            )
        else:
            summary = load_letters(ParseOutput([letters]), b.settings, batch_size=1000)
    seconds = time.perf_counter() - t
    return {
        "load_method": method,
        "load_input": "JSON Lines shards",
        "load_seconds": round(seconds, 1),
        "load_letters_per_s": round(count / seconds, 1),
        "load_stage_seconds": summary.timings,
        "loader_peak_rss_mb": rss.peak_mb,
        "graph": summary.graph,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("count", type=int, nargs="?", default=0)
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--load-seconds", type=float, default=60)
    ap.add_argument("--method", choices=("unwind", "bulk"), default="unwind")
    ap.add_argument("--no-duckdb", action="store_true", help="skip the DuckDB side (parse + export)")
    ap.add_argument("--overlap", type=int, default=100, help="cases sampled for similar-cases overlap@10")
    ap.add_argument(
        "--max-concurrent",
        default="",
        help="comma-separated IMR_MAX_CONCURRENT_QUERIES values to load-test the seven analytics with too",
    )
    ap.add_argument(
        "--workdir",
        type=Path,
        help="keep the letters, shards, graph and tables here; a later run with it reuses finished phases",
    )
    ap.add_argument("--load-runs", type=int, default=1, help="runs of the seven analytics' load test")
    ap.add_argument("--until", choices=PHASES, help="stop after this phase (with --workdir, to go on later)")
    args = ap.parse_args()
    if args.until and not args.workdir:
        ap.error("--until needs --workdir, or the finished phases are thrown away")
    command = " ".join(["python -m bench.query_speed", *sys.argv[1:]])
    figures: dict[str, Any] = {}
    try:
        measure(
            args.count,
            args.rounds,
            args.clients,
            args.load_seconds,
            args.method,
            not args.no_duckdb,
            args.overlap,
            tuple(int(v) for v in args.max_concurrent.split(",") if v),
            args.workdir,
            args.until,
            args.load_runs,
            figures,
        )
    except BaseException as exc:
        if not args.until and len(figures) > 1:
            # An hour of a 1M run is not thrown away with the phase that failed.
            figures["unfinished"] = f"{type(exc).__name__}: {exc}"
            write_result(f"queries-{args.count or 'sample'}", {**metadata(command), **figures})
        raise
    if args.until:
        print(json.dumps(figures, indent=1))
        return
    write_result(f"queries-{args.count or 'sample'}", {**metadata(command), **figures})


if __name__ == "__main__":
    main()
