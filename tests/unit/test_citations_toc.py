"""Cited sections split against each guideline document's table of contents (issue 15, item 0)."""

from __future__ import annotations

import difflib
import random
import re

import pytest

from graph_loader.models import Citation, CitedBy, GuidelineFamily
from graph_loader.normalize.citations import toc as toc_module
from graph_loader.normalize.citations.chapters import chapter_catalog
from graph_loader.normalize.citations.resolve import absolute_url, parse_guideline_text
from graph_loader.normalize.citations.toc import page_sections, section_catalog, toc


def cite(text: str) -> list[Citation]:
    return parse_guideline_text(text, CitedBy.IMR_REVIEWER, (0, len(text)))


def mtus(document: str, sections: str) -> Citation:
    (c,) = cite(f"Decision based on MTUS {document}, Section(s): {sections}.")
    return c


@pytest.mark.parametrize(
    "section",
    [
        "NSAIDs, GI symptoms & cardiovascular risk",
        "Topical analgesics, compounded",
        "Opioids, criteria for use",
        "NSAIDs, specific drug list & adverse effects",
        "Work conditioning, work hardening",
    ],
)
def test_a_comma_inside_a_section_name_does_not_split_it(section: str) -> None:
    c = mtus("Chronic Pain Medical Treatment 2016", section)
    assert c.sections == [section] and c.unknown_sections == []


def test_several_sections_split_and_order_by_the_document() -> None:
    c = mtus("Low Back Complaints 2004", "Surgical Considerations, Physical Methods, Summary")
    assert c.sections == ["Physical Methods", "Surgical Considerations", "Summary"]
    assert c.unknown_sections == []


def test_the_same_pair_in_another_order_gives_the_same_sections() -> None:
    a = mtus("Chronic Pain Medical Treatment 2016", "Cyclobenzaprine (Flexeril), Muscle relaxants (for pain)")
    b = mtus("Chronic Pain Medical Treatment 2016", "Muscle relaxants (for pain), Cyclobenzaprine (Flexeril)")
    assert a.sections == b.sections == ["Cyclobenzaprine (Flexeril)", "Muscle relaxants (for pain)"]


def test_comma_sections_next_to_each_other() -> None:
    c = mtus(
        "Chronic Pain Medical Treatment 2016",
        "Opioids, criteria for use, NSAIDs, GI symptoms & cardiovascular risk, Topical analgesics",
    )
    assert c.sections == [
        "NSAIDs, GI symptoms & cardiovascular risk",
        "Opioids, criteria for use",
        "Topical analgesics",
    ]


def test_printed_variants_resolve_to_the_catalog_name() -> None:
    assert mtus("Chronic Pain Medical Treatment 2016", "Physical medicine treatment").sections == [
        "Physical medicine"
    ]
    assert mtus("Knee Complaints 2004", "special studies").sections == ["Special Studies"]
    # A typo of a known heading is that heading.
    assert mtus("Knee Complaints 2004", "Surgical Considerstions").sections == ["Surgical Considerations"]


def test_an_unknown_part_stays_whole_and_is_reported() -> None:
    c = mtus("Chronic Pain Medical Treatment 2016", "Topical analgesics, Widget therapy, left side")
    assert c.sections == ["Topical analgesics", "Widget therapy, left side"]
    assert c.unknown_sections == ["Widget therapy, left side"]


def test_numbered_opioid_guideline_sections() -> None:
    c = mtus(
        "Opioid Treatment 2016",
        "3.3.6 Opioids for Chronic Pain and Chronic Opioid Treatment: Use of Urine Drug Testing (UDT), "
        "2 Opioids for Subacute Pain, 3.3.7 Opioids for Chronic Pain: Not In The Table",
    )
    # Headings print "<number> <part>: <section>"; a number the table lacks stays as printed.
    assert c.sections == [
        "Opioids for Subacute Pain",
        "3.3.6 Opioids for Chronic Pain and Chronic Opioid Treatment: Use of Urine Drug Testing (UDT)",
        "3.3.7 Opioids for Chronic Pain: Not In The Table",
    ]
    assert c.unknown_sections == ["3.3.7 Opioids for Chronic Pain: Not In The Table"]


