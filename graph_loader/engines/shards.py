"""`imr-graph parse --output-dir DIR`: parse output as JSON Lines shards, written so that a killed run
leaves only complete shards and a second run picks up where the first stopped.

A shard is the next `shard_size` letter files in walk order (sorted per folder), not the next N lines:
which files a shard holds is then known before any of them is parsed, so a resumed run skips a
complete shard without reading its letters, and a cluster can parse shard 7 before shard 3 and still
write the bytes the single-process run writes. A shard holds one line per letter parsed from its
files, fewer than `shard_size` when some are rejected.

The folder holds, for shard i (five digits, more past 99,999 shards):
- `part-0000i.jsonl`: the letters, `imr-graph parse` output, one JSON object a line, in input order;
- `part-0000i.done`: what the shard was made from (a digest of its input names, --text) and its
  rejects, written after the shard: a shard without it is redone;
- at the end, `manifest.tsv` (shard, files, letters, rejected, sha256 of the shard) and `rejects.log`
  (every reject, in input order).
Each is written to a temporary name in DIR and renamed over the final name (os.replace), so a reader
sees a whole file or none. None of these names ends in .jsonl except the shards, so
`imr-graph load --jsonl DIR` reads exactly the shards, in order.

`parse_shard` is the function any engine calls per shard (`graph_loader.engines.dask_cluster` is the Dask one).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from graph_loader.errors import ImrGraphError

# The manifest's name and columns are the reader's (a load counts a folder of shards from it).
from graph_loader.load.parse_output import MANIFEST as MANIFEST
from graph_loader.load.parse_output import MANIFEST_COLUMNS

SHARD_SIZE = 10_000
SHARD_RE = re.compile(r"^part-(\d{5,})\.(jsonl|done)$")
REJECTS = "rejects.log"


class ShardError(ImrGraphError):
    """The output folder cannot take shards, or a shard could not be written; one line."""


@dataclass(frozen=True)
class ShardPlan:
    """Shard `index`: the letter files it is parsed from, named as the user gave them (the letters'
    `source`), relative to `root` when they are relative."""

    index: int
    sources: tuple[str, ...]

    def digest(self, text: bool, root: str) -> str:
        names = "\n".join(self.sources)
        return hashlib.sha256(f"text={text}\nroot={root}\n{names}".encode()).hexdigest()


class ShardRecord(BaseModel):
    """The `.done` file of one shard: what it was made from and what it holds."""

    index: int
    files: int
    letters: int
    text: bool
    inputs_sha256: str
    sha256: str
    rejects: list[str]


def shard_name(index: int) -> str:
    return f"part-{index:05d}.jsonl"


def done_name(index: int) -> str:
    return f"part-{index:05d}.done"


def plan_shards(files: Iterable[Path], shard_size: int) -> Iterator[ShardPlan]:
    """Consecutive groups of `shard_size` files, numbered from 0; streamed, one group in memory."""
    if shard_size < 1:
        raise ShardError(f"--shard-size must be 1 or more, not {shard_size}")
    group: list[str] = []
    index = 0
    for path in files:
        group.append(str(path))
        if len(group) == shard_size:
            yield ShardPlan(index, tuple(group))
            index += 1
            group = []
    if group:
        yield ShardPlan(index, tuple(group))


def parse_to_json(path: Path, with_text: bool, source: str | None = None) -> tuple[str | None, str | None]:
    """(JSON line, None) or (None, one-line problem) for one letter file: the line `imr-graph parse`
    prints. Runs in parser processes and on cluster workers, so only the line travels back, not the
    model. `source` is the name the letter records (and problems name), when `path` is where it is
    read from on this machine."""
    from graph_loader.extract.letter import parse_file
    from graph_loader.extract.source import LetterReadError

    name = source or str(path)
    try:
        letter = parse_file(path, name)
    except LetterReadError as exc:
        # Read errors name the path read; the cluster reads root/source and must say what the user gave.
        return None, str(exc).replace(str(path), name, 1)
    except Exception as exc:  # a parser bug on one letter must not cost the others
        return None, f"{name}: parser error ({type(exc).__name__}: {exc}); please report it"
    return letter.model_dump_json(exclude=None if with_text else {"text"}, by_alias=True), None


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers, and a run killed at any instant, see the whole file or
    the one that was there before: a temporary file beside it, flushed to disk, then renamed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_shard(
    out_dir: Path, plan: ShardPlan, results: Sequence[tuple[str | None, str | None]], text: bool, root: str
) -> ShardRecord:
    """Shard `plan.index` from its files' `parse_to_json` results, then its `.done` record."""
    lines = [line for line, _ in results if line is not None]
    rejects = [
        problem or f"{source}: unreadable"
        for source, (line, problem) in zip(plan.sources, results, strict=True)
        if line is None
    ]
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    record = ShardRecord(
        index=plan.index,
        files=len(plan.sources),
        letters=len(lines),
        text=text,
        inputs_sha256=plan.digest(text, root),
        sha256=hashlib.sha256(data).hexdigest(),
        rejects=rejects,
    )
    try:
        atomic_write(out_dir / shard_name(plan.index), data)
        atomic_write(out_dir / done_name(plan.index), record.model_dump_json().encode("utf-8"))
    except OSError as exc:
        raise ShardError(f"{out_dir / shard_name(plan.index)}: cannot write ({exc.strerror or exc})") from exc
    return record


