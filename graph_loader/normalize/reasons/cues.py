"""Cue regexes that run only where their words start, so fifty cue lists cost one pass.

Python's `re` tries every branch of an alternation at every position, so each cue list scanned over
every sentence would cost a pass per cue. Each cue declares the strings its matches begin with
(`starts`, beside its regex); a `Lexicon` finds all cues' strings in one pass of the literal index
(graph_loader.text.literal_index), and a cue is then tried with `match` at its strings' positions only.

A cue matches only where a word starts: its strings are found only where no letter, digit or
apostrophe precedes them ("red" in "tired" is not looked at), so a cue's matches are exactly those of
`(?<![a-z0-9'])(?:PATTERN)` over the lower-cased rationale (`reference`, what the tests compare with).
A cue whose matches begin with common words instead declares a `gate`: strings every match contains,
where one starts a word; it is searched the plain way in the sentences where one occurs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from graph_loader.text.literal_index import LiteralIndex, first_match

Hits = dict[str, list[int]]  # literal -> the positions where it starts, in one pass over a text


def _strings(declared: str) -> tuple[str, ...]:
    """'a|b c|d' -> ("a", "b c", "d"): plain strings, not a regex (one line per cue keeps them beside it)."""
    out = tuple(sorted(set(declared.split("|")))) if declared else ()
    if any(not s or set(s) & set("\\[](){}*+?^$") for s in out):
        raise ValueError(f"cue strings are plain text, one per '|': {declared!r}")
    return out


class Cue:
    def __init__(self, pattern: str, starts: str = "", gate: str = "") -> None:
        """`starts`: the strings, '|'-separated, one of which begins every match. `gate` instead: the
        strings one of which every match contains, starting a word there."""
        if bool(starts) == bool(gate):
            raise ValueError(f"a cue declares either starts or a gate: {pattern!r}")
        self.regex = re.compile(pattern)
        self.reference = re.compile(rf"(?<![a-z0-9'])(?:{pattern})") if starts else self.regex
        self._gated = bool(gate)
        self.literals: tuple[str, ...] = _strings(starts or gate)
        self.literal_set = frozenset(self.literals)

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def search(self, text: str, hits: Hits, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """The leftmost match in text[pos:endpos]; `hits` is `Lexicon.scan` of a stretch of `text`
        that contains it."""
        if self.literal_set.isdisjoint(hits):  # the usual case: decided without building anything
            return None
        end = len(text) if endpos is None else endpos
        if self._gated:
            return self.regex.search(text, pos, end)
        present = self.literal_set.intersection(hits)
        if len(present) == 1:
            (x,) = present
            starts = hits[x]  # already in order
        else:
            starts = sorted(p for x in present for p in hits[x])
        return first_match(self.regex, text, starts, pos, end)

    def found(self, text: str, hits: Hits, pos: int = 0, endpos: int | None = None) -> bool:
        """Whether there is a match in text[pos:endpos] (`search` without finding the leftmost)."""
        if self.literal_set.isdisjoint(hits):
            return False
        end = len(text) if endpos is None else endpos
        if self._gated:
            return self.regex.search(text, pos, end) is not None
        match = self.regex.match
        for x in self.literal_set.intersection(hits):
            for p in hits[x]:
                if p >= end:
                    break
                if p >= pos and match(text, p, end) is not None:
                    return True
        return False

    def finditer(
        self, text: str, hits: Hits, pos: int = 0, endpos: int | None = None
    ) -> Iterator[re.Match[str]]:
        while (m := self.search(text, hits, pos, endpos)) is not None:
            yield m
            pos = max(m.end(), m.start() + 1)


class Lexicon:
    """The strings of many cues, found in one pass over a rationale, where they start words."""

    def __init__(self, cues: Iterable[Cue], groups: Sequence[Iterable[str]] = ()) -> None:
        """`groups`: sets of strings; `scan` also gives each span the bits (1 << i) of the groups whose
        strings it holds."""
        self._groups: dict[str, int] = {}
        for bit, words in enumerate(groups):
            for w in words:
                self._groups[w] = self._groups.get(w, 0) | 1 << bit
        self._index = LiteralIndex({x for cue in cues for x in cue.literals}, word_starts=True)

    def scan(self, text: str, spans: list[tuple[int, int]]) -> tuple[list[Hits], list[int]]:
        """For each (start, end) of `spans` (in text order, not overlapping), where the strings start,
        and the OR of their groups' bits."""
        out: list[Hits] = [{} for _ in spans]
        masks = [0] * len(spans)
        if not spans:
            return out, masks
        groups = self._groups
        i, n = 0, len(spans)
        start, end = spans[0]
        hits = out[0]
        # Occurrences come in text order, so the spans are walked once, in step.
        for q, y in self._index.occurrences(text, spans[0][0], spans[-1][1]):
            while q >= end and i + 1 < n:
                i += 1
                start, end = spans[i]
                hits = out[i]
            if start <= q < end:
                if y in hits:
                    hits[y].append(q)
                else:
                    hits[y] = [q]
                    masks[i] |= groups.get(y, 0)
        return out, masks
