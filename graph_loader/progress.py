"""One progress display for every long command (parse of a folder, load, export): a live count with
its rate on a terminal, nothing at all when stderr is not a terminal (pipes, CI logs, cron)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TimeElapsedColumn


def _noop(advance: int = 1) -> None:
    return None


@contextlib.contextmanager
def counter(
    show: bool, description: str, *, unit: str = "letters", total: int | None = None
) -> Iterator[Callable[[int], None]]:
    """Yields `tick(n)`, which advances the display by n; a no-op when nothing is shown. With a total the
    bar shows done/total and a percentage, without one (files are streamed, not counted first) a count."""
    if not show or not sys.stderr.isatty():
        yield _noop
        return
    columns = (
        [BarColumn(), MofNCompleteColumn(), TaskProgressColumn()]
        if total is not None
        else [BarColumn(), f"{{task.completed}} {unit}"]
    )
    progress = Progress(
        "[progress.description]{task.description}", *columns, TimeElapsedColumn(), transient=False
    )
    with progress:
        task = progress.add_task(description, total=total)

        def tick(advance: int = 1) -> None:
            progress.advance(task, advance)

        yield tick
