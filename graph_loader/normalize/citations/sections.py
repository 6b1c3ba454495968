"""Which `Guideline` document and which `GuidelineSection` nodes a citation points at.

Documents are what researchers name: each ODG or ACOEM chapter is a document of its own ("ODG Low
Back", "ODG Pain (Chronic)"), and the editions of one MTUS guideline (Chronic Pain 2009 and 2016) are one
document, the edition staying on the citation. A section is one node per section of a document the
citation names, so a count per section counts each section once, whatever else the citation names
beside it. A named section is keyed by document and its canonical name; a page citation goes to the
table-of-contents sections its pages fall in, or, where the catalog has no page ranges, to a node for
the page range; a chapter alone to the chapter's node; a citation naming nothing to the whole
document. A section name the document's table of contents lacks never becomes a node: it stays on the
citation as `unresolved` text ("Surgery for", "12/20" are fragments, not sections).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from graph_loader.models import Citation, GuidelineFamily
from graph_loader.normalize.citations.resolve import catalog, catalog_entry
from graph_loader.normalize.citations.toc import section_catalog


@dataclass(frozen=True)
class SectionTarget:
    key: str
    name: str
    # section (a table-of-contents entry or a named part), pages, chapter or document
    kind: str
    known: bool
    chapter: str | None
    pages: list[int] | None
    url: str | None

    def url_level(self, document_url: str | None) -> str | None:
        """How deep the link goes: PAGE (an anchor at the section's page), SECTION (a page of its own),
        DOCUMENT (only the document's link: the publisher has no deeper address we know), or null."""
        if not self.url:
            return None
        if self.url == document_url:
            return "DOCUMENT"
        return "PAGE" if "#page=" in self.url else "SECTION"


@dataclass(frozen=True)
class DocumentTarget:
    key: str
    family: str
    title: str
    # null for a document merged across editions; each citation keeps its own
    edition: str | None
    chapter: str | None
    url: str | None
    resolved: bool


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:120]


def _chapter_label(chapter: str) -> str:
    # "ACOEM ..., Chapter 12": a chapter known only by its number
    return f"Chapter {chapter}" if chapter.isdigit() else chapter


def document_of(c: Citation) -> DocumentTarget:
    """The document a researcher would say the citation is to."""
    return _document(c.guideline_key, c.guideline, c.chapter, c.title, c.edition, c.url)


@cache
def _document(
    key: str | None,
    family: GuidelineFamily,
    chapter: str | None,
    title: str,
    edition: str | None,
    url: str | None,
) -> DocumentTarget:
    # Every field of the citation it reads is an argument: cached, as most letters cite a few dozen.
    if key is None:
        return DocumentTarget("other:" + _slug(title), family.value, title, edition, None, url, False)
    entry = catalog_entry(key)
    if family in (GuidelineFamily.ODG, GuidelineFamily.ACOEM) and chapter:
        label = _chapter_label(chapter)
        return DocumentTarget(
            f"{entry.key}:{_slug(label)}",
            entry.family.value,
            f"{entry.title}: {label}",
            None,
            label,
            entry.url,
            True,
        )
    editions = [e for e in catalog() if e.document == entry.document]
    if len(editions) > 1:
        return DocumentTarget(
            entry.document, entry.family.value, entry.title, None, entry.chapter, editions[0].url, True
        )
    return DocumentTarget(
        entry.key, entry.family.value, entry.title, entry.edition, entry.chapter, entry.url, True
    )


def guideline_key(c: Citation) -> str:
    return document_of(c).key


@cache
def _catalog_sections(key: str) -> dict[str, dict[str, Any]]:
    try:
        return {row["name"].lower(): row for row in section_catalog(key)}
    except (StopIteration, KeyError):
        return {}


def _section_source(c: Citation) -> str | None:
    """The catalog entry whose table of contents and links a document's section nodes take: for a
    document merged across editions, the edition with page links, so that a section cited from either
    edition is one node with one set of properties whichever letter is loaded first."""
    if c.guideline_key is None:
        return None
    entry = catalog_entry(c.guideline_key)
    editions = [e for e in catalog() if e.document == entry.document]
    return next((e.key for e in editions if e.page_url), editions[0].key)


def _pages_url(c: Citation) -> str | None:
    source = _section_source(c)
    if source is None:
        return c.url
    entry = catalog_entry(source)
    return entry.page_url.format(page=c.pages[0]) if entry.page_url and c.pages else entry.url


def _page_label(pages: list[int]) -> str:
    lo, hi = pages[0], pages[-1]
    return f"p. {lo}" if lo == hi else f"pp. {lo}-{hi}"


def targets(c: Citation) -> list[SectionTarget]:
    document = document_of(c)
    g = document.key
    chapter = c.chapter if c.guideline in (GuidelineFamily.ODG, GuidelineFamily.ACOEM) else None
    unresolved = set(c.unknown_sections)
    names = [n for n in c.sections if n not in unresolved] or c.page_sections
    if names:
        source = _section_source(c)
        known = _catalog_sections(source) if source else {}
        out = []
        for name in names:
            row = known.get(name.lower())
            out.append(
                SectionTarget(
                    key=f"{g}#{chapter or ''}#{name.lower()}",
                    name=name,
                    kind="section",
                    known=row is not None,
                    chapter=chapter,
                    pages=row["pages"] if row else None,
                    url=row["url"] if row else document.url,
                )
            )
        return out
    if c.pages:
        pages = f"{c.pages[0]}-{c.pages[-1]}"
        return [
            SectionTarget(
                f"{g}#p={pages}",
                _page_label(c.pages),
                "pages",
                False,
                chapter,
                c.pages or None,
                _pages_url(c),
            )
        ]
    if chapter:
        return [SectionTarget(f"{g}#{chapter}#", chapter, "chapter", True, chapter, None, document.url)]
    return [SectionTarget(f"{g}##", "(whole document)", "document", True, None, None, document.url)]
