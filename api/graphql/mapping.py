"""Rows from the named queries to GraphQL types. Pure: a stored value the types cannot hold (an
outcome that is not UPHELD or OVERTURNED) raises, and the API masks and logs it."""

from __future__ import annotations

from typing import Any

from api.graphql import types as T
from graph_loader import models


def provenance(letter_id: str, case_number: str | None, span: list[int] | None) -> T.Provenance:
    return T.Provenance(letter_id=letter_id, case_number=case_number, span=span)


def section(s: dict[str, Any]) -> T.GuidelineSection:
    return T.GuidelineSection(
        key=s["key"],
        name=s["name"],
        kind=s["kind"],
        known=bool(s["known"]),
        chapter=s["chapter"],
        pages=s["pages"] or [],
        url=s["url"],
    )


def to_citation(c: dict[str, Any], letter_id: str, case_number: str | None) -> T.Citation:
    return T.Citation(
        cited_by=models.CitedBy(c["citedBy"]),
        guideline=T.Guideline(**c["guideline"]),
        section=section(c["section"]),
        pages=c["pages"] or [],
        text=c["text"],
        source=provenance(letter_id, case_number, c["span"]),
    )


def to_drug(d: dict[str, Any]) -> T.Drug:
    return T.Drug(
        ingredients=[
            T.Ingredient(
                name=i["name"],
                drugbank_id=i["drugbankId"],
                mesh_id=i["meshId"],
                medlineplus_id=i["medlineplusId"],
            )
            for i in d["ingredients"]
        ],
        strength=d["strength"],
        form=d["form"],
        route=d["route"],
        compounded=d["compounded"],
        brand=d["brand"],
    )


def to_decision(d: dict[str, Any]) -> T.Decision:
    lid, cn = d["letterId"], d["caseNumber"]
    return T.Decision(
        decision_id=d["decisionId"],
        item=d["item"],
        outcome=models.Outcome(d["outcome"]) if d["outcome"] else None,
        quantity=d["quantity"],
        requested_item=d["requestedItem"],
        authorized_item=d["authorizedItem"],
        treatment=d["treatment"],
        treatment_class=d["treatmentClass"],
        category=models.Category(d["category"]),
        drug=to_drug(d["drug"]) if d["drug"] else None,
        body_regions=d["bodyRegions"],
        rationale=d["rationale"] or "",
        citations=[to_citation(c, lid, cn) for c in d["citations"]],
        denial_reasons=[
            T.DenialReasonFact(
                code=r["code"], description=r["description"], source=provenance(lid, cn, r["span"])
            )
            for r in d["denialReasons"]
        ],
        case_number=cn,
        letter_id=lid,
        year=d.get("year"),
    )


def to_case(c: dict[str, Any]) -> T.Case:
    lid, cn = c["letterId"], c["caseNumber"]
    return T.Case(
        letter_id=lid,
        case_number=cn,
        layout=c["layout"],
        source=c["source"],
        decision_date=c["decisionDate"],
        injury_date=c["injuryDate"],
        ur_decision_date=c["urDecisionDate"],
        year=c["year"],
        year_source=c["yearSource"],
        age=c["age"],
        age_band=c["ageBand"],
        sex=c["sex"],
        warnings=c["warnings"],
        specialties=c["specialties"],
        licensure_states=c["licensureStates"],
        diagnoses=[
            T.DiagnosisFact(
                code=x["code"],
                name=x["name"],
                category=x["category"],
                text=x["text"],
                status=x["status"],
                source=provenance(lid, cn, x["span"]),
            )
            for x in c["diagnoses"]
        ],
        decisions=[to_decision(d) for d in c["decisions"]],
    )


def to_citation_stat(r: dict[str, Any]) -> T.CitationStat:
    """A row of the stored flagship queries (cypher/flagship_guideline_sections.cypher)."""
    return T.CitationStat(
        guideline=T.Guideline(
            key=r["guideline_key"],
            family=r["family"],
            title=r["guideline"],
            edition=r["edition"],
            url=r["guideline_url"],
        ),
        section=r["section"],
        pages=r["pages"] or [],
        url=r["url"],
        decisions=r["decisions"],
        share=r["share"],
    )


def to_outcome_rate(r: dict[str, Any]) -> T.OutcomeRate:
    return T.OutcomeRate(
        group=r["group"],
        decisions=r["decisions"],
        upheld=r["upheld"],
        overturned=r["overturned"],
        uphold_rate=r["upholdRate"],
        estimated_years=r["estimatedYears"],
        groups=[None if g is None else str(g) for g in r["groups"]],
        age=_stats(r["age"]),
        quantity=_stats(r["quantity"]),
        days_from_ur_denial=_stats(r["days"]),
    )


def _stats(s: dict[str, Any]) -> T.Stats:
    return T.Stats(
        min=None if s["min"] is None else float(s["min"]),
        avg=None if s["avg"] is None else float(s["avg"]),
        max=None if s["max"] is None else float(s["max"]),
    )


def to_denial_reason_stat(r: dict[str, Any]) -> T.DenialReasonStat:
    return T.DenialReasonStat(
        code=r["code"],
        description=r["description"],
        example=r["example"],
        decisions=r["decisions"],
        examples=[
            T.ReasonExample(source=provenance(e["letterId"], e["caseNumber"], e["span"]), text=e["text"])
            for e in r["examples"]
        ],
    )


def to_similar_case(r: dict[str, Any]) -> T.SimilarCase:
    """A row of the stored cypher/similar_cases.cypher."""
    return T.SimilarCase(
        letter_id=r["letter_id"],
        case_number=r["case_number"],
        decision_date=r["decision_date"],
        score=r["score"],
        shared=r["shared"],
    )


def json_safe(value: Any) -> Any:
    """A stored query's row as JSON: Neo4j dates and other values become strings."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