def test_page_citations_name_the_sections_the_pages_fall_in() -> None:
    assert page_sections("mtus-chronic-pain-2009", [98, 99]) == ["Physical medicine"]
    assert page_sections("mtus-chronic-pain-2009", [79, 80]) == ["Opioids, criteria for use"]
    assert page_sections("mtus-chronic-pain-2009", [112]) == [
        "Topical analgesics",
        "Topical analgesics, compounded",
    ]
    assert page_sections("mtus-low-back-2004", [300]) == []
    (c,) = cite("Decision based on MTUS Chronic Pain Medical Treatment Guidelines Page(s): 63-66.")
    assert c.page_sections == ["Muscle relaxants (for pain)"]


@pytest.mark.parametrize(
    ("text", "chapter", "sections"),
    [
        (
            "Low Back (Hyperstimulation analgesia)",
            "Low Back - Lumbar & Thoracic (Acute & Chronic)",
            ["Hyperstimulation analgesia"],
        ),
        (
            "Shoulder (Acute & Chronic), Physical Therapy",
            "Shoulder (Acute & Chronic)",
            ["Physical therapy (PT)"],
        ),
        (
            "Official Disability Guidelines (ODG), Knee & Leg, Knee brace",
            "Knee & Leg (Acute & Chronic)",
            ["Knee brace"],
        ),
        (
            "ODG, Pain (Chronic), Opioids, criteria for use; Urine drug testing (UDT)",
            "Pain (Chronic)",
            ["Opioids, criteria for use", "Urine drug testing (UDT)"],
        ),
    ],
)
def test_odg_chapters_and_topics(text: str, chapter: str, sections: list[str]) -> None:
    (c,) = cite(f"Decision based on Non-MTUS Citation {text}.")
    assert c.guideline is GuidelineFamily.ODG and c.guideline_key == "odg"
    assert (c.chapter, c.sections) == (chapter, sections)


def test_one_odg_citation_per_chapter() -> None:
    cites = cite(
        "Decision based on Non-MTUS Citation Official Disability Guidelines, Elbow; Hip & Pelvis, Arthroplasty."
    )
    assert [(c.chapter, c.sections) for c in cites] == [
        ("Elbow (Acute & Chronic)", []),
        ("Hip & Pelvis (Acute & Chronic)", ["Arthroplasty"]),
    ]


def test_an_article_is_still_other() -> None:
    (c,) = cite("Decision based on Non-MTUS Citation Low back pain in adults: a cohort study, 2011.")
    assert c.guideline is GuidelineFamily.OTHER and c.url is None


def test_other_urls_are_absolute_or_null() -> None:
    (c,) = cite(
        "Decision based on Non-MTUS Citation Other Medical Treatment Guidelines www.mdguidelines.com/a/b."
    )
    assert c.guideline is GuidelineFamily.OTHER and c.url == "https://www.mdguidelines.com/a/b"
    assert absolute_url("www.mdguidelines.com") == "https://www.mdguidelines.com"
    assert absolute_url("http://example.org/a-b?c=1.") == "http://example.org/a-b?c=1"
    assert absolute_url("www") is None and absolute_url(None) is None


def test_acoem_chapter_by_number_and_name() -> None:
    (c,) = cite(
        "Decision based on Non-MTUS Citation ACOEM Practice Guidelines, 2nd Edition, Chapter 6, p. 115."
    )
    assert c.chapter == "Pain, Suffering, and the Restoration of Function"
    (d,) = cite(
        "Decision based on Non-MTUS Citation ACOEM, Hand, Wrist, and Forearm Disorders, Surgical Considerations."
    )
    assert (d.chapter, d.sections) == ("Hand, Wrist, and Forearm Disorders", ["Surgical Considerations"])


def test_every_catalog_document_compiles_a_table() -> None:
    chronic = toc("mtus-chronic-pain-2009")
    assert len(chronic.entries) > 80 and toc("mtus-chronic-pain-2016").entries == chronic.entries
    assert {
        "Special Studies",
        "Surgical Considerations",
        "Physical Methods",
        "Summary",
        "Diagnostic Criteria",
    } <= {e.label for e in toc("mtus-shoulder-2004").entries}
    assert len(toc("odg").chapters) >= 15 and len(toc("odg").entries) > 60


