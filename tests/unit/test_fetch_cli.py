"""`imr-graph fetch` as a command, through a typer app of its own (graph_loader/cli/main.py registers the
same function): documented options, one-line errors, and exit status 0, 1 or 2, over loopback."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from graph_loader.cli.fetch_command import fetch
from tests.unit.fetch_replica import Replica, serving

app = typer.Typer(add_completion=False)
app.command()(fetch)


@app.callback()
def _root() -> None:
    """A one-command app still takes the command's name, as `imr-graph fetch` does."""


runner = CliRunner()


@pytest.fixture
def site() -> Iterator[tuple[Replica, str]]:
    replica = Replica()
    with serving(replica) as base:
        yield replica, base


def _run(*args: str) -> Result:
    return runner.invoke(app, ["fetch", *args, "--delay", "0", "--no-progress"])


def test_every_option_is_documented() -> None:
    fetch_command = typer.main.get_group(app).commands["fetch"]
    help_text = runner.invoke(app, ["fetch", "--help"], env={"COLUMNS": "200"}).stdout
    plain = " ".join(re.sub(r"[│╭╮╰╯─]", " ", help_text).split())
    options = [param for param in fetch_command.params if param.param_type_name == "option"]
    names = [name for param in options for name in param.opts]
    assert {
        "--decided-from",
        "--decided-to",
        "--injured-from",
        "--injured-to",
        "--specialty",
        "--outcome",
        "--subcategory",
        "--case",
        "--delay",
        "--max",
        "--since-last",
        "--look-back",
        "--base-url",
        "--timeout",
        "--retries",
        "--progress",
    } <= set(names)
    for param in fetch_command.params:
        assert getattr(param, "help", None), param.name
    for param in options:
        assert param.opts[0] in plain, param.opts[0]
    assert "Partial Overturn" in plain and "[default: 2.0]" in plain


def test_a_run_over_loopback_prints_one_summary_line(site: tuple[Replica, str], tmp_path: Path) -> None:
    replica, base = site
    result = _run(str(tmp_path / "letters"), "--base-url", base, "--decided-from", "2016-11-01")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.strip() == (
        f"decisions from 2016-11-01: 20 letters fetched, 0 already on disk; 40 rows added to "
        f"{tmp_path / 'letters' / 'dwc-rows.jsonl'} (2 result pages read); newest decision 2016-12-29 kept "
        "for --since-last"
    )
    assert replica.searches()[0]["DecStart"] == "11/01/2016"
    rows = [json.loads(line) for line in (tmp_path / "letters" / "dwc-rows.jsonl").read_text().splitlines()]
    assert len(rows) == 40 and min(r["decision_date"] for r in rows) >= "2016-11-01"

    again = _run(str(tmp_path / "letters"), "--base-url", base, "--since-last", "--look-back", "0")
    assert again.exit_code == 0 and "0 letters fetched, 1 already on disk" in again.stdout


def test_a_malformed_page_is_one_line_and_exit_2(site: tuple[Replica, str], tmp_path: Path) -> None:
    replica, base = site
    replica.faults.malformed.add("search:2")
    result = _run(str(tmp_path), "--base-url", base)
    assert result.exit_code == 2
    assert result.stderr == (
        f'imr-graph: {base}/dwc/imr/IMRDecisionSearch.asp page 2: expected a <table class="tabborder"> '
        "with a header row, found none\n"
    )
    assert len(list(tmp_path.rglob("*.pdf"))) == 12, "the letters fetched before it are kept"


def test_letters_that_cannot_be_fetched_exit_1_and_the_others_are_kept(
    site: tuple[Replica, str], tmp_path: Path
) -> None:
    replica, base = site
    replica.faults.missing.add("CM16-0000008")
    result = _run(str(tmp_path), "--base-url", base, "--decided-to", "2016-11-01")
    assert result.exit_code == 1
    assert result.stderr == (
        f"imr-graph: GET {base}/dwc/imr/letters/CM16-0000008.pdf: HTTP 404; expected the PDF letter of "
        "CM16-0000008\n"
    )
    assert "9 letters fetched, 0 already on disk, 1 failed" in result.stdout
    assert len(list(tmp_path.rglob("*.pdf"))) == 9
    assert not (tmp_path / "fetch-state.json").exists()


def test_no_server_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = _run(str(tmp_path), "--base-url", f"http://127.0.0.1:{port}", "--retries", "1")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"imr-graph: POST http://127.0.0.1:{port}/dwc/imr/IMRDecisionSearch.asp: ConnectError"
    )
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--decided-from", "11/01/2016"], "--decided-from takes a date as YYYY-MM-DD, not '11/01/2016'"),
        (
            ["--decided-from", "2016-12-01", "--decided-to", "2016-11-01"],
            "--decided-from 2016-12-01 is after --decided-to 2016-11-01",
        ),
        (
            ["--case", "CM16-0000001", "--since-last"],
            "--case fetches one decision: give it without search options or --since-last",
        ),
        (["--case", "../x"], "--case takes a DWC case number like CM16-0213037, not '../x'"),
        (
            ["--since-last", "--decided-from", "2016-11-01"],
            "--since-last and --decided-from both set where the search starts: give one",
        ),
        (["--max", "0"], "--max must be at least 1"),
        (["--base-url", "ftp://example.org"], "--base-url must be an http(s) URL, not 'ftp://example.org'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = _run(str(tmp_path), *args)
    assert result.exit_code == 2
    assert result.stderr == f"imr-graph: {message}\n"
    assert list(tmp_path.iterdir()) == [], "nothing is written before the options are checked"


def test_since_last_without_an_earlier_run_says_so(tmp_path: Path) -> None:
    result = _run(str(tmp_path), "--since-last", "--base-url", "http://127.0.0.1:9")
    assert result.exit_code == 2
    assert result.stderr == (
        f"imr-graph: {tmp_path / 'fetch-state.json'}: not found; --since-last starts from the newest decision "
        "of a complete earlier run into this folder (run once without it, or give --decided-from)\n"
    )
