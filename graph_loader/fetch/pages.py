"""DWC's result pages read into rows, with selectolax (an HTML5 parser: it mends the tag soup of an old ASP
page the way a browser does) and never a regex over the HTML.

What the structure is comes from a public 2017 crawler of the site (IMRCrawler) and has to be re-checked
against the live pages: results are the rows of `<table class="tabborder">`, header row first; a request
row has eight cells (case number as a link, decision date, injury date, received date, reviewer
specialty, request category, subcategory/drug, request decision); a row whose first cell is
`<td colspan="5">` continues the case above with one more request (category, subcategory/drug,
decision); the total is in a `<strong>` after the table; `<form name="Nextpage">` means another page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from graph_loader.fetch.errors import PageStructureError

COLUMNS = 8
CONTINUATION_SPAN = "5"
# A case number becomes a file name: letters, digits and dashes only (DWC's read like CM16-0213037).
CASE_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,63}")
# Words a results page without a table says when nothing matched; to re-check against the live site.
NO_RESULTS = ("no records", "no results", "no matching", "0 results")


@dataclass(frozen=True)
class RequestRow:
    """DWC's row for one request of a decision; `link` is the first cell's link made absolute (the
    letter's PDF, or the case's page that links it)."""

    case_number: str
    decision_date: date
    injury_date: date | None
    received_date: date | None
    specialty: str
    category: str
    subcategory: str
    decision: str
    link: str


@dataclass(frozen=True)
class ResultPage:
    rows: list[RequestRow]
    total: int | None
    has_next: bool


def _text(node: LexborNode) -> str:
    # text() turns &nbsp; into U+00A0, which str.split() counts as a space.
    return " ".join(node.text(deep=True, separator=" ").split())


def _cells(row: LexborNode) -> list[LexborNode]:
    return [child for child in row.iter() if child.tag in ("td", "th")]


def _date(value: str, where: str, column: str, *, required: bool) -> date | None:
    if not value and not required:
        return None
    try:
        # The first word only: some ASP pages print "11/23/2016 12:00:00 AM".
        return datetime.strptime(value.split(" ")[0], "%m/%d/%Y").date()
    except (ValueError, IndexError):
        raise PageStructureError(f"{where}: expected a {column} as MM/DD/YYYY, found {value!r}") from None


def _results_table(tree: LexborHTMLParser) -> LexborNode | None:
    for table in tree.css("table"):
        classes = (table.attributes.get("class") or "").split()
        if "tabborder" in classes:
            return table
    return None


def _has_next(tree: LexborHTMLParser) -> bool:
    return any((form.attributes.get("name") or "").lower() == "nextpage" for form in tree.css("form"))


def _total(table: LexborNode) -> int | None:
    """The count in the first `<strong>` after the table; None when there is none (only the progress
    display uses it)."""
    node = table.next
    while node is not None:
        if node.tag == "strong":
            strong: LexborNode | None = node
        elif node.tag == "-text":
            strong = None
        else:
            strong = node.css_first("strong")
        if strong is not None:
            digits = _text(strong).replace(",", "")
            return int(digits) if digits.isdigit() else None
        node = node.next
    return None


def _primary(cells: list[LexborNode], base_url: str, where: str) -> RequestRow:
    if len(cells) < COLUMNS:
        raise PageStructureError(
            f"{where}: expected a request row of {COLUMNS} cells (case number ... request decision), "
            f"found {len(cells)}: {' | '.join(_text(c) for c in cells)!r}"
        )
    link = cells[0].css_first("a[href]")
    if link is None:
        raise PageStructureError(
            f"{where}: expected a link in the case number cell, found {_text(cells[0])!r}"
        )
    number = _text(link)
    if not CASE_NUMBER.fullmatch(number):
        raise PageStructureError(f"{where}: expected a case number like CM16-0213037, found {number!r}")
    values = [_text(c) for c in cells[1:COLUMNS]]
    decided = _date(values[0], where, "decision date", required=True)
    assert decided is not None
    return RequestRow(
        case_number=number,
        decision_date=decided,
        injury_date=_date(values[1], where, "date of injury", required=False),
        received_date=_date(values[2], where, "received date", required=False),
        specialty=values[3],
        category=values[4],
        subcategory=values[5],
        decision=values[6],
        link=urljoin(base_url, link.attributes.get("href") or ""),
    )


def _continuation(cells: list[LexborNode], above: RequestRow | None, where: str) -> RequestRow:
    if above is None:
        raise PageStructureError(
            f"{where}: expected a request row before the first continuation row (colspan=5), found none"
        )
    if len(cells) < 4:
        raise PageStructureError(
            f"{where}: expected a continuation row of 4 cells (colspan=5, category, subcategory, "
            f"decision), found {len(cells)}"
        )
    category, subcategory, decision = (_text(c) for c in cells[1:4])
    return RequestRow(
        case_number=above.case_number,
        decision_date=above.decision_date,
        injury_date=above.injury_date,
        received_date=above.received_date,
        specialty=above.specialty,
        category=category,
        subcategory=subcategory,
        decision=decision,
        link=above.link,
    )


def parse_results(html: str, url: str, where: str, above: RequestRow | None = None) -> ResultPage:
    """The request rows of a search results page or a case's page. `where` names the page in errors
    ("https://.../IMRDecisionSearch.asp page 3"); `above` is the last row of the previous page, which a
    continuation row at the top of this one belongs to."""
    tree = LexborHTMLParser(html)
    table = _results_table(tree)
    rows_html = table.css("tr") if table is not None else []
    if table is None or not rows_html:
        body = _text(tree.body) if tree.body is not None else ""
        if any(phrase in body.lower() for phrase in NO_RESULTS):
            return ResultPage(rows=[], total=0, has_next=False)
        found = "a table without rows" if table is not None else "none"
        raise PageStructureError(
            f'{where}: expected a <table class="tabborder"> with a header row, found {found}'
        )
    header = _cells(rows_html[0])
    if len(header) < COLUMNS:
        raise PageStructureError(
            f"{where}: expected a header row of {COLUMNS} columns (the treatment search's), found "
            f"{len(header)}: {' | '.join(_text(c) for c in header)!r}"
        )
    rows: list[RequestRow] = []
    for number, tr in enumerate(rows_html[1:], start=2):
        cells = _cells(tr)
        if not cells:
            continue
        here = f"{where}, table row {number}"
        if cells[0].attributes.get("colspan") == CONTINUATION_SPAN:
            row = _continuation(cells, rows[-1] if rows else above, here)
        else:
            row = _primary(cells, url, here)
        rows.append(row)
    return ResultPage(rows=rows, total=_total(table), has_next=_has_next(tree))


def is_pdf_link(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".pdf")


def letter_link(html: str, url: str, case_number: str) -> str:
    """The PDF a case's page links to: the first link whose path ends in .pdf, made absolute."""
    tree = LexborHTMLParser(html)
    for anchor in tree.css("a[href]"):
        target = urljoin(url, anchor.attributes.get("href") or "")
        if is_pdf_link(target):
            return target
    raise PageStructureError(f"{url}: expected a link to the PDF letter of {case_number}, found none")
