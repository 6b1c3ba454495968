"""Diagnosis phrases to ICD-10-CM codes: a curated table for this corpus's phrasing, checked against
the code set of `simple-icd-10-cm`.

A condition word ("strain", "fracture", "radiculopathy") and a body region together pick the code, the
way a coder would: "neck strain" is S16.1, "lumbar five radiculopathy" is M54.16.
"""

from __future__ import annotations

import re
from functools import cache

import simple_icd_10_cm as icd

# Body-region words, most specific first.
REGIONS: tuple[tuple[str, str], ...] = (
    ("cervical", r"cervical|neck|c-spine|c\d"),
    ("thoracic", r"thoracic|thorax|mid[- ]back|dorsal|t-spine"),
    ("lumbar", r"lumbar|lumbosacral|low(?:er)? back|back|l-spine|l\d|sacroiliac|sciatica|lumbago"),
    ("shoulder", r"shoulder|rotator|scapul|acromio|clavic"),
    ("elbow", r"elbow|epicondyl|olecranon"),
    ("forearm", r"forearm|radius|radial|ulna"),
    ("wrist", r"wrist|carpal"),
    ("hand", r"hand|finger|thumb|metacarp"),
    ("hip", r"hip|groin|thigh|femur|femoral"),
    ("knee", r"knee|patell|menisc"),
    ("lower leg", r"lower leg|tibia|fibula|calf"),
    ("ankle", r"ankle"),
    ("foot", r"foot|feet|toe|tarsal|metatars|calcane|plantar"),
    ("chest", r"chest|rib|sternum"),
    ("head", r"head|scalp|face|skull"),
    ("arm", r"upper extremit|arm"),
)
_REGION_RE = tuple((name, re.compile(rf"\b(?:{p})", re.I)) for name, p in REGIONS)

BY_REGION: dict[str, dict[str, str]] = {
    "sprain": {
        "cervical": "S13.4XXA",
        "thoracic": "S23.3XXA",
        "lumbar": "S33.5XXA",
        "shoulder": "S43.409A",
        "elbow": "S53.409A",
        "wrist": "S63.509A",
        "hand": "S63.609A",
        "hip": "S73.109A",
        "knee": "S83.90XA",
        "ankle": "S93.409A",
        "foot": "S93.609A",
        "chest": "S23.41XA",
    },
    "strain": {
        "cervical": "S16.1XXA",
        "thoracic": "S29.012A",
        "lumbar": "S39.012A",
        "shoulder": "S46.919A",
        "elbow": "S56.919A",
        "forearm": "S56.919A",
        "wrist": "S66.919A",
        "hand": "S66.919A",
        "hip": "S76.019A",
        "knee": "S86.919A",
        "lower leg": "S86.919A",
        "ankle": "S96.919A",
        "foot": "S96.919A",
        "arm": "S46.919A",
    },
    "contusion": {
        "shoulder": "S40.019A",
        "elbow": "S50.00XA",
        "forearm": "S50.10XA",
        "wrist": "S60.219A",
        "hand": "S60.229A",
        "hip": "S70.00XA",
        "knee": "S80.00XA",
        "lower leg": "S80.10XA",
        "ankle": "S90.00XA",
        "foot": "S90.30XA",
        "chest": "S20.20XA",
        "lumbar": "S30.0XXA",
        "head": "S00.93XA",
        "arm": "S40.029A",
    },
    "fracture": {
        "cervical": "S12.9XXA",
        "thoracic": "S22.009A",
        "lumbar": "S32.009A",
        "shoulder": "S42.009A",
        "elbow": "S42.409A",
        "forearm": "S52.90XA",
        "wrist": "S52.509A",
        "hand": "S62.90XA",
        "hip": "S72.009A",
        "knee": "S82.009A",
        "lower leg": "S82.90XA",
        "ankle": "S82.899A",
        "foot": "S92.909A",
        "chest": "S22.39XA",
        "head": "S02.91XA",
    },
    "abrasion": {
        "elbow": "S50.319A",
        "forearm": "S50.819A",
        "shoulder": "S40.819A",
        "hand": "S60.519A",
        "knee": "S80.219A",
        "head": "S00.81XA",
    },
    "laceration": {
        "hand": "S61.209A",
        "forearm": "S51.819A",
        "head": "S01.80XA",
        "wrist": "S61.519A",
        "knee": "S81.009A",
        "foot": "S91.309A",
    },
    "disc": {"cervical": "M50.20", "thoracic": "M51.24", "lumbar": "M51.26"},
    "radiculopathy": {"cervical": "M54.12", "thoracic": "M54.14", "lumbar": "M54.16"},
    "pain": {
        "cervical": "M54.2",
        "thoracic": "M54.6",
        "lumbar": "M54.50",
        "shoulder": "M25.519",
        "elbow": "M25.529",
        "wrist": "M25.539",
        "hand": "M79.643",
        "hip": "M25.559",
        "knee": "M25.569",
        "ankle": "M25.579",
        "foot": "M79.673",
        "lower leg": "M79.669",
        "arm": "M79.603",
        "head": "R51.9",
        "chest": "R07.89",
    },
    "osteoarthritis": {"knee": "M17.9", "hip": "M16.9", "hand": "M19.049", "shoulder": "M19.019"},
    "tendinitis": {
        "shoulder": "M75.80",
        "elbow": "M77.10",
        "wrist": "M65.4",
        "knee": "M76.50",
        "ankle": "M76.60",
        "foot": "M76.70",
    },
    "injury": {
        "cervical": "S19.9XXA",
        "lumbar": "S39.92XA",
        "shoulder": "S49.90XA",
        "elbow": "S59.909A",
        "wrist": "S69.90XA",
        "hand": "S69.90XA",
        "hip": "S79.919A",
        "knee": "S89.90XA",
        "ankle": "S99.919A",
        "foot": "S99.929A",
        "head": "S09.90XA",
    },
    "spondylosis": {"cervical": "M47.812", "thoracic": "M47.814", "lumbar": "M47.816"},
    "stenosis": {"cervical": "M48.02", "thoracic": "M48.04", "lumbar": "M48.061"},
}

