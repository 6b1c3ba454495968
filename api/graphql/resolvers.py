"""The root fields. Each compiles its arguments, runs ONE named query and maps the rows to types."""

from __future__ import annotations

from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.cypher import root_queries as queries
from api.cypher.crosstab import MAX_DIMENSIONS, outcome_rates_cypher
from api.cypher.decision_pages import decision_ordering_for, decision_templates
from api.cypher.filters import Compiler, case_predicate, clean_code, decision_predicate
from api.cypher.keyset import case_ordering
from api.cypher.pagination import MAX_PAGE_SIZE, decode_cursor, encode_cursor, fetch_page, page_size
from api.cypher.search_query import FULLTEXT_DECISIONS, search_windows
from api.cypher.tally_answers import (
    DENIAL_REASONS_FROM_TALLIES,
    denial_reasons_tally_params,
    outcome_cube,
    outcome_rates_tally_cypher,
)
from api.graphql.analytics_types import (
    CitationStat,
    DenialReasonStat,
    OutcomeRate,
    RateComparison,
    ScoredDecision,
    SimilarCase,
    Snippet,
    StoredQueryResult,
    json_safe,
)
from api.graphql.context import asks_extremes, graph, readiness, selected_parts, tallies_ready, wants_total
from api.graphql.enums import Category, CitationGrouping, CitedBy, Outcome, OutcomeGrouping
from api.graphql.inputs import CaseSort, DecisionFilter, DecisionSort, StringFilter, sort_order
from api.graphql.snippets import snippet
from api.graphql.types import Case, CaseConnection, Decision, DecisionConnection
from graph_loader.errors import InvalidArgument
from graph_loader.graph.tallies import ANY_DIAGNOSIS
from graph_loader.stored_queries import LibraryError, validate_params
from graph_loader.stored_queries import get as stored

# Cases the vector index proposes for the exact score to rank (docs/benchmarks.md: overlap@10).
SIMILAR_CANDIDATES = 300
# The longest search text: a text of one-letter words this long stays under Lucene's 1024-clause limit
# over the two indexed fields (rationale, item).
MAX_SEARCH_TEXT = 1000


def diagnosis_codes(diagnosis: str | None, icd10: str | None) -> list[str]:
    """Codes to match for a diagnosis given in words ("lumbar radiculopathy") and/or as a code."""
    from graph_loader.normalize.diagnoses.coding import code_phrase

    codes = [clean_code(icd10)] if icd10 else []
    if diagnosis:
        code = code_phrase(diagnosis)
        if code is None:
            raise InvalidArgument(f"no ICD-10-CM code known for diagnosis {diagnosis!r}; pass icd10 instead")
        # Words name a condition, not an encounter: "lumbar strain" is S39.012 whatever the 7th
        # character (initial, subsequent, sequela) of the letters that state it.
        codes.append(code[:-1] if len(code.replace(".", "")) == 7 else code)
    return codes