def test_section_catalog_rows_link_to_their_pages() -> None:
    rows = {r["name"]: r for r in section_catalog("mtus-chronic-pain-2009")}
    assert rows["Physical medicine"]["pages"] == [98, 99]
    assert rows["Physical medicine"]["url"].endswith("#page=98")
    labels = {
        s
        for c in cite("Decision based on MTUS Low Back Complaints 2004, Section(s): Summary.")
        for s in c.sections
    }
    assert labels <= {r["name"] for r in section_catalog("mtus-low-back-2004")}
    assert "Pain (Chronic)" in chapter_catalog("odg")


def test_a_lower_case_qualifier_after_a_comma_stays_with_its_name() -> None:
    c = mtus("Chronic Pain Medical Treatment 2016", "Opioids, titration by week, Topical analgesics")
    assert c.sections == ["Topical analgesics", "Opioids, titration by week"]
    assert c.unknown_sections == ["Opioids, titration by week"]


def test_odg_product_and_edition_words_are_not_topics() -> None:
    (c,) = cite(
        "Decision based on Non-MTUS Citation ODG-TWC, Treatment Index, 14th Edition (web), Knee & Leg "
        "Procedure Summary, Hyaluronic acid injections."
    )
    assert (c.chapter, c.sections, c.unknown_sections) == (
        "Knee & Leg (Acute & Chronic)",
        ["Hyaluronic acid injections"],
        [],
    )


def _descriptors(key: str, n: int) -> list[str]:
    """Names of the document run together as letters print them, with characters that fold to ASCII
    letters ignoring case (the Kelvin sign, the long s), lone joiners and leading punctuation."""
    t = toc(key)
    words = [a for e in (*t.entries, *t.chapters) for a in e.aliases]
    words += ["\u212anee", "\u017fhoulder", "&", "and", "-", ",", "(", "ODG", "Low Back"]
    rnd = random.Random(len(key))
    return [
        rnd.choice([" ", "", "-", ", ", "; "]).join(rnd.choice(words) for _ in range(rnd.randint(1, 6)))
        for _ in range(n)
    ]


@pytest.mark.parametrize("key", ["odg", "acoem", "mtus-chronic-pain-2016", "mtus-low-back-2004"])
def test_names_matched_by_first_character_as_by_the_whole_regex(key: str) -> None:
    t = toc(key)
    for names in (t.sections, t.chapter_pattern):
        if names is None:
            continue
        for text in _descriptors(key, 150):
            for pos in range(len(text) + 1):
                assert _read(names.match(text, pos)) == _read(names.whole.match(text, pos)), (text, pos)


def _read(m: re.Match[str] | None) -> tuple[tuple[int, int], dict[str, str]] | None:
    """What callers read of a match: its span and the name it matched (the group that took part)."""
    return m and (m.span(), {k: v for k, v in m.groupdict().items() if v is not None})


@pytest.mark.parametrize("key", ["odg", "mtus-chronic-pain-2016"])
def test_typos_read_as_difflib_reads_them_over_every_spelling(key: str) -> None:
    """_misspelt hands get_close_matches only the spellings whose shared characters allow the ratio:
    the answer is the one it gives over every spelling of a length that can be close."""
    t = toc(key)
    spellings = list(t.spellings)
    rnd = random.Random(17)
    for _ in range(600):
        typo = list(rnd.choice(spellings))
        for _ in range(rnd.randint(0, 3)):
            i = rnd.randrange(len(typo))
            typo[i : i + 1] = rnd.choice([[], [rnd.choice("aeiost ")], [typo[i], rnd.choice("aeinrst")]])
        part = "".join(typo)
        cutoff = toc_module._TYPO_CUTOFF
        near = [x for x in spellings if 2.0 * min(len(x), len(part)) / (len(x) + len(part)) >= cutoff]
        close = difflib.get_close_matches(part.lower(), near, n=1, cutoff=cutoff)
        expected = t.spellings[close[0]] if close and len(part) >= 8 else None
        assert toc_module._misspelt(t, part) == expected, part
