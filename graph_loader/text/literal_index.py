"""A literal-prefix index over many regexes, so that a text is searched only with the patterns that
can match it.

Python's `re` tries every alternative of every pattern at every position: a vocabulary of hundreds of
patterns costs milliseconds per item. Each pattern is analysed once (its parse tree): every match must
begin with one of a few short literal strings ("mri", "x-ra", "ultr"). A text is searched with a
pattern only if it contains one of them; patterns whose matches may begin with anything (`\\w+ectomy`)
are always tried. The index never skips a pattern that would match, so results equal a plain scan.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# The parse tree of `re` itself (Python 3.11+), so the analysis reads exactly what `re` compiles;
# private modules without stubs, hence imported by name.
C: Any = importlib.import_module("re._constants")
P: Any = importlib.import_module("re._parser")

K = 4  # prefix length: long enough to be selective, short enough to stay a small set
MAX_PARTIALS = 400
Partial = tuple[str, bool]  # (prefix so far, whether the match may continue past it)


def _class_chars(av: Any) -> set[str] | None:
    chars: set[str] = set()
    for op, val in av:
        if op is C.LITERAL:
            chars.add(chr(val).lower())
        elif op is C.RANGE and val[1] - val[0] < 12:
            chars.update(chr(c).lower() for c in range(val[0], val[1] + 1))
        else:  # a negated class, a category (\w, \d) or a wide range: any character
            return None
    return chars


def _elem(op: Any, av: Any, k: int) -> set[Partial]:
    if op is C.LITERAL:
        return {(chr(av).lower(), True)}
    if op is C.IN:
        chars = _class_chars(av)
        return {(c, True) for c in chars} if chars else {("", False)}
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):  # zero width: skipping it is conservative
        return {("", True)}
    if op is C.SUBPATTERN:
        return _seq(av[-1], k)
    if op is C.BRANCH:
        out: set[Partial] = set()
        for seq in av[1]:
            out |= _seq(seq, k)
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        lo, hi, item = av
        if hi == 0:
            return {("", True)}
        # a single optional occurrence ("C?PAP", "x-?ray") lets the prefix run on past it
        once = {(s, o and hi == 1) for s, o in _seq(item, k)}
        return once | {("", True)} if lo == 0 else once
    return {("", False)}


def _seq(seq: Any, k: int) -> set[Partial]:
    partials: set[Partial] = {("", True)}
    for op, av in seq:
        if not any(o and len(p) < k for p, o in partials):
            break
        grown: set[Partial] = set()
        for p, o in partials:
            if not o or len(p) >= k:
                grown.add((p[:k], False))
                continue
            for s, so in _elem(op, av, k - len(p)):
                q = p + s
                grown.add((q[:k], so and len(q) < k))
        if len(grown) > MAX_PARTIALS:
            return {(p, False) for p, _ in partials}
        partials = grown
    return partials


def _necessary(seq: Any) -> set[str] | None:
    """Strings one of which occurs in every match of `seq`: the literal prefixes of the sequence, or
    failing that (it starts with `\\w+` or `.*`) those of its tail from some element on, since a
    match of the tail is part of every match of the whole."""
    items = list(seq)
    while items and items[0][0] in (C.AT, C.ASSERT, C.ASSERT_NOT):
        items = items[1:]  # zero width ("^", "\\b", look-arounds)
    if items and items[0][0] is C.BRANCH:
        out: set[str] = set()
        for branch in items[0][1][1]:
            part = _necessary(list(branch) + items[1:])
            if part is None:
                return None
            out |= part
        return out
    for j in range(len(items)):
        prefixes = {p for p, _ in _seq(items[j:], K)}
        if "" not in prefixes and (j == 0 or min(map(len, prefixes)) >= 3):
            return prefixes
    return None


def literal_prefixes(pattern: str) -> frozenset[str] | None:
    """Strings one of which occurs in every match of the case-insensitive `pattern`; None: no such set."""
    found = _necessary(P.parse(pattern, re.I))
    return None if found is None else frozenset(found)


class PrefixIndex:
    def __init__(self, patterns: list[str]) -> None:
        self.always: frozenset[int] = frozenset()
        self.index: dict[str, set[int]] = {}
        always: set[int] = set()
        for i, pattern in enumerate(patterns):
            prefixes = literal_prefixes(pattern)
            if prefixes is None:
                always.add(i)
                continue
            for p in prefixes:
                self.index.setdefault(p, set()).add(i)
        self.always = frozenset(always)
        self.lengths = sorted({len(p) for p in self.index})
        self.keys = frozenset(self.index)

    def candidates(self, text: str) -> list[int]:
        """Indices of the patterns that may match `text`, in pattern order."""
        t = text.lower()
        grams = {t[i : i + n] for n in self.lengths for i in range(len(t) - n + 1)}
        found = set(self.always)
        index = self.index
        for key in grams & self.keys:
            found.update(index[key])
        return sorted(found)
