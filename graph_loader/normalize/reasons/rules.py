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
scored 0.602 / 0.709 / 0.651). The rules were written while reading those letters' errors, so expect
less on letters never seen; there is no held-out figure (nothing trained, no folds).

Only upheld decisions get reasons (the call sites in `extract/decisions.py` pass the rationale of an
upheld decision only): an overturned decision's rationale explains why the criteria are met.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from graph_loader.models import DenialReason
from graph_loader.normalize.reasons.clauses import ROLE_CUES, Role, Sentence, clauses, sentences
from graph_loader.normalize.reasons.cues import Cue, Hits, Lexicon

DESCRIPTIONS: dict[str, str] = {
    "NO_FUNCTIONAL_IMPROVEMENT": "No documented functional improvement from prior treatment",
    "EXCEEDS_GUIDELINE_LIMITS": "Exceeds guideline visit, quantity or duration limits",
    "BODY_PART_NOT_SPECIFIED": "The request does not specify the body part",
    "NO_RED_FLAGS": "No red flags, nerve compromise or surgical candidacy to justify imaging",
    "NO_RATIONALE_FROM_TREATER": "The treating physician gives no rationale or treatment plan",
    "NOT_RECOMMENDED_BY_GUIDELINE": "The guideline does not recommend this treatment",
    "FIRST_LINE_NOT_TRIED": "First-line or conservative treatment not tried or failed first",
    "INSUFFICIENT_DOCUMENTATION": "The records lack the findings or history the guideline requires",
    "NO_MONITORING_OR_RISK_ASSESSMENT": "Missing monitoring required for the drug (opioid 4 A's, UDS, CURES)",
    "LONG_TERM_USE_NOT_SUPPORTED": "Long-term or continued use beyond the recommended course",
    "ANCILLARY_TO_DENIED_SERVICE": "Depends on another service that was denied",
}

# One sentence per code in the style of a reviewer's conclusion (written for the docs, not quoted).
EXAMPLES: dict[str, str] = {
    "NO_FUNCTIONAL_IMPROVEMENT": "The records do not show objective functional improvement after the six "
    "chiropractic visits already completed, so further visits are not supported.",
    "EXCEEDS_GUIDELINE_LIMITS": "The twelve sessions requested exceed the guideline's recommendation of up to "
    "ten visits for this condition.",
    "BODY_PART_NOT_SPECIFIED": "The request does not state which joint the injection is intended for.",
    "NO_RED_FLAGS": "In this case there are no red flags and no focal neurologic deficit on examination that "
    "would warrant imaging.",
    "NO_RATIONALE_FROM_TREATER": "The treating physician does not explain why this test is needed or how its "
    "result would change the treatment plan.",
    "NOT_RECOMMENDED_BY_GUIDELINE": "The guideline does not recommend topical muscle relaxants, so this cream "
    "is not medically necessary.",
    "FIRST_LINE_NOT_TRIED": "There is no documentation that the patient tried and failed physical therapy and "
    "oral medication first.",
    "INSUFFICIENT_DOCUMENTATION": "The submitted notes do not document a diagnosis of neuropathic pain for "
    "which this medication would be indicated.",
    "NO_MONITORING_OR_RISK_ASSESSMENT": "There is no recent urine drug screen or CURES report to show the "
    "opioid is being monitored.",
    "LONG_TERM_USE_NOT_SUPPORTED": "The patient has taken the muscle relaxant for several months, beyond the "
    "short course the guideline supports.",
    "ANCILLARY_TO_DENIED_SERVICE": "Because the requested surgery is not medically necessary, the associated "
    "post-operative sling is not necessary either.",
}

_NEG = (
    r"\b(?:no|not|non|never|none|nothing|neither|nor|lack|lacks|lacking|lacked|absence|absent\w*|"
    r"without|insufficient|unclear|unknown|unspecified|cannot|fail(?:s|ed)? to|yet to|contingent upon|"
    r"until|prior to|before|rather than)\b|\b(?:doesn't|don't|didn't|isn't|wasn't|aren't|weren't|hasn't|haven't|hadn't|can't|couldn't|wouldn't|shouldn't|won't)\b|\bwhether\b"
)
_NEGATION = Cue(
    _NEG,
    starts="absence|absent|aren't|before|can't|cannot|contingent upon|couldn't|didn't|doesn't|don't|fail|hadn't|hasn't|haven't|insufficient|isn't|lack|lacked|lacking|lacks|neither|never|no|non|none|nor|not|nothing|prior to|rather than|shouldn't|unclear|unknown|unspecified|until|wasn't|weren't|whether|without|won't|wouldn't|yet to",
)
# A passive negation after the cue: "the results of the initial visits were not documented".
_POST_NEGATION = re.compile(
    r"[^,;]{0,40}?\b(?:is|are|was|were) (?:absent|lacking|missing|not present)\b|"
    r"[^,;]{0,80}?\b(?:is|are|was|were|has|have|had)(?: also| still)?(?: been)? (?:not|never)(?: been)? (?:clearly )?"
    r"(?:indicated|documented|provided|noted|reported|established|demonstrated|evident|apparent|clear|"
    r"described|discussed|stated|addressed|submitted|given|included|mentioned|specified|available|performed|"
    r"completed|done|obtained|signed|conducted|checked|reviewed|queried|on file|in the record)"
)

