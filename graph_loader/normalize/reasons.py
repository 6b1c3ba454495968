"""Why a request was denied: a small documented taxonomy, each code with its supporting sentence.

The taxonomy is deliberately small so that counts across hundreds of thousands of letters stay
comparable. Each reason is an anchor (a rare phrase that is cheap to find) and, where the anchor alone
is ambiguous, a context that must occur in the same sentence (usually a negation).
"""

from __future__ import annotations

import re

from graph_loader.models import DenialReason

NEGATION = r"\b(?:no|not|lack|lacks|lacking|absence|absent|without|insufficient|failed to|fails to)\b"

REASONS: tuple[tuple[str, str, str, str | None], ...] = (
    (
        "NO_FUNCTIONAL_IMPROVEMENT",
        "No documented functional improvement from prior treatment",
        r"functional (?:improvement|benefit|gain)",
        NEGATION,
    ),
    (
        "EXCEEDS_GUIDELINE_LIMITS",
        "Exceeds guideline visit, quantity or duration limits",
        r"exceed|in excess of|more than (?:the )?(?:recommended|guideline)",
        r"guideline|recommend|limit|number|allow|visits|sessions|treatments",
    ),
    (
        "BODY_PART_NOT_SPECIFIED",
        "The request does not specify the body part",
        r"body part|(?:does|did) not specify",
        r"not (?:specified|indicated|documented)|specify",
    ),
    (
        "NO_RED_FLAGS",
        "No red flags, nerve compromise or surgical candidacy to justify imaging",
        r"red[- ]flag|nerve (?:root )?compromise|surgical (?:intervention|candida)|consider surgery",
        NEGATION + r"|consider|contemplat",
    ),
    (
        "NO_RATIONALE_FROM_TREATER",
        "The treating physician gives no rationale or treatment plan",
        r"rationale|reasons? for|discussion|explanation",
        NEGATION + r"|does not (?:provide|discuss|explain)",
    ),
    (
        "NOT_RECOMMENDED_BY_GUIDELINE",
        "The guideline does not recommend this treatment",
        r"not recommended|not (?:supported|indicated)|do(?:es)? not (?:recommend|support)|experimental|"
        r"investigational|insufficient evidence",
        None,
    ),
    (
        "FIRST_LINE_NOT_TRIED",
        "First-line or conservative treatment not tried or failed first",
        r"first[- ]line|conservative (?:care|treatment|therapy)|trial(?:ed)? and fail|failed (?:a )?trial",
        NEGATION + r"|prior|failed|trial",
    ),
    (
        "INSUFFICIENT_DOCUMENTATION",
        "The records lack the findings or history the guideline requires",
        r"documentation|documented|records?\b|evidence|objective findings|provided for review",
        NEGATION,
    ),
    (
        "NO_MONITORING_OR_RISK_ASSESSMENT",
        "Missing monitoring required for the drug (opioid 4 A's, UDS, CURES)",
        r"\bCURES\b|urine drug|pain contract|aberrant|four a'?s|4 a'?s|risk of addiction|screening for",
        None,
    ),
    (
        "LONG_TERM_USE_NOT_SUPPORTED",
        "Long-term or continued use beyond the recommended course",
        r"long[- ]term use|chronic use|short[- ]term (?:use|course|treatment)|beyond \d+ (?:weeks|days)|"
        r"more than \d+ (?:weeks|days)",
        None,
    ),
    (
        "ANCILLARY_TO_DENIED_SERVICE",
        "Depends on another service that was denied",
        r"ancillary|associated (?:surgical )?(?:procedure|surgery|service)|"
        r"(?:primary|requested) (?:surgical )?(?:procedure|surgery|intervention)",
        r"not (?:medically necessary|certified)|ancillary",
    ),
)
DESCRIPTIONS = {code: desc for code, desc, _, _ in REASONS}
# Patterns run on lower-cased text without re.I, which is several times faster in Python's re.
_COMPILED = tuple(
    (code, re.compile(anchor.lower()), re.compile(context.lower()) if context else None)
    for code, _, anchor, context in REASONS
)
_COMPILED_I = tuple(
    (code, re.compile(anchor, re.I), re.compile(context, re.I) if context else None)
    for code, _, anchor, context in REASONS
)


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = max(text.rfind(". ", 0, pos), text.rfind("? ", 0, pos))
    start = 0 if start < 0 else start + 2
    end = text.find(". ", pos)
    end = len(text) if end < 0 else end + 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def denial_reasons(rationale: str, offset: int) -> list[DenialReason]:
    """Reason codes with the span (in letter text) of the first sentence that supports each."""
    out: list[tuple[int, DenialReason]] = []
    text = rationale.lower()
    patterns = _COMPILED
    if len(text) != len(rationale):  # a rare character changed length when lower-cased: keep offsets
        text, patterns = rationale, _COMPILED_I
    for code, anchor, context in patterns:
        for m in anchor.finditer(text):
            start, end = _sentence(text, m.start())
            if context is None or context.search(text, start, end):
                out.append((start, DenialReason(code=code, span=(offset + start, offset + end))))
                break
    return [r for _, r in sorted(out, key=lambda x: x[0])]
