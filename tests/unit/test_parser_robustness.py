"""Property tests: mutated letters never crash the parser, and decision blocks are never lost silently."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_loader.extract.letter import NotALetter, parse_text
from graph_loader.extract.source import normalize_text

SAMPLES = [p.read_text() for p in sorted((Path(__file__).parents[2] / "samples" / "letters").glob("*.txt"))]
ANCHOR = re.compile(r"^(?:Claims Administrator guideline|MAXIMUS guideline)\s*:", re.M | re.I)


def _first_anchors(text: str) -> int:
    """Blocks a reader would see: a Claims Administrator line, or a MAXIMUS line with none before it."""
    kinds = [m.group(0).lower().startswith("claims") for m in ANCHOR.finditer(normalize_text(text))]
    count, prev_claims = 0, False
    for is_claims in kinds:
        if is_claims or not prev_claims:
            count += 1
        prev_claims = is_claims
    return count


@st.composite
def mutated_letter(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SAMPLES)).splitlines()
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "junk", "join", "upper"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "junk":
            lines.insert(i, draw(st.text(max_size=60)))
        elif op == "join" and i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1]]
        elif op == "upper":
            lines[i] = lines[i].upper()
    if draw(st.booleans()):
        lines = lines[: draw(st.integers(0, len(lines)))]
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_letter())
def test_mutated_letters_never_crash_and_never_drop_blocks_silently(raw: str) -> None:
    try:
        letter = parse_text(raw, "mutated.txt")
    except NotALetter:
        return
    expected = _first_anchors(raw)
    if expected:
        assert len(letter.decisions) == expected or letter.warnings


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_is_parsed_or_rejected_cleanly(raw: str) -> None:
    try:
        parse_text(raw, "random.txt")
    except NotALetter as exc:
        assert str(exc).startswith("random.txt: ")
