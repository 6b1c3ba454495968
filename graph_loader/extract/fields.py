"""Header, reviewer and case-summary fields. Each function reads one block and reports what it could
not read through `warnings`, never by raising."""

from __future__ import annotations

import re

from graph_loader.models import Certification, Diagnosis, Patient, Reviewer
from graph_loader.normalize import specialties as sp
from graph_loader.normalize.body_regions import find_regions, region_start, region_words, strip_regions
from graph_loader.normalize.dates import DATE_PATTERN, ImpossibleDate, match_to_iso
from graph_loader.normalize.diagnoses import coding as dx
from graph_loader.normalize.states import state_codes
from graph_loader.text.literal_index import LiteralIndex, matches_at

CASE_NUMBER = re.compile(r"\b(CM\d{2}-\d{5,7})\b")
HEADER_FIELDS = {
    "date_assigned": r"Date\s+Assigned",
    "injury_date": r"Date\s+of\s+Injury",
    # 2013: the title "Notice of Independent Medical Review Determination" is followed by "Dated: X";
    # "Utilization Review Determination dated X" is the UR's date, never the decision's.
    "decision_date": r"Decision\s+Date(?!d)|(?<!Utilization)(?<!Utilization\s)Review\s+Determination\s+Dated",
    "ur_decision_date": r"UR\s+Denial\s+Date|Date\s+of\s+UR\s+Decision",
    "application_received": r"Application\s+Received",
}


# Compiled once at import, not looked up in re's cache at every letter.
_LABELS: dict[str, re.Pattern[str]] = {}


def _label(label: str) -> re.Pattern[str]:
    pattern = _LABELS.get(label)
    if pattern is None:
        pattern = _LABELS[label] = re.compile(rf"(?:{label})\s*:?\s*", re.I)
    return pattern


def _date_after(label: str, text: str, field: str, warnings: list[str], window: int = 40) -> str | None:
    m = _label(label).search(text)
    if not m:
        return None
    d = DATE_PATTERN.search(text, m.end(), m.end() + window)
    if not d:
        return None
    try:
        return match_to_iso(d)
    except ImpossibleDate:
        warnings.append(f"{field}: impossible date {d.group(0)!r} ignored")
        return None


# 2013: "An application for Independent Medical Review was filed on X disputing the Utilization Review
# Denial dated Y."
NOTICE_DATES = {
    "application_received": r"application\s+for\s+(?:Independent\s+Medical\s+Review|IMR)\s+was\s+"
    r"(?:filed|received|submitted)(?:\s+on)?",
    "ur_decision_date": r"Utilization\s+Review\s+(?:Denial|Determination|Decision)\s+dated",
}


for _label_text in (*HEADER_FIELDS.values(), *NOTICE_DATES.values()):
    _label(_label_text)
PRIORITY = re.compile(r"Priority\s*:\s*(\w+)", re.I)


def notice_dates(text: str, warnings: list[str]) -> dict[str, str | None]:
    """The application and UR denial dates the 2013 decision paragraph gives."""
    return {
        field: _date_after(label, text, field, warnings, window=20) for field, label in NOTICE_DATES.items()
    }


def header_fields(text: str, warnings: list[str]) -> dict[str, str | None]:
    head = text[:800]
    out: dict[str, str | None] = {}
    m = CASE_NUMBER.search(head) or CASE_NUMBER.search(text)
    out["case_number"] = m.group(1) if m else None
    for field, label in HEADER_FIELDS.items():
        out[field] = _date_after(label, head, field, warnings)
    p = PRIORITY.search(head)
    out["priority"] = p.group(1) if p else None
    return out


