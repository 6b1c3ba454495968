"""The bulk path for first loads: parse in parallel into CSV files, then `neo4j-admin database import`.

Only for an empty database on the server imr-graph runs itself (the import tool writes the store files
directly, with the server stopped). Builds the same graph as the incremental path, then the same
constraints and indexes.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from graph_loader.config import Settings
from graph_loader.errors import ImrGraphError
from graph_loader.load import dwc_labels, neo4j_db
from graph_loader.load.bulk.csv_writer import ARRAY_DELIMITER_OPTION, QUOTE_OPTION, CsvGraphWriter
from graph_loader.load.pipeline import LoadSummary, write_letters
from graph_loader.load.sources import LetterSource
from graph_loader.server import local_neo4j as server
from graph_loader.server.admin_import import admin_import


class BulkLoadError(ImrGraphError):
    """Why the bulk path cannot run here (the incremental path still can)."""


def manages(home: server.Neo4jHome, config: server.ServerConfig, settings: Settings) -> bool:
    """True when `settings` points at the server running from `home` (so we may stop and restart it)."""
    return server.read_pid(home) is not None and settings.uri.rstrip("/").endswith(f":{config.bolt_port}")


def bulk_load_letters(
    source: LetterSource,
    settings: Settings,
    home: server.Neo4jHome,
    config: server.ServerConfig,
    *,
    report_path: Path | None = None,
    show_progress: bool = False,
    work_dir: Path | None = None,
) -> LoadSummary:
    if not manages(home, config, settings):
        raise BulkLoadError(
            f"the bulk path needs the Neo4j server imr-graph runs from {home.root} "
            f"(start it with `imr-graph neo4j start`); {settings.uri} is not it"
        )
    driver = neo4j_db.connect(settings)
    try:
        if not neo4j_db.is_empty(driver, settings.database):
            raise BulkLoadError(
                f"the bulk path imports into an empty database only; database {settings.database!r} "
                "has nodes: load with --method unwind to add letters to it"
            )
    finally:
        driver.close()
    summary = LoadSummary(report_path=report_path, method="bulk")
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary.timings[stage] = round(now - clock, 1)
        clock = now

    with tempfile.TemporaryDirectory(prefix="imr-graph-import-", dir=work_dir) as tmp:
        with CsvGraphWriter(Path(tmp)) as writer:
            try:
                write_letters(writer, source, summary, batch_size=1000, show_progress=show_progress)
            finally:
                summary.close_report()
            import_files = writer.close()
        summary.timings["tallies"] = round(writer.tally_seconds, 1)
        lap("parse to csv")
        if summary.loaded:
            server.stop(home)
            lap("stop server")
            try:
                admin_import(
                    home,
                    nodes=import_files.nodes,
                    relationships=import_files.relationships,
                    array_delimiter=ARRAY_DELIMITER_OPTION,
                    quote=QUOTE_OPTION,
                    multiline=import_files.multiline,
                    database=settings.database,
                    report=Path(tmp) / "import.report",
                )
            except server.Neo4jServerError:
                # A failed import leaves a half-written store; the server recreates an empty one.
                server.drop_store(home, settings.database)
                raise
            finally:
                lap("neo4j-admin import")
                server.start(home, config, user=settings.user, password=settings.password, wait_seconds=300)
                lap("restart")
    driver = neo4j_db.connect(settings)
    try:
        neo4j_db.create_schema(driver, settings.database, show_progress)
        lap("constraints and indexes")
        # The sources each case replaced are known only at the end of the files, after its line.
        neo4j_db.supersede(driver, settings.database, writer.superseded)
        # Both sources keep the folders they were given; DWC's rows sit beside the letters in them.
        summary.dwc = dwc_labels.apply_labels(
            driver, settings.database, getattr(source, "paths", ())
        ).describe()
        lap("DWC labels")
        summary.dataset = neo4j_db.record_dataset(driver, settings.database)
        lap("dataset")
        summary.graph = neo4j_db.counts(driver, settings.database)
    finally:
        driver.close()
    return summary


# Below this many letters (letter files, or lines of parse output) the import tool's start-up and the
# server restart cost more than they save (about 30 s): the bulk path wins from about 15,000 letters
# on (see docs/benchmarks.md).
BULK_MIN_FILES = 20_000


def choose_method(
    method: str,
    source: LetterSource,
    settings: Settings,
    home: server.Neo4jHome,
    config: server.ServerConfig,
) -> str:
    """`auto` picks the bulk path for a large first load into the server imr-graph runs, else `unwind`."""
    if method != "auto" or not manages(home, config, settings):
        return "unwind" if method == "auto" else method
    driver = neo4j_db.connect(settings)
    try:
        if not neo4j_db.is_empty(driver, settings.database):
            return "unwind"
    finally:
        driver.close()
    # Only now is the corpus worth counting, and only up to the threshold.
    return "bulk" if source.count(BULK_MIN_FILES) >= BULK_MIN_FILES else "unwind"
