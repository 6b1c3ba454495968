"""The extraction contract: what `imr-graph parse` prints, one `Letter` per line.

Field names here are a public contract (README, loader, scorer). Add fields freely; never rename.
Spans are [start, end) character offsets into `Letter.text`, the normalized text the parser keeps.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

Span = tuple[int, int]


class Outcome(StrEnum):
    UPHELD = "UPHELD"
    OVERTURNED = "OVERTURNED"


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


class Reviewer(BaseModel):
    specialties: list[str] = Field(default_factory=list)
    licensure_states: list[str] = Field(default_factory=list)


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


class Treatment(BaseModel):
    name: str
    category: Category


class Citation(BaseModel):
    by: CitedBy
    guideline: GuidelineFamily
    # Catalog key of the resolved guideline document, or None when it could not be resolved.
    guideline_key: str | None = None
    title: str
    edition: str | None = None
    chapter: str | None = None
    pages: list[int] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list)
    url: str | None = None
    text: str
    span: Span


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
    date_assigned: str | None = None
    ur_decision_date: str | None = None
    application_received: str | None = None
    priority: str | None = None
    reviewer: Reviewer = Field(default_factory=Reviewer)
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    text: str = ""
