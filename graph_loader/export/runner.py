"""`imr-graph export`: the extracted records as flat tables (tables.py) for R, Stata, pandas
and DuckDB, from the graph or from `imr-graph parse` output, streamed a batch of letters at a time.

Both sources end in the same writers; --from-jsonl reads letters the way `load --jsonl` does (the
same duplicate and reject rules) and turns them into the loader's rows (rows.py), so its tables
equal those of a graph loaded from the same input.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from graph_loader import progress
from graph_loader.config import Settings
from graph_loader.export.files import (
    ExportError,
    ExportFormat,
    TableFile,
    check_folder,
    file_sha256,
    write_manifest,
)
from graph_loader.export.tables import TABLES
from graph_loader.graph.rows import Row, dataset_block, dataset_row

if TYPE_CHECKING:
    from graph_loader.load.sources import ParseOutput

# Letters per batch: one Parquet row group per table per batch, and all the client holds.
DEFAULT_BATCH = 2000


@dataclass
class ExportSummary:
    folder: Path
    fmt: ExportFormat
    source: str
    letters: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    # The Dataset node of the graph, or one computed from the letters read (graph/rows.dataset_row).
    dataset: Row | None = None

    KEEP_REJECTS = 100
    MANIFEST = "manifest.json"

    def reject_all(self, problems: list[str]) -> None:
        self.rejected += len(problems)
        self.rejects += problems[: max(0, self.KEEP_REJECTS - len(self.rejects))]

    def describe(self) -> str:
        lines = [
            f"exported {self.letters} letters from {self.source} to {self.folder} "
            f"({self.duplicates} duplicates skipped, {self.rejected} rejected)"
        ]
        lines += [
            f"  {self.folder / f'{name}.{self.fmt}'}: {count} rows" for name, count in self.rows.items()
        ]
        dataset = f"dataset {self.dataset['id']}" if self.dataset else "no dataset recorded in the graph"
        lines.append(f"  {self.folder / self.MANIFEST}: {dataset}, row counts and SHA-256 of each file")
        return "\n".join(lines)

    def write_manifest(self) -> None:
        """manifest.json beside the tables, written after them: the dataset they were made from and
        each file's row count and SHA-256, so a figure computed from them can say both."""
        files = {}
        for name, count in self.rows.items():
            path = self.folder / f"{name}.{self.fmt}"
            files[path.name] = {"rows": count, "sha256": file_sha256(path)}
        write_manifest(
            self.folder / self.MANIFEST,
            {
                "dataset": dataset_block(self.dataset),
                "source": self.source,
                "format": self.fmt,
                "letters": self.letters,
                "rejected": self.rejected,
                "files": files,
            },
        )


class _Tables:
    """Every table's file, open together: committed together at the end, or all removed."""

    def __init__(self, folder: Path, fmt: ExportFormat) -> None:
        self.files: dict[str, TableFile] = {}
        try:
            for t in TABLES:
                self.files[t.name] = TableFile(t, folder, fmt)
        except BaseException as exc:
            self.abort(exc)
            raise

    def write(self, tables: dict[str, list[Row]]) -> None:
        for name, rows in tables.items():
            self.files[name].write(rows)

    def commit(self) -> dict[str, int]:
        for f in self.files.values():
            f.commit()
        return {name: f.rows for name, f in self.files.items()}

    def abort(self, exc: BaseException) -> None:
        for f in self.files.values():
            f.abort(exc)


def _is_iso_date(value: object) -> bool:
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def screen(tables: dict[str, list[Row]]) -> list[str]:
    """Leave out, from every table of the batch, each letter with a value its column cannot hold (a
    date that is not ISO: the parser never writes one, hand-made JSON Lines can); a problem line each.
    Both sources screen alike, so they still agree."""
    problems: dict[str, str] = {}
    for t in TABLES:
        dates = [c.name for c in t.columns if c.type == "date32"]
        for row in tables.get(t.name, ()) if dates else ():
            for name in dates:
                value = row[name]
                if value is not None and not _is_iso_date(value) and row["letter_id"] not in problems:
                    problems[row["letter_id"]] = (
                        f"letter {row['letter_id']} ({row.get('source') or 'no source'}): {name} {value!r} "
                        "is not an ISO date; the letter is left out of the export"
                    )
    if problems:
        for name, rows in tables.items():
            if name != "treatments":
                rows[:] = [row for row in rows if row["letter_id"] not in problems]
    return list(problems.values())


