"""Benchmark (not a test): `neo4j-admin database import full` of one kept CSV folder, read both ways,
alternating: the per-file multi-line reader on the files whose values span lines (what the bulk load
uses when every line splits cleanly, csv_format.splits_cleanly) against the sequential reader on
every file (its fallback, and what it always used before 2026-12-07). Each round prints the seconds
and the tool's counts, which must be the same both ways.

usage: python -m bench.import_speed CSVDIR [--rounds 3]
CSVDIR is a `python -m bench.bulk_csv_speed LETTERS --keep CSVDIR` folder. The imports go into a
throw-away Neo4j home (no server runs). Writes bench/results/import-speed.json and prints it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, metadata, write_result
from graph_loader.graph.declaration import GRAPH
from graph_loader.load.bulk.csv_format import ARRAY_DELIMITER_OPTION, QUOTE_OPTION, SPANNING_FILES
from graph_loader.server import local_neo4j as server
from graph_loader.server.admin_import import admin_import


def _home(directory: Path) -> server.Neo4jHome:
    installed = server.Neo4jHome(ROOT / ".neo4j")
    if not installed.is_installed():
        raise SystemExit("run `make neo4j-install` first")
    (directory / "lib").symlink_to(installed.lib, target_is_directory=True)
    home = server.Neo4jHome(directory)
    server.write_config(home, server.ServerConfig(bolt_port=server.free_port(), http_port=server.free_port()))
    return home


def _counts(summary: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"(\d+) (?:nodes|relationships|properties)", summary))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv_dir", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    csv_dir = args.csv_dir.resolve()
    nodes = {n.label: csv_dir / f"{n.file}.csv" for n in GRAPH.nodes}
    relationships = {r.type: csv_dir / f"{r.file}.csv" for r in GRAPH.relationships}
    missing = [p.name for p in (*nodes.values(), *relationships.values()) if not p.exists()]
    if missing:
        raise SystemExit(f"{csv_dir} is not a kept CSV folder: no {', '.join(missing)}")
    readers: dict[str, tuple[Path, ...] | None] = {
        "per-file": tuple(csv_dir / f"{f}.csv" for f in SPANNING_FILES),
        "sequential": None,
    }
    seconds: dict[str, list[float]] = {name: [] for name in readers}
    counts: dict[str, set[tuple[int, ...]]] = {name: set() for name in readers}
    scratch = Path(tempfile.mkdtemp(prefix="imr-graph-import-speed-"))
    try:
        home = _home(scratch)
        for _ in range(args.rounds):
            for name, multiline in readers.items():
                started = time.perf_counter()
                summary = admin_import(
                    home,
                    nodes=nodes,
                    relationships=relationships,
                    array_delimiter=ARRAY_DELIMITER_OPTION,
                    quote=QUOTE_OPTION,
                    multiline=multiline,
                    report=scratch / "import.report",
                )
                seconds[name].append(round(time.perf_counter() - started, 1))
                counts[name].add(_counts(summary))
                print(name, seconds[name][-1], "s", _counts(summary), flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if len(counts["per-file"] | counts["sequential"]) != 1:
        raise SystemExit(f"the two readers imported different graphs: {counts}")
    result: dict[str, Any] = {
        **metadata(f"python -m bench.import_speed {args.csv_dir} --rounds {args.rounds}"),
        "csv_bytes": sum(p.stat().st_size for p in csv_dir.glob("*.csv")),
        "nodes_relationships_properties": next(iter(counts["per-file"])),
        "seconds": seconds,
        "median_seconds": {name: statistics.median(v) for name, v in seconds.items()},
    }
    write_result("import-speed", result)


if __name__ == "__main__":
    main()
