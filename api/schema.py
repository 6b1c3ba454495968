"""The GraphQL schema. Resolvers are thin: compile arguments, run ONE named query, map rows to types."""

from __future__ import annotations

import asyncio
import base64
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.types import ExecutionResult, Info

from api import queries
from api.db import ReadOnlyGraph
from api.filters import Compiler, case_predicate, decision_predicate
from graph_loader.models import Category as CategoryModel

MAX_PAGE_SIZE = 100
MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 4000


@strawberry.enum(description="UPHELD: the denial stands (not medically necessary); OVERTURNED: approved.")
class Outcome(Enum):
    UPHELD = "UPHELD"
    OVERTURNED = "OVERTURNED"


@strawberry.enum(
    description="Who cited a guideline: the IMR reviewer, the claims administrator (UR), or the "
    "rationale text itself."
)
class CitedBy(Enum):
    IMR_REVIEWER = "IMR_REVIEWER"
    CLAIMS_ADMINISTRATOR = "CLAIMS_ADMINISTRATOR"
    RATIONALE = "RATIONALE"


Category = strawberry.enum(CategoryModel, description="DWC's IMR treatment categories.")


@strawberry.enum
class CitationGrouping(Enum):
    SECTION = "SECTION"
    GUIDELINE = "GUIDELINE"


@strawberry.enum
class OutcomeGrouping(Enum):
    TREATMENT = "TREATMENT"
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


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="String match; contains and startsWith ignore case.")
class StringFilter:
    equals: str | None = None
    contains: str | None = None
    starts_with: str | None = None


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
    outcome: Outcome | None = None
    category: Category | None = None  # type: ignore[valid-type]
    icd10: str | None = strawberry.field(
        default=None, description="A diagnosis at or below this ICD-10-CM code (M54, M54.1, M50-M54, 13)."
    )
    specialty: str | None = None
    cites_guideline: str | None = strawberry.field(
        default=None, description="A family (MTUS, ODG, ACOEM, OTHER), a catalog key, or words of a title."
    )
    body_region: str | None = None
    year: IntRange | None = None
    age: IntRange | None = None
    decision_date: DateRange | None = None
    sex: str | None = None
    and_: list[DecisionFilter] | None = strawberry.field(default=None, name="AND")
    or_: list[DecisionFilter] | None = strawberry.field(default=None, name="OR")
    not_: DecisionFilter | None = strawberry.field(default=None, name="NOT")


@strawberry.input
class CaseSort:
    field: SortField = SortField.DECISION_DATE
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


@strawberry.type
class GuidelineSection:
    key: str
    label: str
    pages: list[int]
    sections: list[str]
    url: str | None


@strawberry.type
class Citation:
    cited_by: CitedBy
    guideline: Guideline
    section: GuidelineSection
    text: str | None
    source: Provenance


@strawberry.type
class DenialReasonFact:
    code: str
    description: str
    source: Provenance


@strawberry.type
class Decision:
    decision_id: str
    item: str
    outcome: Outcome | None
    quantity: int | None
    requested_item: str | None
    authorized_item: str | None
    treatment: str
    category: Category  # type: ignore[valid-type]
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


@strawberry.type
class OutcomeRate:
    group: str | None
    decisions: int
    upheld: int
    overturned: int
    uphold_rate: float


@strawberry.type
class ReasonExample:
    source: Provenance
    text: str | None


@strawberry.type
class DenialReasonStat:
    code: str
    description: str
    decisions: int
    examples: list[ReasonExample]


@strawberry.type
class SimilarCase:
    letter_id: str
    case_number: str | None
    decision_date: str | None
    score: int
    shared: list[str]


@strawberry.type
class ScoredDecision:
    score: float
    decision: Decision


# ---- row -> type mapping -------------------------------------------------------------------------


def _prov(letter_id: str, case_number: str | None, span: list[int] | None) -> Provenance:
    return Provenance(letter_id=letter_id, case_number=case_number, span=span)


