"""The GraphQL enums: the parse contract's own, exposed, and the groupings and sort fields clients pick."""

from __future__ import annotations

from enum import Enum

import strawberry

from graph_loader import models

# The parse contract's enums, registered with strawberry in place (strawberry.enum returns the same
# class), so GraphQL and the graph share one definition of each.
strawberry.enum(
    models.Outcome, description="UPHELD: the denial stands (not medically necessary); OVERTURNED: approved."
)
strawberry.enum(
    models.CitedBy,
    description="Who cited a guideline: the IMR reviewer, the claims administrator (UR), or the "
    "rationale text itself.",
)
strawberry.enum(models.Category, description="DWC's IMR treatment categories.")
Outcome = models.Outcome
CitedBy = models.CitedBy
Category = models.Category


@strawberry.enum(
    description="SECTION: a row per section or page range; GUIDELINE: per document (an MTUS guideline in "
    "all its editions, an ODG or ACOEM chapter); EDITION: per document and the edition the citation names."
)
class CitationGrouping(Enum):
    SECTION = "SECTION"
    GUIDELINE = "GUIDELINE"
    EDITION = "EDITION"


@strawberry.enum(
    description="How deep a section's link goes: PAGE, an anchor at the section's page of the document; "
    "SECTION, a page of the section's own; DOCUMENT, only the document's link (the publisher offers no "
    "deeper address that we know of)."
)
class UrlLevel(Enum):
    PAGE = "PAGE"
    SECTION = "SECTION"
    DOCUMENT = "DOCUMENT"


@strawberry.enum
class OutcomeGrouping(Enum):
    TREATMENT = "TREATMENT"
    TREATMENT_CLASS = "TREATMENT_CLASS"
    INGREDIENT = "INGREDIENT"
    CATEGORY = "CATEGORY"
    DIAGNOSIS_CATEGORY = "DIAGNOSIS_CATEGORY"
    SPECIALTY = "SPECIALTY"
    YEAR = "YEAR"
    STATE = "STATE"


@strawberry.enum
class SortField(Enum):
    DECISION_DATE = "DECISION_DATE"
    CASE_NUMBER = "CASE_NUMBER"
    AGE = "AGE"
    YEAR = "YEAR"
    INJURY_DATE = "INJURY_DATE"
    UR_DECISION_DATE = "UR_DECISION_DATE"
    LETTER_ID = "LETTER_ID"
    SEX = "SEX"
    LAYOUT = "LAYOUT"


@strawberry.enum(description="What decisions can be sorted on: their own scalars and their case's.")
class DecisionSortField(Enum):
    DECISION_DATE = "DECISION_DATE"
    YEAR = "YEAR"
    CASE_NUMBER = "CASE_NUMBER"
    AGE = "AGE"
    ITEM = "ITEM"
    OUTCOME = "OUTCOME"
    TREATMENT = "TREATMENT"
    TREATMENT_CLASS = "TREATMENT_CLASS"
    CATEGORY = "CATEGORY"
    QUANTITY = "QUANTITY"
    INDEX = "INDEX"


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"
