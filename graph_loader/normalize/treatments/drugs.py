"""Drugs in a requested item: generic ingredients (with ids), strength, dose form, route, compounding.

Two sources. drug-named-entity-recognition ships a dictionary built from DrugBank open data, MeSH and
MedlinePlus (brand and generic variants -> canonical drug, with ids); it is used for what it knows and
its ids are kept. Its own finder builds a trigram index of 100,000 variants at import (seconds), so
the dictionary file is read directly, once per process, and looked up by word n-grams. What it lacks
(workers'-comp brands such as Norco or Terocin, compounding kits, medical foods, combination
products) and the MTUS / DWC class of each ingredient are in graph_loader/data/drugs.json.
"""

from __future__ import annotations

import bz2
import importlib.util
import json
import pickle
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from graph_loader.models import Drug

LIBRARY = "drug_named_entity_recognition"
# Class precedence for a product of several ingredients: the ingredient that drives the guideline
# analysis wins (Norco is an opioid, Duexis an NSAID, Fioricet falls to "Other drugs").
CLASS_ORDER = (
    "Opioids",
    "Benzodiazepines",
    "Muscle relaxants",
    "Anti-epilepsy drugs",
    "Antidepressants",
    "Sleep aids and hypnotics",
    "NSAIDs",
    "Topical analgesics",
    "Proton pump inhibitors / GI protection",
    "Medical foods",
    "Other drugs",
)
TOPICAL_FORMS = {"cream", "gel", "ointment", "lotion", "patch", "foam", "roll-on"}
FORMS: tuple[tuple[str, str], ...] = (
    ("injection", r"\binject\w*|\bvials?\b|\bsyringe|\bampule|\bIM\b|\bIV\b"),
    ("patch", r"\bpatch(?:es)?\b|\bpads?\b|transdermal system"),
    ("cream", r"\bcreams?\b"),
    ("gel", r"\bgels?\b"),
    ("ointment", r"\bointment\b"),
    ("lotion", r"\blotion\b"),
    ("foam", r"\bfoam\b"),
    ("roll-on", r"\broll-?on\b"),
    ("suspension", r"\bsuspension\b"),
    ("solution", r"\bsolution\b|\bliquid\b|\belixir\b|\bsyrup\b"),
    ("spray", r"\bspray\b"),
    ("suppository", r"\bsuppositor"),
    ("film", r"\bfilm\b"),
    ("powder", r"\bpowder\b|\bpacket"),
    ("lozenge", r"\blozenge|\btroche"),
    ("capsule", r"\bcap(?:sule)?s?\b|\bgelcaps?\b"),
    ("tablet", r"\btab(?:let)?s?\b|\bcaplets?\b"),
)
_FORMS = tuple((name, re.compile(p, re.I)) for name, p in FORMS)
ROUTES: tuple[tuple[str, str], ...] = (
    ("transdermal", r"\btransdermal\b"),
    ("sublingual", r"\bsublingual\b|\bSL\b"),
    ("buccal", r"\bbuccal\b"),
    ("nasal", r"\bnasal\b|\bintranasal\b"),
    ("injectable", r"\binject\w*|\bintramuscular\b|\bIM\b|\bIV\b|\bsubcutaneous\b"),
    ("topical", r"\btopical\w*\b"),
    ("oral", r"\boral(?:ly)?\b|\bby mouth\b|\bPO\b"),
)
_ROUTES = tuple((name, re.compile(p, re.I)) for name, p in ROUTES)
ORAL_FORMS = {"tablet", "capsule", "suspension", "powder", "lozenge"}
STRENGTH = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?(?:\s*[/-]\s*\d+(?:\.\d+)?)*)\s*(mg/g|mg/ml|mcg/hr?|mg|mcg|%|percent|units?|iu)(?![a-z])",
    re.I,
)
COMPOUNDED = re.compile(
    r"compound|\b(?:cream|gel|ointment|lotion|lipoderm|versapro|pentravan|transdermal) base\b|"
    r"\bin (?:a )?base\b|lipoderm|versapro|pentravan",
    re.I,
)
NAMED_PERCENT = re.compile(r"[a-z]{4,}\s+\d+(?:\.\d+)?\s*%", re.I)
# Hyphens split words ("Senokot-S", "Kera-Tek"); the library lookup tries both joinings.
TOKEN = re.compile(r"[a-z0-9]+")
# Words after a canonical library name that describe a form, not an ingredient ("lidocaine patch").
FORM_WORDS = re.compile(
    r"\s+(?:patch|buccal|sublingual|topical|transdermal|oral|extended[- ]release|injection|gel|cream|spray|"
    r"hydrochloride|hcl|sodium|potassium|acetate|sulfate|citrate|tartrate|bitartrate|besylate|maleate|"
    r"succinate|phosphate)\b.*$"
)


