"""The local-server manager: status tells the truth, start is idempotent, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader.server import local_neo4j as server
from tests.helpers import RunningServer


def test_status_start_and_errors(neo4j_instance: RunningServer, tmp_path: Path) -> None:
    neo4j_server, h, _ = neo4j_instance
    port = int(neo4j_server.uri.rsplit(":", 1)[1])
    up, message = server.status(h, neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    assert up and message.startswith("running")
    again = server.start(
        h, server.ServerConfig(bolt_port=port), user=neo4j_server.user, password=neo4j_server.password
    )
    assert again.startswith("already running")
    down, message = server.status(
        server.Neo4jHome(tmp_path), f"bolt://127.0.0.1:{server.free_port()}", "neo4j", "x"
    )
    assert not down and message.startswith("not running")
    wrong = server.status(h, neo4j_server.uri, neo4j_server.user, "wrong-password")
    assert not wrong[0]
    other = server.Neo4jHome(tmp_path / "other")
    (tmp_path / "other").mkdir()
    (other.root / "lib").symlink_to(h.lib.resolve(), target_is_directory=True)
    with pytest.raises(server.Neo4jServerError, match=f"port {port} on 127.0.0.1 is taken"):
        server.start(
            other,
            server.ServerConfig(bolt_port=port, http_port=server.free_port()),
            user="neo4j",
            password="x",
        )


def test_generated_config_listens_on_loopback_only(tmp_path: Path) -> None:
    conf = server.write_config(server.Neo4jHome(tmp_path), server.ServerConfig())
    settings = dict(line.split("=", 1) for line in conf.read_text().splitlines() if "=" in line)
    assert settings["server.default_listen_address"] == "127.0.0.1"
    assert settings["dbms.security.auth_enabled"] == "true"
    assert settings["dbms.usage_report.enabled"] == "false"
    assert all(
        v.startswith("127.0.0.1:")
        for k, v in settings.items()
        if k.endswith("listen_address") and k != "server.default_listen_address"
    )


def test_missing_install_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(server.Neo4jServerError, match="not installed"):
        server.start(
            server.Neo4jHome(tmp_path),
            server.ServerConfig(bolt_port=server.free_port(), http_port=server.free_port()),
            user="neo4j",
            password="x",
        )


def test_failed_start_names_the_cause(neo4j_instance: RunningServer, tmp_path: Path) -> None:
    _, running, _ = neo4j_instance
    broken = server.Neo4jHome(tmp_path / "broken")
    broken.root.mkdir()
    (broken.root / "lib").symlink_to(running.lib.resolve(), target_is_directory=True)
    config = server.ServerConfig(
        bolt_port=server.free_port(), http_port=server.free_port(), heap="512m", pagecache="not-a-size"
    )
    with pytest.raises(server.Neo4jServerError, match=r"pagecache.size.*not-a-size"):
        server.start(broken, config, user="neo4j", password="x", wait_seconds=120)


def test_a_password_starting_with_a_dash_is_set(tmp_path: Path) -> None:
    # secrets.token_urlsafe() starts with '-' about one time in 64; it must not read as an option.
    installed = server.Neo4jHome(Path(__file__).resolve().parents[2] / ".neo4j")
    (tmp_path / "lib").symlink_to(installed.lib, target_is_directory=True)
    home = server.Neo4jHome(tmp_path)
    server.write_config(home, server.ServerConfig())
    assert server.set_initial_password(home, "-starts-with-a-dash")
    assert (home.data / "dbms" / "auth.ini").exists()


def test_neo4j_logs_hold_no_password(neo4j_instance: RunningServer) -> None:
    password = neo4j_instance.settings.password
    logs = [p for p in neo4j_instance.home.logs.rglob("*") if p.is_file()]
    assert logs, "the test server wrote no logs"
    for log in logs:
        assert password not in log.read_text(errors="replace"), log
    conf = (neo4j_instance.home.conf / "neo4j.conf").read_text()
    assert password not in conf
