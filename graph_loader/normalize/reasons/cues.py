"""Cue regexes that run only where their literal words occur, so fifty cue lists cost one pass.

Python's `re` tries every branch of an alternation at every position, so each cue list scanned over
every sentence would cost a pass per cue. Each top-level alternative of a cue starts with a literal
("urine drug", "red[- ]flag" -> "red", "(?:is|are) only" -> "is only", "are only"); a `Lexicon` finds
the positions of all cues' literals in one pass of a prefix-factored regex, and a cue is then tried
with `match` at its literals' positions only. A cue with an alternative that has no literal start is
searched the plain way (never a missed match).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

_META = set("\\.^$*+?{}[]|()")


def _alternatives(pattern: str) -> list[str]:
    out, depth, start, i, klass = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if klass:
            klass = c != "]"
        elif c == "[":
            klass = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


def _group_end(pattern: str, start: int) -> int:
    """Index just past the group opening at `start`."""
    depth, i, klass = 0, start, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if klass:
            klass = c != "]"
        elif c == "[":
            klass = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(pattern)


def _literals(alternative: str) -> tuple[set[str], bool] | None:
    """Strings one of which occurs in any match of `alternative` (None when none can be named), and
    whether they are the whole alternative."""
    while True:
        if alternative.startswith("\\b"):
            alternative = alternative[2:]
        elif alternative.startswith(("(?<!", "(?<=", "(?!", "(?=")):
            alternative = alternative[_group_end(alternative, 0) :]
        else:
            break
    if alternative.startswith("(?:"):
        end = _group_end(alternative, 0)
        if end < len(alternative) and alternative[end] in "?*{":
            return None
        found: set[str] = set()
        whole = True
        for sub in _alternatives(alternative[3 : end - 1]):
            got = _literals(sub)
            if got is None:
                return None
            found |= got[0]
            whole = whole and got[1]
        rest = alternative[end:]
        if whole and rest:
            # "(?:is|are) only" -> "is only", "are only": far rarer than "is" or "are".
            tail = _literals(rest)
            if tail is not None and len(tail[0]) == 1 and not rest.startswith(("(", "\\")):
                (t,) = tail[0]
                return {f + t for f in found}, tail[1]
        return found, whole and not rest
    run, i = "", 0
    while i < len(alternative):
        c = alternative[i]
        if c == "\\" and i + 1 < len(alternative) and not alternative[i + 1].isalnum():
            c, i = alternative[i + 1], i + 1  # an escaped mark ("\\(") is that mark
        elif c in _META:
            if c in "?*{" and run:  # the last character is optional: not part of the required literal
                run = run[:-1]
            break
        run += c
        i += 1
    # One letter says too little; one punctuation mark (";") is a fine literal.
    return ({run}, run == alternative) if len(run) >= 2 or (run and not run.isalnum()) else None


def _trie(words: Iterable[str]) -> str:
    """One regex for a set of plain strings, factored by common prefix ("no(?:t |ne)?"), so `re`
    follows a single branch per character instead of trying every string at every position."""
    tree: dict[str, Any] = {}
    for w in words:
        node = tree
        for c in w:
            node = node.setdefault(c, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        parts = [re.escape(c) + render(child) for c, child in sorted(node.items()) if c]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        if "" in node:  # a shorter string ends here: the longer continuation is optional, tried first
            body = "(?:" + body + ")?"
        return body

    return render(tree)


Hits = dict[str, list[int]]  # literal -> the positions where it starts, in one pass over a text


class Cue:
    def __init__(self, pattern: str, gate: tuple[str, ...] = ()) -> None:
        """`gate`: strings every match contains (not at its start): the cue is searched the plain way,
        and only in sentences where one of them occurs. For cues whose start is a common word."""
        self.regex = re.compile(pattern)
        self._gated = bool(gate)
        found: set[str] = set(gate)
        for alternative in () if gate else _alternatives(pattern):
            got = _literals(alternative)
            if got is None:
                found = set()
                break
            found |= got[0]
        self.literals: tuple[str, ...] = tuple(sorted(found))
        self.literal_set = frozenset(found)
        self._plain = not found  # no literal to go by: searched the plain way

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def absent(self, hits: Hits) -> bool:
        """True when `hits` rule this cue out (none of its literals occurs)."""
        return bool(self.literals) and self.literal_set.isdisjoint(hits)

    def search(self, text: str, hits: Hits, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """The leftmost match in text[pos:endpos]; `hits` is `Lexicon.scan` of a stretch of `text`
        that contains it. Every match starts where one of the literals starts (they are its
        alternatives' prefixes, after zero-width assertions): the regex is tried only there."""
        if self._plain:
            return self.regex.search(text, pos, len(text) if endpos is None else endpos)
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
        match = self.regex.match
        for p in starts:
            if p < pos:
                continue
            if p >= end:
                break
            m = match(text, p, end)
            if m is not None:
                return m
        return None

    def found(self, text: str, hits: Hits, pos: int = 0, endpos: int | None = None) -> bool:
        """Whether there is a match in text[pos:endpos] (`search` without finding the leftmost)."""
        if self._plain:
            return self.regex.search(text, pos, len(text) if endpos is None else endpos) is not None
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


def _starts_word(s: str, k: int) -> bool:
    return k == 0 or not (s[k - 1].isalnum() or s[k - 1] == "'") or not s[k].isalnum()


class Lexicon:
    """The literals of many cues, found in one pass (a prefix-factored regex) over a rationale.

    A literal that begins with a letter or digit is found only where a word begins: cue words never
    start inside a word ("red" in "tired"), and skipping the middle of words keeps the pass short.
    """

    def __init__(self, cues: Iterable[Cue], groups: Mapping[str, int] | None = None) -> None:
        """`groups`: literal -> bits; `scan` also gives each span the OR of its literals' bits."""
        found: set[str] = set()
        for cue in cues:
            found |= set(cue.literals)
        self._groups = dict(groups or {})
        words = {x for x in found if x[0].isalnum()}
        marks = found - words
        alternatives = [r"(?<![a-z0-9'])" + _trie(words)] if words else []
        alternatives += [_trie(marks)] if marks else []
        self._regex = re.compile("|".join(alternatives))
        # The regex reports the longest literal at each start and goes on after it. The literals
        # that start inside that one are either inside it (found with it, at a known offset) or run
        # past its end (checked where they would start): every occurrence is found.
        self._inside: dict[str, tuple[tuple[int, str], ...]] = {}
        self._across: dict[str, tuple[tuple[int, str], ...]] = {}
        for x in found:
            inside, across = [], []
            for y in found:
                for k in range(len(x)):
                    if y[0].isalnum() and not _starts_word(x, k):
                        continue
                    if x.startswith(y, k):
                        inside.append((k, y))
                    elif k and y.startswith(x[k:]):
                        across.append((k, y))
            self._inside[x] = tuple(sorted(inside))  # by offset: `scan` emits positions in order
            self._across[x] = tuple(across)

    def scan(self, text: str, spans: list[tuple[int, int]]) -> tuple[list[Hits], list[int]]:
        """For each (start, end) of `spans` (in text order, not overlapping), where the literals start,
        and the OR of their `groups` bits."""
        out: list[Hits] = [{} for _ in spans]
        masks = [0] * len(spans)
        if not spans:
            return out, masks
        groups = self._groups
        # Written straight into the dicts, in text order: matches do not overlap and the offsets
        # inside one are sorted, so positions come increasing (and no temporary list of pairs is
        # built: thousands of short-lived tuples would set the garbage collector off mid-parse).
        i, n, last = 0, len(spans), spans[-1][1]
        start, end = spans[0]
        hits = out[0]
        inside, across = self._inside, self._across
        for m in self._regex.finditer(text, start, last):
            p, x = m.start(), m.group()
            for k, y in inside[x] if not across[x] else self._merged(text, p, x, last):
                q = p + k
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

    def _merged(self, text: str, p: int, x: str, last: int) -> list[tuple[int, str]]:
        found = list(self._inside[x])
        found += [(k, y) for k, y in self._across[x] if text.startswith(y, p + k, last)]
        found.sort()
        return found
