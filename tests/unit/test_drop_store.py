"""`server.drop_store`: the one place a half-written store is removed, by the bulk loader after a failed
import and by the split benchmark after an interrupted load."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph_loader.server import local_neo4j as server


def _store(root: Path, database: str) -> server.Neo4jHome:
    home = server.Neo4jHome(root)
    for sub in ("databases", "transactions"):
        for db in (database, "system"):
            (home.data / sub / db).mkdir(parents=True)
            (home.data / sub / db / "store").write_text("x")
    return home


def test_drop_store_removes_only_that_database(tmp_path: Path) -> None:
    home = _store(tmp_path, "neo4j")
    server.drop_store(home, "neo4j")
    for sub in ("databases", "transactions"):
        assert not (home.data / sub / "neo4j").exists()
        assert (home.data / sub / "system" / "store").read_text() == "x"


def test_drop_store_of_a_missing_store_is_quiet(tmp_path: Path) -> None:
    server.drop_store(server.Neo4jHome(tmp_path), "neo4j")
    assert not (tmp_path / "data").exists()


def test_drop_store_refuses_while_the_server_runs(tmp_path: Path) -> None:
    home = _store(tmp_path, "neo4j")
    home.run.mkdir()
    # This test's own process stands in for a live server.
    home.pid_file.write_text(f"{os.getpid()}\n")
    with pytest.raises(server.Neo4jServerError, match="while the server runs"):
        server.drop_store(home, "neo4j")
    assert (home.data / "databases" / "neo4j" / "store").exists()