# (code, anchor pattern, the strings its matches begin with); a clause gives the code when the anchor
# follows a negation in that clause.
_NEGATED: tuple[tuple[str, str, str], ...] = (
    (
        "BODY_PART_NOT_SPECIFIED",
        r"body parts?\b|(?:which|what) (?:body )?(?:part|region|side|joint|extremity|area)s?\b",
        "body part|what |which ",
    ),
    (
        "NO_MONITORING_OR_RISK_ASSESSMENT",
        r"\bcures\b|urine drug|drug (?:screen|test)|\buds\b|"
        r"(?:pain contract|pain agreement|opioid contract|opioid agreement|narcotic contract|narcotic agreement)|"
        r"aberrant|four a'?s|4 a'?s|risk (?:assessment|of addiction|screening)|screening (?:for|evaluation|tool)|"
        r"(?:medication contract|medication agreement|treatment contract|treatment agreement|signed \w+ "
        r"(?:contract|agreement))|"
        r"monitor(?:ing|ed)? (?:for|of|and)|compliance|adverse (?:side )?effects",
        "4 a|aberrant|adverse |compliance|cures|drug |four a|medication agreement|medication contract|monitor|narcotic agreement|narcotic contract|opioid agreement|opioid contract|pain agreement|pain contract|risk |screening |signed |treatment agreement|treatment contract|uds|urine drug",
    ),
    (
        "NO_RED_FLAGS",
        r"red[- ]?flags?|neurolog\w* (?:deficits?|dysfunction|abnormalit\w+|compromise|findings|signs|changes|"
        r"impairment|exam)|focal neurolog|nerve (?:root )?(?:compromise|impairment|dysfunction|entrapment|"
        r"compression|irritation)|tissue insult|candidate for (?:surgery|surgical)|surgical (?:candida\w+|"
        r"consideration)|(?:consider\w*|contemplat\w*|planned|plan for) (?:\w+ ){0,4}(?:surgery|surgical)|"
        r"surgery (?:is |was |has been )?(?:being )?(?:considered|contemplated|planned)|act on the results|"
        r"surgical (?:intervention|procedure|treatment) (?:is |was |has been )?(?:being )?(?:considered|"
        r"contemplated|planned|anticipated)|"
        r"abnormal mental status|(?:motor|sensory) (?:deficits?|loss)|specific spinal nerve",
        "abnormal mental status|act on the results|candidate for |consider|contemplat|focal neurolog|motor |nerve |neurolog|plan for|planned|red|sensory |specific spinal nerve|surgery |surgical |tissue insult",
    ),
    (
        "NO_FUNCTIONAL_IMPROVEMENT",
        r"function(?:al)? (?:improvement|benefit|gains?|progress|status|response)|functional (?:\w+ )?(?:measures|outcomes?)|"
        r"(?:improve\w*|increase\w*|gains?) (?:in |of )?(?:function|activities of daily living|adls?)\b|"
        r"objective (?:\w+ )?(?:response|improvement|benefit|gains?|progress)|"
        r"(?:response|respond\w*) to (?:the )?(?:\w+ ){0,2}(?:therapy|treatment|sessions?|visits?|medications?|"
        r"injections?|usage|use)|"
        r"results? (?:of|from) the (?:initial|prior|previous|first)|"
        r"(?:medication|treatment) efficacy|efficacy (?:of|from|with) (?:the )?(?:prior|previous|medication)|"
        r"benefit(?:ing|ed|s)? (?:derived )?from|impact (?:\w+ ){0,3}(?:had|has) on|(?:clinical|functional) progress\w*|completed to date and outcome|"
        r"pain relief|decrease in pain|reduction in (?:pain|symptoms)|"
        r"improvement (?:in|of) (?:\w+ ){0,2}(?:scores?|pain|function\w*|symptoms|activities|range|adls?)\b|"
        r"improvement (?:after|with|from|following|since) (?:the |this |these )?(?:prior|previous|initial|last|past|"
        r"recent|completed)|\bbenefits?\b(?! (?:outweigh|of (?:the )?(?:request|surgery)))",
        "benefit|clinical progress|completed to date and outcome|decrease in pain|efficacy |function|functional |functional progress|gain|impact |improve|improvement |increase|medication efficacy|objective |pain relief|reduction in |respond|response|result|treatment efficacy",
    ),
    (
        "FIRST_LINE_NOT_TRIED",
        r"first[- ]line|conservative (?:care|treatment|therap\w*|management|measures|modalities|course|options)|"
        r"(?:trial(?:ed)?|tried|trying) and fail\w*|trial and failure|fail\w* (?:an? )?trials? of|"
        r"fail(?:ed|ure|ing)? (?:of |with |on )?(?:an? )?(?:other|prior|previous|primary|first|conservative|oral|"
        r"alternative|non[- ]?opioid|adequate|exhaustive|antidepressants|anticonvulsants|"
        r"(?:\w+ ){0,2}(?:treatments?|therap\w+|medications?|muscle relaxants|care|nsaids|acetaminophen|tylenol|"
        r"anti-?inflammator\w+|analgesics|injections?))|"
        r"intoleran\w+ (?:to|of)|(?:not able|cannot|can not|unable) to tolerate|tolerate (?:\w+ ){0,3}"
        r"(?:oral|pill|tablet)|contraindicat\w+ or (?:an? )?intolerance|exhausted|ineffectively controlled|"
        r"(?:reduced|reduction) or (?:not tolerated|intoleran)|medication is being reduced|"
        r"(?:completed|tried|undergone|attempted|participated in|trial of|course of) (?:\w+ ){0,3}"
        r"(?:physical therapy|home exercise|exercise program|nsaids|anti-?inflammator\w+|oral (?:medications?|"
        r"analgesics)|non[- ]?opioid)",
        "attempted |can not to tolerate|cannot to tolerate|completed |conservative |contraindicat|course of |exhausted|fail|first|ineffectively controlled|intoleran|medication is being reduced|not able to tolerate|participated in |reduced or |reduction or |tolerate |trial|trial and failure|trial of |tried|tried |trying|unable to tolerate|undergone ",
    ),
    (
        "NO_RATIONALE_FROM_TREATER",
        r"\brational\w*|reasons? (?:for|why|as to)|the reason\b|\bwhy\b|explanation|clinical indication|"
        r"\bgoals?\b|treatment plan|"
        r"(?:address|discuss|explain|justify|outline|document)\w* (?:the )?(?:medical necessity|need)|\bpurpose\b|"
        r"medical necessity for (?:continued|additional|ongoing)",
        "address|clinical indication|discuss|document|explain|explanation|goal|justify|medical necessity for |outline|purpose|rational|reason|the reason|treatment plan|why",
    ),
)
_NEGATED_C = tuple((code, Cue(p, starts)) for code, p, starts in _NEGATED)