@dataclass(frozen=True)
class Product:
    ingredients: tuple[str, ...]
    form: str | None
    route: str | None
    compounded: bool
    drug_class: str | None


@dataclass
class Curated:
    ingredient_class: dict[str, str]
    products: dict[tuple[str, ...], tuple[str, Product]]
    multiword: dict[tuple[str, ...], str]
    exclude: frozenset[str]
    aliases: dict[str, str]


@dataclass
class Library:
    variants: dict[str, list[str]] = field(default_factory=dict)
    data: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class DrugMatch:
    drug: Drug
    drug_class: str
    name: str
    # Where in the item the first drug name starts (which of a drug and a service comes first).
    start: int = 0


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


@cache
def curated() -> Curated:
    raw = json.loads(resources.files("graph_loader.data").joinpath("drugs.json").read_text("utf-8"))
    products = {
        tuple(_tokens(key)): (
            key,
            Product(tuple(p["ingredients"]), p["form"], p["route"], bool(p["compounded"]), p["class"]),
        )
        for key, p in raw["products"].items()
    }
    classes: dict[str, str] = raw["ingredient_class"]
    multiword = {tuple(_tokens(name)): name for name in classes}
    multiword.update({tuple(_tokens(alias)): name for alias, name in raw["aliases"].items()})
    return Curated(classes, products, multiword, frozenset(raw["exclude"]), raw["aliases"])


@cache
def library() -> Library:
    """The library's dictionary, read without importing the package (its import builds an index)."""
    spec = importlib.util.find_spec(LIBRARY)
    if spec is None or not spec.submodule_search_locations:
        return Library()
    path = Path(next(iter(spec.submodule_search_locations))) / "drug_ner_dictionary.pkl.bz2"
    if not path.exists():
        return Library()
    with bz2.open(path, "rb") as f:
        d = pickle.load(f)  # the installed package's own data file, not user input
    return Library(d["drug_variant_to_canonical"], d["drug_canonical_to_data"])


def _library_ingredients(canonical: str) -> list[str]:
    """'ibuprofen/famotidine' -> two ingredients; 'lidocaine patch' -> lidocaine; '(insomnia)' dropped;
    the library's other names for an ingredient ('paracetamol') to this project's ('acetaminophen')."""
    name = re.sub(r"\s*\([^)]*\)", "", canonical.lower())
    parts = re.split(r"\s*/\s*|,\s*(?:and\s+)?|\s+and\s+", name)
    aliases = curated().aliases
    out = [FORM_WORDS.sub("", p).strip() for p in parts if p.strip()]
    return [aliases.get(p, p) for p in out if p]


def _ids(ingredient: str, fallback: str | None) -> dict[str, str]:
    data = library().data
    entry = data.get(ingredient) or (data.get(fallback) if fallback else None) or {}
    keys = (("drugbank_id", "drugbank"), ("mesh_id", "mesh"), ("medline_plus_id", "medlineplus"))
    return {short: str(entry[k]) for k, short in keys if entry.get(k)}


def _scan(text: str) -> tuple[list[str], dict[str, str | None], Product | None, str | None, int]:
    """Ingredients in item order; each ingredient's library canonical (for ids); the curated product
    and its name; the offset of the first drug name."""
    cur, lib = curated(), library()
    spans = list(TOKEN.finditer(text.lower()))
    toks = [m.group() for m in spans]
    start = -1
    found: list[str] = []
    canon: dict[str, str | None] = {}
    product: Product | None = None
    brand: str | None = None
    i = 0
    while i < len(toks):
        # The curated table first at every length, then the library: a curated name is how this
        # project names the ingredient ("docusate", not the library's "dioctyl sulfosuccinic acid").
        step, names, source = 0, [], None
        for n in (3, 2, 1):
            gram = tuple(toks[i : i + n])
            if len(gram) < n:
                continue
            if gram in cur.products:
                key, prod = cur.products[gram]
                if product is None:
                    product, brand = prod, key
                step, names = n, list(prod.ingredients)
                break
            if gram in cur.multiword:
                step, names = n, [cur.multiword[gram]]
                break
        if not step:
            for n in (3, 2, 1):
                gram = tuple(toks[i : i + n])
                joined, hyphened = " ".join(gram), "-".join(gram)
                if len(gram) < n or joined in cur.exclude or (n == 1 and len(joined) < 4):
                    continue
                variant = joined if joined in lib.variants else hyphened if hyphened in lib.variants else None
                if variant is not None:
                    source = lib.variants[variant][0]
                    step, names = n, _library_ingredients(source)
                    if (
                        brand is None
                        and n == 1
                        and variant not in names
                        and variant not in cur.ingredient_class
                    ):
                        brand = variant  # a brand the library resolves ("xanax" -> alprazolam)
                    break
        if (names or step) and start < 0:
            start = spans[i].start()
        for name in names:
            if name not in canon:
                found.append(name)
                canon[name] = source
        i += step or 1
    return found, canon, product, brand, max(start, 0)


