"""Determination statements of the 2013 layout ("Notice of Independent Medical Review Determination")
and of the older item-statement form, found structurally: each statement's item, outcome and the span
of its rationale.

The 2013 letters list the numbered determinations ("1) MAXIMUS Federal Services, Inc. has determined
the request for <item> is [not] medically necessary and appropriate.") at the top, again after
"INDEPENDENT MEDICAL REVIEW DECISION AND RATIONALE", and close each "N) Regarding the request for
<item>:" block with it. A statement wraps over lines, and PDF extraction loses spaces at the joins
("isnot", "notmedically", "medicallynecessary"), so every gap in these patterns is `\\s*`. A number is
one decision; its first statement gives the item, its Regarding block the rationale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph_loader.models import Citation, CitedBy
from graph_loader.normalize.citations.resolve import parse_guideline_text

Span = tuple[int, int]

VERDICT = (
    r"(?P<verb>is|are|was|were)\s*(?P<neg>not\s*|non-?\s*)?medically\s*necessary"
    r"(?:\s*and\s*appropriate)?"
)
# Numbered at a line start ("1) MAXIMUS ..."), or inside a line when extraction ran lines together;
# a letter with one disputed item may leave the number out.
DETERMINATION = re.compile(
    r"(?:(?<![^\s])(?P<num>\d{1,2})\s*[).]\s*)?MAXIMUS\s*Federal\s*Services,?\s*Inc\.?,?\s*has\s*determined\s*"
    # An item never runs into the next statement, even when its own verdict is garbled.
    r"(?:that\s*)?the\s*requests?\s*for\s*(?P<item>\S(?:(?!MAXIMUS\s*Federal).){0,400}?)\s*"
    + VERDICT
    + r"\s*\.?",
    re.I | re.S,
)
# The item heading of a rationale block: up to three lines, never running into the block's own labels.
REGARDING = re.compile(
    r"(?:(?<![^\s])(?P<num>\d{1,2})\s*[).]\s*|^[ \t]*)Regarding\s*the\s*requests?\s*for\s*"
    r"(?P<item>\S[^:\n]{0,300}(?:\n(?![ \t]*(?:Medical\s*Treatment|Rationale))[^:\n]{0,300}){0,2}?)\s*:",
    re.I | re.M,
)
RATIONALE_LABEL = re.compile(r"(?<![^\s])Rationale\s*for\s*the\s*Decision\s*:\s*", re.I)
CA_LABEL = re.compile(
    r"(?<![^\s])Medical\s*Treatment\s*Guideline\(s\)\s*Used\s*by\s*the\s*Claims\s*Administrator\s*:\s*", re.I
)
MX_LABEL = re.compile(
    r"(?<![^\s])Medical\s*Treatment\s*Guideline\(s\)\s*Used\s*by\s*the\s*Expert\s*Reviewer\s*:\s*", re.I
)
# What follows the last block: the typist's initials ("/ab"), copies, the page footer.
TRAILER = re.compile(r"^[ \t]*(?:/[a-z]{1,4}\s*$|cc:|Page\s+\d+\s+of\s+\d+)", re.I | re.M)
# The older item-statement form ("1. Norco 10/325mg #120 is not medically necessary and appropriate."),
# whose rationale runs to the next statement.
ITEM_STATEMENT = re.compile(
    r"(?:has\s*determined\s*the\s*request\s*for|^\s*\d+\.\s*(?:The\s+request\s+for\s+)?|^\s*The\s+request\s+for\s+)"
    r"(?P<item>[^\n]+?(?:\n[^\n]+?){0,2}?)\s*" + VERDICT,
    re.I | re.M,
)


WHITESPACE = " \t\r\n"


@dataclass(frozen=True)
class Statement:
    number: int | None
    item: Span
    negative: bool
    # The verdict words ("is notmedically necessary and appropriate").
    verdict: Span
    rationale: Span | None
    claims_administrator: Span | None = None
    expert_reviewer: Span | None = None


def _strip(text: str, start: int, end: int, chars: str = " \t\r\n.:\"'") -> Span:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    rationale: Span | None
    ca: Span | None
    mx: Span | None


def _key(m: re.Match[str]) -> str:
    """A determination's identity: its number, else its item's words (unnumbered single items)."""
    if m.group("num"):
        return m.group("num").lstrip("0") or "0"
    return " ".join(flat(m.group("item")).lower().split()[:8])


def _regarding_blocks(text: str, begin: int, end: int) -> dict[str, _Block]:
    heads = list(REGARDING.finditer(text, begin, end))
    trailer = TRAILER.search(text, heads[-1].end(), end) if heads else None
    stop_all = trailer.start() if trailer else end
    out: dict[str, _Block] = {}
    for i, h in enumerate(heads):
        stop = heads[i + 1].start() if i + 1 < len(heads) else stop_all
        labels = sorted(
            (m.start(), m.end(), kind)
            for kind, pattern in (("rationale", RATIONALE_LABEL), ("ca", CA_LABEL), ("mx", MX_LABEL))
            for m in [pattern.search(text, h.end(), stop)]
            if m is not None
        )
        spans: dict[str, Span] = {}
        for j, (_, body, kind) in enumerate(labels):
            body_end = labels[j + 1][0] if j + 1 < len(labels) else stop
            span = _strip(text, body, body_end, WHITESPACE)
            if span[1] > span[0]:
                spans[kind] = span
        block = _Block(h.start(), stop, spans.get("rationale"), spans.get("ca"), spans.get("mx"))
        out.setdefault(_key(h), block)
        out.setdefault(" ".join(flat(h.group("item")).lower().split()[:8]), block)
    return out


def determinations(text: str, begin: int = 0, end: int | None = None) -> list[Statement]:
    """The 2013 determinations, one per number (or per item when unnumbered), in letter order; []
    when there are none."""
    end = len(text) if end is None else end
    blocks = _regarding_blocks(text, begin, end)
    inside = [(b.start, b.end) for b in blocks.values()]
    first: dict[str, re.Match[str]] = {}
    for m in DETERMINATION.finditer(text, begin, end):
        # The closing restatement inside a Regarding block repeats its item; the list statement comes
        # first, and an unnumbered restatement ("The request for X is ...") never starts a new decision.
        if not m.group("num") and first and any(a <= m.start() < b for a, b in inside):
            continue
        first.setdefault(_key(m), m)
    out: list[Statement] = []
    for key, m in first.items():
        block = blocks.get(key) or blocks.get(" ".join(flat(m.group("item")).lower().split()[:8]))
        out.append(
            Statement(
                number=int(m.group("num")) if m.group("num") else None,
                item=_strip(text, m.start("item"), m.end("item")),
                negative=bool(m.group("neg")),
                verdict=(m.start("verb"), m.end()),
                rationale=block.rationale if block else None,
                claims_administrator=block.ca if block else None,
                expert_reviewer=block.mx if block else None,
            )
        )
    return out


def item_statements(text: str, begin: int, end: int) -> list[Statement]:
    """Older layouts: 'X is [not] medically necessary and appropriate', one per disputed item; the
    rationale runs to the next statement."""
    matches = list(ITEM_STATEMENT.finditer(text, begin, end))
    out: list[Statement] = []
    for i, m in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else end
        out.append(
            Statement(
                number=None,
                item=_strip(text, m.start("item"), m.end("item")),
                negative=bool(m.group("neg")),
                verdict=(m.start("verb"), m.end()),
                rationale=_strip(text, m.end(), stop, WHITESPACE),
            )
        )
    return out


def flat(text: str) -> str:
    """One line, and the spaces PDF extraction lost restored where the verdict words ran together."""
    s = re.sub(r"\s+", " ", re.sub(r"(?<=\w)-\n(?=\w)", "-", text)).strip()
    return re.sub(
        r"\b(is|not)(?=(?:not|medically)\b)|\b(medically)(?=necessary\b)|\b(and)(?=appropriate\b)",
        r"\1\2\3 ",
        s,
    )


FINAL = re.compile(r"Final\s*Determination\s*:\s*(?P<word>UPHOLD|OVERTURN)(?P<part>\s*IN\s*PART)?", re.I)


def final_determination_mismatch(text: str, outcomes: list[str]) -> str | None:
    """A warning when the letter's "Final Determination: UPHOLD / OVERTURN [IN PART]" line disagrees
    with the outcomes read from the determinations (a missed or misread item)."""
    m = FINAL.search(text)
    if m is None or not outcomes:
        return None
    word = m.group("word").upper()
    expected = {"UPHELD"} if word == "UPHOLD" else {"OVERTURNED"}
    # "OVERTURN IN PART": some of each.
    ok = {"OVERTURNED", "UPHELD"} <= set(outcomes) if m.group("part") else set(outcomes) == expected
    return (
        None
        if ok
        else f"Final Determination {m.group(0).split(':')[-1].strip()!r} disagrees with the items read"
    )


# The 2013 guideline paragraphs are prose ("The Claims Administrator based its decision on the Chronic
# Pain Medical Treatment Guidelines, pages 98-99, part of the MTUS."); each guideline named is rewritten
# into the later "Decision based on MTUS ..." / "Decision based on Non-MTUS Citation ..." statement so
# that the one citation parser reads both layouts.
NO_CITATION = re.compile(
    r"did\s+not\s+cite|not\s+cite\s+any|no\s+(?:medical\s+)?(?:evidence|guidelines?)\s+(?:was|were)\s+cited",
    re.I,
)
LEAD_IN = re.compile(
    r"^.*?\bbased\s+(?:its|his/her|his|her|their)\s+decision\s+on\s+(?:the\s+)?", re.I | re.S
)
SAME_AS_CA = re.compile(
    r"guidelines?\s+used\s+by\s+the\s+Claims\s+Administrator\s+(?:(?:was|were|to\s+be)\s+)?(?:relevant|appropriate)",
    re.I,
)
GUIDELINE_SPLIT = re.compile(
    r";\s*|\.\s+(?=[A-Z])|,?\s+and\s+(?:on\s+)?(?:the\s+)?"
    r"(?=Official|ODG|ACOEM|American|MTUS|Chronic|Medical\s+Treatment|California)",
)
PART_OF_MTUS = re.compile(
    r",?\s*(?:(?:which|that)\s+(?:is|are)\s+)?(?P<not>not\s+)?(?:a\s+)?part\s+of\s+the\s+(?:California\s+)?"
    r"(?:MTUS|Medical\s+Treatment\s+Utilization\s+Schedule)(?:\s*\(MTUS\))?",
    re.I,
)
MTUS_NAMED = re.compile(
    r"^(?:CA\s+)?(?:MTUS|Chronic\s+Pain\s+Medical\s+Treatment|Medical\s+Treatment\s+Utilization)", re.I
)
ODG_NAMED = re.compile(r"Official\s+Disability\s+Guidelines|\bODG\b", re.I)


def later_form(paragraph: str) -> str:
    """The 2013 prose paragraph as 'Decision based on ...' statements; '' when it cites nothing."""
    flat_text = " ".join(paragraph.split())
    if NO_CITATION.search(flat_text) or not LEAD_IN.search(flat_text):
        return ""
    # "Guidelines (2009), Opioids": the edition year in parentheses reads as an empty section otherwise.
    body = re.sub(r"\s*\((\d{4})\)", r" \1", LEAD_IN.sub("", flat_text, count=1))
    statements: list[str] = []
    for part in GUIDELINE_SPLIT.split(body):
        m = PART_OF_MTUS.search(part)
        name = PART_OF_MTUS.sub("", part).strip(" .,")
        if not name:
            continue
        in_mtus = (m is not None and not m.group("not")) or (
            m is None and MTUS_NAMED.match(name) is not None and not ODG_NAMED.search(name)
        )
        statements.append(
            ("Decision based on MTUS " if in_mtus else "Decision based on Non-MTUS Citation ") + name
        )
    return " ".join(statements)


def same_as_claims_administrator(paragraph: str) -> bool:
    return SAME_AS_CA.search(" ".join(paragraph.split())) is not None


def citations(text: str, st: Statement) -> list[Citation]:
    """The guidelines the Claims Administrator and the Expert Reviewer paragraphs of one item name."""
    ca: list[Citation] = []
    if st.claims_administrator:
        s, e = st.claims_administrator
        ca = parse_guideline_text(later_form(text[s:e]), CitedBy.CLAIMS_ADMINISTRATOR, (s, e))
    mx: list[Citation] = []
    if st.expert_reviewer:
        s, e = st.expert_reviewer
        paragraph = text[s:e]
        mx = parse_guideline_text(later_form(paragraph), CitedBy.IMR_REVIEWER, (s, e))
        if same_as_claims_administrator(paragraph):
            # "found the guideline used by the Claims Administrator relevant and appropriate": the
            # reviewer cites the same documents.
            mx = [c.model_copy(update={"by": CitedBy.IMR_REVIEWER, "span": (s, e)}) for c in ca] + mx
    return ca + mx
