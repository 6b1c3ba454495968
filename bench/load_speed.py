"""Benchmark (not a test): loading synthetic letters into a throw-away Neo4j.

Measures, for N letters: parsing alone on all cores; the incremental path end to end (parse in
processes + batched `UNWIND`) and a re-load of the same letters (idempotent: nothing changes); the bulk
path (parse to CSV + `neo4j-admin database import` + restart + constraints and indexes); the write path
alone (pre-parsed batches through `UNWIND`); the incremental path again with the tallies left out
(`untallied`: what they cost the load, beside the `tallies` clock); and the loader's peak memory (its
processes, not Neo4j's).
The `ab` phase loads the same letters with and without the tallies `--ab-rounds` times each, on fresh
servers, the two taking turns at going first (the first load after the corpus is written, and any
load while the machine's speed drifts, is slower): the cost figure to quote.
The `memory` phase runs the loader without a server (discovery, parsing on every core, the duplicate
check, rows and the bulk CSV writer: everything but the import), so its memory at 100k and at 1M
letters can be compared: `python -m bench.load_speed 100000 1000000 --phases memory`.

usage: python -m bench.load_speed N [N ...] [--batch-size 2500] [--heap 4g] [--pagecache 4g]
                                  [--phases parse,unwind,untallied,ab,bulk,write-only,memory]
                                  [--ab-rounds 3]
Writes bench/results/load-<N>.json and prints the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from bench.common import RESULTS, fresh_server, metadata, write_result
from bench.rss import PeakRss
from bench.synth import write as write_synthetic
from graph_loader.extract.parallel import parse_stream
from graph_loader.extract.source import walk_letter_paths
from graph_loader.graph.rows import batch_rows
from graph_loader.load import DEFAULT_BATCH_SIZE, neo4j_db
from graph_loader.load.bulk.csv_writer import CsvGraphWriter
from graph_loader.load.bulk.importer import bulk_load_letters
from graph_loader.load.pipeline import LoadSummary, write_letters
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters

PHASES = ("parse", "unwind", "untallied", "ab", "bulk", "write-only", "memory")


def run(
    count: int,
    batch_size: int,
    heap: str,
    pagecache: str,
    workers: int,
    partial: Path,
    phases: tuple[str, ...] = PHASES,
    ab_rounds: int = 3,
) -> dict[str, Any]:
    """Each phase's figures are written to `partial` as soon as they exist, so a late failure keeps them."""
    corpus = Path(tempfile.mkdtemp(prefix="imr-graph-bench-letters-"))
    out: dict[str, Any] = {"letters": count, "workers": workers, "batch_size": batch_size}

    def record(**figures: Any) -> None:
        out.update(figures)
        partial.write_text(json.dumps(out, indent=1) + "\n")

    try:
        t = time.perf_counter()
        write_synthetic(corpus, count, seed=7)
        record(generate_letters_per_s=round(count / (time.perf_counter() - t), 1))
        # The letters on disk before any timing starts: their write-back would slow the first load.
        os.sync()
        if "memory" in phases:
            with tempfile.TemporaryDirectory(prefix="imr-graph-bench-csv-") as tmp, PeakRss() as rss:
                t = time.perf_counter()
                summary = LoadSummary()
                with CsvGraphWriter(Path(tmp)) as writer:
                    write_letters(
                        writer,
                        LetterFiles([corpus], workers),
                        summary,
                        batch_size=batch_size,
                        show_progress=False,
                    )
            record(
                memory_phase_letters=summary.loaded,
                memory_phase_seconds=round(time.perf_counter() - t, 1),
                loader_memory_total_pss_mb=rss.peak_mb,
                loader_memory_parent_pss_mb=rss.parent_peak_mb,
            )

        if "parse" in phases:
            t = time.perf_counter()
            stream = parse_stream(
                (p for p, problem in walk_letter_paths([corpus]) if problem is None), workers
            )
            decisions = sum(len(letter.decisions) for _, letter, _ in stream if letter)
            record(
                decisions=decisions, parse_letters_per_s_all_cores=round(count / (time.perf_counter() - t), 1)
            )

        if "unwind" in phases:
            with fresh_server(heap, pagecache) as bench_server:
                settings = bench_server.settings
                t = time.perf_counter()
                with PeakRss() as rss:
                    first = load_letters(LetterFiles([corpus], workers), settings, batch_size=batch_size)
                load_s = time.perf_counter() - t
                record(
                    load_letters_per_s=round(count / load_s, 1),
                    load_seconds=round(load_s, 1),
                    loader_peak_rss_mb=rss.peak_mb,
                    graph=first.graph,
                    # "tallies": the letters' facts, their journal nodes and the folds into the cells.
                    load_stage_seconds=first.timings,
                )
                t = time.perf_counter()
                again = load_letters(LetterFiles([corpus], workers), settings, batch_size=batch_size)
                record(
                    reload_unchanged_letters_per_s=round(count / (time.perf_counter() - t), 1),
                    reload_unchanged=again.unchanged,
                )

        if "untallied" in phases:
            # The same load with the tally step replaced by nothing, on its own fresh server: what the
            # tallies cost the load as a whole (the `tallies` clock misses the server's background work).
            with fresh_server(heap, pagecache) as bench_server, _without_tallies():
                t = time.perf_counter()
                load_letters(LetterFiles([corpus], workers), bench_server.settings, batch_size=batch_size)
                untallied_s = time.perf_counter() - t
            record(untallied_load_seconds=round(untallied_s, 1))
            if "load_seconds" in out:
                record(tallies_cost_percent=round(100 * (out["load_seconds"] / untallied_s - 1), 1))

        if "ab" in phases:
            rounds: list[dict[str, Any]] = []
            for i in range(ab_rounds):
                took = {}
                for tallied in (True, False) if i % 2 else (False, True):
                    skip = contextlib.nullcontext() if tallied else _without_tallies()
                    with fresh_server(heap, pagecache) as bench_server, skip:
                        t = time.perf_counter()
                        load_letters(
                            LetterFiles([corpus], workers), bench_server.settings, batch_size=batch_size
                        )
                        took[tallied] = time.perf_counter() - t
                rounds.append(
                    {
                        "first": "tallied" if i % 2 else "untallied",
                        "tallied_seconds": round(took[True], 1),
                        "untallied_seconds": round(took[False], 1),
                        "cost_percent": round(100 * (took[True] / took[False] - 1), 1),
                    }
                )
                costs = [r["cost_percent"] for r in rounds]
                record(ab_rounds=rounds, ab_cost_percent_median=statistics.median(costs))

        if "bulk" in phases:
            with fresh_server(heap, pagecache) as b:
                t = time.perf_counter()
                with PeakRss() as rss:
                    bulk = bulk_load_letters(
                        LetterFiles([corpus], workers), b.settings, b.home, b.config, work_dir=b.directory
                    )
                bulk_s = time.perf_counter() - t
                record(
                    bulk_letters_per_s=round(count / bulk_s, 1),
                    bulk_seconds=round(bulk_s, 1),
                    bulk_stage_seconds=bulk.timings,
                    bulk_peak_rss_mb=rss.peak_mb,
                    bulk_graph=bulk.graph,
                )

        if "write-only" in phases:
            # The write path alone, on a fresh server: letters parsed beforehand, written in batches.
            with fresh_server(heap, pagecache) as bench_server:
                driver = neo4j_db.connect(bench_server.settings)
                neo4j_db.create_schema(driver, "neo4j")
                files = (p for p, problem in walk_letter_paths([corpus]) if problem is None)
                sample = list(itertools.islice(files, 20_000))
                parsed = [letter for _, letter, _ in parse_stream(sample, workers) if letter]
                unwind = neo4j_db.UnwindWriter(driver, "neo4j")
                t = time.perf_counter()
                for i in range(0, len(parsed), batch_size):
                    unwind.write(batch_rows(parsed[i : i + batch_size]))
                unwind.fold()
                record(
                    write_only_letters_per_s=round(len(parsed) / (time.perf_counter() - t), 1),
                    write_only_letters=len(parsed),
                )
                driver.close()
        return out
    finally:
        shutil.rmtree(corpus, ignore_errors=True)


