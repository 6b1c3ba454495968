"""A nested field's arguments converted once per place in the document, not once per parent row.

A nested connection (`treatments { terms { decisionsConnection(filter: ...) } }`) is resolved once
for every parent of the outer page, and strawberry converts its arguments (graphql-core's dicts into
the input types) for each of them: for a page of 20 treatments, 20 conversions of the same filter,
about a seventh of the CPU that GraphQL spends on the request (docs/benchmarks.md, issue 29).

Every parent at one place in the document receives the same arguments. GraphQL's validation
(overlapping fields can be merged) gives two fields with the same response path and the same
parent types the same arguments, and a request's variables are fixed while it runs. So the first
parent's converted arguments are kept in the request's context under the field and its place (the
response path without list indices, with each step's parent type), and its siblings reuse them.
Resolvers never change their arguments, and each call gets its own copy of the dict.

`install` gives each non-root field with arguments a resolver that does what strawberry's does for
such a field, with the conversion kept. It refuses a field whose resolver strawberry would call
differently (field extensions or permission classes, `root` or `parent` parameters), so a future
field of that kind fails at start-up instead of losing its checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from graphql.pyutils import Path
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField

_MEMO = "converted_arguments"

Place = tuple[tuple[str, str | None], ...]


def place(path: Path | None) -> Place:
    """Where a field is in the document: its response path without list indices, each step with the
    type it was read from."""
    steps: list[tuple[str, str | None]] = []
    while path is not None:
        if isinstance(path.key, str):
            steps.append((path.key, path.typename))
        path = path.prev
    return tuple(steps)


def install(schema: strawberry.Schema) -> list[str]:
    """Give every non-root field with arguments the converting-once resolver; returns their names
    (`Type.field`)."""
    graphql_schema = schema._schema
    roots = {graphql_schema.query_type, graphql_schema.mutation_type, graphql_schema.subscription_type}
    installed = []
    for type_ in graphql_schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_ in roots or type_.name.startswith("__"):
            continue
        for name, graphql_field in type_.fields.items():
            field = (graphql_field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
            if not graphql_field.args or not isinstance(field, StrawberryField):
                continue
            graphql_field.resolve = _resolver(schema, field, f"{type_.name}.{name}")
            installed.append(f"{type_.name}.{name}")
    return installed


def _resolver(schema: strawberry.Schema, field: StrawberryField, name: str) -> Callable[..., Any]:
    resolver = field.base_resolver
    if (
        resolver is None
        or field.extensions
        or field.permission_classes
        or resolver.parent_parameter
        or resolver.root_parameter
    ):
        raise TypeError(
            f"{name}: strawberry must resolve this field itself (see api/graphql/sibling_arguments.py)"
        )
    config, registry = schema.config, schema.schema_converter.scalar_registry
    info_name = resolver.info_parameter.name if resolver.info_parameter else None
    takes_self = resolver.self_parameter is not None

    def resolve(source: Any, info: GraphQLResolveInfo[Any], **values: Any) -> Any:
        strawberry_info = config.info_class(_raw_info=info, _field=field)
        context = info.context
        if isinstance(context, dict):
            memo: dict[tuple[StrawberryField, Place], dict[str, Any]] = context.setdefault(_MEMO, {})
            key = (field, place(info.path))
            converted = memo.get(key)
            if converted is None:
                converted = memo[key] = _convert(values, strawberry_info)
        else:
            converted = _convert(values, strawberry_info)
        kwargs = dict(converted)
        if info_name is not None:
            kwargs[info_name] = strawberry_info
        return resolver(source, **kwargs) if takes_self else resolver(**kwargs)

    def _convert(values: dict[str, Any], strawberry_info: strawberry.Info) -> dict[str, Any]:
        return convert_arguments(
            values, field.arguments, scalar_registry=registry, config=config, info=strawberry_info
        )

    return resolve
