"""parse -> normalize -> rows -> load, streamed in batches so memory stays flat on any corpus size."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol, TypeVar

from graph_loader import progress
from graph_loader.config import Settings
from graph_loader.extract.letter import preload
from graph_loader.extract.parallel import map_stream, parse_stream, worker_count
from graph_loader.extract.source import walk_letter_paths
from graph_loader.graph.rows import batch_rows
from graph_loader.load import neo4j_db
from graph_loader.load import render as bulk_render
from graph_loader.load.parse_output import jsonl_lines, read_letters
from graph_loader.load.render import RenderedLetter
from graph_loader.load.writer import GraphWriter, RenderedWriter
from graph_loader.models import Letter
from graph_loader.seen import SeenSet

T = TypeVar("T")


@dataclass
class LoadSummary:
    files: int = 0
    loaded: int = 0
    unchanged: int = 0
    duplicates: int = 0
    decisions: int = 0
    rejected: int = 0
    # Letters read from JSON Lines without their text (parse with --text to keep it).
    without_text: int = 0
    # The first rejects, for the summary; all of them go to the report file as they come.
    rejects: list[str] = field(default_factory=list)
    graph: dict[str, int] = field(default_factory=dict)
    report_path: Path | None = None
    method: str = "unwind"
    # Seconds per stage, for the summary and the benchmarks.
    timings: dict[str, float] = field(default_factory=dict)
    _report: IO[str] | None = None

    KEEP_REJECTS = 100

    def reject(self, message: str) -> None:
        self.rejected += 1
        if len(self.rejects) < self.KEEP_REJECTS:
            self.rejects.append(message)
        if self.report_path is not None:
            if self._report is None:
                self.report_path.parent.mkdir(parents=True, exist_ok=True)
                self._report = self.report_path.open("w", encoding="utf-8")
            self._report.write(message + "\n")
            self._report.flush()

    def close_report(self) -> None:
        """Finish the report: every reject listed, or an empty file for a clean load."""
        if self._report is not None:
            self._report.close()
            self._report = None
        elif self.report_path is not None and not self.rejected:
            self.report_path.parent.mkdir(parents=True, exist_ok=True)
            self.report_path.write_text("")

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
        if self.without_text:
            lines.append(
                f"{self.without_text} letters came without their text: spans have nothing to point into "
                "(parse with --text to keep it)"
            )
        if self.rejected and self.report_path:
            lines.append(f"rejected files are listed in {self.report_path}")
        return "\n".join(lines)


def letter_files(paths: list[Path], summary: LoadSummary) -> Iterator[Path]:
    """Letter files under `paths` as they are found; unreadable entries are counted as rejects."""
    for path, problem in walk_letter_paths(paths):
        summary.files += 1
        if problem is None:
            yield path
        else:
            summary.reject(problem)


class _Identified(Protocol):
    @property
    def letter_id(self) -> str: ...


L = TypeVar("L", bound=_Identified)


def unique_letters(
    paths: list[Path], summary: LoadSummary, workers: int, *, show_progress: bool = False, jsonl: bool = False
) -> Iterator[Letter]:
    """Parsed letters (or, with `jsonl`, letters read from `imr-graph parse` output), each identity
    once; rejects and duplicates are counted in `summary` as they pass. The ids seen so far live on
    disk (SeenSet), so memory is the same at 100k letters and at 1M."""
    stream: Iterator[tuple[Path | str, Letter | None, str | None]]
    if jsonl:
        stream = _counted(read_letters(paths), summary, lambda letter: bool(letter.text))
    else:
        stream = parse_stream(letter_files(paths, summary), worker_count(workers))
    return _first_of_each(stream, summary, show_progress, "reading letters" if jsonl else "parsing letters")


def _first_of_each(
    stream: Iterator[tuple[Path | str, L | None, str | None]],
    summary: LoadSummary,
    show_progress: bool,
    description: str,
) -> Iterator[L]:
    with SeenSet() as seen, progress.counter(show_progress, description) as tick:
        for path, letter, error in stream:
            tick(1)
            if letter is None:
                summary.reject(error or f"{path}: unreadable")
            elif seen.add(letter.letter_id):
                yield letter
            else:
                summary.duplicates += 1


def _counted(
    stream: Iterator[tuple[str, L | None, str | None]], summary: LoadSummary, has_text: Callable[[L], bool]
) -> Iterator[tuple[Path | str, L | None, str | None]]:
    for where, letter, error in stream:
        summary.files += 1
        if letter is not None and not has_text(letter):
            summary.without_text += 1
        yield where, letter, error


def unique_rendered(
    paths: list[Path], summary: LoadSummary, workers: int, *, show_progress: bool = False, jsonl: bool = False
) -> Iterator[RenderedLetter]:
    """`unique_letters` for the bulk CSV writer: the same letters, rejects and duplicates, but each
    letter's rows, CSV lines and tally cells made in the worker that parsed (or, with `jsonl`,
    validated) it, so the parent's share of the work is small enough for every core to stay busy."""
    workers = worker_count(workers)
    stream: Iterator[tuple[Path | str, RenderedLetter | None, str | None]]
    if jsonl:
        lines = map_stream(bulk_render.render_line, jsonl_lines(paths), workers, before_pool=preload)
        stream = _counted(lines, summary, lambda rendered: rendered.has_text)
    else:
        stream = map_stream(
            bulk_render.render_file, letter_files(paths, summary), workers, before_pool=preload
        )
    return _first_of_each(stream, summary, show_progress, "reading letters" if jsonl else "parsing letters")


def batches(letters: Iterator[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for letter in letters:
        batch.append(letter)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_letters(
    writer: GraphWriter,
    paths: list[Path],
    summary: LoadSummary,
    *,
    batch_size: int,
    workers: int,
    show_progress: bool,
    jsonl: bool = False,
) -> None:
    """parse (or read parse output) -> rows -> one writer (unwind or CSV), a batch at a time."""
    if isinstance(writer, RenderedWriter):
        for rendered in batches(
            unique_rendered(paths, summary, workers, show_progress=show_progress, jsonl=jsonl), batch_size
        ):
            writer.write_rendered(rendered)
            summary.loaded += len(rendered)
            summary.decisions += sum(r.decisions for r in rendered)
    else:
        letters = unique_letters(paths, summary, workers, show_progress=show_progress, jsonl=jsonl)
        for batch in batches(letters, batch_size):
            unchanged = writer.write(batch_rows(batch))
            summary.unchanged += len(unchanged)
            summary.loaded += len(batch) - len(unchanged)
            summary.decisions += sum(
                len(letter.decisions) for letter in batch if letter.letter_id not in unchanged
            )
    spent = getattr(writer, "tally_seconds", None)
    if spent is not None:
        summary.timings["tallies"] = round(spent, 1)


def load_paths(
    paths: list[Path],
    settings: Settings,
    *,
    batch_size: int = 500,
    report_path: Path | None = None,
    workers: int = 0,
    show_progress: bool = False,
    jsonl: bool = False,
) -> LoadSummary:
    """The incremental path: batched `UNWIND` transactions into a running server, new or not."""
    summary = LoadSummary(report_path=report_path)
    driver = neo4j_db.connect(settings)
    try:
        neo4j_db.create_schema(driver, settings.database)
        write_letters(
            neo4j_db.UnwindWriter(driver, settings.database),
            paths,
            summary,
            batch_size=batch_size,
            workers=workers,
            show_progress=show_progress,
            jsonl=jsonl,
        )
        summary.graph = neo4j_db.counts(driver, settings.database)
    finally:
        driver.close()
        summary.close_report()
    return summary
