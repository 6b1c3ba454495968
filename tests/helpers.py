"""Paths and small helpers the test tiers share (imported as `tests.helpers`, never as conftest)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from graph_loader.config import Settings
from graph_loader.server import local_neo4j as server

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "letters"
SHARED = ROOT.parent / "shared"


class RunningServer(NamedTuple):
    settings: Settings
    home: server.Neo4jHome
    config: server.ServerConfig


def graph_snapshot(settings: Settings) -> tuple[dict[str, int], str, str]:
    """Counts, key checksum and full-property fingerprint, through a new driver: after an import or a
    restart the store's transaction ids start again, and an old driver's bookmarks would wait for them."""
    from graph_loader.load import neo4j_db

    with neo4j_db.connect(settings) as driver:
        return (
            neo4j_db.counts(driver, settings.database),
            neo4j_db.checksum(driver, settings.database),
            neo4j_db.fingerprint(driver, settings.database),
        )


def clear_graph(settings: Settings) -> None:
    from graph_loader.load import neo4j_db

    with neo4j_db.connect(settings) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_=settings.database)


def blank_pdf(path: Path) -> Path:
    """A one-page PDF with no text layer, as a scanner makes."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(612, 792)
    pdf.save(str(path))
    return path


def score_extraction(shared: Path, corpus: str, predictions: Path) -> dict[str, float]:
    """The shared scorer's figure per field for parse output `predictions`, and "overall"."""
    import subprocess
    import sys

    lines = subprocess.run(
        [
            sys.executable,
            str(shared / "tools" / "score_extraction.py"),
            str(shared / "gold" / corpus),
            str(predictions),
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    scores = {ln.split()[0]: float(ln.split()[-1]) for ln in lines if len(ln.split()) == 3}
    scores["overall"] = float(lines[-1].rsplit("=", 1)[1])
    return scores


def tally_mismatches(settings: Settings) -> list[str]:
    """Every tally cell that differs from a recount of the graph's letters (empty when they agree):
    the facts of every case, read back as the incremental loader reads a changed letter, summed anew."""
    from graph_loader.graph.tallies import LABELS, Tallies, facts_from_record
    from graph_loader.load import neo4j_db
    from graph_loader.load import write_queries as queries

    recount = Tallies()
    with neo4j_db.connect(settings) as driver:
        ids = [r["id"] for r in driver.execute_query("MATCH (c:Case) RETURN c.letter_id AS id")[0]]
        for rec in driver.execute_query(queries.CASE_TALLY_FACTS, ids=ids, database_=settings.database)[0]:
            recount.add(facts_from_record(rec))
        stored: dict[tuple[str, str], dict[str, object]] = {}
        for label in LABELS:
            for rec in driver.execute_query(f"MATCH (t:{label}) RETURN properties(t) AS p")[0]:
                props = dict(rec["p"])
                stored[(label, str(props.pop("key")))] = props
    # Neo4j stores no null property: a cell without a year or an outcome lacks the key.
    expected = {
        (label, row.pop("key")): {k: v for k, v in row.items() if v is not None}
        for label, rows in recount.rows().items()
        for row in rows
    }
    problems = [f"missing {k}: {v}" for k, v in expected.items() if k not in stored]
    problems += [f"extra {k}: {v}" for k, v in stored.items() if k not in expected]
    problems += [
        f"differs {k}: stored {stored[k]} != recount {v}"
        for k, v in expected.items()
        if k in stored and stored[k] != v
    ]
    return problems


def settings_env(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    """Point a command run in this process (the CLI reads the environment first) at `settings`."""
    for key, value in (
        ("NEO4J_URI", settings.uri),
        ("NEO4J_USER", settings.user),
        ("NEO4J_PASSWORD", settings.password),
        ("NEO4J_DATABASE", settings.database),
    ):
        monkeypatch.setenv(key, value)
