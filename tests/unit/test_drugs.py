"""Drugs: the brands workers' comp letters use resolve to generic ingredients and an MTUS / DWC class,
with strength, form, route and compounding read from the item; the library's ids are kept."""

from __future__ import annotations

import pytest

from graph_loader.normalize.treatments.drugs import curated, find_drug, library

BRANDS: list[tuple[str, list[str], str]] = [
    ("Norco 10/325mg #60", ["hydrocodone", "acetaminophen"], "Opioids"),
    ("Ultram 50mg #60", ["tramadol"], "Opioids"),
    ("Ultracet 37.5/325mg #60", ["tramadol", "acetaminophen"], "Opioids"),
    ("Percocet 10/325mg #90", ["oxycodone", "acetaminophen"], "Opioids"),
    ("Nucynta 50mg #60", ["tapentadol"], "Opioids"),
    ("Soma 350mg #30", ["carisoprodol"], "Muscle relaxants"),
    ("Flexeril 10mg #60", ["cyclobenzaprine"], "Muscle relaxants"),
    ("Fexmid 7.5mg #60", ["cyclobenzaprine"], "Muscle relaxants"),
    ("Zanaflex 4mg #60", ["tizanidine"], "Muscle relaxants"),
    ("Neurontin 600mg #90", ["gabapentin"], "Anti-epilepsy drugs"),
    ("Lyrica 75mg #60", ["pregabalin"], "Anti-epilepsy drugs"),
    ("Cymbalta 60mg #30", ["duloxetine"], "Antidepressants"),
    ("Elavil 25mg #30", ["amitriptyline"], "Antidepressants"),
    ("Prilosec 20mg #60", ["omeprazole"], "Proton pump inhibitors / GI protection"),
    ("Protonix 20mg #60", ["pantoprazole"], "Proton pump inhibitors / GI protection"),
    ("Ambien 10mg #30", ["zolpidem"], "Sleep aids and hypnotics"),
    ("Lunesta 3mg #30", ["eszopiclone"], "Sleep aids and hypnotics"),
    ("Xanax 0.5mg #60", ["alprazolam"], "Benzodiazepines"),
    ("Klonopin 1mg #60", ["clonazepam"], "Benzodiazepines"),
    ("Terocin patch #30", ["methyl salicylate", "capsaicin", "menthol", "lidocaine"], "Topical analgesics"),
    ("Lidoderm 5% patch #30", ["lidocaine"], "Topical analgesics"),
    ("Flector 1.3% patch #60", ["diclofenac"], "Topical analgesics"),
    ("Voltaren gel 1% 100g", ["diclofenac"], "Topical analgesics"),
    ("Voltaren XR 100mg #30", ["diclofenac"], "NSAIDs"),
    ("Duexis 800/26.6mg #90", ["ibuprofen", "famotidine"], "NSAIDs"),
    ("Vimovo 500/20mg #60", ["naproxen", "esomeprazole"], "NSAIDs"),
    ("Mobic 15mg #30", ["meloxicam"], "NSAIDs"),
    ("Naprosyn 500mg #60", ["naproxen"], "NSAIDs"),
    ("Anaprox DS 550mg #60", ["naproxen"], "NSAIDs"),
    ("Celebrex 200mg #30", ["celecoxib"], "NSAIDs"),
    ("Orphenadrine citrate ER 100mg #60", ["orphenadrine"], "Muscle relaxants"),
    ("Docusate sodium 100mg #60", ["docusate"], "Other drugs"),
    ("Hydrocodone/APAP 10/325 #120", ["hydrocodone", "acetaminophen"], "Opioids"),
    ("Senokot-S #60", ["sennosides"], "Other drugs"),
]


@pytest.mark.parametrize(("item", "ingredients", "klass"), BRANDS, ids=[b[0].split()[0] for b in BRANDS])
def test_brand_to_generic_and_class(item: str, ingredients: list[str], klass: str) -> None:
    m = find_drug(item)
    assert m is not None
    assert (m.drug.ingredients, m.drug_class) == (ingredients, klass)


@pytest.mark.parametrize("item", ["Theramine #120", "Sentra PM #60", "Gabadone #60", "Trepadone #120"])
def test_medical_foods(item: str) -> None:
    m = find_drug(item)
    assert m is not None and m.drug_class == "Medical foods" and m.drug.ingredients
    assert m.drug.brand == item.split(" #")[0].lower()


def test_strength_form_route() -> None:
    norco = find_drug("Norco 10/325mg #60")
    assert norco is not None
    assert (norco.drug.strength, norco.drug.form, norco.drug.route) == ("10/325 mg", "tablet", "oral")
    butrans = find_drug("Butrans 10mcg/hr patch #4")
    assert butrans is not None and (butrans.drug.form, butrans.drug.route) == ("patch", "transdermal")
    lido = find_drug("Lidocaine 5% patch #30")
    assert lido is not None and (lido.drug.strength, lido.drug.route) == ("5%", "topical")
    assert lido.name == "lidocaine patch"
    gel = find_drug("Diclofenac sodium 3% gel")
    assert gel is not None and gel.drug_class == "Topical analgesics"


def test_compounded() -> None:
    compound = find_drug("Flurbiprofen 20%, cyclobenzaprine 4%, lidocaine 5% cream 180g")
    assert compound is not None
    assert compound.drug.compounded and compound.drug.route == "topical"
    assert compound.drug_class == "Topical analgesics"
    assert compound.drug.ingredients == ["flurbiprofen", "cyclobenzaprine", "lidocaine"]
    assert compound.name.startswith("compounded ")
    base = find_drug("Ketoprofen 20% in cream base 240g")
    assert base is not None and base.drug.compounded
    kit = find_drug("Fanatrex (unknown quantity)")
    assert kit is not None and kit.drug.compounded and kit.drug.ingredients == ["gabapentin"]
    norco = find_drug("Norco 10/325mg #60")
    assert norco is not None and not norco.drug.compounded


def test_library_ids_are_kept() -> None:
    m = find_drug("Norco 10/325mg #60")
    assert m is not None
    assert m.drug.ids["hydrocodone"]["drugbank"] == "DB00956"
    assert m.drug.ids["acetaminophen"]["drugbank"] == "DB00316"


def test_library_dictionary_is_read_once() -> None:
    assert library() is library()
    assert len(library().variants) > 50_000


def test_exclusions_and_non_drugs() -> None:
    assert find_drug("Physical therapy x 6") is None
    assert find_drug("MRI of the lumbar spine") is None
    excluded = curated().exclude
    assert {"citrate", "sodium", "gel", "patch"} <= excluded
