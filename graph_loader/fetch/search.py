"""DWC's IMR decision search: the form a query posts, the pages it pages through, and the case's page.

The treatment search (`Fname=Tx`) is the one used: it gives one row per request, which is what
dwc-rows.jsonl keeps; the case search gives one row per letter and loses the requests. The form's
fields and paging (25 rows a page; the next page is the same POST with `newpageno=N&Submit=Next`) are as
a public 2017 crawler of the site (IMRCrawler) sent them, to be re-checked against the live site.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from urllib.parse import urlencode

import httpx

from graph_loader.fetch.client import Client
from graph_loader.fetch.pages import RequestRow, ResultPage, parse_results

SEARCH_PATH = "/dwc/imr/IMRDecisionSearch.asp"
PAGE_SIZE = 25
SEARCH_PAGE = "a page of IMR decision search results"


class Outcome(StrEnum):
    """The decision values DWC's search form offers, spelled as it posts them."""

    uphold = "Uphold"
    overturn = "Overturn"
    partial_overturn = "Partial Overturn"


@dataclass(frozen=True)
class Query:
    """A treatment search. Specialty and subcategory are DWC's own labels ("Physical Medicine &
    Rehabilitation", "Pharmaceuticals * * Opioids"), sent as given."""

    decided_from: date | None = None
    decided_to: date | None = None
    injured_from: date | None = None
    injured_to: date | None = None
    specialty: str | None = None
    outcome: Outcome | None = None
    subcategory: str | None = None

    @property
    def narrowed(self) -> bool:
        """True when the query leaves out some decisions of its date range: such a run cannot tell what
        the next --since-last may skip."""
        return any((self.injured_from, self.injured_to, self.specialty, self.outcome, self.subcategory))

    def form(self, page: int) -> dict[str, str]:
        """The POST body for results page `page` (1-based), fields in the order DWC's form sends them."""
        fields = {
            "Fname": "Tx",
            "Caseno": "",
            "DoIStart": us_date(self.injured_from),
            "DoIEnd": us_date(self.injured_to),
            "ReqStart": "",
            "ReqEnd": "",
            "DecStart": us_date(self.decided_from),
            "DecEnd": us_date(self.decided_to),
            "SpecialtyV": self.specialty or "",
            "OutcomeV": self.outcome.value if self.outcome else "",
            "SubCategoryV": self.subcategory or "",
        }
        if page > 1:
            fields["newpageno"] = str(page)
            fields["Submit"] = "Next"
        else:
            fields["Submit"] = "Submit"
        return fields


def us_date(value: date | None) -> str:
    """DWC's form and pages write dates the American way."""
    return value.strftime("%m/%d/%Y") if value else ""


def search_url(base_url: str) -> str:
    return base_url.rstrip("/") + SEARCH_PATH


def case_url(base_url: str, case_number: str) -> str:
    return f"{search_url(base_url)}?{urlencode({'caseno': case_number})}"


def page_html(response: httpx.Response) -> str:
    """The page as text. An ASP page often names no charset; such bytes are UTF-8 when they decode as
    UTF-8, else Windows-1252 (what IIS pages of that age are written in)."""
    if response.charset_encoding:
        return response.text
    try:
        return response.content.decode("utf-8")
    except UnicodeDecodeError:
        return response.content.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class SearchPage:
    number: int
    page: ResultPage


def search_pages(client: Client, base_url: str, query: Query) -> Iterator[SearchPage]:
    """Every results page of `query`, first to last. A continuation row at the top of a page belongs to
    the last row of the page before, which is carried over."""
    url = search_url(base_url)
    above: RequestRow | None = None
    number = 1
    while True:
        response = client.post(url, query.form(number), expect=SEARCH_PAGE)
        page = parse_results(page_html(response), str(response.url), f"{url} page {number}", above)
        yield SearchPage(number, page)
        if page.rows:
            above = page.rows[-1]
        if not page.has_next:
            return
        number += 1


def case_page(client: Client, base_url: str, case_number: str) -> tuple[str, ResultPage]:
    """(url, rows) of one case's page, `IMRDecisionSearch.asp?caseno=...`: its requests in the rows of the
    same table, the first cell linking the letter."""
    url = case_url(base_url, case_number)
    response = client.get(url, expect=f"the page of case {case_number}")
    return url, parse_results(page_html(response), str(response.url), url)


def group_by_case(rows: Iterator[RequestRow]) -> Iterator[list[RequestRow]]:
    """Consecutive rows of one case as one list: a case's requests come together, its continuation rows
    right after its first row, whichever page they fall on."""
    group: list[RequestRow] = []
    for row in rows:
        if group and row.case_number != group[0].case_number:
            yield group
            group = []
        group.append(row)
    if group:
        yield group
