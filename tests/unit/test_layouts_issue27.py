"""The "MEDICAL PROFESSIONAL REVIEW" layout, the fallback for letters of no known layout, and dates
taken only from their own labels (issue 27, item 4). Fixtures: tests/fixtures/layouts/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader.extract.letter import NotALetter, parse_file, parse_text
from graph_loader.models import Outcome

LAYOUTS = Path(__file__).resolve().parents[1] / "fixtures" / "layouts"


def _spans_point_into_text(path: Path) -> None:
    letter = parse_file(path)
    for d in letter.decisions:
        s, e = d.spans.item
        assert " ".join(letter.text[s:e].split()) == d.item
        if d.spans.rationale:
            s, e = d.spans.rationale
            assert " ".join(letter.text[s:e].split()) == d.rationale


def test_medical_professional_review_reads_every_section() -> None:
    letter = parse_file(LAYOUTS / "medical-professional-review.txt")
    assert letter.layout == "professional-review"
    assert letter.case_number == "CM13-0070412"
    assert [d.item for d in letter.decisions] == [
        "Lumbar epidural steroid injection at L4-L5",
        "Physical therapy 2 times a week for 6 weeks for the lumbar spine",
    ]
    assert [d.outcome for d in letter.decisions] == [Outcome.UPHELD, Outcome.OVERTURNED]
    assert not any(d.outcome_inferred for d in letter.decisions)
    assert [d.treatment.category.value for d in letter.decisions] == ["INJECTION", "PHYSICAL_MEDICINE"]
    assert letter.decisions[1].quantity == 12
    # The guidelines relied upon, through the citation resolver, cited by each item.
    for d in letter.decisions:
        assert {(c.guideline_key, tuple(c.pages)) for c in d.citations} >= {
            ("mtus-chronic-pain-2009", (46,)),
            ("mtus-chronic-pain-2009", (98, 99)),
        }
    # Each item's rationale ends with its own statement.
    assert letter.decisions[0].rationale.endswith("L4-L5 is not medically necessary.")
    assert letter.decisions[1].rationale.startswith("2. The guidelines allow 8-10 visits")
    assert letter.decisions[0].denial_reasons and not letter.decisions[1].denial_reasons
    assert (letter.patient.age, letter.patient.sex) == (52, "male")
    assert letter.injury_date == "2010-03-11"
    assert {dx.icd10[:3] for dx in letter.diagnoses if dx.icd10} == {"M54", "M51"}
    assert letter.reviewer.specialties == ["Physical Medicine and Rehabilitation", "Pain Management"]
    assert letter.reviewer.licensure_states == ["CA", "AZ"]
    # No decision date printed: the UR denial date is the UR's, and the year is estimated from it.
    assert (letter.decision_date, letter.ur_decision_date) == (None, "2013-06-14")
    assert (letter.year, letter.year_source) == (2013, "estimated")
    _spans_point_into_text(LAYOUTS / "medical-professional-review.txt")


def test_professional_review_outcome_paired_by_words_and_inferred_when_unstated() -> None:
    text = (LAYOUTS / "medical-professional-review.txt").read_text()
    # The physical therapy statement gone: the injection keeps its own, by its words; the therapy's
    # outcome is read from the rationale's verdict, with a warning.
    cut = text.replace(
        "The request for physical therapy\n2 times a week for 6 weeks for the lumbar spine is medically necessary.",
        "Further visits are appropriate and medically necessary.",
    )
    assert cut != text
    letter = parse_text(cut, "mpr.txt")
    assert [d.outcome for d in letter.decisions] == [Outcome.UPHELD, Outcome.OVERTURNED]
    assert [d.outcome_inferred for d in letter.decisions] == [False, True]
    assert "outcome of item 2 inferred from its rationale" in letter.warnings


def test_letter_of_no_known_layout_loads_as_unrecognized_with_a_warning() -> None:
    letter = parse_file(LAYOUTS / "unrecognized-layout.txt")
    assert letter.layout == "unrecognized"
    assert any(w.startswith("layout not recognized") for w in letter.warnings)
    assert letter.case_number == "CM13-0081234"
    assert [(d.item, d.outcome) for d in letter.decisions] == [
        ("Tramadol 50mg #90", Outcome.UPHELD),
        ("cervical pillow", Outcome.OVERTURNED),
    ]
    assert letter.decisions[0].quantity == 90
    assert (letter.patient.age, letter.patient.sex) == (44, "female")
    assert letter.injury_date == "2011-11-02"
    _spans_point_into_text(LAYOUTS / "unrecognized-layout.txt")


@pytest.mark.parametrize(
    ("sentence", "item", "outcome"),
    [
        (
            "After review, the request for an MRI of the left knee is not medically necessary.",
            "MRI of the left knee",
            Outcome.UPHELD,
        ),
        ("The requested Lidoderm patches were medically necessary.", "Lidoderm patches", Outcome.OVERTURNED),
        (
            "The requests for 12 chiropractic visits are not considered medically necessary.",
            "12 chiropractic visits",
            Outcome.UPHELD,
        ),
        (
            "Hence the request for a TENS unit is considered not medically necessary.",
            "TENS unit",
            Outcome.UPHELD,
        ),
        ("The request for\nomeprazole 20mg is non-medically necessary.", "omeprazole 20mg", Outcome.UPHELD),
    ],
)
def test_fallback_reads_close_variants_of_the_statement(sentence: str, item: str, outcome: Outcome) -> None:
    letter = parse_text(f"A review letter.\nCase CM14-0011111\n\n{sentence}\n", "x.txt")
    assert letter.layout == "unrecognized"
    assert [(d.item, d.outcome) for d in letter.decisions] == [(item, outcome)]


def test_fallback_never_runs_an_item_over_a_sentence_end() -> None:
    letter = parse_text(
        "Case CM14-0011112\nThe request for surgery was sent by the physician. Later the request for a lumbar "
        "brace is not medically necessary.\n",
        "x.txt",
    )
    assert [d.item for d in letter.decisions] == ["lumbar brace"]


def test_a_restated_item_is_one_decision_with_its_last_outcome() -> None:
    letter = parse_text(
        "Case CM14-0011113\nThe request for a cane is not medically necessary. On appeal the records were "
        "read again: the request for a cane is medically necessary.\n",
        "x.txt",
    )
    assert [(d.item, d.outcome) for d in letter.decisions] == [("cane", Outcome.OVERTURNED)]


def test_text_stating_nothing_is_still_not_a_letter() -> None:
    with pytest.raises(NotALetter, match=r"x\.txt: no decision blocks found"):
        parse_text(
            "Case CM14-0011114\nWhether care is medically necessary depends on the records.\n", "x.txt"
        )


def test_documents_reviewed_layout_takes_no_ur_date_as_its_decision_date() -> None:
    letter = parse_file(LAYOUTS / "documents-reviewed.txt")
    # "Utilization review determination dated 08/01/2013" is the UR's date, under its own label.
    assert letter.decision_date is None
    assert letter.ur_decision_date == "2013-08-01"
    assert (letter.year, letter.year_source) == (2013, "estimated")


def test_notice_2013_keeps_its_printed_decision_date() -> None:
    letter = parse_file(LAYOUTS / "notice-2013-blank-lines.txt")
    assert letter.decision_date == "2013-12-19"
    assert letter.ur_decision_date == "2013-10-24"
