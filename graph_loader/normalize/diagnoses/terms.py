"""The vocabulary that lets letters' phrasing meet ICD-10-CM's: abbreviations, synonyms, region words
(from `body_regions`), stop words, and which tokens can anchor a match (conditions, not anatomy).

The same `tokens()` runs on ICD descriptions and on letters, so a synonym written here applies to
both sides: "cervicalgia" and "neck pain" both become `cervical pain`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from graph_loader.normalize.body_regions import token_words

# Letters' abbreviations and wordings -> the words ICD-10-CM uses. Written from coding practice (the
# ICD-10-CM index's "see" entries and common clinical shorthand), not from any one letter.
SYNONYMS: dict[str, str] = {
    "hnp": "intervertebral disc displacement",
    "herniated nucleus pulposus": "intervertebral disc displacement",
    "herniated disc": "intervertebral disc displacement",
    "herniated intervertebral disc": "intervertebral disc displacement",
    "disc herniation": "intervertebral disc displacement",
    "disc herniations": "intervertebral disc displacement",
    "disc protrusion": "intervertebral disc displacement",
    "disc protrusions": "intervertebral disc displacement",
    "disc bulge": "intervertebral disc displacement",
    "disc bulges": "intervertebral disc displacement",
    "disc bulging": "intervertebral disc displacement",
    "bulging disc": "intervertebral disc displacement",
    "disc extrusion": "intervertebral disc displacement",
    "disc displacement": "intervertebral disc displacement",
    "disk": "disc",
    "ddd": "intervertebral disc degeneration",
    "degenerative disc disease": "intervertebral disc degeneration",
    "degenerative disc": "intervertebral disc degeneration",
    "disc degeneration": "intervertebral disc degeneration",
    "discogenic": "intervertebral disc disorder",
    "djd": "osteoarthritis",
    "degenerative joint disease": "osteoarthritis",
    "degenerative arthritis": "osteoarthritis",
    "oa": "osteoarthritis",
    "rsd": "complex regional pain syndrome",
    "reflex sympathetic dystrophy": "complex regional pain syndrome",
    "crps": "complex regional pain syndrome",
    "cts": "carpal tunnel syndrome",
    "ptsd": "posttraumatic stress disorder",
    "post traumatic": "posttraumatic",
    "post-traumatic": "posttraumatic",
    "post concussion": "postconcussional",
    "post-concussion": "postconcussional",
    "postconcussive": "postconcussional",
    "post concussive": "postconcussional",
    "tbi": "traumatic brain injury",
    "gerd": "gastro-esophageal reflux disease",
    "acid reflux": "gastro-esophageal reflux disease",
    "svt": "supraventricular tachycardia",
    "type ii": "type 2",
    "htn": "hypertension",
    "high blood pressure": "hypertension",
    "dm": "diabetes mellitus",
    "cervicalgia": "cervical pain",
    "neck pain": "cervical pain",
    "lumbago": "lumbar pain",
    "dorsalgia": "back pain",
    "radiculitis": "radiculopathy",
    "radicular pain": "radiculopathy",
    "radicular symptoms": "radiculopathy",
    "radicular complaints": "radiculopathy",
    "nerve root impingement": "radiculopathy",
    "myofascial pain": "myalgia",
    "myofascial pain syndrome": "myalgia",
    "myofascitis": "myalgia",
    "muscle spasms": "muscle spasm",
    "spasms": "muscle spasm",
    "tendonitis": "tendinitis",
    "tendinosis": "tendinitis",
    "tendinopathy": "tendinitis",
    "tennis elbow": "lateral epicondylitis",
    "golfer's elbow": "medial epicondylitis",
    "frozen shoulder": "adhesive capsulitis shoulder",
    "meniscal": "meniscus",
    "torn meniscus": "meniscus tear",
    "tear of meniscus": "meniscus tear",
    "acl": "anterior cruciate ligament",
    "mcl": "medial collateral ligament",
    "jammed": "sprain",
    "piriformis syndrome": "lesion sciatic nerve",
    "post-operative infection": "infection following procedure",
    "postoperative infection": "infection following procedure",
    "post operative infection": "infection following procedure",
    "wound infection": "infection following procedure",
    "crushing": "crush",
    "industrial injury": "",
    "work related injury": "",
    "work-related injury": "",
    "occupational injury": "",
    "arthrosis": "osteoarthritis",
    "insomnia related to": "insomnia due to other mental disorder",
    "lisfranc fracture": "fracture metatarsal bone",
    "lisfranc": "tarsometatarsal joint",
    "dyslipidemia": "hyperlipidemia",
    "high cholesterol": "hypercholesterolemia",
    "general anxiety": "generalized anxiety",
    "generalize anxiety": "generalized anxiety",
    "major depressive disorder": "major depression",
    "stress related physiological response": "psychological factors affecting physical conditions",
    "sciatic pain": "sciatica",
    "peripheral neuropathy": "polyneuropathy",
    "disc syndrome": "disc disorder",
    "trauma": "injury",
    "routine healing": "",
    "delayed healing": "",
    "facet arthropathy": "spondylosis",
    "facet syndrome": "spondylosis",
    "facet joint syndrome": "spondylosis",
    "bruise": "contusion",
    "contusions": "contusion",
    "fractures": "fracture",
    "headaches": "headache",
    "cephalgia": "headache",
    "paresthesias": "paresthesia",
    "paraesthesia": "paresthesia",
    "numbness": "anesthesia of skin",
    "tingling": "paresthesia",
    "infarct": "infarction",
    "abdominal": "abdomen",
    "cancer": "malignant neoplasm",
    "coccydynia": "coccygodynia",
    "pcl": "posterior cruciate ligament",
    "tfcc": "triangular fibrocartilage complex",
    "cmc": "carpometacarpal",
    "myoligamentous injury": "strain",
    "myoligamentous strain": "strain",
    "myoligamentous sprain": "sprain",
    "myoligamentous": "strain",
    # The region table reads the acromioclavicular joint as the shoulder.
    "ac joint": "shoulder joint",
    "a/c joint": "shoulder joint",
    "si joint": "sacroiliac joint",
    "cumulative trauma": "",
    "psychiatric injury": "",
    "psychological injury": "",
    "internal injury": "",
    "fat sat": "",
    "fat saturated": "",
    "fat suppressed": "",
    "continuous trauma": "",
    "postconcussion": "postconcussional",
    "torn": "tear",
}


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that carry nothing for coding, on either side (ICD's "other", "unspecified"; letters' "mild").
STOP = _set(
    "a an and the of with without to in on at by for or as from nos nec other unspecified specified orthopedic "
    "initial encounter subsequent sequela elsewhere classified not part parts site sites level region "
    "spine due than more one use is are was were be being has have had this that which who "
    "intervertebral documented diagnosis diagnoses diagnosed include includes including included working current "
    "currently status post history mild moderate severe significant possible probable likely "
    "most related also well now industrial work complaint complaints continued ongoing "
    "persistent residual condition conditions problem problems symptoms "
    "body area areas region regions right-sided left-sided sided side following associated date dated "
    "january february march april may june july august september october november december"
)
# Tokens that may narrow a match but cannot anchor one: anatomy, and modifiers (sides, acuity, levels).
ANATOMY = _set(
    "cervical thoracic lumbar sacral coccyx neck back chest arm leg hand finger thumb wrist elbow "
    "forearm shoulder upperarm hip thigh knee ankle foot toe head face scalp brain abdomen pelvis groin "
    "muscle fascia tendon ligament joint nerve bone disc vertebra vertebrae wall front limb extremity "
    "segment buttock paraspinal parascapular trapezius gluteal recess foraminal labral labrum ring index middle "
    "colon stomach liver lung heart bladder intestine bowel esophagus spleen pancreas "
    "little carpometacarpal"
)
MODIFIERS = _set(
    "right left bilateral both side upper lower anterior posterior medial lateral proximal distal "
    "multiple single acute chronic partial full thickness closed open minor major simple complex "
    "traumatic nontraumatic primary essential recurrent episode unilateral active blunt fall large small "
    "type vertebral displaced nondisplaced "
    "two three four five six seven eight nine ten eleven twelve"
)
MIN_COVERAGE = 0.6
# Words too general to be a diagnosis without a region ("an industrial injury", "pain").
GENERIC = _set("injury pain disorder syndrome disease condition surgery")
# Conditions that only mean something with a region; a list item naming one alone takes the region of
# the item before it ("lumbar spine sprain and strain").
NEEDS_REGION = _set(
    "sprain strain contusion fracture laceration abrasion injury pain tear dislocation subluxation "
    "radiculopathy"
)
# A condition or a part that names no site, alone or together, is no diagnosis a coder would code
# ("strains", "other synovitis", "lateral recess", "labral tear"): a site or a kind is needed.
NEEDS_SITE = (NEEDS_REGION - {"radiculopathy"}) | _set(
    "lesion stenosis degeneration instability cyst effusion synovitis tenosynovitis bursitis "
    "muscle tendon ligament joint nerve bone fascia labral labrum recess foraminal facet soft tissue "
    "rupture narrowing myofascial"
)
# Qualifiers a code's description adds that change what it is ("stress fracture", "crushing injury"):
# a code carrying one the phrase does not say counts it twice against itself.
MARKED = _set(
    "stress pathological osteoporotic congenital newborn neonatal perinatal maternal drug induced alcohol "
    "crush superficial malignant neoplasm benign hereditary infectious psychogenic puerperal fetal "
    "secondary recurrent transient physeal fatigue tuberculous gonococcal syphilitic staphylococcal "
    "streptococcal pneumococcal pyogenic bacterial viral villonodular pigmented hypertensive old alcoholic"
)
# Kinds of disease a phrase must say to be coded as one: a "colon" resection is no benign neoplasm of
# the colon, a "synovitis" no gonococcal infection.
KIND = _set(
    "malignant benign neoplasm congenital tuberculous gonococcal syphilitic staphylococcal streptococcal "
    "pneumococcal pyogenic bacterial viral newborn neonatal perinatal maternal puerperal fetal stress "
    "fatigue pathological osteoporotic old alcoholic calcific"
)
# Letters' side only: the code a bare word means by default ("hypertension" is essential hypertension,
# "diabetes" type 2), unless the phrase names another kind. Applying these to ICD's own descriptions
# would blur the kinds, so they are not synonyms.
DEFAULTS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "hypertension": (("essential",), _set("secondary pulmonary portal intracranial ocular renovascular")),
    "diabete": (("type", "2", "mellitus"), _set("type insipidu gestational drug chemical")),
}

# Spinal levels name their region and, when a range, the level: "C5-6" and ICD's "C5-C6" are
# `cervical c5c6`; a lone "L5" or a spoken "lumbar five" only the region.
_LEVEL = re.compile(r"\b([clts])(\d{1,2})(?:\s*-\s*([clts])?(\d{1,2}))?\b")
_LEVEL_REGION = {"c": "cervical", "t": "thoracic", "l": "lumbar", "s": "lumbar"}
_SPOKEN_LEVEL = re.compile(
    r"\b(cervical|thoracic|lumbar|sacral)\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
)


def _level(m: re.Match[str]) -> str:
    region = _LEVEL_REGION[m.group(1)]
    if m.group(4) is None:
        return f" {region} "
    return f" {region} {m.group(1)}{m.group(2)}{m.group(3) or m.group(1)}{m.group(4)} "


_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[a-z0-9]+(?:'s)?")
_KEEP_S = ("ss", "us", "is", "as", "ys", "os")


def _stem(word: str) -> str:
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower().replace("-", " "))]


# Phrase (stemmed word tuple) -> replacement words; matched longest first over the word sequence, which
# is far cheaper than one regex alternation of every phrase.
_PHRASES: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(_words(k)): tuple(_words(v)) for k, v in {**token_words(), **SYNONYMS}.items()
}


def _longest_from(phrases: Iterable[tuple[str, ...]]) -> dict[str, int]:
    """The longest phrase starting with each word: most words start none, and need no lookup."""
    out: dict[str, int] = {}
    for phrase in phrases:
        if phrase:
            out[phrase[0]] = max(out.get(phrase[0], 0), len(phrase))
    return out


_LONGEST_FROM = _longest_from(_PHRASES)


def tokens(text: str) -> list[str]:
    """Index tokens of a description or a letter's phrase, in order, duplicates kept."""
    t = text.lower()
    if _DIGIT.search(t):
        t = _LEVEL.sub(_level, t)
    t = _SPOKEN_LEVEL.sub(r" \1 ", t)
    words = _words(t.replace("/", " "))
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        # "without myelopathy or radiculopathy" names what the code excludes: drop it, both sides.
        if w == "without":
            i += 2
            while i + 1 < n and words[i] in ("or", "and"):
                i += 2
            continue
        # "secondary to" names a cause; "secondary" alone a kind ("secondary osteoarthritis").
        if w == "secondary" and i + 1 < n and words[i + 1] == "to":
            i += 2
            continue
        # "neck of femur" is a part of a bone, not the cervical region.
        if w == "neck" and i + 1 < n and words[i + 1] == "of":
            out.append("boneneck")
            i += 2
            continue
        for size in range(min(_LONGEST_FROM.get(w, 0), n - i), 0, -1):
            rep = _PHRASES.get(tuple(words[i : i + size]))
            if rep is not None:
                out.extend(r for r in rep if r not in STOP)
                i += size
                break
        else:
            if w not in STOP:
                out.append(w)
            i += 1
    return out


