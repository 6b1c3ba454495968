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
    "documents": re.compile(
        r"^(?:DOCUMENTS REVIEWED\b|[ \t]*Documents\s+Reviewed\s+for\s+Decision\s*:).*$", re.M
    ),
    # The 2013 layout: the decision paragraph and restated list, then one "N) Regarding the request
    # for X:" block per item after the documents list.
    "decision": re.compile(r"^[ \t]*INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE\b.*$", re.M),
    "regarding": re.compile(r"^[ \t]*\d{1,2}\s*[).]\s*Regarding\s+the\s+request\s+for\b", re.M | re.I),
    "issues": re.compile(
        r"^(?:IMR ISSUES,? DECISIONS,? AND RATIONALES|IMR DECISION\(S\) AND RATIONALE\(S\)|"
        r"IMR ISSUES AND RATIONALES|ISSUES? AT DISPUTE)\b.*$",
        re.M | re.I,
    ),
    "qualifications": re.compile(r"^MEDICAL QUALIFICATIONS OF (?:THE )?EXPERT REVIEWER\b.*$", re.M | re.I),
}


@dataclass(frozen=True)
class Block:
    start: int
    end: int


@dataclass(frozen=True)
class Structure:
    layout: str
    sections: dict[str, Block]


LAYOUTS = (
    (
        "notice-2013",
        re.compile(
            r"Notice of Independent Medical Review Determination|has determined the "
            r"request for",
            re.I,
        ),
    ),
    ("professional-review", re.compile(r"MEDICAL PROFESSIONAL REVIEW|ISSUE AT DISPUTE\s*:", re.I)),
    ("documents-reviewed", re.compile(r"IMR DECISION\(S\) AND RATIONALE\(S\)", re.I)),
)


def detect_layout(text: str) -> str:
    has_header = re.search(r"^Case Number\s*:", text[:600], re.M | re.I) is not None
    if re.search(r"^IMR ISSUES,? DECISIONS,? AND RATIONALES", text, re.M | re.I) and re.search(
        r"(?:Claims Administrator|MAXIMUS) guideline\s*:", text, re.I
    ):
        return "header-2016" if has_header else "body-2014"
    for name, pattern in LAYOUTS:
        if pattern.search(text):
            return name
    if has_header or re.search(r"^HOW THE IMR FINAL DETERMINATION WAS MADE", text, re.M):
        return "header-2016" if has_header else "body-2014"
    return "unknown"


def find_sections(text: str) -> dict[str, Block]:
    starts = sorted(
        (m.start(), m.end(), name)
        for name, pattern in SECTION_HEADINGS.items()
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
    return Structure(layout=detect_layout(text), sections=find_sections(text))
