"""Find the structure of a letter first (layout, header fields, sections), so that the small field
regexes run only inside the block they belong to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph_loader.text.literal_index import LiteralIndex, Prefiltered

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
# only tried at the starts of the lines where one occurs (graph_loader.text.literal_index). The
# strings of a case-insensitive heading are compared ignoring ASCII case, in ASCII letters only.
PREFILTERS: dict[re.Pattern[str], Prefiltered] = {
    pattern: Prefiltered(pattern, literals, at_line_start=True)
    for pattern, literals in (
        (SECTION_HEADINGS["how"], ("HOW THE IMR FINAL DETERMINATION WAS MADE",)),
        (SECTION_HEADINGS["summary"], ("case summary",)),
        (SECTION_HEADINGS["documents"], ("DOCUMENTS REVIEWED",)),
        (SECTION_HEADINGS["issues"], ("imr issues", "imr decision(s) and rationale(s)", "at dispute")),
        (SECTION_HEADINGS["qualifications"], ("medical qualifications of",)),
        (ISSUES_2014, ("imr issues",)),
    )
}
GUIDELINE_WORDS = LiteralIndex(("claims administrator guideline", "maximus guideline"))


def _search(text: str, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """`pattern.search(text)`, tried only at the line starts its prefilter allows."""
    rule = PREFILTERS.get(pattern)
    return pattern.search(text) if rule is None else rule.search(text)


def detect_layout(text: str, lowered: str | None = None) -> str:
    lowered = text.lower() if lowered is None else lowered
    has_header = HEADER_CASE_NUMBER.search(lowered, 0, 600) is not None
    if _search(lowered, ISSUES_2014) and any(
        GUIDELINE_LINE.match(lowered, i) for i in GUIDELINE_WORDS.starts(lowered)
    ):
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
        for m in [_search(text, pattern)]
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
