"""The bulk path's tallies summed where the letters are rendered: each parse worker keeps one running
sum for the load and leaves it in the load's directory when the pool shuts it down; the parent merges
those few sums at the end instead of adding every letter's hundred-odd cells itself, the one serial
step every letter went through.

The parent still gets each letter's facts: it takes them off again for a letter the load drops (a copy,
or the older letter of its case), and keeps them for a letter a later one may replace.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from multiprocessing import util
from pathlib import Path

from graph_loader.graph.tallies import CaseFacts, Tallies

_PREFIX = "worker-tallies-"
# Per load directory, the process whose sum it is and the sum. A forked worker inherits its parent's
# entries: the pid tells them from its own.
_SUMS: dict[str, tuple[int, Tallies]] = {}


def count(directory: str, facts: CaseFacts) -> None:
    """Add one rendered letter's facts to this process's sum for the load writing into `directory`."""
    pid = os.getpid()
    entry = _SUMS.get(directory)
    if entry is None or entry[0] != pid:
        entry = _SUMS[directory] = (pid, Tallies())
        if multiprocessing.parent_process() is not None:
            # A pool worker: multiprocessing runs this when the pool shuts the worker down, before
            # the parent's join returns, so the sum is on disk before the parent collects.
            util.Finalize(None, _leave, args=(directory,), exitpriority=10)
    entry[1].add(facts)


def _leave(directory: str) -> None:
    entry = _SUMS.pop(directory, None)
    if entry is None or entry[0] != os.getpid():
        return
    target = Path(directory) / f"{_PREFIX}{entry[0]}.pickle"
    partial = target.with_suffix(".partial")
    try:
        with partial.open("wb") as fh:
            pickle.dump(entry[1], fh, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(target)
    except FileNotFoundError:
        pass  # a load that failed and took its directory with it: nobody will collect this sum


def collect(directory: str) -> Tallies:
    """Every sum made for the load writing into `directory`: the workers' (their files, removed once
    read) and this process's own (a load rendered without a pool)."""
    total = Tallies()
    entry = _SUMS.pop(directory, None)
    if entry is not None and entry[0] == os.getpid():
        total.merge(entry[1])
    for path in sorted(Path(directory).glob(f"{_PREFIX}*.pickle")):
        with path.open("rb") as fh:
            total.merge(pickle.load(fh))
        path.unlink()
    return total
