"""How many sessions, visits, units or tablets an item asks for ("2x6" = 12, "#60", "six sessions")."""

from __future__ import annotations

import re
from functools import lru_cache

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "sixteen": 16,
    "eighteen": 18,
    "twenty": 20,
    "twenty-four": 24,
    "thirty": 30,
    "once": 1,
    "twice": 2,
}
_NUM = r"(\d{1,3}|" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
_UNIT = r"(?:sessions?|visits?|treatments?|units?|tablets?|tabs?|capsules?|caps?|patch(?:es)?|injections?)"


def _n(token: str) -> int:
    token = token.lower()
    return int(token) if token.isdigit() else WORDS[token]


PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "(12 sessions)", "(4)" spelled out after a frequency: the total wins.
    (re.compile(rf"\(\s*{_NUM}\s*(?:{_UNIT})?\s*\)", re.I), "total"),
    (re.compile(r"#\s?(\d{1,4})\b"), "single"),
    (re.compile(r"\bqty:?\s*(\d{1,4})\b", re.I), "single"),
    # "1-2 times a week for 4 weeks", "2 times a week for 6 weeks", "three times a week over two weeks"
    (
        re.compile(
            rf"\b(?:{_NUM}\s*(?:-|to)\s*)?{_NUM}\s*(?:times?|x|visits?|sessions?)\s*(?:(?:a|per|/)\s*)?(?:week|wk)s?\s*"
            rf"(?:for|over|x|times)\s*{_NUM}\s*(?:weeks?|wks?)",
            re.I,
        ),
        "frequency",
    ),
    (re.compile(rf"\b{_NUM}\s+(?:time\s+)?(?:a|per)\s+week\s+for\s+{_NUM}\s+weeks?", re.I), "weekly"),
    (re.compile(r"\b(\d{1,2})\s*x\s*(\d{1,2})\b", re.I), "product"),
    (re.compile(rf"\b{_NUM}\s+(?:additional\s+)?(?:[a-z-]+\s+){{0,3}}{_UNIT}\b", re.I), "single"),
    (re.compile(rf"\b{_UNIT}\s*(?:x|times)\s*{_NUM}\b", re.I), "single"),
    (re.compile(rf"\bx\s?{_NUM}\b", re.I), "single"),
    # "Chiropractic manipulation times 6", "MRI of the lumbar spine times 1"
    (re.compile(rf"\btimes\s+{_NUM}\b(?!\s*(?:a|per|/)\s*(?:week|day|month))", re.I), "single"),
    # "NCV of the bilateral lower extremities, 2": a count after the last comma
    (re.compile(rf",\s*{_NUM}\s*$", re.I), "single"),
    (re.compile(rf"(?:^|\s){_NUM}\s+[A-Za-z]", re.I), "leading"),
)


# Pure and called on every item and partial-authorization part; item wordings repeat across letters.
@lru_cache(maxsize=16384)
def quantity(item: str) -> int | None:
    """The requested count, or None: doses (10/325mg), weights (240g) and rentals are not counts."""
    text = re.sub(r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|g|gm|ml|cc|%|percent)\b(?:/\w+)?", " ", item, flags=re.I)
    text = re.sub(r"\b\d+\s*/\s*\d+\s*(?:mg)?\b", " ", text)
    text = re.sub(r"\b\d+[-\s]?day\b|\b\d+\s*(?:months?|weeks?)\s+rental\b", " ", text, flags=re.I)
    # Supplies are durations, not counts ("one month supply").
    text = re.sub(rf"\b{_NUM}[-\s]+(?:months?|weeks?|days?)(?:'s)?\s+supply\b", " ", text, flags=re.I)
    refills = re.search(rf"\b{_NUM}\s+refills?\s+of\b", text, re.I)
    tablets = re.search(r"#\s?(\d{1,4})\b", text)
    if refills and tablets:
        # "Two refills of Ibuprofen #90": the refills are what is asked for.
        return _n(refills.group(1)) * int(tablets.group(1))
    text = re.sub(r"\b[LCTS]\d-?[LCTS]?\d\b", " ", text)
    for pattern, kind in PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        if kind == "frequency":
            per_week = _n(m.group(2))
            return per_week * _n(m.group(3))
        if kind == "weekly":
            return _n(m.group(1)) * _n(m.group(2))
        if kind == "product":
            return int(m.group(1)) * int(m.group(2))
        if kind == "leading":
            if m.start() > 0 and kind == "leading":
                continue
            return _n(m.group(1))
        return _n(m.group(1))
    return None