def to_decision(d: dict[str, Any]) -> Decision:
    lid, cn = d["letterId"], d["caseNumber"]
    return Decision(
        decision_id=d["decisionId"],
        item=d["item"],
        outcome=Outcome(d["outcome"]) if d["outcome"] else None,
        quantity=d["quantity"],
        requested_item=d["requestedItem"],
        authorized_item=d["authorizedItem"],
        treatment=d["treatment"],
        category=CategoryModel(d["category"]),
        body_regions=d["bodyRegions"],
        rationale=d["rationale"] or "",
        citations=[
            Citation(
                cited_by=CitedBy(c["citedBy"]),
                guideline=Guideline(**c["guideline"]),
                section=GuidelineSection(
                    key=c["section"]["key"],
                    label=c["section"]["label"],
                    pages=c["section"]["pages"] or [],
                    sections=c["section"]["sections"] or [],
                    url=c["section"]["url"],
                ),
                text=c["text"],
                source=_prov(lid, cn, c["span"]),
            )
            for c in d["citations"]
        ],
        denial_reasons=[
            DenialReasonFact(code=r["code"], description=r["description"], source=_prov(lid, cn, r["span"]))
            for r in d["denialReasons"]
        ],
        case_number=cn,
        letter_id=lid,
        year=d.get("year"),
    )


def to_case(c: dict[str, Any]) -> Case:
    lid, cn = c["letterId"], c["caseNumber"]
    return Case(
        letter_id=lid,
        case_number=cn,
        layout=c["layout"],
        source=c["source"],
        decision_date=c["decisionDate"],
        injury_date=c["injuryDate"],
        ur_decision_date=c["urDecisionDate"],
        year=c["year"],
        age=c["age"],
        age_band=c["ageBand"],
        sex=c["sex"],
        warnings=c["warnings"],
        specialties=c["specialties"],
        licensure_states=c["licensureStates"],
        diagnoses=[
            DiagnosisFact(
                code=x["code"],
                name=x["name"],
                category=x["category"],
                text=x["text"],
                status=x["status"],
                source=_prov(lid, cn, x["span"]),
            )
            for x in c["diagnoses"]
        ],
        decisions=[to_decision(d) for d in c["decisions"]],
    )


# ---- helpers ---------------------------------------------------------------------------------------


def graph(info: Info) -> ReadOnlyGraph:
    g = info.context["graph"]
    assert isinstance(g, ReadOnlyGraph)
    return g


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.b64decode(cursor.encode(), validate=True).decode()
        kind, _, value = raw.partition(":")
        if kind != "offset":
            raise ValueError(cursor)
        return max(0, int(value)) + 1
    except ValueError as exc:
        raise ValueError("invalid cursor") from exc


def page_size(first: int) -> int:
    if first < 0:
        raise ValueError("first must be 0 or more")
    if first > MAX_PAGE_SIZE:
        raise ValueError(f"first may be at most {MAX_PAGE_SIZE}")
    return first


def wants_total(info: Info) -> bool:
    return any(
        f.name == "totalCount" for sel in info.selected_fields for f in sel.selections if hasattr(f, "name")
    )


@dataclass
class Page:
    rows: list[tuple[str, dict[str, Any]]]
    info: PageInfo
    total: int | None


async def fetch_page(
    info: Info,
    templates: tuple[str, str],
    where: str,
    order: str,
    params: dict[str, Any],
    first: int,
    after: str | None,
) -> Page:
    """One query for one Relay page; the total is counted in the same query only when selected."""
    limit, skip = page_size(first), decode_cursor(after)
    with_total = wants_total(info)
    cypher = templates[with_total].replace("{where}", where).replace("{order}", order)
    rows = await graph(info).aread(cypher, skip=skip, limit=limit + 1, **params)
    total = (rows[0]["total"] if rows else 0) if with_total else None
    # With the total, an empty page comes back as one row whose node is null.
    rows = [r for r in rows if not with_total or any(v is not None for k, v in r.items() if k != "total")]
    page = [(encode_cursor(skip + i), r) for i, r in enumerate(rows[:limit])]
    end = page[-1][0] if page else None
    return Page(rows=page, info=PageInfo(has_next_page=len(rows) > limit, end_cursor=end), total=total)


CASE_ORDER = {
    (SortField.DECISION_DATE, SortDirection.ASC): "c.decision_date ASC",
    (SortField.DECISION_DATE, SortDirection.DESC): "c.decision_date DESC",
    (SortField.CASE_NUMBER, SortDirection.ASC): "c.case_number ASC",
    (SortField.CASE_NUMBER, SortDirection.DESC): "c.case_number DESC",
    (SortField.AGE, SortDirection.ASC): "c.age ASC",
    (SortField.AGE, SortDirection.DESC): "c.age DESC",
}


