"""The letters folder: the PDFs (one folder per decision month), `dwc-rows.jsonl` (DWC's row for every
request of every letter on disk) and `fetch-state.json` (what --since-last starts from).

Written so that a killed run loses nothing complete and a re-run fetches nothing twice:
- a PDF is written under a temporary name and renamed into place, so a PDF at its name is whole;
- a case's rows go into the rows file in one append, flushed to disk, after its PDF; every row carries
  `request` and `requests` (its place among the case's rows), so a case cut short by a crash at the
  very end of the file is seen and dropped when the folder is opened next;
- a letter counts as on disk when its rows are there with the SHA-256 of the PDF at its name, and the
  PDF starts with `%PDF-` and ends with `%%EOF`.
Which cases are recorded is kept in a SeenSet (on disk), so opening a folder of a million letters costs
no memory.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from graph_loader.fetch.errors import StoreError
from graph_loader.fetch.pages import RequestRow
from graph_loader.seen import SeenSet

ROWS_FILE = "dwc-rows.jsonl"
STATE_FILE = "fetch-state.json"
# Where %%EOF may sit: writers pad the end with newlines, and incremental updates with a little more.
EOF_WINDOW = 1024


def pdf_problem(data: bytes) -> str | None:
    """What makes `data` not a whole PDF, or None."""
    if not data.startswith(b"%PDF-"):
        start = data[:16].decode("latin-1").strip()
        return f"does not start with %PDF- (starts with {start!r}, {len(data)} bytes)"
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        return f"has no %%EOF near its end: cut short at {len(data)} bytes"
    return None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.part")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def row_record(
    row: RequestRow, index: int, count: int, pdf_url: str, sha256: str, pdf_path: str
) -> dict[str, Any]:
    return {
        "case_number": row.case_number,
        "request": index,
        "requests": count,
        "decision_date": row.decision_date.isoformat(),
        "injury_date": row.injury_date.isoformat() if row.injury_date else None,
        "received_date": row.received_date.isoformat() if row.received_date else None,
        "specialty": row.specialty,
        "category": row.category,
        "subcategory": row.subcategory,
        "request_decision": row.decision,
        "pdf_url": pdf_url,
        "pdf_sha256": sha256,
        "pdf_path": pdf_path,
    }


class LetterStore:
    """One letters folder, opened for a run (use as a context manager)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{folder}: cannot create the letters folder ({exc.strerror})") from exc
        self.rows_path = folder / ROWS_FILE
        self.state_path = folder / STATE_FILE
        self._seen = SeenSet()
        self.recorded = 0
        self.repaired = 0
        self._index()

    def __enter__(self) -> LetterStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._seen.close()

    # -- the rows file ------------------------------------------------------------------------------

    def _groups(self) -> Iterator[tuple[int, int, list[dict[str, Any]]]]:
        """(start offset, end offset, rows) of each case in the rows file; a case not complete at the end
        of the file is left out (the caller truncates it away)."""
        if not self.rows_path.exists():
            return
        offset, start = 0, 0
        group: list[dict[str, Any]] = []
        with open(self.rows_path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                end = offset + len(line)
                if not line.endswith(b"\n"):
                    break  # the last line, cut by a crash mid-append
                try:
                    row = json.loads(line)
                    case, index, count = row["case_number"], int(row["request"]), int(row["requests"])
                except (ValueError, KeyError, TypeError) as exc:
                    raise StoreError(
                        f"{self.rows_path} line {number}: expected a row this tool wrote, found {line[:80]!r}"
                    ) from exc
                if group and case != group[0]["case_number"]:
                    raise StoreError(
                        f"{self.rows_path} line {number}: expected request {len(group) + 1} of "
                        f"{group[0]['case_number']}, found {case}"
                    )
                if not group:
                    start = offset
                if index != len(group) + 1:
                    raise StoreError(
                        f"{self.rows_path} line {number}: expected request {len(group) + 1} of {case}, "
                        f"found request {index}"
                    )
                group.append(row)
                offset = end
                if index == count:
                    yield start, end, group
                    group = []

    def _index(self) -> None:
        good_end = 0
        for _, end, group in self._groups():
            self._remember(group[0]["case_number"], group[0]["pdf_sha256"])
            good_end = end
        if self.rows_path.exists() and self.rows_path.stat().st_size != good_end:
            # A crash between the write and its flush left part of one case at the end: that case is
            # fetched again, so drop the part (its PDF, if it made it, is adopted without a download).
            self.repaired = self.rows_path.stat().st_size - good_end
            with open(self.rows_path, "r+b") as handle:
                handle.truncate(good_end)

    def _remember(self, case: str, sha256: str) -> None:
        if self._seen.add(case):
            self.recorded += 1
        self._seen.add(f"{case}\t{sha256}")

    def _forget(self, case: str) -> None:
        """Drop a case's rows (its letter changed on DWC's side): rewrite the rows file without them and
        rebuild the index. Rare, so a whole rewrite is fine."""
        tmp = self.rows_path.with_name(f".{ROWS_FILE}.part")
        with open(tmp, "wb") as out:
            for _, _, group in self._groups():
                if group[0]["case_number"] != case:
                    out.write(b"".join(_line(row) for row in group))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.rows_path)
        self._seen.close()
        self._seen = SeenSet()
        self.recorded = 0
        self._index()

    # -- letters ------------------------------------------------------------------------------------

    def letter_path(self, case_number: str, decided: date) -> Path:
        return self.folder / f"{decided:%Y-%m}" / f"{case_number}.pdf"

    def relative(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()

    def on_disk(self, case_number: str, decided: date) -> str | None:
        """The SHA-256 of the case's PDF when it is whole (%PDF- ... %%EOF), else None."""
        path = self.letter_path(case_number, decided)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        return None if pdf_problem(data) else _sha256(data)

    def is_recorded(self, case_number: str, sha256: str) -> bool:
        return f"{case_number}\t{sha256}" in self._seen

    def save_letter(self, case_number: str, decided: date, data: bytes) -> str:
        path = self.letter_path(case_number, decided)
        try:
            path.parent.mkdir(exist_ok=True)
            _write_atomic(path, data)
        except OSError as exc:
            raise StoreError(f"{path}: cannot write the letter ({exc.strerror})") from exc
        return _sha256(data)

    def record(self, rows: list[RequestRow], pdf_url: str, sha256: str) -> int:
        """Append the case's rows (all or none) and return how many were written; none when the same
        letter is recorded already."""
        case = rows[0].case_number
        if self.is_recorded(case, sha256):
            return 0
        if case in self._seen:
            self._forget(case)
        pdf_path = self.relative(self.letter_path(case, rows[0].decision_date))
        data = b"".join(
            _line(row_record(row, i, len(rows), pdf_url, sha256, pdf_path)) for i, row in enumerate(rows, 1)
        )
        with open(self.rows_path, "ab") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        self._remember(case, sha256)
        return len(rows)

    # -- state --------------------------------------------------------------------------------------

    def newest_decision(self) -> date | None:
        """The newest decision date a complete earlier run saw, or None before the first."""
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
            return date.fromisoformat(state["newest_decision_date"])
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreError(
                f'{self.state_path}: expected {{"newest_decision_date": "YYYY-MM-DD"}}, found something else'
            ) from exc

    def save_state(self, newest: date) -> None:
        state = {"newest_decision_date": newest.isoformat(), "written_at": datetime.now(UTC).isoformat()}
        _write_atomic(self.state_path, (json.dumps(state, indent=2) + "\n").encode())


def _line(row: dict[str, Any]) -> bytes:
    return (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
