"""Disputed-item blocks: heading (item + outcome), the two guideline lines, and the rationale.

Blocks are found by their anchors ("Claims Administrator guideline:", "MAXIMUS guideline:",
"Decision rationale:"); the heading is the run of lines just before a block's first anchor that does
not end a sentence, widened over the "X was the original request ..." preamble of partly authorized
requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from graph_loader.extract import notice
from graph_loader.models import Citation, CitedBy, Decision, DecisionSpans, GuidelineFamily, Outcome
from graph_loader.normalize.citations.resolve import (
    catalog_entry,
    mtus_chapter,
    parse_guideline_text,
    parse_pages,
)
from graph_loader.normalize.citations.toc import page_sections
from graph_loader.normalize.reasons.rules import denial_reasons
from graph_loader.normalize.treatments.classify import classify_treatment
from graph_loader.normalize.treatments.item_regions import body_regions
from graph_loader.normalize.treatments.quantities import quantity
from graph_loader.text.literal_index import Prefiltered

ANCHOR = re.compile(
    r"^(?P<kind>Claims Administrator guideline|MAXIMUS guideline|Decision rationale)\s*:\s*", re.M | re.I
)
# Every ANCHOR match begins with one of these (graph_loader.text.literal_index).
ANCHOR_WORDS = ("claims administrator guideline", "maximus guideline", "decision rationale")
ANCHORS = Prefiltered(ANCHOR, ANCHOR_WORDS)
OUTCOME_TAIL = re.compile(r"(?:\s+is)?\s*:?\s*\b(Upheld|Overturned)\b\s*\.?\s*$", re.I)
INTRO = re.compile(r"set forth below\s*:\s*$|^IMR ISSUES.*$", re.I | re.M)
SENTENCE_END_LINE = re.compile(r"[.!?\"')]\s*$")
NOT_NECESSARY = re.compile(
    r"\b(?:is|are|was|were|be|remains?)\s+(not|non)[- ]?(?:medically\s+)?(?:necessary|certified|appropriate)"
    r"|\b(?:not medically necessary|non-?certified|is denied|upheld)\b",
    re.I,
)
NECESSARY = re.compile(
    r"\b(?:is|are|was|were)\s+(?:medically\s+necessary|certified|appropriate and medically necessary)"
    r"|\boverturned\b",
    re.I,
)


@dataclass(frozen=True)
class RawBlock:
    heading_start: int
    heading_end: int
    ca: tuple[int, int] | None
    mx: tuple[int, int] | None
    rationale: tuple[int, int] | None


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _heading_start(text: str, anchor: int, floor: int) -> int:
    """Walk back line by line from the anchor while the previous line does not end a sentence."""
    start = _line_start(text, anchor)
    if start == anchor and start > floor:
        start = _line_start(text, anchor - 1)
    lines_taken = 1
    while start > floor and lines_taken < 8:
        prev_end = start - 1
        prev_start = _line_start(text, prev_end)
        prev = text[prev_start:prev_end]
        if prev_start < floor or SENTENCE_END_LINE.search(prev) or INTRO.search(prev):
            break
        if ANCHOR.match(prev):
            break
        start = prev_start
        lines_taken += 1
    # Partly authorized requests: widen over "X was the original request. Y was authorized ..."
    for _ in range(6):
        heading = text[start:anchor]
        if re.search(r"was\s+the\s+original\s+request", heading, re.I) or start <= floor:
            break
        if not re.search(r"authori[sz]ed|IMR\s+eligible|original\s+request", heading, re.I):
            break
        prev_start = _line_start(text, start - 1)
        if prev_start < floor:
            break
        prev = text[prev_start : start - 1]
        if ANCHOR.match(prev) or re.search(r"(?:not\s+)?medically\s+necessary\.?\s*$", prev, re.I):
            break
        start = prev_start
    return start


def find_blocks(text: str, begin: int, end: int) -> list[RawBlock]:
    anchors = [
        (m.group("kind").lower().split()[0], m.start(), m.end()) for m in ANCHORS.finditer(text, begin, end)
    ]
    groups: list[dict[str, tuple[int, int]]] = []
    for kind, s, e in anchors:
        current = groups[-1] if groups else None
        if (
            current is None
            or kind == "claims"
            or (kind == "maximus" and ("maximus" in current or "decision" in current))
        ):
            groups.append({kind: (s, e)})
        elif kind not in current:
            current[kind] = (s, e)
        # A repeated "Decision rationale:" inside one block stays part of its rationale.
    intro = INTRO.search(text, begin, end)
    floor = intro.end() if intro else begin
    heading_starts: list[int] = []
    for g in groups:
        first = min(s for s, _ in g.values())
        heading_starts.append(_heading_start(text, first, floor))
        floor = max(e for _, e in g.values())
    blocks: list[RawBlock] = []
    for i, g in enumerate(groups):
        first = min(s for s, _ in g.values())
        next_start = heading_starts[i + 1] if i + 1 < len(groups) else end
        starts = sorted(s for s, _ in g.values())

        def body(
            key: str, g: dict[str, tuple[int, int]] = g, starts: list[int] = starts, stop_at: int = next_start
        ) -> tuple[int, int] | None:
            if key not in g:
                return None
            s, e = g[key]
            stop = min((x for x in [*starts, stop_at] if x > s), default=max(stop_at, e))
            return (e, max(stop, e))

        blocks.append(
            RawBlock(
                heading_start=min(heading_starts[i], first),
                heading_end=first,
                ca=body("claims"),
                mx=body("maximus"),
                rationale=body("decision"),
            )
        )
    return blocks


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


HYPHEN_BREAK = re.compile(r"(?<=\w)-\n(?=\w)")


def flat(text: str) -> str:
    # str.split() and `\s` agree on what white space is, and the join is C-speed on long rationales.
    if "-\n" in text:
        text = HYPHEN_BREAK.sub("-", text)
    return " ".join(text.split())


def infer_outcome(rationale: str) -> Outcome | None:
    """Read the outcome from the rationale's last verdict sentence."""
    last_neg = max((m.end() for m in NOT_NECESSARY.finditer(rationale)), default=-1)
    last_pos = max((m.end() for m in NECESSARY.finditer(rationale)), default=-1)
    if last_neg < 0 and last_pos < 0:
        return None
    return Outcome.UPHELD if last_neg >= last_pos else Outcome.OVERTURNED


