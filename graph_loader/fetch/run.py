"""`imr-graph fetch`: search, page through the results, and keep each letter with DWC's rows for it.

A letter is handled when its case's rows are all in hand (its continuation rows may sit on the next
page): skipped when it is on disk and recorded, recorded without a download when a killed run left its
PDF but not its rows, else downloaded, checked, saved and recorded. A letter that cannot be fetched is
reported and the run goes on; a search page that cannot be read stops the run (what came before is
kept). Only a complete run (no failure, no --max cut, no filter beyond the dates, no --case) moves the
date --since-last starts from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from graph_loader.fetch.client import Client
from graph_loader.fetch.errors import FetchError, LetterError, NetworkError, PageStructureError
from graph_loader.fetch.pages import RequestRow, is_pdf_link, letter_link
from graph_loader.fetch.search import Query, case_page, group_by_case, page_html, search_pages
from graph_loader.fetch.store import ROWS_FILE, STATE_FILE, LetterStore, pdf_problem

DEFAULT_BASE_URL = "https://www.dir.ca.gov"
# DWC posts a letter weeks after its decision: a --since-last run looks this far before the newest
# decision date it has, for letters decided earlier but posted since (those on disk cost no download).
LOOK_BACK_DAYS = 28


def _quiet(_: str) -> None:
    return None


def _no_tick(_: int = 1) -> None:
    return None


@dataclass(frozen=True)
class FetchPlan:
    folder: Path
    base_url: str = DEFAULT_BASE_URL
    query: Query = field(default_factory=Query)
    case_number: str | None = None
    max_letters: int | None = None
    since_last: bool = False
    look_back_days: int = LOOK_BACK_DAYS


@dataclass
class FetchSummary:
    fetched: int = 0
    skipped: int = 0
    adopted: int = 0
    rows_written: int = 0
    pages: int = 0
    failed: list[str] = field(default_factory=list)
    stopped_at_max: bool = False
    searched_from: date | None = None
    newest: date | None = None
    state_saved: bool = False

    def describe(self, folder: Path) -> str:
        parts = [f"{self.fetched} letters fetched", f"{self.skipped} already on disk"]
        if self.adopted:
            parts.append(f"{self.adopted} recorded from a PDF a killed run left")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        line = f"{', '.join(parts)}; {self.rows_written} rows added to {folder / ROWS_FILE}"
        if self.searched_from:
            line = f"decisions from {self.searched_from.isoformat()}: {line}"
        if self.pages:
            line += f" ({self.pages} result {'page' if self.pages == 1 else 'pages'} read)"
        if self.stopped_at_max:
            line += "; stopped at --max"
        if self.state_saved and self.newest:
            line += f"; newest decision {self.newest.isoformat()} kept for --since-last"
        return line


def _case_groups(
    client: Client, plan: FetchPlan, query: Query, summary: FetchSummary
) -> Iterator[list[RequestRow]]:
    if plan.case_number is not None:
        url, page = case_page(client, plan.base_url, plan.case_number)
        summary.pages += 1
        mine = [row for row in page.rows if row.case_number.upper() == plan.case_number.upper()]
        if not mine:
            raise FetchError(f"{url}: expected the rows of case {plan.case_number}, found none")
        yield mine
        return

    def rows() -> Iterator[RequestRow]:
        for page in search_pages(client, plan.base_url, query):
            summary.pages += 1
            yield from page.page.rows

    yield from group_by_case(rows())


def _letter_url(client: Client, row: RequestRow) -> str:
    """The PDF's URL: the row's link when it is the PDF, else the PDF its case page links."""
    if is_pdf_link(row.link):
        return row.link
    response = client.get(row.link, expect=f"the page of case {row.case_number}")
    return letter_link(page_html(response), str(response.url), row.case_number)


def _download(client: Client, url: str, case_number: str) -> bytes:
    """The letter's bytes, tried again (with the client's backoff) while they are not a whole PDF: a
    server or proxy that drops the end of a body still says 200."""
    attempts = max(1, client.retry.attempts)
    problem = ""
    for attempt in range(1, attempts + 1):
        data = client.get(url, expect=f"the PDF letter of {case_number}").content
        found = pdf_problem(data)
        if found is None:
            return data
        problem = found
        if attempt < attempts:
            client.wait(attempt)
    raise LetterError(
        f"{url}: expected the PDF letter of {case_number}; it {problem} on each of {attempts} tries"
    )


def _handle(client: Client, store: LetterStore, group: list[RequestRow], summary: FetchSummary) -> None:
    first = group[0]
    sha = store.on_disk(first.case_number, first.decision_date)
    if sha is not None and store.is_recorded(first.case_number, sha):
        summary.skipped += 1
        return
    url = _letter_url(client, first)
    if sha is not None:
        summary.rows_written += store.record(group, url, sha)
        summary.adopted += 1
        return
    data = _download(client, url, first.case_number)
    sha = store.save_letter(first.case_number, first.decision_date, data)
    summary.rows_written += store.record(group, url, sha)
    summary.fetched += 1


def run_fetch(
    plan: FetchPlan,
    client: Client,
    *,
    tick: Callable[[int], None] = _no_tick,
    report: Callable[[str], None] = _quiet,
) -> FetchSummary:
    """Fetch what `plan` asks into `plan.folder`. `tick(1)` after each letter handled; `report` gets the
    one-line reason of each letter that could not be fetched. Raises FetchError when the run cannot go
    on (a search page unreadable, the network gone, the folder unusable)."""
    summary = FetchSummary()
    with LetterStore(plan.folder) as store:
        query = plan.query
        previous = store.newest_decision()
        if plan.since_last:
            if previous is None:
                raise FetchError(
                    f"{plan.folder / STATE_FILE}: not found; --since-last starts from the newest decision "
                    "of a complete earlier run into this folder (run once without it, or give --decided-from)"
                )
            query = replace(query, decided_from=previous - timedelta(days=plan.look_back_days))
        summary.searched_from = query.decided_from
        for group in _case_groups(client, plan, query, summary):
            if plan.max_letters is not None and summary.fetched >= plan.max_letters:
                summary.stopped_at_max = True
                break
            decided = group[0].decision_date
            summary.newest = decided if summary.newest is None else max(summary.newest, decided)
            try:
                _handle(client, store, group, summary)
            except (LetterError, NetworkError, PageStructureError) as exc:
                summary.failed.append(str(exc))
                report(str(exc))
            tick(1)
        complete = not (summary.failed or summary.stopped_at_max or plan.case_number or query.narrowed)
        if complete and summary.newest is not None:
            newest = summary.newest if previous is None else max(previous, summary.newest)
            store.save_state(newest)
            summary.newest = newest
            summary.state_saved = True
    return summary
