"""The literal index finds what a plain scan finds: every occurrence of every literal (overlapping ones,
after non-ASCII characters, ignoring ASCII case), a prefiltered regex gives `finditer`'s matches, and
a pattern set never leaves out a pattern that matches."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_loader.text.literal_index import LiteralIndex, PatternSet, Prefiltered, first_match, matches_at

LITERALS = ("no", "not", "nor", "red", "red flag", "don't", "x-ray", "é", "ab", "b")
# Literal pieces, their case variants, multi-byte characters and the Kelvin sign (re.I folds it onto k).
PIECES = st.sampled_from(
    [
        *LITERALS,
        "NO",
        "Not",
        "RED",
        "X-RAY",
        "a",
        "t",
        "'",
        " ",
        "\n",
        "é",
        "É",
        "°",
        "–",
        "\u212a",
        "tired",
        "k",
    ]
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)
PLAIN = LiteralIndex(LITERALS)
CASELESS = LiteralIndex(tuple(x for x in LITERALS if x.isascii()), caseless=True)
BOUNDED = LiteralIndex(LITERALS, word_starts=True)


def _brute(
    text: str, literals: tuple[str, ...], fold: bool = False, word_starts: bool = False
) -> set[tuple[int, str]]:
    haystack = text.lower() if fold else text
    out: set[tuple[int, str]] = set()
    for x in literals:
        for i in range(len(text)):
            if haystack.startswith(x.lower() if fold else x, i):
                if word_starts and x[0].isalnum() and i and re.match(r"[A-Za-z0-9']", text[i - 1]):
                    continue
                out.add((i, x))
    return out


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(0, 8), st.integers(0, 8))
def test_occurrences_are_every_occurrence(text: str, cut_start: int, cut_end: int) -> None:
    index = PLAIN
    start, end = min(cut_start, len(text)), max(len(text) - cut_end, 0)
    got = index.occurrences(text, start, end)
    assert got == sorted(got)
    want = {(i, x) for i, x in _brute(text[start:end], LITERALS)}
    assert {(q - start, x) for q, x in got} == want
    positions = index.positions(text, start, end)
    assert {(q - start, x) for x, qs in positions.items() for q in qs} == want
    assert index.starts(text, start, end) == sorted({i + start for i, _ in want})


@settings(max_examples=300, deadline=None)
@given(TEXTS.filter(str.isascii))
def test_caseless_folds_ascii_letters(text: str) -> None:
    assert set(CASELESS.occurrences(text)) == _brute(text, CASELESS.literals, fold=True)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_word_starts_skip_occurrences_inside_words(text: str) -> None:
    assert set(BOUNDED.occurrences(text)) == _brute(text, LITERALS, word_starts=True)


def test_word_starts_see_the_character_before_the_stretch() -> None:
    index = LiteralIndex(("red",), word_starts=True)
    assert index.occurrences("tired red", 2) == [(6, "red")]  # "red" at 2 follows "i", outside the stretch
    assert index.occurrences("é red, °red", 0) == [(2, "red"), (8, "red")]
    assert LiteralIndex(()).occurrences("anything") == []
    with pytest.raises(ValueError):
        LiteralIndex(("",))


HEADING = re.compile(r"^(?:CLINICAL CASE SUMMARY|CASE SUMMARY)\b.*$", re.M | re.I)
MENTION = re.compile(r"\b(MTUS|ACOEM|Chronic Pain)\b[^.]{0,20}?\bpages?\s*\d+", re.I)
WORDS = st.sampled_from(
    ["MTUS", "mtus", "Acoem", "chronic pain", "page", "pages", "12", " ", "\n", ".", "case summary", "CLINICAL ",
     "x", "é", "\u212a", "\u212aase"]
)  # fmt: skip
SCANS = (
    Prefiltered(MENTION, ("mtus", "acoem", "chronic pain")),
    Prefiltered(HEADING, ("case summary",), at_line_start=True),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(WORDS, max_size=25).map("".join), st.integers(0, 10))
def test_prefiltered_equals_the_plain_regex(text: str, start: int) -> None:
    start = min(start, len(text))
    for scan in SCANS:
        assert [m.span() for m in scan.finditer(text, start)] == [
            m.span() for m in scan.pattern.finditer(text, start)
        ]
        got, want = scan.search(text, start), scan.pattern.search(text, start)
        assert (got and got.span()) == (want and want.span())


def test_candidate_runs_equal_finditer_and_search() -> None:
    pattern = re.compile(r"ab+|b")
    text = "abbb b ab"
    candidates = [0, 1, 2, 5, 7, 8]
    assert [m.span() for m in matches_at(pattern, text, candidates)] == [
        m.span() for m in pattern.finditer(text)
    ]
    got, want = first_match(pattern, text, candidates, 2, len(text)), pattern.search(text, 2)
    assert got is not None and want is not None and got.span() == want.span() == (2, 3)
    assert first_match(pattern, text, candidates, 0, 0) is None


SET_PATTERNS = [
    re.compile(p, re.I)
    for p in (
        r"\bmri\b|magnetic resonance",
        r"x-?rays?|radiograph",
        r"\w+ectomy\b",
        r"ultrasound(?! therap)",
        r"(?<!myofascial )release\b",
        r"^(?!.*\brental\b).*(?:hot|cold) (?:packs? )?therap",
        r"\bUA\b(?! drug)",
        r"a{,2}b",  # `{,n}` is a literal to PCRE: tried on every text
        r"(a)\1",
        r"",
        r"\bknee\b",
    )
]
SET = PatternSet(SET_PATTERNS)
ITEM_WORDS = st.sampled_from(
    ["MRI", "mri", "x-ray", "XRAYS", "knee", "discectomy", "ultrasound", " therapy", "myofascial", " release",
     "hot", " packs", " ", "rental", "UA", " drug", "b", "aa", "\u212a", "é", "\x1c", "\n", "cold therapy"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(ITEM_WORDS, max_size=12).map("".join))
def test_pattern_set_never_leaves_out_a_match(text: str) -> None:
    patterns = SET
    matching = {i for i, p in enumerate(SET_PATTERNS) if p.search(text)}
    candidates = patterns.candidates(text)
    assert candidates == sorted(set(candidates))
    assert matching <= set(candidates)


def test_pattern_set_admits_what_pcre_reads_as_python_does() -> None:
    patterns = SET
    assert patterns.always == {7, 8}
    assert patterns.candidates("nothing to see") == [7, 8, 9]
    assert patterns.candidates("Left KNEE MRI") == [0, 7, 8, 9, 10]
    # Non-ASCII text, or white space only Python counts: every pattern is searched.
    everything = list(range(len(SET_PATTERNS)))
    assert patterns.candidates("MRI é") == everything
    assert patterns.candidates("MRI\x1fknee") == everything
    assert PatternSet([re.compile("mri", re.X)]).always == {0}
    assert PatternSet([re.compile("caf\u00e9")]).always == {0}
    assert PatternSet([]).candidates("x") == []


def test_threads_share_an_index() -> None:
    # A scan releases the GIL; each thread gets its own scratch space, so concurrent scans all succeed.
    text = "no red flag, not a x-ray; MRI of the knee after a discectomy. " * 2000
    want = (PLAIN.occurrences(text), SET.candidates("MRI of the knee"))
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda _: (PLAIN.occurrences(text), SET.candidates("MRI of the knee")), range(8)))
    assert got == [want] * 8
