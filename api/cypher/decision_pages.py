"""Which query serves a page of decisions: the plan follows the sort and how much the filter matches.

A page in date order (the default sort) can walk the decision_date_order index newest first and stop
when the page is full, which is cheap when the filter matches many decisions and expensive when it
matches few; finding every match and sorting it is the reverse. Without a filter the walk always
wins. With a filter the tallies count it (api/cypher/tally_answers.py), and the query picks its branch from that
count (queries.DATE_ORDER_SHARE). A filter the tallies do not cover is found by traversal and sorted.
"""

from __future__ import annotations

from typing import Any

from api.cypher import root_queries as queries
from api.cypher.db import ReadOnlyGraph
from api.cypher.keyset import DATE_ORDER, Ordering, SortOrder, decision_ordering
from api.cypher.tally_answers import Readiness, tally_total_params


async def decision_ordering_for(
    graph: ReadOnlyGraph, readiness: Readiness, sort: SortOrder | None
) -> Ordering:
    """The sort a page of decisions runs: by decision_date_order where every case has it, else (a graph
    not re-loaded since graph model 7) by the bare date, so the order is still by date."""
    ordering = decision_ordering(sort)
    if any(k is DATE_ORDER for k, _ in ordering.keys) and not (await readiness.check(graph)).date_order:
        return ordering.with_plain_dates()
    return ordering


async def decision_templates(
    graph: ReadOnlyGraph,
    readiness: Readiness,
    filter: Any,
    where: str,
    ordering: Ordering,
    params: dict[str, Any],
    *,
    with_total: bool,
) -> tuple[str, str]:
    """The (page, page with total) templates for this page; adds the parameters they need. The
    readiness is asked only when the tallies could serve the page."""
    tally = tally_total_params(filter)
    in_date_order = ordering.in_date_order  # decision_ordering_for kept it only where the index has it
    if in_date_order and tally is not None and (await readiness.check(graph)).ready:
        params.update(tally, date_order_share=queries.DATE_ORDER_SHARE)
        # The count picks the plan, so it is run whether or not the client asked for it.
        template = queries.DECISIONS_IN_DATE_ORDER_WITH_TALLY_TOTAL
        return template, template
    if in_date_order and where == "true":
        return queries.DECISIONS_IN_DATE_ORDER, queries.DECISIONS_IN_DATE_ORDER_WITH_TOTAL
    if tally is not None and with_total and (await readiness.check(graph)).ready:
        params.update(tally)
        return queries.DECISIONS_PAGE, queries.DECISIONS_PAGE_WITH_TALLY_TOTAL
    return queries.DECISIONS_PAGE, queries.DECISIONS_PAGE_WITH_TOTAL