# The 2016 form: "Certification(s)/Specialty: A, B" on one line, wrapped onto the next ones when long.
CERT_LINE = re.compile(r"Certification\(s\)\s*/\s*Specialty\s*:[ \t]*", re.I)
# A continuation line of the list is short and is not a heading in capitals, another "Label:" line or a
# sentence ("Occupational" / "Medicine", "Public Health &" / "General Preventive Medicine").
HEADING_LINE = re.compile(r"[A-Z0-9 ,&()/'-]+")
LABEL_LINE = re.compile(r"[^:]{1,40}:")
MAX_CONTINUATION_WORDS = 6
# The prose forms of 2013-15: "Board Certified in A, has a subspecialty in B and is licensed to practice
# in C", "is a Licensed Chiropractor and is licensed ...", "is Licensed in Psychology ...". Whitespace
# may include the blank lines PDF extraction puts between wrapped lines.
BOARD = re.compile(
    r"(?:Board\s+Certified\s+in|Certified\s+by\s+the\s+American\s+Board\s+of|reviewer\s+is\s+(?:an?\s+)?"
    r"(?:Licensed|Certified)(?!\s+to\s+practice)(?:\s+in)?)\s+(?P<spec>[^.]+?)"
    r"(?:,?\s+(?:and\s+)?(?:has\s+a|with\s+a|holds\s+a)\s+sub-?\s?specialt(?:y|ies)\s+in\s+(?P<sub>[^.]+?))?"
    r",?\s+and\s+(?:is\s+)?licensed\s+to\s+practice\s+in\s+(?P<states>[^.]+)",
    re.I,
)


def _cert_list_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    for _ in range(3):
        if end + 1 >= len(text):
            break
        nxt = text.find("\n", end + 1)
        nxt = len(text) if nxt < 0 else nxt
        line = text[end + 1 : nxt].strip()
        if (
            not line
            or HEADING_LINE.fullmatch(line)
            or LABEL_LINE.match(line)
            or line.endswith(".")
            or len(line.split()) > MAX_CONTINUATION_WORDS
        ):
            break
        end = nxt
    return end


def reviewer(text: str, offset: int, warnings: list[str]) -> Reviewer:
    """Credentials, in the 2016 'State(s) of Licensure:' form or the older 'Board Certified in' prose.
    `text` is the qualifications block, starting at `offset` in the letter (certification spans are
    letter offsets)."""
    certs: list[Certification] = []
    states: list[str] = []
    lic = re.search(r"State\(s\)\s+of\s+Licensure\s*:\s*(.+)", text, re.I)
    if lic:
        states = state_codes(lic.group(1))
    cert = CERT_LINE.search(text)
    if cert:
        certs = sp.certifications(text, cert.end(), _cert_list_end(text, cert.end()), offset)
    if not certs:
        board = BOARD.search(text)
        if board:
            certs = sp.certifications(text, board.start("spec"), board.end("spec"), offset)
            if board.group("sub"):
                certs += sp.certifications(text, board.start("sub"), board.end("sub"), offset)
            if not states:
                states = state_codes(board.group("states"))
    if not states:
        licensed = re.search(r"licensed to practice in ([^.]+)", text, re.I)
        if licensed:
            states = state_codes(licensed.group(1))
    for c in certs:
        if c.specialty is None:
            warnings.append(f"reviewer certification {c.printed!r} is not on the specialty list")
    return Reviewer(specialties=sp.specialty_names(certs), licensure_states=states, certifications=certs)


AGE_SEX = re.compile(
    r"\b(\d{1,3})[- ]?(?:years?|yrs?|y/?o)[- ]?(?:old|of age)?[,\s]+(?:[a-z]+\s+){0,3}?"
    r"(male|female|man|woman|gentleman|lady|boy|girl)\b",
    re.I,
)
AGE_ONLY = re.compile(r"\b(\d{1,3})[- ]?(?:years?|yrs?)[- ]old\b|\bage (\d{1,3})\b|\baged (\d{1,3})\b", re.I)
SEX_WORDS = {
    "male": "male",
    "man": "male",
    "gentleman": "male",
    "boy": "male",
    "female": "female",
    "woman": "female",
    "lady": "female",
    "girl": "female",
}


def patient(summary: str) -> Patient:
    m = AGE_SEX.search(summary)
    if m:
        return Patient(age=int(m.group(1)), sex=SEX_WORDS[m.group(2).lower()])
    age_m = AGE_ONLY.search(summary)
    age = next((int(g) for g in age_m.groups() if g), None) if age_m else None
    he = len(re.findall(r"\b(?:he|his|him|mr\.?)\b", summary, re.I))
    she = len(re.findall(r"\b(?:she|her|hers|mrs\.?|ms\.?)\b", summary, re.I))
    sex = "male" if he > she else "female" if she > he else None
    return Patient(age=age, sex=sex)


