"""Read `imr-graph parse` output (the documented contract) back into letters, so a corpus parsed
elsewhere (on a cluster, in shards) loads without parsing again. Pure reading; a line that breaks the
contract is one problem naming the file and line, and the lines beside it still load."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from graph_loader.models import Letter

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")


def jsonl_files(paths: list[Path]) -> Iterator[tuple[Path, str | None]]:
    """JSON Lines files under `paths` (sorted per folder), "-" for standard input, or a problem."""
    for root in paths:
        if str(root) == "-":
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


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "line"
    return f"{where}: {first.get('msg', 'invalid')}"


def jsonl_lines(paths: list[Path]) -> Iterator[tuple[str, str | None, str | None]]:
    """(where, line, None) per non-blank line, (where, None, problem) per file that cannot be read;
    where is file:line. Lines are validated by `letter_from_line`, here or in worker processes."""
    for path, problem in jsonl_files(paths):
        if problem is not None:
            yield str(path), None, problem
            continue
        try:
            handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
        except OSError as exc:
            yield str(path), None, f"{path}: cannot read ({exc.strerror or exc})"
            continue
        name = "<stdin>" if str(path) == "-" else str(path)
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


def read_letters(paths: list[Path]) -> Iterator[tuple[str, Letter | None, str | None]]:
    """(where, letter, None) per good line, (where, None, problem) per bad one; where is file:line."""
    for where, line, problem in jsonl_lines(paths):
        yield (where, None, problem) if line is None else letter_from_line(where, line)
