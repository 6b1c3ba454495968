"""DWC's own labels on the loaded decisions: `imr-graph fetch` leaves DWC's row for every request in
`dwc-rows.jsonl` beside the letters; a load of that folder sets each matched Decision's `dwc_category`,
`dwc_subcategory` and `dwc_outcome` once the letters are written, on both load paths.

How a row finds its decision. DWC's rows are per request, in DWC's order, each with its case number,
its place among the case's requests (`request` of `requests`) and DWC's category; a letter's
decisions are per disputed item, in the letter's order. For each case number in the graph:
- when DWC lists as many requests as the letter has items, the n-th request (by `request`) is the n-th
  item: both follow the order of the disputed items;
- otherwise (DWC split or merged an item, or the parser did), each request in order takes the first item
  not yet taken whose parsed category equals DWC's (normalize/dwc_vocabulary.py), and a request whose
  category no untaken item has matches nothing.
A row matches nothing when no letter of its case number is in the graph, or when its case's items are
taken; the load's summary counts both. Every decision of a case the file names loses the labels of an
earlier load first, so a re-load with a newer file never keeps a stale match.

A line that is not a JSON object with a case number and a request number is reported by the file's name
and the line's number and skipped: the letters and the other rows load as ever. The file is read a
block of cases at a time, so memory stays flat at any size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from neo4j import Driver, ManagedTransaction
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph_loader.normalize import dwc_vocabulary as vocabulary

ROWS_FILE = "dwc-rows.jsonl"
# Cases per read of the graph and per write transaction.
CASES_PER_BLOCK = 2000
# Problems named in the summary; the count covers all of them.
PROBLEMS_SHOWN = 20

DECISIONS_OF_CASES = """
UNWIND $cases AS case_number
MATCH (c:Case {case_number: case_number})-[:HAS_DECISION]->(d:Decision)
OPTIONAL MATCH (d)-[:FOR_TREATMENT]->(:Treatment)-[:IN_CATEGORY]->(k:TreatmentCategory)
RETURN case_number, d.decision_id AS decision_id, d.index AS index, k.name AS category
ORDER BY case_number, index
"""
CLEAR_LABELS = """
UNWIND $cases AS case_number
MATCH (:Case {case_number: case_number})-[:HAS_DECISION]->(d:Decision)
SET d.dwc_category = null, d.dwc_subcategory = null, d.dwc_outcome = null
"""
SET_LABELS = """
UNWIND $rows AS row
MATCH (d:Decision {decision_id: row.decision_id})
SET d.dwc_category = row.dwc_category, d.dwc_subcategory = row.dwc_subcategory,
    d.dwc_outcome = row.dwc_outcome
