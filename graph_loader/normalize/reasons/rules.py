"""Why a request was denied: a small documented taxonomy, each code with its supporting sentence.

The taxonomy is deliberately small so that counts across hundreds of thousands of letters stay
comparable. The classifier reads the rationale's structure (`reasons_clauses.py`): reason cues count
in the reviewer's own sentences (about this case, or a general statement naming no guideline), not in
the guideline text the rationale cites or quotes; each cue needs a negation in the same clause, before
it ("there is no documentation of functional improvement") or after it ("the results of the first
visits were not documented"), because the same words in a positive clause say the criterion is met.
Two codes are self-negating ("the request exceeds ...", "long-term use is not recommended") and
NOT_RECOMMENDED_BY_GUIDELINE is the guideline's own verdict, so it may come from a guideline sentence,
but not from a conditional one ("... unless ...", "... for longer than 2 weeks"). INSUFFICIENT_DOCUMENTATION
is the residue: a clause saying a finding or record is missing where what is missing is no other
code's. A decision for a service that depends on a denied one gets ANCILLARY_TO_DENIED_SERVICE alone.

Rules only, nothing learned: the cues are the reviewers' stock phrases, written from the MTUS, ACOEM
and ODG vocabulary, not from any one letter. On the 94 shared letters (175 upheld decisions,
`python3 ../shared/tools/score_reasons.py ../shared/gold/dev-reasons.jsonl <(imr-graph parse
../shared/letters/dev)`) they score precision 0.966, recall 0.926, F1 0.945 (the classifier before
scored 0.602 / 0.709 / 0.651); on the third of them held out from tuning (`python -m bench.answers
--set fold`, the same seeded draw) F1 0.929, and on 100 letters never seen 0.810 (issue 30). Later
cues were written from the brief and the guidelines' wording and tested on sentences of our own
(`tests/unit/data/reason_sentences.txt`), not from the letters' errors.

Only upheld decisions get reasons (the call sites in `extract/decisions.py` pass the rationale of an
upheld decision only): an overturned decision's rationale explains why the criteria are met.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from graph_loader.models import DenialReason
from graph_loader.normalize.reasons.ancillary import ANCILLARY, DEPENDENT, SERVICE_DENIED, depends_on_denied
from graph_loader.normalize.reasons.clauses import ROLE_CUES, Role, Sentence, clauses, quoted_spans
from graph_loader.normalize.reasons.clauses import role as sentence_role
from graph_loader.normalize.reasons.codes import DESCRIPTIONS as DESCRIPTIONS
from graph_loader.normalize.reasons.codes import EXAMPLES as EXAMPLES
from graph_loader.normalize.reasons.cues import Cue, Hits, Lexicon
from graph_loader.normalize.reasons.negated_cues import NEGATED, NEGATION, POST_NEGATION

_NEGATED_C = tuple((code, Cue(p, starts)) for code, p, starts in NEGATED)
_MONITOR = dict(_NEGATED_C)["NO_MONITORING_OR_RISK_ASSESSMENT"]
_REQUESTED_TEST = re.compile(
    r"\b(?:purpose|reason|rationale|need|necessity|indication|request|requests|order|frequency) (?:of|for) "
    r"(?:the |a |an |this |repeat |another |random )?$"
)

# Self-negating cues (the limit is the reason; no separate negation needed).
_EXCEEDS = Cue(
    r"\bexceed\w*|in excess of|surpass\w*|beyond (?:the )?(?:guideline|recommend\w*|maximum|allowed|number)|"
    r"more than (?:the )?(?:[\w-]+ ){0,3}(?:recommended|guidelines?|allowed|supported)|upper limit|excessive|"
    r"(?:above|greater than|higher than) (?:the |what )?(?:[\w-]+ ){0,3}(?:recommended|guidelines?|allowed|maximum|supported)",
    starts="above |beyond |exceed|excessive|greater than |higher than |in excess of|more than |surpass|upper limit",
)
# "exceeds the guidelines": a reviewer's comparison, even in a sentence that names the guideline.
_EXCEEDS_GUIDELINE = Cue(
    r"exceed\w* (?:the |these |those )?(?:\w+ )?(?:guidelines?|recommend\w*|mtus|odg|acoem)|"
    r"more than (?:what )?(?:the )?guidelines? (?:allow|recommend|support)|in excess of (?:the )?(?:\w+ )?guidelines?",
    starts="exceed|in excess of |more than ",
)
# Normal findings said positively ("neurologically intact"): the absence of a deficit, no negation needed.
_NORMAL_NEURO = Cue(
    r"neurologically intact|normal neurolog\w* (?:exam\w*|findings)|non-?focal neurolog",
    starts="neurologically intact|non|normal neurolog",
)
_REQUEST_EXCEEDS = Cue(
    r"\b(?:additional|requested|these|this|the) (?:\w+ ){0,3}(?:will|would|does|do) (?:\w+ )?exceed",
    gate="exceed",
)
# Speculative or conditional limits ("may have exceeded", "when visits exceed the guideline, ...").
_HEDGE = Cue(
    r"\b(?:may|might|could) (?:have )?(?:already )?(?:exceed|surpass)|"
    r"\b(?:when|whenever|if) (?:[\w/-]+ ){0,8}?(?:exceed|surpass)",
    gate="exceed|surpass",
)
_SESSIONS = re.compile(r"\b(?:sessions?|visits?|injections?|tablets?|units?|quantity)\b")
_EXCEPTIONAL = Cue(
    r"(?:extenuating|exceptional|compelling|special) (?:\w+ )?(?:factors|circumstances|facts)",
    starts="compelling |exceptional |extenuating |special ",
)
_DURATION = re.compile(
    r"short[- ]term|long[- ]term|duration|shortest|short (?:course|period)|\b(?:weeks?|months?|years?)\b"
)

_LONG_TERM = Cue(
    r"long[- ]term (?:\w+ )?(?:use|treatment|therapy|usage|risk)|chronic (?:use|usage|risk)|"
    r"short(?:est)?[- ]?(?:term|duration|period|course)|limits? the use|"
    r"(?:ongoing|prolonged|extended) (?:use|usage)|(?:beyond|longer than|past) (?:the )?(?:recommended )?\d+(?:\s*(?:to|-)\s*\d+)?[- ](?:weeks?|days?|months?)",
    starts="beyond |chronic |extended |limit|long|longer than |ongoing |past |prolonged |short",
)
# Across sentences: the guideline's short course ("recommended for 2 to 3 weeks") and, in the
# reviewer's sentence, use that has lasted months ("has been taking it since 2014").
_SHORT_COURSE = Cue(
    r"short[- ]term (?:use|treatment|course|basis|therapy)|short course|shortest (?:possible )?(?:period|duration)|"
    r"\b(?:\d+|two|three|four) ?(?:to|-) ?(?:\d+|three|four|six) weeks|limits? (?:the |its )?(?:use|duration)|"
    r"not (?:recommended|indicated) for (?:long[- ]term|chronic) use|no (?:longer|more) than (?:\d+|two|three|four) weeks",
    gate="chronic|limit|long|short|weeks",
)
_PROLONGED = Cue(
    r"\b(?:taking|using|taken|used|on|prescribed|utilizing|utilized) (?:[\w/.%-]+ ){0,6}?(?:since\b|"
    r"for (?:at least |over |more than |several |many |the (?:past|last) )?(?:\w+ )?(?:months?|years?)\b)",
    gate="month|since|year",
)
_LONG_TERM_CONTEXT = re.compile(
    r"not (?:be )?(?:recommend\w*|indicated|supported?)|exceed\w*|beyond|risks?\b|does not appear|"
    r"limits? the use|outside|longer than"
)

_NOT_RECOMMENDED = Cue(
    r"not (?:be )?(?:recommended|been proven|proven)|no recommendations?\b|"
    r"(?:guidelines?|mtus|acoem|odg) (?:\w+ ){0,2}do(?:es)? not (?:recommend|support)\b|"
    r"(?:it does|it do|they do) not (?:recommend|support)\b|"
    r"(?:is|are) only (?:recommended|approved|fda[- ]approved|indicated)|only (?:\w+ ){0,4}(?:that is )?fda[- ]approved|"
    r"not (?:fda[- ])?approved|not indications? for|(?:is|are) not indicated for (?:this|the) (?:usage|use|condition)|"
    r"experimental|investigational|(?:its|the) usage is not supported|would not be indicated for|"
    r"not (?:been )?diagnosed with|recommends? against|"
    # the evidence base, not this patient's records ("insufficient evidence to recommend the use")
    r"(?:insufficient|limited|little(?: to no)?|lack of|no (?:scientific|quality|high[- ]quality|published|good|"
    r"strong|reliable)) (?:\w+ ){0,2}?evidence (?:to (?:support|recommend)|supporting|for) (?:the )?"
    r"(?:use|efficacy|routine|its)",
    starts="acoem|are not indicated for |are only |experimental|guideline|insufficient |investigational|is not indicated for |is only |it do not |it does not |its usage is not supported|lack of |limited |little |mtus|no |no recommendation|not |not indication|odg|only |recommend|the usage is not supported|they do not |would not be indicated for",
)
# Guideline sentences that state a condition or a limit, not a verdict on the treatment as such.
_NR_EXCEPT = re.compile(
    r"\bunless\b|\bif |\buntil\b|\bexcept\b|\bwhen\b|no recommendations?\b[^.]*\bhowever\b|longer than|"
    r"beyond|more than|"
    r"as a first[- ]line|as first[- ]line|"
    r"compound\w* (?:product|drug)|at least (?:one|1) drug|largely experimental|, but\b|in most instances|"
    r"is recommended (?:as|for)|routine use|long[- ]term|short[- ]term|short (?:course|period|duration)|shortest|"
    r"(?:chronic|prolonged|extended|ongoing) (?:use|usage)|\bbut\b|in the absence|\babsent\b|second[- ]line"
)
# A guideline's sentence is its verdict on the treatment only when it names no circumstance: not
# for acute pain, not without a prior trial, not as the sole treatment.
_NR_QUALIFIED = re.compile(
    r"\b(?:for|in) (?:the )?(?:acute|subacute)\b|\bwithout\b|\bother than\b|\bprior to\b|\bbefore\b|"
    r"\bafter\b|\bas (?:an? )?(?:primary|initial)\b|\bfor (?:patients|those|individuals)\b"
)

# Evidence negations for the residual code.
_EVIDENCE = Cue(
    r"\b(?:no|lacks?|lacked|lack(?:ing)? of|absence of|without|insufficient|nothing)\s+(?:[\w/-]+\s+){0,3}?"
    r"(?:documentation|evidence|indication|records?|findings?|history|information|mention|reports?|notes?|"
    r"details?|clarification|description|imaging|radiographs?|x-?rays?|mri|studies|study|complaints?|"
    r"diagnosis|symptoms|signs|deficits|specific|subjective|objective)\b|"
    r"\b(?:not|never|doesn't|don't|didn't|isn't|wasn't|aren't|weren't|hasn't|haven't|hadn't|can't|couldn't|wouldn't|shouldn't|won't|neither|nor|fail\w* to)\s+(?:\w+\s+){0,2}?(?:document\w*|provided|noted|"
    r"specif\w+|outlined|reported|mention\w*|submitted|included|described|identif\w+|show|reveal|provide|"
    r"demonstrat\w+|establish|indicate|note|address|clarif\w+|be established|include|state|contain|describe|"
    r"detail|list|reflect)\b|"
    r"\bno (?:[\w/-]+ ){1,3}(?:is |are |was |were )?(?:documented|noted|reported|provided|submitted|on file)\b|"
    r"\b(?:unclear|not clear) (?:if|whether|what|how)\b|made no mention",
    starts="absence of|aren't|can't|couldn't|didn't|doesn't|don't|fail|hadn't|hasn't|haven't|insufficient|isn't|lack|made no mention|neither|never|no|no |nor|not|not clear |nothing|shouldn't|unclear |wasn't|weren't|without|won't|wouldn't",
)
_CONCLUSION = Cue(
    r"medically (?:necessary|appropriate|reasonable)|medical necessity|criteria (?:have|has|are|were) not|"
    r"not (?:been )?met\b|(?:does|do|did) not (?:satisfy|meet)|guideline criteria|"
    r"(?:extenuating|exceptional|compelling) (?:\w+ )?(?:factors|circumstances)|against (?:the )?guideline|"
    r"outside (?:of )?(?:the )?(?:recommended )?guidelines?|deviate|(?:does|do) not (?:specifically )?address|"
    r"silent|(?<!unclear )(?<!clear )\bif |evidence (?:to|for) (?:recommend|support the use|utilize)",
    starts="against |compelling |criteria |deviate|did not |do not |does not |evidence |exceptional |extenuating |guideline criteria|if |medical necessity|medically |not |outside |silent",
)
# Every cue of a more specific code: a negated-evidence clause about one of these is that code's.
_SPECIFIC = (*(cue for _, cue in _NEGATED_C), _EXCEEDS, _LONG_TERM)

_ORDER = tuple(DESCRIPTIONS)
_POST_WORDS = Cue(
    r"not|never|absent|lacking|missing", starts="absent|lacking|missing|never|not"
)  # what POST_NEGATION needs, for the lexicon
_SPECIFIC_WORDS = frozenset(w for cue in _SPECIFIC for w in cue.literals)
_NEGATION_WORDS = frozenset(NEGATION.literals + _POST_WORDS.literals)
_EXCEEDS_WORDS = frozenset(
    _REQUEST_EXCEEDS.literals + _EXCEEDS.literals + _EXCEPTIONAL.literals + _EXCEEDS_GUIDELINE.literals
)


def _negated(text: str, hits: Hits, a: int, b: int, anchor: Cue) -> bool:
    m = anchor.search(text, hits, a, b)
    while m is not None:
        if anchor is _MONITOR and _REQUESTED_TEST.search(text, max(a, m.start() - 40), m.start()):
            pass  # the test is what is requested or asked about, not monitoring found missing
        elif NEGATION.found(text, hits, a, m.start()) or POST_NEGATION.match(text, m.end(), b):
            return True
        m = anchor.search(text, hits, m.end(), b)
    return False


def _exceeds(text: str, hits: Hits, a: int, b: int, role: Role) -> bool:
    # Guidelines state limits ("up to 10 visits"); that a request exceeds one is the reviewer's word,
    # even in a sentence that names the guideline ("additional visits will exceed the guidelines").
    if role not in (Role.CASE, Role.GUIDELINE) or _HEDGE.found(text, hits, a, b):
        return False
    if _REQUEST_EXCEEDS.found(text, hits, a, b) or _EXCEEDS_GUIDELINE.found(text, hits, a, b):
        return True
    if role is Role.GUIDELINE:
        return False
    if _EXCEEDS.found(text, hits, a, b):
        return True
    return bool(
        _EXCEPTIONAL.found(text, hits, a, b)
        and _SESSIONS.search(text, a, b)
        and NEGATION.found(text, hits, a, b)
    )


def _clause_codes(
    text: str, hits: Hits, a: int, b: int, role: Role, cues: _Present, long_term: bool
) -> list[str]:
    codes: list[str] = []
    reviewer = role is Role.CASE
    mask = cues.mask
    if reviewer:
        codes += [code for code, anchor in cues.anchors if _negated(text, hits, a, b, anchor)]
        if mask & _B_NORMAL_NEURO and _NORMAL_NEURO.found(text, hits, a, b):
            codes.append("NO_RED_FLAGS")
    if mask & _B_EXCEEDS and _exceeds(text, hits, a, b, role):
        # "exceeding the recommendation for short-term use" is a duration, not a count.
        duration = _DURATION.search(text, a, b) and not _SESSIONS.search(text, a, b)
        codes.append("LONG_TERM_USE_NOT_SUPPORTED" if duration else "EXCEEDS_GUIDELINE_LIMITS")
    if (
        reviewer
        and mask & _B_LONG_TERM
        and long_term  # the verdict may sit in another clause ("chronic use, which is not supported")
        and _LONG_TERM.found(text, hits, a, b)
    ):
        codes.append("LONG_TERM_USE_NOT_SUPPORTED")
    return codes


class _Present(NamedTuple):
    """Which cues can match anywhere in a sentence (one bit each, from its literals): the rest are
    not tried clause by clause."""

    mask: int
    anchors: tuple[tuple[str, Cue], ...]

    @classmethod
    def of(cls, mask: int) -> _Present:
        # Few masks occur (a sentence's cue words come from a small lexicon): each is built once.
        present = _PRESENT.get(mask)
        if present is None:
            # A sentence without any negation word can give only the self-negating codes.
            anchors = tuple(c for i, c in enumerate(_NEGATED_C) if mask >> (_B_FIRST_ANCHOR + i) & 1)
            present = _PRESENT[mask] = cls(mask, anchors if mask & _B_NEGATION else ())
        return present


_PRESENT: dict[int, _Present] = {}


_GROUPS = (
    _NEGATION_WORDS,
    _EXCEEDS_WORDS,
    _LONG_TERM.literal_set,
    _EVIDENCE.literal_set,
    _NORMAL_NEURO.literal_set,
    _NOT_RECOMMENDED.literal_set,
    _CONCLUSION.literal_set,
    ANCILLARY.literal_set | DEPENDENT.literal_set,
)
_B_NEGATION, _B_EXCEEDS, _B_LONG_TERM, _B_EVIDENCE, _B_NORMAL_NEURO, _B_NR, _B_CONCLUSION, _B_ANCILLARY = (
    1 << i for i in range(len(_GROUPS))
)
_B_FIRST_ANCHOR = len(_GROUPS)
_B_CLAUSE_CUES = _B_NEGATION | _B_EXCEEDS | _B_LONG_TERM | _B_NORMAL_NEURO


_LEXICON = Lexicon(
    (
        *ROLE_CUES,
        _POST_WORDS,
        ANCILLARY,
        DEPENDENT,
        SERVICE_DENIED,
        NEGATION,
        _EXCEEDS,
        _REQUEST_EXCEEDS,
        _EXCEEDS_GUIDELINE,
        _NORMAL_NEURO,
        _HEDGE,
        _EXCEPTIONAL,
        _LONG_TERM,
        _SHORT_COURSE,
        _PROLONGED,
        _NOT_RECOMMENDED,
        _EVIDENCE,
        _CONCLUSION,
        *_SPECIFIC,
    ),
    # The bits above, then one per negated anchor.
    groups=(*_GROUPS, *(anchor.literal_set for _, anchor in _NEGATED_C)),
)


def _sentence_codes(text: str, s: Sentence, cues: _Present) -> list[str]:
    codes: list[str] = []
    if s.role is Role.BOILERPLATE or s.role is Role.QUOTE:
        return codes
    hits, mask = s.hits, cues.mask
    if (
        mask & _B_NR
        and _NOT_RECOMMENDED.found(text, hits, s.start, s.end)
        and not _NR_EXCEPT.search(text, s.start, s.end)
        and not (s.role is Role.GUIDELINE and _NR_QUALIFIED.search(text, s.start, s.end))
    ):
        codes.append("NOT_RECOMMENDED_BY_GUIDELINE")
    evidence = s.role is Role.CASE and mask & _B_NEGATION and mask & _B_EVIDENCE
    if not mask & _B_CLAUSE_CUES:  # nothing a clause could give: not split at all
        return codes
    parts = clauses(text, s.start, s.end) if s.role is Role.CASE else ((s.start, s.end),)
    long_term = bool(mask & _B_LONG_TERM and _LONG_TERM_CONTEXT.search(text, s.start, s.end))
    for a, b in parts:
        codes += _clause_codes(text, hits, a, b, s.role, cues, long_term)
        if evidence and _missing_evidence(text, hits, a, b, mask):
            codes.append("INSUFFICIENT_DOCUMENTATION")
    return codes


def _missing_evidence(text: str, hits: Hits, a: int, b: int, mask: int) -> bool:
    """A clause saying some finding or record is missing, where what is missing is no other code's."""
    if (mask & _B_CONCLUSION and _CONCLUSION.found(text, hits, a, b)) or (
        mask & _B_NR and _NOT_RECOMMENDED.found(text, hits, a, b)
    ):
        return False
    words = _SPECIFIC_WORDS.intersection(hits)
    for m in _EVIDENCE.finditer(text, hits, a, b):
        # What is missing: the comma-bounded stretch around the negation (the object follows
        # "there is no documentation of ...", the subject precedes "... was not documented").
        left = text.rfind(",", a, m.start()) + 1 or a
        right = text.find(",", m.end(), b)
        if 0 <= right < m.end() + 4:  # "a lack of documentation, such as a urine drug screen, ..."
            right = text.find(",", right + 1, b)
        end = right if right >= 0 else b
        if not any(left <= p < end for w in words for p in hits[w]) or not any(
            cue.found(text, hits, left, end) for cue in _SPECIFIC
        ):
            return True
    return False


