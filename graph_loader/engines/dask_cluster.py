"""`imr-graph parse --engine dask`: shards parsed on a Dask cluster, one task per shard.

Why Dask: it is pure Python from PyPI (`dask[distributed]`), a `LocalCluster` on one machine runs the
same code as a cluster (so CI tests the real engine), and the deployments people already have
(dask-jobqueue on SLURM/PBS, dask-kubernetes, dask-yarn, `dask ssh`, Coiled) all hand back a scheduler
address. Ray would do the same job with a heavier runtime; nothing here depends on Dask beyond
submitting `shards.parse_shard`, which any engine can call.

One task per shard, not per file: 1.5M letters are 150 tasks of 10,000 files, a load the scheduler
does not notice; at most two tasks per worker thread are queued, so the file list is streamed, not
sent whole. Workers read the letters and write the shards themselves: they need the letters and the
output folder on a shared file system, at the paths the client sees (checked before the first task).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph_loader.engines.shards import Engine, ShardError, ShardPlan, ShardRecord, parse_shard
from graph_loader.extract.parallel import worker_count

if TYPE_CHECKING:
    from distributed import Client

CONNECT_TIMEOUT_S = 10.0
MISSING = "--engine dask needs the 'distributed' extra: pip install 'imr-graph[distributed]'"


class EngineError(ShardError):
    """The engine is missing, its scheduler cannot be reached, or a task failed; one line."""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise EngineError(MISSING) from exc
    return distributed


def connect(scheduler: str | None, workers: int, timeout: float = CONNECT_TIMEOUT_S) -> Client:
    """A client of the scheduler at `scheduler`, or of a LocalCluster of `workers` processes (0 = one
    per core, one thread each: the parser holds the GIL) when none is named."""
    distributed = _distributed()
    if scheduler is None:
        cluster = distributed.LocalCluster(
            n_workers=worker_count(workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",  # a free loopback port: no clash, nothing said
            # logging.CRITICAL. At ERROR, a worker whose heartbeat meets the scheduler already closing
            # at shutdown printed a traceback after a run that went well. A failed task or a lost
            # worker still reaches the user, as the EngineError its future raises.
            silence_logs=50,
        )
        client: Client = distributed.Client(cluster, set_as_default=False)
        return client
    try:
        client = distributed.Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise EngineError(
            f"cannot reach the Dask scheduler at {scheduler}: no answer in {timeout:g} s"
        ) from exc
    except ValueError as exc:
        raise EngineError(f"--scheduler {scheduler!r} is not a Dask scheduler address ({exc})") from exc
    return client


def _is_dir(path: str) -> bool:
    return os.path.isdir(path)


def _check_workers_see(client: Client, out_dir: str, root: str) -> None:
    for what, path in (("output folder", out_dir), ("current folder", root)):
        seen = client.run(_is_dir, path)
        blind = sorted(worker for worker, ok in seen.items() if not ok)
        if blind:
            raise EngineError(
                f"Dask worker {blind[0]} does not see the {what} {path}: workers need the letters and "
                "--output-dir on a shared file system, at the same paths"
            )


def dask_engine(scheduler: str | None, workers: int = 0, timeout: float = CONNECT_TIMEOUT_S) -> Engine:
    """The Engine that submits `parse_shard` for each shard to Dask (see the module docstring)."""
    _distributed()  # a missing extra is said before the folder is walked

    def run(
        todo: Iterator[ShardPlan], out_dir: Path, text: bool, root: str, tick: Callable[[int], None]
    ) -> Iterator[ShardRecord]:
        distributed = _distributed()
        target = str(out_dir.resolve())
        client = connect(scheduler, workers, timeout)
        try:
            _check_workers_see(client, target, root)
            threads = client.nthreads()  # type: ignore[no-untyped-call]
            slots = 2 * max(1, sum(threads.values()))
            pending = distributed.as_completed(loop=client.loop)
            plans = iter(todo)

            def submit() -> bool:
                plan = next(plans, None)
                if plan is None:
                    return False
                # pure=False: a resumed run must write the shard again, not reuse a cached result.
                pending.add(
                    client.submit(parse_shard, target, plan.index, plan.sources, text, root, pure=False)
                )
                return True

            for _ in range(slots):
                if not submit():
                    break
            for future in pending:
                try:
                    record: ShardRecord = future.result()
                except ShardError:
                    raise
                except Exception as exc:
                    raise EngineError(
                        f"a Dask task failed ({type(exc).__name__}: {exc}); complete shards are kept: "
                        "run the same command again to resume"
                    ) from exc
                tick(record.files)
                yield record
                submit()
        finally:
            cluster = client.cluster
            client.close()  # type: ignore[no-untyped-call]
            if cluster is not None and scheduler is None:
                cluster.close()

    return run
