"""The `dataQuality` root field: how the parsed labels agree with DWC's own reading of the same
requests, how many letters each layout gave (the fallback's `unrecognized` among them), and the cases
whose letter replaced near-duplicate sources. One stored query (cypher/dwc_agreement.cypher), so
Neo4j Browser, `imr-graph query dwc_agreement` and the API answer alike."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from api.cypher import root_queries as queries
from api.cypher.pagination import page_size
from api.graphql.context import graph
from graph_loader.stored_queries import get as stored


@strawberry.type(description="A decision whose parsed category or outcome differs from DWC's row.")
class DwcDisagreement:
    case_number: str | None
    letter_id: str
    index: int = strawberry.field(description="The item's place in its letter (1 = first).")
    item: str
    category: str | None = strawberry.field(description="The parsed category.")
    dwc_category: str | None
    dwc_subcategory: str | None
    outcome: str | None = strawberry.field(description="The parsed outcome.")
    dwc_outcome: str | None

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> DwcDisagreement:
        return cls(
            case_number=r["case_number"],
            letter_id=r["letter_id"],
            index=r["index"],
            item=r["item"],
            category=r["category"],
            dwc_category=r["dwc_category"],
            dwc_subcategory=r["dwc_subcategory"],
            outcome=r["outcome"],
            dwc_outcome=r["dwc_outcome"],
        )


@strawberry.type
class Agreement:
    compared: int = strawberry.field(description="Decisions with DWC's value to compare.")
    agree: int
    share: float | None = strawberry.field(description="agree / compared; null when nothing was compared.")

    @classmethod
    def of(cls, agree: int, compared: int) -> Agreement:
        return cls(compared=compared, agree=agree, share=agree / compared if compared else None)


@strawberry.type
class LayoutCount:
    layout: str
    letters: int


@strawberry.type(description="A case whose letter replaced near-duplicate letter files.")
class SupersededCase:
    case_number: str | None
    letter_id: str
    source: str | None
    superseded_sources: list[str]


@strawberry.type
class DataQuality:
    decisions: int
    with_dwc: int = strawberry.field(description="Decisions a DWC row matched (dwc-rows.jsonl at load).")
    category: Agreement
    outcome: Agreement = strawberry.field(
        description="Over DWC's UPHELD and OVERTURNED only: a partial overturn has no parsed counterpart."
    )
    partial_overturns: int = strawberry.field(description="Decisions DWC labels PARTIALLY_OVERTURNED.")
    disagreement_total: int
    disagreements: list[DwcDisagreement] = strawberry.field(
        description="The first `first` disagreements, by case number and item."
    )
    layouts: list[LayoutCount] = strawberry.field(
        description="Letters per layout, most first; `unrecognized` (read by the fallback) always listed."
    )
    unrecognized: int
    superseded_total: int
    superseded: list[SupersededCase]

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> DataQuality:
        return cls(
            decisions=r["decisions"],
            with_dwc=r["with_dwc"],
            category=Agreement.of(r["category_agree"], r["category_compared"]),
            outcome=Agreement.of(r["outcome_agree"], r["outcome_compared"]),
            partial_overturns=r["partial_overturns"],
            disagreement_total=r["disagreement_total"],
            disagreements=[DwcDisagreement.from_row(d) for d in r["disagreements"]],
            layouts=[LayoutCount(layout=x["layout"], letters=x["letters"]) for x in r["layouts"]],
            unrecognized=r["unrecognized"],
            superseded_total=r["superseded_total"],
            superseded=[
                SupersededCase(
                    case_number=s["case_number"],
                    letter_id=s["letter_id"],
                    source=s["source"],
                    superseded_sources=list(s["superseded_sources"]),
                )
                for s in r["superseded"]
            ],
        )


@strawberry.type
class QualityQuery:
    @strawberry.field(
        description="Agreement of the parsed category and outcome with DWC's own row per request (loaded "
        "from dwc-rows.jsonl beside fetched letters), with the disagreements; letters per layout; cases "
        "that replaced near-duplicate letters. Runs the stored query dwc_agreement."
    )
    async def data_quality(
        self,
        info: Info,
        first: Annotated[
            int,
            strawberry.argument(description="At most this many disagreements and replaced cases listed."),
        ] = 100,
    ) -> DataQuality:
        rows = await graph(info).aread(
            stored(queries.DWC_AGREEMENT).cypher, disagreement_count=page_size(first)
        )
        return DataQuality.from_row(rows[0])
