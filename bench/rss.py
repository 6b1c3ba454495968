"""Peak memory of the loader (proportional set size): this process plus its parser processes, never
the Neo4j JVM."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out.extend(int(p) for p in task.read_text().split())
        except OSError:
            continue
    return out


def _rss_kb(pid: int) -> int:
    """Proportional set size: pages the forked parser processes share with the parent count once,
    where summing plain RSS would count them in every process."""
    for source, key in ((f"/proc/{pid}/smaps_rollup", "Pss:"), (f"/proc/{pid}/status", "VmRSS:")):
        try:
            for line in Path(source).read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])
        except OSError:
            continue
    return 0


def _is_java(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip() == "java"
    except OSError:
        return False


def tree_rss_mb(root: int | None = None) -> float:
    """PSS of `root` and every descendant that is not a Java process, in MB."""
    stack, total = [root or os.getpid()], 0
    while stack:
        pid = stack.pop()
        if _is_java(pid):
            continue
        total += _rss_kb(pid)
        stack.extend(_children(pid))
    return total / 1024


class PeakRss:
    """Samples tree_rss_mb() every `interval` seconds inside a `with` block; `.peak_mb` is the maximum."""

    # Each sample reads /proc/PID/smaps_rollup of the loader and its two parsers: about 4.5 ms of
    # the kernel walking their page tables. Every 0.25 s that was 1.8 % of a core taken from the
    # load it measures; memory that stays flat needs no finer sampling than once a second.
    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.peak_mb = 0.0
        # The loader's own process alone: what grows with the corpus if anything does.
        self.parent_peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, tree_rss_mb())
            self.parent_peak_mb = max(self.parent_peak_mb, _rss_kb(os.getpid()) / 1024)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mb = round(max(self.peak_mb, tree_rss_mb()), 1)
        self.parent_peak_mb = round(max(self.parent_peak_mb, _rss_kb(os.getpid()) / 1024), 1)
