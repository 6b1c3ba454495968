"""The package's one body-region vocabulary: item regions (`regions.py`), diagnosis regions and the
region words of the ICD-10-CM token index (`icd_index.py`) all read this table.

Each region has the name printed on decisions, the words that name it in letters, and the token the
ICD index uses for it, so that "neck", "cervical" and "C5-6" meet ICD's "at neck level" and
"cervical region" on one token.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import NamedTuple

from graph_loader.text.literal_index import PatternSet


class Region(NamedTuple):
    name: str
    pattern: str  # alternatives, matched at a word start, case-insensitive
    token: str  # the ICD index token
    # Exact words and phrases (lower case) that the ICD tokenizer rewrites to `token`, on letters and
    # descriptions alike; only where the two name a region differently ("lumbar" vs "lower back").
    words: tuple[str, ...] = ()


# Output order is table order. Spinal levels ("L4-5", "C5-C6", "lumbar five") name their spine region.
REGIONS: tuple[Region, ...] = (
    Region(
        "cervical spine",
        r"cervical\b|neck\b|c-?spine\b|c\d(?:-c?\d)?\b|cervicothoracic",
        "cervical",
        ("cervical", "neck", "c-spine", "cervical spine", "neck level"),
    ),
    Region(
        "thoracic spine",
        r"thoracic\b|thorax\b|t-?spine\b|mid[- ]back\b|upper back\b|dorsal spine|t\d{1,2}-t?\d{1,2}\b",
        "thoracic",
        ("thoracic", "thorax", "t-spine", "thoracic spine", "upper back", "mid back", "back wall of thorax"),
    ),
    Region(
        "lumbar spine",
        r"lumbar\b|lumbosacral\b|low(?:er)? back\b|l-?spine\b|l\d(?:-[ls]?\d)?\b|sacr|lumbago",
        "lumbar",
        ("lumbar", "lumbosacral", "l-spine", "lumbar spine", "low back", "lower back", "lumbar region"),
    ),
    Region(
        "shoulder",
        r"shoulders?\b|rotator cuff|acromioclavicular|scapul|clavic",
        "shoulder",
        ("shoulder", "acromioclavicular"),
    ),
    Region("upper arm", r"upper arms?\b|humer", "upperarm"),
    Region("elbow", r"elbows?\b|olecranon|epicondyl", "elbow"),
    Region("forearm", r"forearms?\b|radius\b|ulna\b", "forearm"),
    Region("wrist", r"wrists?\b|carpal\b", "wrist"),
    Region("hand", r"hands?\b|fingers?\b|thumbs?\b|metacarp|interphalangeal", "hand"),
    Region("hip", r"hips?\b", "hip"),
    Region("groin", r"groin", "groin"),
    Region("thigh", r"thighs?\b|femur|femoral", "thigh"),
    Region("knee", r"knees?\b|patell|menisc", "knee"),
    Region("lower leg", r"lower legs?\b|calf\b|calves\b|tibia|fibula", "lowerleg"),
    Region("ankle", r"ankles?\b", "ankle"),
    Region("foot", r"feet\b|foot\b|toes?\b|metatars|calcane|plantar", "foot"),
    Region(
        "upper extremity",
        r"upper extremit(?:y|ies)\b|rue\b|lue\b|bue\b|arms?\b|upper limbs?\b",
        "arm",
        ("upper extremity", "upper extremities", "upper limb", "upper limbs"),
    ),
    Region(
        "lower extremity",
        r"lower extremit(?:y|ies)\b|rle\b|lle\b|ble\b|legs?\b|lower limbs?\b",
        "leg",
        ("lower extremity", "lower extremities", "lower limb", "lower limbs"),
    ),
    Region("chest", r"chest\b|ribs?\b|stern", "chest", ("chest", "chest wall", "front wall of thorax")),
    Region("head", r"head\b|scalp\b|skull\b", "head"),
    Region("face", r"face\b|facial\b", "face"),
    Region("brain", r"brain(?:stem)?\b", "brain"),
    Region("abdomen", r"abdom", "abdomen"),
    Region("pelvis", r"pelvi", "pelvis"),
)
_COMPILED = tuple((r.name, re.compile(rf"\b(?:{r.pattern})", re.I)) for r in REGIONS)
_NAMES = tuple(r.name for r in REGIONS)


@cache
def pattern_set() -> PatternSet:
    return PatternSet(tuple(pattern for _, pattern in _COMPILED))


@lru_cache(maxsize=65536)
def find_regions(text: str) -> tuple[str, ...]:
    """Every region named in text, in table order."""
    # Read as one scan of all the regions' patterns would read it: the first alternative matching at
    # the leftmost position, the scan going on from that match's end. A region that cannot match
    # anywhere in the text (the pattern set's one pass says which can) changes nothing in that
    # reading, so only the others are searched. Each is searched alone and searched again only once
    # a match has run past its next start: no alternation is compiled for the candidates a text
    # happens to have (compiling one took longer than a new letter's whole reading of its regions).
    candidates = pattern_set().candidates(text)
    if not candidates:
        return ()
    pending = {i: m for i in candidates if (m := _COMPILED[i][1].search(text))}
    hits: set[int] = set()
    while pending:
        first = min(pending, key=lambda i: (pending[i].start(), i))
        hits.add(first)
        end = pending[first].end()
        for i in [i for i, m in pending.items() if m.start() < end]:
            m = _COMPILED[i][1].search(text, end)
            if m:
                pending[i] = m
            else:
                del pending[i]
    return tuple(_NAMES[i] for i in sorted(hits))


def nearest_region(text: str, near: int) -> str | None:
    """The region named closest to offset `near`: "ankle sprain ... lumbar radiculopathy" near the
    word sprain is the ankle."""
    best: tuple[int, int, str] | None = None
    for rank, (name, pattern) in enumerate(_COMPILED):
        for m in pattern.finditer(text):
            key = (abs(m.start() - near), rank, name)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def strip_regions(text: str) -> str:
    """text without its region words: the condition part of "lumbar disc syndrome"."""
    for _, pattern in _COMPILED:
        text = pattern.sub(" ", text)
    return text


def region_words(text: str) -> str:
    """The region words of text, in order: "lumbar spine" of "lumbar spine sprain"."""
    found = sorted((m.start(), m.end()) for _, p in _COMPILED for m in p.finditer(text))
    return " ".join(text[a:b] for a, b in found)


def region_start(text: str) -> int:
    """Offset of the first region word in text, len(text) when none."""
    return min((m.start() for _, p in _COMPILED if (m := p.search(text))), default=len(text))


def region_names() -> tuple[str, ...]:
    return _NAMES


def token_words() -> dict[str, str]:
    """Word or phrase -> ICD index token, longest phrases first."""
    pairs = [(w, r.token) for r in REGIONS for w in r.words]
    return dict(sorted(pairs, key=lambda p: -len(p[0])))
