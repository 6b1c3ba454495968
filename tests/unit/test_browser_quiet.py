"""Neo4j Browser reports nothing and its guide loads on any port: the generated neo4j.conf turns the
Browser's telemetry off, and the API's CORS origins follow the Browser URL it was given."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from starlette.testclient import TestClient

from api.cypher.db import ReadOnlyGraph
from api.web.app import cors_origins, create_app
from graph_loader.config import Settings
from graph_loader.server.local_neo4j import Neo4jHome, ServerConfig, write_config


def test_generated_config_turns_browser_and_server_reports_off(tmp_path: Path) -> None:
    conf = write_config(Neo4jHome(tmp_path), ServerConfig()).read_text()
    assert "client.allow_telemetry=false" in conf.splitlines()
    assert "dbms.usage_report.enabled=false" in conf.splitlines()


@pytest.mark.parametrize(
    ("browser", "expected"),
    [
        (None, ["http://127.0.0.1:7474", "http://localhost:7474"]),
        ("http://127.0.0.1:17474/browser/", ["http://127.0.0.1:17474", "http://localhost:17474"]),
        ("http://localhost:9000/browser/", ["http://localhost:9000", "http://127.0.0.1:9000"]),
        ("https://neo4j.example.org/browser/", ["https://neo4j.example.org"]),
    ],
)
def test_cors_origins_follow_the_browser_url(
    monkeypatch: pytest.MonkeyPatch, browser: str | None, expected: list[str]
) -> None:
    monkeypatch.delenv("IMR_CORS_ORIGINS", raising=False)
    if browser is None:
        monkeypatch.delenv("IMR_NEO4J_BROWSER_URL", raising=False)
    else:
        monkeypatch.setenv("IMR_NEO4J_BROWSER_URL", browser)
    assert cors_origins() == expected


def test_explicit_cors_origins_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMR_NEO4J_BROWSER_URL", "http://127.0.0.1:17474/browser/")
    monkeypatch.setenv("IMR_CORS_ORIGINS", "https://a.example, https://b.example")
    assert cors_origins() == ["https://a.example", "https://b.example"]


class _NoGraph:
    """The guide reads no graph; the app only closes its graph at shutdown."""

    def close(self) -> None:
        pass


def test_the_guide_answers_a_browser_on_another_port(monkeypatch: pytest.MonkeyPatch) -> None:
    """The preflight and the guide request of a Browser served on :17474 are allowed (no server needed:
    the guide is static)."""
    monkeypatch.delenv("IMR_CORS_ORIGINS", raising=False)
    monkeypatch.setenv("IMR_NEO4J_BROWSER_URL", "http://127.0.0.1:17474/browser/")
    app = create_app(
        Settings(uri="bolt://127.0.0.1:1", user="neo4j", password="x"), graph=cast(ReadOnlyGraph, _NoGraph())
    )
    with TestClient(app) as client:
        origin = {"Origin": "http://127.0.0.1:17474"}
        got = client.get("/guide", headers=origin)
        assert got.status_code == 200
        assert got.headers["access-control-allow-origin"] == "http://127.0.0.1:17474"
        refused = client.get("/guide", headers={"Origin": "http://127.0.0.1:7474"})
        assert "access-control-allow-origin" not in refused.headers
