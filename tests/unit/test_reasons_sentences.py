"""Denial reasons on sentences written from the brief (../shared/gold/REASONS.md) and the guidelines'
vocabulary, none taken from a letter: each code in the reviewer's voice, and the negatives that must
give nothing (a guideline's criterion quoted or paraphrased, "recommended for a short course", the
utilization review's reasons restated, a criterion that is met)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader.normalize.reasons.rules import DESCRIPTIONS, denial_reasons

DATA = Path(__file__).parent / "data" / "reason_sentences.txt"
SHORT = {
    "FUNC": "NO_FUNCTIONAL_IMPROVEMENT",
    "EXCEEDS": "EXCEEDS_GUIDELINE_LIMITS",
    "BODYPART": "BODY_PART_NOT_SPECIFIED",
    "REDFLAGS": "NO_RED_FLAGS",
    "RATIONALE": "NO_RATIONALE_FROM_TREATER",
    "NOTREC": "NOT_RECOMMENDED_BY_GUIDELINE",
    "FIRSTLINE": "FIRST_LINE_NOT_TRIED",
    "DOCS": "INSUFFICIENT_DOCUMENTATION",
    "MONITOR": "NO_MONITORING_OR_RISK_ASSESSMENT",
    "LONGTERM": "LONG_TERM_USE_NOT_SUPPORTED",
    "ANCILLARY": "ANCILLARY_TO_DENIED_SERVICE",
}


def _cases() -> list[tuple[frozenset[str], str]]:
    out = []
    for line in DATA.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        codes, text = line.split(" | ", 1)
        out.append((frozenset() if codes == "-" else frozenset(SHORT[c] for c in codes.split(",")), text))
    return out


CASES = _cases()


def test_the_data_covers_every_code_and_its_negatives() -> None:
    assert set(SHORT.values()) == set(DESCRIPTIONS)
    assert len(CASES) >= 150
    for code in DESCRIPTIONS:
        assert sum(code in want for want, _ in CASES) >= 5, code
    assert sum(not want for want, _ in CASES) >= 30


@pytest.mark.parametrize(("want", "text"), CASES, ids=[t[:60] for _, t in CASES])
def test_sentence_gives_its_codes(want: frozenset[str], text: str) -> None:
    got = denial_reasons(text, 100)
    assert {r.code for r in got} == want
    for reason in got:  # the evidence sentence is kept, in letter offsets
        a, b = reason.span
        assert 100 <= a < b <= 100 + len(text)
