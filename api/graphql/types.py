"""The GraphQL output types of the graph's own records: cases, decisions, their facts and guidelines,
and the connections that page them. Each type builds itself from its row of the named queries
(`from_row`): pure, and a stored value the types cannot hold (an outcome that is not UPHELD or
OVERTURNED) raises, which the API masks and logs. The nested fields' rows come from
api/graphql/nested_fields.py, which knows no output type."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from api.cypher.keyset import Ordering
from api.cypher.pagination import Page, PageEnd
from api.graphql.enums import Category, CitedBy, Outcome, UrlLevel
from api.graphql.inputs import DecisionFilter, DecisionSort
from api.graphql.nested_fields import decisions_of, sections_of, text_of


@strawberry.type(description="Where a fact comes from: the letter and the character span in its text.")
class Provenance:
    letter_id: str
    case_number: str | None
    span: list[int] | None


@strawberry.type(
    description="The words a fact was read from: text == Case.text[start:end], the letter's normalized "
    "text that every span indexes."
)
class Evidence:
    text: str
    start: int
    end: int

    @classmethod
    def from_row(cls, e: dict[str, Any] | None) -> Evidence | None:
        return None if e is None else cls(text=e["text"], start=e["start"], end=e["end"])


@strawberry.type
class Guideline:
    key: str
    family: str
    title: str
    edition: str | None = strawberry.field(
        description="The document's edition; null for a document cited in several editions (MTUS Chronic "
        "Pain 2009 and 2016), whose citations each carry their own."
    )
    url: str | None
    chapter: str | None = strawberry.field(
        default=None, description="The ODG or ACOEM chapter this document is, or the MTUS chapter number."
    )

    @strawberry.field(
        description="The document's sections in the graph, by name (at most `first`; `name` narrows them). "
        "Batched: one query for every guideline of the response at this level."
    )
    async def sections(self, info: Info, name: str | None = None, first: int = 50) -> list[GuidelineSection]:
        return [GuidelineSection.from_row(r) for r in await sections_of(info, self.key, name, first)]


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
    url_level: UrlLevel | None = strawberry.field(
        description="How deep `url` goes; DOCUMENT says the section has no link of its own."
    )

    @classmethod
    def from_row(cls, s: dict[str, Any]) -> GuidelineSection:
        return cls(
            key=s["key"],
            name=s["name"],
            kind=s["kind"],
            known=bool(s["known"]),
            chapter=s["chapter"],
            pages=s["pages"] or [],
            url=s["url"],
            url_level=UrlLevel(s["urlLevel"]) if s["urlLevel"] else None,
        )

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
        page = await decisions_of(info, "section", self.key, filter, sort, first, after)
        return DecisionConnection.from_page(page, "node")


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
    edition: str | None = strawberry.field(description="The edition the citation names, as printed.")
    unresolved: list[str] = strawberry.field(
        description="Section names the citation gives that the document's table of contents lacks "
        '(fragments such as "Surgery for"); they are kept here and never become sections.'
    )
    source: Provenance
    evidence: Evidence | None = strawberry.field(description="The guideline line the citation was read from.")

    @classmethod
    def from_row(cls, c: dict[str, Any], letter_id: str, case_number: str | None) -> Citation:
        return cls(
            cited_by=CitedBy(c["citedBy"]),
            guideline=Guideline(**c["guideline"]),
            section=GuidelineSection.from_row(c["section"]),
            pages=c["pages"] or [],
            text=c["text"],
            edition=c["edition"],
            unresolved=c["unresolved"] or [],
            source=Provenance(letter_id=letter_id, case_number=case_number, span=c["span"]),
            evidence=Evidence.from_row(c["evidence"]),
        )


@strawberry.type
class DenialReasonFact:
    code: str
    description: str
    source: Provenance
    evidence: Evidence | None = strawberry.field(description="The reviewer's sentence that gives the reason.")


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

    @classmethod
    def from_row(cls, d: dict[str, Any]) -> Drug:
        return cls(
            ingredients=[
                Ingredient(
                    name=i["name"],
                    drugbank_id=i["drugbankId"],
                    mesh_id=i["meshId"],
                    medlineplus_id=i["medlineplusId"],
                )
                for i in d["ingredients"]
            ],
            strength=d["strength"],
            form=d["form"],
            route=d["route"],
            compounded=d["compounded"],
            brand=d["brand"],
        )


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
    item_evidence: Evidence | None = strawberry.field(description="Where the letter names the item.")
    outcome_evidence: Evidence | None = strawberry.field(
        description="Where the letter prints the outcome; null when it was read from the rationale."
    )
    dwc_category: str | None = strawberry.field(
        default=None,
        description="DWC's category of this request (its IMR search's row, loaded from dwc-rows.jsonl "
        "beside the letters) in the category vocabulary, or as DWC prints it when it maps to none; null "
        "when no DWC row matched.",
    )
    dwc_subcategory: str | None = strawberry.field(
        default=None, description='DWC\'s subcategory or drug of this request, as DWC prints it ("Opioids").'
    )
    dwc_outcome: str | None = strawberry.field(
        default=None,
        description="DWC's decision of this request: UPHELD, OVERTURNED or PARTIALLY_OVERTURNED (a label "
        "only DWC gives: a letter states each item upheld or overturned).",
    )

    @classmethod
    def from_row(cls, d: dict[str, Any]) -> Decision:
        lid, cn = d["letterId"], d["caseNumber"]
        return cls(
            decision_id=d["decisionId"],
            item=d["item"],
            outcome=Outcome(d["outcome"]) if d["outcome"] else None,
            quantity=d["quantity"],
            requested_item=d["requestedItem"],
            authorized_item=d["authorizedItem"],
            treatment=d["treatment"],
            treatment_class=d["treatmentClass"],
            category=Category(d["category"]),
            drug=Drug.from_row(d["drug"]) if d["drug"] else None,
            body_regions=d["bodyRegions"],
            rationale=d["rationale"] or "",
            citations=[Citation.from_row(c, lid, cn) for c in d["citations"]],
            denial_reasons=[
                DenialReasonFact(
                    code=r["code"],
                    description=r["description"],
                    source=Provenance(letter_id=lid, case_number=cn, span=r["span"]),
                    evidence=Evidence.from_row(r["evidence"]),
                )
                for r in d["denialReasons"]
            ],
            case_number=cn,
            letter_id=lid,
            year=d.get("year"),
            item_evidence=Evidence.from_row(d["itemEvidence"]),
            outcome_evidence=Evidence.from_row(d["outcomeEvidence"]),
            dwc_category=d.get("dwcCategory"),
            dwc_subcategory=d.get("dwcSubcategory"),
            dwc_outcome=d.get("dwcOutcome"),
        )


@strawberry.type
class DiagnosisFact:
    code: str
    name: str
    category: str | None
    text: str
    status: str | None = strawberry.field(
        description="stated, finding, history or rule_out; only stated diagnoses select a case in counts "
        "and filters unless includeUncertain is set."
    )
    source: Provenance
    evidence: Evidence | None = strawberry.field(description="The diagnosis as the letter writes it.")


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

    @strawberry.field(
        description="The letter's normalized text, the one every span and evidence indexes (null when the "
        "load kept no text). Batched: one query for every case of the response at this level."
    )
    async def text(self, info: Info) -> str | None:
        return await text_of(info, self.letter_id)

    @classmethod
    def from_row(cls, c: dict[str, Any]) -> Case:
        lid, cn = c["letterId"], c["caseNumber"]
        return cls(
            letter_id=lid,
            case_number=cn,
            layout=c["layout"],
            source=c["source"],
            decision_date=c["decisionDate"],
            injury_date=c["injuryDate"],
            ur_decision_date=c["urDecisionDate"],
            year=c["year"],
            year_source=c["yearSource"],
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
                    source=Provenance(letter_id=lid, case_number=cn, span=x["span"]),
                    evidence=Evidence.from_row(x["evidence"]),
                )
                for x in c["diagnoses"]
            ],
            decisions=[Decision.from_row(d) for d in c["decisions"]],
        )


@strawberry.type
class PageInfo:
    has_next_page: bool
    end: strawberry.Private[PageEnd]

    @strawberry.field
    def end_cursor(self) -> str | None:
        # Encoded only when selected (see PageEnd).
        return self.end.end_cursor

    @classmethod
    def from_end(cls, end: PageEnd) -> PageInfo:
        return cls(has_next_page=end.has_next_page, end=end)


def edge_cursor(self: CaseEdge | DecisionEdge) -> str:
    """An edge's cursor, encoded only when selected: a nested page of nodes skips a digest and a
    base64 per row."""
    return self.ordering.cursor(self.sort_values)


@strawberry.type
class CaseEdge:
    sort_values: strawberry.Private[list[Any]]
    ordering: strawberry.Private[Ordering]
    cursor: str = strawberry.field(resolver=edge_cursor)
    node: Case


@strawberry.type
class CaseConnection:
    edges: list[CaseEdge]
    page_info: PageInfo
    total_count: int | None = strawberry.field(description="Computed only when selected.")

    @classmethod
    def from_page(cls, page: Page, column: str) -> CaseConnection:
        """A keyset page whose rows hold the case in `column`."""
        return cls(
            edges=[
                CaseEdge(sort_values=r["sortKey"], ordering=page.ordering, node=Case.from_row(r[column]))
                for r in page.rows
            ],
            page_info=PageInfo.from_end(page.end),
            total_count=page.total,
        )


@strawberry.type
class DecisionEdge:
    sort_values: strawberry.Private[list[Any]]
    ordering: strawberry.Private[Ordering]
    cursor: str = strawberry.field(resolver=edge_cursor)
    node: Decision


@strawberry.type
class DecisionConnection:
    edges: list[DecisionEdge]
    page_info: PageInfo
    total_count: int | None = strawberry.field(description="Computed only when selected.")

    @classmethod
    def from_page(cls, page: Page, column: str) -> DecisionConnection:
        """A keyset page whose rows hold the decision in `column`."""
        return cls(
            edges=[
                DecisionEdge(
                    sort_values=r["sortKey"], ordering=page.ordering, node=Decision.from_row(r[column])
                )
                for r in page.rows
            ],
            page_info=PageInfo.from_end(page.end),
            total_count=page.total,
        )
