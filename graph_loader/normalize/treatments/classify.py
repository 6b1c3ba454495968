"""Requested items to a canonical treatment, its class and one of DWC's IMR categories.

Non-drug items are read against the curated vocabulary (normalize/vocabulary.py); drugs against the
drug dictionary (normalize/drugs.py). Which one wins is structural: a procedure, test, device or
therapy that the vocabulary names is what is requested even when a drug is named with it ("injection
of lidocaine", "urine drug screen", "iontophoresis with dexamethasone"), except for the generic
evaluation-and-management words ("management", "follow-up") that a drug request may also use.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from graph_loader.models import Category, Treatment
from graph_loader.normalize.treatments.drugs import find_drug, library, unidentified_drug
from graph_loader.normalize.treatments.item_regions import body_regions
from graph_loader.normalize.treatments.vocabulary import Vocabulary, vocabulary

UNCLASSIFIED = "Unclassified"
# Qualifiers that say when or how a request was made, not what it is. Peri-operative items are
# categorized by what they are (a pre-operative EKG is a test), so "pre-op" / "post-op" go too.
NOISE = re.compile(
    r"\(?\bDOS:?\s*[\d/ ,&and-]+\)?|\bper \d[\d/]* order\b|\bassociated surgical services?:?|"
    r"\b(?:pre|post|peri)[- ]?op(?:erative(?:ly)?)?\b|\bpost[- ]?surg(?:ical|ery)\b",
    re.I,
)
LEADING = re.compile(
    r"^(?:(?:retrospective|retro|prospective|additional|continued?|outpatient|initial|repeat|urgent|"
    r"new|one|two|three|\d+|\(\d+\)|an?|the|request(?:ed)? for|purchase of|rental of|"
    r"\d+ refills? of|(?:one|two|three|four|five) refills? of)[\s:,]+)+",
    re.I,
)
# What a drug request looks like when the drug itself is unknown: a dose, a count of units, a form.
DRUG_CUE = re.compile(
    r"\d\s*(?:mg|mcg|%|ml)\b|\d\s*%|\btab(?:let)?s?\b|\bcaps?(?:ule)?s?\b|\bcream\b|\bointment\b|"
    r"\bgel\b|\blotion\b|\bpatch(?:es)?\b|\bcompound|\bmedications?\b|\bdrugs?\b|\bpills?\b|"
    r"\bsuspension\b|\bsuppositor|\bspray\b|\brefills?\b",
    re.I,
)
# Vocabulary matches that yield to a named drug: their words also occur in drug requests
# ("pain management", "follow-up", "Salonpas pad").
YIELD_CATEGORIES = {Category.EVALUATION_AND_MANAGEMENT}
YIELD_CLASSES = {"Medical supplies", "Durable medical equipment"}


def clean_item(item: str) -> str:
    text = NOISE.sub(" ", item)
    text = re.sub(r"\s+", " ", text).strip(" ,:;-")
    return LEADING.sub("", text).strip()


def _regional_name(name: str, item: str) -> str:
    regions = body_regions(item)
    if len(regions) != 1 or regions[0].split()[0] in name.lower():
        return name  # no single region, or the entry already names it ("Total knee arthroplasty")
    return f"{name}, {regions[0]}"


@cache
def _loaded() -> Vocabulary:
    # Both are read once per process, together, at the first item: the drug dictionary (about a
    # second) is needed by most letters, so its cost is paid up front rather than mid-corpus.
    library()
    return vocabulary()


def classify_treatment(item: str, warnings: list[str] | None = None) -> Treatment:
    """The treatment of one requested item; what could not be classified is said in `warnings`.

    Item wordings repeat across letters, so the reading is memoized on the item; each call gets its
    own copy of the model and its own warnings."""
    treatment, said = _classified(item)
    if warnings is not None:
        warnings.extend(said)
    drug = treatment.drug
    if drug is None:
        return treatment.model_copy()
    # The drug's lists and maps are copied by hand: a generic deep copy costs ten times as much.
    ids = {ingredient: dict(refs) for ingredient, refs in drug.ids.items()}
    own = drug.model_copy(update={"ingredients": list(drug.ingredients), "ids": ids})
    return treatment.model_copy(update={"drug": own})


@lru_cache(maxsize=16384)
def _classified(item: str) -> tuple[Treatment, tuple[str, ...]]:
    said: list[str] = []
    return _classify(item, said), tuple(said)


def _classify(item: str, warnings: list[str] | None = None) -> Treatment:
    text = clean_item(item)
    found = _loaded().match_at(text)
    entry, at = found if found else (None, len(text))
    yields = entry is None or (
        entry.treatment_class.category in YIELD_CATEGORIES or entry.treatment_class.name in YIELD_CLASSES
    )
    # The drug scan is only needed where its answer is used: no entry, a yielding one, an injection.
    wants_drug = yields or (entry is not None and entry.treatment_class.category is Category.INJECTION)
    drug = find_drug(text) if wants_drug else None
    # A yielding entry loses to a drug named before it: an item is headed by what it requests
    # ("Norco for pain management" is Norco; "Medication management for Norco" is a visit).
    if entry is not None and not (drug is not None and yields and drug.start <= at):
        cls = entry.treatment_class
        name = _regional_name(entry.name, text) if cls.regional else entry.name
        return Treatment(
            name=name,
            category=cls.category,
            treatment_class=cls.name,
            subcategory=cls.subcategory,
            # an injection or infusion of a named drug keeps the drug, so its ingredient is linked too
            drug=drug.drug if drug is not None and cls.category is Category.INJECTION else None,
        )
    if drug is not None:
        return Treatment(
            name=drug.name,
            category=Category.PHARMACEUTICAL,
            treatment_class=drug.drug_class,
            subcategory=drug.drug_class,
            drug=drug.drug,
        )
    if DRUG_CUE.search(text):
        unknown = unidentified_drug(text)
        if warnings is not None:
            warnings.append(f"drug not identified in item {item!r}: class {unknown.drug_class!r}")
        return Treatment(
            name=unknown.name,
            category=Category.PHARMACEUTICAL,
            treatment_class=unknown.drug_class,
            subcategory=unknown.drug_class,
            drug=unknown.drug,
        )
    if warnings is not None:
        warnings.append(
            f"item {item!r} matched no treatment in the vocabulary: {UNCLASSIFIED}, category OTHER"
        )
    return Treatment(name=UNCLASSIFIED, category=Category.OTHER)
