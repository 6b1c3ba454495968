"""The extraction contract: what `imr-graph parse` prints, one `Letter` per line.

Field names here are a public contract (README, loader, scorer). Add fields freely; never rename.
Spans are [start, end) character offsets into `Letter.text`, the normalized text the parser keeps.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]


class Outcome(StrEnum):
    UPHELD = "UPHELD"
    OVERTURNED = "OVERTURNED"


# DWC's own per-request decision (its search's "Request Decision"), kept beside the parsed outcome. A letter
# states each item upheld or overturned; "Partial Overturn" is DWC's label for a request only part of
# which was found necessary, so only DWC's reading has it (graph_loader/load/dwc_labels.py).
class DwcOutcome(StrEnum):
    UPHELD = "UPHELD"
    OVERTURNED = "OVERTURNED"
    PARTIALLY_OVERTURNED = "PARTIALLY_OVERTURNED"


class CitedBy(StrEnum):
    IMR_REVIEWER = "IMR_REVIEWER"
    CLAIMS_ADMINISTRATOR = "CLAIMS_ADMINISTRATOR"
    RATIONALE = "RATIONALE"


class GuidelineFamily(StrEnum):
    MTUS = "MTUS"
    ACOEM = "ACOEM"
    ODG = "ODG"
    OTHER = "OTHER"


class Category(StrEnum):
    PHARMACEUTICAL = "PHARMACEUTICAL"
    PHYSICAL_MEDICINE = "PHYSICAL_MEDICINE"
    DIAGNOSTIC = "DIAGNOSTIC"
    EVALUATION_AND_MANAGEMENT = "EVALUATION_AND_MANAGEMENT"
    DME = "DME"
    INJECTION = "INJECTION"
    SURGERY = "SURGERY"
    BEHAVIORAL_HEALTH = "BEHAVIORAL_HEALTH"
    PROGRAM = "PROGRAM"
    HOME_HEALTH = "HOME_HEALTH"
    TRANSPORTATION = "TRANSPORTATION"
    OTHER = "OTHER"


class Patient(BaseModel):
    age: int | None = None
    sex: str | None = None


class Certification(BaseModel):
    # Canonical name from graph_loader/data/specialties.json; None when the printed form matches nothing.
    specialty: str | None = None
    printed: str
    span: Span


class Reviewer(BaseModel):
    # Canonical names only (the Specialty nodes); the printed forms are in `certifications`.
    specialties: list[str] = Field(default_factory=list)
    licensure_states: list[str] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)


class Diagnosis(BaseModel):
    text: str
    # ICD-10-CM description of `icd10`
    name: str
    # As specific as the text supports, with dot and, for injuries, the 7th character ("S83.241A")
    icd10: str | None = None
    # The 3-character ICD-10-CM category of `icd10` ("S83"), always set when icd10 is
    category: str | None = None
    # "stated" diagnoses vs "finding" / "history" / "rule_out" mentions
    status: str = "stated"
    span: Span


class Drug(BaseModel):
    """A requested drug: generic ingredients (lower case) and the ids the drug dictionary gives them."""

    ingredients: list[str] = Field(default_factory=list)
    # ingredient -> {"drugbank": ..., "mesh": ..., "medlineplus": ...}; ingredients without ids are absent
    ids: dict[str, dict[str, str]] = Field(default_factory=dict)
    strength: str | None = None
    form: str | None = None
    route: str | None = None
    compounded: bool = False
    # The brand or product name the item used, when the curated table knows it ("norco").
    brand: str | None = None


class Treatment(BaseModel):
    # "class" is a Python keyword: the attribute is treatment_class, every dump says "class".
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    # Canonical name; "Unclassified" for an item the vocabulary does not know.
    name: str
    category: Category
    # The treatment class ("MRI", "Opioids"), printed as "class"; None only for "Unclassified".
    treatment_class: str | None = Field(default=None, alias="class")
    subcategory: str | None = None
    drug: Drug | None = None


class Citation(BaseModel):
    by: CitedBy
    guideline: GuidelineFamily
    # Catalog key of the resolved guideline document, or None when it could not be resolved.
    guideline_key: str | None = None
    title: str
    edition: str | None = None
    # ODG and ACOEM: the canonical chapter name (the catalog's "chapters"); MTUS: the ACOEM chapter
    # number of the cited document ("12" for Low Back Complaints).
    chapter: str | None = None
    pages: list[int] = Field(default_factory=list)
    # Canonical section names (the catalog's table of contents; a part it does not hold, as printed),
    # each once, in the document's own order.
    sections: list[str] = Field(default_factory=list)
    url: str | None = None
    text: str
    span: Span
    # The parts of `sections` that matched no entry of the document's table of contents.
    unknown_sections: list[str] = Field(default_factory=list)
    # For page citations: the table-of-contents sections the cited pages fall in.
    page_sections: list[str] = Field(default_factory=list)


class DenialReason(BaseModel):
    code: str
    span: Span


class DecisionSpans(BaseModel):
    item: Span
    outcome: Span | None = None
    rationale: Span | None = None


class Decision(BaseModel):
    item: str
    outcome: Outcome | None
    outcome_inferred: bool = False
    treatment: Treatment
    quantity: int | None = None
    requested_item: str | None = None
    requested_quantity: int | None = None
    authorized_item: str | None = None
    authorized_quantity: int | None = None
    body_regions: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    denial_reasons: list[DenialReason] = Field(default_factory=list)
    rationale: str = ""
    spans: DecisionSpans


class Letter(BaseModel):
    source: str
    letter_id: str
    content_hash: str
    layout: str
    case_number: str | None = None
    patient: Patient = Field(default_factory=Patient)
    injury_date: str | None = None
    decision_date: str | None = None
    # The decision year: from decision_date when printed, else estimated from the latest dated event.
    year: int | None = None
    year_source: Literal["decision_date", "estimated"] | None = None
    date_assigned: str | None = None
    ur_decision_date: str | None = None
    application_received: str | None = None
    priority: str | None = None
    reviewer: Reviewer = Field(default_factory=Reviewer)
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    text: str = ""
