"""Find the structure of a letter first (layout, header fields, sections), so that the small field
regexes run only inside the block they belong to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph_loader.extract.scan import word_positions

SECTION_HEADINGS = {
    "how": re.compile(r"^HOW THE IMR FINAL DETERMINATION WAS MADE\b.*$", re.M),
    "summary": re.compile(
        r"^(?:CLINICAL CASE SUMMARY|Expert Reviewer Case Summary|CASE SUMMARY)\b.*$", re.M | re.I
    ),
    "documents": re.compile(r"^DOCUMENTS REVIEWED\b.*$", re.M),
    "issues": re.compile(
        r"^(?:IMR ISSUES,? DECISIONS,? AND RATIONALES|IMR DECISION\(S\) AND RATIONALE\(S\)|"
        r"IMR ISSUES AND RATIONALES|ISSUES? AT DISPUTE)\b.*$",
        re.M | re.I,
    ),
    "qualifications": re.compile(r"^MEDICAL QUALIFICATIONS OF (?:THE )?EXPERT REVIEWER\b.*$", re.M | re.I),
}


# The 2013 layout's own headings, searched only in letters of that layout (each is a full-text scan): the
# decision paragraph with the restated list, the documents list, then one "N) Regarding the request for
# X:" block per item.
NOTICE_2013_HEADINGS = {
    "decision": re.compile(r"^[ \t]*INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE\b.*$", re.M),
    "documents": re.compile(
        r"^(?:DOCUMENTS REVIEWED\b|[ \t]*Documents\s+Reviewed\s+for\s+Decision\s*:).*$", re.M | re.I
    ),
    "regarding": re.compile(r"^[ \t]*\d{1,2}\s*[).]\s*Regarding\s+the\s+request\s+for\b", re.M | re.I),
}


@dataclass(frozen=True)
class Block:
    start: int
    end: int


@dataclass(frozen=True)
class Structure:
    layout: str
    sections: dict[str, Block]


# Detection only asks whether a pattern occurs, so it runs case-sensitive patterns over one lower-cased
# copy of the letter: re.I scans cost several times more, and this runs on every letter.
LAYOUTS = (
    (
        "notice-2013",
        re.compile(
            r"notice of independent medical review determination|has\s*determined\s*the\s*request\s*for"
        ),
    ),
    ("professional-review", re.compile(r"medical professional review|issue at dispute\s*:")),
    ("documents-reviewed", re.compile(r"imr decision\(s\) and rationale\(s\)")),
)
HEADER_CASE_NUMBER = re.compile(r"^case number\s*:", re.M)
ISSUES_2014 = re.compile(r"^imr issues,? decisions,? and rationales", re.M)
GUIDELINE_LINE = re.compile(r"(?:claims administrator|maximus) guideline\s*:")
HOW_HEADING = re.compile(r"^HOW THE IMR FINAL DETERMINATION WAS MADE", re.M)


# Literal prefilters: every match of these headings starts at a line start (`^`) and holds one of
# these strings on that first line (the patterns' spaces are literal, never `\s`), so the pattern is
# only tried at the starts of the lines where one occurs. Lower-case literals are looked up in the
# lower-cased letter (ASCII letters only, see graph_loader.extract.scan).
PREFILTERS: dict[re.Pattern[str], tuple[bool, tuple[str, ...]]] = {
    SECTION_HEADINGS["how"]: (True, ("HOW THE IMR FINAL DETERMINATION WAS MADE",)),
    SECTION_HEADINGS["summary"]: (False, ("case summary",)),
    SECTION_HEADINGS["documents"]: (True, ("DOCUMENTS REVIEWED",)),
    SECTION_HEADINGS["issues"]: (False, ("imr issues", "imr decision(s) and rationale(s)", "at dispute")),
    SECTION_HEADINGS["qualifications"]: (False, ("medical qualifications of",)),
    ISSUES_2014: (False, ("imr issues",)),
}
GUIDELINE_WORDS = ("claims administrator guideline", "maximus guideline")


def _search(text: str, lowered: str | None, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """`pattern.search(text)`, tried only at the line starts its prefilter allows."""
    rule = PREFILTERS.get(pattern)
    if rule is None or (not rule[0] and lowered is None):
        return pattern.search(text)
    case_sensitive, literals = rule
    haystack = text if case_sensitive else lowered
    assert haystack is not None
    starts = {text.rfind("\n", 0, i) + 1 for i in word_positions(haystack, literals)}
    for start in sorted(starts):
        m = pattern.match(text, start)
        if m:
            return m
    return None


def detect_layout(text: str, lowered: str | None = None) -> str:
    lowered = text.lower() if lowered is None else lowered
    has_header = HEADER_CASE_NUMBER.search(lowered, 0, 600) is not None
    if _search(lowered, lowered, ISSUES_2014) and any(
        GUIDELINE_LINE.match(lowered, i) for i in word_positions(lowered, GUIDELINE_WORDS)
    ):
        return "header-2016" if has_header else "body-2014"
    for name, pattern in LAYOUTS:
        if pattern.search(lowered):
            return name
    if has_header or HOW_HEADING.search(text):
        return "header-2016" if has_header else "body-2014"
    return "unknown"


def find_sections(text: str, layout: str = "", lowered: str | None = None) -> dict[str, Block]:
    headings = SECTION_HEADINGS | NOTICE_2013_HEADINGS if layout == "notice-2013" else SECTION_HEADINGS
    if lowered is None or not text.isascii():
        lowered = None
    starts = sorted(
        (m.start(), m.end(), name)
        for name, pattern in headings.items()
        for m in [_search(text, lowered, pattern)]
        if m is not None
    )
    sections: dict[str, Block] = {}
    for i, (_, body_start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        sections[name] = Block(body_start, end)
    if starts:
        sections["preamble"] = Block(0, starts[0][0])
    else:
        sections["preamble"] = Block(0, len(text))
    return sections


def analyze(text: str) -> Structure:
    # One lower-cased copy serves the layout test and the section prefilters.
    lowered = text.lower()
    layout = detect_layout(text, lowered)
    return Structure(layout=layout, sections=find_sections(text, layout, lowered))