class _Facts(NamedTuple):
    """What one sentence gives, whatever rationale it is in."""

    codes: tuple[str, ...]  # its reason codes, in the order it gives them
    ancillary: bool  # gives the other service's denial as the whole reason
    short_course: bool  # a guideline's short course, in a sentence read for reasons
    prolonged: bool  # the reviewer's: the drug used for months


# Sentences recur across letters (guideline passages, stock findings), and a sentence's reading is a
# function of its own words: bounded, so a worker's memory stays flat over a million letters.
_FACTS_MEMO = 32768


@lru_cache(maxsize=_FACTS_MEMO)
def _facts(sentence: str, quoted: bool, at_start: bool) -> _Facts:
    """A sentence read alone as in its rationale. Its neighbours never reach its cues (no cue literal
    holds the punctuation that ends a sentence, and white space precedes every sentence but one, which
    the leading space stands for), except that `^` matches only at the rationale's very start."""
    text = sentence if at_start else " " + sentence
    a, b = len(text) - len(sentence), len(text)
    [hits], [mask] = _LEXICON.scan(text, [(a, b)])
    role = Role.QUOTE if quoted else sentence_role(text, a, b, hits)
    cues = _Present.of(mask)
    read = role is Role.CASE or role is Role.GUIDELINE
    return _Facts(
        tuple(_sentence_codes(text, Sentence(a, b, role, hits, mask), cues)),
        bool(cues.mask & _B_ANCILLARY and depends_on_denied(text, hits, a, b)),
        read and _SHORT_COURSE.found(text, hits, a, b),
        role is Role.CASE and _PROLONGED.found(text, hits, a, b),
    )


