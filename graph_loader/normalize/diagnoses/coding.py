"""Diagnosis phrases to ICD-10-CM codes, from the whole code set.

A phrase is tokenized with the corpus vocabulary (`diagnosis_terms`: abbreviations, synonyms, region
words) and matched against every ICD-10-CM description and inclusion term (`icd_index`). The code
is as specific as the phrase: "right knee medial meniscus tear" is S83.241A, "meniscus tear" S83.20-;
the 3-character category is always `category()` of it. Injury codes get their 7th character from the
phrase ("subsequent encounter" D, "sequela" S, else A).

Whether a mention is the worker's diagnosis is read from its wording (`status`): "rule out",
"possible", "suspect" are rule-outs, "status post", "history of" history, the rest stated.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph_loader.normalize.diagnoses import icd_index
from graph_loader.normalize.diagnoses import terms as terms

RULE_OUT = re.compile(
    r"\b(?:rule out|r/o|to rule out|suggest\w*|possible|possibly|probable|versus|vs\.?|evaluate for|suspect\w*|"
    r"questionable|query|concern for)\b",
    re.I,
)
HISTORY = re.compile(r"\b(?:status[- ]post|s/p|history of|h/o|past history|previous|prior)\b", re.I)
RADIATING = re.compile(r"\b(?:that\s+)?radiat\w*\b.*", re.I | re.S)
LINE_BREAK = re.compile(
    r"(?<=[a-z])-\s*\n\s*(?=[a-z])|(?<=[a-z]{3})- (?=(?:opathy|itis|osis|algia|ment|tion|ical|ular)\b)"
)
CAUSE = re.compile(r"\s+(?:secondary to|due to|related to|caused by|from)\s+.*", re.I | re.S)
FINDING = re.compile(r"\b(?:revealed|showed|shows|demonstrat\w+|consistent with|findings? of)\b", re.I)


def status(phrase: str) -> str:
    if RULE_OUT.search(phrase):
        return "rule_out"
    if HISTORY.search(phrase):
        return "history"
    if FINDING.search(phrase):
        return "finding"
    return "stated"


def _encounter(phrase: str) -> str:
    low = phrase.lower()
    if "subsequent encounter" in low or "routine healing" in low:
        return "D"
    if "sequela" in low:
        return "S"
    return "A"


@lru_cache(maxsize=65536)
def code_phrase(phrase: str) -> str | None:
    """ICD-10-CM code (with dot) for one diagnosis phrase, or None when no condition in it is coded."""
    text = without_status_words(phrase)
    code = icd_index.search_tokens(terms.query_tokens(text))
    if code is None and CAUSE.search(text):
        # "radiculopathy secondary to herniation": the condition, when the pair has no one code.
        code = icd_index.search_tokens(terms.query_tokens(CAUSE.sub("", text)))
    if code is None:
        return None
    return icd_index.index().with_seventh(code, _encounter(phrase))


@lru_cache(maxsize=65536)
def condition_tokens(phrase: str) -> tuple[str, ...]:
    """The words of a phrase that can anchor a code ("strain" in "lumbar strain"); () for "lumbar"."""
    vocab = icd_index.index().postings
    return tuple(
        t for t in terms.query_tokens(without_status_words(phrase)) if t in vocab and terms.is_condition(t)
    )


def anatomy_only(phrase: str) -> bool:
    """True for a phrase of anatomy words and nothing else ("fascia", "tendon of lower back")."""
    toks = terms.query_tokens(phrase)
    return bool(toks) and all(t in terms.ANATOMY or not terms.counts_for_coverage(t) for t in toks)


def needs_region(phrase: str) -> bool:
    """A condition that names no region and means nothing without one ("strain")."""
    toks = set(terms.query_tokens(phrase)) - {"right", "left", "bilateral"}
    return bool(toks) and toks <= terms.NEEDS_REGION


def without_status_words(phrase: str) -> str:
    """The condition itself: "rule out cervical HNP" -> "cervical HNP"."""
    text = HISTORY.sub(" ", RULE_OUT.sub(" ", phrase))
    # Where pain radiates is a symptom of the diagnosis, not another one.
    text = RADIATING.sub("", text)
    # Words broken at a line end ("radicul- opathy").
    return LINE_BREAK.sub("", text)


def category(code: str) -> str:
    return code.replace(".", "")[:3]


def is_valid(code: str) -> bool:
    return icd_index.index().is_valid(code)


def description(code: str) -> str:
    return icd_index.index().description(code)
