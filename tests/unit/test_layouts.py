"""Older and rarer layouts degrade gracefully: what is there is extracted, warnings say what is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader.extract.letter import NotALetter, parse_file, parse_text
from graph_loader.models import Outcome

LAYOUTS = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"


def test_notice_2013_reads_each_determination() -> None:
    letter = parse_file(LAYOUTS / "notice-2013.txt")
    assert letter.layout == "notice-2013"
    assert letter.case_number == "CM13-0001234"
    assert letter.injury_date == "2011-02-04"
    outcomes = {d.item.lower(): d.outcome for d in letter.decisions}
    assert outcomes["physical therapy 2x6 for the lumbar spine"] is Outcome.UPHELD
    assert outcomes["a lumbar mri"] is Outcome.OVERTURNED
    assert any("older layout" in w for w in letter.warnings)
    assert letter.reviewer.licensure_states == ["CA"]


def test_professional_review_layout() -> None:
    letter = parse_file(LAYOUTS / "professional-review.txt")
    assert letter.layout == "professional-review"
    assert [d.outcome for d in letter.decisions] == [Outcome.UPHELD]
    assert letter.decisions[0].quantity == 6
    assert letter.patient.age == 37 and letter.patient.sex == "female"
    assert letter.reviewer.licensure_states == ["CA", "NV"]
    assert {dx.icd10[:3] for dx in letter.diagnoses if dx.icd10} == {"S16", "G56"}


def test_documents_reviewed_layout() -> None:
    letter = parse_file(LAYOUTS / "documents-reviewed.txt")
    assert letter.layout == "documents-reviewed"
    assert letter.decisions[0].item.startswith("Norco")
    assert letter.decisions[0].quantity == 120
    assert letter.reviewer.specialties == ["Anesthesiology", "Pain Medicine"]


def test_item_heading_without_outcome_is_inferred_and_warned() -> None:
    text = (LAYOUTS.parent.parent.parent / "samples" / "letters").glob("001_*.txt")
    letter = parse_file(next(text))
    first = letter.decisions[0]
    assert first.outcome is Outcome.UPHELD and first.outcome_inferred
    assert "outcome of item 1 inferred from its rationale" in letter.warnings


@pytest.mark.parametrize("raw", ["", "hello world\n", "<html><body>Not found</body></html>"])
def test_text_that_is_not_a_letter_is_rejected_clearly(raw: str) -> None:
    with pytest.raises(NotALetter, match=r"x\.txt: "):
        parse_text(raw, "x.txt")
