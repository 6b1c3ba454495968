"""Map parsed letters to the flat rows the loader's `UNWIND $rows` queries take. Pure functions."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import simple_icd_10_cm as icd

from graph_loader.models import Citation, Letter
from graph_loader.normalize.reasons import DESCRIPTIONS

Row = dict[str, Any]

# Bumped whenever what the loader writes for a letter changes (2: Case.diagnosis_codes), so a re-load
# rewrites letters loaded by an older version even though their text is unchanged.
GRAPH_MODEL_VERSION = 2


@dataclass
class GraphRows:
    """Rows for one batch of letters, one list per named load query."""

    cases: list[Row] = field(default_factory=list)
    specialties: list[Row] = field(default_factory=list)
    states: list[Row] = field(default_factory=list)
    diagnoses: list[Row] = field(default_factory=list)
    diagnosis_hierarchy: list[Row] = field(default_factory=list)
    decisions: list[Row] = field(default_factory=list)
    regions: list[Row] = field(default_factory=list)
    citations: list[Row] = field(default_factory=list)
    reasons: list[Row] = field(default_factory=list)


def age_band(age: int | None) -> str | None:
    if age is None:
        return None
    if age < 25:
        return "<25"
    if age >= 65:
        return "65+"
    low = (age // 10) * 10 if age >= 30 else 25
    return f"{low}-{low + 9 if low >= 30 else 29}"


@cache
def icd_chain(code: str) -> tuple[tuple[str, str, str], ...]:
    """(code, description, level) from the code up to its chapter: M54.16 -> M54.1 -> M54 -> block -> 13."""
    plain = code.replace(".", "")
    if not icd.is_valid_item(plain):
        return ()
    out = []
    for c in [code, *icd.get_ancestors(plain)]:
        if icd.is_chapter(c):
            level = "chapter"
        elif icd.is_block(c):
            level = "block"
        elif icd.is_category(c):
            level = "category"
        else:
            level = "subcategory"
        out.append(
            (
                icd.add_dot(c) if level in ("category", "subcategory") else c,
                str(icd.get_description(c)),
                level,
            )
        )
    return tuple(out)


def diagnosis_codes(letter: Letter) -> list[str] | None:
    """Every ICD-10-CM code of the letter's diagnoses and of their ancestors, for fast filters."""
    codes = {code for dx in letter.diagnoses if dx.icd10 for code, _, _ in icd_chain(dx.icd10)}
    return sorted(codes) or None


def section_key(c: Citation) -> str:
    """Natural key of the cited page range and/or section: guideline key + pages + sections."""
    base = c.guideline_key or "other:" + re.sub(r"[^a-z0-9]+", "-", c.title.lower()).strip("-")[:120]
    pages = ",".join(str(p) for p in c.pages)
    sections = "|".join(re.sub(r"\s+", " ", s.lower()).strip() for s in c.sections)
    return f"{base}#p={pages}#s={sections}"


def guideline_key(c: Citation) -> str:
    return c.guideline_key or "other:" + re.sub(r"[^a-z0-9]+", "-", c.title.lower()).strip("-")[:120]


