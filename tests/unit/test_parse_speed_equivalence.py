"""The speed-ups give what the plain scans give: each prefiltered search is checked against the
`finditer` / `search` it replaces, on the shared real letters and on made-up text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_loader.extract import decisions, fields, layout
from graph_loader.extract.letter import parse_text
from graph_loader.extract.source import normalize_text, read_letter_text
from graph_loader.models import CitedBy
from graph_loader.normalize.citations.resolve import parse_guideline_text
from graph_loader.normalize.treatments.classify import classify_treatment
from graph_loader.text.literal_index import Prefiltered
from tests.helpers import SAMPLES

MADE_UP = [
    "Claims Administrator guideline: MTUS page 98.\nMAXIMUS guideline:\nDecision rationale: ODG pages 1-3",
    "x Decision rationale: not at a line start\nDECISION RATIONALE : at one\n",
    "The MTUS Chronic Pain guidelines, pages 98 and 99; acoem page 12; Official Disability Guidelines p. 4",
    "mtusmtus pages 9 ODG-TWC pg. 7 \u212aelvin MTUS page 3",  # non-ASCII: the plain scan is used
    "She was treated for lumbar strain; this treated for x; undergoing  treatment for neck pain. "
    "Diagnoses include: cervical HNP. Comorbid diagnosis of diabetes. Impressions include: sprain. "
    "He filed a claim for knee pain",
    "CASE SUMMARY in a sentence\nclinical case summary\nIMR ISSUES AND RATIONALES x\n"
    "MEDICAL QUALIFICATIONS OF THE EXPERT REVIEWER:\nHOW THE IMR FINAL DETERMINATION WAS MADE\n"
    "issues at dispute\nDOCUMENTS REVIEWED\n",
]


def _letters(shared: Path | None) -> list[str]:
    texts = [normalize_text(read_letter_text(p)) for p in sorted(SAMPLES.glob("*.txt"))]
    if shared is not None:
        texts += [
            normalize_text(read_letter_text(p)) for p in sorted((shared / "letters" / "dev").glob("*.txt"))
        ]
    return texts + MADE_UP


def _spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


def _check(text: str) -> None:
    for scan in (decisions.ANCHORS, decisions.MENTIONS):
        for start in (0, len(text) // 3):
            got = scan.finditer(text, start, len(text))
            assert _spans(got) == _spans(scan.pattern.finditer(text, start, len(text)))
    low = text.lower()
    assert _spans(fields._triggers(low)) == _spans(fields.TRIGGERS.finditer(low))
    for pattern in layout.PREFILTERS:
        for haystack in (text, low):
            got = layout._search(haystack, pattern)
            want = pattern.search(haystack)
            assert (got and got.span()) == (want and want.span()), pattern.pattern


def test_prefiltered_scans_equal_plain_scans_on_letters(shared_dir: Path) -> None:
    for text in _letters(shared_dir):
        _check(text)


def test_prefiltered_scans_equal_plain_scans_without_shared_letters() -> None:
    for text in _letters(None):
        _check(text)


WORDS = st.sampled_from(
    [
        "MTUS",
        "mtus",
        "ACOEM",
        "odg",
        "pages",
        "page",
        "12",
        "98",
        "Chronic Pain Treatment Guidelines",
        "Decision rationale",
        "MAXIMUS guideline",
        ":",
        "\n",
        " ",
        "-",
        "-\n",
        ".",
        "diagnosed",
        "with",
        "was",
        "treated",
        "for",
        "treatment",
        "under",
        "includes",
        "Case Summary",
        "\u212a",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=40))
def test_prefiltered_scans_equal_plain_scans_on_word_salad(words: list[str]) -> None:
    _check("".join(words))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x85\u00a0\u2028ab-", max_size=30))
def test_flat_equals_the_regex_form(text: str) -> None:
    assert decisions.flat(text) == re.sub(r"\s+", " ", re.sub(r"(?<=\w)-\n(?=\w)", "-", text)).strip()


def test_memoized_citations_are_fresh_per_call() -> None:
    line = "MTUS Chronic Pain Medical Treatment 2016, Section(s): Opioids, criteria for use, page 78"
    a = parse_guideline_text(line, CitedBy.CLAIMS_ADMINISTRATOR, (10, 20))
    b = parse_guideline_text(line, CitedBy.IMR_REVIEWER, (30, 40))
    assert a and len(a) == len(b)
    assert [(c.by, c.span) for c in a] == [(CitedBy.CLAIMS_ADMINISTRATOR, (10, 20))] * len(a)
    assert [(c.by, c.span) for c in b] == [(CitedBy.IMR_REVIEWER, (30, 40))] * len(b)
    assert [c.model_dump(exclude={"by", "span"}) for c in a] == [
        c.model_dump(exclude={"by", "span"}) for c in b
    ]
    a[0].pages.append(9999)
    again = parse_guideline_text(line, CitedBy.IMR_REVIEWER, (30, 40))
    assert 9999 not in again[0].pages and again[0] is not b[0]


def test_memoized_treatments_repeat_their_warnings_and_are_fresh() -> None:
    first: list[str] = []
    second: list[str] = []
    t1 = classify_treatment("Zorblax 20mg #30", first)
    t2 = classify_treatment("Zorblax 20mg #30", second)
    assert first and first == second
    assert t1 == t2 and t1 is not t2


def test_memoized_drugs_share_nothing_a_caller_could_change() -> None:
    """The drug's lists and maps are copied field by field; a field added to Drug must be too."""
    t1 = classify_treatment("Norco 10/325mg #60")
    assert t1.drug is not None and t1.drug.ingredients and t1.drug.ids
    t1.drug.ingredients.append("changed")
    for refs in t1.drug.ids.values():
        refs["drugbank"] = "changed"
    t1.drug.ids["changed"] = {}
    t2 = classify_treatment("Norco 10/325mg #60")
    assert t2.drug is not None and t2.drug is not t1.drug
    assert "changed" not in t2.drug.ingredients and "changed" not in t2.drug.ids
    assert all(refs.get("drugbank") != "changed" for refs in t2.drug.ids.values())
    mutable = {name for name, value in t2.drug if isinstance(value, (list, dict, set))}
    assert mutable == {"ingredients", "ids"}, "copy the new field in classify_treatment"


def test_parsing_twice_gives_the_same_letter() -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        raw = read_letter_text(path)
        assert parse_text(raw, str(path)).model_dump_json() == parse_text(raw, str(path)).model_dump_json()


SCANS = [decisions.ANCHORS, decisions.MENTIONS, *layout.PREFILTERS.values()]


@pytest.mark.parametrize("scan", SCANS, ids=[s.pattern.pattern[:40] for s in SCANS])
def test_prefiltered_scans_equal_plain_scans_on_generated_matches(scan: Prefiltered) -> None:
    # Matches generated from the regex itself, with text around them: each must be found by its literals.
    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(scan.pattern), st.integers(0, 5))
    def check(text: str, start: int) -> None:
        assert _spans(scan.finditer(text, start)) == _spans(scan.pattern.finditer(text, start))

    check()


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.from_regex(fields.TRIGGERS))
def test_triggers_equal_the_plain_scan_on_generated_matches(text: str) -> None:
    assert _spans(fields._triggers(text)) == _spans(fields.TRIGGERS.finditer(text))