# Self-negating cues (the limit is the reason; no separate negation needed).
_EXCEEDS = Cue(
    r"\bexceed\w*|in excess of|surpass\w*|beyond (?:the )?(?:guideline|recommend\w*|maximum|allowed|number)|"
    r"more than (?:the )?(?:recommended|guideline|allowed)|upper limit",
    starts="beyond |exceed|in excess of|more than |surpass|upper limit",
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
_SESSIONS = re.compile(r"\b(?:sessions|visits)\b")
_EXCEPTIONAL = Cue(
    r"(?:extenuating|exceptional|compelling|special) (?:\w+ )?(?:factors|circumstances|facts)",
    starts="compelling |exceptional |extenuating |special ",
)
_DURATION = re.compile(r"short[- ]term|long[- ]term|duration of use|shortest|weeks? of use")

_LONG_TERM = Cue(
    r"long[- ]term (?:\w+ )?(?:use|treatment|therapy|usage|risk)|chronic (?:use|usage|risk)|"
    r"short(?:est)?[- ]?(?:term|duration|period|course)|limits? the use|"
    r"(?:ongoing|prolonged|extended) (?:use|usage)|(?:beyond|longer than|past) (?:the )?(?:recommended )?\d+(?:\s*(?:to|-)\s*\d+)?[- ](?:weeks?|days?|months?)",
    starts="beyond |chronic |extended |limit|long|longer than |ongoing |past |prolonged |short",
)
_LONG_TERM_CONTEXT = re.compile(
    r"not (?:be )?(?:recommended|indicated|supported)|exceed\w*|beyond|risks?\b|does not appear|"
    r"limits? the use|outside"
)

_NOT_RECOMMENDED = Cue(
    r"not (?:be )?(?:recommended|been proven|proven)|no recommendations?\b|"
    r"(?:guidelines?|mtus|acoem|odg) (?:\w+ ){0,2}do(?:es)? not (?:recommend|support)\b|"
    r"(?:it does|it do|they do) not (?:recommend|support)\b|"
    r"(?:is|are) only (?:recommended|approved|fda[- ]approved|indicated)|only (?:\w+ ){0,4}(?:that is )?fda[- ]approved|"
    r"not (?:fda[- ])?approved|not indications? for|(?:is|are) not indicated for (?:this|the) (?:usage|use|condition)|"
    r"experimental|investigational|(?:its|the) usage is not supported|would not be indicated for",
    starts="acoem|are not indicated for |are only |experimental|guideline|investigational|is not indicated for |is only |it do not |it does not |its usage is not supported|mtus|no recommendation|not |not indication|odg|only |the usage is not supported|they do not |would not be indicated for",
)
# Guideline sentences that state a condition or a limit, not a verdict on the treatment as such.
_NR_EXCEPT = re.compile(
    r"\bunless\b|\bif |\buntil\b|\bexcept\b|\bwhen\b|no recommendations?\b[^.]*\bhowever\b|longer than|"
    r"beyond|more than|"
    r"as a first[- ]line|as first[- ]line|"
    r"compound\w* (?:product|drug)|at least (?:one|1) drug|largely experimental|, but\b|in most instances|"
    r"is recommended (?:as|for)|routine use|long[- ]term|short[- ]term"
)

_ANCILLARY = Cue(
    r"\bancillary\b|(?:primary|requested|associated|proposed|underlying) (?:surgical )?(?:procedure|surgery|"
    r"intervention|service) (?:\w+ ){0,3}(?:is|was|has been) not (?:medically necessary|certified|approved|"
    r"authorized)|since the (?:surgery|surgical procedure|procedure) (?:is|was) not",
    starts="ancillary|associated |primary |proposed |requested |since the |underlying ",
)

# Evidence negations for the residual code.
_EVIDENCE = Cue(
    r"\b(?:no|lack(?:ing)? of|absence of|without|insufficient|nothing)\s+(?:[\w/-]+\s+){0,3}?"
    r"(?:documentation|evidence|indication|records?|findings?|history|information|mention|reports?|notes?|"
    r"details?|clarification|description|imaging|radiographs?|x-?rays?|mri|studies|study|complaints?|"
    r"diagnosis|symptoms|signs|deficits|specific|subjective|objective)\b|"
    r"\b(?:not|never|doesn't|don't|didn't|isn't|wasn't|aren't|weren't|hasn't|haven't|hadn't|can't|couldn't|wouldn't|shouldn't|won't|neither|nor|fail\w* to)\s+(?:\w+\s+){0,2}?(?:document\w*|provided|noted|"
    r"specif\w+|outlined|reported|mention\w*|submitted|included|described|identif\w+|show|reveal|provide|"
    r"demonstrat\w+|establish|indicate|note|address|clarif\w+|be established|include|state)\b|"
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
)  # what _POST_NEGATION needs, for the lexicon
_SPECIFIC_WORDS = frozenset(w for cue in _SPECIFIC for w in cue.literals)
_NEGATION_WORDS = frozenset(_NEGATION.literals + _POST_WORDS.literals)
_EXCEEDS_WORDS = frozenset(
    _REQUEST_EXCEEDS.literals + _EXCEEDS.literals + _EXCEPTIONAL.literals + _EXCEEDS_GUIDELINE.literals
)


def _negated(text: str, hits: Hits, a: int, b: int, anchor: Cue) -> bool:
    m = anchor.search(text, hits, a, b)
    while m is not None:
        if _NEGATION.found(text, hits, a, m.start()) or _POST_NEGATION.match(text, m.end(), b):
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
        and _NEGATION.found(text, hits, a, b)
    )