PARTIAL_PATTERNS = (
    re.compile(r"^(?P<req>.+?)\s+was\s+the\s+original\s+request\.?\s*", re.I | re.S),
    re.compile(r"(?P<auth>.+?)\s+was\s+authori[sz]ed\s+by\s+the\s+Claims\s+Administrator\.?\s*", re.I | re.S),
    re.compile(
        r"The\s+Claims\s+Administrator\s+authori[sz]ed\s+(?P<auth>.+?),?\s+leaving\s+the\s+original"
        r"\s+request\s+IMR\s+eligible\.?\s*",
        re.I | re.S,
    ),
)
REMAINING = re.compile(
    r"(?:The\s+remaining\s+IMR\s+eligible\s+portion\s+of\s+the\s+original\s+request|The\s+original\s+request)"
    r"\s*(?:,|is|:)?\s*",
    re.I,
)


def split_heading(
    text: str, start: int, end: int
) -> tuple[dict[str, str], tuple[int, int], tuple[int, int] | None]:
    """(partial-authorization parts, item span, outcome-word span) of one heading."""
    heading = text[start:end]
    parts: dict[str, str] = {}
    item_from = 0
    pos = 0
    for pattern in PARTIAL_PATTERNS:
        m = pattern.match(heading, pos)
        if m:
            key = "requested" if "req" in m.groupdict() else "authorized"
            parts[key] = flat(m.group(key[:3] if key == "requested" else "auth"))
            pos = m.end()
    if parts:
        rem = REMAINING.search(heading, pos)
        item_from = rem.end() if rem else pos
    outcome = OUTCOME_TAIL.search(heading)
    item_to = outcome.start() if outcome else len(heading.rstrip().rstrip(":"))
    tail = re.search(r"\s+is\s*:?\s*$|\s*:\s*$", heading[:item_to])
    if tail:
        item_to = tail.start()
    item_span = _strip_span(text, start + item_from, start + item_to)
    outcome_span = (start + outcome.start(1), start + outcome.end(1)) if outcome else None
    return parts, item_span, outcome_span


