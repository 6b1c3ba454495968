"""The GraphQL output types of the vocabulary fields: the values a filter can take with their counts
(treatments, classes, specialties, states, denial reasons, guidelines, ICD-10-CM codes), each built from
its row of api/cypher/vocabulary_queries.py, and the nested pages of decisions or cases they lead to."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from api.graphql.analytics_types import WILSON_HIGH, WILSON_LOW
from api.graphql.inputs import CaseSort, DecisionFilter, DecisionSort
from api.graphql.nested_fields import cases_of, decisions_of
from api.graphql.rate_statistics import wilson_interval
from api.graphql.types import CaseConnection, DecisionConnection, Guideline, GuidelineSection, PageInfo


@strawberry.type(description="A value a filter can take, with the decisions that have it.")
class VocabularyTerm:
    key: str
    name: str
    decisions: int
    upheld: int
    uphold_rate_low: float | None = strawberry.field(description=WILSON_LOW)
    uphold_rate_high: float | None = strawberry.field(description=WILSON_HIGH)
    parent: str | None = strawberry.field(
        description="For a treatment its class; for a class its subcategory."
    )
    category: str | None = strawberry.field(description="The DWC category of a treatment or class.")
    description: str | None = strawberry.field(
        description="A denial reason's meaning; a specialty's kind of certification."
    )

    vocabulary: strawberry.Private[str]

    @classmethod
    def from_row(cls, r: dict[str, Any], vocabulary: str) -> VocabularyTerm:
        low, high = wilson_interval(r["upheld"], r["decisions"]) or (None, None)
        return cls(
            key=r["key"],
            name=r["name"],
            decisions=r["decisions"],
            upheld=r["upheld"],
            uphold_rate_low=low,
            uphold_rate_high=high,
            parent=r["parent"],
            category=r["category"],
            description=r["description"],
            vocabulary=vocabulary,
        )

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
        page = await decisions_of(info, self.vocabulary, self.key, filter, sort, first, after)
        return DecisionConnection.from_page(page, "node")


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

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> GuidelineTerm:
        return cls(
            guideline=Guideline(**r["guideline"]),
            decisions=r["decisions"],
            upheld=r["upheld"],
            sections=[
                SectionCount(section=GuidelineSection.from_row(s["section"]), decisions=s["decisions"])
                for s in r["sections"]
            ],
        )


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

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> DiagnosisTerm:
        return cls(
            code=r["key"],
            name=r["name"],
            level=r["level"],
            parent=r["parent"],
            children=r["children"],
            cases=r["cases"],
            decisions=r["decisions"],
            upheld=r["upheld"],
        )

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
        page = await cases_of(info, "diagnosis", self.code, filter, sort, first, after)
        return CaseConnection.from_page(page, "node")


@strawberry.type
class DiagnosisPage:
    terms: list[DiagnosisTerm]
    page_info: PageInfo
