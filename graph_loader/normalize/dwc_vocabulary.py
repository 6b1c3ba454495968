"""DWC's own labels of a request (its IMR decision search's "Request Category" and "Request Decision"
cells, kept in the fetcher's dwc-rows.jsonl) turned into the parser's vocabulary, so that the two
readings of a letter compare as equal values.

DWC's category names are matched by their words (a plural "s" allowed), case-insensitively, in the
order of CATEGORY_WORDS: the first entry with a word in the name wins ("Durable Medical Equipment" is
DME before anything else). A name that matches no entry stays as DWC prints it, so it shows as a
disagreement rather than as a guess.
"""

from __future__ import annotations

import re

from graph_loader.models import Category, DwcOutcome

# (words of DWC's category name, the parser's category). DWC's categories as its search and its IMR
# reports name them: Pharmaceuticals, Diagnostic Testing, Durable Medical Equipment (DME), Evaluation &
# Management (E&M), Injections, Surgery, Rehabilitation (PT/OT, chiropractic, acupuncture), Programs,
# Mental Health / Behavioral Health, Home Health Services, Transportation.
CATEGORY_WORDS: tuple[tuple[tuple[str, ...], Category], ...] = (
    (("pharmaceutical", "pharmacy", "drug", "medication"), Category.PHARMACEUTICAL),
    (("durable", "dme", "equipment", "supplies", "orthotic", "prosthetic"), Category.DME),
    (("diagnostic", "imaging", "laboratory", "test", "testing"), Category.DIAGNOSTIC),
    (
        ("evaluation", "management", "e&m", "consultation", "referral", "office visit"),
        Category.EVALUATION_AND_MANAGEMENT,
    ),
    (("injection", "injections", "block", "blocks"), Category.INJECTION),
    (("surgery", "surgical", "procedure"), Category.SURGERY),
    (
        (
            "rehabilitation",
            "physical therapy",
            "occupational therapy",
            "chiropractic",
            "acupuncture",
            "physical medicine",
        ),
        Category.PHYSICAL_MEDICINE,
    ),
    (("mental", "behavioral", "psychological", "psychotherapy", "psychiatric"), Category.BEHAVIORAL_HEALTH),
    (("program", "programs", "functional restoration"), Category.PROGRAM),
    (("home health", "home care", "nursing"), Category.HOME_HEALTH),
    (("transportation", "transport"), Category.TRANSPORTATION),
)
_CATEGORY_PATTERNS = tuple(
    (re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(w) for w in words) + r")s?(?![a-z])"), category)
    for words, category in CATEGORY_WORDS
)
# DWC's spellings of a request decision: its search's form values ("Uphold", "Overturn", "Partial
# Overturn") and the past-tense forms its pages print.
OUTCOMES = {
    "uphold": DwcOutcome.UPHELD,
    "upheld": DwcOutcome.UPHELD,
    "overturn": DwcOutcome.OVERTURNED,
    "overturned": DwcOutcome.OVERTURNED,
    "partial overturn": DwcOutcome.PARTIALLY_OVERTURNED,
    "partially overturned": DwcOutcome.PARTIALLY_OVERTURNED,
    "partial overturned": DwcOutcome.PARTIALLY_OVERTURNED,
}


def category(printed: str | None) -> str | None:
    """DWC's category name as the parser's category value, else as printed; None when blank."""
    name = " ".join((printed or "").split())
    if not name:
        return None
    lowered = name.lower()
    for pattern, value in _CATEGORY_PATTERNS:
        if pattern.search(lowered):
            return value.value
    return name


def outcome(printed: str | None) -> str | None:
    """DWC's request decision as UPHELD, OVERTURNED or PARTIALLY_OVERTURNED, else as printed."""
    name = " ".join((printed or "").split())
    if not name:
        return None
    known = OUTCOMES.get(name.lower())
    return known.value if known else name
