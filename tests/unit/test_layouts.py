"""Older and rarer layouts degrade gracefully: what is there is extracted, warnings say what is not."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from graph_loader.extract.letter import NotALetter, parse_file, parse_text
from graph_loader.extract.notice import later_form
from graph_loader.models import CitedBy, GuidelineFamily, Outcome

LAYOUTS = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"


NOTICE_2013 = {
    # fixture: (case number, decision date, UR denial date, [(item start, outcome)], specialties)
    "notice-2013-pdf.txt": (
        "CM13-0031907",
        "2013-10-22",
        "2013-08-27",
        [
            ("twelve sessions of physical therapy", Outcome.UPHELD),
            ("mri of the right shoulder", Outcome.OVERTURNED),
        ],
        ["Physical Medicine and Rehabilitation", "Pain Management"],
    ),
    "notice-2013-blank-lines.txt": (
        "CM13-0058321",
        "2013-12-19",
        "2013-10-24",
        [
            ("tramadol er 150mg #60", Outcome.UPHELD),
            ("lumbar epidural steroid injection", Outcome.UPHELD),
            ("tens unit for 30 day rental", Outcome.UPHELD),
        ],
        ["Anesthesiology", "Pain Management"],
    ),
    "notice-2013-short.txt": (
        "CM13-0004471",
        "2013-08-28",
        "2013-07-11",
        [("consultation with an orthopedic hand surgeon", Outcome.OVERTURNED)],
        ["Internal Medicine", "Pulmonary Disease"],
    ),
}


@pytest.mark.parametrize("name", sorted(NOTICE_2013))
def test_notice_2013_reads_each_numbered_determination(name: str) -> None:
    case, decided, ur, expected, specialties = NOTICE_2013[name]
    letter = parse_file(LAYOUTS / name)
    assert letter.layout == "notice-2013"
    assert letter.case_number == case
    assert letter.decision_date == decided and letter.year == 2013 and letter.year_source == "decision_date"
    assert letter.ur_decision_date == ur
    # Listed at the top, again after the decision heading, and restated in each rationale: one decision each.
    assert len(letter.decisions) == len(expected)
    for decision, (item, outcome) in zip(letter.decisions, expected, strict=True):
        assert decision.item.lower().startswith(item), decision.item
        assert decision.outcome is outcome
        assert "medically" not in decision.item.lower()
    assert letter.reviewer.specialties == specialties
    assert letter.reviewer.licensure_states[0] == "CA"
    assert letter.patient.age is not None and letter.patient.sex is not None
    assert any("2013 layout" in w for w in letter.warnings)


def test_notice_2013_rationale_and_dates_from_the_decision_section() -> None:
    letter = parse_file(LAYOUTS / "notice-2013-pdf.txt")
    assert letter.application_received == "2013-09-09"
    assert letter.injury_date == "2011-03-02"
    first, second = letter.decisions
    assert first.rationale.startswith("The guidelines allow a course of up to ten visits")
    # Lost spaces are restored in the text the graph keeps, and the typist's initials are not rationale.
    assert first.rationale.endswith("is not medically necessary and appropriate.")
    assert second.rationale.endswith("is medically necessary and appropriate.")
    assert first.quantity == 12 and "shoulder" in first.body_regions
    assert first.spans.rationale is not None
    s, e = first.spans.rationale
    assert letter.text[s:e].startswith("The guidelines allow")
    assert "Case Summary" not in letter.text[s:e]
    assert {d.icd10[:3] for d in letter.diagnoses if d.icd10} == {"M75"}


def test_notice_2013_without_rationale_section_still_decides() -> None:
    letter = parse_file(LAYOUTS / "notice-2013-short.txt")
    assert [d.outcome for d in letter.decisions] == [Outcome.OVERTURNED]
    assert letter.decisions[0].rationale == ""
    assert "item 1: no 'Rationale for the Decision' block" in letter.warnings


def test_notice_2013_statements_wrapped_over_blank_lines_and_joined_words() -> None:
    letter = parse_file(LAYOUTS / "notice-2013-blank-lines.txt")
    # "is not\n\nmedically necessary", "isnot medicallynecessary andappropriate"
    assert [d.outcome for d in letter.decisions] == [Outcome.UPHELD] * 3
    assert letter.decisions[0].quantity == 60
    assert letter.decisions[1].rationale.startswith("Radiculopathy must be documented")
    assert letter.reviewer.licensure_states == ["CA", "NV"]


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
    assert letter.reviewer.specialties == ["Anesthesiology", "Pain Management"]
    assert [c.printed for c in letter.reviewer.certifications] == ["Anesthesiology", "Pain Medicine"]


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


def _run_together(raw: str) -> str:
    return re.sub(r"\s*\n\s*", " ", raw)


def _unnumbered(raw: str) -> str:
    return re.sub(r"(?m)^\d\) ", "", raw)


@pytest.mark.parametrize("name", sorted(NOTICE_2013))
@pytest.mark.parametrize("damage", [_run_together, _unnumbered, lambda raw: raw.replace("\n", "\r\n")])
def test_notice_2013_survives_extraction_damage(name: str, damage: Callable[[str], str]) -> None:
    """Lines run together (no line structure), numbers dropped, Windows line ends: same decisions."""
    expected = NOTICE_2013[name][3]
    letter = parse_text(damage((LAYOUTS / name).read_text()), name)
    assert [d.outcome for d in letter.decisions] == [outcome for _, outcome in expected]
    for decision, (item, _) in zip(letter.decisions, expected, strict=True):
        assert decision.item.lower().startswith(item)
    assert letter.reviewer.specialties == NOTICE_2013[name][4]


def test_notice_2013_guideline_paragraphs_become_citations() -> None:
    letter = parse_file(LAYOUTS / "notice-2013-pdf.txt")
    pt, mri = letter.decisions
    by = {(c.by, c.guideline, c.guideline_key, tuple(c.pages)) for c in pt.citations}
    # "found the guideline used by the Claims Administrator relevant": the reviewer cites the same.
    assert by == {
        (CitedBy.CLAIMS_ADMINISTRATOR, GuidelineFamily.MTUS, "mtus-chronic-pain-2009", (98, 99)),
        (CitedBy.IMR_REVIEWER, GuidelineFamily.MTUS, "mtus-chronic-pain-2009", (98, 99)),
    }
    assert [(c.by, c.guideline) for c in mri.citations] == [
        (CitedBy.CLAIMS_ADMINISTRATOR, GuidelineFamily.ODG),
        (CitedBy.IMR_REVIEWER, GuidelineFamily.MTUS),
    ]
    assert mri.citations[1].pages == [207, 208, 209]
    tens = parse_file(LAYOUTS / "notice-2013-blank-lines.txt").decisions[2]
    assert tens.citations == []


@pytest.mark.parametrize(
    ("paragraph", "statements"),
    [
        (
            "The Claims Administrator based its decision on the Chronic Pain Medical Treatment Guidelines (2009),\n"
            "Opioids, pages 76-80, which is part of the MTUS, and the Official Disability Guidelines (ODG), Pain\n"
            "Chapter, which is not part of the MTUS.",
            "Decision based on MTUS Chronic Pain Medical Treatment Guidelines 2009, Opioids, pages 76-80 "
            "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Pain Chapter",
        ),
        ("The Claims Administrator did not cite any evidence-based criteria for its decision.", ""),
        ("The Expert Reviewer found the guideline used by the Claims Administrator relevant.", ""),
    ],
)
def test_2013_guideline_prose_rewritten_for_the_citation_parser(paragraph: str, statements: str) -> None:
    assert later_form(paragraph) == statements


def test_notice_2013_final_determination_line_checks_the_items() -> None:
    for name in NOTICE_2013:
        assert not any("Final Determination" in w for w in parse_file(LAYOUTS / name).warnings)
    raw = (
        (LAYOUTS / "notice-2013-short.txt")
        .read_text()
        .replace("Final Determination: OVERTURN.", "Final Determination: UPHOLD.")
    )
    assert "Final Determination 'UPHOLD' disagrees with the items read" in parse_text(raw, "x.txt").warnings


def test_notice_2013_garbled_verdict_does_not_swallow_the_next_item() -> None:
    raw = (LAYOUTS / "notice-2013-pdf.txt").read_text()
    # The first statement's verdict is lost in extraction wherever it appears.
    garbled = raw.replace(
        "right shoulder is notmedically necessary and appropriate.", "right shoulder [illegible]"
    )
    garbled = garbled.replace("shoulder is notmedically necessary and appropriate.", "shoulder [illegible]")
    letter = parse_text(garbled, "x.txt")
    assert [(d.item.lower()[:6], d.outcome) for d in letter.decisions] == [("mri of", Outcome.OVERTURNED)]
    # ... and the letter says so: its "OVERTURN IN PART" needs an upheld item too.
    assert any(w.startswith("Final Determination 'OVERTURN IN PART' disagrees") for w in letter.warnings)
