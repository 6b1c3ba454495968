"""The GraphQL types: enums (the parse contract's own, exposed), filter inputs and output types."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

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


@strawberry.enum
class CitationGrouping(Enum):
    SECTION = "SECTION"
    GUIDELINE = "GUIDELINE"


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


@strawberry.input(description="String match; contains and startsWith ignore case.")
class StringFilter:
    equals: str | None = None
    contains: str | None = None
    starts_with: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in", description="Any of these values.")
    is_null: bool | None = strawberry.field(default=None, description="true: absent; false: present.")


@strawberry.input
class IntRange:
    min: int | None = None
    max: int | None = None


@strawberry.input(description="ISO dates, inclusive.")
class DateRange:
    min: str | None = None
    max: str | None = None


@strawberry.input(description="Filter on decisions (and, for cases, on any of their decisions).")
class DecisionFilter:
    case_number: StringFilter | None = None
    item: StringFilter | None = None
    treatment: StringFilter | None = None
    treatment_class: str | None = strawberry.field(
        default=None, description='The decision\'s treatment class: "Opioids", "NSAIDs", "MRI", ...'
    )
    ingredient: str | None = strawberry.field(
        default=None, description='A drug ingredient the item names, generic: "hydrocodone".'
    )
    outcome: Outcome | None = None
    category: Category | None = None
    icd10: str | None = strawberry.field(
        default=None, description="A diagnosis at or below this ICD-10-CM code (M54, M54.1, M50-M54, 13)."
    )
    specialty: str | None = None
    cites_guideline: str | None = strawberry.field(
        default=None, description="A family (MTUS, ODG, ACOEM, OTHER), a catalog key, or words of a title."
    )
    body_region: str | None = None
    denial_reason: str | None = strawberry.field(
        default=None, description="A denial-reason code the decision was upheld for (see denialReasonCodes)."
    )
    cited_by: CitedBy | None = strawberry.field(default=None, description="Some citation by this voice.")
    cites_section: StringFilter | None = strawberry.field(
        default=None, description="Some cited section's name (with citedBy: cited by that voice)."
    )
    licensure_state: str | None = strawberry.field(default=None, description="The reviewer is licensed here.")
    quantity: IntRange | None = None
    partially_authorized: bool | None = strawberry.field(
        default=None, description="true: the claims administrator authorized part of the request."
    )
    outcome_in: list[Outcome] | None = None
    category_in: list[Category] | None = None
    injury_date: DateRange | None = None
    ur_decision_date: DateRange | None = None
    year: IntRange | None = None
    age: IntRange | None = None
    decision_date: DateRange | None = None
    sex: str | None = None
    decisions: DecisionQuantifier | None = strawberry.field(
        default=None,
        description="Across the decisions of the same case: some, all, none or exactly one match. "
        "Composes with every other field and with AND/OR/NOT.",
    )
    and_: list[DecisionFilter] | None = strawberry.field(default=None, name="AND")
    or_: list[DecisionFilter] | None = strawberry.field(default=None, name="OR")
    not_: DecisionFilter | None = strawberry.field(default=None, name="NOT")


@strawberry.input(
    description="Quantifiers over a case's decisions, as @neo4j/graphql's some/all/none/single: "
    "`all` holds for a case whose every decision matches."
)
class DecisionQuantifier:
    some: DecisionFilter | None = None
    all: DecisionFilter | None = None
    none: DecisionFilter | None = None
    single: DecisionFilter | None = None


@strawberry.input
class CaseSort:
    field: SortField = SortField.DECISION_DATE
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class DecisionSort:
    field: DecisionSortField = DecisionSortField.DECISION_DATE
    direction: SortDirection = SortDirection.DESC


@strawberry.type(description="Where a fact comes from: the letter and the character span in its text.")
class Provenance:
    letter_id: str
    case_number: str | None
    span: list[int] | None


@strawberry.type
class Guideline:
    key: str
    family: str
    title: str
    edition: str | None
    url: str | None

    @strawberry.field(
        description="The document's sections in the graph, by name (at most `first`; `name` narrows them). "
        "Batched: one query for every guideline of the response at this level."
    )
    async def sections(self, info: Info, name: str | None = None, first: int = 50) -> list[GuidelineSection]:
        from api.graphql.nested_fields import sections_of

        return await sections_of(info, self.key, name, first)


@strawberry.type(
    description="One section of a guideline document (a table-of-contents entry), or the pages, the "
    "chapter or the whole document a citation names when the catalog has no section for it."
)
class GuidelineSection:
    key: str
    name: str = strawberry.field(description='"Physical medicine", "Opioids, criteria for use", "pp. 58-60"')
    kind: str = strawberry.field(description="section, pages, chapter or document")
    known: bool = strawberry.field(description="False for a section the document's table of contents lacks.")
    chapter: str | None = strawberry.field(description="The ODG or ACOEM chapter.")
    pages: list[int] = strawberry.field(description="The section's pages in the document, where known.")
    url: str | None

    @strawberry.field(deprecation_reason="A section node is one section now: use name.")
    def label(self) -> str:
        return self.name

    @strawberry.field(deprecation_reason="A section node is one section now: use name.")
    def sections(self) -> list[str]:
        return [self.name]

    @strawberry.field(
        description="The decisions citing this section (any voice), filtered, sorted, keyset-paginated. "
        "Batched: one query for every section of the response at this level."
    )
    async def decisions_connection(
        self,
        info: Info,
        filter: DecisionFilter | None = None,
        sort: list[DecisionSort] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> DecisionConnection:
        from api.graphql.nested_fields import decisions_of

        return await decisions_of(info, "section", self.key, filter, sort, first, after)


@strawberry.type(
    description="A guideline citation of a decision; a citation naming several sections is one "
    "Citation per section, with the same text and span."
)
class Citation:
    cited_by: CitedBy
    guideline: Guideline
    section: GuidelineSection
    pages: list[int] = strawberry.field(description="The pages the citation names.")
    text: str | None
    source: Provenance


@strawberry.type
class DenialReasonFact:
    code: str
    description: str
    source: Provenance


@strawberry.type(description="A drug ingredient, with the ids drug-named-entity-recognition gives.")
class Ingredient:
    name: str
    drugbank_id: str | None
    mesh_id: str | None = strawberry.field(description="The MeSH descriptor given (often the drug's class).")
    medlineplus_id: str | None


@strawberry.type(description="What a pharmaceutical (or drug-bearing) item asks for.")
class Drug:
    ingredients: list[Ingredient]
    strength: str | None
    form: str | None
    route: str | None
    compounded: bool | None
    brand: str | None


@strawberry.type
class Decision:
    decision_id: str
    item: str
    outcome: Outcome | None
    quantity: int | None
    requested_item: str | None
    authorized_item: str | None
    treatment: str
    treatment_class: str | None
    category: Category
    drug: Drug | None
    body_regions: list[str]
    rationale: str
    citations: list[Citation]
    denial_reasons: list[DenialReasonFact]
    case_number: str | None
    letter_id: str
    year: int | None


@strawberry.type
class DiagnosisFact:
    code: str
    name: str
    category: str | None
    text: str
    status: str | None
    source: Provenance


@strawberry.type
class Case:
    letter_id: str
    case_number: str | None
    layout: str
    source: str | None
    decision_date: str | None
    injury_date: str | None
    ur_decision_date: str | None
    year: int | None
    year_source: str | None = strawberry.field(
        description="decision_date (printed), or estimated from the latest dated event of the letter."
    )
    age: int | None
    age_band: str | None
    sex: str | None
    warnings: list[str]
    specialties: list[str]
    licensure_states: list[str]
    diagnoses: list[DiagnosisFact]
    decisions: list[Decision]


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class CaseEdge:
    cursor: str
    node: Case


@strawberry.type
class CaseConnection:
    edges: list[CaseEdge]
    page_info: PageInfo
    total_count: int | None = strawberry.field(description="Computed only when selected.")


@strawberry.type
class DecisionEdge:
    cursor: str
    node: Decision


@strawberry.type
class DecisionConnection:
    edges: list[DecisionEdge]
    page_info: PageInfo
    total_count: int | None = strawberry.field(description="Computed only when selected.")


@strawberry.type
class CitationStat:
    guideline: Guideline
    section: str | None
    pages: list[int]
    url: str | None
    decisions: int
    share: float


@strawberry.type(description="Minimum, mean and maximum over the group's decisions that have a value.")
class Stats:
    min: float | None
    avg: float | None
    max: float | None


@strawberry.type
class OutcomeRate:
    group: str | None = strawberry.field(description="The value of the first dimension.")
    groups: list[str | None] = strawberry.field(description="The value of each dimension, in groupBy order.")
    decisions: int
    upheld: int
    overturned: int
    uphold_rate: float
    estimated_years: int = strawberry.field(
        description="Decisions of the group whose year is estimated (the letter prints no decision date)."
    )
    age: Stats
    quantity: Stats
    days_from_ur_denial: Stats = strawberry.field(
        description="Days from the UR denial to the IMR decision, where the letter dates both."
    )


@strawberry.type
class ReasonExample:
    source: Provenance
    text: str | None


@strawberry.type
class DenialReasonStat:
    code: str
    description: str
    example: str | None = strawberry.field(description="A sentence of the kind that gives this reason.")
    decisions: int
    examples: list[ReasonExample]


@strawberry.type
class SimilarCase:
    letter_id: str
    case_number: str | None
    decision_date: str | None
    score: int
    shared: list[str]


@strawberry.type(description="Where the search words occur in the rationale.")
class Snippet:
    text: str
    highlighted: str = strawberry.field(description="The text, HTML-escaped, matched words in <mark>.")
    rationale_span: list[int] = strawberry.field(description="[start, end) in the decision's rationale.")


@strawberry.type
class ScoredDecision:
    score: float
    cursor: str
    snippet: Snippet | None = strawberry.field(description="Null when the match was fuzzy or by stem.")
    decision: Decision


@strawberry.type(description="A value a filter can take, with the decisions that have it.")
class VocabularyTerm:
    key: str
    name: str
    decisions: int
    upheld: int
    parent: str | None = strawberry.field(
        description="For a treatment its class; for a class its subcategory."
    )
    category: str | None = strawberry.field(description="The DWC category of a treatment or class.")
    description: str | None = strawberry.field(
        description="A denial reason's meaning; a specialty's kind of certification."
    )

    vocabulary: strawberry.Private[str]

    @strawberry.field
    def uphold_rate(self) -> float | None:
        return self.upheld / self.decisions if self.decisions else None

    @strawberry.field(
        description="The decisions with this value (of this treatment, class, reviewer specialty, "
        "licensure state or denial reason), filtered, sorted, keyset-paginated. Batched: one query for "
        "every term of the page."
    )
    async def decisions_connection(
        self,
        info: Info,
        filter: DecisionFilter | None = None,
        sort: list[DecisionSort] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> DecisionConnection:
        from api.graphql.nested_fields import decisions_of

        return await decisions_of(info, self.vocabulary, self.key, filter, sort, first, after)


@strawberry.type
class VocabularyPage:
    terms: list[VocabularyTerm]
    page_info: PageInfo


@strawberry.type
class SectionCount:
    section: GuidelineSection
    decisions: int


@strawberry.type(description="A guideline document, its most cited sections, and the decisions citing it.")
class GuidelineTerm:
    guideline: Guideline
    decisions: int
    upheld: int
    sections: list[SectionCount]


@strawberry.type
class GuidelinePage:
    terms: list[GuidelineTerm]
    page_info: PageInfo


@strawberry.type(description="An ICD-10-CM code in the graph: walk up with parent, down with children.")
class DiagnosisTerm:
    code: str
    name: str
    level: str
    parent: str | None
    children: list[str]
    cases: int = strawberry.field(description="Cases with a diagnosis at or below this code.")
    decisions: int
    upheld: int

    @strawberry.field(
        description="The cases coded at or anywhere below this code (each once), filtered on any of "
        "their decisions, sorted, keyset-paginated. Batched: one query for every code of the page."
    )
    async def cases_connection(
        self,
        info: Info,
        filter: DecisionFilter | None = None,
        sort: list[CaseSort] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> CaseConnection:
        from api.graphql.nested_fields import cases_of

        return await cases_of(info, "diagnosis", self.code, filter, sort, first, after)


@strawberry.type
class DiagnosisPage:
    terms: list[DiagnosisTerm]
    page_info: PageInfo


@strawberry.type
class StoredQueryResult:
    name: str
    title: str
    params: JSON = strawberry.field(description="The parameters the query ran with.")
    rows: list[JSON]
    truncated: bool = strawberry.field(description="More rows than `first` came back.")
