"""The command line: documented, and a bad file never costs the good ones beside it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from graph_loader.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    root = typer.main.get_group(app)
    top = sorted(root.commands)
    assert {"parse", "load", "serve", "neo4j", "query"} <= set(top)
    for name in top:
        assert f"imr-graph {name}" in readme, f"`imr-graph {name}` is not documented in README.md"
        assert root.commands[name].help, f"`imr-graph {name}` has no help text"
    neo4j_commands = getattr(root.commands["neo4j"], "commands", {})
    assert {"install", "start", "stop", "status"} <= set(neo4j_commands)
    for name in neo4j_commands:
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


def test_load_names_an_index_that_did_not_come_online(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph_loader.load import neo4j_db, unwind
    from graph_loader.load.bulk import importer as bulk_load

    def fails(*args: object, **kwargs: object) -> None:
        raise neo4j_db.IndexesNotOnline("index case_embedding failed to populate: disk full")

    monkeypatch.setattr(bulk_load, "choose_method", lambda *args, **kwargs: "unwind")
    monkeypatch.setattr(unwind, "load_letters", fails)
    result = runner.invoke(app, ["load", str(tmp_path)])
    assert result.exit_code == 2
    assert "index case_embedding failed to populate: disk full" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("jsonl", [False, True])
def test_load_builds_one_letter_source_for_the_method_choice_and_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jsonl: bool
) -> None:
    from graph_loader.extract.parallel import worker_count
    from graph_loader.load import unwind
    from graph_loader.load.bulk import importer as bulk_load
    from graph_loader.load.pipeline import LoadSummary
    from graph_loader.load.sources import LetterFiles, ParseOutput

    given: list[LetterFiles | ParseOutput] = []

    def choose(method: str, source: LetterFiles | ParseOutput, *args: object) -> str:
        given.append(source)
        return "unwind"

    def load(source: LetterFiles | ParseOutput, *args: object, **kwargs: object) -> LoadSummary:
        given.append(source)
        return LoadSummary()

    monkeypatch.setattr(bulk_load, "choose_method", choose)
    monkeypatch.setattr(unwind, "load_letters", load)
    flags = ["--jsonl"] if jsonl else []
    result = runner.invoke(app, ["load", str(tmp_path), "--workers", "3", *flags])
    assert result.exit_code == 0, result.output
    assert len(given) == 2 and given[0] is given[1]
    assert isinstance(given[0], ParseOutput if jsonl else LetterFiles)
    assert (given[0].paths, given[0].workers) == ([tmp_path], worker_count(3))


def test_version_is_the_installed_package_version() -> None:
    from importlib.metadata import version

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"imr-graph {version('imr-graph')}"
