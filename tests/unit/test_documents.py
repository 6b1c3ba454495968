"""Documents as researchers name them: ODG and ACOEM chapters, one MTUS guideline across editions,
"ACOEM Chapter N" as the MTUS's chapter, unresolved section text kept on the citation; and which
diagnoses a count selects a case by."""

from __future__ import annotations

import pytest

from graph_loader.extract.decisions import rationale_citations
from graph_loader.graph.rows import diagnosis_codes, letter_rows, uncertain_diagnosis_codes
from graph_loader.models import CitedBy, Diagnosis, Letter
from graph_loader.normalize.citations.resolve import parse_guideline_text
from graph_loader.normalize.citations.sections import document_of, targets


def one(text: str, by: CitedBy = CitedBy.IMR_REVIEWER) -> list[tuple[str, str, str | None]]:
    return [
        (document_of(c).key, document_of(c).title, document_of(c).edition)
        for c in parse_guideline_text(text, by, (0, len(text)))
    ]


@pytest.mark.parametrize(
    ("line", "key", "title_words"),
    [
        (
            "Non-MTUS Citation Official Disability Guidelines (ODG), Low Back Chapter, MRI",
            "odg:low-back",
            "low back",
        ),
        ("Non-MTUS Citation ODG Pain (Chronic), Opioids", "odg:pain-chronic", "pain (chronic)"),
        ("Non-MTUS Citation ODG Shoulder, Physical therapy", "odg:shoulder", "shoulder"),
        ("Non-MTUS Citation Official Disability Guidelines, Knee & Leg, Knee brace", "odg:knee-leg", "knee"),
        ("Non-MTUS Citation ACOEM, Shoulder Disorders", "acoem:shoulder-disorders", "shoulder"),
    ],
)
def test_an_odg_or_acoem_chapter_is_a_document(line: str, key: str, title_words: str) -> None:
    ((got_key, title, _),) = one(line)
    assert got_key.startswith(key)
    assert title_words in title.lower()


def test_the_editions_of_chronic_pain_are_one_document_each_citation_keeping_its_own() -> None:
    a = parse_guideline_text(
        "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine",
        CitedBy.IMR_REVIEWER,
        (0, 1),
    )
    b = parse_guideline_text(
        "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Page(s): 98-99",
        CitedBy.IMR_REVIEWER,
        (0, 1),
    )
    (c16,), (c09,) = a, b
    assert (c16.edition, c09.edition) == ("2016", "2009")
    assert document_of(c16).key == document_of(c09).key == "mtus-chronic-pain"
    assert document_of(c16).edition is None
    # Physical medicine read from either edition is one section node, with one link.
    s16 = {t.key: t for t in targets(c16)}
    s09 = {t.key: t for t in targets(c09)}
    shared = set(s16) & set(s09)
    assert shared and all(s16[k].url == s09[k].url for k in shared)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("MTUS Guideline in ACOEM Chapter 12, page 309", "mtus-low-back-2004"),
        ("ACOEM Chapter 8, page 182", "mtus-neck-2004"),
        ("ACOEM Guidelines Chapter 13 pages 343-345", "mtus-knee-2004"),
        ("MTUS Chronic Pain Treatment Guidelines page 60", "mtus-chronic-pain-2009"),
    ],
)
def test_acoem_chapter_pages_in_a_rationale_are_the_mtus_chapter(text: str, key: str) -> None:
    (c,) = rationale_citations(text, 0, len(text))
    assert c.by is CitedBy.RATIONALE
    assert c.guideline_key == key
    assert c.pages


def test_mtus_acoem_with_a_chapter_number_is_that_chapter() -> None:
    (c,) = parse_guideline_text(
        "Decision based on MTUS (ACOEM) Chapter 9, Page(s): 207-209", CitedBy.IMR_REVIEWER, (0, 1)
    )
    assert c.guideline_key == "mtus-shoulder-2004"


def test_a_section_the_document_lacks_stays_on_the_citation() -> None:
    (c,) = parse_guideline_text(
        "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine, Surgery for",
        CitedBy.IMR_REVIEWER,
        (0, 1),
    )
    assert "Surgery for" in c.unknown_sections
    names = [t.name for t in targets(c)]
    assert "Physical medicine" in names and "Surgery for" not in names
    assert all(t.known for t in targets(c))


def _letter(*diagnoses: tuple[str, str]) -> Letter:
    return Letter(
        source="x.txt",
        letter_id="x",
        content_hash="h",
        layout="2016",
        diagnoses=[
            Diagnosis(text=f"dx {code}", icd10=code, name=code, status=status, span=(0, 1))
            for code, status in diagnoses
        ],
    )


def test_only_stated_diagnoses_select_a_case_in_counts() -> None:
    letter = _letter(("M54.16", "rule_out"), ("S39.012A", "stated"), ("M51.16", "history"))
    counted = diagnosis_codes(letter) or []
    uncertain = uncertain_diagnosis_codes(letter) or []
    assert "S39" in counted and "M54.16" not in counted and "M51.16" not in counted
    assert {"M54.16", "M54", "M51.16"} <= set(uncertain)
    assert not set(counted) & set(uncertain)
    # Kept in the graph with their status, whatever counts.
    statuses = {r["status"] for r in letter_rows(letter).relationships["HAS_DIAGNOSIS"]}
    assert statuses == {"rule_out", "stated", "history"}
