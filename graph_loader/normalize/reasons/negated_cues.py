"""The cues that give a reason only under a negation ("there is no documentation of functional
improvement"), and the negations themselves, before the cue or (passive) after it.

A table apart from `rules.py` because it is the vocabulary a reader extends: each anchor is written
from the MTUS, ACOEM and ODG wording of the criterion, not from any one letter.
"""

from __future__ import annotations

import re

from graph_loader.normalize.reasons.cues import Cue

NEG = (
    r"\b(?:no|not|non|never|none|nothing|neither|nor|lack|lacks|lacking|lacked|absence|absent\w*|"
    r"without|insufficient|unclear|unknown|unspecified|cannot|fail(?:s|ed)? to|yet to|contingent upon|"
    r"until|prior to|before|rather than)\b|\b(?:doesn't|don't|didn't|isn't|wasn't|aren't|weren't|hasn't|haven't|hadn't|can't|couldn't|wouldn't|shouldn't|won't)\b|\bwhether\b"
)
NEGATION = Cue(
    NEG,
    starts="absence|absent|aren't|before|can't|cannot|contingent upon|couldn't|didn't|doesn't|don't|fail|hadn't|hasn't|haven't|insufficient|isn't|lack|lacked|lacking|lacks|neither|never|no|non|none|nor|not|nothing|prior to|rather than|shouldn't|unclear|unknown|unspecified|until|wasn't|weren't|whether|without|won't|wouldn't|yet to",
)
# A passive negation after the cue: "the results of the initial visits were not documented".
POST_NEGATION = re.compile(
    r"[^,;]{0,40}?\b(?:is|are|was|were) (?:absent|lacking|missing|not present)\b|"
    r"[^,;]{0,80}?\b(?:is|are|was|were|has|have|had)(?: also| still)?(?: been)? (?:not|never)(?: been)? (?:clearly )?"
    r"(?:indicated|documented|provided|noted|reported|established|demonstrated|evident|apparent|clear|"
    r"described|discussed|stated|addressed|submitted|given|included|mentioned|specified|available|performed|"
    r"completed|done|obtained|signed|conducted|checked|reviewed|queried|on file|in the record)"
)

# (code, anchor pattern, the strings its matches begin with); a clause gives the code when the anchor
# follows a negation in that clause.
NEGATED: tuple[tuple[str, str, str], ...] = (
    (
        "BODY_PART_NOT_SPECIFIED",
        # "which knee", "what levels": the request leaves the site open (not "what the knee needs").
        r"body parts?\b|(?:which|what) (?:body )?(?:part|region|side|joint|extremity|area|knee|shoulder|"
        r"elbow|wrist|hand|hip|ankle|foot|level)s?\b",
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
        # the results of a prior treatment, not of a prior test (that is missing documentation)
        r"results? (?:of|from) the (?:initial|prior|previous|first)(?! (?:\w+ )?(?:mri|ct|x-?rays?|imaging|"
        r"stud(?:y|ies)|emg|ncv|ncs|electro\w*|tests?|scans?|radiographs?|labs?|ultrasound))|"
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
        r"medical necessity for (?:continued|additional|ongoing)|(?:indicating|showing|establishing) (?:a |the )?need\b",
        "address|clinical indication|discuss|document|establishing |explain|explanation|goal|indicating |justify|medical necessity for |outline|purpose|rational|reason|showing |the reason|treatment plan|why",
    ),
)