MENTION = re.compile(
    r"\b(MTUS|ACOEM|ODG|Official Disability Guidelines|Chronic Pain (?:Medical )?Treatment Guidelines)\b[^.]{0,80}?"
    r"\b(?:pages?|pg\.?|Page\(s\))\s*:?\s*\d[\d,\s\-and]*",
    re.I,
)


# Every MENTION match starts with one of these words (graph_loader.text.literal_index).
MENTION_WORDS = ("mtus", "acoem", "odg", "official disability guidelines", "chronic pain")
MENTIONS = Prefiltered(MENTION, MENTION_WORDS)


def rationale_citations(text: str, start: int, end: int) -> list[Citation]:
    """Guideline pages the rationale names itself ("MTUS pages 98, 99 have the following")."""
    out: list[Citation] = []
    seen: set[tuple[str, tuple[int, ...]]] = set()
    for m in MENTIONS.finditer(text, start, end):
        word = m.group(1).lower()
        family = (
            GuidelineFamily.ODG
            if word in ("odg", "official disability guidelines")
            else (GuidelineFamily.ACOEM if word == "acoem" else GuidelineFamily.MTUS)
        )
        pages = parse_pages(m.group(0))
        key = (family.value, tuple(pages))
        if not pages or key in seen:
            continue
        seen.add(key)
        entry = catalog_entry(
            {"MTUS": "mtus-chronic-pain-2009", "ODG": "odg", "ACOEM": "acoem"}[family.value]
        )
        chapter = mtus_chapter(m.group(0)) if family is not GuidelineFamily.ODG else None
        if chapter is not None:
            # "MTUS Guideline in ACOEM Chapter 12, page 309": the MTUS's Low Back Complaints at p. 309.
            family, entry = GuidelineFamily.MTUS, chapter
        out.append(
            Citation(
                by=CitedBy.RATIONALE,
                guideline=family,
                guideline_key=entry.key,
                title=entry.title,
                edition=entry.edition,
                chapter=entry.chapter,
                pages=pages,
                # "MTUS Guideline in ACOEM Chapter 12, page 309" is an ACOEM chapter's page, not the
                # Chronic Pain guideline's.
                page_sections=[]
                if chapter is None and re.search(r"\bACOEM\b|\bchapter\b", m.group(0), re.I)
                else page_sections(entry.key, pages),
                url=entry.url,
                text=flat(m.group(0)),
                span=(m.start(), m.end()),
            )
        )
    return out


def new_decision(
    item: str,
    outcome: Outcome | None,
    warnings: list[str],
    text: str,
    reasons_from: tuple[int, int] | None,
    **fields: Any,
) -> Decision:
    """A decision as every layout builds it: what its item's words say (treatment, quantity, body
    regions) and, when upheld, the denial reasons of its rationale (text[reasons_from]); `fields` are
    the rest the layout read (citations, rationale, spans, ...)."""
    return Decision(
        item=item,
        outcome=outcome,
        treatment=classify_treatment(item, warnings),
        quantity=quantity(item),
        body_regions=body_regions(item),
        denial_reasons=denial_reasons(text[reasons_from[0] : reasons_from[1]], reasons_from[0])
        if reasons_from and outcome is Outcome.UPHELD
        else [],
        **fields,
    )


