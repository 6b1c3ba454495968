"""The command line: documented, and a bad file never costs the good ones beside it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from typer.testing import CliRunner

from graph_loader.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def _commands(help_text: str) -> list[str]:
    section = help_text.split("Commands", 1)[1]
    return re.findall(r"^[│|]?\s+([a-z][a-z-]+)\s{2,}", section, re.M)


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    top = _commands(runner.invoke(app, ["--help"], terminal_width=120).output)
    assert {"parse", "load", "serve", "neo4j", "query"} <= set(top)
    for name in top:
        assert f"imr-graph {name}" in readme, f"`imr-graph {name}` is not documented in README.md"
    for name in _commands(runner.invoke(app, ["neo4j", "--help"], terminal_width=120).output):
        assert f"imr-graph neo4j {name}" in readme, f"`imr-graph neo4j {name}` is not documented"


def test_parse_prints_json_lines_and_names_bad_files(tmp_path: Path) -> None:
    for p in sorted((ROOT / "samples" / "letters").glob("*.txt"))[:2]:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "bad.txt").write_bytes(b"\x00\xff" * 10)
    result = runner.invoke(app, ["parse", str(tmp_path)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2 and all(obj["decisions"] for obj in lines)
    assert "bad.txt: binary data, not a text letter" in result.stderr