def _clause_codes(text: str, hits: Hits, a: int, b: int, role: Role, cues: _Present) -> list[str]:
    codes: list[str] = []
    reviewer = role is Role.CASE
    mask = cues.mask
    if reviewer:
        codes += [code for code, anchor in cues.anchors if _negated(text, hits, a, b, anchor)]
        if mask & _B_NORMAL_NEURO and _NORMAL_NEURO.found(text, hits, a, b):
            codes.append("NO_RED_FLAGS")
    if mask & _B_EXCEEDS and _exceeds(text, hits, a, b, role):
        # "exceeding the recommendation for short-term use" is a duration, not a count.
        duration = _DURATION.search(text, a, b)
        codes.append("LONG_TERM_USE_NOT_SUPPORTED" if duration else "EXCEEDS_GUIDELINE_LIMITS")
    if (
        reviewer
        and mask & _B_LONG_TERM
        and _LONG_TERM.found(text, hits, a, b)
        and _LONG_TERM_CONTEXT.search(text, a, b)
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
        # A sentence without any negation word can give only the self-negating codes.
        anchors = tuple(c for i, c in enumerate(_NEGATED_C) if mask >> (_B_FIRST_ANCHOR + i) & 1)
        return cls(mask, anchors if mask & _B_NEGATION else ())


_GROUPS = (
    _NEGATION_WORDS,
    _EXCEEDS_WORDS,
    _LONG_TERM.literal_set,
    _EVIDENCE.literal_set,
    _NORMAL_NEURO.literal_set,
    _NOT_RECOMMENDED.literal_set,
    _CONCLUSION.literal_set,
    _ANCILLARY.literal_set,
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
        _ANCILLARY,
        _NEGATION,
        _EXCEEDS,
        _REQUEST_EXCEEDS,
        _EXCEEDS_GUIDELINE,
        _NORMAL_NEURO,
        _HEDGE,
        _EXCEPTIONAL,
        _LONG_TERM,
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
    ):
        codes.append("NOT_RECOMMENDED_BY_GUIDELINE")
    evidence = s.role is Role.CASE and mask & _B_NEGATION and mask & _B_EVIDENCE
    if not mask & _B_CLAUSE_CUES:  # nothing a clause could give: not split at all
        return codes
    parts = clauses(text, s.start, s.end) if s.role is Role.CASE else ((s.start, s.end),)
    for a, b in parts:
        codes += _clause_codes(text, hits, a, b, s.role, cues)
        if evidence and _missing_evidence(text, hits, a, b, mask):
            codes.append("INSUFFICIENT_DOCUMENTATION")
    return codes


def _missing_evidence(text: str, hits: Hits, a: int, b: int, mask: int) -> bool:
    """A clause saying some finding or record is missing, where what is missing is no other code's."""
    if (mask & _B_CONCLUSION and _CONCLUSION.found(text, hits, a, b)) or (
        mask & _B_NR and _NOT_RECOMMENDED.found(text, hits, a, b)
    ):
        return False
    for m in _EVIDENCE.finditer(text, hits, a, b):
        # What is missing: the comma-bounded stretch around the negation (the object follows
        # "there is no documentation of ...", the subject precedes "... was not documented").
        left = text.rfind(",", a, m.start()) + 1 or a
        right = text.find(",", m.end(), b)
        if 0 <= right < m.end() + 4:  # "a lack of documentation, such as a urine drug screen, ..."
            right = text.find(",", right + 1, b)
        end = right if right >= 0 else b
        words = _SPECIFIC_WORDS.intersection(hits)
        if not any(left <= p < end for w in words for p in hits[w]) or not any(
            cue.found(text, hits, left, end) for cue in _SPECIFIC
        ):
            return True
    return False


def denial_reasons(rationale: str, offset: int) -> list[DenialReason]:
    """Reason codes with the span (in letter text) of the first sentence that gives each."""
    text = rationale.lower()
    if len(text) != len(rationale):  # a rare character changed length when lower-cased: keep offsets
        text = "".join(c.lower() if len(c.lower()) == 1 else c for c in rationale)
    # Letters keep their line breaks; a cue may wrap ("functional\nimprovement"). Same length.
    text = text.replace("\n", " ")
    parsed = sentences(rationale, text, _LEXICON)
    first: dict[str, tuple[int, int]] = {}
    present = [_Present.of(s.mask) for s in parsed]
    for s, cues in zip(parsed, present, strict=True):
        if cues.mask & _B_ANCILLARY and _ANCILLARY.found(text, s.hits, s.start, s.end):
            # The whole reason is the other service's denial; the rest only restates its criteria.
            return [DenialReason(code="ANCILLARY_TO_DENIED_SERVICE", span=(offset + s.start, offset + s.end))]
    for s, cues in zip(parsed, present, strict=True):
        for code in _sentence_codes(text, s, cues):
            first.setdefault(code, (s.start, s.end))
    ordered = sorted(first.items(), key=lambda kv: (kv[1][0], _ORDER.index(kv[0])))
    return [DenialReason(code=code, span=(offset + a, offset + b)) for code, (a, b) in ordered]
