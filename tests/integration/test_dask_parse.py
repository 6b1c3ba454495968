"""`imr-graph parse --engine dask` on a real `dask.distributed.LocalCluster` (two worker processes):
the same bytes as the single-process parse, shards that `load --jsonl` turns into the graph a load of
the letters builds, and a parse killed mid-way that leaves only whole shards and resumes."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_loader.config import Settings
from graph_loader.engines.shards import MANIFEST
from graph_loader.load.sources import LetterFiles, ParseOutput
from graph_loader.load.unwind import load_letters
from tests.helpers import ROOT, SAMPLES, SHARED, clear_graph, graph_snapshot

distributed = pytest.importorskip("distributed", reason="the dev extra installs dask[distributed]")
CLI = [sys.executable, "-m", "graph_loader.cli.main"]


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0", silence_logs=40
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _parse(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, "parse", *args, "--no-progress"], cwd=ROOT, capture_output=True, check=True)


def _folder(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _corpus(folder: Path, copies: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for p in sorted(SAMPLES.glob("*.txt")):
            shutil.copy(p, folder / f"{i:04d}-{p.name}")
    return folder


def _same_as_single_process(letters: list[str], out: Path, scheduler: str, shard_size: int) -> None:
    """Dask shards == local shards (every file of the folder), and their concatenation == stdout."""
    whole = _parse(*letters).stdout
    assert whole.count(b"\n") > 0
    size = ["--shard-size", str(shard_size)]
    _parse(*letters, "--output-dir", str(out / "local"), *size)
    on_dask = _parse(
        *letters, "--output-dir", str(out / "dask"), *size, "--engine", "dask", "--scheduler", scheduler
    )
    letters_parsed = whole.count(b"\n")
    assert f": {letters_parsed} letters, 0 rejected" in on_dask.stdout.decode()
    assert _folder(out / "dask") == _folder(out / "local")
    assert b"".join(p.read_bytes() for p in sorted((out / "dask").glob("part-*.jsonl"))) == whole


def test_the_samples_parse_on_dask_as_in_one_process(scheduler: str, tmp_path: Path) -> None:
    # Relative names, as a user types them: the workers read them under the client's folder.
    _same_as_single_process([str(SAMPLES.relative_to(ROOT))], tmp_path, scheduler, shard_size=2)
    # Without --scheduler the command starts its own local cluster of --workers processes, quietly.
    own = tmp_path / "own"
    run = _parse(
        "samples/letters", "--output-dir", str(own), "--shard-size", "2", "--engine", "dask", "--workers", "2"
    )
    assert (run.stdout.decode(), run.stderr) == (
        f"parsed 5 files into 3 shards in {own}: 5 letters, 0 rejected\n",
        b"",
    )
    assert _folder(tmp_path / "own") == _folder(tmp_path / "local")


def test_the_shared_letters_parse_on_dask_as_in_one_process(
    shared_dir: Path, scheduler: str, tmp_path: Path
) -> None:
    letters = [str(shared_dir / "letters" / "dev"), str(shared_dir / "letters" / "dev-pdf")]
    _same_as_single_process(letters, tmp_path, scheduler, shard_size=25)
    manifest = (tmp_path / "dask" / MANIFEST).read_text().splitlines()
    assert len(manifest) == 1 + 8  # 188 files in shards of 25


def test_dask_shards_load_into_the_graph_of_the_letters(
    scheduler: str, empty_graph: Settings, tmp_path: Path
) -> None:
    if (SHARED / "letters" / "dev").is_dir():
        letters = [SAMPLES, SHARED / "letters" / "dev", SHARED / "letters" / "dev-pdf"]
    else:  # still a real check without the shared letters: the samples and synthetic ones
        from bench.synth import write as write_synthetic

        write_synthetic(tmp_path / "synthetic", 80, seed=9)
        letters = [SAMPLES, tmp_path / "synthetic"]
    from_letters = load_letters(LetterFiles(letters, 1), empty_graph)
    assert from_letters.rejected == 0, from_letters.describe()
    expected = graph_snapshot(empty_graph)

    shards = tmp_path / "shards"
    _parse(*map(str, letters), "--text", "--output-dir", str(shards), "--shard-size", "40")
    _parse(
        *map(str, letters),
        "--text",
        "--output-dir",
        str(tmp_path / "d"),
        "--shard-size",
        "40",
        "--engine",
        "dask",
        "--scheduler",
        scheduler,
    )
    assert _folder(tmp_path / "d") == _folder(shards)
    clear_graph(empty_graph)
    from_shards = load_letters(ParseOutput([tmp_path / "d"]), empty_graph)
    assert (from_shards.loaded, from_shards.duplicates, from_shards.rejected, from_shards.without_text) == (
        from_letters.loaded,
        from_letters.duplicates,
        0,
        0,
    )
    assert graph_snapshot(empty_graph) == expected


def test_a_killed_run_leaves_only_whole_shards_and_resumes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "letters", 200)  # 1,000 letters, one a shard: a long run to kill
    out = tmp_path / "shards"
    cmd = [sys.executable, "-m", "graph_loader.cli.main", "parse", str(corpus), "--output-dir", str(out)]
    proc = subprocess.Popen(
        [*cmd, "--shard-size", "1", "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while len(list(out.glob("part-*.done"))) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the parse finished before it could be killed"
    written = sorted(out.glob("part-*.jsonl"))
    assert 5 <= len(written) < 1000
    assert not (out / MANIFEST).exists()
    for shard in written:  # every shard on disk is whole: one complete letter
        [line] = shard.read_text().splitlines()
        assert json.loads(line)["source"].startswith(str(corpus))

    complete = len(list(out.glob("part-*.done")))  # a shard without its record is redone
    resumed = subprocess.run([*cmd, "--shard-size", "1"], capture_output=True, text=True, check=True)
    assert f"into 1000 shards in {out}, {complete} kept from an earlier run: 1000 letters" in resumed.stdout
    whole = subprocess.run(
        [sys.executable, "-m", "graph_loader.cli.main", "parse", str(corpus)], capture_output=True, check=True
    )
    assert b"".join(p.read_bytes() for p in sorted(out.glob("part-*.jsonl"))) == whole.stdout
    assert not list(out.glob(".*.tmp"))


def test_an_unreachable_scheduler_is_one_line_with_its_address(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            *CLI,
            "parse",
            str(SAMPLES),
            "--output-dir",
            str(tmp_path / "o"),
            "--engine",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:1",
            "--scheduler-timeout",
            "1",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert (
        result.stderr == "imr-graph: cannot reach the Dask scheduler at tcp://127.0.0.1:1: no answer in 1 s\n"
    )
