"""The treatment vocabulary: data integrity, categories of requests written from how UR requests are
phrased (not taken from any letter), peri-operative items, the Unclassified fallback, the contract."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_loader.models import Category, Treatment
from graph_loader.normalize.treatments.classify import UNCLASSIFIED, classify_treatment
from graph_loader.normalize.treatments.vocabulary import all_classes, vocabulary

C = Category
DRUG_CLASSES = {
    "Opioids",
    "NSAIDs",
    "Muscle relaxants",
    "Anti-epilepsy drugs",
    "Antidepressants",
    "Topical analgesics",
    "Proton pump inhibitors / GI protection",
    "Sleep aids and hypnotics",
    "Benzodiazepines",
    "Medical foods",
    "Other drugs",
}

# (item, category, class): one or more per family the issue names.
CASES: list[tuple[str, Category, str]] = [
    ("MRI of the left wrist", C.DIAGNOSTIC, "MRI"),
    ("CT of the lumbar spine with 3D reconstruction", C.DIAGNOSTIC, "CT scan"),
    ("Flexion-extension x-rays of the lumbar spine", C.DIAGNOSTIC, "X-ray"),
    ("Diagnostic ultrasound of the left elbow", C.DIAGNOSTIC, "Ultrasound imaging"),
    ("Three-phase bone scan", C.DIAGNOSTIC, "Nuclear imaging"),
    ("CT myelogram of the cervical spine", C.DIAGNOSTIC, "Myelography and discography"),
    ("EMG/NCS of the bilateral upper extremities", C.DIAGNOSTIC, "Electrodiagnostic study"),
    ("Urine toxicology screen", C.DIAGNOSTIC, "Urine drug screen"),
    ("Cytochrome P450 genetic testing", C.DIAGNOSTIC, "Genetic test"),
    ("Comprehensive metabolic panel", C.DIAGNOSTIC, "Laboratory test"),
    ("Polysomnography", C.DIAGNOSTIC, "Sleep study"),
    ("Computerized range of motion testing", C.DIAGNOSTIC, "Physical performance testing"),
    ("Functional capacity evaluation", C.DIAGNOSTIC, "Functional capacity evaluation"),
    ("Physical therapy 2x4 for the left shoulder", C.PHYSICAL_MEDICINE, "Physical therapy"),
    ("Aquatic therapy 2 times a week for 6 weeks", C.PHYSICAL_MEDICINE, "Aquatic therapy"),
    ("Chiropractic manipulation 1x6 lumbar", C.PHYSICAL_MEDICINE, "Chiropractic"),
    ("Acupuncture with electrical stimulation x 6", C.PHYSICAL_MEDICINE, "Acupuncture"),
    ("Massage therapy x 6", C.PHYSICAL_MEDICINE, "Massage therapy"),
    ("Extracorporeal shockwave therapy for the left heel", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
    ("Iontophoresis x 6", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
    ("Spinal decompression therapy x 12", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
    ("Myofascial release 6 sessions", C.PHYSICAL_MEDICINE, "Massage therapy"),
    ("Gym membership for 6 months", C.PHYSICAL_MEDICINE, "Home exercise and gym"),
    ("TENS unit rental for 30 days", C.DME, "Electrotherapy unit"),
    ("Home cervical traction unit", C.DME, "Home traction unit"),
    ("Lumbar support brace", C.DME, "Brace"),
    ("Thumb spica splint", C.DME, "Splint"),
    ("Custom orthotics", C.DME, "Orthotics and footwear"),
    ("Front wheeled walker", C.DME, "Mobility aid"),
    ("Raised toilet seat", C.DME, "Bathroom safety equipment"),
    ("Game Ready cold compression unit", C.DME, "Cold and heat therapy unit"),
    ("Continuous passive motion machine for 21 days", C.DME, "Continuous passive motion"),
    ("Electrodes for TENS unit", C.DME, "Electrotherapy unit"),
    ("Right L4-5 transforaminal epidural steroid injection", C.INJECTION, "Epidural steroid injection"),
    ("Medial branch block at L3, L4, L5", C.INJECTION, "Facet injection"),
    ("Radiofrequency ablation L4-5, L5-S1", C.INJECTION, "Radiofrequency ablation"),
    ("Sacroiliac joint injection", C.INJECTION, "Sacroiliac joint injection"),
    ("Trigger point injections x 4", C.INJECTION, "Trigger point injection"),
    ("Cortisone injection to the right shoulder", C.INJECTION, "Joint injection"),
    ("Synvisc-One injection to the left knee", C.INJECTION, "Viscosupplementation"),
    ("Stellate ganglion block", C.INJECTION, "Nerve block"),
    ("Toradol 60mg IM injection", C.INJECTION, "Intramuscular injection"),
    ("Anterior cervical discectomy and fusion C5-6", C.SURGERY, "Spinal fusion"),
    ("L4-5 microdiscectomy", C.SURGERY, "Spinal decompression"),
    ("Right carpal tunnel release", C.SURGERY, "Peripheral nerve surgery"),
    ("Right knee arthroscopy with partial medial meniscectomy", C.SURGERY, "Knee surgery"),
    ("Total knee arthroplasty", C.SURGERY, "Joint replacement"),
    ("Right shoulder arthroscopic rotator cuff repair", C.SURGERY, "Shoulder surgery"),
    ("Spinal cord stimulator trial", C.SURGERY, "Neurostimulator implant"),
    ("ORIF of the left distal radius", C.SURGERY, "Fracture surgery"),
    ("Two day inpatient stay", C.SURGERY, "Hospital stay"),
    ("Assistant surgeon", C.SURGERY, "Surgical assistant"),
    ("Orthopedic consultation", C.EVALUATION_AND_MANAGEMENT, "Specialist consultation"),
    ("Referral to a pain management specialist", C.EVALUATION_AND_MANAGEMENT, "Specialist consultation"),
    ("Follow-up visit in 4 weeks", C.EVALUATION_AND_MANAGEMENT, "Office visit"),
    ("Physical therapy evaluation", C.EVALUATION_AND_MANAGEMENT, "Therapy evaluation"),
    ("Cognitive behavioral therapy x 6 sessions", C.BEHAVIORAL_HEALTH, "Cognitive behavioral therapy"),
    ("Psychological evaluation", C.BEHAVIORAL_HEALTH, "Psychological evaluation"),
    ("Biofeedback 6 sessions", C.BEHAVIORAL_HEALTH, "Biofeedback"),
    ("Functional restoration program 80 hours", C.PROGRAM, "Functional restoration program"),
    ("Work conditioning 12 sessions", C.PROGRAM, "Work hardening"),
    ("Inpatient detoxification", C.PROGRAM, "Detoxification"),
    ("Home health aide 4 hours a day, 5 days a week", C.HOME_HEALTH, "Home health aide"),
    ("Skilled nursing visits x 4", C.HOME_HEALTH, "Skilled nursing"),
    ("Transportation to and from medical appointments", C.TRANSPORTATION, "Medical transportation"),
    ("Norco 10/325mg #60", C.PHARMACEUTICAL, "Opioids"),
    ("Lidoderm 5% patch #30", C.PHARMACEUTICAL, "Topical analgesics"),
    ("Theramine #120", C.PHARMACEUTICAL, "Medical foods"),
    ("Salonpas pad #60", C.PHARMACEUTICAL, "Topical analgesics"),
]


@pytest.mark.parametrize(("item", "category", "klass"), CASES, ids=[c[0][:40] for c in CASES])
def test_category_and_class(item: str, category: Category, klass: str) -> None:
    t = classify_treatment(item)
    assert (t.category, t.treatment_class) == (category, klass)


@pytest.mark.parametrize(
    ("item", "category"),
    [
        ("Pre-operative EKG", C.DIAGNOSTIC),
        ("Pre-op labs: CBC, CMP, PT/INR", C.DIAGNOSTIC),
        ("Pre-operative medical clearance", C.EVALUATION_AND_MANAGEMENT),
        ("Post-operative physical therapy x 12 for the right knee", C.PHYSICAL_MEDICINE),
        ("Associated surgical service: cold therapy unit", C.DME),
        ("Post-op shoulder sling", C.DME),
        ("Associated surgical service: Assistant PA", C.SURGERY),
    ],
)
def test_peri_operative_items_are_what_they_are(item: str, category: Category) -> None:
    assert classify_treatment(item).category is category


def test_equipment_versus_the_modality_it_delivers() -> None:
    assert classify_treatment("Hot/cold therapy x 6 sessions").category is C.PHYSICAL_MEDICINE
    assert classify_treatment("Hot/cold therapy unit purchase").category is C.DME
    assert classify_treatment("Traction 6 sessions").category is C.PHYSICAL_MEDICINE
    assert classify_treatment("Home traction unit purchase").category is C.DME


def test_regional_classes_name_the_region() -> None:
    assert classify_treatment("MRI of the lumbar spine without contrast").name == "MRI, lumbar spine"
    assert classify_treatment("Right knee arthroscopy").name == "Arthroscopy, knee"
    # two regions: the class name alone, not one node per combination
    assert classify_treatment("MRI of the cervical and thoracic spine").name == "MRI"


def test_an_unknown_item_is_unclassified_with_a_warning() -> None:
    warnings: list[str] = []
    t = classify_treatment("Zorblax regimen", warnings)
    assert (t.name, t.category, t.treatment_class, t.drug) == (UNCLASSIFIED, C.OTHER, None, None)
    assert len(warnings) == 1 and "Zorblax regimen" in warnings[0]


def test_an_unknown_drug_is_pharmaceutical_with_a_warning() -> None:
    warnings: list[str] = []
    t = classify_treatment("Zorblax 20mg #30", warnings)
    assert (t.category, t.treatment_class) == (C.PHARMACEUTICAL, "Other drugs")
    assert "Zorblax 20mg #30" in warnings[0]


def test_known_items_add_no_warning() -> None:
    warnings: list[str] = []
    classify_treatment("Physical therapy x 6", warnings)
    classify_treatment("Norco 10/325mg #60", warnings)
    assert warnings == []


def test_json_says_class_and_reads_back() -> None:
    t = classify_treatment("Norco 10/325mg #60")
    raw = json.loads(t.model_dump_json())
    assert raw["class"] == "Opioids" and "treatment_class" not in raw
    assert raw["drug"]["ingredients"] == ["hydrocodone", "acetaminophen"]
    assert Treatment.model_validate(raw) == t


def test_vocabulary_data() -> None:
    v = vocabulary()
    assert len(v.entries) >= 150
    assert {e.treatment_class.name for e in v.entries} <= set(v.classes)
    classes = all_classes()
    assert {name for name, cat, _ in classes if cat is C.PHARMACEUTICAL} == DRUG_CLASSES
    non_drug = {cat for _, cat, _ in classes} - {C.PHARMACEUTICAL, C.OTHER}
    assert non_drug == set(Category) - {C.PHARMACEUTICAL, C.OTHER}
    assert vocabulary() is v  # compiled once per process


def test_prefilter_agrees_with_a_plain_scan() -> None:
    v = vocabulary()
    texts = [c[0] for c in CASES] + [
        "ice/heat pads therapy times 6",
        "consultation with a hand surgeon",
        "removal of hardware",
        "CPAP",
        "x ray",
        "xray",
        "",
        "pt",
    ]
    for text in texts:
        assert v.match(text) is v.match_unfiltered(text), text


def test_prefilter_candidates_hold_every_matching_entry() -> None:
    v = vocabulary()
    texts = [c[0] for c in CASES]
    # Case variants, the Kelvin sign (re.I folds it onto "k"), accents and Python-only white space.
    texts += [t.upper() for t in texts] + [t.swapcase() for t in texts]
    texts += ["\u212anee brace", "Epidural steroid injection, L4-5 \u00e9", "MRI\x1clumbar", "x\u2013ray"]
    for text in texts:
        matching = {i for i, e in enumerate(v.entries) if e.pattern.search(text)}
        assert matching <= set(v.prefilter.candidates(text)), text
    # Every entry is read by Hyperscan: none is left to be tried on every item.
    assert not v.prefilter.always


@pytest.mark.parametrize(
    ("item", "category"),
    [
        ("Medication management for Norco", C.EVALUATION_AND_MANAGEMENT),
        ("Norco 10/325mg for pain management", C.PHARMACEUTICAL),
        ("Follow-up visit for tramadol refill", C.EVALUATION_AND_MANAGEMENT),
        ("Tramadol 50mg, follow-up in 4 weeks", C.PHARMACEUTICAL),
        ("Urine drug screen for opioid compliance", C.DIAGNOSTIC),
        ("Iontophoresis with dexamethasone x 6", C.PHYSICAL_MEDICINE),
    ],
)
def test_what_heads_the_item_wins(item: str, category: Category) -> None:
    assert classify_treatment(item).category is category


def test_injection_keeps_its_drug() -> None:
    t = classify_treatment("Injection of 2cc lidocaine and 40mg Kenalog to the right knee")
    assert t.category is C.INJECTION and t.drug is not None
    assert t.drug.ingredients == ["lidocaine", "triamcinolone"]


def test_cli_prints_class() -> None:
    from typer.testing import CliRunner

    from graph_loader.cli.main import app
    from tests.helpers import SAMPLES

    sample = sorted(SAMPLES.glob("*.txt"))[0]
    result = CliRunner().invoke(app, ["parse", str(sample)])
    assert result.exit_code == 0
    letter = json.loads(result.stdout.splitlines()[0])
    treatments = [d["treatment"] for d in letter["decisions"]]
    assert treatments and all("class" in t and "treatment_class" not in t for t in treatments)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_prefilter_keeps_each_entry_on_text_generated_from_its_pattern(data: st.DataObject) -> None:
    # An item the entry's own regex matches (in any case, with text around it): the entry is a candidate.
    v = vocabulary()
    i = data.draw(st.integers(0, len(v.entries) - 1))
    text = data.draw(st.from_regex(v.entries[i].pattern))
    assert i in v.prefilter.candidates(text)
    assert v.match(text) is v.match_unfiltered(text)


# What the item is decides its category, not a shared word: ultrasound as a modality given in
# sessions vs as a study; a hot/cold unit for home use vs heat or cold applied in clinic sessions;
# a rehabilitation *unit* is a stay, not equipment; hygiene items are supplies; whoever assists at
# the operation is a surgical assistant.
@pytest.mark.parametrize(
    ("item", "category", "klass"),
    [
        ("Therapeutic ultrasound to the lumbar spine", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
        ("Ultrasound treatment for the right shoulder", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
        ("Ultrasound 2x3 to the cervical spine", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
        ("Ultrasound x 6 sessions", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
        ("Physical therapy with ultrasound", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
        ("Pulsed ultrasound", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
        ("Ultrasound of the left knee", C.DIAGNOSTIC, "Ultrasound imaging"),
        ("Ultrasound of the right shoulder x 1", C.DIAGNOSTIC, "Ultrasound imaging"),
        ("Musculoskeletal ultrasound of the wrist", C.DIAGNOSTIC, "Ultrasound imaging"),
        ("Low intensity pulsed ultrasound bone growth stimulator", C.DME, "Bone growth stimulator"),
        ("Hot/cold therapy", C.DME, "Cold and heat therapy unit"),
        ("Cold/heat therapy for the knee", C.DME, "Cold and heat therapy unit"),
        ("Continuous cold therapy x 7 days", C.DME, "Cold and heat therapy unit"),
        ("Cryotherapy for 14 days", C.DME, "Cold and heat therapy unit"),
        ("Cold therapy with compression", C.DME, "Cold and heat therapy unit"),
        ("Heat therapy", C.DME, "Cold and heat therapy unit"),
        ("Hot/cold contrast therapy", C.DME, "Cold and heat therapy unit"),
        ("Hot/cold therapy x 6 sessions", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
        ("Cold therapy 2x3", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
        ("Infrared heat therapy", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
        ("Paraffin wax bath", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
        ("Whole body cryotherapy", C.PHYSICAL_MEDICINE, "Therapeutic modalities"),
        ("Acute rehabilitation unit", C.PHYSICAL_MEDICINE, "Inpatient rehabilitation"),
        ("Admission to an acute rehab unit x 10 days", C.PHYSICAL_MEDICINE, "Inpatient rehabilitation"),
        ("Inpatient rehabilitation unit stay", C.PHYSICAL_MEDICINE, "Inpatient rehabilitation"),
        ("Rehabilitation center", C.PHYSICAL_MEDICINE, "Inpatient rehabilitation"),
        ("Personal hygiene supplies", C.DME, "Medical supplies"),
        ("Personal hygiene items", C.DME, "Medical supplies"),
        ("Toiletries", C.DME, "Medical supplies"),
        ("Bathing wipes", C.DME, "Medical supplies"),
        ("Incontinence briefs", C.DME, "Medical supplies"),
        ("PA assist at surgery", C.SURGERY, "Surgical assistant"),
        ("Physician assistant to assist at surgery", C.SURGERY, "Surgical assistant"),
        ("Assist surgeon", C.SURGERY, "Surgical assistant"),
        ("RNFA for the procedure", C.SURGERY, "Surgical assistant"),
        ("Assistance with the operation by a nurse", C.SURGERY, "Surgical assistant"),
    ],
)
def test_category_by_what_the_item_is(item: str, category: Category, klass: str) -> None:
    treatment = classify_treatment(item)
    assert (treatment.category, treatment.treatment_class) == (category, klass), item
