"""Which `GuidelineSection` nodes a citation points at: one per section of a document it names, so a
count per section counts each section once, whatever else the citation names beside it.

A named section is keyed by document, chapter (ODG and ACOEM topics repeat across chapters) and its
canonical name; a page citation goes to the table-of-contents sections its pages fall in, or, where
the catalog has no page ranges, to a node for the page range; a chapter alone (ODG) to a chapter
node; a citation naming nothing to the whole document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from graph_loader.models import Citation, GuidelineFamily
from graph_loader.normalize.citations.resolve import catalog_entry
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


def guideline_key(c: Citation) -> str:
    return c.guideline_key or "other:" + re.sub(r"[^a-z0-9]+", "-", c.title.lower()).strip("-")[:120]


@cache
def _catalog_sections(key: str) -> dict[str, dict[str, Any]]:
    try:
        return {row["name"].lower(): row for row in section_catalog(key)}
    except (StopIteration, KeyError):
        return {}


def _document_url(c: Citation) -> str | None:
    return catalog_entry(c.guideline_key).url if c.guideline_key else c.url


def _page_label(pages: list[int]) -> str:
    lo, hi = pages[0], pages[-1]
    return f"p. {lo}" if lo == hi else f"pp. {lo}-{hi}"


def targets(c: Citation) -> list[SectionTarget]:
    g = guideline_key(c)
    chapter = c.chapter if c.guideline in (GuidelineFamily.ODG, GuidelineFamily.ACOEM) else None
    names = c.sections or c.page_sections
    if names:
        catalog = _catalog_sections(c.guideline_key) if c.guideline_key else {}
        out = []
        for name in names:
            row = catalog.get(name.lower())
            out.append(
                SectionTarget(
                    key=f"{g}#{chapter or ''}#{name.lower()}",
                    name=name,
                    kind="section",
                    known=row is not None and name not in c.unknown_sections,
                    chapter=chapter,
                    pages=row["pages"] if row else None,
                    url=row["url"] if row else _document_url(c),
                )
            )
        return out
    if c.pages:
        pages = f"{c.pages[0]}-{c.pages[-1]}"
        return [
            SectionTarget(
                f"{g}#p={pages}", _page_label(c.pages), "pages", False, chapter, c.pages or None, c.url
            )
        ]
    if chapter:
        return [SectionTarget(f"{g}#{chapter}#", chapter, "chapter", True, chapter, None, _document_url(c))]
    return [SectionTarget(f"{g}##", "(whole document)", "document", True, None, None, _document_url(c))]
