"""Split a guideline line into one citation per guideline document and resolve each to the catalog.

"Decision based on MTUS Low Back Complaints 2004, Section(s): Summary, and Chronic Pain Medical
Treatment 2016, Section(s): Facet blocks" is two citations; "Non-MTUS Citation ACOEM guidelines and the
Official Disability Guidelines" is two more.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from graph_loader.models import Citation, CitedBy, GuidelineFamily
from graph_loader.normalize.citations.chapters import (
    chapter_by_number,
    chapter_name,
    split_chapters,
    starts_with_chapter,
)
from graph_loader.normalize.citations.toc import canonical, page_sections, split_sections

NO_EVIDENCE = re.compile(r"did\s+not\s+cite\s+any\s+medical\s+evidence", re.I)
BOILERPLATE = re.compile(
    r"The\s+(?:Claims\s+Administrator|Expert\s+Reviewer)\s+(?:based\s+their\s+decision\s+on\s+"
    r"recommendation\(s\)\s+outside\s+of\s+the\s+MTUS(?:\s+Guidelines)?|did\s+not\s+base\s+their\s+"
    r"decision\s+on\s+the\s+MTUS)\.?",
    re.I,
)
STATEMENT = re.compile(r"Decision\s+based\s+on\s+", re.I)
NON_MTUS = re.compile(r"^Non-?\s?MTUS(?:\s+Citation)?:?\s*", re.I)
MTUS_PREFIX = re.compile(r"^(?:CA\s+)?MTUS(?:\s+\(?ACOEM\)?)?\s*", re.I)
SECTION_LABEL = re.compile(r",?\s*Section\(s\)\s*:?\s*", re.I)
PAGES_LABEL = re.compile(
    r"\b(?:Page\(s\)|pages?|pgs?\.?|p\.)\s*:?\s*((?:\d{1,4}\s*(?:-|,|and|&|to)?\s*)+)", re.I
)
CHAPTER = re.compile(r"\bChapter\s+(\d{1,2})\b", re.I)
YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")
URL = re.compile(r"(?:https?://|www\.)[^\s,;]+", re.I)
# A new MTUS document inside one statement: ", and Opioid Treatment 2016, Section(s): ..."
MTUS_DOC_SPLIT = re.compile(r",\s+and\s+(?=(?:the\s+)?[A-Z][A-Za-z,\-\s]{3,80}?\s(?:19|20)\d\d\b)")
# How ODG names its own product and edition, not a chapter or topic: "ODG-TWC", "Treatment Index,
# 14th Edition (web)", "Integrated Treatment/Disability Duration Guidelines".
ODG_NOISE = re.compile(
    r"^\s*-\s*TWC\b|\bTWC\b|\bTreatment\s+Index\b|\bTreatment\s+in\s+Workers'?\s*Comp(?:ensation)?\b|"
    r"\bIntegrated\s+Treatment\s*/\s*Disability\s+Duration(?:\s+Guidelines?)?|\((?:web|online)\)|"
    r"\bweb[- ]based\b|\bonline\s+edition\b",
    re.I,
)
NON_MTUS_SOURCE = re.compile(
    r"Official\s+Disability\s+Guidelines|(?<!\()\bODG\b|American\s+College\s+of\s+Occupational"
    r"|(?<![(\w])ACOEM\b|Other\s+Medical\s+Treatment\s+Guidelines?|(?:https?://|www\.)\S+",
    re.I,
)


@dataclass(frozen=True)
class CatalogEntry:
    key: str
    family: GuidelineFamily
    title: str
    edition: str | None
    chapter: str | None
    pattern: re.Pattern[str]
    url: str
    page_url: str | None
    # The one document this entry is an edition of (its own key when it has no other edition).
    document: str


@cache
def catalog() -> tuple[CatalogEntry, ...]:
    raw = json.loads(resources.files("graph_loader.data").joinpath("guidelines.json").read_text())
    return tuple(
        CatalogEntry(
            key=d["key"],
            family=GuidelineFamily(d["family"]),
            title=d["title"],
            edition=d["edition"],
            chapter=d["chapter"],
            pattern=re.compile(d["aliases"], re.I),
            url=d["url"],
            page_url=d["page_url"],
            document=d.get("document", d["key"]),
        )
        for d in raw["documents"]
    )


def catalog_entry(key: str) -> CatalogEntry:
    return next(e for e in catalog() if e.key == key)


def flatten(text: str) -> str:
    """Join wrapped lines; a hyphen at a line end joins without a space (URLs, 'Non-\\nMTUS')."""
    return re.sub(r"\s+", " ", re.sub(r"-\n", "-", text)).strip()


def parse_pages(text: str) -> list[int]:
    pages: set[int] = set()
    for m in PAGES_LABEL.finditer(text):
        for rng in re.finditer(r"(\d{1,4})(?:\s*(?:-|to)\s*(\d{1,4}))?", m.group(1)):
            lo = int(rng.group(1))
            hi = int(rng.group(2)) if rng.group(2) else lo
            if lo <= hi <= lo + 30:
                pages.update(range(lo, hi + 1))
            else:
                pages.update({lo, hi})
    return sorted(p for p in pages if 0 < p < 2000)


def _clean_part(text: str) -> str:
    return text.strip(" .,;:-/")


def _section_text(after_label: str) -> str:
    return _clean_part(PAGES_LABEL.sub("", after_label))


def _resolved_sections(key: str, text: str) -> tuple[list[str], list[str]]:
    """(sections, unknown_sections) of one document's cited section text."""
    if not text:
        return [], []
    return canonical(key, split_sections(key, text))