def parse_shard(
    out_dir: str, index: int, sources: Sequence[str], text: bool = False, root: str | None = None
) -> ShardRecord:
    """Parse the letter files `sources` (relative ones under `root`, default the current folder) and
    write shard `index` in `out_dir`: the per-shard function any engine (Dask, Ray, a job array) calls.
    Bad letters become rejects in the record, never exceptions; an OSError writing the shard raises
    ShardError. The bytes depend only on the arguments, so whoever runs it writes the same shard."""
    base = Path(root or os.getcwd())
    plan = ShardPlan(index, tuple(sources))
    results = [parse_to_json(base / source, text, source) for source in plan.sources]
    return write_shard(Path(out_dir), plan, results, text, str(base))


def completed(out_dir: Path, plan: ShardPlan, text: bool, root: str) -> ShardRecord | None:
    """The record of a complete shard made from exactly these files with this --text, else None."""
    try:
        record = ShardRecord.model_validate_json((out_dir / done_name(plan.index)).read_bytes())
        data = (out_dir / shard_name(plan.index)).read_bytes()
    except (OSError, ValidationError):
        return None
    if record.inputs_sha256 != plan.digest(text, root) or record.index != plan.index:
        return None
    # The .done is written after its shard, so a mismatch means the shard was changed since.
    if hashlib.sha256(data).hexdigest() != record.sha256:
        return None
    return record


