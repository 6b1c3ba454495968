"""Split cited section text against a guideline document's own table of contents.

Letters join several sections with commas, but commas also sit inside section names ("NSAIDs, GI
symptoms & cardiovascular risk", "Opioids, criteria for use"), so the text is read against the
document's contents, longest name first, and only what matches nothing is left whole as an unknown
part. The tables live in guidelines.json next to the documents they describe.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

# Between two sections or a chapter and its topic: letters use all of these, and hyphens only
# where the printed name has none (names are tried first, so "Platelet-rich plasma" stays whole).
SEP = re.compile(r"(?:\s*(?:[,;:/.()\-–]|\band\b|&)\s*|\s+(?=[,;:/]))+", re.I)
# Words that name no section: what is left after a name, or a bare label between names.
FILLER = re.compile(
    r"^(?:\W|\b(?:sub)?headings?\b|\btopics?\b|\bsections?\b|\bchapters?\b|\bguidelines?\b|\bprocedure\s+"
    r"summary\b|\bonline\b|\bversion\b|\bweb\b|\bupdated\b[\s\d/]*|\bsee\b|\bthe\b|\bof\b|\band\b)*$",
    re.I,
)
NUMBERED = re.compile(r"(?:^|(?<=[,;])\s*)(?=\d{1,2}(?:\.\d{1,2}){0,4}\.?\s+[A-Z])")
NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+")
# A chapter's own qualifiers, not a topic: "(Acute & Chronic)", "(updated 11/16/16)", "Chapter".
CHAPTER_TAIL = (
    r"(?:\s*(?:\((?=[^()]*\b(?:acute|chronic|updated|online|version|trauma|lumbar|thoracic)\b)[^()]*\)"
    r"|\bchapters?\b|\bsections?\b|\bprocedure\s+summary\b|\bonline\s+version\b|\bguidelines?\b))*"
)
SECTION_TAIL = r"(?:'?s)?(?:\s+(?:topic|section|subheading|guidelines?))?(?:\s*\((?:[^()]|\([^()]*\))*\))?"
WORD_START = re.compile(r"(?<![\w-])\w")
BOUNDARY = r"(?=\s*$|\s*[,;:/.()\-–]|\s+(?:and|&)\s)"


@dataclass(frozen=True)
class TocEntry:
    name: str
    label: str
    number: str | None
    parent: str | None
    pages: tuple[int, int] | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Toc:
    key: str
    entries: tuple[TocEntry, ...]
    chapters: tuple[TocEntry, ...]
    sections: Alternation | None
    chapter_pattern: Alternation | None
    # Named group -> entry index (into entries, or into chapters for chapter_pattern).
    groups: dict[str, int]
    chapter_groups: dict[str, int]
    by_number: dict[str, int]
    chapter_by_number: dict[str, int]
    spellings: dict[str, int]
    # The spellings by length: a typo's candidates are only those of a length that can be close.
    spelling_lengths: dict[int, tuple[str, ...]]
    spelling_counts: dict[str, tuple[tuple[str, int], ...]]  # each spelling's characters, counted


@dataclass(frozen=True)
class Part:
    """One piece of cited text: a TOC entry (index) or, when index is None, an unknown part as printed."""

    index: int | None
    text: str


def _entry(d: dict[str, Any]) -> TocEntry:
    name = d["name"]
    number, parent = d.get("number"), d.get("parent")
    if number and parent:
        label = f"{number} {parent}: {name}"
    elif parent:
        label = f"{parent}: {name}"
    elif number and "." in number:
        label = f"{number} {name}"
    else:
        label = name
    aliases = [name, *d.get("aliases", [])]
    # "Cyclobenzaprine (Flexeril)": the bare name and a one-word parenthesis ("MRI", "Flexeril") are
    # how letters shorten it.
    paren = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", name)
    if paren:
        aliases.append(paren.group(1))
        if re.fullmatch(r"[\w/-]{2,}", paren.group(2)):
            aliases.append(paren.group(2))
    pages = tuple(d["pages"]) if d.get("pages") else None
    return TocEntry(
        name=name,
        label=label,
        number=number,
        parent=parent,
        pages=(pages[0], pages[-1]) if pages else None,
        aliases=tuple(dict.fromkeys(a for a in aliases if a)),
    )


def _phrase(alias: str) -> str:
    """A literal alias as a forgiving regex: '&'/'and', spacing, hyphens, commas, apostrophes free."""
    out = ""
    prev_word = False
    for tok in re.findall(r"[^\W_]+|[^\w\s]", alias.replace("'", "").replace("’", "")):
        word = tok[0].isalnum()
        if out:
            out += r"(?:\s+|\s*-\s*)" if word and prev_word else r"\s*"
        if tok.lower() == "and" or tok == "&":
            out += r"(?:and|&)"
        elif word:
            out += re.escape(tok[:-1]) + "'?s" if len(tok) > 2 and tok.endswith("s") else re.escape(tok)
        elif tok in ",-":
            out += re.escape(tok) + "?"
        else:
            out += re.escape(tok)
        prev_word = word
    return out


@dataclass(frozen=True)
class Alternation:
    """Names as one regex (`whole`: at a position, the first name in its order that matches there),
    matched through the names that can start with the character found there. A letter's descriptor
    is tried at every word, and the regex engine tries every one of some 250 names at each."""

    whole: re.Pattern[str]
    by_first: dict[str, re.Pattern[str]]  # lower-cased ASCII character -> the names starting with it
    rest: re.Pattern[str]  # the names that need not start with any one character

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        c = text[pos : pos + 1]
        # A character beyond ASCII can match an ASCII name's first letter ignoring case (the Kelvin
        # sign is a K): only the whole regex knows.
        if not c.isascii():
            return self.whole.match(text, pos)
        return self.by_first.get(c.lower(), self.rest).match(text, pos)


def _first_chars(alias: str) -> str | None:
    """The characters _phrase(alias) must start with (either, lower-cased), None when any."""
    first = re.match(r"[^\W_]+|[^\w\s]", alias.replace("'", "").replace("’", ""))
    if first is None or not first.group(0).isascii() or first.group(0) in ",-":
        return None  # no token, a character that folds beyond ASCII, or an optional comma or hyphen
    tok = first.group(0)
    return "a&" if tok.lower() == "and" or tok == "&" else tok[0].lower()


def _alternation(entries: tuple[TocEntry, ...], prefix: str, tail: str) -> tuple[Alternation, dict[str, int]]:
    pairs = sorted(
        ((alias, i) for i, e in enumerate(entries) for alias in e.aliases), key=lambda p: -len(p[0])
    )
    groups = {f"{prefix}{n}": i for n, (_, i) in enumerate(pairs)}
    named = [
        (f"(?P<{prefix}{n}>{_phrase(alias)})", _first_chars(alias)) for n, (alias, _) in enumerate(pairs)
    ]

    def compiled(branches: list[str]) -> re.Pattern[str]:
        return re.compile(f"(?:{'|'.join(branches) or '(?!)'}){tail}", re.I)

    # Each first character's names in the whole order, with the names that may start with any.
    firsts = sorted({c for _, cs in named if cs for c in cs})
    by_first = {c: compiled([b for b, cs in named if cs is None or c in cs]) for c in firsts}
    whole = compiled([b for b, _ in named])
    return Alternation(whole, by_first, compiled([b for b, cs in named if cs is None])), groups


@cache
def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("graph_loader.data").joinpath("guidelines.json").read_text()
    )
    return data


def _raw_entries(key: str) -> list[dict[str, Any]]:
    raw = _raw()
    doc = next(d for d in raw["documents"] if d["key"] == key)
    if doc.get("toc_of"):
        return _raw_entries(doc["toc_of"])
    out: list[dict[str, Any]] = list(doc.get("toc", []))
    for name in doc.get("toc_sets", []):
        out += raw["toc_sets"][name]
    return out


@cache
def toc(key: str) -> Toc:
    """The table of contents of one catalog document, compiled once per process."""
    doc = next(d for d in _raw()["documents"] if d["key"] == key)
    seen: set[str] = set()
    entries: list[TocEntry] = []
    for d in _raw_entries(key):
        if d["name"].lower() not in seen:
            seen.add(d["name"].lower())
            entries.append(_entry(d))
    chapters = tuple(_entry(d) for d in doc.get("chapters", []))
    sections, groups = _alternation(tuple(entries), "s", SECTION_TAIL + BOUNDARY) if entries else (None, {})
    chapter_pattern, chapter_groups = (
        _alternation(chapters, "c", CHAPTER_TAIL + r"(?![\w])") if chapters else (None, {})
    )
    spellings = {a.lower(): i for i, e in enumerate(entries) for a in e.aliases if len(a) >= 8}
    return Toc(
        key=key,
        entries=tuple(entries),
        chapters=chapters,
        sections=sections,
        chapter_pattern=chapter_pattern,
        groups=groups,
        chapter_groups=chapter_groups,
        by_number={e.number: i for i, e in enumerate(entries) if e.number},
        chapter_by_number={e.number: i for i, e in enumerate(chapters) if e.number},
        spellings=spellings,
        spelling_lengths={
            n: tuple(x for x in spellings if len(x) == n) for n in sorted({len(x) for x in spellings})
        },
        spelling_counts={x: tuple(Counter(x).items()) for x in spellings},
    )


def clean_part(text: str) -> str:
    text = text.strip(" .,;:-/–")
    if text.count("(") != text.count(")"):
        text = text.strip("()").strip(" .,;:-/–")
    # A joining word left at either end once the names around it are taken ("Low Back and").
    text = re.sub(r"^(?:and|&)\s+|\s+(?:and|&)$", "", text, flags=re.I)
    return re.sub(r"\s+", " ", text)


def _match_at(t: Toc, text: str, pos: int) -> re.Match[str] | None:
    return t.sections.match(text, pos) if t.sections else None


def _index(t: Toc, m: re.Match[str]) -> int:
    return t.groups[matched_name(m)]


def matched_name(m: re.Match[str]) -> str:
    """The named group of the name an Alternation matched: its only capturing groups are the names,
    one to a branch, so the last group matched is it (a groupdict of some 250 groups is not built)."""
    assert m.lastgroup is not None
    return m.lastgroup


_TYPO_CUTOFF = 0.9


def _misspelt(t: Toc, part: str) -> int | None:
    """A typo of a known name ("Surgical Considerstions"): close in spelling and long enough to tell."""
    if len(part) < 8:
        return None
    low = part.lower()
    # get_close_matches keeps only the spellings whose lengths (its real_quick_ratio, 2 * shorter /
    # both) and shared characters (its quick_ratio, 2 * characters in common / both) allow the
    # ratio; both are worked out here from counts made once, and it is given only the spellings that
    # pass them: the same answer without a matcher per spelling.
    have = Counter(low)
    near = [
        x
        for n, xs in t.spelling_lengths.items()
        if 2.0 * min(n, len(low)) / (n + len(low)) >= _TYPO_CUTOFF
        for x in xs
        if 2.0 * sum(min(k, have[c]) for c, k in t.spelling_counts[x]) / (n + len(low)) >= _TYPO_CUTOFF
    ]
    close = difflib.get_close_matches(low, near, n=1, cutoff=_TYPO_CUTOFF) if near else []
    return t.spellings[close[0]] if close else None


def _unknown(t: Toc, text: str) -> list[Part]:
    part = clean_part(text)
    if not part or FILLER.match(part):
        return []
    return [Part(_misspelt(t, part), part)]


def scan(t: Toc, text: str) -> list[Part]:
    """Known sections, longest first at each part start; unmatched text runs to the next known name."""
    parts: list[Part] = []
    m0 = SEP.match(text)
    pos = m0.end() if m0 else 0
    unknown_from: int | None = None
    last: tuple[int, int] | None = None  # span of the last known name

    def flush(end: int) -> None:
        assert unknown_from is not None
        found = _unknown(t, text[unknown_from:end])
        # "Opioids, on-going management": a lower-case phrase after a comma qualifies the name before
        # it (the guideline's own "Topical analgesics, compounded" style), so the whole stays one part.
        if (
            found
            and found[0].index is None
            and last is not None
            and parts
            and parts[-1].index is not None
            and re.fullmatch(r"\s*,\s*", text[last[1] : unknown_from])
            and found[0].text[:1].islower()
        ):
            parts[-1] = Part(None, clean_part(text[last[0] : end]))
            return
        parts.extend(found)

    while pos < len(text):
        m = _match_at(t, text, pos)
        if m and m.end() > pos:
            if unknown_from is not None:
                flush(pos)
                unknown_from = None
            parts.append(Part(_index(t, m), m.group(0)))
            last = (m.start(), m.end())
            sep = SEP.match(text, m.end())
            pos = sep.end() if sep else m.end()
            continue
        if unknown_from is None:
            unknown_from = pos
        nxt = SEP.search(text, pos + 1)
        pos = nxt.end() if nxt else len(text)
    if unknown_from is not None:
        flush(len(text))
    return parts


def _whole(t: Toc, text: str) -> int | None:
    parts = scan(t, text)
    return parts[0].index if len(parts) == 1 else None


def _numbered(t: Toc, text: str) -> list[Part] | None:
    """'<number> <part>: [<group>: ]<section>, <number> ...': one chunk per number, named by its last
    heading when the table knows it, else by its number."""
    starts = [m.start() for m in NUMBERED.finditer(text)]
    if not t.by_number or not starts or starts[0] != len(text) - len(text.lstrip()):
        return None
    parts: list[Part] = []
    for a, b in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = clean_part(text[a:b])
        number = NUMBER.match(chunk)
        if not chunk or not number:
            continue
        body = chunk[number.end() :]
        index = _whole(t, body.rsplit(":", 1)[-1]) if ":" in body else _whole(t, body)
        if index is None:
            index = t.by_number.get(number.group(1))
        parts.append(Part(index, chunk))
    return parts


def split_sections(key: str, text: str) -> list[Part]:
    t = toc(key)
    return _numbered(t, text) or scan(t, text)


def canonical(key: str, parts: list[Part]) -> tuple[list[str], list[str]]:
    """(sections, unknown): TOC labels in the document's own order, then unknown parts as printed,
    each once, so the same sections cited in another order give the same list."""
    t = toc(key)
    known = sorted({p.index for p in parts if p.index is not None})
    unknown = list(dict.fromkeys(p.text for p in parts if p.index is None))
    return [t.entries[i].label for i in known] + unknown, unknown


def page_sections(key: str | None, pages: list[int]) -> list[str]:
    """The TOC sections the cited pages fall in: the narrowest section holding them all ("pp. 63-66"
    is Muscle relaxants, not Naproxen on page 66), else for each page the narrowest holding it."""
    if not key or not pages:
        return []
    ranged = [(e.pages, i) for i, e in enumerate(toc(key).entries) if e.pages]

    def narrowest(held: list[int]) -> list[tuple[int, int]]:
        holding = [(hi - lo, i) for (lo, hi), i in ranged if all(lo <= p <= hi for p in held)]
        least = min((w for w, _ in holding), default=None)
        return [(w, i) for w, i in holding if w == least]

    found = {i for _, i in narrowest(pages)} or {i for p in pages for _, i in narrowest([p])}
    return [toc(key).entries[i].label for i in sorted(found)]


def section_catalog(key: str) -> list[dict[str, Any]]:
    """One row per TOC section of a catalog document, for section nodes: the canonical label (what
    Citation.sections and page_sections hold), its parts, pages and a link (the page of the document
    when the catalog knows its page range and the document has page links, else the document)."""
    doc = next(d for d in _raw()["documents"] if d["key"] == key)
    rows = []
    for e in toc(key).entries:
        url = doc["page_url"].format(page=e.pages[0]) if e.pages and doc.get("page_url") else doc["url"]
        rows.append(
            {
                "guideline_key": key,
                "name": e.label,
                "title": e.name,
                "number": e.number,
                "parent": e.parent,
                "pages": list(e.pages) if e.pages else None,
                "url": url,
            }
        )
    return rows
