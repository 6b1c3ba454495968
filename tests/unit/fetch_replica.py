"""A local replica of DWC's IMR decision search (https://www.dir.ca.gov/dwc/imr/IMRDecisionSearch.asp) for
the fetcher's tests: made-up cases served on 127.0.0.1, with the faults a long crawl meets.

The pages are minimal HTML written for these tests, NOT copies of DWC pages. Their structure follows what
a public 2017 C# crawler of the site (IMRCrawler) reads, which the live site has to confirm:
- the search is a form-encoded POST to IMRDecisionSearch.asp; the treatment search sends `Fname=Tx`,
  `Caseno`, `DoIStart`/`DoIEnd`, `ReqStart`/`ReqEnd`, `DecStart`/`DecEnd` (MM/DD/YYYY), `SpecialtyV`,
  `OutcomeV`, `SubCategoryV` and `Submit=Submit`; page N>1 adds `newpageno=N` with `Submit=Next`;
- 25 rows a page, in `<table class="tabborder">`, header row first; a request row has eight cells (the
  case number as a link, decision date, date of injury, received date, reviewer specialty, request
  category, subcategory/drug, request decision); each further request of the case is a row starting
  with `<td colspan="5">` holding category, subcategory/drug and decision;
- the total is in a `<strong>` after the table; `<form name="Nextpage">` when there is another page;
- `GET IMRDecisionSearch.asp?caseno=N` is the case's page, its rows in the same table, the first cell
  linking the PDF letter (a path under the site).
Two things IMRCrawler does not show are guesses: the "No records found." text of an empty result, and
that a results row may link the case's page rather than the PDF (the replica does both kinds of row).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from tests.unit.replica_letters import letter_text, text_pdf

SEARCH_PATH = "/dwc/imr/IMRDecisionSearch.asp"
LETTERS_PATH = "/dwc/imr/letters"
PAGE_SIZE = 25
HEADER = (
    "Case Number",
    "Decision Date",
    "Date of Injury",
    "Received Date",
    "IMRO Reviewer Specialty",
    "Request Category",
    "SubCategory/Drug",
    "Request Decision",
)


@dataclass(frozen=True)
class Treatment:
    category: str
    subcategory: str
    decision: str
    # The value DWC's SubCategoryV list posts for this kind of request.
    form_value: str


@dataclass(frozen=True)
class Case:
    number: str
    decided: date
    injured: date
    received: date
    specialty: str
    treatments: tuple[Treatment, ...]
    # Its search rows link the case's page instead of the PDF.
    via_case_page: bool = False


KINDS = (
    ("Pharmaceuticals", "Opioids", "Pharmaceuticals * * Opioids"),
    ("Surgery", "Spine", "Surgery * Spine *"),
    (
        "Rehabilitation",
        "Physical Therapy/Occupational Therapy (PT/OT)",
        "Rehabilitation * Physical Therapy/Occupational Therapy (PT/OT) *",
    ),
    ("Diagnostic Testing", "MRI", "Diagnostic Testing * MRI *"),
)
SPECIALTIES = ("Physical Medicine & Rehabilitation", "Orthopaedic Surgery", "Pain Medicine", "Psychiatry")
DECISIONS = ("Uphold", "Overturn", "Partial Overturn")


def made_up_cases(count: int = 30, first: date = date(2016, 10, 3), start_number: int = 1) -> list[Case]:
    """`count` cases with 2, 1, 3, 2, 1, 3... requests (60 rows for 30: three pages, case 13 split
    across the first two), decided every third day from `first`, every fifth linking its case page."""
    cases = []
    for i in range(count):
        n = start_number + i
        requests = (2, 1, 3)[i % 3]
        treatments = tuple(
            Treatment(
                KINDS[(i + j) % len(KINDS)][0],
                KINDS[(i + j) % len(KINDS)][1],
                DECISIONS[(i + 2 * j) % len(DECISIONS)],
                KINDS[(i + j) % len(KINDS)][2],
            )
            for j in range(requests)
        )
        decided = first + timedelta(days=3 * i)
        cases.append(
            Case(
                number=f"CM16-{n:07d}",
                decided=decided,
                injured=date(2013, 1, 1) + timedelta(days=37 * n),
                received=decided - timedelta(days=20),
                specialty=SPECIALTIES[i % len(SPECIALTIES)],
                treatments=treatments,
                via_case_page=n % 5 == 0,
            )
        )
    return cases


def letter_pdf(case: Case) -> bytes:
    """The case's letter as a one-page PDF: a whole made-up IMR letter the parser reads
    (replica_letters.py), so that a fetched folder can be loaded."""
    return text_pdf(letter_text(case))


@dataclass
class Faults:
    """What goes wrong, by key: "search:N" (results page N), "case:NUMBER" (a case's page),
    "letter:NUMBER" (a PDF). Counters count down: `unavailable["search:2"] = 1` fails it once."""

    malformed: set[str] = field(default_factory=set)
    slow: Counter[str] = field(default_factory=Counter)
    slow_seconds: float = 1.0
    unavailable: Counter[str] = field(default_factory=Counter)
    retry_after: str = "0"
    truncated: Counter[str] = field(default_factory=Counter)
    missing: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Hit:
    method: str
    key: str
    form: dict[str, str]
    user_agent: str


@dataclass(frozen=True)
class Row:
    case: Case
    treatment: Treatment
    first: bool


def _us(value: date) -> str:
    return value.strftime("%m/%d/%Y")


def _parse_us(value: str) -> date | None:
    return datetime.strptime(value, "%m/%d/%Y").date() if value else None


def _between(value: date, low: str, high: str) -> bool:
    start, end = _parse_us(low), _parse_us(high)
    return (start is None or value >= start) and (end is None or value <= end)


def _page(title: str, body: str) -> str:
    return (
        f"<!DOCTYPE html>\n<html><head><title>{escape(title)} (test replica)</title></head>\n"
        f"<body>\n<h1>{escape(title)}</h1>\n{body}\n</body></html>\n"
    )


NO_RECORDS = _page("IMR Decision Search Results", "<p>No records found.</p>")
MAINTENANCE = _page("Scheduled maintenance", "<p>The search is down for maintenance. Try again later.</p>")


class Replica:
    """The search over `cases`; `faults` and `hits` (every request, in order) are the test's handles."""

    def __init__(self, cases: list[Case] | None = None) -> None:
        self.cases = cases if cases is not None else made_up_cases()
        self.faults = Faults()
        self.hits: list[Hit] = []

    def case(self, number: str) -> Case:
        return next(c for c in self.cases if c.number == number)

    def letter_downloads(self) -> list[str]:
        return [hit.key.split(":", 1)[1] for hit in self.hits if hit.key.startswith("letter:")]

    def searches(self) -> list[dict[str, str]]:
        return [hit.form for hit in self.hits if hit.key.startswith("search:")]

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(SEARCH_PATH, self._search, methods=["GET", "POST"]),
                Route(LETTERS_PATH + "/{name}", self._letter, methods=["GET"]),
            ]
        )

    async def _fault(self, key: str) -> Response | None:
        if self.faults.slow[key] > 0:
            self.faults.slow[key] -= 1
            await asyncio.sleep(self.faults.slow_seconds)
        if self.faults.unavailable[key] > 0:
            self.faults.unavailable[key] -= 1
            return Response("Service Unavailable", 503, headers={"Retry-After": self.faults.retry_after})
        if key in self.faults.malformed:
            return HTMLResponse(MAINTENANCE)
        return None

    def _record(self, request: Request, key: str, form: dict[str, str]) -> None:
        self.hits.append(Hit(request.method, key, form, request.headers.get("user-agent", "")))

    async def _search(self, request: Request) -> Response:
        if request.method == "GET":
            number = request.query_params.get("caseno", "")
            self._record(request, f"case:{number}", {})
            return await self._fault(f"case:{number}") or HTMLResponse(self.case_page(number))
        # parse_qsl, not request.form(): that needs python-multipart, which the project does not install.
        form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        page = int(form.get("newpageno") or 1)
        key = f"search:{page}"
        self._record(request, key, form)
        if form.get("Fname") != "Tx":
            return HTMLResponse(_page("Bad request", "<p>The replica serves the treatment search.</p>"), 400)
        return await self._fault(key) or HTMLResponse(self._results(form, page))

    async def _letter(self, request: Request) -> Response:
        number = request.path_params["name"].removesuffix(".pdf")
        key = f"letter:{number}"
        self._record(request, key, {})
        fault = await self._fault(key)
        if fault is not None:
            return fault
        if number in self.faults.missing or not any(c.number == number for c in self.cases):
            return Response("Not Found", 404)
        data = letter_pdf(self.case(number))
        if self.faults.truncated[number] > 0:
            # A body cut short with a 200 and a matching length: only the PDF's own end shows it.
            self.faults.truncated[number] -= 1
            data = data[: len(data) // 2]
        return Response(data, media_type="application/pdf")

    def _matches(self, case: Case, treatment: Treatment, form: dict[str, str]) -> bool:
        return (
            _between(case.decided, form.get("DecStart", ""), form.get("DecEnd", ""))
            and _between(case.injured, form.get("DoIStart", ""), form.get("DoIEnd", ""))
            and form.get("SpecialtyV", "") in ("", case.specialty)
            and form.get("OutcomeV", "") in ("", treatment.decision)
            and form.get("SubCategoryV", "") in ("", treatment.form_value)
        )

    def _rows(self, form: dict[str, str]) -> list[Row]:
        rows: list[Row] = []
        for case in self.cases:
            kept = [t for t in case.treatments if self._matches(case, t, form)]
            rows.extend(Row(case, t, i == 0) for i, t in enumerate(kept))
        return rows

    def _row_html(self, row: Row, link: str) -> str:
        t = row.treatment
        tail = f"<td>{escape(t.category)}</td><td>{escape(t.subcategory)}</td><td>{escape(t.decision)}</td>"
        if not row.first:
            return f'<tr><td colspan="5">&nbsp;</td>{tail}</tr>'
        c = row.case
        return (
            f'<tr><td><a href="{escape(link)}">{c.number}</a></td><td>{_us(c.decided)}</td>'
            f"<td>{_us(c.injured)}</td><td>{_us(c.received)}</td><td>{escape(c.specialty)}</td>{tail}</tr>"
        )

    def _table(self, rows: list[Row], links: dict[str, str], total: int) -> str:
        header = "".join(f"<th>{escape(h)}</th>" for h in HEADER)
        body = "\n".join(self._row_html(row, links[row.case.number]) for row in rows)
        return (
            f'<table class="tabborder" width="100%">\n<tr>{header}</tr>\n{body}\n</table>\n'
            f"<p>Total: <strong>{total}</strong> results</p>"
        )

    def _results(self, form: dict[str, str], page: int) -> str:
        rows = self._rows(form)
        if not rows:
            return NO_RECORDS
        shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        links = {
            c.number: (f"IMRDecisionSearch.asp?caseno={c.number}" if c.via_case_page else self.pdf_path(c))
            for c in self.cases
        }
        body = self._table(shown, links, len(rows))
        if page * PAGE_SIZE < len(rows):
            hidden = "".join(
                f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
                for k, v in form.items()
                if k not in ("newpageno", "Submit")
            )
            body += (
                f'\n<form name="Nextpage" method="post" action="IMRDecisionSearch.asp">{hidden}'
                f'<input type="hidden" name="newpageno" value="{page + 1}">'
                '<input type="submit" name="Submit" value="Next"></form>'
            )
        return _page("IMR Decision Search Results", body)

    def case_page(self, number: str) -> str:
        found = [c for c in self.cases if c.number == number]
        if not found:
            return NO_RECORDS
        case = found[0]
        rows = [Row(case, t, i == 0) for i, t in enumerate(case.treatments)]
        return _page(f"IMR Case {number}", self._table(rows, {number: self.pdf_path(case)}, len(rows)))

    @staticmethod
    def pdf_path(case: Case) -> str:
        return f"{LETTERS_PATH}/{case.number}.pdf"


@contextlib.contextmanager
def serving(replica: Replica) -> Iterator[str]:
    """The replica served by uvicorn on a free port of 127.0.0.1 in a thread; yields the base URL."""
    # Port 0: the system picks a free port, read back once the server listens. (Handing uvicorn a socket
    # bound here instead costs a 40 ms delayed-ACK stall on every keep-alive request.)
    server = uvicorn.Server(
        uvicorn.Config(
            replica.app(),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the replica did not start")
        time.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
