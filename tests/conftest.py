"""Test fixtures. The Neo4j tier starts its own throw-away server on free ports (never the user's
database) from the jars `imr-graph neo4j install` fetched, and removes it afterwards."""

from __future__ import annotations

import contextlib
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from neo4j import Driver, GraphDatabase

from api.db import ReadOnlyGraph
from graph_loader.config import Settings
from graph_loader.neo4j_server import server

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "letters"
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden/*.json from the parser."
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "letters").is_dir():
        pytest.skip(f"{SHARED} not found: the shared real-letter corpus is only beside the project in CI")
    return SHARED


class RunningServer(NamedTuple):
    settings: Settings
    home: server.Neo4jHome
    config: server.ServerConfig


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
    from graph_loader.pipeline import load_paths

    driver.execute_query("MATCH (n) DETACH DELETE n")
    load_paths([SAMPLES], neo4j_server)
    return neo4j_server


@pytest.fixture(scope="module")
def sample_graph(sample_loaded: Settings) -> Iterator[ReadOnlyGraph]:
    """The API's read-only access to the sample graph."""
    graph = ReadOnlyGraph.connect(sample_loaded)
    yield graph
    graph.close()


def graph_snapshot(settings: Settings) -> tuple[dict[str, int], str, str]:
    """Counts, key checksum and full-property fingerprint, through a new driver: after an import or a
    restart the store's transaction ids start again, and an old driver's bookmarks would wait for them."""
    from graph_loader import neo4j_db

    with neo4j_db.connect(settings) as driver:
        return (
            neo4j_db.counts(driver, settings.database),
            neo4j_db.checksum(driver, settings.database),
            neo4j_db.fingerprint(driver, settings.database),
        )


def clear_graph(settings: Settings) -> None:
    from graph_loader import neo4j_db

    with neo4j_db.connect(settings) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.database)


def blank_pdf(path: Path) -> Path:
    """A one-page PDF with no text layer, as a scanner makes."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(612, 792)
    pdf.save(str(path))
    return path
