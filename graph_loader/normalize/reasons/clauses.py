"""The structure of a decision rationale: sentences, their role, and clauses with negation scope.

A rationale interleaves two voices. The guideline voice ("The MTUS recommends ...", quoted passages)
states criteria in general terms and mentions every reason a request *could* fail; the reviewer's voice
("In this case ...", "There is no documentation of ...", "Given ...") applies them to this patient and
gives the reasons that decided it. Reason cues only count in the reviewer's voice, except the few
codes whose reason *is* the guideline's own position (see `reasons.py`).
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple

from graph_loader.normalize.reasons.cues import Cue, Hits, Lexicon


class Role(Enum):
    # The reviewer's own sentence: about this patient, these records, this request, or a general
    # statement naming no guideline ("Long-term use is not recommended.").
    CASE = "case"
    GUIDELINE = "guideline"  # attributed to a guideline, or about patients in general
    QUOTE = "quote"  # inside a quotation (a guideline's or a record's words), or the UR's reasons restated
    BOILERPLATE = "boilerplate"  # fixed notices appended to opioid decisions


class Sentence(NamedTuple):
    start: int  # offsets in the (lower-cased) rationale
    end: int
    role: Role
    hits: Hits  # where the lexicon's literals start in this sentence
    mask: int  # the OR of the lexicon's group bits of those literals


# A sentence ends at . ? ! (optionally closing a quote or bracket) before white space and a capital,
# a digit or an opening quote; abbreviations common in letters ("e.g.", "Dr.", "pg.") are re-joined.
_BOUNDARY = re.compile(r"[.?!][\"')\]]*(\s+)(?=[A-Z0-9\"(\[])")
_NO_BREAK_AFTER = re.compile(
    r"(?:\b(?:e\.g|i\.e|dr|pg|vs|no|fig|approx|etc|al|mr|ms|mrs|st|sec)|\b[a-z])\.$", re.I
)

_ATTRIBUTION = Cue(
    r"\b(?:mtus|acoem|odg|guidelines?|official disability|medicare|fda|literature|studies show)\b",
    starts="acoem|fda|guideline|literature|medicare|mtus|odg|official disability|studies show",
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
    r"exam(?:ination)? (?:findings|revealed|noted|shows?|showed|did)|"
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
# A criterion's wording ("... without documentation of ...", "the patient should have ..."): after a
# guideline lead, only a marker that turns to this case ("however", "in this case") outweighs it.
_CRITERION = re.compile(
    r"\b(?:should|must|requires?|required|need to|needs to|without|unless|if|when|prior to|before)\b"
)
_TURN = re.compile(r"\b(?:in this case|in the present case|here\b|however)")
_GUIDELINE_LEAD = re.compile(  # used with match() at the sentence start
    r"(?:pages? [\d-]+(?:, ?[\d-]+)* of |per |according to |as noted (?:on|in) |based on |regarding \w+, )?(?:the )?(?:ca(?:lifornia)?[ -/]|ca-)?"
    r"(?:mtus|acoem|odg|official disability|guidelines?|chronic pain|medicare|american college)"
)
_REVIEWER_LEAD = re.compile(
    r"(?:in this case|in the present case|given (?:the|that|lack)|therefore|as such|thus|based on the "
    r"(?:documentation|records?)|there (?:is|are|was|were) no\b)"
)
_MAX_QUOTE = 12
# The guideline's generic subject ("in patients who do not respond to treatment"): a sentence about
# patients in general is a criterion, not a finding, even without a citation.
_GENERIC_SUBJECT = Cue(
    r"\bpatients\b|\bthose (?:with|who)\b|\bindividuals\b", starts="individuals|patients|those "
)
# The utilization review's reasons, restated: what the earlier reviewer found, not this reviewer.
_PRIOR_REVIEW = Cue(
    r"utilization review|\bur\b|(?:prior|previous|initial|original) (?:utilization )?review|"
    r"(?:peer|ur) reviewer|non-?certif\w*|noncertif\w*",
    starts="initial |non|noncertif|original |peer |previous |prior |ur|utilization review",
)
_BOILERPLATE = Cue(
    r"this decision addresses the medical necessity|should not be interpreted as a recommendation|"
    r"advised to (?:speak|consult)|tapering opioids",
    starts="advised to |should not be interpreted as a recommendation|tapering opioids|this decision addresses the medical necessity",
)

# Tried only where its literals start (the text has single spaces: letters are normalized and line
# breaks replaced).
_CONTRAST = r"(?:but|however|yet(?! to)|although|though|whereas|while|whereby)\b"
_CLAUSE = re.compile(
    rf";|:|\(|\)|, {_CONTRAST}| {_CONTRAST}|, which\b|, (?:as|since|because) |"
    r" and (?=there (?:is|was|are|were)|it is|this is|he |she |no )|, (?=the request)"
)

ROLE_CUES = (
    _ATTRIBUTION,
    _PRIOR_REVIEW,
    _GENERIC_SUBJECT,
    _BOILERPLATE,
)  # a Lexicon for `sentences` has these
_ROLE_LEXICON = Lexicon(ROLE_CUES)

# Clause boundaries: the scope of a negation ends at a contrast, a semicolon, or a new finite clause.


def role(text: str, a: int, b: int, hits: Hits) -> Role:
    if _BOILERPLATE.found(text, hits, a, b):
        return Role.BOILERPLATE
    if _PRIOR_REVIEW.found(text, hits, a, b):
        return Role.QUOTE
    attributed = _ATTRIBUTION.found(text, hits, a, b)
    if not attributed and not _GENERIC_SUBJECT.found(text, hits, a, b):
        return Role.CASE
    # A guideline named, or patients in general: still the reviewer's when a case marker is there,
    # unless the sentence opens with the guideline ("The ACOEM Guidelines recommend ... for those
    # with clear examination findings"), where only a strong marker after the citation counts, and
    # not in a criterion's wording unless the sentence turns to this case.
    if _CASE.search(text, a, b) is None:
        return Role.GUIDELINE
    if not _GUIDELINE_LEAD.match(text, a, b):
        return Role.CASE
    if (
        attributed
        and _STRONG_CASE.search(text, a + (b - a) // 3, b)
        and (_CRITERION.search(text, a, b) is None or _TURN.search(text, a, b) is not None)
    ):
        return Role.CASE
    return Role.GUIDELINE


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence without the white space around it."""
    out: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for m in _BOUNDARY.finditer(text, start):
        end = m.start() + 1
        if _NO_BREAK_AFTER.search(text, max(start, end - 8), end):
            continue
        out.append((start, m.start(1)))
        start = m.end()
    end = len(text.rstrip())
    if start < end:
        out.append((start, end))
    return out