def diagnosis_codes(diagnosis: str | None, icd10: str | None) -> list[str]:
    """Codes to match for a diagnosis given in words ("lumbar radiculopathy") and/or as a code."""
    from graph_loader.normalize.diagnoses import code_phrase

    codes = [icd10.strip().upper()] if icd10 else []
    if diagnosis:
        code = code_phrase(diagnosis)
        if code is None:
            raise ValueError(f"no ICD-10-CM code known for diagnosis {diagnosis!r}; pass icd10 instead")
        codes.append(code)
    return codes


# ---- root ------------------------------------------------------------------------------------------


@strawberry.type
class Query:
    @strawberry.field(description="One case by case number (CM16-0213037) or letter id.")
    async def case(self, info: Info, case_number: str) -> Case | None:
        rows = await graph(info).aread(queries.CASE_BY_KEY, key=case_number)
        return to_case(rows[0]["case"]) if rows else None

    @strawberry.field(description="Cases, filtered on any of their decisions, sorted, Relay-paginated.")
    async def cases(
        self,
        info: Info,
        filter: DecisionFilter | None = None,
        sort: CaseSort | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> CaseConnection:
        comp = Compiler()
        where = case_predicate(comp, filter)
        sort = sort or CaseSort()
        page = await fetch_page(
            info,
            (queries.CASES_PAGE, queries.CASES_PAGE_WITH_TOTAL),
            where,
            CASE_ORDER[(sort.field, sort.direction)],
            comp.params,
            first,
            after,
        )
        return CaseConnection(
            edges=[CaseEdge(cursor=c, node=to_case(r["case"])) for c, r in page.rows],
            page_info=page.info,
            total_count=page.total,
        )

    @strawberry.field(description="Decisions (one per disputed item), filtered and Relay-paginated.")
    async def decisions(
        self, info: Info, filter: DecisionFilter | None = None, first: int = 20, after: str | None = None
    ) -> DecisionConnection:
        comp = Compiler()
        where = decision_predicate(comp, filter)
        page = await fetch_page(
            info,
            (queries.DECISIONS_PAGE, queries.DECISIONS_PAGE_WITH_TOTAL),
            where,
            "c.decision_date DESC",
            comp.params,
            first,
            after,
        )
        return DecisionConnection(
            edges=[DecisionEdge(cursor=c, node=to_decision(r["decision"])) for c, r in page.rows],
            page_info=page.info,
            total_count=page.total,
        )

    @strawberry.field(description="Full-text search over decision rationales and items (Lucene syntax).")
    async def search_rationales(self, info: Info, text: str, first: int = 20) -> list[ScoredDecision]:
        rows = await graph(info).aread(queries.FULLTEXT_DECISIONS, text=text, limit=page_size(first))
        return [ScoredDecision(score=r["score"], decision=to_decision(r["decision"])) for r in rows]

    @strawberry.field(
        description="Which guideline pages or sections most often support decisions, e.g. denials "
        "(outcome: UPHELD) for a diagnosis cited by the IMR reviewer."
    )
    async def guideline_citation_stats(
        self,
        info: Info,
        diagnosis: str | None = None,
        icd10: str | None = None,
        outcome: Outcome | None = None,
        cited_by: CitedBy | None = None,
        group_by: CitationGrouping = CitationGrouping.SECTION,
        first: int = 20,
    ) -> list[CitationStat]:
        codes = diagnosis_codes(diagnosis, icd10)
        rows = await graph(info).aread(
            queries.GUIDELINE_CITATION_STATS_FOR_DIAGNOSIS if codes else queries.GUIDELINE_CITATION_STATS,
            codes=codes,
            outcome=outcome.value if outcome else None,
            citedBy=cited_by.value if cited_by else None,
            groupBy=group_by.value,
            first=page_size(first),
        )
        return [
            CitationStat(
                guideline=Guideline(**r["guideline"]),
                section=r["section"],
                pages=r["pages"] or [],
                url=r["url"] or r["guideline"]["url"],
                decisions=r["decisions"],
                share=r["share"],
            )
            for r in rows
        ]

    @strawberry.field(
        description="Counts and uphold rate per treatment, category, diagnosis category, "
        "reviewer specialty, year or licensure state."
    )
    async def outcome_rates(
        self, info: Info, group_by: OutcomeGrouping, filter: DecisionFilter | None = None, first: int = 50
    ) -> list[OutcomeRate]:
        comp = Compiler()
        cypher = queries.OUTCOME_RATES[group_by.value].replace("{where}", decision_predicate(comp, filter))
        rows = await graph(info).aread(cypher, first=page_size(first), **comp.params)
        return [
            OutcomeRate(
                group=r["group"],
                decisions=r["decisions"],
                upheld=r["upheld"],
                overturned=r["overturned"],
                uphold_rate=r["upholdRate"],
            )
            for r in rows
        ]

    @strawberry.field(description="Why requests were denied, with counts and example sentences.")
    async def denial_reasons(
        self,
        info: Info,
        treatment: str | None = None,
        category: Category | None = None,  # type: ignore[valid-type]
        diagnosis: str | None = None,
        icd10: str | None = None,
        examples: int = 3,
        first: int = 20,
    ) -> list[DenialReasonStat]:
        codes = diagnosis_codes(diagnosis, icd10)
        filt = DecisionFilter(
            treatment=StringFilter(contains=treatment) if treatment else None,
            category=category,
            or_=[DecisionFilter(icd10=c) for c in codes] or None,
        )
        comp = Compiler()
        cypher = queries.DENIAL_REASONS.replace("{where}", decision_predicate(comp, filt))
        rows = await graph(info).aread(
            cypher, examples=min(max(examples, 0), 10), first=page_size(first), **comp.params
        )
        return [
            DenialReasonStat(
                code=r["code"],
                description=r["description"],
                decisions=r["decisions"],
                examples=[
                    ReasonExample(source=_prov(e["letterId"], e["caseNumber"], e["span"]), text=e["text"])
                    for e in r["examples"]
                ],
            )
            for r in rows
        ]

    @strawberry.field(
        description="Cases sharing diagnoses (weight 3), treatments (2) and cited sections (1)."
    )
    async def similar_cases(self, info: Info, case_number: str, first: int = 10) -> list[SimilarCase]:
        rows = await graph(info).aread(queries.SIMILAR_CASES, key=case_number, first=page_size(first))
        return [
            SimilarCase(
                letter_id=r["case"]["letterId"],
                case_number=r["case"]["caseNumber"],
                decision_date=r["case"]["decisionDate"],
                score=r["score"],
                shared=r["shared"],
            )
            for r in rows
        ]


def _mask(error: Exception) -> bool:
    # Our own argument errors are safe to show; anything else (driver, Cypher) is masked.
    original = getattr(error, "original_error", None)
    return original is not None and not isinstance(original, ValueError)


class ValidationByQueryText(SchemaExtension):
    """Validate each distinct query text once.

    strawberry's ValidationCache keys on the validation rules too, and the limiters build new rule
    classes per request, so it never hits; our rules are fixed, so the query text is a sufficient key.
    """

    _cache: ClassVar[OrderedDict[str, list[Any]]] = OrderedDict()
    MAXSIZE = 256

    def on_validate(self) -> Iterator[None]:
        from strawberry.schema.schema import validate_document

        ctx = self.execution_context
        key = ctx.query or ""
        errors = self._cache.get(key)
        if errors is None and ctx.graphql_document is not None:
            errors = validate_document(ctx.schema._schema, ctx.graphql_document, ctx.validation_rules)
            self._cache[key] = errors
            while len(self._cache) > self.MAXSIZE:
                self._cache.popitem(last=False)
        ctx.pre_execution_errors = errors
        yield


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # Client mistakes (validation, bad arguments, timeouts) are answered, not logged as failures;
        # only unexpected errors reach the server log with their traceback.
        unexpected = [
            e for e in errors if e.original_error is not None and not isinstance(e.original_error, ValueError)
        ]
        if unexpected:
            super().process_errors(unexpected, execution_context)


schema = Schema(
    query=Query,
    extensions=[
        # Researchers repeat the same queries: parse and validate each document once (caches first,
        # so a cached document skips the limiters' work too; the limiters still see every new one).
        lambda: ParserCache(maxsize=256),
        ValidationByQueryText,
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: MaskErrors(should_mask_error=_mask, error_message="Internal error while querying the graph."),
    ],
)


def execute(query: str, graph: ReadOnlyGraph, variables: dict[str, Any] | None = None) -> ExecutionResult:
    """Run a GraphQL query without HTTP (scripts, notebooks, tests), as the API would."""
    return asyncio.run(schema.execute(query, variable_values=variables, context_value={"graph": graph}))
