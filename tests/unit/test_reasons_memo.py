"""The denial-reason classifier reads each sentence alone and remembers it (rules._facts): the same
codes and spans as reading every sentence inside its rationale, whatever was classified before."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from graph_loader.models import DenialReason
from graph_loader.normalize.reasons import rules
from graph_loader.normalize.reasons.ancillary import depends_on_denied
from graph_loader.normalize.reasons.clauses import Role, sentences

DATA = Path(__file__).parent / "data" / "reason_sentences.txt"


def in_context(rationale: str, offset: int) -> list[DenialReason]:
    """The classifier as it read before the memo: one scan of the whole rationale, each sentence's
    cues looked up in place (its neighbours in the same string)."""
    text = rules._lowered(rationale)
    parsed = sentences(rationale, text, rules._LEXICON)
    present = [rules._Present.of(s.mask) for s in parsed]
    for s, cues in zip(parsed, present, strict=True):
        if cues.mask & rules._B_ANCILLARY and depends_on_denied(text, s.hits, s.start, s.end):
            return [DenialReason(code="ANCILLARY_TO_DENIED_SERVICE", span=(offset + s.start, offset + s.end))]
    first: dict[str, tuple[int, int]] = {}
    for s, cues in zip(parsed, present, strict=True):
        for code in rules._sentence_codes(text, s, cues):
            first.setdefault(code, (s.start, s.end))
    read = [s for s in parsed if s.role in (Role.CASE, Role.GUIDELINE)]
    if "LONG_TERM_USE_NOT_SUPPORTED" not in first and any(
        rules._SHORT_COURSE.found(text, s.hits, s.start, s.end) for s in read
    ):
        for s in read:
            if s.role is Role.CASE and rules._PROLONGED.found(text, s.hits, s.start, s.end):
                first["LONG_TERM_USE_NOT_SUPPORTED"] = (s.start, s.end)
                break
    ordered = sorted(first.items(), key=lambda kv: (kv[1][0], rules._ORDER.index(kv[0])))
    return [DenialReason(code=code, span=(offset + a, offset + b)) for code, (a, b) in ordered]


def _sentences() -> list[str]:
    out = [line.split(" | ", 1)[1] for line in DATA.read_text("utf-8").splitlines() if " | " in line]
    out += [example for examples in rules.EXAMPLES.values() for example in examples]
    return out


SENTENCES = _sentences()
# A sentence whose cue reads `^`: it gives the reason only at the rationale's very start.
AT_START = "Lumbar fusion is not medically necessary, therefore the associated post-operative therapy is not necessary."
GLUE = (" ", "  ", "\n", " \n ", ' "', '" ')


def _rationales(n: int, seed: int) -> list[str]:
    draw = random.Random(seed)
    out = []
    for _ in range(n):
        picked = draw.sample(SENTENCES, draw.randint(1, 6))
        if draw.random() < 0.2:
            picked.insert(draw.randint(0, len(picked)), AT_START)
        text = draw.choice(("", " ", "\n")) + picked[0]
        for sentence in picked[1:]:
            text += draw.choice(GLUE) + sentence
        out.append(text)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_each_sentence_read_alone_gives_what_it_gives_in_its_rationale(seed: int) -> None:
    rules._facts.cache_clear()
    for rationale in _rationales(150, seed):
        assert rules.denial_reasons(rationale, 7) == in_context(rationale, 7), rationale


def test_the_reading_does_not_depend_on_what_was_read_before() -> None:
    rationales = _rationales(60, 99)
    rules._facts.cache_clear()
    fresh = [rules.denial_reasons(r, 0) for r in rationales]
    rules._facts.cache_clear()
    for r in reversed(rationales):  # the other order: every sentence now met in other company first
        rules.denial_reasons(r, 0)
    assert [rules.denial_reasons(r, 0) for r in rationales] == fresh


def test_the_rationale_start_is_told_apart() -> None:
    first = rules.denial_reasons(AT_START + " Physical therapy is requested.", 0)
    later = rules.denial_reasons("Physical therapy is requested. " + AT_START, 0)
    assert first == in_context(AT_START + " Physical therapy is requested.", 0)
    assert later == in_context("Physical therapy is requested. " + AT_START, 0)
    assert [r.code for r in first] == ["ANCILLARY_TO_DENIED_SERVICE"] and later == []


def test_no_cue_literal_reaches_past_a_sentence() -> None:
    # What lets a sentence be read alone. A sentence ends with . ? or ! and closing quotes or brackets,
    # so a literal that runs past its end holds one of the three, or starts at a closing mark.
    for literal in rules._LEXICON._index.literals:
        assert literal[0].isalnum(), literal
        assert not set(literal) & set(".?!"), literal


def test_the_memory_is_bounded() -> None:
    info = rules._facts.cache_info()
    assert info.maxsize == rules._FACTS_MEMO