CONDITIONS: tuple[tuple[str, str], ...] = (
    # (code or @region-table, pattern); first match per phrase wins.
    ("@radiculopathy", r"radicul\w*|sciatica|nerve root (?:impingement|compression)"),
    (
        "@disc",
        r"disc (?:herniation|displacement|protrusion|bulg\w*|extrusion|disorder|syndrome|degeneration)"
        r"|herniated (?:nucleus pulposus|(?:intervertebral )?disc)|\bHNP\b|intervertebral disc|"
        r"degenerative disc|discogenic|disc disease|displacement",
    ),
    ("@spondylosis", r"spondylosis|facet (?:arthropathy|syndrome|hypertrophy)"),
    ("@stenosis", r"stenosis"),
    ("@sprain", r"sprain"),
    ("@strain", r"strain"),
    ("@contusion", r"contusion|bruise"),
    ("@fracture", r"fracture"),
    ("S92.309A", r"lisfranc"),
    ("@abrasion", r"abrasion"),
    ("@laceration", r"laceration"),
    ("G56.20", r"lesion of (?:the )?ulnar nerve"),
    ("F54", r"stress[- ]related physiological|physiological response affecting"),
    ("G56.00", r"carpal tunnel"),
    ("G56.20", r"cubital tunnel|ulnar neuropathy"),
    ("M65.4", r"de quervain"),
    ("M65.9", r"tenosynovitis|synovitis"),
    ("M65.30", r"trigger finger"),
    ("M75.100", r"rotator cuff|supraspinatus"),
    ("M75.40", r"impingement"),
    ("M75.00", r"adhesive capsulitis|frozen shoulder"),
    ("M75.20", r"bicipital|biceps tendin"),
    ("M77.10", r"lateral epicondyl|tennis elbow"),
    ("M77.00", r"medial epicondyl"),
    ("M72.2", r"plantar fasci"),
    ("M23.209", r"meniscus tear|meniscal tear|torn meniscus"),
    ("@osteoarthritis", r"osteoarthritis|degenerative joint|arthrosis|\bDJD\b"),
    ("@tendinitis", r"tendinitis|tendonitis|tendinopathy|tendinosis|bursitis"),
    ("G90.50", r"complex regional pain|\bCRPS\b|reflex sympathetic|\bRSD\b"),
    ("M79.18", r"myofascial pain|myalgia|fibromyalgia|myositis"),
    ("M62.830", r"muscle spasms?|spasm"),
    ("G89.4", r"chronic pain syndrome"),
    ("G89.29", r"chronic pain"),
    ("G44.309", r"post-?traumatic headache"),
    ("G43.909", r"migraine"),
    ("R51.9", r"headaches?|cephalgia"),
    ("F43.10", r"post-?traumatic stress|\bPTSD\b|posttraumatic stress"),
    ("F33.9", r"major depressive disorder,? recurrent|recurrent (?:major )?depress"),
    ("F32.9", r"depress"),
    ("F41.9", r"anxiety"),
    ("F54", r"psychological factors affecting|psychological (?:and|&) behavioral factors"),
    ("F51.01", r"insomnia related to|primary insomnia|insomnia disorder"),
    ("G47.00", r"insomnia|sleep (?:disorder|disturbance)"),
    ("F43.20", r"adjustment disorder"),
    ("F11.20", r"opioid (?:dependence|use disorder)"),
    ("R45.851", r"suicidal"),
    ("G62.9", r"peripheral neuropathy|polyneuropathy"),
    ("G54.0", r"brachial plexopathy|brachial plexus"),
    ("R20.2", r"paresthesi|numbness|tingling"),
    ("H90.5", r"sensorineural hearing loss"),
    ("H91.90", r"hearing loss"),
    ("I10", r"hypertension"),
    ("E11.9", r"diabetes"),
    ("E78.5", r"hyperlipidemia|high cholesterol|dyslipidemia"),
    ("I47.1", r"supraventricular tachycardia|\bSVT\b"),
    ("E66.9", r"obesity"),
    ("K21.9", r"gastroesophageal reflux|\bGERD\b"),
    ("M54.2", r"cervicalgia"),
    ("M54.6", r"dorsalgia|thoracic spine pain|pain in thoracic spine"),
    ("M54.50", r"lumbago|low back pain|lumbosacral pain|lumbar pain"),
    ("M54.9", r"dorsalgia"),
    ("@pain", r"\bpain\b"),
    ("M25.60", r"stiffness"),
    ("M24.9", r"contracture"),
    ("S06.9X0A", r"traumatic brain injury|\bTBI\b|concussion"),
    ("@injury", r"\binjury\b"),
)
GENERIC = {"@pain", "@injury", "M25.60", "R20.2", "M62.830"}
_CONDITION_RE = tuple((code, re.compile(rf"(?:{p})", re.I)) for code, p in CONDITIONS)
# Lower-cased patterns on lower-cased text: a prefilter only, so acronyms (RSD, HNP) match as well.
_ANY_CONDITION = re.compile("|".join(f"(?P<c{i}>{p.lower()})" for i, (_, p) in enumerate(CONDITIONS)))