def decision_from_block(text: str, block: RawBlock, index: int, warnings: list[str]) -> Decision:
    parts, item_span, outcome_span = split_heading(text, block.heading_start, block.heading_end)
    item = flat(text[item_span[0] : item_span[1]])
    if not item:
        warnings.append(f"item {index}: no item heading before its guideline lines")
    if block.rationale is None:
        warnings.append(f"item {index}: no 'Decision rationale' block")
    rationale_span = _strip_span(text, *block.rationale) if block.rationale else None
    rationale = flat(text[rationale_span[0] : rationale_span[1]]) if rationale_span else ""
    outcome: Outcome | None = None
    inferred = False
    if outcome_span:
        outcome = Outcome(text[outcome_span[0] : outcome_span[1]].upper().replace("UPHELD", "UPHELD"))
    else:
        outcome = infer_outcome(rationale)
        inferred = outcome is not None
        if outcome is None:
            warnings.append(f"outcome of item {index} not found in its heading or rationale")
        else:
            warnings.append(f"outcome of item {index} inferred from its rationale")
    citations: list[Citation] = []
    if block.ca:
        s, e = _strip_span(text, *block.ca)
        citations += parse_guideline_text(text[s:e], CitedBy.CLAIMS_ADMINISTRATOR, (s, e))
    if block.mx:
        s, e = _strip_span(text, *block.mx)
        citations += parse_guideline_text(text[s:e], CitedBy.IMR_REVIEWER, (s, e))
    else:
        warnings.append(f"item {index}: no 'MAXIMUS guideline' line")
    if rationale_span:
        citations += rationale_citations(text, *rationale_span)
    requested = parts.get("requested")
    authorized = parts.get("authorized")
    return new_decision(
        item,
        outcome,
        warnings,
        text,
        rationale_span,
        outcome_inferred=inferred,
        requested_item=requested,
        requested_quantity=quantity(requested) if requested else None,
        authorized_item=authorized,
        authorized_quantity=quantity(authorized) if authorized else None,
        citations=citations,
        rationale=rationale,
        spans=DecisionSpans(item=item_span, outcome=outcome_span, rationale=rationale_span),
    )


def notice_decisions(text: str, begin: int, end: int, warnings: list[str]) -> list[Decision]:
    """The 2013 layout's numbered determinations, else the older 'X is [not] medically necessary and
    appropriate' statements, one decision per disputed item (graph_loader.extract.notice)."""
    out: list[Decision] = []
    seen: set[str] = set()
    statements = notice.determinations(text, begin, end)
    numbered = bool(statements)
    if not numbered:
        statements = notice.item_statements(text, begin, end)
    for st in statements:
        s, e = st.item
        item = notice.flat(text[s:e]).strip(" .:")
        item = re.sub(r"^(?:the\s+)?request\s+for\s+", "", item, flags=re.I)
        if numbered:
            # "the request for a lumbar MRI": the article is the letter's grammar, not the item's name.
            item = re.sub(r"^(?:an?|the)\s+", "", item, flags=re.I)
        if not item or item.lower() in seen:
            continue
        seen.add(item.lower())
        outcome = Outcome.UPHELD if st.negative else Outcome.OVERTURNED
        if numbered and st.rationale is None:
            warnings.append(f"item {st.number or len(out) + 1}: no 'Rationale for the Decision' block")
        r_start, r_end = st.rationale or (st.verdict[1], st.verdict[1])
        out.append(
            new_decision(
                item,
                outcome,
                warnings,
                text,
                (r_start, r_end),
                citations=notice.citations(text, st),
                rationale=notice.flat(text[r_start:r_end])[:4000],
                spans=DecisionSpans(item=(s, e), outcome=st.verdict, rationale=st.rationale),
            )
        )
    if out and numbered:
        warnings.append(
            "2013 layout: items read from the numbered determinations, citations from the guideline paragraphs"
        )
    elif out:
        warnings.append(
            "older layout: items read from 'is [not] medically necessary' statements; "
            "guideline citations not extracted"
        )
    return out