def _form(text: str, product: Product | None) -> str | None:
    for name, pattern in _FORMS:
        if pattern.search(text):
            return name
    return product.form if product else None


def _route(
    text: str, form: str | None, ingredients: list[str], product: Product | None, strength: str | None
) -> str | None:
    for name, pattern in _ROUTES:
        if pattern.search(text):
            return name
    if form == "patch":
        # Opioid patches deliver systemically; lidocaine / NSAID / salicylate patches act locally.
        systemic = {"fentanyl", "buprenorphine", "nicotine", "estradiol", "testosterone", "clonidine"}
        return "transdermal" if systemic & set(ingredients) else "topical"
    if form in TOPICAL_FORMS:
        return "topical"
    if form in ORAL_FORMS:
        return "oral"
    if form == "injection":
        return "injectable"
    if product and product.route:
        return product.route
    if strength and ("%" in strength or "mg/g" in strength):
        return "topical"  # concentrations are how topicals and compounds are written
    return "oral" if strength and "mg" in strength else None


def _strength(text: str) -> str | None:
    out = []
    for m in STRENGTH.finditer(text):
        nums = re.sub(r"\s+", "", m.group(1))
        unit = m.group(2).lower()
        unit = "%" if unit == "percent" else unit
        out.append(f"{nums}%" if unit == "%" else f"{nums} {unit}")
    return ", ".join(dict.fromkeys(out)) or None


def drug_class(ingredients: list[str], route: str | None, product: Product | None) -> str:
    if product and product.drug_class:
        return product.drug_class
    if route == "topical":
        return "Topical analgesics"
    classes = {curated().ingredient_class.get(i, "Other drugs") for i in ingredients}
    return next((c for c in CLASS_ORDER if c in classes), "Other drugs")


def find_drug(text: str) -> DrugMatch | None:
    """The drug an item requests, or None when it names no known drug."""
    ingredients, canon, product, brand, start = _scan(text)
    if not ingredients and product is None:
        return None
    strength = _strength(text)
    form = _form(text, product)
    route = _route(text, form, ingredients, product, strength)
    compounded = bool(
        (product and product.compounded) or COMPOUNDED.search(text) or len(NAMED_PERCENT.findall(text)) >= 2
    )
    if route is None and compounded:
        route = "topical"  # a compound with no oral form named is a compounded topical
    cls = drug_class(ingredients, route, product)
    drug = Drug(
        ingredients=ingredients,
        ids={i: ids for i in ingredients if (ids := _ids(i, canon.get(i)))},
        strength=strength,
        form=form,
        route=route,
        compounded=compounded,
        brand=brand,
    )
    if ingredients:
        name = "/".join(ingredients)
        if route in ("topical", "transdermal") and form:
            name = f"{name} {form}"
        if compounded:
            name = f"compounded {name}"
    else:
        name = (brand or "medical food").title()
    return DrugMatch(drug, cls, name, start)


def unidentified_drug(text: str) -> DrugMatch:
    """An item that reads as a drug request (a dose, a form) naming no drug the tables know."""
    strength = _strength(text)
    form = _form(text, None)
    route = _route(text, form, [], None, strength)
    compounded = bool(COMPOUNDED.search(text) or len(NAMED_PERCENT.findall(text)) >= 2)
    drug = Drug(strength=strength, form=form, route=route, compounded=compounded)
    return DrugMatch(
        drug,
        "Topical analgesics" if route == "topical" else "Other drugs",
        "Unidentified topical drug" if route == "topical" else "Unidentified drug",
    )