@cache
def is_valid(code: str) -> bool:
    return bool(icd.is_valid_item(code))


@cache
def description(code: str) -> str:
    try:
        return str(icd.get_description(code))
    except ValueError:
        return code


def region_of(phrase: str, near: int | None = None) -> str | None:
    """The body region named in phrase; with `near`, the one closest to that offset (the condition
    word), so "ankle sprain of ... lumbar radiculopathy" is an ankle sprain."""
    best: tuple[int, int, str] | None = None
    for rank, (name, pattern) in enumerate(_REGION_RE):
        for m in pattern.finditer(phrase):
            distance = abs(m.start() - near) if near is not None else 0
            if best is None or (distance, rank) < best[:2]:
                best = (distance, rank, name)
            if near is None:
                break
    return best[2] if best else None


def code_phrase(phrase: str) -> str | None:
    """ICD-10-CM code (with dot) for one diagnosis phrase, or None when no rule applies."""
    # Spoken spinal levels ("lumbar five") and "L5" do not change the code but confuse region words.
    text = re.sub(r"\s+", " ", phrase)
    # The condition named first is the head of the phrase ("ankle sprain of ... radiculopathy");
    # generic words (pain, injury) only count when nothing more specific is named.
    # One scan with every condition as a named alternative finds the candidates; each candidate
    # is then confirmed with its own pattern to get its first position.
    candidates = sorted({int(m.lastgroup[1:]) for m in _ANY_CONDITION.finditer(text.lower()) if m.lastgroup})
    hits = [
        (m.start(), order, _CONDITION_RE[order][0], m)
        for order in candidates
        if (m := _CONDITION_RE[order][1].search(text))
    ]
    specific = [h for h in hits if h[2] not in GENERIC]
    for _, _, code, found in sorted(specific or hits, key=lambda h: (h[0], h[1])):
        if code.startswith("@"):
            table = BY_REGION[code[1:]]
            region = region_of(text, near=found.start())
            if region is None or region not in table:
                if code == "@radiculopathy":
                    return "M54.10"
                if code == "@disc":
                    return "M51.26" if re.search(r"lumb|low back|\bL\d", text, re.I) else None
                continue
            code = table[region]
        return code if is_valid(code.replace(".", "")) else None
    return None