def _write(folder: Path, fmt: ExportFormat, batches: Iterator[dict[str, list[Row]]]) -> dict[str, int]:
    check_folder(folder)
    tables = _Tables(folder, fmt)
    try:
        for batch in batches:
            tables.write(batch)
    except BaseException as exc:
        tables.abort(exc)
        raise
    return tables.commit()


def _one_line(exc: BaseException) -> str:
    # The driver's messages span lines; the CLI prints one.
    return " ".join(str(exc).split())


def export_from_graph(
    folder: Path,
    fmt: ExportFormat,
    settings: Settings,
    *,
    text: bool = False,
    batch: int = DEFAULT_BATCH,
    show_progress: bool = False,
) -> ExportSummary:
    from neo4j.exceptions import DriverError, Neo4jError

    from graph_loader.export import from_graph as export_graph
    from graph_loader.load import neo4j_db

    summary = ExportSummary(folder, fmt, "the graph")
    check_folder(folder)
    try:
        driver = neo4j_db.connect(settings)
    except (Neo4jError, DriverError, OSError) as exc:
        raise ExportError(
            f"Neo4j at {settings.uri}: cannot connect ({type(exc).__name__}: {_one_line(exc)})"
        ) from exc

    def batches() -> Iterator[dict[str, list[Row]]]:
        total = export_graph.count_cases(driver, settings.database)
        with progress.counter(show_progress, "exporting letters", total=total) as tick:
            for letters, tables in export_graph.letter_pages(
                driver, settings.database, page=batch, text=text
            ):
                left_out = screen(tables)
                summary.reject_all(left_out)
                summary.letters += letters - len(left_out)
                yield tables
                tick(letters)
        yield {"treatments": export_graph.treatments(driver, settings.database)}

    try:
        summary.dataset = neo4j_db.read_dataset(driver, settings.database)
        summary.rows = _write(folder, fmt, batches())
    except (Neo4jError, DriverError) as exc:
        raise ExportError(
            f"Neo4j at {settings.uri} failed during the export ({type(exc).__name__}: {_one_line(exc)}); "
            "no table was written"
        ) from exc
    finally:
        driver.close()
    summary.write_manifest()
    return summary


def export_from_jsonl(
    folder: Path,
    fmt: ExportFormat,
    source: ParseOutput,
    *,
    text: bool = False,
    batch: int = DEFAULT_BATCH,
    show_progress: bool = False,
) -> ExportSummary:
    from graph_loader.export.from_rows import LETTER_TABLES, RowsTables
    from graph_loader.graph.rows import letter_rows
    from graph_loader.load.parse_output import is_stdin
    from graph_loader.load.pipeline import LoadSummary, batches, unique_letters

    for path in source.paths:
        if not is_stdin(path) and not path.exists():
            raise ExportError(f"{path}: no such file or directory")
    summary = ExportSummary(folder, fmt, ", ".join(str(p) for p in source.paths))
    read = LoadSummary()
    joined = RowsTables()
    # Every letter read, the screened-out ones too: `load --jsonl` of the same input loads them all,
    # and this dataset is to equal that graph's. A hash per letter (64 characters) is all it holds.
    hashes: list[str] = []
    decisions = 0

    def tables() -> Iterator[dict[str, list[Row]]]:
        nonlocal decisions
        letters = unique_letters(source, read, show_progress=show_progress)
        for group in batches(letters, batch):
            out: dict[str, list[Row]] = {name: [] for name in LETTER_TABLES}
            for letter in group:
                hashes.append(letter.content_hash)
                decisions += len(letter.decisions)
                for name, rows in joined.add(letter_rows(letter, keep_text=text)).items():
                    out[name].extend(rows)
            left_out = screen(out)
            summary.reject_all(left_out)
            summary.letters += len(group) - len(left_out)
            yield out
        yield {"treatments": joined.treatments()}

    summary.rows = _write(folder, fmt, tables())
    summary.duplicates = read.duplicates
    summary.reject_all(read.rejects)
    summary.rejected += read.rejected - len(read.rejects)
    # Nothing was loaded: the dataset is the one a load of these letters would record, less its time.
    summary.dataset = dataset_row(sorted(hashes), decisions=decisions, loaded_at=None)
    summary.write_manifest()
    return summary
