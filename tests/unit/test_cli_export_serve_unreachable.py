"""`imr-graph export` and `imr-graph serve` with Neo4j down or refusing the login: one line on stderr
naming what to set, exit 2, before any work starts (no export folder written, no server bound). The
driver's answers are faked here; tests/integration/test_cli_unreachable.py gets them from a real port
and a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graph_loader.cli.main import app
from graph_loader.server.local_neo4j import free_port

runner = CliRunner()

COMMANDS = {
    "export": lambda folder: ["export", str(folder), "--no-progress"],
    "serve": lambda folder: ["serve", "--port", str(free_port())],
}


def _env(uri: str, user: str = "neo4j") -> dict[str, str]:
    return {"NEO4J_URI": uri, "NEO4J_USER": user, "NEO4J_PASSWORD": "wrong", "NEO4J_DATABASE": "neo4j"}


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture(autouse=True)
def never_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    def run(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("serve bound a port with no graph to read")

    monkeypatch.setattr(uvicorn, "run", run)


class FakeDriver:
    def __init__(self, refusal: Exception) -> None:
        self.refusal = refusal

    def __enter__(self) -> FakeDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def verify_connectivity(self) -> None:
        raise self.refusal

    def close(self) -> None:
        return None


def _driver_raises(monkeypatch: pytest.MonkeyPatch, refusal: Exception) -> None:
    import neo4j

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda *args, **kwargs: FakeDriver(refusal))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_server_is_one_line_naming_where_it_looked_and_what_to_do(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neo4j.exceptions import ServiceUnavailable

    _driver_raises(monkeypatch, ServiceUnavailable("Couldn't connect to 127.0.0.1:7 (reason [Errno 111])"))
    uri = f"bolt://127.0.0.1:{free_port()}"
    folder = tmp_path / "tables"
    result = runner.invoke(app, COMMANDS[command](folder), env=_env(uri))
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert line == (
        f"imr-graph: no Neo4j answers at {uri}: start the local one with `imr-graph neo4j start`, or point "
        "NEO4J_URI at yours"
    )
    assert not folder.exists() and "GraphQL API" not in result.stdout


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_refused_credentials_name_the_settings_to_fix(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neo4j.exceptions import AuthError

    _driver_raises(monkeypatch, AuthError("The client is unauthorized due to authentication failure."))
    folder = tmp_path / "tables"
    result = runner.invoke(app, COMMANDS[command](folder), env=_env("bolt://127.0.0.1:7687", "nobody"))
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert "refused the credentials of user 'nobody'" in line and "NEO4J_PASSWORD" in line
    assert "again" not in line and not folder.exists()


def test_serve_no_check_graph_starts_without_neo4j(monkeypatch: pytest.MonkeyPatch) -> None:
    """--no-check-graph: a server started before its database binds anyway (/health answers 503 until
    Neo4j does), and asks nothing of Neo4j before it binds."""
    import uvicorn
    from neo4j.exceptions import ServiceUnavailable

    _driver_raises(monkeypatch, ServiceUnavailable("Couldn't connect"))
    served: list[int] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: served.append(kwargs["port"]))
    port = free_port()
    result = runner.invoke(
        app, ["serve", "--no-check-graph", "--port", str(port)], env=_env("bolt://127.0.0.1:1")
    )
    assert result.exit_code == 0, result.output
    assert served == [port]
