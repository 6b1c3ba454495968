"""Benchmark (not a test): `imr-graph parse --output-dir` throughput, single process and this
machine's process pool beside a Dask LocalCluster of 1 and 2 workers (one thread each).

Each folder is copied COPIES times into a temporary corpus (walks skip a file met twice, so copies,
not repeats), then parsed into shards of --shard-size files by each engine. Dask's cluster start (a
few seconds: worker processes import the parser and load its dictionaries) is timed apart, after
which every engine is warm; the figure is files per wall-clock second of the parse itself. Every run
must write the same shards (the manifest's sha256 column), or the benchmark stops.

usage: python -m bench.dask_parse DIR [DIR ...] [--copies N] [--shard-size N] [--rounds N]
Writes bench/results/dask-parse.json and prints the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import metadata, write_result
from graph_loader.engines.dask_cluster import dask_engine
from graph_loader.engines.shards import MANIFEST, Engine, local_engine, write_shards
from graph_loader.extract.letter import preload
from graph_loader.extract.source import LETTER_SUFFIXES


def corpus(folder: Path, copies: int, into: Path) -> int:
    into.mkdir(parents=True)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in LETTER_SUFFIXES)
    for i in range(copies):
        for p in files:
            shutil.copy(p, into / f"{i:03d}-{p.name}")
    return len(files) * copies


def timed(engine: Engine, letters: Path, out: Path, shard_size: int) -> tuple[float, str]:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    summary = write_shards([letters], out, engine, shard_size=shard_size, resume=False)
    elapsed = time.perf_counter() - start
    if summary.rejects:
        raise SystemExit(f"{len(summary.rejects)} rejects, first: {summary.rejects[0]}")
    sums = "\n".join(line.split("\t")[-1] for line in (out / MANIFEST).read_text().splitlines()[1:])
    return elapsed, sums


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--shard-size", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=3, help="runs per engine; the fastest is kept")
    args = ap.parse_args()
    import distributed

    preload()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="imr-bench-dask-") as tmp:
        work = Path(tmp)
        corpora = {}
        for folder in args.folders:
            files = corpus(folder, args.copies, work / folder.name)
            corpora[folder.name] = (work / folder.name, files)
            figures[folder.name] = {"files": files}

        started = time.perf_counter()
        clusters = {}
        for n in (1, 2):
            start = time.perf_counter()
            clusters[n] = distributed.LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address="127.0.0.1:0",
                silence_logs=40,
            )
            with distributed.Client(clusters[n]) as client:  # type: ignore[no-untyped-call]
                client.run(preload)
            figures["dask_cluster_start_seconds"] = {
                **figures.get("dask_cluster_start_seconds", {}),
                str(n): round(time.perf_counter() - start, 2),
            }
        engines: dict[str, Engine] = {
            "single process": local_engine(1),
            "local pool, 2 processes": local_engine(2),
            "dask, 1 worker": dask_engine(clusters[1].scheduler_address),
            "dask, 2 workers": dask_engine(clusters[2].scheduler_address),
        }
        # Rounds interleave the engines, so a burst of load from other sessions hits them alike; the
        # fastest run of each is kept, with the 1-minute load average it started under.
        runs: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for _ in range(args.rounds):
            for name, (letters, files) in corpora.items():
                reference = None
                for label, engine in engines.items():
                    load = os.getloadavg()[0]
                    seconds, sums = timed(engine, letters, work / "out", args.shard_size)
                    if reference is not None and sums != reference:
                        raise SystemExit(f"{label} wrote other shards than the single process")
                    reference = sums
                    runs.setdefault((name, label), []).append((seconds, load))
                    print(
                        f"{name}: {label}: {files} files in {seconds:.2f} s = {files / seconds:.1f} files/s"
                    )
        for cluster in clusters.values():
            cluster.close()
        for (name, label), results in runs.items():
            seconds, load = min(results)
            files = corpora[name][1]
            figures[name][label] = {
                "seconds": round(seconds, 2),
                "files_per_s": round(files / seconds, 1),
                "load_average_at_start": round(load, 2),
                "all_runs_seconds": [round(s, 2) for s, _ in results],
            }
        figures["bench_seconds"] = round(time.perf_counter() - started, 1)
    command = "python -m bench.dask_parse " + " ".join(str(f) for f in args.folders)
    command += f" --copies {args.copies} --shard-size {args.shard_size} --rounds {args.rounds}"
    write_result("dask-parse", {**metadata(command), "shard_size": args.shard_size, "corpora": figures})


if __name__ == "__main__":
    main()
