"""The bulk path's work on one letter, done in the parse workers: its rows, their CSV lines and its
tally facts, summed there into the worker's running sum (bulk/worker_tallies.py). The parent is left
with what needs the whole corpus: dropping duplicate letters and shared rows written before, writing
strings, and merging the workers' sums. Pure, but for reading the file and that sum.
"""

from __future__ import annotations

import array
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from graph_loader.extract.parallel import parse_one
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.rows import LetterRows, letter_rows
from graph_loader.graph.tallies import CaseFacts, facts_from_rows
from graph_loader.load.bulk import worker_tallies
from graph_loader.load.bulk.csv_format import NODE_FORMATS, REL_FORMATS
from graph_loader.load.near_duplicates import Stamp, stamp_of_rows
from graph_loader.load.parse_output import letter_from_line
from graph_loader.models import Letter

# Per file of a shared type, this letter's lines (once per key) in one string, and where each line's
# key ends and the line ends in it (`array("I")` bytes). A line starts with its key's fields, so the
# key is the line's prefix up to the first bound: written that way, CSV quoting tells keys apart as
# the values do. Two objects per file instead of three per row: the parent unpickles every letter
# a worker sends, and per-row objects were the most of what it spent on each.
SharedLines = dict[str, tuple[str, bytes]]


@dataclass(frozen=True)
class RenderedLetter:
    """One letter as the CSV writer takes it: small to send back from a worker (strings and ints)."""

    letter_id: str
    decisions: int
    has_text: bool
    # Per file of a letter-scoped type, this letter's lines, concatenated.
    lines: dict[str, str]
    # Per file of a shared type, this letter's rows (SharedLines), for the writer to drop the ones
    # written before.
    shared: SharedLines
    # What the tallies count of this letter (a few hundred bytes), pickled where it was rendered.
    facts_pickled: bytes
    # What tells it apart from another letter of its case (near_duplicates.py).
    stamp: Stamp
    # Whether the facts are in the rendering worker's running sum already (bulk/worker_tallies.py):
    # the writer then takes them off for a letter it drops instead of adding them for one it writes.
    counted: bool = False
    # Whether the import tool's fast per-file reader can split every line this letter adds: no
    # value holds a line break outside the `multiline` properties, and those lines pass
    # csv_format.splits_cleanly. One letter without it sends the import to the slower reader.
    splits_cleanly: bool = True

    @property
    def facts(self) -> CaseFacts:
        """What the tallies count of this letter. Kept pickled, as made where the letter was rendered:
        the writer stores them as they are, and reads them only for a letter it drops or takes back."""
        return cast(CaseFacts, pickle.loads(self.facts_pickled))


_NODE_FILES = tuple((n.label, n.file, n.scope == "shared", NODE_FORMATS[n.label]) for n in GRAPH.nodes)
_REL_FILES = tuple((r.type, r.file, r.scope == "shared", REL_FORMATS[r.type]) for r in GRAPH.relationships)


# Per shared file, the last line made for each key, the row values it was made from, the length
# of the line's key fields and whether it splits cleanly (per process).
_SHARED_LINES: dict[str, dict[Any, tuple[tuple[Any, ...], str, int, bool]]] = {}


def shared_rows(text: str, bounds: bytes) -> Iterator[tuple[str, str]]:
    """(key, line) for each row of one shared file's `SharedLines` entry, in the order rendered."""
    start = 0
    marks = memoryview(bounds).cast("I")
    for i in range(0, len(marks), 2):
        key_end, end = marks[i], marks[i + 1]
        yield text[start:key_end], text[start:end]
        start = end


def render(lr: LetterRows, tally_to: str | None = None) -> RenderedLetter:
    """One letter's lines, shared rows and tally facts; with `tally_to` (a load's directory) the facts
    are also added to this process's running sum for that load (bulk/worker_tallies.py)."""
    case = lr.nodes["Case"][0]
    # The sources a case replaced are known only when the load ends: the writer adds them then.
    case.setdefault("superseded_sources", None)
    lines: dict[str, str] = {}
    shared: SharedLines = {}
    clean = True
    for tables, files in ((lr.nodes, _NODE_FILES), (lr.relationships, _REL_FILES)):
        for name, file, is_shared, fmt in files:
            rows = tables[name]
            if not rows:
                continue
            if is_shared:
                firsts: dict[Any, tuple[str, int]] = {}
                made = _SHARED_LINES.setdefault(file, {})
                for row in rows:
                    key = fmt.key(row)
                    if key not in firsts:
                        # Most letters repeat shared rows made before (a few thousand keys in all):
                        # their line is reused when the row is the same, value for value.
                        values = tuple(row.values())
                        known = made.get(key)
                        if known is None or known[0] != values:
                            line = fmt.line(row)
                            clean_line = fmt.lines_split_cleanly([line], line)
                            known = made[key] = (values, line, fmt.key_length(row), clean_line)
                        firsts[key] = known[1], known[2]
                        clean = clean and known[3]
                shared[file] = _packed(firsts.values())
            else:
                made_lines = [fmt.line(row) for row in rows]
                lines[file] = text = "".join(made_lines)
                clean = clean and fmt.lines_split_cleanly(made_lines, text)
    stamp = stamp_of_rows(case, lr.nodes["Decision"])
    stamp.near_keys  # noqa: B018 - worked out here, in the worker, and sent with the stamp
    facts = facts_from_rows(lr)
    if tally_to is not None:
        worker_tallies.count(tally_to, facts)
    return RenderedLetter(
        letter_id=lr.letter_id,
        decisions=len(lr.nodes["Decision"]),
        has_text=bool(case["text"]),
        lines=lines,
        shared=shared,
        facts_pickled=pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL),
        stamp=stamp,
        counted=tally_to is not None,
        splits_cleanly=clean,
    )


def _packed(rows: Iterable[tuple[str, int]]) -> tuple[str, bytes]:
    lines = list(rows)
    marks = array.array("I")
    at = 0
    for line, key_length in lines:
        marks.append(at + key_length)
        at += len(line)
        marks.append(at)
    return "".join([line for line, _ in lines]), marks.tobytes()


def _rendered(
    where: Any, letter: Letter, tally_to: str | None
) -> tuple[Any, RenderedLetter | None, str | None]:
    try:
        return where, render(letter_rows(letter), tally_to), None
    except Exception as exc:  # one letter's bug must not cost the batch beside it
        return where, None, f"{where}: rows error ({type(exc).__name__}: {exc})"


def render_file(path: Path, tally_to: str | None = None) -> tuple[Path, RenderedLetter | None, str | None]:
    """A letter file parsed and rendered (`parallel.map_stream` work), or why it cannot be. With
    `tally_to` (a load's directory), its facts are summed here too (bulk/worker_tallies.py)."""
    _, letter, error = parse_one(path)
    return (path, None, error) if letter is None else _rendered(path, letter, tally_to)


def render_line(
    item: tuple[str, str | None, str | None], tally_to: str | None = None
) -> tuple[str, RenderedLetter | None, str | None]:
    """A line of `imr-graph parse` output (`parse_output.jsonl_lines`) validated and rendered, or why
    not; `tally_to` as for `render_file`."""
    where, line, problem = item
    if line is None:
        return where, None, problem
    _, letter, error = letter_from_line(where, line)
    return (where, None, error) if letter is None else _rendered(where, letter, tally_to)