@lru_cache(maxsize=65536)
def query_tokens(phrase: str) -> tuple[str, ...]:
    """tokens() of a letter's phrase, with the defaults a bare condition word implies."""
    toks = tokens(phrase)
    for word, (extra, unless) in DEFAULTS.items():
        if word in toks and not unless.intersection(toks):
            toks += extra
    return tuple(toks)


def is_condition(token: str) -> bool:
    return token not in ANATOMY and token not in MODIFIERS and not token.isdigit() and not _is_level(token)


def counts_for_coverage(token: str) -> bool:
    """Sides, acuity and levels the code set lacks ("left lumbar radiculopathy") never block a match."""
    return token not in MODIFIERS and not token.isdigit() and not _is_level(token)


def _is_level(token: str) -> bool:
    return len(token) >= 4 and token[0] in "clts" and token[1].isdigit()


# Where ICD-10-CM names a region more broadly than letters do: muscles and tendons "at lower leg
# level" cover the knee's, "at forearm level" the elbow's.
WIDER_REGION: dict[str, tuple[str, ...]] = {
    "knee": ("lower", "leg"),
    "elbow": ("forearm",),
    "calf": ("lower", "leg"),
}

# Body sites that can stand for each other, one group per place. A code naming sites of none of the
# phrase's groups is another place, however well its other words match: "left wrist tendinitis" is no
# bicipital tendinitis of the left shoulder. "head" and "neck" are left out: they name parts of bones
# too ("radial head", "femoral neck"), and a coder codes a hip fracture as a fracture of the femur's neck.
# "arm" and "leg" are also how the tokens spell a whole limb ("upper limb", "lower extremity").
SITE_GROUPS: tuple[frozenset[str], ...] = tuple(
    _set(group)
    for group in (
        "shoulder upperarm arm",
        "elbow forearm arm",
        "wrist forearm hand arm",
        "hand wrist finger thumb index middle ring little arm",
        "hip thigh pelvis groin buttock gluteal leg",
        "knee leg thigh",
        "ankle foot leg",
        "foot toe ankle leg",
        "cervical",
        "thoracic back chest",
        "lumbar back sacral coccyx pelvis buttock",
    )
)
SITES = frozenset().union(*SITE_GROUPS)


def other_sites(sites: frozenset[str]) -> frozenset[str]:
    """The sites no group of `sites` holds: a code naming only these is about another place."""
    if not sites:
        return frozenset()
    return SITES - frozenset().union(*(g for g in SITE_GROUPS if g & sites))
