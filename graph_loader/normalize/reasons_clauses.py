"""The structure of a decision rationale: sentences, their role, and clauses with negation scope.

A rationale interleaves two voices. The guideline voice ("The MTUS recommends ...", quoted passages)
states criteria in general terms and mentions every reason a request *could* fail; the reviewer's voice
("In this case ...", "There is no documentation of ...", "Given ...") applies them to this patient and
gives the reasons that decided it. Reason cues only count in the reviewer's voice, except the few
codes whose reason *is* the guideline's own position (see `reasons.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    CASE = "case"  # the reviewer about this patient, these records, this request
    GUIDELINE = "guideline"  # attributed to a guideline
    QUOTE = "quote"  # inside a quotation (a guideline's or a record's words)
    GENERIC = "generic"  # a general statement with neither marker ("Long-term use is not recommended.")
    BOILERPLATE = "boilerplate"  # fixed notices appended to opioid decisions


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets in the (lower-cased) rationale
    end: int
    role: Role
    clauses: tuple[str, ...]


# A sentence ends at . ? ! (optionally closing a quote or bracket) before white space and a capital,
# a digit or an opening quote; abbreviations common in letters ("e.g.", "Dr.", "pg.") are re-joined.
_BOUNDARY = re.compile(r"[.?!][\"')\]]*\s+(?=[A-Z0-9\"(\[])")
_NO_BREAK_AFTER = re.compile(
    r"(?:\b(?:e\.g|i\.e|dr|pg|vs|no|fig|approx|etc|al|mr|ms|mrs|st|sec)|\b[a-z])\.$", re.I
)

_ATTRIBUTION = re.compile(
    r"\b(?:mtus|acoem|odg|guidelines?|official disability|medicare|fda|literature|studies show)\b"
)
# Markers of the reviewer applying the criteria to this case. Plural "patients" is the guideline's
# generic subject, so only the singular, determined forms count.
_CASE = re.compile(
    r"\b(?:in this case|in the present case|here\b|in this (?:claimant|patient|worker|injured worker)|"
    r"(?:the|this|our) (?:patient|claimant|applicant|injured worker|worker|employee|member)\b|"
    r"(?:he|she|his|her)\b|"
    r"(?:the|this|current|present|original|requested|submitted) (?:request|requests)\b|"
    r"the requested|this request|\brequested\b|"
    r"documentation|documented|records?\b|medical (?:reports?|file)|clinical (?:notes?|information|information)|"
    r"progress notes?|office (?:visit|note)|submitted|provided for review|available for review|"
    r"(?:physical )?exam(?:ination)? (?:findings|revealed|noted|shows?|showed|did)|"
    r"(?:treating|requesting|attending|primary) (?:physician|provider|doctor)|the (?:physician|provider)|"
    r"given (?:the|that|lack|this|these)|therefore|as such|thus|consequently|however|based on|"
    r"there (?:is|was|are|were) (?:no|not|a lack|lack|little|insufficient|nothing)|"
    r"(?:evidence|information) provided)"
)
# After a guideline lead ("The ACOEM Guidelines recommend ... for those with clear examination findings"),
# only these mark the reviewer taking over within the same sentence.
_STRONG_CASE = re.compile(
    r"\b(?:in this case|here\b|(?:the|this) (?:patient|claimant|applicant|injured worker|worker|employee)\b|"
    r"documentation|records?\b|however|the (?:current |original )?request\b|the requested|this request)"
)
_GUIDELINE_LEAD = re.compile(
    r"^(?:pages? [\d-]+(?:, ?[\d-]+)* of |per |according to |as noted (?:on|in) |based on |regarding \w+, )?(?:the )?(?:ca(?:lifornia)?[ -/]|ca-)?"
    r"(?:mtus|acoem|odg|official disability|guidelines?|chronic pain|medicare|american college)"
)
_REVIEWER_LEAD = re.compile(
    r"(?:in this case|in the present case|given (?:the|that|lack)|therefore|as such|thus|based on the "
    r"(?:documentation|records?)|there (?:is|are|was|were) no\b)"
)
_MAX_QUOTE = 12
# The guideline's generic subject ("in patients who do not respond to treatment"): a sentence about
# patients in general is a criterion, not a finding, even without a citation.
_GENERIC_SUBJECT = re.compile(r"\bpatients\b|\bthose (?:with|who)\b|\bindividuals\b")
_BOILERPLATE = re.compile(
    r"this decision addresses the medical necessity|should not be interpreted as a recommendation|"
    r"advised to (?:speak|consult)|tapering opioids"
)

# Clause boundaries: the scope of a negation ends at a contrast, a semicolon, or a new finite clause.
_CLAUSE = re.compile(
    r";|:|\(|\)|,?\s+\b(?:but|however|yet(?! to)|although|though|whereas|while|whereby)\b|,\s+which\b|"
    r",\s+(?:as|since|because)\s+|\s+and\s+(?=there (?:is|was|are|were)|it is|this is|he |she |no )|,\s+(?=the request)"
)


def _role(sentence: str, quoted: bool) -> Role:
    if _BOILERPLATE.search(sentence):
        return Role.BOILERPLATE
    if quoted:
        return Role.QUOTE
    case = _CASE.search(sentence) is not None
    attributed = _ATTRIBUTION.search(sentence) is not None
    if case and not _GUIDELINE_LEAD.match(sentence):
        return Role.CASE
    if case and attributed:
        # "Per the MTUS, ... in this case ..." sentences: a strong case marker after the citation wins.
        m = _STRONG_CASE.search(sentence, len(sentence) // 3)
        return Role.CASE if m else Role.GUIDELINE
    if attributed or _GENERIC_SUBJECT.search(sentence):
        return Role.GUIDELINE
    return Role.CASE if case else Role.GENERIC


def _spans(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.start() + 1
        if _NO_BREAK_AFTER.search(text, max(start, end - 8), end):
            continue
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def sentences(original: str, text: str) -> list[Sentence]:
    """Sentences of a rationale (boundaries need its capitals) read in `text`, its lower-cased copy
    of the same length; offsets and clauses refer to `text`."""
    out: list[Sentence] = []
    quotes = run = 0
    for start, end in _spans(original):
        s = text[start:end].strip()
        lead = len(text[start:end]) - len(text[start:end].lstrip())
        end = start + len(text[start:end].rstrip())
        n = s.count('"')
        # Inside a quotation when an odd number of quote marks precede the sentence, or the sentence
        # opens with one: the guideline's words, whoever's sentence it ends in.
        quoted = quotes % 2 == 1 or (s.startswith('"') and n >= 1)
        if quoted and (_REVIEWER_LEAD.match(s) or run > _MAX_QUOTE):
            # A quotation left open (a typo, a dropped mark) must not swallow the reviewer's conclusion.
            quoted, quotes = False, 0
        run = run + 1 if quoted else 0
        quotes += n
        clauses = tuple(c.strip() for c in _CLAUSE.split(s) if c and c.strip())
        out.append(Sentence(start + lead, end, _role(s, quoted), clauses))
    return out
