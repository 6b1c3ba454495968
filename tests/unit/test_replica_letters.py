"""The replica serves letters the parser reads, stating what the replica's DWC rows say (but for the one
deliberate disagreement), so a fetched folder can be loaded and its agreement measured end to end."""

from __future__ import annotations

from pathlib import Path

from graph_loader.extract.letter import parse_file
from graph_loader.models import Outcome
from tests.unit.fetch_replica import letter_pdf, made_up_cases

CATEGORIES = {
    "Pharmaceuticals": "PHARMACEUTICAL",
    "Surgery": "SURGERY",
    "Rehabilitation": "PHYSICAL_MEDICINE",
    "Diagnostic Testing": "DIAGNOSTIC",
}


def test_every_replica_letter_parses_as_its_dwc_rows_say(tmp_path: Path) -> None:
    disagreements = []
    for case in made_up_cases(30):
        path = tmp_path / f"{case.number}.pdf"
        path.write_bytes(letter_pdf(case))
        letter = parse_file(path)
        assert (letter.layout, letter.case_number, letter.decision_date) == (
            "header-2016",
            case.number,
            case.decided.isoformat(),
        )
        assert [d.treatment.category.value for d in letter.decisions] == [
            CATEGORIES[t.category] for t in case.treatments
        ]
        for index, (d, t) in enumerate(zip(letter.decisions, case.treatments, strict=True), start=1):
            if (d.outcome is Outcome.UPHELD) != (t.decision == "Uphold"):
                disagreements.append((case.number, index))
    assert disagreements == [("CM16-0000007", 1), ("CM16-0000018", 1), ("CM16-0000029", 1)]
