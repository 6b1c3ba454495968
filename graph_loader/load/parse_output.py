"""Read `imr-graph parse` output (the documented contract) back into letters, so a corpus parsed
elsewhere (on a cluster, in shards) loads without parsing again. Pure reading; a line that breaks the
contract is one problem naming the file and line, and the lines beside it still load."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError

from graph_loader.models import Letter

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
# What `imr-graph parse --output-dir` writes beside its shards at the end of a run (engines/shards.py):
# per shard, its letter files, letters, rejects and sha256. Named here, where parse output is read
# back, so that a load can count a folder of shards without opening them.
MANIFEST = "manifest.tsv"
MANIFEST_COLUMNS = ("shard", "files", "letters", "rejected", "sha256")

# (where: file:line, or the file; the line, or None; the problem, or None)
LineItem = tuple[str, str | None, str | None]


def is_stdin(path: Path) -> bool:
    return str(path) == "-"


def jsonl_files(paths: list[Path]) -> Iterator[tuple[Path, str | None]]:
    """JSON Lines files under `paths` (sorted per folder), "-" for standard input, or a problem."""
    for root in paths:
        if is_stdin(root):
            yield root, None
        elif root.is_dir():
            for path in sorted(
                p for p in root.rglob("*") if p.suffix.lower() in JSONL_SUFFIXES and p.is_file()
            ):
                yield path, None
        elif root.is_file():
            yield root, None
        else:
            yield root, f"{root}: no such file or directory"


def manifest_letters(folder: Path) -> int | None:
    """The letters in a folder of shards as its manifest records them, without opening a shard; None
    when there is no manifest to trust: none, unreadable, or the folder's JSON Lines files (a directory
    walk) are not exactly the shards it lists (one added, removed or renamed since, a subfolder)."""
    try:
        rows = [row.split("\t") for row in (folder / MANIFEST).read_text(encoding="utf-8").splitlines()]
    except (OSError, UnicodeDecodeError):
        return None
    if not rows or tuple(rows[0]) != MANIFEST_COLUMNS:
        return None
    name, letters = MANIFEST_COLUMNS.index("shard"), MANIFEST_COLUMNS.index("letters")
    per_shard: dict[str, int] = {}
    for row in rows[1:]:
        if len(row) != len(MANIFEST_COLUMNS) or not row[letters].isdigit() or row[name] in per_shard:
            return None
        per_shard[row[name]] = int(row[letters])
    found = {path.relative_to(folder).as_posix() for path, _ in jsonl_files([folder])}
    return sum(per_shard.values()) if found == set(per_shard) else None


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "line"
    return f"{where}: {first.get('msg', 'invalid')}"


def jsonl_lines(paths: list[Path]) -> Iterator[LineItem]:
    """(where, line, None) per non-blank line, (where, None, problem) per file that cannot be read;
    where is file:line. Lines are validated by `letter_from_line`, here or in worker processes."""
    for path, problem in jsonl_files(paths):
        if problem is not None:
            yield str(path), None, problem
            continue
        try:
            handle = sys.stdin if is_stdin(path) else path.open(encoding="utf-8")
        except OSError as exc:
            yield str(path), None, f"{path}: cannot read ({exc.strerror or exc})"
            continue
        name = "<stdin>" if is_stdin(path) else str(path)
        try:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield f"{name}:{number}", line, None
        except UnicodeDecodeError as exc:
            yield name, None, f"{name}: not UTF-8 text ({exc.reason})"
        finally:
            if handle is not sys.stdin:
                handle.close()


def letter_from_line(where: str, line: str) -> tuple[str, Letter | None, str | None]:
    try:
        return where, Letter.model_validate_json(line), None
    except ValidationError as exc:
        first = exc.errors()[0]
        if first.get("type") == "json_invalid":
            return where, None, f"{where}: not JSON ({first.get('msg', 'invalid')})"
        return where, None, f"{where}: not a parsed letter ({_problem(exc)})"


def letters_from_lines(lines: Iterable[LineItem]) -> Iterator[tuple[str, Letter | None, str | None]]:
    """(where, letter, None) per good line, (where, None, problem) per bad one or unreadable file."""
    for where, line, problem in lines:
        yield (where, None, problem) if line is None else letter_from_line(where, line)


def read_letters(paths: list[Path]) -> Iterator[tuple[str, Letter | None, str | None]]:
    """`letters_from_lines` of every line under `paths`; where is file:line."""
    return letters_from_lines(jsonl_lines(paths))
