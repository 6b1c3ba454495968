"""Compile GraphQL filter inputs into a Cypher WHERE predicate.

Only fixed fragments from this module become Cypher text; every value the user gives becomes a
parameter ($f0, $f1, ...), so no input can change the shape of a query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def clean_ingredient(value: str) -> str:
    """Ingredients are stored generic and lower case ("hydrocodone")."""
    return value.strip().lower()


def clean_code(value: str) -> str:
    """State (USPS) and denial-reason codes are stored upper case."""
    return value.strip().upper()


# The filter fields whose value is cleaned before it is compared, each by one function: the compiler
# passes the clean value as a parameter and the Cypher compares it as stored, so the tallies' total
# (api/cypher/tally_answers.py) must clean with the same function, or the total and the page disagree.
CLEAN: dict[str, Callable[[str], str]] = {
    "ingredient": clean_ingredient,
    "licensure_state": clean_code,
    "denial_reason": clean_code,
}


def ignoring_case(expr: str, op: str, param: str) -> str:
    """`expr op param` compared lower case on both sides (CONTAINS, STARTS WITH): one function lowers
    the stored value and the given one, so they agree on every character."""
    return f"toLower({expr}) {op} toLower({param})"


@dataclass(frozen=True)
class Vars:
    """Cypher variable names of a decision, its treatment and its category."""

    d: str = "d"
    t: str = "t"
    k: str = "k"


DEFAULT = Vars()


@dataclass
class Compiler:
    params: dict[str, Any] = field(default_factory=dict)
    scopes: int = 0

    def param(self, value: Any) -> str:
        name = f"f{len(self.params)}"
        self.params[name] = value
        return f"${name}"

    def fresh(self) -> Vars:
        self.scopes += 1
        return Vars(d=f"d{self.scopes}", t=f"t{self.scopes}", k=f"k{self.scopes}")


def string_predicate(comp: Compiler, expr: str, f: Any) -> list[str]:
    """StringFilter: equals / contains / startsWith, case-insensitive for contains and startsWith."""
    out: list[str] = []
    if f is None:
        return out
    if f.equals is not None:
        out.append(f"{expr} = {comp.param(f.equals)}")
    if f.contains is not None:
        out.append(ignoring_case(expr, "CONTAINS", comp.param(f.contains)))
    if f.starts_with is not None:
        out.append(ignoring_case(expr, "STARTS WITH", comp.param(f.starts_with)))
    if f.in_ is not None:
        out.append(f"{expr} IN {comp.param(list(f.in_))}")
    if f.is_null is not None:
        out.append(f"{expr} IS NULL" if f.is_null else f"{expr} IS NOT NULL")
    return out


def range_predicate(comp: Compiler, expr: str, r: Any) -> list[str]:
    out: list[str] = []
    if r is None:
        return out
    if r.min is not None:
        out.append(f"{expr} >= {comp.param(r.min)}")
    if r.max is not None:
        out.append(f"{expr} <= {comp.param(r.max)}")
    return out


def decision_predicate(comp: Compiler, f: Any, v: Vars = DEFAULT) -> str:
    """Predicate over c (Case) and the decision, treatment and category variables `v` names."""
    if f is None:
        return "true"
    parts: list[str] = []
    parts += string_predicate(comp, "c.case_number", f.case_number)
    parts += string_predicate(comp, f"{v.d}.item", f.item)
    parts += string_predicate(comp, f"{v.t}.name", f.treatment)
    parts += range_predicate(comp, "c.year", f.year)
    parts += range_predicate(comp, "c.age", f.age)
    parts += range_predicate(comp, "c.decision_date", f.decision_date)
    if f.outcome is not None:
        parts.append(f"{v.d}.outcome = {comp.param(f.outcome.value)}")
    if f.treatment_class is not None:
        parts.append(f"{v.d}.treatment_class = {comp.param(f.treatment_class)}")
    if f.ingredient is not None:
        parts.append(
            f"EXISTS {{ MATCH ({v.d})-[:INVOLVES_INGREDIENT]->(i) "
            f"WHERE i.name = {comp.param(CLEAN['ingredient'](f.ingredient))} }}"
        )
    if f.category is not None:
        parts.append(f"{v.k}.name = {comp.param(f.category.value)}")
    if f.sex is not None:
        parts.append(f"c.sex = {comp.param(f.sex)}")
    if f.icd10 is not None:
        # The case carries every code of its diagnoses and their ancestors (diagnosis_codes): a list
        # lookup instead of a walk up the hierarchy per row, 3x faster at 100k letters.
        code = comp.param(f.icd10)
        if f.include_uncertain:
            parts.append(f"({code} IN c.diagnosis_codes OR {code} IN c.uncertain_diagnosis_codes)")
        else:
            parts.append(f"{code} IN c.diagnosis_codes")
    if f.specialty is not None:
        parts.append(
            "EXISTS { MATCH (c)-[:REVIEWER_SPECIALTY]->(s) "
            f"WHERE {ignoring_case('s.name', 'CONTAINS', comp.param(f.specialty))} }}"
        )
    if f.cites_guideline is not None:
        p = comp.param(f.cites_guideline)
        parts.append(
            f"EXISTS {{ MATCH ({v.d})-[:CITES]->(:GuidelineSection)-[:PART_OF]->(g:Guideline) "
            f"WHERE g.family = {p} OR g.key = {p} OR {ignoring_case('g.title', 'CONTAINS', p)} }}"
        )
    parts += range_predicate(comp, "c.injury_date", f.injury_date)
    parts += range_predicate(comp, "c.ur_decision_date", f.ur_decision_date)
    parts += range_predicate(comp, f"{v.d}.quantity", f.quantity)
    if f.outcome_in is not None:
        parts.append(f"{v.d}.outcome IN {comp.param([o.value for o in f.outcome_in])}")
    if f.category_in is not None:
        parts.append(f"{v.k}.name IN {comp.param([k.value for k in f.category_in])}")
    if f.partially_authorized is not None:
        parts.append(f"{v.d}.authorized_item IS {'NOT ' if f.partially_authorized else ''}NULL")
    if f.denial_reason is not None:
        parts.append(
            f"EXISTS {{ MATCH ({v.d})-[:DENIED_BECAUSE]->(x:DenialReason) "
            f"WHERE x.code = {comp.param(CLEAN['denial_reason'](f.denial_reason))} }}"
        )
    if f.licensure_state is not None:
        parts.append(
            "EXISTS { MATCH (c)-[:REVIEWER_LICENSED_IN]->(st:State) "
            f"WHERE st.code = {comp.param(CLEAN['licensure_state'](f.licensure_state))} }}"
        )
    if f.cited_by is not None or f.cites_section is not None:
        conditions = string_predicate(comp, "cs.name", f.cites_section)
        if f.cited_by is not None:
            conditions.append(f"cr.by = {comp.param(f.cited_by.value)}")
        parts.append(
            f"EXISTS {{ MATCH ({v.d})-[cr:CITES]->(cs:GuidelineSection) WHERE {' AND '.join(conditions) or 'true'} }}"
        )
    if f.body_region is not None:
        parts.append(
            f"EXISTS {{ MATCH ({v.d})-[:CONCERNS_REGION]->(b) WHERE b.name = {comp.param(f.body_region)} }}"
        )
    for sub in f.and_ or []:
        parts.append(f"({decision_predicate(comp, sub, v)})")
    if f.or_:
        parts.append("(" + " OR ".join(f"({decision_predicate(comp, sub, v)})" for sub in f.or_) + ")")
    if f.not_ is not None:
        parts.append(f"NOT ({decision_predicate(comp, f.not_, v)})")
    if getattr(f, "decisions", None) is not None:
        parts += quantifier_predicates(comp, f.decisions)
    return " AND ".join(parts) if parts else "true"


def quantifier_predicates(comp: Compiler, q: Any) -> list[str]:
    """some / all / none / single of the case's decisions match: one subquery each, over fresh
    variable names so the decision outside is not the one inside."""
    out: list[str] = []
    for kind in ("some", "all", "none", "single"):
        sub = getattr(q, kind)
        if sub is None:
            continue
        v = comp.fresh()
        pattern = f"(c)-[:HAS_DECISION]->({v.d}:Decision)-[:FOR_TREATMENT]->({v.t})-[:IN_CATEGORY]->({v.k})"
        inner = decision_predicate(comp, sub, v)
        if kind == "some":
            out.append(f"EXISTS {{ MATCH {pattern} WHERE {inner} }}")
        elif kind == "none":
            out.append(f"NOT EXISTS {{ MATCH {pattern} WHERE {inner} }}")
        elif kind == "all":
            # As in @neo4j/graphql: every decision matches (true of a case without decisions).
            out.append(f"NOT EXISTS {{ MATCH {pattern} WHERE NOT ({inner}) }}")
        else:
            out.append(f"COUNT {{ MATCH {pattern} WHERE {inner} }} = 1")
    return out


def case_predicate(comp: Compiler, f: Any) -> str:
    """A case matches when any of its decisions matches the decision-level parts of the filter."""
    if f is None:
        return "true"
    if _case_level_only(f):
        # decisions: {some|all|none|single} alone needs no outer decision: test the case directly.
        return decision_predicate(comp, f)
    inner = decision_predicate(comp, f)
    if inner == "true":
        return "true"
    return (
        "EXISTS { MATCH (c)-[:HAS_DECISION]->(d:Decision)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k) "
        f"WHERE {inner} }}"
    )


def _case_level_only(f: Any) -> bool:
    """True when the filter sets nothing but `decisions` quantifiers."""
    fields = {k: v for k, v in vars(f).items() if v is not None}
    return set(fields) == {"decisions"}
