"""A letter source -> rows -> one writer, streamed in batches so memory stays flat on any corpus size:
the load's summary, duplicates dropped on disk, and batching. The two entry points sit beside this
module: unwind.py (the incremental path) and bulk/importer.py (the bulk path)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol, TypeVar

from graph_loader import progress
from graph_loader.graph.rows import Row, batch_rows
from graph_loader.load.render import RenderedLetter
from graph_loader.load.sources import LetterSource
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
    # The Dataset node the load finished with (graph/rows.dataset_row).
    dataset: Row | None = None
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
        if self.dataset:
            lines.append(f"dataset: {self.dataset['id']}")
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


class _Identified(Protocol):
    @property
    def letter_id(self) -> str: ...


L = TypeVar("L", bound=_Identified)


def unique_letters(
    source: LetterSource, summary: LoadSummary, *, show_progress: bool = False
) -> Iterator[Letter]:
    """The source's letters, each identity once; rejects and duplicates are counted in `summary` as
    they pass. The ids seen so far live on disk (SeenSet), so memory is the same at 100k letters and
    at 1M."""
    return _first_of_each(source.letters(summary), summary, show_progress, source.description)


def unique_rendered(
    source: LetterSource, summary: LoadSummary, *, show_progress: bool = False
) -> Iterator[RenderedLetter]:
    """`unique_letters` for the bulk CSV writer: the same letters, rejects and duplicates, but each
    letter's rows, CSV lines and tally cells made in the worker that parsed or validated it, so the
    parent's share of the work is small enough for every core to stay busy."""
    return _first_of_each(source.rendered(summary), summary, show_progress, source.description)


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
    source: LetterSource,
    summary: LoadSummary,
    *,
    batch_size: int,
    show_progress: bool,
) -> None:
    """The source's letters -> rows -> one writer (unwind or CSV), a batch at a time."""
    if isinstance(writer, RenderedWriter):
        for rendered in batches(unique_rendered(source, summary, show_progress=show_progress), batch_size):
            writer.write_rendered(rendered)
            summary.loaded += len(rendered)
            summary.decisions += sum(r.decisions for r in rendered)
    else:
        for batch in batches(unique_letters(source, summary, show_progress=show_progress), batch_size):
            unchanged = writer.write(batch_rows(batch))
            summary.unchanged += len(unchanged)
            summary.loaded += len(batch) - len(unchanged)
            summary.decisions += sum(
                len(letter.decisions) for letter in batch if letter.letter_id not in unchanged
            )
    spent = getattr(writer, "tally_seconds", None)
    if spent is not None:
        summary.timings["tallies"] = round(spent, 1)
