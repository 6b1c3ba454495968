"""The letters the fetcher's replica (fetch_replica.py) serves: for each made-up case, a whole IMR letter
in the 2016 layout the parser reads (header, reviewer, case summary, one decision block per request),
written as a plain one-page PDF, so that a fetched folder loads as DWC's would and the agreement of the
parsed labels with the replica's DWC rows can be measured end to end.

Everything in them is invented: numbers, dates, people and clinical facts. The letter states each
request's outcome as DWC's row gives it (a partial overturn as "Overturned": a letter states no partial
outcome), except that the first request of every eleventh case (case numbers ending 7, 18, 29, ...)
states the opposite outcome: the disagreement the agreement report has to show.
"""

from __future__ import annotations

import textwrap
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.unit.fetch_replica import Case

# What each of the replica's kinds of request is in the letter: (item heading, guideline line, reason).
ITEMS = {
    "Opioids": (
        "Norco 10/325mg #60",
        "MTUS Chronic Pain Treatment Guidelines Opioids, criteria for use Page(s): 76-78",
        "ongoing opioid treatment requires documented pain relief, functional improvement and monitoring",
    ),
    "Spine": (
        "L4-L5 microdiscectomy",
        "MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 305-307",
        "surgery is considered for severe, disabling leg symptoms with imaging findings that correlate",
    ),
    "Physical Therapy/Occupational Therapy (PT/OT)": (
        "Physical therapy 2 times a week for 4 weeks for the lumbar spine",
        "MTUS Chronic Pain Treatment Guidelines Physical Medicine Page(s): 98-99",
        "the guidelines allow 8-10 visits for radiculitis with a fading of treatment frequency",
    ),
    "MRI": (
        "MRI of the lumbar spine",
        "MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303-304",
        "imaging is indicated when neurologic findings are unequivocal and surgery is considered",
    ),
}
SPECIALTY_LINES = {
    "Physical Medicine & Rehabilitation": "Physical Medicine & Rehabilitation",
    "Orthopaedic Surgery": "Orthopedic Surgery",
    "Pain Medicine": "Anesthesiology, Pain Medicine",
    "Psychiatry": "Psychiatry",
}


def _date(value: object) -> str:
    return f"{value:%m/%d/%Y}"


def letter_text(case: Case) -> str:
    serial = int(case.number.rsplit("-", 1)[1])
    decided = case.decided
    injured, received = case.injured, case.received
    age, sex = 30 + serial % 35, ("male", "female")[serial % 2]
    pronoun = ("He", "She")[serial % 2]
    lines = [
        f"Case Number: {case.number}",
        f"Date Assigned: {_date(received + timedelta(days=3))}",
        f"Date of Injury: {_date(injured)}",
        f"Decision Date: {_date(decided)}",
        f"UR Denial Date: {_date(received - timedelta(days=14))}",
        "Priority: Standard",
        f"Application Received: {_date(received)}",
        "",
        "HOW THE IMR FINAL DETERMINATION WAS MADE",
        "MAXIMUS Federal Services sent the complete case file to an expert reviewer.",
        "State(s) of Licensure: California",
        f"Certification(s)/Specialty: {SPECIALTY_LINES.get(case.specialty, case.specialty)}",
        "",
        "CLINICAL CASE SUMMARY",
        *textwrap.wrap(
            f"The injured worker is a {age} year old {sex} who sustained an industrial injury on "
            f"{_date(injured)}. {pronoun} has been diagnosed with lumbar radiculopathy and lumbar disc "
            f"displacement. The progress report of {_date(received - timedelta(days=30))} describes low "
            "back pain radiating to the left leg.",
            90,
        ),
        "",
        "IMR ISSUES, DECISIONS AND RATIONALES",
        "The Final Determination was based on decisions for the disputed items/services set forth below:",
    ]
    for index, t in enumerate(case.treatments):
        item, guideline, reason = ITEMS[t.subcategory]
        upheld = t.decision == "Uphold"
        if index == 0 and serial % 11 == 7:
            upheld = not upheld
        verdict = "is not medically necessary" if upheld else "is medically necessary"
        lines += [
            f"{item}: {'Upheld' if upheld else 'Overturned'}",
            f"Claims Administrator guideline: Decision based on {guideline}.",
            f"MAXIMUS guideline: Decision based on {guideline}.",
            *textwrap.wrap(
                f"Decision rationale: According to the guidelines, {reason}. "
                f"Therefore, the request for {item} {verdict}.",
                90,
            ),
        ]
    return "\n".join(lines) + "\n"


def _pdf_string(line: str) -> bytes:
    escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1", "replace") + b")"


def text_pdf(text: str) -> bytes:
    """A well-formed PDF showing `text` line by line on one page (Helvetica 9 pt)."""
    body = b" T*\n".join(_pdf_string(line) + b" Tj" for line in text.splitlines())
    stream = b"BT /F1 9 Tf 11 TL 40 760 Td\n" + body + b"\nET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
