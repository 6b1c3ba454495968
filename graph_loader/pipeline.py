"""parse -> normalize -> rows -> load, streamed in batches so memory stays flat on any corpus size."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from graph_loader import neo4j_db
from graph_loader.config import Settings
from graph_loader.extract.letter import parse_file
from graph_loader.extract.source import LetterReadError, iter_letter_paths
from graph_loader.models import Letter
from graph_loader.rows import batch_rows

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 64


@dataclass
class LoadSummary:
    files: int = 0
    loaded: int = 0
    unchanged: int = 0
    duplicates: int = 0
    decisions: int = 0
    rejects: list[str] = field(default_factory=list)
    graph: dict[str, int] = field(default_factory=dict)
    report_path: Path | None = None
    method: str = "unwind"
    # Seconds per stage, for the summary and the benchmarks.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    def describe(self) -> str:
        lines = [
            f"letters: {self.files} files, {self.loaded} loaded or updated, {self.unchanged} unchanged, "
            f"{self.duplicates} duplicates, {self.rejected} rejected",
            f"decisions written: {self.decisions}",
        ]
        if self.graph:
            lines.append(
                f"graph: {self.graph['cases']} cases, {self.graph['decisions']} decisions, "
                f"{self.graph['nodes']} nodes, {self.graph['relationships']} relationships"
            )
        if self.timings:
            lines.append(
                f"method {self.method}: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items())
            )
        if self.rejects and self.report_path:
            lines.append(f"rejected files are listed in {self.report_path}")
        return "\n".join(lines)


def _parse_one(path: Path) -> tuple[Path, Letter | None, str | None]:
    try:
        return path, parse_file(path), None
    except LetterReadError as exc:
        return path, None, str(exc)
    except Exception as exc:  # one letter's parser bug must not cost the batch beside it
        return path, None, f"{path}: parser error ({type(exc).__name__}: {exc})"


def parse_stream(files: list[Path], workers: int) -> Iterator[tuple[Path, Letter | None, str | None]]:
    if workers == 1 or len(files) < PARALLEL_THRESHOLD:
        yield from map(_parse_one, files)
        return
    # Executor.map submits its whole input at once; windows keep memory flat on a million files.
    window = 4096
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for start in range(0, len(files), window):
            yield from pool.map(_parse_one, files[start : start + window], chunksize=32)


def unique_letters(
    files: list[Path], summary: LoadSummary, workers: int, *, show_progress: bool = False
) -> Iterator[Letter]:
    """Parsed letters, each identity once; rejects and duplicates are counted in `summary` as they pass."""
    seen: set[str] = set()
    progress = _progress(len(files)) if show_progress and len(files) >= 200 else None
    task = progress.add_task("parsing letters", total=len(files)) if progress else None
    if progress:
        progress.start()
    try:
        for path, letter, error in parse_stream(files, workers or os.cpu_count() or 1):
            if progress and task is not None:
                progress.advance(task)
            if letter is None:
                summary.rejects.append(error or f"{path}: unreadable")
            elif letter.letter_id in seen:
                summary.duplicates += 1
            else:
                seen.add(letter.letter_id)
                yield letter
    finally:
        if progress:
            progress.stop()


def batches(letters: Iterator[Letter], size: int) -> Iterator[list[Letter]]:
    batch: list[Letter] = []
    for letter in letters:
        batch.append(letter)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def collect_files(paths: list[Path], report_path: Path | None) -> tuple[list[Path], LoadSummary]:
    files, problems = iter_letter_paths(paths)
    summary = LoadSummary(files=len(files) + len(problems), report_path=report_path)
    summary.rejects.extend(msg for _, msg in problems)
    return files, summary


def write_report(summary: LoadSummary) -> None:
    if summary.report_path is not None:
        summary.report_path.parent.mkdir(parents=True, exist_ok=True)
        summary.report_path.write_text("".join(f"{line}\n" for line in summary.rejects))


def load_paths(
    paths: list[Path],
    settings: Settings,
    *,
    batch_size: int = 500,
    report_path: Path | None = None,
    workers: int = 0,
    show_progress: bool = False,
) -> LoadSummary:
    """The incremental path: batched `UNWIND` transactions into a running server, new or not."""
    files, summary = collect_files(paths, report_path)
    driver = neo4j_db.connect(settings)
    try:
        neo4j_db.create_schema(driver, settings.database)
        for batch in batches(
            unique_letters(files, summary, workers, show_progress=show_progress), batch_size
        ):
            unchanged = neo4j_db.write_batch(driver, settings.database, batch_rows(batch))
            summary.unchanged += len(unchanged)
            summary.loaded += len(batch) - len(unchanged)
            summary.decisions += sum(
                len(letter.decisions) for letter in batch if letter.letter_id not in unchanged
            )
        summary.graph = neo4j_db.counts(driver, settings.database)
    finally:
        driver.close()
    write_report(summary)
    return summary


def _progress(total: int) -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=False,
    )
