"""A seeded, deterministic, streaming generator of realistic synthetic IMR letters.

Both layouts (2014-15 body, 2016-17 with a header), 1-6 disputed items per letter, about 10%
overturned, DWC's category mix (about a third pharmaceuticals, a fifth physical medicine), diagnoses
from the ICD-10-CM categories common in workers' compensation, reviewer specialties and states, and
guideline citations from the catalog. Letters are produced one at a time, never held together.

usage: python -m bench.synth OUT_DIR COUNT [--seed N]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# (item template, category weight group, claims-administrator citation, IMR citation)
# {n} is a quantity, {region} a body region.
ITEMS: dict[str, list[tuple[str, str, str]]] = {
    "PHARMACEUTICAL": [
        (
            "Norco 10/325mg #{n}",
            "MTUS Opioid Treatment 2016, Section(s): 3.3.9 Maintenance of Chronic Opioid Treatment",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Opioids, criteria for use",
        ),
        (
            "Cyclobenzaprine 7.5mg #{n}",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Muscle relaxants (for pain)",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Cyclobenzaprine (Flexeril)",
        ),
        (
            "Lidocaine 5% patch #{n}",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Topical analgesics",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Lidoderm (lidocaine patch)",
        ),
        (
            "Omeprazole 20mg #{n}",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): NSAIDs, GI symptoms & cardiovascular risk",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): NSAIDs, GI symptoms & cardiovascular risk",
        ),
        (
            "Gabapentin 600mg #{n}",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Anti-epilepsy drugs (AEDs)",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Gabapentin (Neurontin)",
        ),
        (
            "Tramadol ER 150mg #{n}",
            "Non-MTUS Citation Official Disability Guidelines (ODG), Pain (Chronic), Tramadol",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Tramadol (Ultram)",
        ),
    ],
    "PHYSICAL_MEDICINE": [
        (
            "Physical therapy 2 times a week for {w} weeks for the {region}",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment",
        ),
        ("Acupuncture x {n} sessions", "MTUS Acupuncture Treatment 2007", "MTUS Acupuncture Treatment 2007"),
        (
            "Chiropractic treatment x {n} for the {region}",
            "MTUS Chronic Pain Medical Treatment 2009, Section(s): Manual therapy & manipulation",
            "MTUS Chronic Pain Medical Treatment 2009 Page(s): 58-59",
        ),
        (
            "Aquatic therapy x {n}",
            "MTUS Chronic Pain Medical Treatment 2009 Page(s): 22",
            "MTUS Chronic Pain Medical Treatment 2009 Page(s): 22",
        ),
    ],
    "DIAGNOSTIC": [
        (
            "MRI of the {region} without contrast",
            "MTUS Low Back Complaints 2004, Section(s): Special Studies",
            "MTUS Low Back Complaints 2004, Section(s): Special Studies",
        ),
        (
            "EMG/NCV of the bilateral lower extremities",
            "MTUS Low Back Complaints 2004, Section(s): Special Studies",
            "Non-MTUS Citation Official Disability Guidelines (ODG) Low Back, EMGs (electromyography)",
        ),
        (
            "Urine drug screen",
            "MTUS Chronic Pain Medical Treatment 2009 Page(s): 43",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Drug testing",
        ),
        (
            "X-rays of the {region}",
            "MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies",
            "MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies",
        ),
    ],
    "EVALUATION_AND_MANAGEMENT": [
        (
            "Pain management consultation",
            "MTUS ACOEM Chapter 7 Independent Medical Examinations and Consultations Page(s): 127",
            "MTUS ACOEM Chapter 7 Independent Medical Examinations and Consultations Page(s): 127",
        ),
        (
            "Follow-up visit with the orthopedic surgeon",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Office visits",
            "Non-MTUS Citation Official Disability Guidelines (ODG) Pain, Office visits",
        ),
    ],
    "DME": [
        (
            "TENS unit for home use",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): TENS, chronic pain",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): TENS, chronic pain",
        ),
        (
            "Lumbar support brace",
            "MTUS Low Back Complaints 2004, Section(s): Physical Methods",
            "MTUS Low Back Complaints 2004, Section(s): Physical Methods",
        ),
    ],
    "INJECTION": [
        (
            "Lumbar epidural steroid injection at L4-L5",
            "MTUS Chronic Pain Medical Treatment 2009 Page(s): 46",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Epidural steroid injections (ESIs)",
        ),
        (
            "Trigger point injections x {n}",
            "MTUS Chronic Pain Medical Treatment 2009 Page(s): 122",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Trigger point injections",
        ),
    ],
    "SURGERY": [
        (
            "Right shoulder arthroscopy with subacromial decompression",
            "MTUS Shoulder Complaints 2004, Section(s): Surgical Considerations",
            "MTUS Shoulder Complaints 2004, Section(s): Surgical Considerations",
        ),
    ],
    "BEHAVIORAL_HEALTH": [
        (
            "Cognitive behavioral therapy x {n} sessions",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Behavioral interventions",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Psychological treatment",
        ),
    ],
    "PROGRAM": [
        (
            "Functional restoration program x {n} days",
            "MTUS Chronic Pain Medical Treatment 2009 Page(s): 30-32",
            "MTUS Chronic Pain Medical Treatment 2016, Section(s): Functional restoration programs (FRPs)",
        ),
    ],
}
CATEGORY_WEIGHTS = {
    "PHARMACEUTICAL": 34,
    "PHYSICAL_MEDICINE": 20,
    "DIAGNOSTIC": 18,
    "EVALUATION_AND_MANAGEMENT": 9,
    "DME": 7,
    "INJECTION": 6,
    "SURGERY": 3,
    "BEHAVIORAL_HEALTH": 2,
    "PROGRAM": 1,
}
DIAGNOSES = [
    ("lumbar radiculopathy", 14),
    ("lumbar sprain/strain", 12),
    ("cervical strain", 9),
    ("lumbar disc displacement", 8),
    ("right shoulder strain", 6),
    ("myofascial pain syndrome", 5),
    ("carpal tunnel syndrome", 5),
    ("left knee sprain", 5),
    ("chronic pain syndrome", 4),
    ("depression", 4),
    ("anxiety", 3),
    ("cervical radiculopathy", 4),
    ("lumbar spondylosis", 3),
    ("insomnia", 2),
    ("right knee osteoarthritis", 2),
    ("lateral epicondylitis", 2),
]
REGIONS = ["lumbar spine", "cervical spine", "right shoulder", "left knee", "right wrist", "thoracic spine"]
SPECIALTIES = [
    ("Physical Medicine & Rehabilitation", 18),
    ("Orthopedic Surgery", 16),
    ("Family Practice", 14),
    ("Preventive Medicine, Occupational Medicine", 14),
    ("Anesthesiology, Pain Management", 12),
    ("Internal Medicine", 8),
    ("Psychiatry", 5),
    ("Neurology", 5),
    ("Chiropractic", 4),
    ("Acupuncture", 4),
]
STATES = [
    ("California", 60),
    ("Texas", 8),
    ("New York", 6),
    ("Florida", 6),
    ("North Carolina", 5),
    ("Pennsylvania", 5),
    ("Ohio", 4),
    ("Washington", 3),
    ("Utah", 3),
]
REASONS_UPHELD = [
    "There is no documentation of objective functional improvement from prior treatment.",
    "The requested number of visits exceeds the guideline recommendations.",
    "There are no red flag findings or evidence of specific nerve compromise on examination.",
    "There was no clear rationale provided by the physician for this request.",
    "The guidelines do not recommend this treatment for chronic pain.",
    "There is no evidence the patient has trialed and failed first-line therapy.",
]


@dataclass(frozen=True)
class Synthetic:
    name: str
    text: str


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([x for x, _ in weighted], weights=[w for _, w in weighted])[0]


def _fmt(d: date, style: int) -> str:
    if style == 0:
        return d.strftime("%m/%d/%Y")
    if style == 1:
        return f"{d.month}-{d.day}-{d.strftime('%y')}"
    return d.strftime("%B %d, %Y").replace(" 0", " ")


def letter(i: int, seed: int) -> Synthetic:
    rng = random.Random(seed * 1_000_003 + i)
    modern = rng.random() < 0.6
    year = rng.choice([2016, 2017, 2018, 2019, 2020]) if modern else rng.choice([2014, 2015])
    decision = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    ur = decision - timedelta(days=rng.randrange(20, 45))
    injury = ur - timedelta(days=rng.randrange(30, 3000))
    age = rng.randrange(21, 70)
    sex = rng.choice(["male", "female"])
    dx = rng.sample([d for d, _ in DIAGNOSES], k=rng.randrange(1, 4))
    states = list(dict.fromkeys(_pick(rng, STATES) for _ in range(rng.randrange(1, 4))))
    specialty = _pick(rng, SPECIALTIES)
    n_items = rng.choices([1, 2, 3, 4, 5, 6], weights=[40, 25, 15, 10, 6, 4])[0]
    blocks = []
    for _ in range(n_items):
        category = _pick(rng, list(CATEGORY_WEIGHTS.items()))
        template, ca, imr = rng.choice(ITEMS[category])
        item = template.format(
            n=rng.choice([6, 8, 12, 30, 60, 90]), w=rng.choice([3, 4, 6]), region=rng.choice(REGIONS)
        )
        overturned = rng.random() < 0.1
        outcome = "Overturned" if overturned else "Upheld"
        verdict = "is medically necessary" if overturned else "is not medically necessary"
        reason = (
            "The records document objective findings that support the request."
            if overturned
            else rng.choice(REASONS_UPHELD)
        )
        blocks.append(
            f"{item}: {outcome}\n"
            f"Claims Administrator guideline: Decision based on {ca}.\n"
            f"MAXIMUS guideline: Decision based on {imr}.\n"
            f"Decision rationale: The guidelines were reviewed for this request for {item.lower()}. {reason}\n"
            f"The injured worker has been treated for {dx[0]}. Given the above, the request for {item} {verdict}.\n"
        )
    summary = (
        f"The injured worker is a {age} year old {sex} who sustained an industrial injury on "
        f"{_fmt(injury, rng.randrange(3))}. The injured worker was diagnosed with {', '.join(dx)}. Treatment to "
        f"date has included medications and physical therapy. On {_fmt(ur, 1)}, utilization review non-certified "
        f"the request.\n"
    )
    how = (
        "HOW THE IMR FINAL DETERMINATION WAS MADE\n"
        "MAXIMUS Federal Services sent the complete case file to an expert reviewer. He/she has no\n"
        "affiliation with the employer, employee, providers or the claims administrator.\n"
    )
    if modern:
        case = f"CM{year % 100:02d}-{seed % 10:01d}{i % 1_000_000:06d}"
        head = (
            f"Case Number: {case}\nDate Assigned: {_fmt(ur + timedelta(days=3), 0)} Date of Injury: "
            f"{_fmt(injury, 0)}\nDecision Date: {_fmt(decision, 0)} UR Denial Date: {_fmt(ur, 0)}\n"
            f"Priority: Standard Application\nReceived:\n{_fmt(ur + timedelta(days=2), 0)}\n"
        )
        cred = (
            f"The Expert Reviewer has the following credentials:\nState(s) of Licensure: {','.join(states)}\n"
            f"Certification(s)/Specialty: {specialty}\n"
        )
        text = head + how + cred
    else:
        text = how.replace(
            "claims administrator.\n",
            f"claims administrator. The expert reviewer is Board "
            f"Certified in {specialty.split(',')[0]} and is licensed to practice in "
            f"{' and '.join(states)}.\n",
        )
    text += (
        "CLINICAL CASE SUMMARY\nThe expert reviewer developed the following clinical case summary based on "
        "a review of the\ncase file, including all medical records:\n" + summary
    )
    text += (
        "IMR ISSUES, DECISIONS AND RATIONALES\nThe Final Determination was based on decisions for the "
        "disputed items/services set forth below:\n" + "".join(blocks)
    )
    return Synthetic(name=f"synthetic-{seed}-{i:07d}.txt", text=text)


def generate(count: int, seed: int = 1) -> Iterator[Synthetic]:
    for i in range(count):
        yield letter(i, seed)


def write(out_dir: Path, count: int, seed: int = 1, per_folder: int = 10_000) -> None:
    """Write letters in folders of `per_folder` so no directory grows unwieldy."""
    for i, synthetic in enumerate(generate(count, seed)):
        folder = out_dir / f"{i // per_folder:04d}"
        if i % per_folder == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / synthetic.name).write_text(synthetic.text)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("count", type=int)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    write(args.out_dir, args.count, args.seed)


if __name__ == "__main__":
    main()
