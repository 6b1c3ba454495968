"""What every GraphQL request passes through: size limits, caches, and the error policy.

Error policy: a `ClientFacingError` (bad argument, timeout, bad search text) and GraphQL's own
syntax, validation and variable-coercion errors reach the client as they are; anything else is an unexpected error:
the client sees one fixed message and the server log gets the error with its traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from graph_loader.errors import ClientFacingError

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 4000
MASKED_MESSAGE = "Internal error while querying the graph."

log = logging.getLogger("imr_graph.api")

# Root fields that aggregate over the whole graph: a document may ask for a few, not fifty.
ANALYTIC_FIELDS = frozenset(
    {
        "guidelineCitationStats",
        "outcomeRates",
        "compareRates",
        "denialReasons",
        "similarCases",
        "searchRationales",
        "storedQuery",
        "treatments",
        "treatmentClasses",
        "specialties",
        "states",
        "denialReasonCodes",
        "guidelines",
        "diagnoses",
    }
)
MAX_ANALYTIC_FIELDS = 8


class AnalyticCostRule(ValidationRule):
    """At most MAX_ANALYTIC_FIELDS analytic root fields per operation (aliases and fragments count)."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        fragments = {
            f.name.value: f
            for f in self.context.document.definitions
            if isinstance(f, FragmentDefinitionNode)
        }
        count = _count_analytic(node.selection_set, fragments, set())
        if count > MAX_ANALYTIC_FIELDS:
            self.report_error(
                GraphQLError(
                    f"{count} analytic root fields in one operation; at most {MAX_ANALYTIC_FIELDS} "
                    "(split the document into several requests)",
                    node,
                )
            )


def _count_analytic(
    selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> int:
    total = 0
    for sel in selection_set.selections if selection_set else ():
        if isinstance(sel, FieldNode):
            total += sel.name.value in ANALYTIC_FIELDS
        elif isinstance(sel, InlineFragmentNode):
            total += _count_analytic(sel.selection_set, fragments, seen)
        elif (
            isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen and sel.name.value in fragments
        ):
            seen.add(sel.name.value)
            total += _count_analytic(fragments[sel.name.value].selection_set, fragments, seen)
    return total


# Built once: strawberry's limiter extensions make new rule classes per request, which defeats the
# validation cache (it keys on the rules); fixed classes let each distinct document validate once.
LIMIT_RULES = (depth_rule(MAX_DEPTH, None), alias_rule(MAX_ALIASES), AnalyticCostRule)


def is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, ClientFacingError):
        return False
    # graphql-core reports a variable that does not coerce (a string for an Int!, a missing required
    # variable, an unknown enum value or input field) as a path-less error wrapping its own GraphQLError:
    # a request error in the client's input, like validation. During execution every error has a path,
    # so a GraphQLError raised there (a graph value the schema cannot serialize) stays unexpected.
    return not (error.path is None and isinstance(original, GraphQLError))


def log_unexpected(errors: list[GraphQLError]) -> None:
    for error in errors:
        if is_unexpected(error):
            original = error.original_error
            assert original is not None
            log.error(
                "unexpected error in %s: %s",
                ".".join(str(p) for p in error.path or []) or "request",
                original,
                exc_info=(type(original), original, original.__traceback__),
            )


def extensions() -> list[Any]:
    """Extension factories, in the order they run: caches first, so a repeated document skips the
    parser and the validator; the limits still apply to every new one."""
    return [
        lambda: ParserCache(maxsize=256),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(list(LIMIT_RULES)),
        lambda: ValidationCache(maxsize=256),
        lambda: MaskErrors(should_mask_error=is_unexpected, error_message=MASKED_MESSAGE),
    ]


__all__ = ["MASKED_MESSAGE", "SchemaExtension", "extensions", "is_unexpected", "log_unexpected"]
