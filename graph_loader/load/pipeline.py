"""A letter source -> rows -> one writer, streamed in batches so memory stays flat on any corpus size:
the load's summary, duplicates dropped on disk, and batching. The two entry points sit beside this
module: unwind.py (the incremental path) and bulk/importer.py (the bulk path)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Generic, Protocol, TypeVar

from graph_loader import progress
from graph_loader.graph.rows import Row, batch_rows
from graph_loader.load import near_duplicates
from graph_loader.load.near_duplicates import Stamp
from graph_loader.load.one_case import OneCase
from graph_loader.load.render import RenderedLetter
from graph_loader.load.sources import LetterSource
from graph_loader.load.writer import GraphWriter, RenderedWriter
from graph_loader.models import Letter
from graph_loader.seen import SeenSet

T = TypeVar("T")
K = TypeVar("K")


@dataclass
class LoadSummary:
    files: int = 0
    loaded: int = 0
    unchanged: int = 0
    duplicates: int = 0
    # Letters that were one case with another letter of different text (near_duplicates.py): the
    # older of each pair is not counted, and the pair is named.
    near_duplicates: int = 0
    near_duplicate_pairs: list[str] = field(default_factory=list)
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
    # What became of DWC's rows beside the letters (dwc_labels.DwcReport.describe), for the summary.
    dwc: list[str] = field(default_factory=list)
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

    def near_duplicate(self, message: str) -> None:
        self.near_duplicates += 1
        if len(self.near_duplicate_pairs) < self.KEEP_REJECTS:
            self.near_duplicate_pairs.append(message)

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
        if self.near_duplicates:
            lines.append(
                f"{self.near_duplicates} letters were another letter of the same case (re-posted or edited): "
                "one case each, the newer letter kept (cypher/near_duplicate_letters.cypher lists the pairs)"
            )
        if self.graph:
            lines.append(
                f"graph: {self.graph['cases']} cases, {self.graph['decisions']} decisions, "
                f"{self.graph['nodes']} nodes, {self.graph['relationships']} relationships"
            )
        lines += self.dwc
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


@dataclass
class _Batch(Generic[K]):
    """Letters kept for one write, and the letters kept earlier in the load that they replace."""

    items: list[tuple[K, Stamp]] = field(default_factory=list)
    retract: list[str] = field(default_factory=list)
    # The decisions of the letters taken back, counted when they were written.
    retracted_decisions: int = 0


def _one_case_batches(
    stream: Iterator[tuple[Path | str, K | None, str | None]],
    stamp_of: Callable[[K], Stamp],
    cases: OneCase,
    summary: LoadSummary,
    size: int,
    show_progress: bool,
    description: str,
    dropped: Callable[[K], None] = lambda letter: None,
) -> Iterator[_Batch[K]]:
    """The source's letters in batches, one letter per case: a copy of the same text is dropped, and
    of two letters of one case (near_duplicates.py) the older is; a letter replacing one of an
    earlier batch asks the writer to take that one back. `dropped` hears of each letter not passed on."""
    batch: _Batch[K] = _Batch()
    with progress.counter(show_progress, description) as tick:
        for path, letter, error in stream:
            tick(1)
            if letter is None:
                summary.reject(error or f"{path}: unreadable")
                continue
            st = stamp_of(letter)
            verdict = cases.see(st)
            if verdict.duplicate:
                summary.duplicates += 1
                dropped(letter)
                continue
            if verdict.warning:
                summary.near_duplicate(verdict.warning)
            if not verdict.keep:
                dropped(letter)
                continue
            if verdict.retract is not None:
                pending = [i for i, (_, s) in enumerate(batch.items) if s.letter_id == verdict.retract]
                if pending:
                    dropped(batch.items[pending[0]][0])
                    del batch.items[pending[0]]
                else:
                    batch.retract.append(verdict.retract)
                    batch.retracted_decisions += verdict.retracted_decisions
            batch.items.append((letter, st))
            if len(batch.items) >= size:
                yield batch
                batch = _Batch()
    if batch.items or batch.retract:
        yield batch


def write_letters(
    writer: GraphWriter,
    source: LetterSource,
    summary: LoadSummary,
    *,
    batch_size: int,
    show_progress: bool,
) -> None:
    """The source's letters -> rows -> one writer (unwind or CSV), a batch at a time, one letter per
    case; at the end, each case that replaced letters gets their sources."""
    with OneCase() as cases:
        if isinstance(writer, RenderedWriter):
            for rendered in _one_case_batches(
                source.rendered(summary, tally_to=writer.tally_to),
                _rendered_stamp,
                cases,
                summary,
                batch_size,
                show_progress,
                source.description,
                dropped=writer.not_written,
            ):
                letters = [r for r, _ in rendered.items]
                writer.write_rendered(letters, rendered.retract)
                # A letter taken back was counted when it was written.
                summary.loaded += len(letters) - len(rendered.retract)
                summary.decisions += sum(r.decisions for r in letters) - rendered.retracted_decisions
        else:
            for batch in _one_case_batches(
                source.letters(summary),
                near_duplicates.stamp,
                cases,
                summary,
                batch_size,
                show_progress,
                source.description,
            ):
                kept = [one for one, _ in batch.items]
                unchanged = writer.write(batch_rows(kept), batch.retract)
                kept_by_graph = writer.kept_by_graph()
                for incoming, held, why in kept_by_graph:
                    summary.near_duplicate(near_duplicates.warning(held, incoming, why))
                    cases.kept_by_graph(incoming, held)
                dropped = {incoming.letter_id for incoming, _, _ in kept_by_graph}
                for incoming, replaced, why in writer.replaced_in_graph():
                    summary.near_duplicate(near_duplicates.warning(incoming, replaced, why))
                summary.unchanged += len(unchanged)
                summary.loaded += len(kept) - len(unchanged) - len(dropped) - len(batch.retract)
                summary.decisions += (
                    sum(
                        len(one.decisions)
                        for one in kept
                        if one.letter_id not in unchanged and one.letter_id not in dropped
                    )
                    - batch.retracted_decisions
                )
        writer.supersede(cases.replaced_sources())
    spent = getattr(writer, "tally_seconds", None)
    if spent is not None:
        summary.timings["tallies"] = round(spent, 1)


def _rendered_stamp(rendered: RenderedLetter) -> Stamp:
    return rendered.stamp
