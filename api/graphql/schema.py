"""The GraphQL schema: the root type, the extensions every request passes through (dataset.py's
included), and `execute` for running a query without HTTP (scripts, notebooks, tests)."""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types
from strawberry.types import ExecutionResult

from api.cypher.db import ReadOnlyGraph
from api.graphql.dataset import DatasetExtension
from api.graphql.extensions import extensions, log_unexpected
from api.graphql.quality_fields import QualityQuery
from api.graphql.resolvers import Query as AnalyticsQuery
from api.graphql.sibling_arguments import install as convert_arguments_once
from api.graphql.vocabulary_fields import VocabularyQuery


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        # Client mistakes are answered, not logged as failures; unexpected errors are logged with
        # their traceback (the client sees only the masked message).
        log_unexpected(errors)


Query = merge_types("Query", (AnalyticsQuery, VocabularyQuery, QualityQuery))
# Every response names the data it came from (`extensions.dataset`).
schema = Schema(query=Query, extensions=[*extensions(), DatasetExtension])
# The nested fields' arguments are converted once per place in the document, not once per parent.
CONVERTED_ONCE = convert_arguments_once(schema)


def execute(query: str, graph: ReadOnlyGraph, variables: dict[str, Any] | None = None) -> ExecutionResult:
    """Run a GraphQL query as the API would, without HTTP."""
    return asyncio.run(schema.execute(query, variable_values=variables, context_value={"graph": graph}))
