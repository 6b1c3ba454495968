"""A fetched folder (letters beside dwc-rows.jsonl) loaded by either path: DWC's labels on the matched
decisions, the rows that match nothing counted, a malformed line named without costing a letter, and
the dataQuality report (issue 27)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from api.cypher.db import ReadOnlyGraph
from api.graphql.schema import execute
from graph_loader.config import Settings
from graph_loader.load import neo4j_db
from graph_loader.load.bulk.importer import bulk_load_letters
from graph_loader.load.pipeline import LoadSummary
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters
from tests.helpers import RunningServer, clear_graph

LAYOUTS = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"
LETTERS = (
    "medical-professional-review.txt",  # CM13-0070412: injection (UPHELD), physical therapy (OVERTURNED)
    "unrecognized-layout.txt",  # CM13-0081234: tramadol (UPHELD), cervical pillow (OVERTURNED)
    "documents-reviewed.txt",  # CM13-0045678: Norco (UPHELD)
)


def _row(case: str, request: int, requests: int, category: str, sub: str, decision: str) -> str:
    return json.dumps(
        {
            "case_number": case,
            "request": request,
            "requests": requests,
            "decision_date": "2013-09-01",
            "category": category,
            "subcategory": sub,
            "request_decision": decision,
            "pdf_path": f"2013-09/{case}.pdf",
        }
    )


def fetched_folder(root: Path) -> Path:
    folder = root / "fetched"
    (folder / "2013-09").mkdir(parents=True)
    for name in LETTERS:
        shutil.copy(LAYOUTS / name, folder / "2013-09" / name)
    rows = [
        # As many requests as items: by order.
        _row("CM13-0070412", 1, 2, "Injections", "Epidural Steroid Injection", "Uphold"),
        _row(
            "CM13-0070412",
            2,
            2,
            "Rehabilitation",
            "Physical Therapy/Occupational Therapy (PT/OT)",
            "Partial Overturn",
        ),
        # One request for two items: by category; DWC overturned what the letter upheld.
        _row("CM13-0081234", 1, 1, "Pharmaceuticals", "Opioids", "Overturn"),
        '{"case_number": "CM13-00',  # a line cut short
        # Two requests for one item: the second matches nothing.
        _row("CM13-0045678", 1, 2, "Pharmaceuticals", "Opioids", "Uphold"),
        _row("CM13-0045678", 2, 2, "Diagnostic Testing", "MRI", "Uphold"),
        # A case whose letter is not in the folder.
        _row("CM13-0099999", 1, 1, "Surgery", "Spine", "Overturn"),
    ]
    (folder / "dwc-rows.jsonl").write_text("\n".join(rows) + "\n")
    return folder


def _labels(settings: Settings) -> dict[str, tuple[Any, ...]]:
    with neo4j_db.connect(settings) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (d:Decision) RETURN d.decision_id AS id, d.dwc_category AS c, d.dwc_subcategory AS s, "
            "d.dwc_outcome AS o",
            database_=settings.database,
        )
    return {r["id"]: (r["c"], r["s"], r["o"]) for r in records}


EXPECTED = {
    "CM13-0070412#1": ("INJECTION", "Epidural Steroid Injection", "UPHELD"),
    "CM13-0070412#2": (
        "PHYSICAL_MEDICINE",
        "Physical Therapy/Occupational Therapy (PT/OT)",
        "PARTIALLY_OVERTURNED",
    ),
    "CM13-0081234#1": ("PHARMACEUTICAL", "Opioids", "OVERTURNED"),
    "CM13-0081234#2": (None, None, None),
    "CM13-0045678#1": ("PHARMACEUTICAL", "Opioids", "UPHELD"),
}


def _check_summary(summary: LoadSummary, folder: Path) -> None:
    assert (summary.loaded, summary.rejected) == (3, 0)
    rows_file = folder / "dwc-rows.jsonl"
    assert summary.dwc[0] == (
        f"DWC rows: 6 read from {rows_file}, 4 matched a decision, 2 matched nothing "
        "(1 of a case not loaded, 1 beyond the items of its letter)"
    )
    assert summary.dwc[1].startswith(f"{rows_file}:4: not a JSON line")
    assert "DWC rows: 6 read" in summary.describe()


def test_unwind_load_sets_dwc_labels_and_data_quality_reports_agreement(
    empty_graph: Settings, tmp_path: Path
) -> None:
    folder = fetched_folder(tmp_path)
    summary = load_letters(LetterFiles([folder], 1), empty_graph)
    _check_summary(summary, folder)
    assert _labels(empty_graph) == EXPECTED

    graph = ReadOnlyGraph.connect(empty_graph)
    try:
        result = execute(
            """{ dataQuality(first: 10) {
                decisions withDwc partialOverturns disagreementTotal unrecognized supersededTotal
                category { compared agree share } outcome { compared agree share }
                disagreements { caseNumber index item category dwcCategory outcome dwcOutcome }
                layouts { layout letters } superseded { caseNumber }
            } }""",
            graph,
        )
        decision = execute(
            '{ case(caseNumber: "CM13-0070412") { decisions { dwcCategory dwcSubcategory dwcOutcome } } }',
            graph,
        )
    finally:
        graph.close()
    assert result.errors is None and result.data is not None
    q = result.data["dataQuality"]
    assert (q["decisions"], q["withDwc"], q["partialOverturns"]) == (5, 4, 1)
    assert q["category"] == {"compared": 4, "agree": 4, "share": 1.0}
    # The partial overturn is not compared: the letters state no such outcome.
    assert q["outcome"] == {"compared": 3, "agree": 2, "share": pytest.approx(2 / 3)}
    assert q["disagreementTotal"] == 1
    assert q["disagreements"] == [
        {
            "caseNumber": "CM13-0081234",
            "index": 1,
            "item": "Tramadol 50mg #90",
            "category": "PHARMACEUTICAL",
            "dwcCategory": "PHARMACEUTICAL",
            "outcome": "UPHELD",
            "dwcOutcome": "OVERTURNED",
        }
    ]
    assert {x["layout"]: x["letters"] for x in q["layouts"]} == {
        "professional-review": 1,
        "unrecognized": 1,
        "documents-reviewed": 1,
    }
    assert q["unrecognized"] == 1
    assert (q["supersededTotal"], q["superseded"]) == (0, [])
    assert decision.data is not None
    assert decision.data["case"]["decisions"][1] == {
        "dwcCategory": "PHYSICAL_MEDICINE",
        "dwcSubcategory": "Physical Therapy/Occupational Therapy (PT/OT)",
        "dwcOutcome": "PARTIALLY_OVERTURNED",
    }


def test_a_reload_with_newer_rows_keeps_no_stale_label(empty_graph: Settings, tmp_path: Path) -> None:
    folder = fetched_folder(tmp_path)
    load_letters(LetterFiles([folder], 1), empty_graph)
    # DWC's newer listing has one request for the two-item letter, of the other item's category.
    (folder / "dwc-rows.jsonl").write_text(
        _row(
            "CM13-0070412",
            1,
            1,
            "Rehabilitation",
            "Physical Therapy/Occupational Therapy (PT/OT)",
            "Overturn",
        )
        + "\n"
    )
    summary = load_letters(LetterFiles([folder], 1), empty_graph)
    assert summary.unchanged == 3
    labels = _labels(empty_graph)
    assert labels["CM13-0070412#1"] == (None, None, None)
    assert labels["CM13-0070412#2"] == (
        "PHYSICAL_MEDICINE",
        "Physical Therapy/Occupational Therapy (PT/OT)",
        "OVERTURNED",
    )
    assert labels["CM13-0081234#1"] == EXPECTED["CM13-0081234#1"]


def test_bulk_load_sets_the_same_labels(private_server: RunningServer, tmp_path: Path) -> None:
    folder = fetched_folder(tmp_path)
    settings = private_server.settings
    clear_graph(settings)
    summary = bulk_load_letters(
        LetterFiles([folder], 1), settings, private_server.home, private_server.config
    )
    _check_summary(summary, folder)
    assert _labels(settings) == EXPECTED
