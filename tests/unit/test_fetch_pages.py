"""`imr-graph fetch` without a server: DWC's pages read into rows (the structure IMRCrawler describes, in
made-up HTML), the search form, the PDF check, Retry-After and the rows file's repair."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graph_loader.fetch.client import retry_after_seconds, user_agent
from graph_loader.fetch.errors import PageStructureError, StoreError
from graph_loader.fetch.pages import RequestRow, letter_link, parse_results
from graph_loader.fetch.search import Outcome, Query, group_by_case
from graph_loader.fetch.store import LetterStore, pdf_problem
from tests.unit.fetch_replica import Replica, letter_pdf, made_up_cases

URL = "https://replica.test/dwc/imr/IMRDecisionSearch.asp"
HEADER = "<tr><th>Case Number</th><th>Decision Date</th><th>Date of Injury</th><th>Received Date</th>" + (
    "<th>IMRO Reviewer Specialty</th><th>Request Category</th><th>SubCategory/Drug</th><th>Request Decision</th></tr>"
)


def _page(rows: str, after: str = "<p>Total: <strong>1,234</strong> results</p>") -> str:
    # Unclosed <td>s and <tr>s as old ASP pages write them: the HTML5 parser closes them as a browser does.
    return f'<html><body><table class="tabborder">{HEADER}{rows}</table>\n{after}</body></html>'


PRIMARY = (
    '<tr><td><a href="/dwc/imr/letters/CM16-0213037.pdf">CM16-0213037</a><td>11/23/2016<td>05/02/2014'
    "<td>10/30/2016<td>Physical Medicine &amp; Rehabilitation<td>Pharmaceuticals<td>Hydrocodone/APAP"
    "<td>Partial Overturn"
)
CONTINUATION = '<tr><td colspan="5">&nbsp;</td><td>Rehabilitation</td><td>Physical Therapy/Occupational Therapy (PT/OT)</td><td>Uphold</td></tr>'


def test_a_request_row_and_its_continuation_rows() -> None:
    next_form = '<form name="Nextpage" method="post"><input type="hidden" name="newpageno" value="2"></form>'
    page = parse_results(
        _page(PRIMARY + CONTINUATION, "<p>Total: <strong>1,234</strong></p>" + next_form), URL, "p1"
    )
    assert page.total == 1234 and page.has_next
    first, second = page.rows
    assert first == RequestRow(
        case_number="CM16-0213037",
        decision_date=date(2016, 11, 23),
        injury_date=date(2014, 5, 2),
        received_date=date(2016, 10, 30),
        specialty="Physical Medicine & Rehabilitation",
        category="Pharmaceuticals",
        subcategory="Hydrocodone/APAP",
        decision="Partial Overturn",
        link="https://replica.test/dwc/imr/letters/CM16-0213037.pdf",
    )
    assert (second.case_number, second.decision_date, second.specialty, second.link) == (
        first.case_number,
        first.decision_date,
        first.specialty,
        first.link,
    )
    assert (second.category, second.subcategory, second.decision) == (
        "Rehabilitation",
        "Physical Therapy/Occupational Therapy (PT/OT)",
        "Uphold",
    )


def test_a_continuation_row_at_the_top_of_a_page_belongs_to_the_last_row_of_the_page_before() -> None:
    above = parse_results(_page(PRIMARY), URL, "p1").rows[0]
    page = parse_results(_page(CONTINUATION), URL, "p2", above)
    assert [(r.case_number, r.decision) for r in page.rows] == [("CM16-0213037", "Uphold")]
    assert not page.has_next
    with pytest.raises(PageStructureError, match="expected a request row before the first continuation row"):
        parse_results(_page(CONTINUATION), URL, "p1")


def test_consecutive_rows_of_a_case_are_one_group() -> None:
    rows = parse_results(
        _page(PRIMARY + CONTINUATION + PRIMARY.replace("CM16-0213037", "CM16-0213038")), URL, "p"
    )
    assert [len(g) for g in group_by_case(iter(rows.rows))] == [2, 1]


@pytest.mark.parametrize(
    ("html", "message"),
    [
        (
            "<html><body><h1>Scheduled maintenance</h1></body></html>",
            f'{URL} page 3: expected a <table class="tabborder"> with a header row, found none',
        ),
        (
            '<table class="tabborder"></table>',
            f'{URL} page 3: expected a <table class="tabborder"> with a header row, found a table without rows',
        ),
        (
            '<table class="tabborder"><tr><th>Case Number</th><th>Case Outcome</th></tr></table>',
            f"{URL} page 3: expected a header row of 8 columns (the treatment search's), found 2: "
            "'Case Number | Case Outcome'",
        ),
        (
            _page(PRIMARY.replace("11/23/2016", "2016-11-23")),
            f"{URL} page 3, table row 2: expected a decision date as MM/DD/YYYY, found '2016-11-23'",
        ),
        (
            _page(PRIMARY.replace(">CM16-0213037<", ">../../etc/passwd<")),
            f"{URL} page 3, table row 2: expected a case number like CM16-0213037, found '../../etc/passwd'",
        ),
        (
            _page("<tr><td>CM16-0213037</td><td>11/23/2016</td></tr>"),
            f"{URL} page 3, table row 2: expected a request row of 8 cells (case number ... request "
            "decision), found 2: 'CM16-0213037 | 11/23/2016'",
        ),
    ],
)
def test_a_page_without_the_expected_structure_is_one_error_naming_the_page(html: str, message: str) -> None:
    with pytest.raises(PageStructureError) as caught:
        parse_results(html, URL, f"{URL} page 3")
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_no_records_is_an_empty_result_not_an_error() -> None:
    page = parse_results("<html><body><p>No records found.</p></body></html>", URL, "p1")
    assert (page.rows, page.total, page.has_next) == ([], 0, False)


def test_a_case_page_links_its_letter() -> None:
    html = '<p><a href="IMRDecisionSearch.asp">Back</a> <a href="letters/CM16-0213037.PDF">Letter</a></p>'
    assert letter_link(html, URL + "?caseno=CM16-0213037", "CM16-0213037") == (
        "https://replica.test/dwc/imr/letters/CM16-0213037.PDF"
    )
    with pytest.raises(PageStructureError, match="expected a link to the PDF letter of CM16-0213037"):
        letter_link("<p>nothing here</p>", URL, "CM16-0213037")


def test_the_treatment_search_form_first_and_later_pages() -> None:
    query = Query(
        decided_from=date(2016, 11, 1),
        decided_to=date(2016, 11, 30),
        specialty="Physical Medicine & Rehabilitation",
        outcome=Outcome.partial_overturn,
        subcategory="Pharmaceuticals * * Opioids",
    )
    assert query.form(1) == {
        "Fname": "Tx",
        "Caseno": "",
        "DoIStart": "",
        "DoIEnd": "",
        "ReqStart": "",
        "ReqEnd": "",
        "DecStart": "11/01/2016",
        "DecEnd": "11/30/2016",
        "SpecialtyV": "Physical Medicine & Rehabilitation",
        "OutcomeV": "Partial Overturn",
        "SubCategoryV": "Pharmaceuticals * * Opioids",
        "Submit": "Submit",
    }
    third = query.form(3)
    assert (third["newpageno"], third["Submit"]) == ("3", "Next")
    assert list(third)[-2:] == ["newpageno", "Submit"]
    assert query.narrowed and not Query(decided_from=date(2016, 11, 1)).narrowed


def test_the_pdf_check() -> None:
    whole = letter_pdf(made_up_cases(1)[0])
    assert pdf_problem(whole) is None
    assert (
        pdf_problem(whole[: len(whole) // 2])
        == f"has no %%EOF near its end: cut short at {len(whole) // 2} bytes"
    )
    assert pdf_problem(b"<html>Service Unavailable</html>") == (
        "does not start with %PDF- (starts with '<html>Service Un', 32 bytes)"
    )


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    now = datetime(2024, 3, 4, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds("Mon, 04 Mar 2024 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Mon, 04 Mar 2024 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None, now) is None


def test_the_user_agent_names_the_tool_its_version_and_its_url() -> None:
    from importlib import metadata

    assert (
        user_agent() == f"imr-graph/{metadata.version('imr-graph')} (+https://github.com/imr-graph/imr-graph)"
    )


def _rows(case: str, decisions: list[str]) -> list[RequestRow]:
    return [
        RequestRow(case, date(2016, 11, 23), None, None, "Psychiatry", "Pharmaceuticals", "Opioids", d, "u")
        for d in decisions
    ]


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_case_cut_short_at_the_end_of_the_rows_file_is_dropped_when_the_folder_opens(
    tmp_path: Path,
) -> None:
    with LetterStore(tmp_path) as store:
        store.record(_rows("CM16-0000001", ["Uphold"]), "u1", "a" * 64)
        store.record(_rows("CM16-0000002", ["Uphold", "Overturn"]), "u2", "b" * 64)
    rows_file = tmp_path / "dwc-rows.jsonl"
    whole = rows_file.read_bytes()
    first_line_of_second = whole.split(b"\n")[1] + b"\n"
    for torn in (
        whole[:-10],
        whole.rsplit(b"\n", 2)[0] + b"\n",
        whole.split(b"\n")[0] + b"\n" + first_line_of_second,
    ):
        rows_file.write_bytes(torn)
        with LetterStore(tmp_path) as store:
            assert store.repaired > 0
            assert store.is_recorded("CM16-0000001", "a" * 64)
            assert not store.is_recorded("CM16-0000002", "b" * 64)
        assert [r["case_number"] for r in _lines(rows_file)] == ["CM16-0000001"]


def test_a_letter_that_changed_replaces_its_rows(tmp_path: Path) -> None:
    with LetterStore(tmp_path) as store:
        store.record(_rows("CM16-0000001", ["Uphold", "Overturn"]), "u1", "a" * 64)
        store.record(_rows("CM16-0000002", ["Uphold"]), "u2", "b" * 64)
        assert store.record(_rows("CM16-0000001", ["Uphold", "Overturn"]), "u1", "a" * 64) == 0
        assert store.record(_rows("CM16-0000001", ["Overturn", "Overturn"]), "u1", "c" * 64) == 2
    rows = _lines(tmp_path / "dwc-rows.jsonl")
    assert [(r["case_number"], r["request"], r["pdf_sha256"][0]) for r in rows] == [  # type: ignore[index]
        ("CM16-0000002", 1, "b"),
        ("CM16-0000001", 1, "c"),
        ("CM16-0000001", 2, "c"),
    ]


def test_a_rows_file_this_tool_did_not_write_is_refused(tmp_path: Path) -> None:
    (tmp_path / "dwc-rows.jsonl").write_text('{"case_number": "CM16-0000001"}\n')
    with pytest.raises(StoreError, match=r"dwc-rows.jsonl line 1: expected a row this tool wrote"):
        LetterStore(tmp_path)


def test_the_replica_pages_read_back_as_its_cases() -> None:
    """The replica's own HTML through the parser: a check on the fixture the other tests stand on."""
    replica = Replica()
    html = replica.case_page("CM16-0000003")
    rows = parse_results(html, URL, "case").rows
    case = replica.case("CM16-0000003")
    assert [(r.category, r.subcategory, r.decision) for r in rows] == [
        (t.category, t.subcategory, t.decision) for t in case.treatments
    ]
    assert {r.decision_date for r in rows} == {case.decided}
