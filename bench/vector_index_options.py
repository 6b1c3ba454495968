"""Benchmark (not a test): the similar-cases vector index built with other options on a kept graph,
each beside the others on the same sampled cases: build time, overlap@10 with the exact score, and
the indexed question's p50.

usage: python -m bench.vector_index_options WORKDIR [--options quantization=true ...] [--cases 100]
                                            [--candidates 100,300]
WORKDIR is a `bench.query_speed --workdir` directory whose graph is loaded (its `neo4j/` home). Each
`--options` value is comma-separated `quantization=true|false`, `m=N`, `ef_construction=N`; the
index is dropped and created with them in turn, and at the end created again as declared
(graph_loader/graph/declaration.py). Writes bench/results/vector-index-options.json and prints it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from api.cypher.db import ReadOnlyGraph
from bench.common import kept_server, metadata, write_result
from bench.query_speed import similar_overlap
from graph_loader.graph.declaration import GRAPH
from graph_loader.load import neo4j_db

INDEX = GRAPH.vector[0]
KNOWN = {
    "quantization": "vector.quantization.enabled",
    "m": "vector.hnsw.m",
    "ef_construction": "vector.hnsw.ef_construction",
}


def index_config(options: str) -> str:
    """`quantization=false,m=16` -> the indexConfig map's entries beside the declared dimension."""
    entries = [
        f"`vector.dimensions`: {INDEX.dimensions}",
        f"`vector.similarity_function`: '{INDEX.similarity}'",
    ]
    for pair in filter(None, options.split(",")):
        name, _, value = pair.partition("=")
        if name not in KNOWN:
            raise SystemExit(f"unknown option {name!r} in {options!r}; known: {', '.join(KNOWN)}")
        if name == "quantization":
            if value not in ("true", "false"):
                raise SystemExit(f"quantization takes true or false, not {value!r}")
        elif not value.isdigit():
            raise SystemExit(f"{name} takes a whole number, not {value!r}")
        entries.append(f"`{KNOWN[name]}`: {value}")
    return "{" + ", ".join(entries) + "}"


def rebuild(graph: ReadOnlyGraph, config: str | None) -> float:
    """Seconds to drop the index and build it again (with `config`, or as declared when None)."""
    driver = graph.driver
    driver.execute_query(f"DROP INDEX {INDEX.name} IF EXISTS")
    started = time.monotonic()
    if config is None:
        neo4j_db.create_schema(driver, graph.database)
    else:
        driver.execute_query(
            f"CREATE VECTOR INDEX {INDEX.name} FOR (n:{INDEX.label}) ON (n.{INDEX.prop}) "
            f"OPTIONS {{indexConfig: {config}}}"
        )
        neo4j_db.await_indexes(driver, graph.database)
    return round(time.monotonic() - started, 1)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workdir", type=Path)
    ap.add_argument("--options", nargs="+", default=["quantization=true", "quantization=false"])
    ap.add_argument("--cases", type=int, default=100)
    ap.add_argument("--candidates", default="100,300")
    args = ap.parse_args(argv)
    home = args.workdir / "neo4j"
    if not (home / "data").is_dir():
        raise SystemExit(
            f"{home} holds no graph: run `python -m bench.query_speed N --workdir {args.workdir}` first"
        )
    candidates = tuple(int(c) for c in args.candidates.split(","))
    configs = {options: index_config(options) for options in args.options}
    out: dict[str, Any] = metadata("python -m bench.vector_index_options " + " ".join(sys.argv[1:]))
    out["runs"] = []
    with kept_server(home) as server:
        graph = ReadOnlyGraph.connect(server.settings, timeout_s=600)
        try:
            for options, config in configs.items():
                build_s = rebuild(graph, config)
                run = {
                    "options": options,
                    "build_seconds": build_s,
                    **similar_overlap(graph, args.cases, candidates),
                }
                print(run, flush=True)
                out["runs"].append(run)
            out["restored_as_declared_seconds"] = rebuild(graph, None)
        finally:
            graph.close()
    write_result("vector-index-options", out)


if __name__ == "__main__":
    main()