@contextmanager
def _without_tallies() -> Iterator[None]:
    """Batches written with no tally facts, so no journal and nothing to fold (a fresh graph has no
    counts to take away either)."""
    with mock.patch.object(neo4j_db, "_tally_facts", lambda taken, new: []):
        yield


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("counts", type=int, nargs="+")
    ap.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    ap.add_argument("--heap", default="4g")
    ap.add_argument("--pagecache", default="4g")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated subset of {PHASES}")
    ap.add_argument("--ab-rounds", type=int, default=3, help="rounds of the `ab` phase")
    args = ap.parse_args()
    for count in args.counts:
        target = RESULTS / f"load-{count}.json"
        command = f"python -m bench.load_speed {count} --batch-size {args.batch_size} --phases {args.phases}"
        if "ab" in args.phases.split(","):
            command += f" --ab-rounds {args.ab_rounds}"
        figures = run(
            count,
            args.batch_size,
            args.heap,
            args.pagecache,
            args.workers,
            target.with_suffix(".partial.json"),
            tuple(args.phases.split(",")),
            args.ab_rounds,
        )
        # A run of some phases keeps the figures earlier runs measured for the others.
        earlier = (
            json.loads(target.read_text()) if target.exists() and args.phases != ",".join(PHASES) else {}
        )
        write_result(f"load-{count}", {**earlier, **metadata(command), **figures})
        target.with_suffix(".partial.json").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