def prepare_output_dir(out_dir: Path) -> None:
    """Create DIR if needed and clear temporary files a killed run left; a one-line ShardError when
    it is not a folder that can be written."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ShardError(f"--output-dir {out_dir}: not a folder (a file has that name)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / f".write-check.{os.getpid()}.tmp"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ShardError(f"--output-dir {out_dir}: cannot write there ({exc.strerror or exc})") from exc
    ours = (".part-", f".{MANIFEST}.", f".{REJECTS}.", ".write-check.")
    for leftover in out_dir.glob(".*.tmp"):
        if leftover.name.startswith(ours):
            with contextlib.suppress(OSError):
                leftover.unlink()


def finish(out_dir: Path, records: list[ShardRecord], walk_problems: list[str]) -> None:
    """The manifest and the rejects report; shards past the last one (an earlier run over more files)
    are removed, so the folder holds this parse and nothing else."""
    count = len(records)
    for path in out_dir.iterdir():
        match = SHARD_RE.match(path.name)
        if match and int(match.group(1)) >= count:
            path.unlink()
    rows = ["\t".join(MANIFEST_COLUMNS)]
    rows += [f"{shard_name(r.index)}\t{r.files}\t{r.letters}\t{len(r.rejects)}\t{r.sha256}" for r in records]
    atomic_write(out_dir / MANIFEST, ("\n".join(rows) + "\n").encode("utf-8"))
    rejects = [*walk_problems, *(problem for r in records for problem in r.rejects)]
    atomic_write(out_dir / REJECTS, "".join(f"{problem}\n" for problem in rejects).encode("utf-8"))


# An engine parses the shards it is given and yields their records, in any order; `tick(n)` advances the
# progress display by n files.
Engine = Callable[[Iterator[ShardPlan], Path, bool, str, Callable[[int], None]], Iterator[ShardRecord]]


def local_engine(workers: int) -> Engine:
    """This machine's parser processes (`parallel.map_stream`), one stream of files across shards so
    the pool never drains between them."""

    def run(
        todo: Iterator[ShardPlan], out_dir: Path, text: bool, root: str, tick: Callable[[int], None]
    ) -> Iterator[ShardRecord]:
        from graph_loader.extract.letter import preload
        from graph_loader.extract.parallel import map_stream

        queued: collections.deque[ShardPlan] = collections.deque()

        def files() -> Iterator[Path]:
            # As the user named them: this process and its pool read them from `root`, the current folder.
            for plan in todo:
                queued.append(plan)
                yield from map(Path, plan.sources)

        results: list[tuple[str | None, str | None]] = []
        work = functools.partial(parse_to_json, with_text=text)
        for result in map_stream(work, files(), workers, before_pool=preload):
            results.append(result)
            tick(1)
            if len(results) == len(queued[0].sources):
                yield write_shard(out_dir, queued.popleft(), results, text, root)
                results = []

    return run


@dataclass
class ShardSummary:
    files: int = 0
    letters: int = 0
    shards: int = 0
    resumed: int = 0
    rejects: list[str] = field(default_factory=list)

    def describe(self, out_dir: Path) -> str:
        kept = f", {self.resumed} kept from an earlier run" if self.resumed else ""
        return (
            f"parsed {self.files} files into {self.shards} shards in {out_dir}{kept}: "
            f"{self.letters} letters, {len(self.rejects)} rejected"
        )


def write_shards(
    paths: list[Path],
    out_dir: Path,
    engine: Engine,
    *,
    shard_size: int = SHARD_SIZE,
    text: bool = False,
    resume: bool = True,
    tick: Callable[[int], None] = lambda n: None,
    report: Callable[[str], None] = lambda problem: None,
) -> ShardSummary:
    """Parse the letter files under `paths` into shards in `out_dir` with `engine`. With `resume`,
    complete shards of the same files (and --text) are kept, not parsed again. `report` gets each
    reject as it is known; the summary has them all, in input order."""
    from graph_loader.extract.source import walk_letter_paths

    prepare_output_dir(out_dir)
    root = os.getcwd()
    summary = ShardSummary()
    walk_problems: list[str] = []
    records: dict[int, ShardRecord] = {}

    def letter_files() -> Iterator[Path]:
        for path, problem in walk_letter_paths(paths):
            if problem is None:
                yield path
            else:
                walk_problems.append(problem)
                report(problem)

    def todo() -> Iterator[ShardPlan]:
        for plan in plan_shards(letter_files(), shard_size):
            record = completed(out_dir, plan, text, root) if resume else None
            if record is None:
                yield plan
                continue
            records[record.index] = record
            summary.resumed += 1
            tick(record.files)
            for problem in record.rejects:
                report(problem)

    for record in engine(todo(), out_dir, text, root, tick):
        records[record.index] = record
        for problem in record.rejects:
            report(problem)
    ordered = [records[i] for i in range(len(records))]
    finish(out_dir, ordered, walk_problems)
    summary.shards = len(ordered)
    summary.files = sum(r.files for r in ordered) + len(walk_problems)
    summary.letters = sum(r.letters for r in ordered)
    summary.rejects = [*walk_problems, *(p for r in ordered for p in r.rejects)]
    return summary