def letter_rows(letter: Letter, rows: GraphRows, *, keep_text: bool = True) -> None:
    lid = letter.letter_id
    year = int(letter.decision_date[:4]) if letter.decision_date else None
    rows.cases.append(
        {
            "letter_id": lid,
            "content_hash": letter.content_hash,
            "props": {
                "case_number": letter.case_number,
                "source": letter.source,
                "layout": letter.layout,
                "decision_date": letter.decision_date,
                "injury_date": letter.injury_date,
                "ur_decision_date": letter.ur_decision_date,
                "date_assigned": letter.date_assigned,
                "year": year,
                "age": letter.patient.age,
                "age_band": age_band(letter.patient.age),
                "sex": letter.patient.sex,
                "warnings": letter.warnings or None,
                "diagnosis_codes": diagnosis_codes(letter),
                "graph_model": GRAPH_MODEL_VERSION,
                "text": letter.text if keep_text else None,
            },
        }
    )
    for name in letter.reviewer.specialties:
        rows.specialties.append({"letter_id": lid, "name": name})
    for code in letter.reviewer.licensure_states:
        rows.states.append({"letter_id": lid, "code": code})
    for dx in letter.diagnoses:
        if not dx.icd10:
            continue
        chain = icd_chain(dx.icd10)
        if not chain:
            continue
        rows.diagnoses.append(
            {
                "letter_id": lid,
                "code": chain[0][0],
                "name": chain[0][1],
                "level": chain[0][2],
                "text": dx.text,
                "span": list(dx.span),
                "status": dx.status,
            }
        )
        for (child, cname, clevel), (parent, pname, plevel) in itertools.pairwise(chain):
            rows.diagnosis_hierarchy.append(
                {
                    "child": child,
                    "child_name": cname,
                    "child_level": clevel,
                    "parent": parent,
                    "name": pname,
                    "level": plevel,
                }
            )
    for i, d in enumerate(letter.decisions, start=1):
        did = f"{lid}#{i}"
        rows.decisions.append(
            {
                "letter_id": lid,
                "decision_id": did,
                "props": {
                    "index": i,
                    "item": d.item,
                    "outcome": d.outcome.value if d.outcome else None,
                    "outcome_inferred": d.outcome_inferred,
                    "quantity": d.quantity,
                    "requested_item": d.requested_item,
                    "requested_quantity": d.requested_quantity,
                    "authorized_item": d.authorized_item,
                    "authorized_quantity": d.authorized_quantity,
                    "rationale": d.rationale,
                    "year": year,
                    "item_span": list(d.spans.item),
                },
                "treatment": d.treatment.name,
                "category": d.treatment.category.value,
            }
        )
        for region in d.body_regions:
            rows.regions.append({"decision_id": did, "name": region})
        for c in d.citations:
            rows.citations.append(
                {
                    "decision_id": did,
                    "letter_id": lid,
                    "by": c.by.value,
                    "span": list(c.span),
                    "text": c.text,
                    "guideline_key": guideline_key(c),
                    "family": c.guideline.value,
                    "title": _catalog_title(c),
                    "edition": c.edition,
                    "resolved": c.guideline_key is not None,
                    "guideline_url": c.url if c.guideline_key is None else _catalog_url(c),
                    "section_key": section_key(c),
                    # No empty lists in the graph: the bulk importer cannot write them, so neither do we.
                    "pages": c.pages or None,
                    "sections": c.sections or None,
                    "section_label": _section_label(c),
                    "section_url": c.url,
                }
            )
        for r in d.denial_reasons:
            rows.reasons.append(
                {
                    "decision_id": did,
                    "letter_id": lid,
                    "code": r.code,
                    "description": DESCRIPTIONS.get(r.code, r.code),
                    "span": list(r.span),
                }
            )


def _catalog_title(c: Citation) -> str:
    from graph_loader.normalize.citations import catalog_entry

    return catalog_entry(c.guideline_key).title if c.guideline_key else c.title


def _catalog_url(c: Citation) -> str | None:
    from graph_loader.normalize.citations import catalog_entry

    return catalog_entry(c.guideline_key).url if c.guideline_key else c.url


def _section_label(c: Citation) -> str:
    parts = []
    if c.pages:
        lo, hi = c.pages[0], c.pages[-1]
        parts.append(f"p. {lo}" if lo == hi else f"pp. {lo}-{hi}")
    parts.extend(c.sections)
    if not parts and c.guideline_key in ("odg", "acoem") and ":" in c.title:
        parts.append(c.title.split(":", 1)[1].strip())
    return "; ".join(parts) if parts else "(whole document)"


def _distinct(rows: list[Row], keys: tuple[str, ...]) -> list[Row]:
    seen: dict[tuple[Any, ...], Row] = {}
    for row in rows:
        key = tuple(tuple(v) if isinstance(v, list) else v for v in (row[k] for k in keys))
        seen.setdefault(key, {k: row[k] for k in keys})
    return list(seen.values())


def _distinct_strings(rows: list[Row], key: str) -> list[str]:
    return sorted({str(row[key]) for row in rows})


def shared_rows(rows: GraphRows) -> dict[str, list[Any]]:
    """Distinct shared nodes (and hierarchy edges) of a batch, for the SHARED queries."""
    diagnosis_nodes = {r["code"]: (r["name"], r["level"]) for r in rows.diagnoses}
    for edge in rows.diagnosis_hierarchy:
        diagnosis_nodes.setdefault(edge["child"], (edge["child_name"], edge["child_level"]))
        diagnosis_nodes.setdefault(edge["parent"], (edge["name"], edge["level"]))
    return {
        "specialties": _distinct_strings(rows.specialties, "name"),
        "states": _distinct_strings(rows.states, "code"),
        "regions": _distinct_strings(rows.regions, "name"),
        "reasons": _distinct(rows.reasons, ("code", "description")),
        "treatments": _distinct(rows.decisions, ("treatment", "category")),
        "diagnoses": [
            {"code": c, "name": n, "level": lvl} for c, (n, lvl) in sorted(diagnosis_nodes.items())
        ],
        "diagnosis_hierarchy": _distinct(rows.diagnosis_hierarchy, ("child", "parent")),
        "guidelines": _distinct(
            rows.citations, ("guideline_key", "family", "title", "edition", "guideline_url", "resolved")
        ),
        "sections": _distinct(
            rows.citations,
            ("section_key", "guideline_key", "pages", "sections", "section_label", "section_url"),
        ),
    }


def batch_rows(letters: list[Letter], *, keep_text: bool = True) -> GraphRows:
    rows = GraphRows()
    for letter in letters:
        letter_rows(letter, rows, keep_text=keep_text)
    return rows
