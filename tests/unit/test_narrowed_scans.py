"""Two lookups that try fewer candidates than they used to give the answers of trying them all: body
regions scanned with only the patterns that can match the text, and a section name's typo compared
with only the spellings of a length that can be close."""

from __future__ import annotations

import difflib
import random
import re

import pytest

from graph_loader.normalize import body_regions
from graph_loader.normalize.citations import toc
from graph_loader.normalize.citations.resolve import catalog

# Every region in one alternation, as find_regions scanned before it was narrowed.
_EVERY = re.compile(
    "|".join(rf"(?P<r{i}>\b(?:{r.pattern}))" for i, r in enumerate(body_regions.REGIONS)), re.I
)


def _every_region(text: str) -> tuple[str, ...]:
    hits = {int(m.lastgroup[1:]) for m in _EVERY.finditer(text) if m.lastgroup}
    return tuple(body_regions.REGIONS[i].name for i in sorted(hits))


def _region_texts() -> list[str]:
    draw = random.Random(5)
    words = [w for r in body_regions.REGIONS for w in re.findall(r"[a-z]{3,}", r.pattern)]
    fillers = ["strain", "of the", "left", "sprain/strain", "pain", "C5-6", "and", "bilateral", "MRI", "x"]
    out = ["", "no region here", "Lumbar spine", "KNEE", "ankle sprain with lumbar radiculopathy"]
    for _ in range(400):
        picked = draw.sample(words + fillers, draw.randint(1, 5))
        out.append(draw.choice((" ", "-", ", ", "")).join(picked))
    return out


@pytest.mark.parametrize("text", _region_texts())
def test_regions_read_as_with_every_pattern(text: str) -> None:
    assert body_regions.find_regions.__wrapped__(text) == _every_region(text)


def _typos(spelling: str, draw: random.Random) -> list[str]:
    i = draw.randrange(len(spelling))
    return [
        spelling,
        spelling[:i] + spelling[i + 1 :],  # a letter dropped
        spelling[:i] + "x" + spelling[i:],  # one added
        spelling[:i] + "e" + spelling[i + 1 :],  # one changed
        spelling + " and more words",  # too long to be close
        spelling[: len(spelling) // 2],  # too short
    ]


def test_a_typo_finds_the_spelling_it_would_among_all() -> None:
    draw = random.Random(7)
    tried = 0
    for entry in catalog():
        t = toc.toc(entry.key)
        for spelling in list(t.spellings)[:40]:
            for typo in _typos(spelling, draw):
                if len(typo) < 8:
                    continue
                close = difflib.get_close_matches(typo.lower(), list(t.spellings), n=1, cutoff=0.9)
                assert toc._misspelt(t, typo) == (t.spellings[close[0]] if close else None), typo
                tried += 1
    assert tried > 100
