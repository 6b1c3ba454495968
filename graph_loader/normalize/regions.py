"""Body regions named in an item, to a fixed vocabulary."""

from __future__ import annotations

import re

# Order matters only for output order; every pattern is tried.
REGION_PATTERNS: tuple[tuple[str, str], ...] = (
    ("cervical spine", r"\bcervical\b|\bneck\b|\bc-?spine\b|\bc\d-c?\d\b"),
    ("thoracic spine", r"\bthoracic\b|\bthorax\b|\bt-?spine\b|\bmid[- ]back\b|\bupper back\b"),
    ("lumbar spine", r"\blumbar\b|\blumbosacral\b|\blow(?:er)? back\b|\bl-?spine\b|\bl\d-[ls]?\d\b|\bsacr"),
    ("shoulder", r"\bshoulders?\b|\brotator cuff\b"),
    ("elbow", r"\belbows?\b"),
    ("wrist", r"\bwrists?\b"),
    ("hand", r"\bhands?\b|\bfingers?\b|\bthumbs?\b"),
    ("hip", r"\bhips?\b"),
    ("knee", r"\bknees?\b"),
    ("ankle", r"\bankles?\b"),
    ("foot", r"\bfeet\b|\bfoot\b|\btoes?\b"),
    ("lower leg", r"\blower legs?\b|\bcalf\b|\bcalves\b"),
    ("upper extremity", r"\bupper extremit(?:y|ies)\b|\bRUE\b|\bLUE\b|\bBUE\b|\barms?\b"),
    ("lower extremity", r"\blower extremit(?:y|ies)\b|\bRLE\b|\bLLE\b|\bBLE\b|\blegs?\b"),
    ("head", r"\bhead\b"),
    ("brain", r"\bbrain(?:stem)?\b"),
    ("abdomen", r"\babdom"),
    ("pelvis", r"\bpelvi"),
)
_COMPILED = tuple((name, re.compile(p, re.I)) for name, p in REGION_PATTERNS)


def body_regions(item: str) -> list[str]:
    text = item.replace("/", " / ")
    found = [name for name, pattern in _COMPILED if pattern.search(text)]
    if "lower leg" in found and "lower extremity" in found and not re.search(r"extremit", item, re.I):
        found.remove("lower extremity")
    return found
