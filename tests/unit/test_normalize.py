"""Normalizers: dates, quantities, states, regions, treatments, citations, diagnoses, reasons."""

from __future__ import annotations

import pytest

from graph_loader.models import Category, CitedBy, GuidelineFamily
from graph_loader.normalize.citations.resolve import parse_guideline_text
from graph_loader.normalize.dates import ImpossibleDate, parse_date
from graph_loader.normalize.diagnoses.coding import code_phrase
from graph_loader.normalize.reasons.rules import denial_reasons
from graph_loader.normalize.states import state_codes
from graph_loader.normalize.treatments.classify import classify_treatment
from graph_loader.normalize.treatments.item_regions import body_regions
from graph_loader.normalize.treatments.quantities import quantity


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("03/15/2014", "2014-03-15"),
        ("04/27/09", "2009-04-27"),
        ("10-13-16", "2016-10-13"),
        ("December 11, 2000", "2000-12-11"),
        ("on 1/5/98.", "1998-01-05"),
        ("none here", None),
    ],
)
def test_dates(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["07/24/3014", "02/30/2016"])
def test_impossible_dates_raise(text: str) -> None:
    with pytest.raises(ImpossibleDate):
        parse_date(text)


@pytest.mark.parametrize(
    ("item", "n"),
    [
        ("Physical therapy 1 x 6", 6),
        ("Acupuncture 2x6 for the lumbar/cervical", 12),
        ("CHIROPRACTIC X 8", 8),
        ("Salonpas pad #60", 60),
        ("Therapeutic exercises (six physical therapy sessions for the lumbar spine)", 6),
        ("Norco 10/325mg #35", 35),
        ("Physical therapy, 2 times a week for 4 weeks, right knee", 8),
        ("Physical therapy to the lumbar spine 2 times a week for 2 weeks (4)", 4),
        ("Ketoprofen 20% in cream base 240g", None),
        ("MRI of the lumbar spine", None),
        ("NCV bilateral lower extremities QTY: 2", 2),
        ("Additional physical therapy three times a week over two weeks", 6),
        ("Physical therapy 1-2 times a week for 4 weeks", 8),
        ("Hospital bed for a 30 day rental", None),
    ],
)
def test_quantities(item: str, n: int | None) -> None:
    assert quantity(item) == n


def test_states_do_not_confuse_virginia_and_west_virginia() -> None:
    assert state_codes("Ohio,West Virginia,California") == ["OH", "WV", "CA"]
    assert state_codes("California,North Carolina") == ["CA", "NC"]


def test_regions() -> None:
    assert body_regions("Acupuncture 2x6 for the lumbar/cervical") == ["cervical spine", "lumbar spine"]
    assert body_regions("6 Physical Therapy Treatments (Bilateral Lower Legs)") == ["lower leg"]
    assert body_regions("Orphenadrine ER 100mg #30") == []


@pytest.mark.parametrize(
    ("item", "category"),
    [
        ("MRI of the right shoulder without contrast", Category.DIAGNOSTIC),
        ("Lidocaine 5% patch #1", Category.PHARMACEUTICAL),
        ("TENS unit", Category.DME),
        ("Right L5-S1 epidural steroid injection", Category.INJECTION),
        ("Consult w/ Neurologist", Category.EVALUATION_AND_MANAGEMENT),
        ("Functional capacity evaluation", Category.DIAGNOSTIC),
        ("Neuroplasty, lumbar spine", Category.SURGERY),
        ("Comprehensive psychological testing", Category.BEHAVIORAL_HEALTH),
        ("Daily RN for 4 weeks for wound care", Category.HOME_HEALTH),
        ("Functional restoration program x 80 hours", Category.PROGRAM),
        ("Massage x 2", Category.PHYSICAL_MEDICINE),
    ],
)
def test_treatment_categories(item: str, category: Category) -> None:
    assert classify_treatment(item).category is category


def test_citation_line_splits_per_document() -> None:
    text = (
        "Decision based on MTUS Low Back Complaints 2004, Section(s): Summary, and Chronic Pain Medical\n"
        "Treatment 2016, Section(s): Facet blocks"
    )
    cites = parse_guideline_text(text, CitedBy.IMR_REVIEWER, (0, len(text)))
    assert [(c.guideline_key, c.sections) for c in cites] == [
        ("mtus-low-back-2004", ["Summary"]),
        ("mtus-chronic-pain-2016", ["Facet blocks"]),
    ]


def test_non_mtus_sources_split_and_resolve() -> None:
    text = "Decision based on Non-MTUS Citation ACOEM guidelines and the Official Disability Guidelines."
    fams = [c.guideline for c in parse_guideline_text(text, CitedBy.CLAIMS_ADMINISTRATOR, (0, 1))]
    assert fams == [GuidelineFamily.ACOEM, GuidelineFamily.ODG]


def test_pages_and_page_urls() -> None:
    text = "Decision based on MTUS Chronic Pain Treatment Guidelines Physical Medicine Page(s): 98-99."
    (c,) = parse_guideline_text(text, CitedBy.IMR_REVIEWER, (0, 1))
    assert c.pages == [98, 99] and c.url and c.url.endswith("#page=98")
    assert c.sections == ["Physical medicine"] and c.page_sections == ["Physical medicine"]


def test_no_evidence_means_no_citation() -> None:
    text = "The Claims Administrator did not cite any medical evidence for its decision."
    assert parse_guideline_text(text, CitedBy.CLAIMS_ADMINISTRATOR, (0, 1)) == []


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("Lumbar radiculopathy", "M54.16"),
        ("an active left lumbar five radiculopathy", "M54.16"),
        ("Cervical spine herniated nucleus pulposus", "M50.20"),
        ("neck strain", "S16.1XXA"),
        ("RSD lower extremities", "G90.529"),
        ("carpal tunnel syndrome right wrist", "G56.01"),
        ("left knee strain", "S86.912A"),
        ("nothing codable here", None),
    ],
)
def test_diagnosis_codes(phrase: str, code: str | None) -> None:
    assert code_phrase(phrase) == code


def test_denial_reason_spans_cover_the_supporting_sentence() -> None:
    text = "Physical therapy helped. There is no documentation of functional improvement. Therefore not necessary."
    reasons = denial_reasons(text, 100)
    codes = [r.code for r in reasons]
    assert "NO_FUNCTIONAL_IMPROVEMENT" in codes
    r = reasons[codes.index("NO_FUNCTIONAL_IMPROVEMENT")]
    assert text[r.span[0] - 100 : r.span[1] - 100].startswith("There is no documentation")
