"""Crashes mid-load lose nothing: after SIGKILL of Neo4j or of the loader, a re-run of the same load
gives the graph a clean load gives (counts, key checksum and every property)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph_loader.config import Settings
from graph_loader.load import neo4j_db
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters
from graph_loader.server import local_neo4j as server
from tests.helpers import RunningServer, clear_graph, graph_snapshot, tally_mismatches

LETTERS = 1200
BATCH = 20
IMR_GRAPH = Path(sys.executable).with_name("imr-graph")


def _cases(settings: Settings) -> int:
    with neo4j_db.connect(settings) as driver:
        return neo4j_db.counts(driver, "neo4j")["cases"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench.synth import write as write_synthetic

    folder = tmp_path_factory.mktemp("crash-corpus")
    write_synthetic(folder, LETTERS, seed=21)
    return folder


@pytest.fixture(scope="module")
def clean(private_server: RunningServer, corpus: Path) -> tuple[dict[str, int], str, str]:
    """The graph one uninterrupted load of the corpus gives."""
    clear_graph(private_server.settings)
    load_letters(LetterFiles([corpus]), private_server.settings, batch_size=200)
    # The snapshot covers the tallies too: a re-run after a crash that equals it has exact tallies.
    assert tally_mismatches(private_server.settings) == []
    return graph_snapshot(private_server.settings)


def _start_loader(settings: Settings, corpus: Path, report: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_USER": settings.user,
        "NEO4J_PASSWORD": settings.password,
        "NEO4J_DATABASE": settings.database,
    }
    cmd = [str(IMR_GRAPH), "load", str(corpus), "--method", "unwind", "--batch-size", str(BATCH)]
    cmd += ["--workers", "1", "--no-progress", "--report", str(report)]
    return subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def _wait_for_cases(settings: Settings, loader: subprocess.Popen[str], at_least: int) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        n = _cases(settings)
        if n >= at_least:
            return n
        assert loader.poll() is None, f"loader ended before {at_least} cases: {loader.communicate()}"
        time.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} cases after 120 s")


def _rerun_and_compare(settings: Settings, corpus: Path, report: Path, clean: object) -> None:
    rerun = subprocess.run(
        [str(IMR_GRAPH), "load", str(corpus), "--method", "unwind", "--no-progress", "--report", str(report)],
        env={
            **os.environ,
            "NEO4J_URI": settings.uri,
            "NEO4J_USER": settings.user,
            "NEO4J_PASSWORD": settings.password,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert graph_snapshot(settings) == clean


def test_neo4j_killed_mid_load(
    private_server: RunningServer, corpus: Path, clean: tuple[dict[str, int], str, str], tmp_path: Path
) -> None:
    settings, home, config = private_server
    clear_graph(settings)
    seed = random.randrange(1 << 30)
    kill_after = random.Random(seed).randrange(2, LETTERS // BATCH // 2) * BATCH
    loader = _start_loader(settings, corpus, tmp_path / "rejects.txt")
    try:
        seen = _wait_for_cases(settings, loader, kill_after)
        pid = server.read_pid(home)
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        # The loader's retries give up with a one-line reason and exit status 2, no traceback.
        _, err = loader.communicate(timeout=180)
    finally:
        if loader.poll() is None:
            os.killpg(loader.pid, signal.SIGKILL)
    assert loader.returncode == 2, err
    assert "failed during the load" in err and "run the same command again" in err
    assert "Traceback" not in err
    server.start(home, config, user=settings.user, password=settings.password, wait_seconds=180)
    kept = _cases(settings)
    assert seen <= kept < LETTERS, f"seed {seed}: committed batches must survive the crash"
    _rerun_and_compare(settings, corpus, tmp_path / "rejects.txt", clean)


def test_loader_killed_mid_load(
    private_server: RunningServer, corpus: Path, clean: tuple[dict[str, int], str, str], tmp_path: Path
) -> None:
    settings = private_server.settings
    clear_graph(settings)
    seed = random.randrange(1 << 30)
    kill_after = random.Random(seed).randrange(2, LETTERS // BATCH // 2) * BATCH
    loader = _start_loader(settings, corpus, tmp_path / "rejects.txt")
    try:
        _wait_for_cases(settings, loader, kill_after)
    finally:
        os.killpg(loader.pid, signal.SIGKILL)
        loader.communicate(timeout=60)
    assert 0 < _cases(settings) < LETTERS, f"seed {seed}"
    _rerun_and_compare(settings, corpus, tmp_path / "rejects.txt", clean)
