"""Snippets around the words a full-text search matched."""

from __future__ import annotations

from api.graphql.snippets import search_terms, snippet

RATIONALE = (
    "The guidelines support up to ten visits of physical therapy. In this case there is no documentation "
    "of functional improvement after the prior sessions, so more therapy is not supported."
)


def test_terms_drop_operators_and_wildcards() -> None:
    assert search_terms('"functional improvement" AND therap*') == ["functional", "improvement", "therap"]
    assert search_terms("NOT OR") == []


def test_snippet_marks_the_words_and_gives_their_window() -> None:
    found = snippet(RATIONALE, '"functional improvement"')
    assert found is not None
    text, marked, (start, end) = found
    assert RATIONALE[start:end] == text and "functional improvement" in text
    assert "<mark>functional</mark> <mark>improvement</mark>" in marked
    assert start > 0 and not RATIONALE[start - 1].isalnum()


def test_prefix_queries_highlight_whole_words_and_html_is_escaped() -> None:
    found = snippet("Use <b>therapy</b> & therapeutic exercise.", "therap*")
    assert found is not None
    assert found[1] == "Use &lt;b&gt;<mark>therapy</mark>&lt;/b&gt; &amp; <mark>therapeutic</mark> exercise."


def test_no_snippet_for_a_fuzzy_match() -> None:
    assert snippet(RATIONALE, "theraphy~") is None
