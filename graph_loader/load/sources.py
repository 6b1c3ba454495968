"""Where a load's letters come from, decided once by the command line from what the user gave:
letter files (`LetterFiles`: .txt and .pdf, walked lazily, parsed in the workers) or `imr-graph parse`
output (`ParseOutput`: JSON Lines files, folders of them, '-' for standard input, read back without
parsing again). Either yields the same stream, in input order: (where, the letter or None, the problem
or None), counting files, rejects and letters without text into the load summary as they pass; for
the bulk path the same letters rendered to CSV lines in the workers (render.py).

`count(limit)` tells `--method auto` whether the corpus reaches the bulk path's threshold, and reads
nothing twice to say so:
- letter files: their names are walked up to `limit` (a directory walk: no letter is opened); the
  load walks again and reads each letter once.
- parse output: a folder of shards written by `imr-graph parse --output-dir` is counted from its
  manifest.tsv, no shard opened (`parse_output.manifest_letters`). Any other JSON Lines are read
  ahead until `limit` lines are found, and the lines read are kept (in memory up to SPOOL_BYTES,
  then in a temporary file) for the load to take first before it reads on from where the count
  stopped: each file is still read once. Chosen over estimating from file sizes because a line of
  parse output is 0.5 KB (a letter with nothing found) to 10 KB for the sample letters, 17 KB with
  --text, so a size tells the number of letters only within a factor of 30, while reading ahead is
  exact and costs at most `limit` lines through a temporary file. Standard input is never read to
  count (reading it ahead could mean holding all of it): reading ahead stops at '-', so letters from
  stdin, and from the files after it, count only where a manifest counts them.
"""

from __future__ import annotations

import functools
import itertools
import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, TypeVar, cast

from graph_loader.extract.letter import preload
from graph_loader.extract.parallel import map_stream, parse_stream, worker_count
from graph_loader.extract.source import walk_letter_paths
from graph_loader.load.parse_output import (
    LineItem,
    is_stdin,
    jsonl_lines,
    letters_from_lines,
    manifest_letters,
)
from graph_loader.load.render import RenderedLetter, render_file, render_line
from graph_loader.models import Letter

T = TypeVar("T")
# (where: the letter file, or file:line of parse output; the letter or None; the problem or None)
Item = tuple[Path | str, T | None, str | None]

# Lines read ahead to count them stay in memory up to this size; the rest wait in a temporary file.
SPOOL_BYTES = 16 * 1024 * 1024


class Counts(Protocol):
    """What a source counts as the letters pass (`pipeline.LoadSummary`): every letter file or line
    of parse output, the letters that came without their text, and the entries that never reach the
    pipeline (a path the walk cannot read)."""

    files: int
    without_text: int

    def reject(self, message: str) -> None: ...


class LetterSource(Protocol):
    @property
    def description(self) -> str:
        """What the progress display shows while the letters come."""
        ...

    def letters(self, counts: Counts) -> Iterator[Item[Letter]]:
        """Every letter, parsed or read back, in input order; the incremental path's input."""
        ...

    def rendered(self, counts: Counts, tally_to: str | None = None) -> Iterator[Item[RenderedLetter]]:
        """The same letters, each rendered to CSV lines in the worker that parsed or validated it,
        and with `tally_to` its facts summed there (bulk/worker_tallies.py)."""
        ...

    def count(self, limit: int) -> int:
        """The letters the source holds, counted up to `limit` (a larger corpus answers `limit`)."""
        ...


