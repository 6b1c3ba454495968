"""The incremental path: batched `UNWIND` transactions into a running server, new or not, idempotent
(the bulk path for first loads is bulk/importer.py)."""

from __future__ import annotations

from pathlib import Path

from graph_loader.config import Settings
from graph_loader.load import DEFAULT_BATCH_SIZE, dwc_labels, neo4j_db
from graph_loader.load.pipeline import LoadSummary, write_letters
from graph_loader.load.sources import LetterSource


def load_letters(
    source: LetterSource,
    settings: Settings,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    report_path: Path | None = None,
    show_progress: bool = False,
) -> LoadSummary:
    """Load the source's letters `batch_size` to a transaction; rejects go to `report_path`."""
    summary = LoadSummary(report_path=report_path)
    driver = neo4j_db.connect(settings)
    try:
        neo4j_db.create_schema(driver, settings.database)
        neo4j_db.forget_dataset(driver, settings.database)
        neo4j_db.drop_empty_case_cells(driver, settings.database)
        writer = neo4j_db.UnwindWriter(driver, settings.database)
        write_letters(writer, source, summary, batch_size=batch_size, show_progress=show_progress)
        # The tallies are exact again (and the API's tally-backed answers back) once this returns.
        writer.fold()
        summary.timings["tallies"] = round(writer.tally_seconds, 1)
        # Both sources keep the folders they were given; DWC's rows sit beside the letters in them.
        summary.dwc = dwc_labels.apply_labels(
            driver, settings.database, getattr(source, "paths", ())
        ).describe()
        summary.dataset = neo4j_db.record_dataset(driver, settings.database)
        summary.graph = neo4j_db.counts(driver, settings.database)
    finally:
        driver.close()
        summary.close_report()
    return summary
