"""Root fields that list the vocabularies (treatments, classes, specialties, states, denial-reason
codes, guidelines with their sections, the ICD-10-CM hierarchy) with decision counts, so a client can
discover every valid filter value. One named query per field."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.cypher import vocabulary_queries as Q
from api.cypher.filters import clean_code
from api.cypher.pagination import offset_page
from api.graphql.context import graph, readiness, tallies_ready
from api.graphql.types import PageInfo
from api.graphql.vocabulary_types import (
    DiagnosisPage,
    DiagnosisTerm,
    GuidelinePage,
    GuidelineTerm,
    VocabularyPage,
    VocabularyTerm,
)

MAX_SECTIONS = 50


_NAME_HELP = "Only values whose name contains this (any case)."
NameFilter = Annotated[str | None, strawberry.argument(description=_NAME_HELP)]
_MIN_DECISIONS_HELP = (
    "Only values with at least this many decisions: a rate over few decisions has a wide interval."
)
MinDecisions = Annotated[int, strawberry.argument(description=_MIN_DECISIONS_HELP)]


def _terms_field(cypher: str, vocabulary: str, description: str, first_default: int = 50) -> Any:
    """A root field listing one vocabulary: name and minDecisions filters, pagination, one query."""

    async def resolve(
        info: Info,
        name: NameFilter = None,
        first: int = first_default,
        after: str | None = None,
        min_decisions: MinDecisions = 1,
    ) -> VocabularyPage:
        tallied = Q.FROM_TALLIES.get(cypher)
        query = tallied if tallied is not None and await tallies_ready(info) else cypher
        rows, end = await offset_page(
            graph(info), query, first, after, name=name, min_decisions=min_decisions
        )
        return VocabularyPage(
            terms=[VocabularyTerm.from_row(r, vocabulary) for r in rows], page_info=PageInfo.from_end(end)
        )

    return strawberry.field(resolver=resolve, description=description)


@strawberry.type
class VocabularyQuery:
    treatments: VocabularyPage = _terms_field(
        Q.TREATMENTS, "treatment", "Canonical treatments, with their class and category."
    )
    treatment_classes: VocabularyPage = _terms_field(
        Q.TREATMENT_CLASSES,
        "treatment_class",
        "Treatment classes (drug classes among them), with their category.",
    )
    specialties: VocabularyPage = _terms_field(
        Q.SPECIALTIES, "specialty", "Reviewer specialties (canonical certifications)."
    )
    states: VocabularyPage = _terms_field(Q.STATES, "state", "States of reviewer licensure (USPS codes).", 60)
    denial_reason_codes: VocabularyPage = _terms_field(
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
    ) -> GuidelinePage:
        rows, end = await offset_page(
            graph(info), Q.GUIDELINES, first, after, name=name, sections=min(max(sections, 0), MAX_SECTIONS)
        )
        return GuidelinePage(
            terms=[GuidelineTerm.from_row(r) for r in rows], page_info=PageInfo.from_end(end)
        )

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
    ) -> DiagnosisPage:
        ready = await readiness(info).check(graph(info))
        cypher = Q.DIAGNOSES_FROM_TALLIES if ready.ready and ready.cases_ready else Q.DIAGNOSES
        rows, end = await offset_page(
            graph(info), cypher, first, after, code=clean_code(code) if code else None, name=name
        )
        return DiagnosisPage(
            terms=[DiagnosisTerm.from_row(r) for r in rows], page_info=PageInfo.from_end(end)
        )