def clauses(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """(start, end) of the clauses of text[start:end]: the scope of a negation."""
    out: list[tuple[int, int]] = []
    for m in _CLAUSE.finditer(text, start, end):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < end:
        out.append((start, end))
    return tuple((a, b) for a, b in out if text[a:b].strip())


def quoted_spans(original: str, text: str) -> list[tuple[int, int, bool]]:
    """(start, end, inside a quotation) of each sentence of a rationale (boundaries need its capitals),
    offsets in `text`, its lower-cased copy of the same length."""
    out: list[tuple[int, int, bool]] = []
    quotes = run = 0
    for first, end in _spans(original):
        n = text.count('"', first, end)
        # Inside a quotation when an odd number of quote marks precede the sentence, or the sentence
        # opens with one: the guideline's words, whoever's sentence it ends in.
        quoted = quotes % 2 == 1 or (n >= 1 and text.startswith('"', first))
        if quoted and (_REVIEWER_LEAD.match(text, first, end) or run > _MAX_QUOTE):
            # A quotation left open (a typo, a dropped mark) must not swallow the reviewer's conclusion.
            quoted, quotes = False, 0
        run = run + 1 if quoted else 0
        quotes += n
        out.append((first, end, quoted))
    return out


def sentences(original: str, text: str, lexicon: Lexicon | None = None) -> list[Sentence]:
    """Sentences of a rationale (boundaries need its capitals) read in `text`, its lower-cased copy
    of the same length; offsets and clauses refer to `text`. `lexicon` holds at least ROLE_CUES."""
    lexicon = lexicon or _ROLE_LEXICON
    spans = quoted_spans(original, text)
    hits_list, masks = lexicon.scan(text, [(a, b) for a, b, _ in spans])
    # A quotation gives no reason (the reviewer's verdict on it comes in the next sentence).
    return [
        Sentence(a, b, Role.QUOTE if quoted else role(text, a, b, hits), hits, mask)
        for (a, b, quoted), hits, mask in zip(spans, hits_list, masks, strict=True)
    ]