@strawberry.type
class Query:
    @strawberry.field(description="One case by case number (CM16-0213037) or letter id.")
    async def case(self, info: Info, case_number: str) -> Case | None:
        rows = await graph(info).aread(queries.CASE_BY_KEY, key=case_number, selected=selected_parts(info))
        return Case.from_row(rows[0]["case"]) if rows else None

    @strawberry.field(description="Cases, filtered on any of their decisions, sorted, Relay-paginated.")
    async def cases(
        self,
        info: Info,
        filter: DecisionFilter | None = None,
        sort: list[CaseSort] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> CaseConnection:
        comp = Compiler()
        where = case_predicate(comp, filter)
        page = await fetch_page(
            graph(info),
            (queries.CASES_PAGE, queries.CASES_PAGE_WITH_TOTAL),
            where,
            case_ordering(sort_order(sort)),
            comp,
            first,
            after,
            with_total=wants_total(info),
            selected=selected_parts(info),
        )
        return CaseConnection.from_page(page, "case")

    @strawberry.field(description="Decisions (one per disputed item), filtered and Relay-paginated.")
    async def decisions(
        self,
        info: Info,
        filter: DecisionFilter | None = None,
        sort: list[DecisionSort] | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> DecisionConnection:
        comp = Compiler()
        where = decision_predicate(comp, filter)
        g, ready, with_total = graph(info), readiness(info), wants_total(info)
        ordering = await decision_ordering_for(g, ready, sort_order(sort))
        templates = await decision_templates(
            g, ready, filter, where, ordering, comp.params, with_total=with_total
        )
        page = await fetch_page(
            g,
            templates,
            where,
            ordering,
            comp,
            first,
            after,
            with_total=with_total,
            selected=selected_parts(info),
        )
        return DecisionConnection.from_page(page, "decision")

    @strawberry.field(
        description="Full-text search over decision rationales and items (Lucene syntax, at most "
        "1000 characters), filtered, best first, paginated by cursor, each with a highlighted snippet."
    )
    async def search_rationales(
        self,
        info: Info,
        text: str,
        filter: DecisionFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> list[ScoredDecision]:
        if len(text) > MAX_SEARCH_TEXT:
            # Lucene refuses a query of more than 1024 clauses (a word is one per indexed field), and
            # says so as a server error; a length limit says it in the client's terms first.
            raise InvalidArgument(
                f"the search text is {len(text)} characters long; at most {MAX_SEARCH_TEXT} are searched"
            )
        comp = Compiler()
        cypher = FULLTEXT_DECISIONS.replace("{where}", decision_predicate(comp, filter))
        skip, limit = decode_cursor(after), page_size(first)
        window, wide = search_windows(skip, limit)
        rows = await graph(info).aread(
            cypher,
            text=text,
            skip=skip,
            limit=limit,
            window=window,
            wide=wide,
            selected=selected_parts(info, needs={"snippet": "rationale"}),
            **comp.params,
        )
        out = []
        for i, r in enumerate(rows):
            decision = Decision.from_row(r["decision"])
            found = snippet(decision.rationale, text)
            out.append(
                ScoredDecision(
                    score=r["score"],
                    cursor=encode_cursor(skip + i),
                    snippet=Snippet(text=found[0], highlighted=found[1], rationale_span=list(found[2]))
                    if found
                    else None,
                    decision=decision,
                )
            )
        return out

    @strawberry.field(
        description="Run a stored query of the cypher/ library (`imr-graph query --list`) read-only, with "
        "parameters checked against its header; rows come back as JSON objects."
    )
    async def stored_query(
        self, info: Info, name: str, params: JSON | None = None, first: int = 100
    ) -> StoredQueryResult:
        try:
            query = stored(name)
        except LibraryError as exc:
            raise InvalidArgument(str(exc)) from exc
        if params is not None and not isinstance(params, dict):
            raise InvalidArgument("params must be a JSON object of parameter values")
        # The query's own row limit (params.first) is capped like every page: it is its LIMIT.
        values = validate_params(query, dict(params or {}), max_rows=MAX_PAGE_SIZE)
        limit = page_size(first)
        rows = await graph(info).aread(query.cypher, **values)
        return StoredQueryResult(
            name=query.name,
            title=query.title,
            params=cast(JSON, values),
            rows=[json_safe(r) for r in rows[:limit]],
            truncated=len(rows) > limit,
        )

    @strawberry.field(
        description="Which guideline pages or sections most often support decisions, e.g. denials "
        "(outcome: UPHELD) for a diagnosis cited by the IMR reviewer. Runs the stored queries "
        "flagship_guideline_sections (with a diagnosis) and guideline_sections (without)."
    )
    async def guideline_citation_stats(
        self,
        info: Info,
        diagnosis: str | None = None,
        icd10: str | None = None,
        outcome: Outcome | None = None,
        cited_by: CitedBy | None = None,
        group_by: CitationGrouping = CitationGrouping.SECTION,
        year: int | None = None,
        first: int = 20,
        include_uncertain: Annotated[
            bool,
            strawberry.argument(
                description="true: a rule-out, history or finding of the diagnosis selects its case too "
                "(default: stated diagnoses only)."
            ),
        ] = False,
    ) -> list[CitationStat]:
        codes = diagnosis_codes(diagnosis, icd10)
        params: dict[str, Any] = {
            "outcome": outcome.value if outcome else None,
            "cited_by": cited_by.value if cited_by else None,
            "group_by": group_by.value,
            "year": year,
            "first": page_size(first),
        }
        # The tallies hold stated diagnoses and no editions: the rest is walked.
        walk = include_uncertain or group_by is CitationGrouping.EDITION
        if len(codes) <= 1 and not walk and await tallies_ready(info):
            query = stored(queries.FLAGSHIP_FROM_TALLIES)
            params["diagnosis"] = codes[0] if codes else ANY_DIAGNOSIS
        elif codes:
            query = stored(queries.FLAGSHIP)
            params |= {"diagnosis_codes": codes, "include_uncertain": include_uncertain}
        else:
            query = stored(queries.FLAGSHIP_ANY_DIAGNOSIS)
        rows = await graph(info).aread(query.cypher, **params)
        return [CitationStat.from_row(r) for r in rows]

    @strawberry.field(
        description="Counts, uphold rate and min/avg/max of age, quantity and days from UR denial to "
        "decision, per value of one to three dimensions (treatment, class, ingredient, category, "
        "diagnosis category, specialty, year, state): `groupBy: [YEAR, CATEGORY]` cross-tabulates."
    )
    async def outcome_rates(
        self,
        info: Info,
        group_by: list[OutcomeGrouping],
        filter: DecisionFilter | None = None,
        first: int = 50,
        min_decisions: Annotated[
            int,
            strawberry.argument(
                description="Only groups with at least this many decisions: a rate over few decisions "
                "has a wide interval (upholdRateLow, upholdRateHigh)."
            ),
        ] = 1,
    ) -> list[OutcomeRate]:
        dimensions = tuple(g.value for g in group_by)
        if not 1 <= len(dimensions) <= MAX_DIMENSIONS or len(set(dimensions)) != len(dimensions):
            raise InvalidArgument(f"groupBy takes one to {MAX_DIMENSIONS} different dimensions")
        cube = outcome_cube(dimensions)
        if filter is None and cube and not asks_extremes(info) and await tallies_ready(info):
            cypher = outcome_rates_tally_cypher(dimensions)
            rows = await graph(info).aread(cypher, cube=cube, first=page_size(first))
        else:
            comp = Compiler()
            cypher = outcome_rates_cypher(dimensions).replace("{where}", decision_predicate(comp, filter))
            rows = await graph(info).aread(cypher, first=page_size(first), **comp.params)
        # Both queries order by decisions, most first, so the groups with at least min_decisions are a
        # prefix of the rows: dropping the rest after the query keeps the first `first` of them.
        return [OutcomeRate.from_row(r) for r in rows if r["decisions"] >= min_decisions]

    @strawberry.field(
        description="Two groups of decisions (each a filter, as decisions takes) compared: each "
        "group's uphold rate with its 95% Wilson interval, the difference a - b with its 95% interval "
        "(Newcombe's hybrid score method), and the two-sided p of Fisher's exact test."
    )
    async def compare_rates(self, info: Info, a: DecisionFilter, b: DecisionFilter) -> RateComparison:
        comp = Compiler()  # one compiler for both, so their parameters do not share names
        where_a, where_b = decision_predicate(comp, a), decision_predicate(comp, b)
        cypher = queries.COMPARE_RATES.replace("{where_a}", where_a).replace("{where_b}", where_b)
        rows = await graph(info).aread(cypher, **comp.params)
        return RateComparison.from_row(rows[0])

    @strawberry.field(description="Why requests were denied, with counts and example sentences.")
    async def denial_reasons(
        self,
        info: Info,
        treatment: str | None = None,
        category: Category | None = None,
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
        where = decision_predicate(comp, filt)
        params: dict[str, Any] = {"examples": min(max(examples, 0), 10), "first": page_size(first)}
        if len(codes) <= 1 and not (codes and treatment) and await tallies_ready(info):
            cypher = DENIAL_REASONS_FROM_TALLIES.replace("{where}", where)
            params |= denial_reasons_tally_params(
                codes[0] if codes else None, treatment, category.value if category else None
            )
        else:
            cypher = queries.DENIAL_REASONS.replace("{where}", where)
        rows = await graph(info).aread(cypher, **params, **comp.params)
        return [DenialReasonStat.from_row(r) for r in rows]

    @strawberry.field(
        description="Cases sharing diagnosis categories (weight 3 per pair), treatments (2) and cited "
        "sections (1). Runs the stored query similar_cases_indexed (the case_embedding vector index "
        "proposes candidates, the exact score ranks them), or similar_cases (every case) with exact: true."
    )
    async def similar_cases(
        self,
        info: Info,
        case_number: str,
        first: int = 10,
        exact: Annotated[
            bool,
            strawberry.argument(description="Score every case sharing anything (slow on a large graph)."),
        ] = False,
    ) -> list[SimilarCase]:
        size = page_size(first)
        if not exact and await tallies_ready(info):
            cypher = stored(queries.SIMILAR_CASES_INDEXED).cypher
            rows = await graph(info).aread(
                cypher, case_key=case_number, first=size, candidates=max(SIMILAR_CANDIDATES, 4 * size)
            )
        else:
            rows = await graph(info).aread(
                stored(queries.SIMILAR_CASES).cypher, case_key=case_number, first=size
            )
        return [SimilarCase.from_row(r) for r in rows]
