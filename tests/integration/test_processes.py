"""`make stop` ends exactly what `make run` started (its pid file), never another imr-graph process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from graph_loader.config import Settings
from graph_loader.server import local_neo4j as server
from tests.helpers import ROOT

CLI = str(Path(sys.executable).parent / "imr-graph")


def _env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_USER": settings.user,
        "NEO4J_PASSWORD": settings.password,
    }


def _serve(settings: Settings, port: int, *extra: str) -> subprocess.Popen[bytes]:
    # serve checks once that Neo4j answers (one line and exit 2 when not), so it is given the test's.
    return subprocess.Popen(
        [CLI, "serve", "--port", str(port), *extra],
        env=_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} was not written"
        time.sleep(0.1)


def test_stop_api_ends_only_the_process_of_its_pid_file(tmp_path: Path, neo4j_server: Settings) -> None:
    pid_file = tmp_path / "api.pid"
    ours = _serve(neo4j_server, server.free_port(), "--pid-file", str(pid_file))
    other = _serve(neo4j_server, server.free_port())
    try:
        _wait_for(pid_file)
        assert pid_file.read_text().strip() == str(ours.pid)
        again = subprocess.run(
            [CLI, "serve", "--port", str(server.free_port()), "--pid-file", str(pid_file)],
            capture_output=True,
            text=True,
            timeout=60,
            env=_env(neo4j_server),
        )
        assert again.returncode == 2 and f"already running as pid {ours.pid}" in again.stderr
        # A narrow $COLUMNS once made ps cut the command line before "imr-graph serve" (long paths).
        done = subprocess.run(
            ["make", "--no-print-directory", "stop-api", f"RUN_DIR={tmp_path}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "COLUMNS": "40"},
        )
        assert done.returncode == 0, done.stderr
        assert ours.wait(timeout=30) is not None
        assert other.poll() is None, "a process `make run` did not start was stopped"
        assert not pid_file.exists()
        # Nothing to stop is not an error.
        assert (
            subprocess.run(
                ["make", "stop-api", f"RUN_DIR={tmp_path}"], cwd=ROOT, capture_output=True
            ).returncode
            == 0
        )
    finally:
        for proc in (ours, other):
            proc.terminate()
            proc.wait(timeout=30)
