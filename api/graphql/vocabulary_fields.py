"""Root fields that list the vocabularies (treatments, classes, specialties, states, denial-reason
codes, guidelines with their sections, the ICD-10-CM hierarchy) with decision counts, so a client can
discover every valid filter value. One named query per field."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.cypher import vocabulary_queries as Q
from api.cypher.pagination import offset_page
from api.graphql import types as T
from api.graphql.mapping import section

MAX_SECTIONS = 50


def _terms(rows: list[dict[str, Any]], vocabulary: str) -> list[T.VocabularyTerm]:
    return [
        T.VocabularyTerm(
            key=r["key"],
            name=r["name"],
            decisions=r["decisions"],
            upheld=r["upheld"],
            parent=r["parent"],
            category=r["category"],
            description=r["description"],
            vocabulary=vocabulary,
        )
        for r in rows
    ]


_NAME_HELP = "Only values whose name contains this (any case)."
NameFilter = Annotated[str | None, strawberry.argument(description=_NAME_HELP)]


def _terms_field(cypher: str, vocabulary: str, description: str, first_default: int = 50) -> Any:
    """A root field listing one vocabulary: name filter, pagination, one query."""

    async def resolve(
        info: Info, name: NameFilter = None, first: int = first_default, after: str | None = None
    ) -> T.VocabularyPage:
        rows, page = await offset_page(info, cypher, first, after, name=name)
        return T.VocabularyPage(terms=_terms(rows, vocabulary), page_info=page)

    return strawberry.field(resolver=resolve, description=description)


@strawberry.type
class VocabularyQuery:
    treatments: T.VocabularyPage = _terms_field(
        Q.TREATMENTS, "treatment", "Canonical treatments, with their class and category."
    )
    treatment_classes: T.VocabularyPage = _terms_field(
        Q.TREATMENT_CLASSES,
        "treatment_class",
        "Treatment classes (drug classes among them), with their category.",
    )
    specialties: T.VocabularyPage = _terms_field(
        Q.SPECIALTIES, "specialty", "Reviewer specialties (canonical certifications)."
    )
    states: T.VocabularyPage = _terms_field(
        Q.STATES, "state", "States of reviewer licensure (USPS codes).", 60
    )
    denial_reason_codes: T.VocabularyPage = _terms_field(
        Q.DENIAL_REASON_CODES, "denial_reason", "Denial-reason codes with their meaning."
    )

    @strawberry.field(description="Guideline documents with their most cited sections (and URLs).")
    async def guidelines(
        self,
        info: Info,
        name: Annotated[
            str | None,
            strawberry.argument(
                description="Words of the title, a catalog key or a family (MTUS, ODG, ...)."
            ),
        ] = None,
        sections: int = 10,
        first: int = 50,
        after: str | None = None,
    ) -> T.GuidelinePage:
        rows, page = await offset_page(
            info, Q.GUIDELINES, first, after, name=name, sections=min(max(sections, 0), MAX_SECTIONS)
        )
        terms = [
            T.GuidelineTerm(
                guideline=T.Guideline(**r["guideline"]),
                decisions=r["decisions"],
                upheld=r["upheld"],
                sections=[
                    T.SectionCount(section=section(s["section"]), decisions=s["decisions"])
                    for s in r["sections"]
                ],
            )
            for r in rows
        ]
        return T.GuidelinePage(terms=terms, page_info=page)

    @strawberry.field(
        description="The ICD-10-CM hierarchy as far as the graph has it: the chapters, the children "
        "of `code`, or the codes whose name contains `name`."
    )
    async def diagnoses(
        self,
        info: Info,
        code: str | None = None,
        name: NameFilter = None,
        first: int = 50,
        after: str | None = None,
    ) -> T.DiagnosisPage:
        rows, page = await offset_page(
            info, Q.DIAGNOSES, first, after, code=code.strip().upper() if code else None, name=name
        )
        terms = [
            T.DiagnosisTerm(
                code=r["key"],
                name=r["name"],
                level=r["level"],
                parent=r["parent"],
                children=r["children"],
                cases=r["cases"],
                decisions=r["decisions"],
                upheld=r["upheld"],
            )
            for r in rows
        ]
        return T.DiagnosisPage(terms=terms, page_info=page)
