"""Requested items to a canonical treatment and one of DWC's IMR categories."""

from __future__ import annotations

import re

from graph_loader.models import Category, Treatment

C = Category
# (canonical name, category, pattern): first match wins, so specific rules come before general ones.
RULES: tuple[tuple[str, Category, str], ...] = (
    ("Functional capacity evaluation", C.DIAGNOSTIC, r"functional capacity"),
    ("Functional restoration program", C.PROGRAM, r"functional restoration|\bFRP\b"),
    ("Work hardening", C.PROGRAM, r"work (?:hardening|conditioning)"),
    ("Detoxification", C.PROGRAM, r"\bdetox"),
    ("Pain program", C.PROGRAM, r"pain (?:management )?program"),
    (
        "Partial hospitalization",
        C.BEHAVIORAL_HEALTH,
        r"partial hospitali[sz]ation|day treatment program|"
        r"intensive outpatient",
    ),
    (
        "Therapy evaluation",
        C.EVALUATION_AND_MANAGEMENT,
        r"(?:therapy|\bPT|\bOT|chiropractic|acupuncture)\s+(?:evaluation|eval|assessment)\b(?!\s+(?:and|&)\s+treat)",
    ),
    ("Home health", C.HOME_HEALTH, r"home health|\bRN\b|nurs(?:e|ing)(?! facility)|\baide\b|caregiver"),
    ("Transportation", C.TRANSPORTATION, r"transport|\btaxi\b|mileage"),
    ("Platelet-rich plasma injection", C.INJECTION, r"platelet[- ]rich|\bPRP\b"),
    ("Epidural steroid injection", C.INJECTION, r"epidural|\bESI\b"),
    ("Facet injection", C.INJECTION, r"facet|medial branch"),
    ("Radiofrequency ablation", C.INJECTION, r"radiofrequency|rhizotomy|\bRFA\b|neurotomy"),
    ("Trigger point injection", C.INJECTION, r"trigger point"),
    ("Nerve block", C.INJECTION, r"nerve block|\bblock\b|neurolytic"),
    ("Joint injection", C.INJECTION, r"injection|inject|cortisone|viscosupplement|synvisc|\bshots?\b"),
    ("Assistant surgeon", C.SURGERY, r"assistant surgeon|\bco-?surgeon"),
    (
        "Surgery",
        C.SURGERY,
        r"surgery(?! evaluation| consult)|arthroscop|fusion|discectomy|laminectomy|"
        r"arthroplasty|replacement|repair|release|decompression|neuroplasty|ectomy\b|otomy\b|\bORIF\b|"
        r"reconstruction|debridement|implant|stimulator trial|spinal cord stimulator|pre-?operative|"
        r"post-?operative (?:stay|visit)|inpatient stay",
    ),
    (
        "Psychotherapy",
        C.BEHAVIORAL_HEALTH,
        r"psycho(?:therapy|logical|logist)|\bCBT\b|cognitive behav|"
        r"biofeedback|counsel|psychiatr|hypnotherapy",
    ),
    (
        "Electrodiagnostic study",
        C.DIAGNOSTIC,
        r"\bEMG\b|\bNCV\b|\bNCS\b|electrodiagnostic|nerve conduction|"
        r"electromyog",
    ),
    ("MRI", C.DIAGNOSTIC, r"\bMRI\b|\bMR\b|magnetic resonance|arthrogram"),
    ("CT scan", C.DIAGNOSTIC, r"\bCT\b|computed tomography|cat scan"),
    ("X-ray", C.DIAGNOSTIC, r"x-?rays?|radiograph"),
    ("Ultrasound imaging", C.DIAGNOSTIC, r"diagnostic ultrasound|ultrasound (?:of|guid)"),
    ("Bone scan", C.DIAGNOSTIC, r"bone scan|\bscan\b|\bDEXA\b"),
    ("Urine drug screen", C.DIAGNOSTIC, r"drug (?:screen|test)|toxicology|\bUDS\b|urin"),
    (
        "Laboratory test",
        C.DIAGNOSTIC,
        r"\blab(?:s|oratory)?\b|blood|panel|\bCBC\b|genetic|\btest(?:ing)?\b|"
        r"\bEKG\b|\bECG\b|sleep study|polysomnogra|audiogra|videonystagmo|evaluation of hearing",
    ),
    ("TENS unit", C.DME, r"\bTENS\b|\bH-?wave\b|interferential|\bIF unit|muscle stimulator|\bEMS\b"),
    ("Orthotics", C.DME, r"orthotic|insole|shoe"),
    ("Brace", C.DME, r"brace|splint|support|collar|sling|\bboot\b|walker|cane|crutch|wheelchair"),
    (
        "Durable medical equipment",
        C.DME,
        r"\bDME\b|equipment|hospital bed|mattress|pillow|cold therapy|"
        r"heat(?:ing)? (?:pad|unit)|hot/cold|cryo|game ready|vasopneumatic|compression|traction|"
        r"hearing aids?|\bkit\b|supplies|\bunit\b|device|chair|\bbed\b|\bpump\b|commode|\bTENS",
    ),
    ("Acupuncture", C.PHYSICAL_MEDICINE, r"acupunct|electroacup"),
    ("Chiropractic", C.PHYSICAL_MEDICINE, r"chiropract|manipulation|manual therapy"),
    ("Massage", C.PHYSICAL_MEDICINE, r"massage|myofascial release"),
    ("Aquatic therapy", C.PHYSICAL_MEDICINE, r"aqua|pool therapy|water therapy"),
    ("Occupational therapy", C.PHYSICAL_MEDICINE, r"occupational therap|\bOT\b"),
    (
        "Physical therapy",
        C.PHYSICAL_MEDICINE,
        r"physical therap|\bPT\b|therapeutic exercise|physiotherap|"
        r"rehabilitation|rehab\b|shockwave|\bESWT\b|ultrasound therap|gym membership|home exercise|"
        r"inpatient rehab",
    ),
    (
        "Consultation",
        C.EVALUATION_AND_MANAGEMENT,
        r"consult|referral|refer\b|evaluation|re-?evaluat|"
        r"follow[- ]?up|office visit|\bvisit\b|specialist|second opinion|\bexam\b|assessment|"
        r"treatment with|treat\b|management",
    ),
    (
        "Medication",
        C.PHARMACEUTICAL,
        r"\d\s*(?:mg|mcg|%|g\b|ml)|tab(?:let)?s?\b|caps?(?:ule)?s?\b|cream|"
        r"gel\b|ointment|patch|lotion|compound|#\s?\d|medication|drug|\bpill|spray|solution|suppos|"
        r"lidoderm|salonpas|norco|ultram|tramadol|flexeril|cyclobenzaprine|omeprazole|prilosec|"
        r"pantoprazole|protonix|naproxen|ibuprofen|celebrex|celecoxib|gabapentin|neurontin|lyrica|"
        r"pregabalin|oxycodone|percocet|hydrocodone|morphine|fentanyl|butrans|buprenorph|soma|"
        r"carisoprodol|baclofen|tizanidine|zanaflex|ambien|zolpidem|trazodone|cymbalta|duloxetine|"
        r"venlafaxine|bupropion|wellbutrin|amitriptyline|nortriptyline|elavil|xanax|valium|diazepam|"
        r"alprazolam|lorazepam|clonazepam|meloxicam|mobic|diclofenac|voltaren|ketoprofen|lidocaine|"
        r"capsaicin|terocin|menthoderm|methoderm|orphenadrine|norflex|methocarbamol|robaxin|nucynta|"
        r"tapentadol|dilaudid|hydromorphone|methadone|topiramate|sumatriptan|imitrex|fioricet|"
        r"deprizine|fanatrex|synapryn|tabradol|ketophene|dicopanol|theramine|sentra|"
        r"vitamin|supplement|\bgel\b|ondansetron|zofran|docusate|senna|colace|laxative|"
        r"anecream|toradol|ketorolac|etodolac|nabumetone|relafen|skelaxin|metaxalone|lunesta|"
        r"sonata|restoril|belsomra|latuda|abilify|seroquel|prozac|zoloft|lexapro|celexa|paxil|"
        r"effexor|savella|pamelor|topamax|keppra|depakote|lamictal|opana|oxycontin|kadian|"
        r"avinza|exalgo|zohydro|hysingla|suboxone|naloxone|narcan|medrol|prednisone",
    ),
)
_COMPILED = tuple((name, cat, re.compile(p, re.I)) for name, cat, p in RULES)


def classify_treatment(item: str) -> Treatment:
    for name, category, pattern in _COMPILED:
        if pattern.search(item):
            return Treatment(name=name, category=category)
    return Treatment(name=item.strip()[:80] or "unknown", category=Category.OTHER)