def _lowered(rationale: str) -> str:
    text = rationale.lower()
    if len(text) != len(rationale):  # a rare character changed length when lower-cased: keep offsets
        text = "".join(c.lower() if len(c.lower()) == 1 else c for c in rationale)
    # Letters keep their line breaks; a cue may wrap ("functional\nimprovement"). Same length.
    return text.replace("\n", " ")


def denial_reasons(rationale: str, offset: int) -> list[DenialReason]:
    """Reason codes with the span (in letter text) of the first sentence that gives each."""
    text = _lowered(rationale)
    read = [((a, b), _facts(text[a:b], quoted, a == 0)) for a, b, quoted in quoted_spans(rationale, text)]
    for (a, b), facts in read:
        if facts.ancillary:
            # The whole reason is the other service's denial; the rest only restates its criteria.
            return [DenialReason(code="ANCILLARY_TO_DENIED_SERVICE", span=(offset + a, offset + b))]
    first: dict[str, tuple[int, int]] = {}
    for span, facts in read:
        for code in facts.codes:
            first.setdefault(code, span)
    if "LONG_TERM_USE_NOT_SUPPORTED" not in first and any(f.short_course for _, f in read):
        # Across sentences: the guideline's short course, and the reviewer's months of use.
        prolonged = next((span for span, f in read if f.prolonged), None)
        if prolonged is not None:
            first["LONG_TERM_USE_NOT_SUPPORTED"] = prolonged
    ordered = sorted(first.items(), key=lambda kv: (kv[1][0], _ORDER.index(kv[0])))
    return [DenialReason(code=code, span=(offset + a, offset + b)) for code, (a, b) in ordered]
