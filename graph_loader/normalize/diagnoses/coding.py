"""Diagnosis phrases to ICD-10-CM codes, from the whole code set.

A phrase is tokenized with the corpus vocabulary (`diagnosis_terms`: abbreviations, synonyms, region
words) and matched against every ICD-10-CM description and inclusion term (`icd_index`). The code
is as specific as the phrase: "right knee medial meniscus tear" is S83.241A, "meniscus tear" S83.20-;
the 3-character category is always `category()` of it. Injury codes get their 7th character from the
phrase ("subsequent encounter" D, "sequela" S, else A).

What a coder would not code is not coded: a condition or part naming no site or kind ("strains",
"other synovitis", "lateral recess"); and the search never lands in a chapter the phrase cannot mean
(`icd_index.GUARDED`). Concepts word overlap cannot reach (eponyms such as de Quervain, a disc lesion
with radiculopathy M51.1x by level, labral tears by joint) come from a curated table,
`graph_loader/data/diagnosis_concepts.json`, whose entry applies only when it accounts for every
condition word of the phrase; the phrase's side, level and site then choose the code under it.

Whether a mention is the worker's diagnosis is read from its wording (`status`): "rule out",
"possible", "suspect" are rule-outs, "status post", "history of" history, the rest stated.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from pathlib import Path

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
    r"(?<=[a-z])-\s*\n\s*(?=[a-z])|(?<=[a-z]{3})-\s+(?=(?:opathy|itis|osis|algia|ment|tion|ical|ular)\b)"
)
# Any other word broken at a line end: "radic- ulopathy", "tendi- nitis". Joined when the whole is a
# word of the code set and the tail alone is not.
BROKEN = re.compile(r"\b([a-z]{2,})-\s+([a-z]{3,})\b", re.I)
CONCEPTS_FILE = Path(__file__).resolve().parents[2] / "data" / "diagnosis_concepts.json"
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
    toks = terms.query_tokens(text)
    if unsited(toks):
        return None
    concept = _concept(toks)
    if concept is not None:
        return icd_index.index().with_seventh(concept, _encounter(phrase))
    code = icd_index.search_tokens(toks)
    if code is None and CAUSE.search(text):
        # "radiculopathy secondary to herniation": the condition, when the pair has no one code.
        code = icd_index.search_tokens(terms.query_tokens(CAUSE.sub("", text)))
    if code is None:
        return None
    return icd_index.index().with_seventh(code, _encounter(phrase))


def unsited(toks: tuple[str, ...]) -> bool:
    """A condition or a part naming no site or kind ("strains", "other synovitis", "lateral recess")."""
    words = set(toks) - {"right", "left", "bilateral"}
    return bool(words) and words <= terms.NEEDS_SITE | terms.GENERIC


@cache
def concepts() -> tuple[tuple[frozenset[str], str], ...]:
    """The curated concept table (graph_loader/data/diagnosis_concepts.json), most words first."""
    groups: dict[str, list[list[str]]] = json.loads(CONCEPTS_FILE.read_text(encoding="utf-8"))["concepts"]
    rows = [
        (frozenset(terms.tokens(words)), code.replace(".", "")) for g in groups.values() for words, code in g
    ]
    return tuple(sorted(rows, key=lambda r: -len(r[0])))


def _concept(toks: tuple[str, ...]) -> str | None:
    """The code of the largest concept the phrase states, narrowed by its side, level and site. A
    concept applies only when it accounts for every condition word of the phrase ("crush injury of
    the hand" is not "hand injury")."""
    have = set(toks)
    conditions = {t for t in toks if terms.is_condition(t)} - terms.GENERIC
    for words, code in concepts():
        if words <= have and conditions <= words:
            return icd_index.index().pick_within(code, list(toks))
    return None


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
    # "radiculopathy secondary to herniation" needs one as much as "radiculopathy".
    toks = set(terms.query_tokens(CAUSE.sub("", without_status_words(phrase)))) - {
        "right",
        "left",
        "bilateral",
    }
    return bool(toks) and toks <= terms.NEEDS_REGION


def without_status_words(phrase: str) -> str:
    """The condition itself: "rule out cervical HNP" -> "cervical HNP"."""
    text = HISTORY.sub(" ", RULE_OUT.sub(" ", phrase))
    # Where pain radiates is a symptom of the diagnosis, not another one.
    text = RADIATING.sub("", text)
    # Words broken at a line end ("radicul- opathy").
    return BROKEN.sub(_join_broken, LINE_BREAK.sub("", text))


def _join_broken(m: re.Match[str]) -> str:
    vocab = icd_index.index().postings
    whole = terms.tokens(m.group(1) + m.group(2))
    tail = terms.tokens(m.group(2))
    if len(whole) == 1 and whole[0] in vocab and not (tail and tail[0] in vocab):
        return m.group(1) + m.group(2)
    return m.group(0)


def category(code: str) -> str:
    return code.replace(".", "")[:3]


def is_valid(code: str) -> bool:
    return icd_index.index().is_valid(code)


def description(code: str) -> str:
    return icd_index.index().description(code)
