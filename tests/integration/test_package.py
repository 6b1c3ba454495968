"""The package as a user installs it: a wheel built from the checkout, installed in a fresh virtualenv
outside it, runs `imr-graph query --list` (the stored library ships) and `imr-graph parse`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.helpers import ROOT, SAMPLES


def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("imr_graph-*.whl")
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    subprocess.run(
        [str(bin_dir / "pip"), "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True
    )
    # The dependencies come from the test's environment (no network needed); imr-graph itself from the
    # wheel: a path line in a .pth file adds the folder but runs none of the .pth files in it, so the
    # checkout's editable install stays out.
    site = Path(
        subprocess.run(
            [str(bin_dir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    letter = shutil.copy(sorted(SAMPLES.glob("*.txt"))[0], work / "letter.txt")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(bin_dir / "imr-graph"), *args], cwd=work, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import graph_loader, api; print(graph_loader.__file__, api.__file__)",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in where and str(venv) in where, where
    listed = run("query", "--list")
    assert "flagship_guideline_sections" in listed and len(listed.splitlines()) >= 10
    parsed = json.loads(run("parse", str(letter)))
    assert parsed["decisions"] and parsed["decisions"][0]["treatment"]["name"] == "Physical therapy"
