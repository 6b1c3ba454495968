"""Why a request was denied: a small documented taxonomy, each code with its supporting sentence.

The taxonomy (docs/denial-reasons.md lists it with examples) is deliberately small so that counts
across hundreds of thousands of letters stay comparable.
"""

from __future__ import annotations

import re

from graph_loader.models import DenialReason

REASONS: tuple[tuple[str, str, str], ...] = (
    (
        "NO_FUNCTIONAL_IMPROVEMENT",
        "No documented functional improvement from prior treatment",
        r"(?:no|lack of|absence of|without|not)\b[^.]{0,80}\b(?:objective\s+)?functional (?:improvement|benefit|gains?)"
        r"|functional (?:improvement|benefit)[^.]{0,60}\bnot (?:been )?documented",
    ),
    (
        "EXCEEDS_GUIDELINE_LIMITS",
        "Exceeds guideline visit, quantity or duration limits",
        r"exceed(?:s|ed|ing)?\b[^.]{0,60}\b(?:guideline|recommend|limit|number|allow)|in excess of|"
        r"more than (?:the )?(?:recommended|guideline)|already (?:had|received|completed)[^.]{0,60}\bsessions",
    ),
    (
        "BODY_PART_NOT_SPECIFIED",
        "The request does not specify the body part",
        r"body part[^.]{0,60}not (?:specified|indicated|documented)|(?:does not|did not) specify[^.]{0,40}"
        r"(?:body|region|area|site)",
    ),
    (
        "NO_RED_FLAGS",
        "No red flags, nerve compromise or surgical candidacy to justify imaging",
        r"red[- ]flag|(?:no|without)[^.]{0,40}(?:specific )?nerve (?:root )?compromise|"
        r"(?:consider|contemplat)[^.]{0,40}surg",
    ),
    (
        "NO_RATIONALE_FROM_TREATER",
        "The treating physician gives no rationale or treatment plan",
        r"(?:no|lack of|without)\b[^.]{0,30}\b(?:clear )?(?:rationale|reason|discussion|explanation|indication)\b"
        r"[^.]{0,60}\b(?:provided|given|documented|request|physician|treater|provider)|"
        r"does not (?:provide|discuss|explain)[^.]{0,40}(?:rationale|reason)|"
        r"treater does not discuss",
    ),
    (
        "NOT_RECOMMENDED_BY_GUIDELINE",
        "The guideline does not recommend this treatment",
        r"\bnot recommended\b|\bnot (?:supported|indicated)\b|do(?:es)? not (?:recommend|support)|"
        r"experimental|investigational|insufficient evidence",
    ),
    (
        "FIRST_LINE_NOT_TRIED",
        "First-line or conservative treatment not tried or failed first",
        r"first[- ]line|(?:trial(?:ed)?|failed|failure)[^.]{0,60}(?:conservative|antidepressants|"
        r"anticonvulsants|other (?:treatment|medication)s?)|conservative (?:care|treatment)[^.]{0,50}"
        r"(?:not|prior)",
    ),
    (
        "INSUFFICIENT_DOCUMENTATION",
        "The records lack the findings or history the guideline requires",
        r"(?:no|lack of|insufficient|absence of|without)\b[^.]{0,20}\b(?:documentation|documented evidence|"
        r"evidence|objective (?:findings|evidence)|records?)\b|not (?:documented|provided for review)|"
        r"was not provided|were not provided",
    ),
    (
        "NO_MONITORING_OR_RISK_ASSESSMENT",
        "Missing monitoring required for the drug (opioid 4 A's, UDS, CURES)",
        r"\bCURES\b|urine drug screen[^.]{0,40}(?:not|no)|pain contract|aberrant|four a'?s|4 a'?s|"
        r"risk of addiction|screening for (?:risk|drug|alcohol)",
    ),
    (
        "LONG_TERM_USE_NOT_SUPPORTED",
        "Long-term or continued use beyond the recommended course",
        r"long[- ]term use|chronic use|short[- ]term (?:use|course|treatment)|beyond \d+ (?:weeks|days)|"
        r"more than \d+ (?:weeks|days)",
    ),
    (
        "ANCILLARY_TO_DENIED_SERVICE",
        "Depends on another service that was denied",
        r"(?:primary|requested|associated) (?:surgical |)(?:procedure|surgery|service|intervention)[^.]{0,40}"
        r"not (?:medically necessary|certified)|ancillary",
    ),
)
DESCRIPTIONS = {code: desc for code, desc, _ in REASONS}
_COMPILED = tuple((code, re.compile(p, re.I)) for code, _, p in REASONS)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)", re.S)


def denial_reasons(rationale: str, offset: int) -> list[DenialReason]:
    """Reason codes with the span (in letter text) of the first sentence that supports each."""
    out: list[DenialReason] = []
    seen: set[str] = set()
    for sentence in _SENTENCE.finditer(rationale):
        text = sentence.group(0)
        for code, pattern in _COMPILED:
            if code not in seen and pattern.search(text):
                seen.add(code)
                start = offset + sentence.start() + (len(text) - len(text.lstrip()))
                out.append(DenialReason(code=code, span=(start, offset + sentence.end())))
    return out
