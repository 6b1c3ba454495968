"""Benchmark (not a test): the bulk path's "parse to csv" stage alone, without Neo4j.

Feeds `pipeline.write_letters` a `CsvGraphWriter`, as `importer.bulk_load_letters` does before it runs
`neo4j-admin`, from letter files or (with --jsonl) from `imr-graph parse --text --output-dir` shards.
Prints ms per letter (wall clock, and CPU of this process and of its workers: on a shared machine
the CPU figures move less than the wall clock) and the load average before and after; --keep DIR
keeps the CSV files and --report FILE the rejects, so two versions of the loader can be compared
byte for byte (`diff -r`).

--without-tallies runs the same stage with the tallies left out (no letter's facts made, summed or
kept), so two runs side by side say what the tallies cost it.

usage: python -m bench.bulk_csv_speed PATH [PATH ...] [--jsonl] [--workers 0] [--keep DIR] [--report FILE]
                                      [--without-tallies]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path
from unittest import mock

from graph_loader.graph.tallies import CaseFacts, Tallies
from graph_loader.load import render
from graph_loader.load.bulk import worker_tallies
from graph_loader.load.bulk.csv_writer import CsvGraphWriter
from graph_loader.load.pipeline import LoadSummary, write_letters
from graph_loader.load.sources import LetterFiles, ParseOutput


def run(
    paths: list[Path],
    *,
    jsonl: bool,
    workers: int,
    keep: Path | None,
    report: Path | None = None,
    without_tallies: bool = False,
) -> dict[str, object]:
    with contextlib.ExitStack() as stack:
        if without_tallies:
            # Patched before the pool forks, so the workers leave them out too.
            nothing = CaseFacts("", None, False, None, None, (), (), (), ())
            stack.enter_context(mock.patch.object(render, "facts_from_rows", lambda lr: nothing))
            stack.enter_context(mock.patch.object(worker_tallies, "count", lambda directory, facts: None))
            stack.enter_context(mock.patch.object(Tallies, "add", lambda self, case, sign=1: None))
        return {**_run(paths, jsonl, workers, keep, report), "without_tallies": without_tallies}


def _run(
    paths: list[Path], jsonl: bool, workers: int, keep: Path | None, report: Path | None
) -> dict[str, object]:
    load_before = os.getloadavg()
    target = Path(tempfile.mkdtemp(prefix="imr-graph-bulk-csv-speed-"))
    try:
        summary = LoadSummary(method="bulk", report_path=report)
        started = time.perf_counter()
        cpu = time.process_time()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        with CsvGraphWriter(target) as writer:
            try:
                source = ParseOutput(paths, workers) if jsonl else LetterFiles(paths, workers)
                write_letters(writer, source, summary, batch_size=1000, show_progress=False)
            finally:
                summary.close_report()
            files = writer.close()
        seconds = time.perf_counter() - started
        parent_cpu = time.process_time() - cpu
        # The pool's workers have exited (and been waited for) by now, so their CPU time is counted.
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        if keep is not None:
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(target, keep)
    finally:
        shutil.rmtree(target, ignore_errors=True)
    return {
        "input": "jsonl" if jsonl else "letters",
        "letters": summary.loaded,
        "rejected": summary.rejected,
        "duplicates": summary.duplicates,
        "seconds": round(seconds, 1),
        "ms_per_letter": round(1000 * seconds / max(summary.loaded, 1), 2),
        "parent_cpu_ms_per_letter": round(1000 * parent_cpu / max(summary.loaded, 1), 2),
        "workers_cpu_ms_per_letter": round(1000 * workers_cpu / max(summary.loaded, 1), 2),
        "tallies_seconds": summary.timings.get("tallies"),
        # How neo4j-admin would read these files: its per-file multi-line reader for the files
        # named, or its sequential one for every file (csv_format.splits_cleanly).
        "multiline_files": None if files.multiline is None else [p.name for p in files.multiline],
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", type=Path, nargs="+")
    ap.add_argument("--jsonl", action="store_true")
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--keep", type=Path, default=None)
    ap.add_argument("--report", type=Path, default=None, help="write the rejects here")
    ap.add_argument("--without-tallies", action="store_true", help="leave the tallies out, to see their cost")
    args = ap.parse_args()
    figures = run(
        args.paths,
        jsonl=args.jsonl,
        workers=args.workers,
        keep=args.keep,
        report=args.report,
        without_tallies=args.without_tallies,
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