INJURY_CUES = re.compile(
    r"(?:date of injury|injury date|injured|industrial injury|injury|claim|occupational claim|"
    r"industrially injured|work[- ]related injury|continuous trauma)\b[^.]{0,40}?(?:on|of|from|dated|date)?\s*:?\s*$",
    re.I,
)


def _dates(text: str) -> list[tuple[re.Match[str], str | None]]:
    out: list[tuple[re.Match[str], str | None]] = []
    for m in DATE_PATTERN.finditer(text):
        try:
            out.append((m, match_to_iso(m)))
        except ImpossibleDate:
            out.append((m, None))
    return out


def injury_date(summary: str, warnings: list[str]) -> str | None:
    for m, iso in _dates(summary):
        before = summary[max(0, m.start() - 70) : m.start()]
        if INJURY_CUES.search(before):
            if iso is None:
                warnings.append(f"injury_date: impossible date {m.group(0)!r} ignored")
            return iso
    return None


def ur_date(summary: str, warnings: list[str]) -> str | None:
    """The date of the utilization review the IMR is about, from the sentence that names it."""
    for sentence in re.finditer(r"[^.]*(?:\.(?!\d)|$)", summary):
        s = sentence.group(0)
        if not re.search(r"utilization review|\bUR\b", s, re.I):
            continue
        found = _dates(s)
        if not found:
            continue
        m, iso = found[0]
        if iso is None:
            warnings.append(f"ur_decision_date: impossible date {m.group(0)!r} ignored")
        return iso
    return None


# Lower-case patterns run on lower-cased text (faster than re.I); offsets are the same.
TRIGGERS = re.compile(
    r"(?:diagnos(?:is|es|ed)\b(?:[^.:]{0,60}?)\b(?:include[sd]?|including|are|is|was|were|of|as having|as|with)"
    r"\b\s*(?:the\s+following\s*)?:?"
    r"|(?:being|was|were|is|been)\s+treated\s+for(?:\s+the\s+diagnos[ie]s\s+of)?"
    r"|(?:undergoing|receiving|under)\s+treatments?\s+for"
    r"|filed a claim for|comorbid diagnosis of|impressions?[^.:]{0,40}\binclude[sd]?\s*:?)\s*",
)
# Where a TRIGGERS match can start: at these words, or up to ten characters before the white space
# that precedes "treated" / "treatment" ("was treated for", "undergoing treatment for"; TRIGGERS has
# no leading \b, so "this treated" matches at "is"). Trying the pattern only there gives what a scan
# gives (graph_loader.text.literal_index finds the words in one pass); a scan tries all 14 branches at
# every character of the summary.
TRIGGER_STARTS = ("diagnos", "filed a claim for", "comorbid diagnosis of", "impression")
TRIGGER_AFTER = ("treated", "treatment")
_TRIGGER_WORDS = LiteralIndex(TRIGGER_STARTS + TRIGGER_AFTER)


def _triggers(text: str) -> list[re.Match[str]]:
    candidates: set[int] = set()
    for i, word in _TRIGGER_WORDS.occurrences(text):
        if word not in TRIGGER_AFTER:
            candidates.add(i)
            continue
        w = i
        while w > 0 and text[w - 1].isspace():
            w -= 1
        candidates.update(range(max(0, w - 10), w))
    return matches_at(TRIGGERS, text, candidates)


