"""`run_fetch` against the replica on 127.0.0.1: paging, continuation rows, partial overturns, resume after
a kill, a truncated PDF, --max, --since-last and --case. No delay, backoff sleeps recorded, not slept."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph_loader.fetch import Client, FetchPlan, FetchSummary, Outcome, Query, RetryPolicy, run_fetch
from graph_loader.fetch.errors import FetchError, PageStructureError
from tests.unit.fetch_replica import Replica, letter_pdf, made_up_cases, serving


@dataclass
class Site:
    replica: Replica
    base: str
    sleeps: list[float]

    def fetch(self, folder: Path, tick: Callable[[int], None] | None = None, **plan: Any) -> FetchSummary:
        retry = RetryPolicy(attempts=3, first_wait=0.01)
        with Client(delay=0, timeout=5, retry=retry, sleep=self.sleeps.append) as client:
            return run_fetch(
                FetchPlan(folder, base_url=self.base, **plan), client, tick=tick or (lambda n: None)
            )


@pytest.fixture
def site() -> Iterator[Site]:
    replica = Replica()
    with serving(replica) as base:
        yield Site(replica, base, [])


def _rows(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "dwc-rows.jsonl").read_text(encoding="utf-8").splitlines()]


def _expected(replica: Replica, base: str) -> list[dict[str, Any]]:
    """The rows DWC's pages carry for every request of the replica's cases, with where the PDF went."""
    out = []
    for case in replica.cases:
        pdf = letter_pdf(case)
        for i, t in enumerate(case.treatments, start=1):
            out.append(
                {
                    "case_number": case.number,
                    "request": i,
                    "requests": len(case.treatments),
                    "decision_date": case.decided.isoformat(),
                    "injury_date": case.injured.isoformat(),
                    "received_date": case.received.isoformat(),
                    "specialty": case.specialty,
                    "category": t.category,
                    "subcategory": t.subcategory,
                    "request_decision": t.decision,
                    "pdf_url": f"{base}/dwc/imr/letters/{case.number}.pdf",
                    "pdf_sha256": hashlib.sha256(pdf).hexdigest(),
                    "pdf_path": f"{case.decided:%Y-%m}/{case.number}.pdf",
                }
            )
    return out


def test_a_full_run_pages_through_the_results_and_keeps_every_request(site: Site, tmp_path: Path) -> None:
    summary = site.fetch(tmp_path)
    replica = site.replica
    assert (summary.fetched, summary.skipped, summary.pages, summary.rows_written) == (30, 0, 3, 60)
    forms = replica.searches()
    assert [(f.get("newpageno"), f["Submit"]) for f in forms] == [
        (None, "Submit"),
        ("2", "Next"),
        ("3", "Next"),
    ]
    assert all(f["Fname"] == "Tx" for f in forms)
    # Case 13's two requests straddle pages 1 and 2; every fifth case's row links its case page.
    assert _rows(tmp_path) == _expected(replica, site.base)
    assert [h.key for h in replica.hits if h.key.startswith("case:")] == [
        f"case:CM16-{n:07d}" for n in (5, 10, 15, 20, 25, 30)
    ]
    for case in replica.cases:
        assert (tmp_path / f"{case.decided:%Y-%m}" / f"{case.number}.pdf").read_bytes() == letter_pdf(case)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2016-10",
        "2016-11",
        "2016-12",
        "dwc-rows.jsonl",
        "fetch-state.json",
    ]
    assert json.loads((tmp_path / "fetch-state.json").read_text())["newest_decision_date"] == "2016-12-29"
    assert sorted(replica.letter_downloads()) == [c.number for c in replica.cases]


def test_partial_overturns_are_kept_and_can_be_searched_for(site: Site, tmp_path: Path) -> None:
    site.fetch(tmp_path / "all")
    partial = [r for r in _rows(tmp_path / "all") if r["request_decision"] == "Partial Overturn"]
    mixed = {r["case_number"] for r in partial} & {
        r["case_number"] for r in _rows(tmp_path / "all") if r["request_decision"] != "Partial Overturn"
    }
    assert len(partial) == 20 and mixed, "partial overturns, some beside other decisions of the same letter"

    summary = site.fetch(tmp_path / "partial", query=Query(outcome=Outcome.partial_overturn))
    assert site.replica.searches()[-1]["OutcomeV"] == "Partial Overturn"
    rows = _rows(tmp_path / "partial")
    assert {r["request_decision"] for r in rows} == {"Partial Overturn"} and len(rows) == 20
    # A letter's rows are the requests the search returned; each is recorded once.
    assert summary.rows_written == 20 and not summary.state_saved
    assert not (tmp_path / "partial" / "fetch-state.json").exists()


def test_a_killed_run_resumes_without_fetching_anything_twice(site: Site, tmp_path: Path) -> None:
    class Killed(Exception):
        pass

    handled = 0

    def kill_after_seven(n: int) -> None:
        nonlocal handled
        handled += n
        if handled == 7:
            raise Killed

    with pytest.raises(Killed):
        site.fetch(tmp_path, tick=kill_after_seven)
    assert len(site.replica.letter_downloads()) == 7
    # A kill can also land between a PDF's rename and its rows' append, or in the append itself.
    rows_file = tmp_path / "dwc-rows.jsonl"
    lines = rows_file.read_bytes().splitlines(keepends=True)
    last_case = json.loads(lines[-1])["case_number"]
    kept = [line for line in lines if json.loads(line)["case_number"] != last_case]
    rows_file.write_bytes(b"".join(kept) + lines[-1][:25])

    summary = site.fetch(tmp_path)
    assert (summary.fetched, summary.skipped, summary.adopted) == (23, 6, 1)
    downloads = site.replica.letter_downloads()
    assert len(downloads) == len(set(downloads)) == 30, "no letter downloaded twice"
    # The torn line is gone, the adopted letter's rows are back in their place, nothing is doubled.
    assert _rows(tmp_path) == _expected(site.replica, site.base)

    again = site.fetch(tmp_path)
    assert (again.fetched, again.skipped, again.rows_written) == (0, 30, 0)
    assert len(site.replica.letter_downloads()) == 30


def test_a_truncated_pdf_on_disk_is_downloaded_again(site: Site, tmp_path: Path) -> None:
    site.fetch(tmp_path)
    case = site.replica.case("CM16-0000004")
    path = tmp_path / f"{case.decided:%Y-%m}" / f"{case.number}.pdf"
    path.write_bytes(path.read_bytes()[:300])
    rows_before = _rows(tmp_path)

    summary = site.fetch(tmp_path)
    assert (summary.fetched, summary.skipped, summary.rows_written) == (1, 29, 0)
    assert site.replica.letter_downloads().count("CM16-0000004") == 2
    assert path.read_bytes() == letter_pdf(case)
    assert _rows(tmp_path) == rows_before


def test_a_pdf_cut_short_by_the_server_is_fetched_again_and_one_that_stays_cut_fails_alone(
    site: Site, tmp_path: Path
) -> None:
    site.replica.faults.truncated["CM16-0000002"] = 1
    site.replica.faults.truncated["CM16-0000003"] = 99
    reported: list[str] = []
    retry = RetryPolicy(attempts=3, first_wait=0.01)
    with Client(delay=0, timeout=5, retry=retry, sleep=site.sleeps.append) as client:
        summary = run_fetch(FetchPlan(tmp_path, base_url=site.base), client, report=reported.append)
    downloads = site.replica.letter_downloads()
    assert downloads.count("CM16-0000002") == 2 and downloads.count("CM16-0000003") == 3
    assert summary.fetched == 29 and summary.failed == reported
    assert reported == [
        f"{site.base}/dwc/imr/letters/CM16-0000003.pdf: expected the PDF letter of CM16-0000003; it has no "
        f"%%EOF near its end: cut short at {len(letter_pdf(site.replica.case('CM16-0000003'))) // 2} bytes "
        "on each of 3 tries"
    ]
    assert "CM16-0000003" not in {r["case_number"] for r in _rows(tmp_path)}
    assert not list(tmp_path.rglob("CM16-0000003.pdf")) and not list(tmp_path.rglob(".*.part"))
    assert not summary.state_saved, "a run with a failure does not move --since-last's date"


def test_a_malformed_search_page_stops_the_run_with_one_line_naming_it(site: Site, tmp_path: Path) -> None:
    site.replica.faults.malformed.add("search:2")
    with pytest.raises(PageStructureError) as caught:
        site.fetch(tmp_path)
    assert str(caught.value) == (
        f'{site.base}/dwc/imr/IMRDecisionSearch.asp page 2: expected a <table class="tabborder"> with a '
        "header row, found none"
    )
    # The cases complete on page 1 are kept; case 13 continues on page 2, so it waits for the re-run.
    assert {r["case_number"] for r in _rows(tmp_path)} == {f"CM16-{n:07d}" for n in range(1, 13)}


def test_a_slow_page_and_a_503_on_the_way_cost_a_retry_each(site: Site, tmp_path: Path) -> None:
    site.replica.faults.unavailable["search:2"] = 1
    site.replica.faults.retry_after = "3"
    site.replica.faults.slow["search:3"] = 1
    site.replica.faults.slow_seconds = 0.8
    retry = RetryPolicy(attempts=3, first_wait=0.01)
    with Client(delay=0, timeout=0.3, retry=retry, sleep=site.sleeps.append) as client:
        summary = run_fetch(FetchPlan(tmp_path, base_url=site.base), client)
    assert (summary.fetched, summary.pages) == (30, 3)
    assert site.sleeps == [3.0, 0.01]
    assert [f.get("newpageno") for f in site.replica.searches()] == [None, "2", "2", "3", "3"]


def test_max_stops_after_n_downloads_and_the_next_run_goes_on(site: Site, tmp_path: Path) -> None:
    first = site.fetch(tmp_path, max_letters=4)
    assert (first.fetched, first.stopped_at_max, first.state_saved) == (4, True, False)
    assert len(site.replica.searches()) == 1
    second = site.fetch(tmp_path, max_letters=4)
    assert (second.fetched, second.skipped) == (4, 4)
    downloads = site.replica.letter_downloads()
    assert downloads == [f"CM16-{n:07d}" for n in range(1, 9)]
    assert len({r["case_number"] for r in _rows(tmp_path)}) == 8


def test_since_last_searches_from_the_last_runs_newest_decision(site: Site, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match=r"fetch-state\.json: not found; --since-last starts from"):
        site.fetch(tmp_path, since_last=True)
    site.fetch(tmp_path)
    # DWC posts five more letters decided after the last run.
    site.replica.cases.extend(made_up_cases(5, first=date(2017, 1, 2), start_number=31))

    summary = site.fetch(tmp_path, since_last=True, look_back_days=0)
    assert site.replica.searches()[-1]["DecStart"] == "12/29/2016"
    assert (summary.fetched, summary.skipped) == (5, 1)
    assert summary.newest == date(2017, 1, 14) and summary.state_saved
    assert json.loads((tmp_path / "fetch-state.json").read_text())["newest_decision_date"] == "2017-01-14"

    again = site.fetch(tmp_path, since_last=True)
    assert site.replica.searches()[-1]["DecStart"] == "12/17/2016"
    assert (again.fetched, again.skipped) == (0, 10)
    assert len(_rows(tmp_path)) == 60 + sum(len(c.treatments) for c in site.replica.cases[30:])


def test_case_fetches_one_decision_from_its_page(site: Site, tmp_path: Path) -> None:
    summary = site.fetch(tmp_path, case_number="CM16-0000003")
    assert [h.key for h in site.replica.hits] == ["case:CM16-0000003", "letter:CM16-0000003"]
    rows = _rows(tmp_path)
    assert rows == [r for r in _expected(site.replica, site.base) if r["case_number"] == "CM16-0000003"]
    assert len(rows) == 3 and summary.fetched == 1 and not summary.state_saved
    with pytest.raises(
        FetchError, match=r"IMRDecisionSearch.asp\?caseno=CM16-9999999: expected the rows of case"
    ):
        site.fetch(tmp_path, case_number="CM16-9999999")
