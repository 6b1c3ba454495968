"""A highlighted snippet of a rationale around the words a full-text search matched. Pure."""

from __future__ import annotations

import re

# Lucene's operators and field syntax are not words to highlight.
_OPERATORS = {"and", "or", "not", "to"}
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
WINDOW = 90


def search_terms(text: str) -> list[str]:
    """The words of a Lucene query, wildcards dropped: 'functional improvement~ AND pt*' -> words."""
    words = [w.lower() for w in _WORD.findall(text.replace("*", " ").replace("?", " "))]
    return [w for w in dict.fromkeys(words) if w not in _OPERATORS and len(w) > 1]


def snippet(rationale: str, query: str) -> tuple[str, str, tuple[int, int]] | None:
    """(plain text, text with <mark> around each matched word, [start, end) in the rationale) of the
    window around the first matched word; None when no word of the query occurs (a fuzzy match)."""
    terms = search_terms(query)
    if not terms or not rationale:
        return None
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)
    first = pattern.search(rationale)
    if first is None:
        return None
    start = max(0, first.start() - WINDOW)
    end = min(len(rationale), first.end() + WINDOW)
    # Whole words at the window's edges.
    while start > 0 and rationale[start - 1].isalnum():
        start -= 1
    while end < len(rationale) and rationale[end].isalnum():
        end += 1
    text = rationale[start:end]
    marked = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", _escape(text))
    return text, marked, (start, end)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
