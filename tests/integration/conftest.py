"""The integration tier: a throw-away Neo4j started on free ports (never the user's database) from the
jars `imr-graph neo4j install` fetched, removed afterwards."""

from __future__ import annotations

import contextlib
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

from api.cypher.db import ReadOnlyGraph
from graph_loader.config import Settings
from graph_loader.server import local_neo4j as server
from tests.helpers import ROOT, SAMPLES, RunningServer


@contextlib.contextmanager
def _throwaway_server() -> Iterator[RunningServer]:
    installed = server.Neo4jHome(ROOT / ".neo4j")
    if not installed.is_installed():
        pytest.fail("Neo4j is not installed: run `make neo4j-install` (make test does it)", pytrace=False)
    tmp = Path(tempfile.mkdtemp(prefix="imr-graph-test-neo4j-"))
    home = server.Neo4jHome(tmp)
    (tmp / "lib").symlink_to(installed.lib, target_is_directory=True)
    config = server.ServerConfig(
        bolt_port=server.free_port(), http_port=server.free_port(), heap="768m", pagecache="128m"
    )
    password = secrets.token_urlsafe(16)
    try:
        server.start(home, config, user="neo4j", password=password, wait_seconds=180)
    except server.Neo4jServerError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"could not start a test Neo4j: {exc}", pytrace=False)
    try:
        settings = Settings(uri=f"bolt://127.0.0.1:{config.bolt_port}", user="neo4j", password=password)
        yield RunningServer(settings, home, config)
    finally:
        server.stop(home)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def neo4j_instance() -> Iterator[RunningServer]:
    with _throwaway_server() as running:
        yield running


@pytest.fixture(scope="session")
def private_server() -> Iterator[RunningServer]:
    """A second server, for tests that stop, kill or replace the database under it (they connect
    afresh each time, so the shared server's drivers never see a restarted store)."""
    with _throwaway_server() as running:
        yield running


@pytest.fixture(scope="session")
def neo4j_server(neo4j_instance: RunningServer) -> Settings:
    return neo4j_instance.settings


@pytest.fixture(scope="session")
def driver(neo4j_server: Settings) -> Iterator[Driver]:
    d = GraphDatabase.driver(
        neo4j_server.uri, auth=(neo4j_server.user, neo4j_server.password), notifications_min_severity="OFF"
    )
    yield d
    d.close()


@pytest.fixture
def empty_graph(driver: Driver, neo4j_server: Settings) -> Settings:
    driver.execute_query("MATCH (n) DETACH DELETE n")
    return neo4j_server


@pytest.fixture(scope="module")
def sample_loaded(neo4j_server: Settings, driver: Driver) -> Settings:
    """The five bundled sample letters, loaded into an otherwise empty test database."""
    from graph_loader.load.sources import LetterFiles
    from graph_loader.load.unwind import load_letters

    driver.execute_query("MATCH (n) DETACH DELETE n")
    load_letters(LetterFiles([SAMPLES]), neo4j_server)
    return neo4j_server


@pytest.fixture(scope="module")
def sample_graph(sample_loaded: Settings) -> Iterator[ReadOnlyGraph]:
    """The API's read-only access to the sample graph."""
    graph = ReadOnlyGraph.connect(sample_loaded)
    yield graph
    graph.close()


@pytest.fixture(scope="module")
def rich_loaded(neo4j_server: Settings, driver: Driver, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The sample letters, 60 synthetic ones (drugs with ingredients, every category) and a letter
    re-posted without its case number (one case, tests/reposted_letters.py), so each stored query and
    each documented example has rows to show."""
    from bench.synth import write
    from graph_loader.load.sources import LetterFiles
    from graph_loader.load.unwind import load_letters
    from tests import reposted_letters as reposted

    corpus = tmp_path_factory.mktemp("synthetic")
    write(corpus, 60, seed=11)
    copies = tmp_path_factory.mktemp("reposted")
    reposted.write(copies, "posted.txt", reposted.headed("CM15-0000999"))
    reposted.write(copies, "reposted-without-case-number.txt", reposted.headed(None))
    driver.execute_query("MATCH (n) DETACH DELETE n")
    load_letters(LetterFiles([SAMPLES, corpus, copies]), neo4j_server)
    return neo4j_server


@pytest.fixture(scope="module")
def rich_graph(rich_loaded: Settings) -> Iterator[ReadOnlyGraph]:
    graph = ReadOnlyGraph.connect(rich_loaded)
    yield graph
    graph.close()
