"""DWC's rows beside the letters: read (a malformed line named by file and line, the rest kept), put in
the parser's vocabulary, and matched to the decisions of their case (graph_loader/load/dwc_labels.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_loader.load.dwc_labels import DwcReport, DwcRow, beside, match, read_rows
from graph_loader.normalize import dwc_vocabulary as vocabulary


def _row(
    request: int, requests: int, category: str, decision: str = "Uphold", case: str = "CM16-0000001"
) -> DwcRow:
    return DwcRow(
        case_number=case, request=request, requests=requests, category=category, request_decision=decision
    )


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Pharmaceuticals", "PHARMACEUTICAL"),
        ("Diagnostic Testing", "DIAGNOSTIC"),
        ("Durable Medical Equipment", "DME"),
        ("Evaluation & Management (E&M)", "EVALUATION_AND_MANAGEMENT"),
        ("Injections", "INJECTION"),
        ("Surgery", "SURGERY"),
        ("Rehabilitation", "PHYSICAL_MEDICINE"),
        ("Mental Health and Behavioral Health", "BEHAVIORAL_HEALTH"),
        ("Programs", "PROGRAM"),
        ("Home Health Services", "HOME_HEALTH"),
        ("Transportation", "TRANSPORTATION"),
        # A name the vocabulary does not know stays as printed: a visible disagreement, not a guess.
        ("Something New", "Something New"),
        ("  ", None),
    ],
)
def test_dwc_categories_in_the_parsers_vocabulary(printed: str, expected: str | None) -> None:
    assert vocabulary.category(printed) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Uphold", "UPHELD"),
        ("Overturn", "OVERTURNED"),
        ("Partial Overturn", "PARTIALLY_OVERTURNED"),
        ("partially  overturned", "PARTIALLY_OVERTURNED"),
        ("Withdrawn", "Withdrawn"),
        (None, None),
    ],
)
def test_dwc_request_decisions(printed: str | None, expected: str | None) -> None:
    assert vocabulary.outcome(printed) == expected


def test_as_many_requests_as_items_match_by_order() -> None:
    items = [("L#1", "PHARMACEUTICAL"), ("L#2", "SURGERY")]
    # By order even where the categories differ: that difference is what the agreement report shows.
    rows = [_row(2, 2, "Pharmaceuticals"), _row(1, 2, "Surgery")]
    assert [(i, r.request) for i, r in match(items, rows)] == [("L#1", 1), ("L#2", 2)]


def test_unequal_counts_match_by_category_in_order() -> None:
    items = [("L#1", "PHYSICAL_MEDICINE"), ("L#2", "PHARMACEUTICAL"), ("L#3", "PHARMACEUTICAL")]
    rows = [_row(1, 2, "Pharmaceuticals"), _row(2, 2, "Pharmaceuticals")]
    assert [(i, r.request) for i, r in match(items, rows)] == [("L#2", 1), ("L#3", 2)]
    # A request of a category no untaken item has matches nothing.
    rows = [_row(1, 3, "Surgery"), _row(2, 3, "Rehabilitation"), _row(3, 3, "Rehabilitation")]
    assert [(i, r.request) for i, r in match(items[:2], rows)] == [("L#1", 2)]


def test_a_request_listed_twice_counts_once() -> None:
    items = [("L#1", "SURGERY")]
    rows = [_row(1, 1, "Surgery", "Uphold"), _row(1, 1, "Surgery", "Overturn")]
    assert [(i, r.request_decision) for i, r in match(items, rows)] == [("L#1", "Overturn")]


def test_a_malformed_line_is_named_by_file_and_line_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "dwc-rows.jsonl"
    good = {"case_number": "CM16-0000001", "request": 1, "requests": 1, "category": "Surgery"}
    path.write_text(
        "\n".join(
            [
                json.dumps(good),
                '{"case_number": "CM16-00',
                json.dumps({"request": 1, "requests": 1}),
                "[1, 2]",
                "",
                json.dumps(good | {"case_number": "CM16-0000002", "request_decision": "Partial Overturn"}),
            ]
        )
        + "\n"
    )
    report = DwcReport(files=[path])
    rows = list(read_rows(path, report))
    assert [r.case_number for r in rows] == ["CM16-0000001", "CM16-0000002"]
    assert report.rows == 2 and report.problem_count == 3
    assert report.problems[0].startswith(f"{path}:2: not a JSON line")
    assert report.problems[1].startswith(f"{path}:3: case_number: Field required")
    assert report.problems[2] == f"{path}:4: expected a JSON object, found list; skipped"
    assert any(line.startswith(f"{path}:2:") for line in report.describe())


def test_rows_are_read_only_beside_a_folder_of_letters(tmp_path: Path) -> None:
    (tmp_path / "dwc-rows.jsonl").write_text("")
    letter = tmp_path / "a.txt"
    letter.write_text("x")
    assert beside([tmp_path, tmp_path, letter]) == [tmp_path / "dwc-rows.jsonl"]
    assert beside([tmp_path / "elsewhere"]) == []