"""


class DwcRow(BaseModel):
    """The fields of a dwc-rows.jsonl line the load uses (graph_loader/fetch/store.row_record); the
    others (dates, specialty, the PDF's URL and hash) stay in the file."""

    model_config = ConfigDict(extra="ignore")

    case_number: str = Field(pattern=r"^CM\d{2}-\d{5,7}$")
    request: int = Field(ge=1)
    requests: int = Field(ge=1)
    category: str | None = None
    subcategory: str | None = None
    request_decision: str | None = None


@dataclass
class DwcReport:
    """What a load did with the DWC rows beside its letters."""

    files: list[Path] = field(default_factory=list)
    rows: int = 0
    matched: int = 0
    # Rows of a case number no loaded letter has.
    no_letter: int = 0
    # Rows of a loaded case that no item of its letter took.
    no_item: int = 0
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0

    def problem(self, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_SHOWN:
            self.problems.append(message)

    def describe(self) -> list[str]:
        if not self.files:
            return []
        lines = [
            f"DWC rows: {self.rows} read from {', '.join(str(f) for f in self.files)}, {self.matched} matched a "
            f"decision, {self.no_letter + self.no_item} matched nothing ({self.no_letter} of a case not "
            f"loaded, {self.no_item} beyond the items of its letter)"
        ]
        lines += self.problems
        if self.problem_count > len(self.problems):
            lines.append(f"... and {self.problem_count - len(self.problems)} more malformed DWC rows")
        return lines


def beside(paths: Iterable[Path]) -> list[Path]:
    """The dwc-rows.jsonl of every folder given to the load (the fetcher's layout), each once."""
    found: list[Path] = []
    for path in paths:
        candidate = Path(path) / ROWS_FILE
        if Path(path).is_dir() and candidate.is_file() and candidate not in found:
            found.append(candidate)
    return found


def read_rows(path: Path, report: DwcReport) -> Iterator[DwcRow]:
    """The file's rows in order; a malformed line is reported by file and line number and skipped."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                report.problem(
                    f"{path}:{number}: not a JSON line ({exc.msg.removesuffix(' at')}, column {exc.colno}); skipped"
                )
                continue
            if not isinstance(value, dict):
                report.problem(
                    f"{path}:{number}: expected a JSON object, found {type(value).__name__}; skipped"
                )
                continue
            try:
                row = DwcRow.model_validate(value)
            except ValidationError as exc:
                what = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc']) or 'line'}: {e['msg']}" for e in exc.errors()
                )
                report.problem(f"{path}:{number}: {what}; skipped")
                continue
            report.rows += 1
            yield row


def match(items: list[tuple[str, str | None]], rows: list[DwcRow]) -> list[tuple[str, DwcRow]]:
    """(decision id, row) pairs for one case: `items` are its decisions in the letter's order as (id,
    parsed category), `rows` DWC's rows of the case. The rule is the module's docstring."""
    by_request: dict[int, DwcRow] = {}
    for row in rows:
        # A request listed twice (a case fetched again) is the later listing.
        by_request[row.request] = row
    ordered = [by_request[k] for k in sorted(by_request)]
    if len(ordered) == len(items):
        return [(item_id, row) for (item_id, _), row in zip(items, ordered, strict=True)]
    taken: set[str] = set()
    pairs: list[tuple[str, DwcRow]] = []
    for row in ordered:
        wanted = vocabulary.category(row.category)
        for item_id, parsed in items:
            if item_id not in taken and parsed is not None and parsed == wanted:
                taken.add(item_id)
                pairs.append((item_id, row))
                break
    return pairs


def _blocks(rows: Iterator[DwcRow]) -> Iterator[dict[str, list[DwcRow]]]:
    block: dict[str, list[DwcRow]] = {}
    for row in rows:
        if row.case_number not in block and len(block) >= CASES_PER_BLOCK:
            yield block
            block = {}
        block.setdefault(row.case_number, []).append(row)
    if block:
        yield block


def _apply_block(tx: ManagedTransaction, block: dict[str, list[DwcRow]]) -> tuple[int, int, int]:
    """One block's labels written; (matched, of a case not loaded, beyond its letter's items). Counted
    here and added to the report by the caller, so a retried transaction counts once."""
    cases = sorted(block)
    items: dict[str, list[tuple[str, str | None]]] = {}
    for record in tx.run(DECISIONS_OF_CASES, cases=cases):
        items.setdefault(record["case_number"], []).append((record["decision_id"], record["category"]))
    matched = no_letter = no_item = 0
    writes: list[dict[str, str | None]] = []
    for case_number, rows in block.items():
        if case_number not in items:
            no_letter += len(rows)
            continue
        pairs = match(items[case_number], rows)
        matched += len(pairs)
        no_item += len(rows) - len(pairs)
        writes += [
            {
                "decision_id": decision_id,
                "dwc_category": vocabulary.category(row.category),
                "dwc_subcategory": " ".join((row.subcategory or "").split()) or None,
                "dwc_outcome": vocabulary.outcome(row.request_decision),
            }
            for decision_id, row in pairs
        ]
    tx.run(CLEAR_LABELS, cases=[c for c in cases if c in items]).consume()
    tx.run(SET_LABELS, rows=writes).consume()
    return matched, no_letter, no_item


def apply_labels(driver: Driver, database: str, paths: Iterable[Path]) -> DwcReport:
    """Set DWC's labels from the dwc-rows.jsonl beside the loaded folders (none: nothing to do)."""
    report = DwcReport(files=beside(paths))
    for path in report.files:
        for block in _blocks(read_rows(path, report)):
            with driver.session(database=database) as session:
                matched, no_letter, no_item = session.execute_write(_apply_block, block)
            report.matched += matched
            report.no_letter += no_letter
            report.no_item += no_item
    return report
