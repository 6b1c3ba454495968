"""ODG and ACOEM descriptors: the chapters a citation names and the topics printed with each.

"Ankle & Foot, Orthotic devices; Knee & Leg, Knee brace" is two chapters, each with its topic;
"Bone scan Hip" names its topic first; "Low Back (Hyperstimulation analgesia)" is ODG even without
ODG's name. Chapter names are found anywhere in the text, except inside a topic's own name ("chronic pain"
in "Antidepressants for chronic pain").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph_loader.normalize.citations.toc import WORD_START, Part, Toc, clean_part, matched_name, scan, toc

SHARED_TOPICS = re.compile(r"(?:\s|,|/|&|\band\b|\bchapters?\b|\bsections?\b)*", re.I)


@dataclass(frozen=True)
class ChapterPart:
    chapter: int | None
    text: str
    parts: list[Part]


def _topic_spans(t: Toc, text: str) -> list[tuple[int, int]]:
    if not t.sections:
        return []
    spans = []
    for start in (m.start() for m in WORD_START.finditer(text)):
        m = t.sections.match(text, start)
        if m and m.end() > start:
            spans.append((start, m.end()))
    return spans


def _chapters_in(t: Toc, text: str) -> list[tuple[int, int, int]]:
    """(start, end, chapter index) of every chapter name outside a topic name ("chronic pain" in
    "Antidepressants for chronic pain" is a topic's word, not the Pain chapter)."""
    if not t.chapter_pattern:
        return []
    masks = _topic_spans(t, text)
    out: list[tuple[int, int, int]] = []
    pos = 0
    for word in WORD_START.finditer(text):
        at = word.start()
        if at < pos or any(a < at < b for a, b in masks):
            continue
        m = t.chapter_pattern.match(text, at)
        # A longer topic name starting here wins ("Knee brace" is a topic, not the Knee chapter).
        if m is None or any(a == at and b > m.end() for a, b in masks):
            continue
        out.append((at, m.end(), t.chapter_groups[matched_name(m)]))
        pos = m.end()
    return out


def split_chapters(key: str, text: str) -> list[ChapterPart]:
    """ODG/ACOEM descriptors: each chapter named and the topics printed after it (or, for the first
    chapter, before it: "Bone scan Hip"). A chapter followed only by another chapter shares its topics
    ("Elbow and Shoulder chapters, Cold/heat packs")."""
    t = toc(key)
    found = _chapters_in(t, text)
    if not found:
        return [ChapterPart(None, clean_part(text), scan(t, text))]
    out: list[ChapterPart] = []
    for n, (start, end, index) in enumerate(found):
        stop = found[n + 1][0] if n + 1 < len(found) else len(text)
        topics = text[end:stop]
        lead = text[:start] if n == 0 else ""
        parts = scan(t, lead) + scan(t, topics)
        out.append(ChapterPart(index, clean_part(text[0 if n == 0 else start : stop]), parts))
    for n in range(len(out) - 2, -1, -1):
        between = text[found[n][1] : found[n + 1][0]]
        # Shared across "and", "&", "," or "/", but a semicolon ends a chapter's citation.
        if not out[n].parts and SHARED_TOPICS.fullmatch(between) is not None:
            out[n] = ChapterPart(out[n].chapter, out[n].text, out[n + 1].parts)
    return out


def chapter_name(key: str, index: int | None) -> str | None:
    return toc(key).chapters[index].name if index is not None else None


def chapter_by_number(key: str, number: str) -> str | None:
    t = toc(key)
    i = t.chapter_by_number.get(number)
    return t.chapters[i].name if i is not None else None


def starts_with_chapter(key: str, text: str) -> bool:
    """Whether the text opens with one of the document's chapters and then names nothing but its
    qualifiers and known topics: "Low Back (Hyperstimulation analgesia)" is ODG, "Low back pain in
    adults, a review" is not."""
    t = toc(key)
    if not t.chapter_pattern:
        return False
    m = t.chapter_pattern.match(text.strip())
    if not m:
        return False
    rest = text.strip()[m.end() :]
    parts = scan(t, rest)
    qualified = "(" in m.group(0) or re.search(r"\bchapter\b", m.group(0), re.I) is not None
    return all(p.index is not None for p in parts) and (bool(parts) or qualified or not rest.strip())


def chapter_catalog(key: str) -> list[str]:
    """Canonical chapter names of ODG or ACOEM (what Citation.chapter holds for those families)."""
    return [e.name for e in toc(key).chapters]
