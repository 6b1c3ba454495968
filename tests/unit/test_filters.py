"""A filter value is cleaned once: api/cypher/filters.py's CLEAN function for the field, in Python, and
the Cypher compares the clean parameter as stored; the tallies' total cleans with the same function,
so a page and its total agree. Case-insensitive matches lower both sides with one fragment."""

from __future__ import annotations

import re
import typing
from typing import Any

import pytest

from api.cypher import filters, root_queries
from api.cypher.filters import CLEAN, Compiler, decision_predicate, ignoring_case
from api.cypher.tally_answers import tally_total_params
from api.graphql.inputs import DecisionFilter, StringFilter

MESSY = "  HydroCodone\t"
# The fields the tallies' total answers with an anchor cleaned in Python (api/cypher/tally_answers.py).
TALLY_ANCHORS = ("ingredient", "licensure_state")


def _compiled_all(values: dict[str, Any]) -> tuple[str, Compiler]:
    comp = Compiler()
    return decision_predicate(comp, DecisionFilter(**values)), comp


def _compiled(field: str, value: Any) -> tuple[str, Compiler]:
    return _compiled_all({field: value})


def test_each_cleaned_field_passes_its_clean_value_and_cypher_cleans_nothing() -> None:
    for field, clean in CLEAN.items():
        where, comp = _compiled(field, MESSY)
        assert comp.params == {"f0": clean(MESSY)}, field
        assert re.search(r"= \$f0 \}$", where), f"{field}: the stored value is compared as it is: {where}"
        assert not re.search(r"(trim|toLower|toUpper)\(", where), (
            f"{field} is cleaned again in Cypher: {where}"
        )
    assert CLEAN["ingredient"](MESSY) == "hydrocodone"
    assert CLEAN["licensure_state"](" ca ") == CLEAN["denial_reason"](" ca ") == "CA"


def test_no_filter_value_is_cleaned_in_cypher() -> None:
    hints = typing.get_type_hints(DecisionFilter)
    texts = [name for name, hint in hints.items() if hint == (str | None)]
    assert set(CLEAN) < set(texts)
    where, _ = _compiled_all(dict.fromkeys(texts, MESSY))
    assert not re.search(r"(trim|toUpper)\(", where), f"clean it in CLEAN (api/cypher/filters.py): {where}"
    # The only lowering left is both sides of a case-insensitive match.
    both_sides = re.sub(r"toLower\([\w.]+\) (CONTAINS|STARTS WITH) toLower\(\$f\d+\)", "", where)
    assert "toLower(" not in both_sides, where


def tally_disagreements() -> list[str]:
    """Fields whose tally anchor is not the compiler's clean parameter for the same value."""
    problems = []
    for field in TALLY_ANCHORS:
        values: dict[str, Any] = {field: MESSY}
        params = tally_total_params(DecisionFilter(**values))
        assert params is not None, f"the tallies answer a lone {field}"
        _, comp = _compiled(field, MESSY)
        if params["tally_anchor"] != comp.params["f0"]:
            problems.append(
                f"{field}: the tallies' total looks up {params['tally_anchor']!r}, the page "
                f"{comp.params['f0']!r}: clean both with CLEAN[{field!r}] (api/cypher/filters.py)"
            )
    return problems


def test_the_tallies_total_cleans_as_the_filter_does() -> None:
    assert tally_disagreements() == []


def test_the_tallies_total_cleans_with_the_filters_function(monkeypatch: pytest.MonkeyPatch) -> None:
    """One definition: a change to CLEAN changes the page's parameter and the tallies' anchor alike."""
    monkeypatch.setitem(filters.CLEAN, "ingredient", str.strip)
    params = tally_total_params(DecisionFilter(ingredient=MESSY))
    assert params is not None and params["tally_anchor"] == "HydroCodone"
    assert tally_disagreements() == []


def test_case_insensitive_matches_are_one_fragment() -> None:
    where, _ = _compiled("treatment", StringFilter(contains="x", starts_with="y"))
    assert where == " AND ".join(
        [ignoring_case("t.name", "CONTAINS", "$f0"), ignoring_case("t.name", "STARTS WITH", "$f1")]
    )
    # A treatment's `contains` is matched against the tallies' anchors as against the names.
    assert (
        ignoring_case("t.anchor", "CONTAINS", "$tally_contains")
        in root_queries.DECISIONS_PAGE_WITH_TALLY_TOTAL
    )
