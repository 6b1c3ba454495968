"""Parse many letter files on a process pool, results in input order, memory flat on any corpus.

The one place that decides how many parser processes a command uses (`worker_count`)."""

from __future__ import annotations

import collections
import gc
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from graph_loader.extract.letter import parse_file, preload
from graph_loader.extract.source import LetterReadError
from graph_loader.models import Letter

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 64
# Files per pool task (amortizes the round trip) and tasks queued per worker (keeps every core busy
# while the reader is behind).
BATCH = 16
IN_FLIGHT = 4
A = TypeVar("A")
T = TypeVar("T")


def worker_count(workers: int) -> int:
    """The parser processes a command runs: `workers`, or one per core for 0 (the CLI's default)."""
    return workers if workers > 0 else os.cpu_count() or 1


def parse_one(path: Path) -> tuple[Path, Letter | None, str | None]:
    try:
        return path, parse_file(path), None
    except LetterReadError as exc:
        return path, None, str(exc)
    except Exception as exc:  # one letter's parser bug must not cost the batch beside it
        return path, None, f"{path}: parser error ({type(exc).__name__}: {exc})"


def parse_stream(files: Iterable[Path], workers: int) -> Iterator[tuple[Path, Letter | None, str | None]]:
    """Parsed letters in input order, on `workers` processes for 64+ files (`map_stream`)."""
    return map_stream(parse_one, files, workers, before_pool=preload)


def _run_batch(work: Callable[[A], T], items: list[A]) -> list[T]:
    return [work(item) for item in items]


def map_stream(
    work: Callable[[A], T],
    files: Iterable[A],
    workers: int,
    before_pool: Callable[[], None] | None = None,
) -> Iterator[T]:
    """`work` over `files`, results in input order. Below PARALLEL_THRESHOLD files, or with one
    worker, in this process. Otherwise batches of BATCH files go to a process pool with at most
    IN_FLIGHT batches per worker submitted ahead of the one being read: neither the file list nor the
    results waiting to be read grow with the corpus, and the pool never drains between windows.
    `work` must be picklable (a module-level function or a partial of one) and must not raise.
    `before_pool` runs once here before the pool starts: on fork platforms what it loads (the parser's
    dictionaries, `letter.preload`) is shared by every worker instead of loaded by each."""
    files = iter(files)
    first = list(itertools.islice(files, PARALLEL_THRESHOLD))
    if workers <= 1 or len(first) < PARALLEL_THRESHOLD:
        yield from map(work, itertools.chain(first, files))
        return
    paths = itertools.chain(first, files)
    if before_pool is not None:
        before_pool()
    # What exists now (the dictionaries above, most of all) lives as long as the process: frozen, the
    # garbage collector stops walking it at every collection, here and in the forked workers (whose
    # parsing and rows allocate enough to collect often), and the workers' pages stay shared.
    gc.collect()
    gc.freeze()
    try:
        yield from _pooled(work, paths, workers)
    finally:
        gc.unfreeze()


def _pooled(work: Callable[[A], T], paths: Iterator[A], workers: int) -> Iterator[T]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: collections.deque[Future[list[T]]] = collections.deque()

        def submit() -> None:
            batch = list(itertools.islice(paths, BATCH))
            if batch:
                pending.append(pool.submit(_run_batch, work, batch))

        for _ in range(workers * IN_FLIGHT):
            submit()
        while pending:
            results = pending.popleft().result()
            submit()
            yield from results
