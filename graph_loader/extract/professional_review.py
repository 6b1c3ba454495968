"""The "MEDICAL PROFESSIONAL REVIEW" layout, and the statements any letter makes of its items.

The layout is known from the 2017 IMRCrawler's knowledge of DWC's letters (quoted in issue 27), not from
a letter at hand: a title "MEDICAL PROFESSIONAL REVIEW" and six sections, each a heading in capitals
ending in a colon, in this order:
  ISSUE AT DISPUTE:                the disputed items, numbered ("1. ...") or one per line
  CASE SUMMARY:                    the patient, the injury, the diagnoses
  DOCUMENTS REVIEWED FOR DETERMINATION:
  MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:
  RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:
  MEDICAL REVIEWER QUALIFICATIONS:
An item's outcome is the rationale's statement of it ("The request for X is [not] medically
necessary"): by order when the rationale states as many items as the issue lists, else by the words
the statement's item shares with the listed one, else inferred from the rationale's last verdict with
a warning. An item's rationale is the rationale section from the end of the previous item's statement
to the end of its own; the guidelines relied upon are cited by every item (the section names no item).

`statements` also serves letters of no known layout (letter.py's fallback): "the request for X is
[not] medically necessary" and its close variants anywhere in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph_loader.extract import decisions as dec
from graph_loader.extract.layout import Block
from graph_loader.models import Citation, CitedBy, Decision, DecisionSpans, Outcome
from graph_loader.normalize.citations.resolve import parse_guideline_text

HEADINGS = {
    "issues": re.compile(r"^[ \t]*ISSUES?\s+AT\s+DISPUTE\s*:", re.M),
    "summary": re.compile(r"^[ \t]*CASE\s+SUMMARY\s*:", re.M),
    "documents": re.compile(r"^[ \t]*DOCUMENTS\s+REVIEWED\s+FOR\s+DETERMINATION\s*:", re.M),
    "guidelines": re.compile(
        r"^[ \t]*MEDICAL\s+TREATMENT\s+GUIDELINE\(S\)\s+RELIED\s+UPON\s+BY\s+PROFESSIONAL\s+REVIEWER"
        r"\s+AND\s+WHY\s*:",
        re.M,
    ),
    "rationale": re.compile(
        r"^[ \t]*RATIONALE\s+FOR\s+WHY\s+THE\s+REQUESTED\s+TREATMENT\s*/\s*SERVICE\s+IS\s*/\s*WAS\s+NOT"
        r"\s+MEDICALLY\s+NECESSARY\s*:",
        re.M,
    ),
    "qualifications": re.compile(r"^[ \t]*MEDICAL\s+REVIEWER\s+QUALIFICATIONS\s*:", re.M),
}
# The number or bullet of an item line of the issue section ("1. X", "1) X", "- X").
ITEM_MARK = re.compile(r"[ \t]*(?:\d{1,2}\s*[.)]|[-*\u2022])[ \t]*")
# "The request for X is not medically necessary", "the requested X was medically necessary", "the
# requests for X are not considered medically necessary", "X is non-certified as medically necessary"
# is not: a statement names its item after "request(s) for" or "requested". An item never runs over a
# sentence end or a blank line.
STATEMENT = re.compile(
    r"\b(?:the\s+)?(?:requests?\s+for|requested)\s+"
    r"(?P<item>\S(?:(?!\.\s+[A-Z])[^;\n]|\n(?![ \t]*\n)){0,300}?)\s+"
    r"(?P<verb>is|are|was|were)\s+(?P<neg1>not\s+)?"
    r"(?:(?:considered|deemed|found\s+to\s+be|shown\s+to\s+be|established\s+as)\s+)?(?P<neg2>not\s+|non-?)?"
    r"medically\s+(?:necessary|indicated)",
    re.I,
)
WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Statement:
    item: tuple[int, int]
    negative: bool
    verdict: tuple[int, int]


def sections(text: str) -> dict[str, Block]:
    """The layout's sections by name (each from after its heading to the next heading), or {} when the
    letter lacks the issue or the rationale heading: without them this reading has nothing to go on."""
    starts = sorted(
        (m.start(), m.end(), name) for name, pattern in HEADINGS.items() for m in [pattern.search(text)] if m
    )
    names = {name for _, _, name in starts}
    if not {"issues", "rationale"} <= names:
        return {}
    out: dict[str, Block] = {"preamble": Block(0, starts[0][0])}
    for i, (_, body, name) in enumerate(starts):
        out[name] = Block(body, starts[i + 1][0] if i + 1 < len(starts) else len(text))
    return out


def statements(text: str, begin: int, end: int) -> list[Statement]:
    """Every "request for X is [not] medically necessary" statement in [begin, end), in order."""
    out: list[Statement] = []
    for m in STATEMENT.finditer(text, begin, end):
        s, e = m.span("item")
        while e > s and text[e - 1] in " \t\r\n,":
            e -= 1
        out.append(
            Statement(item=(s, e), negative=bool(m.group("neg1") or m.group("neg2")), verdict=m.span("verb"))
        )
    return out


def _strip(text: str, start: int, end: int, chars: str = " \t\r\n") -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _items(text: str, block: Block) -> list[tuple[int, int]]:
    """One item per line of the issue section, its number or bullet and closing stop dropped; when the
    items are numbered, a line without a number continues the item above (a wrapped item)."""
    lines: list[tuple[bool, int, int]] = []
    pos = block.start
    while pos < block.end:
        stop = text.find("\n", pos, block.end)
        stop = block.end if stop < 0 else stop
        m = ITEM_MARK.match(text, pos, stop)
        s, e = _strip(text, m.end() if m else pos, stop, " \t\r\n.:;,")
        if e > s:
            lines.append((m is not None, s, e))
        pos = stop + 1
    numbered = any(marked for marked, _, _ in lines)
    spans: list[tuple[int, int]] = []
    for marked, s, e in lines:
        if numbered and not marked and spans:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


def _words(value: str) -> set[str]:
    return set(WORD.findall(value.lower()))


def _pair(text: str, items: list[tuple[int, int]], found: list[Statement]) -> list[Statement | None]:
    """The statement of each listed item (the module's docstring says how), or None. By words, the best
    sharing pairs first, each statement to one item."""
    if len(found) == len(items):
        return list(found)
    item_words = [_words(text[s:e]) for s, e in items]
    statement_words = [_words(text[st.item[0] : st.item[1]]) for st in found]
    scored = sorted(
        ((len(iw & sw), -i, -j) for i, iw in enumerate(item_words) for j, sw in enumerate(statement_words)),
        reverse=True,
    )
    out: list[Statement | None] = [None] * len(items)
    taken: set[int] = set()
    for score, i, j in scored:
        if score and out[-i] is None and -j not in taken:
            out[-i] = found[-j]
            taken.add(-j)
    return out


def read_decisions(text: str, parts: dict[str, Block], warnings: list[str]) -> list[Decision]:
    """The layout's decisions: items from the issue section, outcomes and rationales from the rationale
    section, citations from the guidelines section."""
    issues, rationale = parts["issues"], parts["rationale"]
    items = _items(text, issues)
    found = statements(text, rationale.start, rationale.end)
    if not items:
        items = [st.item for st in found]
        if items:
            warnings.append(
                "professional-review layout: no item under ISSUE AT DISPUTE; items read from the rationale"
            )
    guidelines: list[Citation] = []
    if "guidelines" in parts:
        g = parts["guidelines"]
        s, e = _strip(text, g.start, g.end)
        if e > s:
            guidelines = parse_guideline_text(text[s:e], CitedBy.IMR_REVIEWER, (s, e))
    if not guidelines:
        warnings.append("professional-review layout: no guideline relied upon was read")
    out: list[Decision] = []
    previous_end = rationale.start
    for index, (item_span, st) in enumerate(zip(items, _pair(text, items, found), strict=True), start=1):
        item = dec.flat(text[item_span[0] : item_span[1]])
        stop = (
            rationale.end
            if st is None or len(items) == 1
            else _sentence_end(text, st.verdict[1], rationale.end)
        )
        r_span = _strip(text, previous_end, stop) if stop > previous_end else None
        previous_end = max(previous_end, stop)
        rationale_text = dec.flat(text[r_span[0] : r_span[1]]) if r_span else ""
        inferred = False
        if st is not None:
            outcome: Outcome | None = Outcome.UPHELD if st.negative else Outcome.OVERTURNED
        else:
            outcome = dec.infer_outcome(rationale_text)
            inferred = outcome is not None
            warnings.append(
                f"outcome of item {index} inferred from its rationale"
                if inferred
                else f"outcome of item {index} not found in its rationale"
            )
        citations = [c.model_copy(deep=True) for c in guidelines]
        if r_span:
            citations += dec.rationale_citations(text, *r_span)
        out.append(
            dec.new_decision(
                item,
                outcome,
                warnings,
                text,
                r_span,
                outcome_inferred=inferred,
                citations=citations,
                rationale=rationale_text,
                spans=DecisionSpans(item=item_span, outcome=st.verdict if st else None, rationale=r_span),
            )
        )
    return out


def _sentence_end(text: str, pos: int, limit: int) -> int:
    stop = text.find(".", pos, limit)
    return limit if stop < 0 else stop + 1


ARTICLE = re.compile(r"(?:an?|the)\s+", re.I)


def fallback_decisions(text: str, warnings: list[str]) -> list[Decision]:
    """A letter of no known layout: one decision per item its statements name, where it is first named,
    with the outcome of its last statement; no rationale or citations."""
    by_item: dict[str, Statement] = {}
    for st in statements(text, 0, len(text)):
        key = " ".join(WORD.findall(text[st.item[0] : st.item[1]].lower()))
        if not key:
            continue
        first = by_item.get(key)
        by_item[key] = (
            st if first is None else Statement(item=first.item, negative=st.negative, verdict=st.verdict)
        )
    out: list[Decision] = []
    for st in by_item.values():
        s, e = st.item
        # "the request for a lumbar MRI": the article is the sentence's, not the item's name.
        article = ARTICLE.match(text, s, e)
        if article and article.end() < e:
            s = article.end()
        item = dec.flat(text[s:e])
        # No rationale is read in this layout, so no denial reasons either.
        out.append(
            dec.new_decision(
                item,
                Outcome.UPHELD if st.negative else Outcome.OVERTURNED,
                warnings,
                text,
                None,
                spans=DecisionSpans(item=(s, e), outcome=st.verdict),
            )
        )
    return out
