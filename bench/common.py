"""What every benchmark shares: a throw-away Neo4j, run metadata, percentiles, the results folder."""

from __future__ import annotations

import json
import os
import platform
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from graph_loader.config import Settings
from graph_loader.server import local_neo4j as server

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"


class BenchServer(NamedTuple):
    settings: Settings
    home: server.Neo4jHome
    config: server.ServerConfig
    directory: Path


@contextmanager
def fresh_server(heap: str = "4g", pagecache: str = "4g") -> Iterator[BenchServer]:
    """A Neo4j on free loopback ports in a temporary directory, stopped and removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="imr-graph-bench-neo4j-"))
    try:
        with kept_server(tmp, heap, pagecache) as bench_server:
            yield bench_server
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def kept_server(directory: Path, heap: str = "4g", pagecache: str = "4g") -> Iterator[BenchServer]:
    """A Neo4j on free loopback ports whose home (and graph) is `directory`, stopped but kept
    afterwards, so a benchmark too long for one sitting can go on from its last finished phase. The
    password is made on first use and kept beside it, readable by the owner only."""
    installed = server.Neo4jHome(ROOT / ".neo4j")
    if not installed.is_installed():
        raise SystemExit("run `make neo4j-install` first")
    directory.mkdir(parents=True, exist_ok=True)
    lib = directory / "lib"
    if lib.is_symlink():  # it points at the clone that made it, which may be gone: use this one's
        lib.unlink()
    lib.symlink_to(installed.lib, target_is_directory=True)
    credentials = directory / "credentials.json"
    if not credentials.exists():
        credentials.touch(mode=0o600)
        credentials.write_text(json.dumps({"password": secrets.token_urlsafe(16)}))
    password = str(json.loads(credentials.read_text())["password"])
    home = server.Neo4jHome(directory)
    config = server.ServerConfig(
        bolt_port=server.free_port(), http_port=server.free_port(), heap=heap, pagecache=pagecache
    )
    try:
        server.start(home, config, user="neo4j", password=password, wait_seconds=180)
        yield BenchServer(
            Settings(uri=f"bolt://127.0.0.1:{config.bolt_port}", password=password), home, config, directory
        )
    finally:
        server.stop(home)


def metadata(command: str) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "neo4j": server.NEO4J_VERSION,
        "python": platform.python_version(),
        "command": command,
    }


def pct(values: list[float], q: float) -> float:
    """The q-quantile of durations in seconds, in milliseconds."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user and system, all threads) the process has used so far, from /proc, in 10 ms
    ticks; None where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def write_result(name: str, result: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