# A sentence ends at '. ' + capital, but not after a list number ("1. Lumbar").
SENTENCE_END = re.compile(r"\.(?=\s+[A-Z\"]|\s*$)")
LIST_NUMBER = re.compile(r"(?:^|\D)\d{1,2}$")
NEW_TOPIC = re.compile(r"(?:The|She|He|On|In|Per|Treatment|According|A|An|This|Her|His)\b")
# Items end at ; , "and" "with", list numbers, and where PDF text lost the space ("neuropathyThe").
SPLIT_ITEMS = re.compile(
    r";|,|\.\s+|\band\b|\bwith\b|\d+\.\s*(?=[A-Za-z])|(?<=[a-z])(?=\d+\.\s*[A-Z])|(?<=[a-z])(?=[A-Z][a-z])"
)
# Where a run-in list stops: the next sentence glued on ("neuropathyThe utilization review").
GLUED_SENTENCE = re.compile(r"(?<=[a-z])\.?(?=(?:The|She|He|On|In|Per|Treatment|According|This|Her|His)\b)")
# "right shoulder strain right elbow contusion": a side word starting a second diagnosis.
ENDS_WITH_LINK = re.compile(r"\b(?:of|to|from|with|at|in|and|or|due)\s*$", re.I)
SIDE_START = re.compile(r"\s(?=(?:right|left|bilateral)\b)", re.I)
SLASH_PAIR = re.compile(r"\b([a-z]+)\s*/\s*([a-z]+)\b", re.I)
HEAD_OF = re.compile(r"(.+?)\s+(?:of|due to|secondary to|from|related to)\s+(.+)", re.I | re.S)
SPRAIN_STRAIN = re.compile(
    r"sprains?\s*(?:/|-|and|or|&)\s*strains?|strains?\s*(?:/|-|and|or|&)\s*sprains?", re.I
)


def _list_end(summary: str, start: int, colon_list: bool = False) -> int:
    """End of the diagnosis list: the sentence end, or for "include the following:" lists, the end of
    the run of short sentences that follows ("Cervical HNP.  Lumbar HNP.  The UR ...")."""
    end = len(summary)
    for m in SENTENCE_END.finditer(summary, start):
        if not LIST_NUMBER.search(summary[max(start, m.start() - 4) : m.start()]):
            end = m.start()
            break
    if not colon_list:
        return end
    while end < len(summary):
        rest = summary[end + 1 :].lstrip()
        if NEW_TOPIC.match(rest):
            break
        nxt = SENTENCE_END.search(summary, end + 1)
        stop = nxt.start() if nxt else len(summary)
        if len(summary[end + 1 : stop].split()) > 10:
            break
        end = stop
    return end


def _pieces(chunk: str) -> list[tuple[int, int]]:
    """The list items of a diagnosis list, as spans of chunk. An item that names a condition but no
    region keeps the condition-less items after it ("strain of muscle, fascia and tendon of lower
    back" is one diagnosis, written the way ICD-10-CM words it)."""
    spans: list[tuple[int, int]] = []
    last = 0
    for sep in SPLIT_ITEMS.finditer(chunk):
        spans.append((last, sep.start()))
        last = sep.end()
    spans.append((last, len(chunk)))
    spans = [(a, b) for a, b in spans if chunk[a:b].strip(" \n\"'()[]")]
    split: list[tuple[int, int]] = []
    for a, b in spans:
        for side in SIDE_START.finditer(chunk, a, b):
            left, right = chunk[a : side.start()], chunk[side.end() : b]
            if (
                dx.condition_tokens(left)
                and find_regions(left)
                and not ENDS_WITH_LINK.search(left)
                and dx.condition_tokens(right)
                and find_regions(right)
            ):
                split.append((a, side.start()))
                a = side.end()
        split.append((a, b))
    spans = split
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged:
            pa, pb = merged[-1]
            prev = chunk[pa:pb]
            if dx.condition_tokens(prev) and not find_regions(prev) and dx.anatomy_only(chunk[a:b]):
                merged[-1] = (pa, b)
                continue
        merged.append((a, b))
    return merged


