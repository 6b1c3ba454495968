"""The input types' own builder (api/graphql/inputs.py, `_quick_from_input`) gives what strawberry's
generic conversion gives, for filters with every kind of field: strings, enums, lists of enums,
nested inputs, ranges, quantifiers and AND / OR / NOT."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import coerce_input_value
from strawberry.types.arguments import convert_argument
from strawberry.types.base import get_object_definition

from api.graphql import inputs
from api.graphql.schema import schema

FILTERS: list[dict[str, Any]] = [
    {},
    {"outcome": "UPHELD"},
    {"treatment": {"equals": "Physical therapy"}, "icd10": "M54", "includeUncertain": True},
    {"outcomeIn": ["UPHELD", "OVERTURNED"], "categoryIn": ["PHARMACEUTICAL"], "citedBy": "IMR_REVIEWER"},
    {"quantity": {"min": 6, "max": 12}, "decisionDate": {"min": "2016-01-01", "max": "2016-12-31"}},
    {"AND": [{"outcome": "UPHELD"}, {"OR": [{"icd10": "M54"}, {"NOT": {"category": "DME"}}]}]},
    {"decisions": {"all": {"outcome": "UPHELD"}, "none": {"treatmentClass": "Opioids"}}},
    {"citesSection": {"contains": "physical medicine"}, "age": {"min": 40}, "sex": "F"},
]


def _convert(type_name: str, value: dict[str, Any], quick: bool) -> Any:
    cls = {"DecisionFilter": inputs.DecisionFilter, "CaseSort": inputs.CaseSort}[type_name]
    coerced = coerce_input_value(value, schema._schema.get_type(type_name))  # type: ignore[arg-type]
    assert isinstance(coerced, dict), f"not a valid {type_name}: {value}"
    saved = {t: get_object_definition(t, strict=True).from_input for t in inputs.INPUT_TYPES}
    try:
        for t in inputs.INPUT_TYPES:
            get_object_definition(t, strict=True).from_input = saved[t] if quick else None
        return convert_argument(coerced, cls, schema.schema_converter.scalar_registry, schema.config)
    finally:
        for t, hook in saved.items():
            get_object_definition(t, strict=True).from_input = hook


@pytest.mark.parametrize("value", FILTERS)
def test_a_filter_is_built_as_strawberry_builds_it(value: dict[str, Any]) -> None:
    quick = _convert("DecisionFilter", value, quick=True)
    assert quick == _convert("DecisionFilter", value, quick=False)
    assert isinstance(quick, inputs.DecisionFilter)


def test_sorts_keep_their_defaults_and_enums() -> None:
    for value in ({}, {"field": "AGE", "direction": "ASC"}):
        assert _convert("CaseSort", value, quick=True) == _convert("CaseSort", value, quick=False)


def test_every_input_type_of_the_schema_uses_the_quick_builder() -> None:
    declared = {
        t.__name__
        for t in vars(inputs).values()
        if isinstance(t, type) and getattr(getattr(t, "__strawberry_definition__", None), "is_input", False)
    }
    assert declared == {t.__name__ for t in inputs.INPUT_TYPES}
    for t in inputs.INPUT_TYPES:
        assert get_object_definition(t, strict=True).from_input is inputs._quick_from_input
