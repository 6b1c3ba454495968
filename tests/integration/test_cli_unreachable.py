"""A server that is down or refuses the credentials is one line on stderr naming what to set, exit 2,
for `imr-graph query`, `load`, `export` and `serve`: no driver retries first, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph_loader.cli.main import app
from graph_loader.config import Settings
from graph_loader.server.local_neo4j import free_port

runner = CliRunner()


def _env(uri: str, user: str, password: str) -> dict[str, str]:
    return {"NEO4J_URI": uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password, "NEO4J_DATABASE": "neo4j"}


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def _args(command: list[str], tmp_path: Path) -> list[str]:
    if command[0] == "load":
        return [*command, str(tmp_path)]
    if command[0] == "export":
        return [*command, str(tmp_path / "tables")]
    # serve: a port nobody uses, in case it ever got as far as binding one.
    return [*command, "--port", str(free_port())] if command[0] == "serve" else command


COMMANDS = [
    ["query", "uphold_rates_by_category"],
    ["load", "--no-progress"],
    ["export", "--no-progress"],
    ["serve"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_no_server_says_where_it_looked_and_what_to_do(command: list[str], tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    result = runner.invoke(app, _args(command, tmp_path), env=_env(uri, "neo4j", "x"))
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert f"no Neo4j answers at {uri}" in line and "imr-graph neo4j start" in line


# A user that does not exist: Neo4j locks a name out for a few seconds after failed logins, and the
# other tests log in as neo4j.
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_refused_credentials_name_the_settings_to_fix(
    neo4j_server: Settings, tmp_path: Path, command: list[str]
) -> None:
    result = runner.invoke(app, _args(command, tmp_path), env=_env(neo4j_server.uri, "nobody", "wrong"))
    assert result.exit_code == 2
    line = _one_line(result.stderr)
    assert "refused the credentials of user 'nobody'" in line and "NEO4J_PASSWORD" in line
