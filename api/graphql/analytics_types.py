"""The GraphQL output types of the analytic root fields: citation statistics, outcome rates and their
comparison, denial reasons, similar cases, search hits and stored-query results, each built from its
row of the named or stored query (`from_row`; pure, the intervals by api/graphql/rate_statistics.py)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON

from api.graphql.rate_statistics import NEWCOMBE_METHOD, compare, wilson_interval
from api.graphql.types import Decision, Guideline, Provenance

WILSON_LOW = (
    "Lower limit of the uphold rate's 95% Wilson score interval; null without decisions. "
    "A wide interval (few decisions) means the rate could well be far from what it shows."
)
WILSON_HIGH = "Upper limit of the uphold rate's 95% Wilson score interval; null without decisions."


@strawberry.type
class CitationStat:
    guideline: Guideline
    section: str | None
    pages: list[int]
    url: str | None
    decisions: int = strawberry.field(description="Decisions citing this row (each decision once).")
    decisions_in_scope: int = strawberry.field(
        description="Decisions the question selects (diagnosis, outcome, year), cited or not."
    )
    share: float = strawberry.field(
        description="decisions / decisionsInScope: the share of the selected decisions citing this row. "
        "Rows do not sum to 1: a decision may cite several documents, or none."
    )

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> CitationStat:
        """A row of the stored flagship queries (cypher/flagship_guideline_sections.cypher)."""
        return cls(
            guideline=Guideline(
                key=r["guideline_key"],
                family=r["family"],
                title=r["guideline"],
                edition=r["edition"],
                url=r["guideline_url"],
                chapter=r["guideline_chapter"],
            ),
            section=r["section"],
            pages=r["pages"] or [],
            url=r["url"],
            decisions=r["decisions"],
            decisions_in_scope=r["decisions_in_scope"],
            share=r["share"],
        )


@strawberry.type(description="Minimum, mean and maximum over the group's decisions that have a value.")
class Stats:
    min: float | None
    avg: float | None
    max: float | None

    @classmethod
    def from_row(cls, s: dict[str, Any]) -> Stats:
        return cls(
            min=None if s["min"] is None else float(s["min"]),
            avg=None if s["avg"] is None else float(s["avg"]),
            max=None if s["max"] is None else float(s["max"]),
        )


@strawberry.type
class OutcomeRate:
    group: str | None = strawberry.field(description="The value of the first dimension.")
    groups: list[str | None] = strawberry.field(description="The value of each dimension, in groupBy order.")
    decisions: int
    upheld: int
    overturned: int
    uphold_rate: float
    uphold_rate_low: float | None = strawberry.field(description=WILSON_LOW)
    uphold_rate_high: float | None = strawberry.field(description=WILSON_HIGH)
    estimated_years: int = strawberry.field(
        description="Decisions of the group whose year is estimated (the letter prints no decision date)."
    )
    age: Stats
    quantity: Stats
    days_from_ur_denial: Stats = strawberry.field(
        description="Days from the UR denial to the IMR decision, where the letter dates both."
    )

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> OutcomeRate:
        low, high = wilson_interval(r["upheld"], r["decisions"]) or (None, None)
        return cls(
            group=r["group"],
            decisions=r["decisions"],
            upheld=r["upheld"],
            overturned=r["overturned"],
            uphold_rate=r["upholdRate"],
            uphold_rate_low=low,
            uphold_rate_high=high,
            estimated_years=r["estimatedYears"],
            groups=[None if g is None else str(g) for g in r["groups"]],
            age=Stats.from_row(r["age"]),
            quantity=Stats.from_row(r["quantity"]),
            days_from_ur_denial=Stats.from_row(r["days"]),
        )


@strawberry.type(description="One group of a comparison: its decisions and uphold rate.")
class GroupRate:
    decisions: int
    upheld: int
    overturned: int
    uphold_rate: float | None = strawberry.field(description="upheld / decisions; null without decisions.")
    uphold_rate_low: float | None = strawberry.field(description=WILSON_LOW)
    uphold_rate_high: float | None = strawberry.field(description=WILSON_HIGH)


@strawberry.type(
    description="Two groups' uphold rates compared: the difference a - b with its 95% interval, and "
    "whether a difference this large could be chance (Fisher's exact test)."
)
class RateComparison:
    a: GroupRate
    b: GroupRate
    difference: float | None = strawberry.field(
        description="a's uphold rate minus b's; null when either group has no decisions."
    )
    difference_low: float | None = strawberry.field(
        description="Lower limit of the difference's 95% interval: Newcombe's hybrid score interval "
        "(Newcombe 1998, method 10), from the two groups' Wilson intervals."
    )
    difference_high: float | None = strawberry.field(
        description="Upper limit of the difference's 95% interval (Newcombe 1998, method 10)."
    )
    p_value: float = strawberry.field(
        description="Two-sided p of Fisher's exact test on the 2x2 table upheld/overturned x a/b: the "
        "chance of a table at most as likely as this one if both groups had the same rate."
    )
    method: str = strawberry.field(description="How the difference's interval was computed.")

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> RateComparison:
        """The counts of root_queries.COMPARE_RATES; the statistics are computed here."""
        xa, na, xb, nb = r["aUpheld"], r["aDecisions"], r["bUpheld"], r["bDecisions"]
        stats = compare(xa, na, xb, nb)

        def group(x: int, n: int, interval: tuple[float, float] | None) -> GroupRate:
            low, high = interval or (None, None)
            rate = x / n if n else None
            return GroupRate(
                decisions=n,
                upheld=x,
                overturned=n - x,
                uphold_rate=rate,
                uphold_rate_low=low,
                uphold_rate_high=high,
            )

        difference, low, high = stats.difference or (None, None, None)
        return cls(
            a=group(xa, na, stats.a),
            b=group(xb, nb, stats.b),
            difference=difference,
            difference_low=low,
            difference_high=high,
            p_value=stats.p_value,
            method=NEWCOMBE_METHOD,
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

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> DenialReasonStat:
        return cls(
            code=r["code"],
            description=r["description"],
            example=r["example"],
            decisions=r["decisions"],
            examples=[
                ReasonExample(
                    source=Provenance(letter_id=e["letterId"], case_number=e["caseNumber"], span=e["span"]),
                    text=e["text"],
                )
                for e in r["examples"]
            ],
        )


@strawberry.type
class SimilarCase:
    letter_id: str
    case_number: str | None
    decision_date: str | None
    score: int
    shared: list[str]

    @classmethod
    def from_row(cls, r: dict[str, Any]) -> SimilarCase:
        """A row of the stored cypher/similar_cases.cypher."""
        return cls(
            letter_id=r["letter_id"],
            case_number=r["case_number"],
            decision_date=r["decision_date"],
            score=r["score"],
            shared=r["shared"],
        )


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


@strawberry.type
class StoredQueryResult:
    name: str
    title: str
    params: JSON = strawberry.field(description="The parameters the query ran with.")
    rows: list[JSON]
    truncated: bool = strawberry.field(description="More rows than `first` came back.")


def json_safe(value: Any) -> Any:
    """A stored query's row as JSON: Neo4j dates and other values become strings."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
