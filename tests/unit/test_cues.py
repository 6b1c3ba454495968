"""Reason cues give what their plain regexes give: every match of a cue begins with one of the strings
it declares (checked on matches generated from the regex), and on real rationales and made-up text
each cue's search over a sentence or a clause equals the reference regex `(?<![a-z0-9'])(?:PATTERN)`
(the plain pattern for a gated cue)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_loader.extract.source import normalize_text, read_letter_text
from graph_loader.normalize.reasons import ancillary, clauses, rules
from graph_loader.normalize.reasons.cues import Cue, Lexicon
from tests.helpers import SAMPLES


def _cues() -> dict[str, Cue]:
    found = {
        f"{m.__name__}.{k}": v
        for m in (rules, clauses, ancillary)
        for k, v in vars(m).items()
        if isinstance(v, Cue)
    }
    found |= {f"anchor {code}": cue for code, cue in rules._NEGATED_C}
    return found


CUES = _cues()
MADE_UP = [
    "There is no documentation of functional improvement \u2013 the patient\u2019s pain relief is unclear.",
    "No\u00e9 was not documented. \u00c9TAT: red flags are absent; the tired flags were nothing.",
    "It cannot be recommended. Nobody parts with which body part? \u0130t is not indicated for this use.",
    "The MTUS guidelines do not recommend it, exceeding the guideline; the request would exceed the limit.",
    "In this case, long-term use beyond 4 weeks is not supported\u00b0 and there is a lack of evidence.",
    "Patients with red-flags... those who failed first-line conservative care don't respond to therapy.",
]


def _lowered(original: str) -> str:
    # As `denial_reasons` reads a rationale: lower-cased at the same length, line breaks as spaces.
    text = original.lower()
    if len(text) != len(original):
        text = "".join(c.lower() if len(c.lower()) == 1 else c for c in original)
    return text.replace("\n", " ")


def _texts(shared: Path | None) -> list[tuple[str, str]]:
    paths = sorted(SAMPLES.glob("*.txt"))
    if shared is not None:
        paths += sorted((shared / "letters" / "dev").glob("*.txt"))
    originals = [normalize_text(read_letter_text(p)) for p in paths] + MADE_UP
    return [(o, _lowered(o)) for o in originals]


def _span(m: re.Match[str] | None) -> tuple[int, int] | None:
    return None if m is None else m.span()


def _check(original: str, text: str) -> None:
    spans = clauses._spans(original)
    hits_list, _ = rules._LEXICON.scan(text, spans)
    for (a, b), hits in zip(spans, hits_list, strict=True):
        parts = [(a, b), *clauses.clauses(text, a, b), (a, a + (b - a) // 2)]
        for name, cue in CUES.items():
            for start, end in parts:
                want = cue.reference.search(text, start, end)
                assert _span(cue.search(text, hits, start, end)) == _span(want), (name, text[start:end])
                assert cue.found(text, hits, start, end) is (want is not None), name
            got_all = [m.span() for m in cue.finditer(text, hits, a, b)]
            assert got_all == [m.span() for m in cue.reference.finditer(text, a, b)], name


def test_cues_equal_their_reference_regexes_on_letters(shared_dir: Path) -> None:
    for original, text in _texts(shared_dir):
        _check(original, text)


def test_cues_equal_their_reference_regexes_without_shared_letters() -> None:
    for original, text in _texts(None):
        _check(original, text)


def test_lexicon_finds_each_string_where_a_word_starts() -> None:
    lexicon = Lexicon(CUES.values())
    strings = sorted({x for cue in CUES.values() for x in cue.literals})
    for original, text in _texts(None):
        spans = clauses._spans(original)
        hits_list, _ = lexicon.scan(text, spans)
        stretch = text[: spans[-1][1]] if spans else ""
        everywhere = {
            x: [m.start() for m in re.finditer(rf"(?<![a-z0-9'])(?={re.escape(x)})", stretch)]
            for x in strings
        }
        for (a, b), hits in zip(spans, hits_list, strict=True):
            want = {x: [q for q in qs if a <= q < b] for x, qs in everywhere.items()}
            assert hits == {x: qs for x, qs in want.items() if qs}


def test_groups_give_each_sentence_the_bits_of_its_strings() -> None:
    cue = Cue(r"no|not", starts="no|not")
    lexicon = Lexicon([cue, Cue(r"red flags?", starts="red")], groups=[{"no", "not"}, {"red"}])
    text = "there are no red flags. it is not so. knot."
    hits, masks = lexicon.scan(text, [(0, 23), (24, 37), (38, 43)])
    assert hits == [{"no": [10], "red": [13]}, {"no": [30], "not": [30]}, {}]
    assert masks == [0b11, 0b01, 0]


def test_cue_strings_are_plain_text() -> None:
    with pytest.raises(ValueError):
        Cue(r"x-?ray", starts="x-?ray")
    with pytest.raises(ValueError):
        Cue(r"no")  # neither starts nor a gate
    with pytest.raises(ValueError):
        Cue(r"no", starts="no", gate="no")


@pytest.mark.parametrize("name", sorted(CUES))
def test_every_match_begins_with_a_declared_string(name: str) -> None:
    cue = CUES[name]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(cue.regex, fullmatch=True))
    def check(s: str) -> None:
        if cue.reference is cue.regex:  # gated: a gate string occurs in the match, starting a word
            assert any(re.search(rf"(?<![a-z0-9']){re.escape(g)}", s) for g in cue.literals), s
        else:
            assert s.startswith(cue.literals), s

    check()