class LetterFiles:
    """Letter files (.txt, .pdf) and folders of them, parsed on `workers` processes (0: one per core)."""

    description = "parsing letters"

    def __init__(self, paths: list[Path], workers: int = 0) -> None:
        self.paths = list(paths)
        self.workers = worker_count(workers)

    def _files(self, counts: Counts) -> Iterator[Path]:
        for path, problem in walk_letter_paths(self.paths):
            counts.files += 1
            if problem is None:
                yield path
            else:
                counts.reject(problem)

    def letters(self, counts: Counts) -> Iterator[Item[Letter]]:
        return parse_stream(self._files(counts), self.workers)

    def rendered(self, counts: Counts, tally_to: str | None = None) -> Iterator[Item[RenderedLetter]]:
        work = functools.partial(render_file, tally_to=tally_to)
        return map_stream(work, self._files(counts), self.workers, before_pool=preload)

    def count(self, limit: int) -> int:
        names = (path for path, problem in walk_letter_paths(self.paths) if problem is None)
        return sum(1 for _ in itertools.islice(names, limit))


class ParseOutput:
    """`imr-graph parse` output: JSON Lines files, folders of them (shards) and '-' for standard input.
    The lines are validated (and, for the bulk path, rendered) on `workers` processes (0: one per core)."""

    description = "reading letters"

    def __init__(self, paths: list[Path], workers: int = 0) -> None:
        self.paths = list(paths)
        self.workers = worker_count(workers)
        # Per position in `paths`, the lines `count` read ahead, for the next read to take first.
        self._ahead: dict[int, _ReadAhead] = {}

    def _lines(self) -> Iterator[LineItem]:
        # The lines read ahead are handed out once: a second load of the same source reads the files
        # again, as a second command would.
        ahead, self._ahead = self._ahead, {}
        return itertools.chain.from_iterable(
            ahead[index].replay() if index in ahead else jsonl_lines([root])
            for index, root in enumerate(self.paths)
        )

    def letters(self, counts: Counts) -> Iterator[Item[Letter]]:
        return _counted(letters_from_lines(self._lines()), counts, lambda letter: bool(letter.text))

    def rendered(self, counts: Counts, tally_to: str | None = None) -> Iterator[Item[RenderedLetter]]:
        work = functools.partial(render_line, tally_to=tally_to)
        stream = map_stream(work, self._lines(), self.workers, before_pool=preload)
        return _counted(stream, counts, lambda rendered: rendered.has_text)

    def count(self, limit: int) -> int:
        total = 0
        reading = True
        for index, root in enumerate(self.paths):
            if total >= limit:
                break
            if is_stdin(root):
                reading = False
                continue
            shards = manifest_letters(root) if root.is_dir() else None
            if shards is not None:
                total += shards
            elif reading:
                if index not in self._ahead:
                    self._ahead[index] = _ReadAhead(jsonl_lines([root]))
                total += self._ahead[index].take(limit - total)
        return min(total, limit)


class _ReadAhead:
    """The lines of one input that were read to count them, kept in a spool (memory, then a temporary
    file) until `replay` hands them back, followed by the rest of the same reading."""

    def __init__(self, lines: Iterator[LineItem]) -> None:
        self._rest = lines
        # Outlives this call: `replay` closes it, or the garbage collector if no load follows.
        self._spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        self.lines = 0

    def take(self, wanted: int) -> int:
        """Read on until `wanted` lines are kept or the input ends; the lines kept."""
        while self.lines < wanted:
            item = next(self._rest, None)
            if item is None:
                break
            pickle.dump(item, self._spool, pickle.HIGHEST_PROTOCOL)
            # A file that cannot be read is kept too (as its problem), but holds no letter.
            self.lines += item[1] is not None
        return self.lines

    def replay(self) -> Iterator[LineItem]:
        with self._spool as spool:
            spool.seek(0)
            while True:
                try:
                    item = cast(LineItem, pickle.load(spool))
                except EOFError:
                    break
                yield item
        yield from self._rest


def _counted(
    stream: Iterator[tuple[str, T | None, str | None]], counts: Counts, has_text: Callable[[T], bool]
) -> Iterator[Item[T]]:
    for where, letter, problem in stream:
        counts.files += 1
        if letter is not None and not has_text(letter):
            counts.without_text += 1
        yield where, letter, problem
