"""The export tables from the rows the loader writes (rows.py), without a server: `export --from-jsonl`.

Pure. It reads the same rows the graph is written from and joins them as the graph queries of
export_graph.py do, so both sources give the same tables for a graph loaded from the same input in
the same order. A shared node (a guideline, a section, a diagnosis code) keeps the values of the
first letter that named it, as the graph's `ON CREATE SET` does; those and the treatment aggregates
are held for the whole run, which costs memory in proportion to the vocabulary, not to the letters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from graph_loader.export.tables import TABLES
from graph_loader.graph.declaration import GRAPH
from graph_loader.graph.rows import LetterRows, Row

LETTER_TABLES = tuple(t.name for t in TABLES if t.name != "treatments")


def _by_src(rows: list[Row]) -> dict[Any, list[Row]]:
    out: dict[Any, list[Row]] = defaultdict(list)
    for row in rows:
        out[row["src"]].append(row)
    return out


def _span(row: Row) -> tuple[int | None, int | None]:
    span = row.get("span") or [None, None]
    return span[0], span[1]


class RowsTables:
    """Feed it each letter's rows (`add`, in load order); `treatments()` once all are in."""

    def __init__(self) -> None:
        self.shared: dict[str, dict[Any, Row]] = {n.label: {} for n in GRAPH.nodes if n.scope == "shared"}
        self._in_class: set[tuple[str, str]] = set()
        self._in_category: dict[str, set[str]] = defaultdict(set)
        self._ingredients: dict[str, set[str]] = defaultdict(set)
        self._decisions: Counter[str] = Counter()

    def _node(self, label: str, key: Any) -> Row:
        return self.shared[label].get(key, {})

    def add(self, lr: LetterRows) -> dict[str, list[Row]]:
        """The letter's rows of every table but `treatments`."""
        for n in GRAPH.nodes:
            if n.scope == "shared":
                known = self.shared[n.label]
                for row in lr.nodes[n.label]:
                    known.setdefault(row[n.key.name], row)
        rels = lr.relationships
        treatment_of = {r["src"]: r["dst"] for r in rels["FOR_TREATMENT"]}
        categories = _by_src(rels["IN_CATEGORY"])
        regions = _by_src(rels["CONCERNS_REGION"])
        ingredients = _by_src(rels["INVOLVES_INGREDIENT"])
        self._aggregate_treatments(lr, treatment_of, ingredients)
        decisions = []
        for d in lr.nodes["Decision"]:
            did, treatment = d["decision_id"], treatment_of.get(d["decision_id"])
            decisions.append(
                {
                    "decision_id": did,
                    "letter_id": lr.letter_id,
                    "decision_index": d["index"],
                    **{
                        k: d[k]
                        for k in (
                            "item",
                            "outcome",
                            "outcome_inferred",
                            "quantity",
                            "requested_item",
                            "requested_quantity",
                            "authorized_item",
                            "authorized_quantity",
                        )
                    },
                    "treatment": treatment,
                    "treatment_class": d["treatment_class"],
                    "treatment_category": min(
                        (r["dst"] for r in categories.get(treatment, [])), default=None
                    ),
                    "body_regions": sorted(r["dst"] for r in regions.get(did, [])),
                    "ingredients": sorted(r["dst"] for r in ingredients.get(did, [])),
                    **{
                        k: d[k]
                        for k in ("drug_strength", "drug_form", "drug_route", "drug_compounded", "drug_brand")
                    },
                    "year": d["year"],
                    "rationale": d["rationale"],
                }
            )
        return {
            "cases": [self._case(lr, c) for c in lr.nodes["Case"]],
            "decisions": decisions,
            "diagnoses": self._diagnoses(lr),
            "citations": self._citations(lr),
            "denial_reasons": self._denial_reasons(lr),
        }

    def _case(self, lr: LetterRows, c: Row) -> Row:
        rels = lr.relationships
        names = (
            "letter_id",
            "case_number",
            "source",
            "layout",
            "content_hash",
            "decision_date",
            "injury_date",
            "ur_decision_date",
            "date_assigned",
            "year",
            "year_source",
            "age",
            "age_band",
            "sex",
        )
        return {
            **{k: c[k] for k in names},
            "reviewer_specialties": sorted(r["dst"] for r in rels["REVIEWER_SPECIALTY"]),
            "reviewer_states": sorted(r["dst"] for r in rels["REVIEWER_LICENSED_IN"]),
            "decision_count": len(rels["HAS_DECISION"]),
            "warnings": list(c["warnings"] or []),
            "text": c["text"],
        }

    def _diagnoses(self, lr: LetterRows) -> list[Row]:
        parent = {r["src"]: r["dst"] for r in lr.relationships["IS_A"]}
        out = []
        for h in lr.relationships["HAS_DIAGNOSIS"]:
            chain, code = [h["dst"]], h["dst"]
            while code in parent and len(chain) < 8:
                code = parent[code]
                chain.append(code)

            def at(level: str, chain: list[str] = chain) -> Row:
                return next(
                    (
                        self._node("Diagnosis", c)
                        for c in chain
                        if self._node("Diagnosis", c).get("level") == level
                    ),
                    {},
                )

            start, end = _span(h)
            out.append(
                {
                    "letter_id": lr.letter_id,
                    "icd10": h["dst"],
                    "description": self._node("Diagnosis", h["dst"]).get("name"),
                    "text": h["text"],
                    "status": h["status"],
                    "category": h["category"],
                    "block": at("block").get("code"),
                    "chapter": at("chapter").get("code"),
                    "chapter_description": at("chapter").get("name"),
                    "span_start": start,
                    "span_end": end,
                }
            )
        return out

    def _citations(self, lr: LetterRows) -> list[Row]:
        out = []
        for x in lr.relationships["CITES"]:
            section = self._node("GuidelineSection", x["dst"])
            guideline = self._node("Guideline", section.get("guideline_key"))
            start, end = _span(x)
            out.append(
                {
                    "decision_id": x["src"],
                    "letter_id": lr.letter_id,
                    "cited_by": x["by"],
                    "section_key": x["dst"],
                    "section_name": section.get("name"),
                    "section_kind": section.get("kind"),
                    "section_known": section.get("known"),
                    "chapter": section.get("chapter"),
                    "guideline_key": section.get("guideline_key"),
                    "guideline_family": guideline.get("family"),
                    "guideline_title": guideline.get("title"),
                    "guideline_edition": guideline.get("edition"),
                    "pages": list(x["pages"] or []),
                    "text": x["text"],
                    "span_start": start,
                    "span_end": end,
                }
            )
        return out

    def _denial_reasons(self, lr: LetterRows) -> list[Row]:
        out = []
        for x in lr.relationships["DENIED_BECAUSE"]:
            start, end = _span(x)
            out.append(
                {
                    "decision_id": x["src"],
                    "letter_id": lr.letter_id,
                    "reason_code": x["dst"],
                    "description": self._node("DenialReason", x["dst"]).get("description"),
                    "span_start": start,
                    "span_end": end,
                }
            )
        return out

    def _aggregate_treatments(
        self, lr: LetterRows, treatment_of: dict[Any, Any], ingredients: dict[Any, list[Row]]
    ) -> None:
        rels = lr.relationships
        self._in_class.update((r["src"], r["dst"]) for r in rels["IN_CLASS"])
        for r in rels["IN_CATEGORY"]:
            self._in_category[r["src"]].add(r["dst"])
        for did, name in treatment_of.items():
            self._decisions[name] += 1
            self._ingredients[name].update(r["dst"] for r in ingredients.get(did, []))

    def treatments(self) -> list[Row]:
        """One row per treatment and class, over every letter added, sorted."""
        return [
            {
                "treatment": name,
                "treatment_class": cls,
                "treatment_category": min(self._in_category.get(name, ()), default=None),
                "subcategory": self._node("TreatmentClass", cls).get("subcategory"),
                "ingredients": sorted(self._ingredients.get(name, ())),
                "decision_count": self._decisions.get(name, 0),
            }
            for name, cls in sorted(self._in_class)
        ]
