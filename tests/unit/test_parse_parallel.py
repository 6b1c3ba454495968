"""`imr-graph parse --workers N`: the process pool changes nothing in the output, not even its order."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from graph_loader.cli.main import app
from graph_loader.extract.parallel import PARALLEL_THRESHOLD, map_stream
from tests.helpers import SAMPLES

runner = CliRunner()


def _corpus(tmp_path: Path, copies: int = 14) -> list[Path]:
    letters = sorted(SAMPLES.glob("*.txt"))
    out: list[Path] = []
    for i in range(copies):
        for p in letters:
            dest = tmp_path / f"{i:03d}-{p.name}"
            shutil.copy(p, dest)
            out.append(dest)
    return sorted(out)


def test_parallel_parse_equals_serial(tmp_path: Path) -> None:
    files = _corpus(tmp_path)
    assert len(files) >= PARALLEL_THRESHOLD  # the pool is used, not the serial path
    serial = runner.invoke(app, ["parse", str(tmp_path), "--workers", "1"])
    parallel = runner.invoke(app, ["parse", str(tmp_path), "--workers", "2"])
    assert serial.exit_code == 0 and parallel.exit_code == 0
    assert parallel.stdout == serial.stdout
    sources = [json.loads(line)["source"] for line in parallel.stdout.splitlines()]
    assert sources == [str(p) for p in files]


def test_parallel_parse_reports_bad_files_and_keeps_the_rest(tmp_path: Path) -> None:
    files = _corpus(tmp_path)
    (tmp_path / "050-bad.txt").write_bytes(b"\x00\xff" * 10)
    result = runner.invoke(app, ["parse", str(tmp_path), "--workers", "2"])
    assert result.exit_code == 1
    assert "050-bad.txt: binary data, not a text letter" in result.stderr
    assert len(result.stdout.splitlines()) == len(files)


def test_map_stream_keeps_order_over_many_batches() -> None:
    paths = [Path(f"{i:05d}") for i in range(1000)]
    assert list(map_stream(Path.as_posix, paths, 2)) == [p.as_posix() for p in paths]
