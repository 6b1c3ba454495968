"""What `imr-graph load` and `imr-graph serve` tell a user on the terminal: the rejects themselves (the
first 20 and how many more), a report file per run, one line for refused credentials, and serve's
addresses and defaults as documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_loader.cli.main import REJECTS_SHOWN, app, rejects_report_path
from graph_loader.load.pipeline import LoadSummary

runner = CliRunner()


def _fake_load(monkeypatch: pytest.MonkeyPatch, rejected: int, seen: list[Path | None]) -> None:
    from graph_loader.load import unwind
    from graph_loader.load.bulk import importer as bulk_load

    def load(*args: object, report_path: Path | None = None, **kwargs: object) -> LoadSummary:
        seen.append(report_path)
        summary = LoadSummary(files=rejected + 1, loaded=1, report_path=report_path)
        for i in range(rejected):
            summary.reject(f"letter-{i:03}.txt: binary data, not a text letter")
        summary.close_report()
        return summary

    monkeypatch.setattr(bulk_load, "choose_method", lambda *args, **kwargs: "unwind")
    monkeypatch.setattr(unwind, "load_letters", load)


def test_rejects_reach_the_terminal_first_twenty_then_a_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    seen: list[Path | None] = []
    _fake_load(monkeypatch, 23, seen)
    result = runner.invoke(app, ["load", str(tmp_path), "--no-progress"])
    assert result.exit_code == 1
    named = [line for line in result.stderr.splitlines() if "not a text letter" in line]
    assert len(named) == REJECTS_SHOWN == 20
    assert named[0] == "imr-graph: letter-000.txt: binary data, not a text letter"
    report = seen[0]
    assert report is not None and report.exists()
    assert f"... and 3 more rejected: all of them are in {report}" in result.stderr
    assert len(report.read_text().splitlines()) == 23


def test_a_clean_load_names_no_reject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _fake_load(monkeypatch, 0, [])
    result = runner.invoke(app, ["load", str(tmp_path), "--no-progress"])
    assert result.exit_code == 0 and "rejected" not in result.stderr


def test_each_run_writes_its_own_report_unless_one_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    seen: list[Path | None] = []
    _fake_load(monkeypatch, 1, seen)
    runner.invoke(app, ["load", str(tmp_path), "--no-progress"])
    runner.invoke(app, ["load", str(tmp_path), "--no-progress", "--report", "mine.txt"])
    assert seen[0] is not None and re.fullmatch(r"load-rejects-\d{8}T\d{6}Z\.txt", seen[0].name)
    assert seen[0].parent == Path("reports")
    assert seen[1] == Path("mine.txt")
    assert rejects_report_path().parent == Path("reports")


def test_refused_credentials_are_one_line_that_does_not_say_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neo4j.exceptions import AuthError

    from graph_loader.load import unwind
    from graph_loader.load.bulk import importer as bulk_load

    def refused(*args: object, **kwargs: object) -> None:
        raise AuthError("The client is unauthorized due to authentication failure.")

    monkeypatch.setattr(bulk_load, "choose_method", refused)
    monkeypatch.setattr(unwind, "load_letters", refused)
    result = runner.invoke(app, ["load", str(tmp_path), "--no-progress"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "refused the credentials" in lines[0] and "NEO4J_PASSWORD" in lines[0]
    assert "again" not in lines[0] and "Traceback" not in result.stderr


def test_serve_help_states_the_query_timeout_the_readme_states() -> None:
    result = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "[default: 0.0]" not in result.stdout
    assert "IMR_QUERY_TIMEOUT_S, else 10" in result.stdout
