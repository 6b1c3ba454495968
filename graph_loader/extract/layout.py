"""Find the structure of a letter first (layout, header fields, sections), so that the small field
regexes run only inside the block they belong to."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


def detect_layout(text: str) -> str:
    lowered = text.lower()
    has_header = HEADER_CASE_NUMBER.search(lowered, 0, 600) is not None
    if ISSUES_2014.search(lowered) and GUIDELINE_LINE.search(lowered):
        return "header-2016" if has_header else "body-2014"
    for name, pattern in LAYOUTS:
        if pattern.search(lowered):
            return name
    if has_header or HOW_HEADING.search(text):
        return "header-2016" if has_header else "body-2014"
    return "unknown"


def find_sections(text: str, layout: str = "") -> dict[str, Block]:
    headings = SECTION_HEADINGS | NOTICE_2013_HEADINGS if layout == "notice-2013" else SECTION_HEADINGS
    starts = sorted(
        (m.start(), m.end(), name)
        for name, pattern in headings.items()
        for m in [pattern.search(text)]
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
    layout = detect_layout(text)
    return Structure(layout=layout, sections=find_sections(text, layout))