def _candidates(phrases: list[str], i: int) -> list[str]:
    """What to code for list item i. A region with no condition shares the condition of its list:
    "contusion of face, scalp and neck" (head first) or "cervical and lumbar spine strain" (head last)."""
    phrase = phrases[i]
    if SPRAIN_STRAIN.search(phrase):
        return [SPRAIN_STRAIN.sub("sprain", phrase), SPRAIN_STRAIN.sub("strain", phrase)]
    # "right hand contusion/laceration": two conditions of one region.
    pair = SLASH_PAIR.search(phrase)
    if pair and dx.condition_tokens(pair.group(1)) and dx.condition_tokens(pair.group(2)):
        return [phrase.replace(pair.group(0), pair.group(k)) for k in (1, 2)]
    if i > 0 and not find_regions(phrase) and dx.needs_region(phrase) and find_regions(phrases[i - 1]):
        return [f"{region_words(phrases[i - 1])} {phrase}"]
    if dx.condition_tokens(phrase) or not find_regions(phrase):
        # "left ankle sprain of compensatory consequence of left lumbar radiculopathy": two diagnoses.
        two = HEAD_OF.match(phrase)
        if two and find_regions(two.group(1)) and dx.condition_tokens(two.group(1)):
            rest = two.group(2)
            return [two.group(1), rest] if find_regions(rest) else [two.group(1)]
        return [phrase]
    # Head first ("contusion of face, scalp and neck"): the nearest earlier item with a condition.
    j = i - 1
    while j > 0 and not dx.condition_tokens(phrases[j]) and find_regions(phrases[j]):
        j -= 1
    before = phrases[j] if j >= 0 else ""
    head = dx.condition_tokens(before)
    of = re.search(r"\b(?:of|to|at|in)\b", before, re.I)
    if head and of and of.start() < region_start(before):
        return [f"{phrase} {' '.join(head)}"]
    later = next((p for p in phrases[i + 1 :] if dx.condition_tokens(p)), None)
    if later:
        if SPRAIN_STRAIN.search(later):
            return [f"{phrase} sprain", f"{phrase} strain"]
        return [f"{phrase} {strip_regions(later)}"]
    return [phrase]


FINDING_CUE = re.compile(r"\b(?:revealed|showed|demonstrated|consistent with|sustained|suffered)\b", re.I)


def _findings(summary: str, offset: int) -> list[Diagnosis]:
    """When a summary lists no diagnosis, what its studies and history show: "X-rays revealed a
    fracture of the distal radius" (status finding). Only items naming a condition and a region."""
    found: list[Diagnosis] = []
    seen: set[str] = set()
    for cue in FINDING_CUE.finditer(summary):
        end_m = SENTENCE_END.search(summary, cue.end())
        start, end = cue.end(), end_m.start() if end_m else len(summary)
        chunk = summary[start:end]
        for a, b in _pieces(chunk):
            phrase = chunk[a:b].strip(" \n\"'()[]")
            if not (dx.condition_tokens(phrase) and find_regions(phrase)) or dx.status(phrase) == "rule_out":
                continue
            code = dx.code_phrase(phrase)
            if code is None or code in seen:
                continue
            seen.add(code)
            s = offset + start + a + (len(chunk[a:b]) - len(chunk[a:b].lstrip(" \n\"'()[]")))
            found.append(
                Diagnosis(
                    text=re.sub(r"\s+", " ", phrase),
                    name=dx.description(code),
                    icd10=code,
                    category=dx.category(code),
                    status="finding",
                    span=(s, s + len(phrase)),
                )
            )
    return found


def diagnoses(summary: str, offset: int) -> list[Diagnosis]:
    """Diagnoses from the case summary's diagnosis lists, each with its span in the letter text and
    its status (stated, or a rule-out / history / finding by its wording)."""
    found: list[Diagnosis] = []
    seen: set[str] = set()
    lowered = summary.lower()
    if len(lowered) != len(summary):
        lowered = summary
    for trig in _triggers(lowered):
        start = trig.end()
        end = _list_end(summary, start, colon_list=trig.group(0).rstrip().endswith(":"))
        glued = GLUED_SENTENCE.search(summary, start, end)
        chunk = summary[start : glued.start() if glued else end]
        spans = _pieces(chunk)
        phrases = [chunk[a:b].strip(" \n\"'()[]") for a, b in spans]
        for i, (a, b) in enumerate(spans):
            phrase = phrases[i]
            state = dx.status(phrase)
            for cand in _candidates(phrases, i):
                code = dx.code_phrase(cand)
                if code is None or code in seen:
                    continue
                seen.add(code)
                raw = chunk[a:b]
                s = offset + start + a + (len(raw) - len(raw.lstrip(" \n\"'()[]")))
                found.append(
                    Diagnosis(
                        text=re.sub(r"\s+", " ", phrase),
                        name=dx.description(code),
                        icd10=code,
                        category=dx.category(code),
                        status=state,
                        span=(s, s + len(phrase)),
                    )
                )
    return found or _findings(summary, offset)
