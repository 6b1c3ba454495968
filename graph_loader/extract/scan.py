"""Run a regex only where it can match: the same matches as `pattern.finditer`, without trying every
branch of the pattern at every character of a long block.

A caller names the positions where a match can start (where one of the words its branches begin
with occurs, found with `str.find`, which is C-speed). Trying `pattern.match` there in order, and
skipping positions inside the previous match, is exactly what `finditer` returns as long as every
possible start is among the candidates. Case-insensitive patterns look their words up in a
lower-cased copy, which is only exact for ASCII text (`re.I` folds a few non-ASCII letters, such as
the Kelvin sign, onto ASCII ones; `str.lower` does not), so callers fall back to `finditer` otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def word_positions(text: str, words: Iterable[str], offset: int = 0) -> set[int]:
    """Every position (plus `offset`) where one of `words` occurs in `text`."""
    found: set[int] = set()
    for word in words:
        i = text.find(word)
        while i >= 0:
            found.add(offset + i)
            i = text.find(word, i + 1)
    return found


def matches_at(
    pattern: re.Pattern[str], text: str, candidates: Iterable[int], end: int | None = None
) -> list[re.Match[str]]:
    """What `pattern.finditer(text, min(candidates), end)` gives when every match starts at a candidate."""
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


def ascii_words_matches(
    pattern: re.Pattern[str], text: str, start: int, end: int, words: Iterable[str]
) -> list[re.Match[str]]:
    """`pattern.finditer(text, start, end)` for a case-insensitive pattern whose every match begins
    with one of `words` (lower case)."""
    part = text[start:end]
    if not part.isascii():
        return list(pattern.finditer(text, start, end))
    return matches_at(pattern, text, word_positions(part.lower(), words, start), end)