def absolute_url(text: str | None) -> str | None:
    """An absolute http(s) URL, or None: 'www.mdguidelines.com' is read as https://www.mdguidelines.com."""
    if not text:
        return None
    url = text.strip().rstrip(".,;:)")
    if re.match(r"www\.", url, re.I):
        url = "https://" + url
    return (
        url
        if re.fullmatch(r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:[/?#]\S*)?", url)
        else None
    )


def _split_mtus_documents(body: str) -> list[str]:
    """Split at ', and <Title> <year>' only once the part before it has named its own year, so that
    'Forearm, Wrist, and Hand Complaints 2004' stays one document."""
    parts: list[str] = []
    last = 0
    for m in MTUS_DOC_SPLIT.finditer(body):
        if YEAR.search(body[last : m.start()]):
            parts.append(body[last : m.start()])
            last = m.end()
    parts.append(body[last:])
    return parts


def _title_part(part: str) -> str:
    cut = [m.start() for m in (SECTION_LABEL.search(part), PAGES_LABEL.search(part)) if m]
    return part[: min(cut)] if cut else part


def _resolve_mtus(part: str) -> tuple[CatalogEntry, str]:
    """The MTUS catalog entry a document part names, and the text left after its name."""
    year = YEAR.search(part)
    title_part = _title_part(part)
    for entry in catalog():
        if entry.family is not GuidelineFamily.MTUS or entry.key == "mtus":
            continue
        m = entry.pattern.search(title_part)
        if not m:
            continue
        if entry.key.startswith("mtus-chronic-pain"):
            edition = year.group(1) if year else "2009"
            entry = catalog_entry(f"mtus-chronic-pain-{'2016' if edition == '2016' else '2009'}")
        if entry.key == "mtus-acoem-2004":
            entry = mtus_chapter(title_part) or entry
        return entry, part[m.end() :]
    return mtus_chapter(title_part) or catalog_entry("mtus"), part


def mtus_chapter(text: str) -> CatalogEntry | None:
    """The MTUS's 2004 ACOEM chapter a "Chapter N" names ("ACOEM Chapter 12, page 309" is Low Back
    Complaints at that page), by the chapter numbers the catalog gives the MTUS chapters."""
    m = CHAPTER.search(text)
    if not m:
        return None
    number = str(int(m.group(1)))
    return next((e for e in catalog() if e.family is GuidelineFamily.MTUS and e.chapter == number), None)


def _page_url(entry: CatalogEntry, pages: list[int]) -> str:
    if entry.page_url and pages:
        return entry.page_url.format(page=pages[0])
    return entry.url


def _mtus_citations(statement: str, by: CitedBy, span: tuple[int, int]) -> list[Citation]:
    body = MTUS_PREFIX.sub("", statement)
    out: list[Citation] = []
    for part in _split_mtus_documents(body):
        part = part.strip()
        if not part:
            continue
        entry, rest = _resolve_mtus(part)
        pages = parse_pages(part)
        label = SECTION_LABEL.search(part)
        if label:
            section_text = _section_text(part[label.end() :])
        else:
            leftover = entry.pattern.sub("", _title_part(rest))
            leftover = YEAR.sub(
                "",
                re.sub(r"\bguidelines?\b|\bchapter\s+\d+\b|\b9792[\d.]*|\bMTUS\b", "", leftover, flags=re.I),
            )
            # Older letters run free text into the line ("Excessive Therapy: ... :Physical Medicine"):
            # the named section is the last phrase.
            leftover = re.split(r":", leftover)[-1]
            section_text = _section_text(leftover) if len(leftover.strip()) <= 80 else ""
        sections, unknown = _resolved_sections(entry.key, section_text)
        chapter = CHAPTER.search(part)
        out.append(
            Citation(
                by=by,
                guideline=GuidelineFamily.MTUS,
                guideline_key=entry.key,
                title=entry.title,
                edition=entry.edition,
                chapter=chapter.group(1) if chapter else entry.chapter,
                pages=pages,
                sections=sections,
                unknown_sections=unknown,
                page_sections=page_sections(entry.key, pages),
                url=_page_url(entry, pages),
                text=part,
                span=span,
            )
        )
    return out


def _non_mtus_citations(statement: str, by: CitedBy, span: tuple[int, int]) -> list[Citation]:
    body = NON_MTUS.sub("", statement)
    starts = [m.start() for m in NON_MTUS_SOURCE.finditer(body)]
    if not starts or starts[0] > 0:
        starts.insert(0, 0)
    parts = [body[a:b] for a, b in zip(starts, [*starts[1:], len(body)], strict=True)]
    merged: list[str] = []
    for part in parts:
        # "Other Medical Treatment Guidelines https://..." is one source, not two.
        if (
            merged
            and URL.match(part.strip())
            and re.search(r"Other\s+Medical\s+Treatment\s+Guidelines?\W*$", merged[-1], re.I)
        ):
            merged[-1] += part
        else:
            merged.append(part)
    out: list[Citation] = []
    for part in merged:
        text = re.sub(r"^\W*(?:and\s+)?(?:the\s+)?", "", part.strip(), flags=re.I)
        text = re.sub(r"(?:,|\s)+(?:and|the|and\s+the)\s*$", "", text, flags=re.I).strip(" ,;")
        if not text or not re.search(r"[A-Za-z]{2}", text):
            continue
        out.extend(_non_mtus_citation(text, by, span))
    return out


def _non_mtus_citation(text: str, by: CitedBy, span: tuple[int, int]) -> list[Citation]:
    pages = parse_pages(text)
    chapter = CHAPTER.search(text)
    url_match = URL.search(text)
    if re.match(r"Official\s+Disability|ODG", text, re.I):
        entry = catalog_entry("odg")
    elif re.match(r"American\s+College|ACOEM", text, re.I):
        entry = catalog_entry("acoem")
    elif not url_match and starts_with_chapter("odg", text):
        # "Low Back (Hyperstimulation analgesia)", "Shoulder (Acute & Chronic), Physical Therapy": an
        # ODG chapter and topic cited without ODG's name.
        entry = catalog_entry("odg")
    else:
        title = url_match.group(0).rstrip(".") if url_match else text
        return [
            Citation(
                by=by,
                guideline=GuidelineFamily.OTHER,
                title=title,
                url=absolute_url(url_match.group(0)) if url_match else None,
                pages=pages,
                text=text,
                span=span,
            )
        ]
    rest = entry.pattern.sub("", text, count=1) if entry.pattern.match(text) else text
    rest = re.sub(r"^\s*\((?:ODG|ACOEM)\)", "", rest, flags=re.I)
    rest = PAGES_LABEL.sub("", rest)
    ordinal = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)\s+ed(?:ition)?\.?", rest, re.I)
    rest = ODG_NOISE.sub(" ", rest)
    rest = re.sub(
        r",?\s*\(?\b\d{1,2}(?:st|nd|rd|th)\s+ed(?:ition)?\.?\)?,?|\((?:19|20)\d\d\)|,?\s*(?:19|20)\d\d\b,?",
        " ",
        rest,
        flags=re.I,
    )
    rest = re.sub(
        r"\b(?:Occupational\s+Medicine\s+)?(?:Practice\s+)?Guidelines?\b,?|\bWeb\s+Version\b,?|"
        r"\bChapter\s+\d+\b,?",
        " ",
        rest,
        flags=re.I,
    )
    rest = _clean_part(re.sub(r"\s+", " ", rest))
    year = YEAR.search(text)
    edition = year.group(1) if year else (f"{ordinal.group(1)} ed." if ordinal else None)
    chapters = split_chapters(entry.key, rest)
    out: list[Citation] = []
    for part in chapters:
        name = chapter_name(entry.key, part.chapter)
        if name is None and chapter and len(chapters) == 1:
            # "ACOEM ..., Chapter 7, page 127": the 2nd edition's chapters are known by number.
            name = chapter_by_number(entry.key, chapter.group(1)) or chapter.group(1)
        sections, unknown = canonical(entry.key, part.parts)
        # The title keeps each chapter's descriptor as cited: letters order chapter and topic either way.
        descriptor = rest if len(chapters) == 1 else part.text
        out.append(
            Citation(
                by=by,
                guideline=entry.family,
                guideline_key=entry.key,
                title=f"{entry.title}: {descriptor}" if descriptor else entry.title,
                edition=edition,
                chapter=name,
                pages=pages,
                sections=sections,
                unknown_sections=unknown,
                url=entry.url,
                text=text,
                span=span,
            )
        )
    return out


def parse_guideline_text(text: str, by: CitedBy, span: tuple[int, int]) -> list[Citation]:
    """All citations in the text of one 'X guideline:' block.

    Guideline lines repeat across letters (a few hundred distinct lines cover most of a corpus), and
    only `by` and `span` depend on where the line stands, so the reading is memoized on the text and
    each call gets fresh models (nothing is shared between letters)."""
    return [
        c.model_copy(
            update={
                "by": by,
                "span": span,
                "pages": list(c.pages),
                "sections": list(c.sections),
                "unknown_sections": list(c.unknown_sections),
                "page_sections": list(c.page_sections),
            }
        )
        for c in _guideline_citations(text)
    ]


@lru_cache(maxsize=8192)
def _guideline_citations(text: str) -> tuple[Citation, ...]:
    # Never handed out: callers get copies with their own `by`, `span` and lists.
    return tuple(_read_guideline_text(text, CitedBy.IMR_REVIEWER, (0, 0)))


def _read_guideline_text(text: str, by: CitedBy, span: tuple[int, int]) -> list[Citation]:
    flat = flatten(text)
    if NO_EVIDENCE.search(flat):
        return []
    flat = BOILERPLATE.sub(" ", flat)
    statements = [s.strip() for s in STATEMENT.split(flat) if s.strip()]
    out: list[Citation] = []
    for statement in statements:
        statement = statement.rstrip(". ")
        if NON_MTUS.match(statement):
            out.extend(_non_mtus_citations(statement, by, span))
        elif re.match(r"(?:CA\s+)?MTUS", statement, re.I):
            out.extend(_mtus_citations(statement, by, span))
        elif statement:
            out.extend(_non_mtus_citations(statement, by, span))
    return out
