"""The one literal index: find fixed strings in one pass, then run a regex only where (or only if) it
can match, with the same matches as the plain regex.

Python's `re` tries every branch of an alternation at every position of a text. A regex whose every
match begins with one of a few fixed strings ("decision rationale", "mtus") need only be tried where
one of them occurs; a vocabulary of hundreds of patterns need only be searched with the few that can
match an item. Both come down to finding many strings (or approximate patterns) in one pass, which
Hyperscan does with SIMD literal matchers (the `hyperscan` package bundles Vectorscan, its maintained
fork). `python -m bench.literal_index_speed` measured it against pyahocorasick and google-re2 on the
letters: docs/benchmarks.md, "Literal index: which library".

Where the literals come from:

- `LiteralIndex` and `Prefiltered`: the caller declares them beside its regex, as plain strings.
  Deriving them from the pattern meant reading `re`'s private parse tree (`re._parser`, reshaped
  between Python versions) or keeping a regex parser of our own that could silently read a pattern
  differently from `re`; and Hyperscan, which reads patterns itself, reports where an approximate
  match ends, never where it starts. A declared set is checked instead: the unit tests generate
  matches of each pattern with hypothesis and run every prefiltered scan against its plain regex on
  the real letters, the fixtures and made-up text, non-ASCII and other cases included. The users:
  the extractors' regexes (extract/) and the reason cues (normalize/reasons/cues.py).
- `PatternSet`: none are needed. Hyperscan compiles each pattern in prefilter mode, whose documented
  promise is that the approximate pattern matches wherever the exact one does (look-arounds and
  back-references are relaxed, never tightened). The promise is about PCRE's reading of the pattern,
  which is Python's for the texts and patterns admitted: ASCII text without \\x1c-\\x1f (white space to
  Python, not to PCRE), and a pattern whose source is ASCII and has none of the forms the two read
  differently (`{,n}`, POSIX classes, escapes by number or code point, verbose mode). Any other text
  is searched with every pattern, and a pattern Hyperscan cannot compile is tried on every text.
  The user: the treatment vocabulary, whose patterns are data (treatments.json).

Case: a caseless index folds ASCII letters only. `re.I` also folds a few other letters onto ASCII
ones (the Kelvin sign onto k), so a case-insensitive pattern is prefiltered on ASCII text only and
searched the plain way elsewhere.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence

import hyperscan

# A literal beginning with a letter or digit is, with `word_starts`, reported only where none of
# these precedes it: inside a word ("red" in "tired") is not a word start.
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'")


class _Database:
    """A compiled Hyperscan database and a scratch space per thread: a scan releases the GIL, and a
    scratch serves one scan at a time (two threads sharing one fail with ScratchInUseError)."""

    def __init__(
        self, expressions: list[bytes], ids: list[int], flags: int | list[int], literal: bool
    ) -> None:
        self._db = hyperscan.Database()
        self._db.compile(expressions=expressions, ids=ids, elements=len(ids), flags=flags, literal=literal)
        self._local = threading.local()

    def scan(self, data: bytes, on_match: Callable[[int, int, int, int, object], None]) -> None:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        self._db.scan(data, match_event_handler=on_match, scratch=scratch)


def _char_offsets(data: bytes, byte_offsets: list[int]) -> list[int]:
    """The character offsets of sorted byte offsets into UTF-8 `data` (each at a character start)."""
    out: list[int] = []
    chars = done = 0
    for b in byte_offsets:
        chars += len(data[done:b].decode())
        done = b
        out.append(chars)
    return out


class LiteralIndex:
    """Where each of a set of strings occurs in a text: every occurrence, overlapping ones too, in one
    pass."""

    def __init__(self, literals: Iterable[str], *, caseless: bool = False, word_starts: bool = False) -> None:
        self.literals: tuple[str, ...] = tuple(sorted(set(literals)))
        if not all(self.literals):
            raise ValueError("an empty literal would occur everywhere")
        self._sizes = tuple(len(x.encode()) for x in self.literals)
        self._bounded = tuple(word_starts and x[0].isalnum() for x in self.literals)
        self._db: _Database | None = None
        if self.literals:
            self._db = _Database(
                [x.encode() for x in self.literals],
                list(range(len(self.literals))),
                hyperscan.HS_FLAG_CASELESS if caseless else 0,
                literal=True,
            )

    def occurrences(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, str]]:
        """(position, literal) of each occurrence inside text[start:end], in text order."""
        stop = len(text) if end is None else end
        if self._db is None or start >= stop:
            return []
        part = text[start:stop]
        data = part.encode()
        sizes = self._sizes
        raw: list[tuple[int, int]] = []

        def on_match(i: int, _from: int, to: int, _flags: int, _context: object) -> None:
            raw.append((to - sizes[i], i))

        self._db.scan(data, on_match)
        raw.sort()
        if len(data) != len(part):  # non-ASCII: Hyperscan counts bytes
            offsets = _char_offsets(data, [b for b, _ in raw])
            raw = [(c, i) for c, (_, i) in zip(offsets, raw, strict=True)]
        literals, bounded, word = self.literals, self._bounded, _WORD_CHARS
        # The character before `start` counts, as a look-behind sees it.
        return [
            (start + p, literals[i])
            for p, i in raw
            if not (bounded[i] and start + p and text[start + p - 1] in word)
        ]

    def positions(self, text: str, start: int = 0, end: int | None = None) -> dict[str, list[int]]:
        """literal -> where it starts (ascending), for the occurrences inside text[start:end]."""
        out: dict[str, list[int]] = {}
        for q, x in self.occurrences(text, start, end):
            if x in out:
                out[x].append(q)
            else:
                out[x] = [q]
        return out

    def starts(self, text: str, start: int = 0, end: int | None = None) -> list[int]:
        """Where any of the literals starts inside text[start:end], ascending, each position once."""
        return sorted({q for q, _ in self.occurrences(text, start, end)})


def matches_at(
    pattern: re.Pattern[str], text: str, candidates: Iterable[int], end: int | None = None
) -> list[re.Match[str]]:
    """What `pattern.finditer(text, min(candidates), end)` gives when every match starts at a candidate
    and none is empty: the pattern is tried at each candidate in order, past the previous match."""
    stop = len(text) if end is None else end
    out: list[re.Match[str]] = []
    last = 0
    for pos in sorted(candidates):
        if pos < last or pos > stop:
            continue  # inside the previous match (finditer does not overlap), or past the block
        m = pattern.match(text, pos, stop)
        if m:
            out.append(m)
            last = max(m.end(), pos + 1)
    return out


def first_match(
    pattern: re.Pattern[str], text: str, candidates: Iterable[int], pos: int, end: int
) -> re.Match[str] | None:
    """What `pattern.search(text, pos, end)` gives when every match starts at one of the ascending
    `candidates`."""
    match = pattern.match
    for p in candidates:
        if p < pos:
            continue
        if p > end:
            break
        m = match(text, p, end)
        if m is not None:
            return m
    return None


class Prefiltered:
    """A regex and the literals its matches are found by: every match begins with one of them, or,
    `at_line_start`, every match begins at a line start and one of them occurs on its first line.

    Literals are compared as the pattern compares: folding ASCII case when it has `re.I`.
    """

    def __init__(
        self, pattern: re.Pattern[str], literals: Iterable[str], *, at_line_start: bool = False
    ) -> None:
        self.pattern = pattern
        self._caseless = bool(pattern.flags & re.I)
        self._line = at_line_start
        self.index = LiteralIndex(literals, caseless=self._caseless)

    def _plain(self, text: str, start: int, end: int) -> bool:
        return self._caseless and not text[start:end].isascii()

    def _candidates(self, text: str, start: int, end: int) -> list[int]:
        found = self.index.starts(text, start, end)
        if not self._line:
            return found
        # A line may hold several literals: its start is tried once.
        return sorted({max(start, text.rfind("\n", 0, i) + 1) for i in found})

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
        """`list(pattern.finditer(text, start, end))`."""
        stop = len(text) if end is None else end
        if self._plain(text, start, stop):
            return list(self.pattern.finditer(text, start, stop))
        return matches_at(self.pattern, text, self._candidates(text, start, stop), stop)

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """`pattern.search(text, start, end)`."""
        stop = len(text) if end is None else end
        if self._plain(text, start, stop):
            return self.pattern.search(text, start, stop)
        return first_match(self.pattern, text, self._candidates(text, start, stop), start, stop)


# Source forms PCRE reads differently from Python (or not at all): `{,n}` (a literal to PCRE), POSIX
# classes ("[[:alpha:]]" is a set of characters to Python), back-references and octal escapes by
# number, escapes by code point or name.
_DIVERGENT_SOURCE = re.compile(r"\{,|\[:|\\[0-9uUN]")
# Flags with a Hyperscan equivalent; `re.A` changes nothing on ASCII text, `re.U` is Python's default.
_FLAGS = {re.I: hyperscan.HS_FLAG_CASELESS, re.M: hyperscan.HS_FLAG_MULTILINE, re.S: hyperscan.HS_FLAG_DOTALL}
_NEUTRAL_FLAGS = re.A | re.U
# Characters Python's `\s` matches and PCRE's does not: such a text is searched the plain way.
_PYTHON_ONLY_SPACE = re.compile("[\x1c-\x1f]")


def _hyperscan_flags(pattern: re.Pattern[str]) -> int | None:
    """The Hyperscan flags of a pattern Hyperscan reads as Python does; None for any other."""
    if not pattern.pattern.isascii() or _DIVERGENT_SOURCE.search(pattern.pattern):
        return None
    flags = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
    rest = pattern.flags & ~_NEUTRAL_FLAGS
    for flag, hs_flag in _FLAGS.items():
        if rest & flag:
            flags |= hs_flag
            rest &= ~flag
    return None if rest else flags


def _compiles(source: str, flags: int) -> bool:
    try:
        _Database([source.encode()], [0], flags, literal=False)
    except hyperscan.error:
        return False
    return True


class PatternSet:
    """Which of many regexes can match a text, found in one pass: the rest need not be searched."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        self._every = tuple(range(len(self.patterns)))
        admitted = [(i, _hyperscan_flags(p)) for i, p in enumerate(self.patterns)]
        ids = [i for i, f in admitted if f is not None]
        flags = [f for _, f in admitted if f is not None]
        self._db: _Database | None = None
        if ids:
            try:
                self._compile(ids, flags)
            except hyperscan.error:  # find the patterns it cannot take (rare: checked one by one only then)
                kept = [
                    (i, f) for i, f in zip(ids, flags, strict=True) if _compiles(self.patterns[i].pattern, f)
                ]
                ids, flags = [i for i, _ in kept], [f for _, f in kept]
                if ids:
                    self._compile(ids, flags)
        self.always: frozenset[int] = frozenset(self._every) - frozenset(ids)

    def _compile(self, ids: list[int], flags: list[int]) -> None:
        self._db = _Database([self.patterns[i].pattern.encode() for i in ids], ids, flags, literal=False)

    def candidates(self, text: str) -> list[int]:
        """Indices of the patterns that may match `text` (a superset of those that do), in order."""
        if self._db is None or not text.isascii() or _PYTHON_ONLY_SPACE.search(text):
            return list(self._every)
        found = set(self.always)

        def on_match(i: int, _from: int, _to: int, _flags: int, _context: object) -> None:
            found.add(i)

        self._db.scan(text.encode(), on_match)
        return sorted(found)
