"""The GraphQL input types: the decision filter and its parts, and the sorts of the connections."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.types.arguments import InputContext
from strawberry.types.base import get_object_definition

from api.cypher.keyset import SortOrder
from api.graphql.enums import Category, CitedBy, DecisionSortField, Outcome, SortDirection, SortField


@strawberry.input(description="String match; contains and startsWith ignore case.")
class StringFilter:
    equals: str | None = None
    contains: str | None = None
    starts_with: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in", description="Any of these values.")
    is_null: bool | None = strawberry.field(default=None, description="true: absent; false: present.")


@strawberry.input
class IntRange:
    min: int | None = None
    max: int | None = None


@strawberry.input(description="ISO dates, inclusive.")
class DateRange:
    min: str | None = None
    max: str | None = None


@strawberry.input(description="Filter on decisions (and, for cases, on any of their decisions).")
class DecisionFilter:
    case_number: StringFilter | None = None
    item: StringFilter | None = None
    treatment: StringFilter | None = None
    treatment_class: str | None = strawberry.field(
        default=None, description='The decision\'s treatment class: "Opioids", "NSAIDs", "MRI", ...'
    )
    ingredient: str | None = strawberry.field(
        default=None, description='A drug ingredient the item names, generic: "hydrocodone".'
    )
    outcome: Outcome | None = None
    category: Category | None = None
    icd10: str | None = strawberry.field(
        default=None,
        description="A stated diagnosis at or below this ICD-10-CM code (M54, M54.1, M50-M54, 13); "
        "rule-outs, history and findings too with includeUncertain.",
    )
    include_uncertain: bool | None = strawberry.field(
        default=None,
        description="true: icd10 also selects cases where the diagnosis is only a rule-out "
        '("possible radiculopathy"), history or finding. Default: stated diagnoses only.',
    )
    specialty: str | None = None
    cites_guideline: str | None = strawberry.field(
        default=None, description="A family (MTUS, ODG, ACOEM, OTHER), a catalog key, or words of a title."
    )
    body_region: str | None = None
    denial_reason: str | None = strawberry.field(
        default=None, description="A denial-reason code the decision was upheld for (see denialReasonCodes)."
    )
    cited_by: CitedBy | None = strawberry.field(default=None, description="Some citation by this voice.")
    cites_section: StringFilter | None = strawberry.field(
        default=None, description="Some cited section's name (with citedBy: cited by that voice)."
    )
    licensure_state: str | None = strawberry.field(default=None, description="The reviewer is licensed here.")
    quantity: IntRange | None = None
    partially_authorized: bool | None = strawberry.field(
        default=None, description="true: the claims administrator authorized part of the request."
    )
    outcome_in: list[Outcome] | None = None
    category_in: list[Category] | None = None
    injury_date: DateRange | None = None
    ur_decision_date: DateRange | None = None
    year: IntRange | None = None
    age: IntRange | None = None
    decision_date: DateRange | None = None
    sex: str | None = None
    decisions: DecisionQuantifier | None = strawberry.field(
        default=None,
        description="Across the decisions of the same case: some, all, none or exactly one match. "
        "Composes with every other field and with AND/OR/NOT.",
    )
    and_: list[DecisionFilter] | None = strawberry.field(default=None, name="AND")
    or_: list[DecisionFilter] | None = strawberry.field(default=None, name="OR")
    not_: DecisionFilter | None = strawberry.field(default=None, name="NOT")


@strawberry.input(
    description="Quantifiers over a case's decisions, as @neo4j/graphql's some/all/none/single: "
    "`all` holds for a case whose every decision matches."
)
class DecisionQuantifier:
    some: DecisionFilter | None = None
    all: DecisionFilter | None = None
    none: DecisionFilter | None = None
    single: DecisionFilter | None = None


@strawberry.input
class CaseSort:
    field: SortField = SortField.DECISION_DATE
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class DecisionSort:
    field: DecisionSortField = DecisionSortField.DECISION_DATE
    direction: SortDirection = SortDirection.DESC


def sort_order(sort: list[CaseSort] | list[DecisionSort] | None) -> SortOrder | None:
    """A sort argument as the keyset layer takes it: (field name, descending) pairs; None (the
    newest first) when the client gave no sort."""
    return [(s.field.value, s.direction == SortDirection.DESC) for s in sort] if sort else None


def _quick_from_input(cls: type, value: Mapping[str, Any], context: InputContext) -> Any:
    """An input object built as strawberry builds it, but without converting the nulls. graphql-core
    hands every field with a published default (all of DecisionFilter's 28 are `= null`) to the
    resolver, and strawberry converts each by resolving its type anew (a nested field's filter is
    converted once per place in the document, api/graphql/sibling_arguments.py)."""
    fields = _FIELDS.get(cls)
    if fields is None:
        definition = get_object_definition(cls, strict=True)
        fields = _FIELDS[cls] = tuple(
            (
                context.config.name_converter.from_field(f),
                f.python_name,
                f.resolve_type(type_definition=definition),
            )
            for f in definition.fields
        )
    kwargs = {
        python_name: None if value[name] is None else context.convert(value[name], type_, name)
        for name, python_name, type_ in fields
        if name in value
    }
    return cls(**kwargs)


_FIELDS: dict[type, tuple[tuple[str, str, Any], ...]] = {}
INPUT_TYPES = (StringFilter, IntRange, DateRange, DecisionFilter, DecisionQuantifier, CaseSort, DecisionSort)
for _input in INPUT_TYPES:
    get_object_definition(_input, strict=True).from_input = _quick_from_input
