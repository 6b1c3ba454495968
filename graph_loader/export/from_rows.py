"""The export tables from the rows the loader writes (rows.py), without a server: `export --from-jsonl`.

Pure. It reads the same rows the graph is written from and joins them as the graph queries of
from_graph.py do, so both sources give the same tables for a graph loaded from the same input in
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


# Per table, each column's (name, owner, property) as tables.py declares its source; the owner is
# empty for a column computed here.
_COLUMNS = {t.name: tuple((c.name, c.owner, c.prop) for c in t.columns) for t in TABLES}


def _row(table: str, sources: dict[str, Row], computed: Row) -> Row:
    """A row of the table in column order: a column with a source copied from the row of its owner in
    `sources` (a shared node no letter named is {}, so null), every other one from `computed`."""
    out: Row = {}
    for name, owner, prop in _COLUMNS[table]:
        if owner:
            row = sources[owner]
            out[name] = row[prop] if row else None
        else:
            out[name] = computed[name]
    return out


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
            computed = {
                "letter_id": lr.letter_id,
                "treatment": treatment,
                "treatment_category": min((r["dst"] for r in categories.get(treatment, [])), default=None),
                "body_regions": sorted(r["dst"] for r in regions.get(did, [])),
                "ingredients": sorted(r["dst"] for r in ingredients.get(did, [])),
            }
            decisions.append(_row("decisions", {"Decision": d}, computed))
        return {
            "cases": [self._case(lr, c) for c in lr.nodes["Case"]],
            "decisions": decisions,
            "diagnoses": self._diagnoses(lr),
            "citations": self._citations(lr),
            "denial_reasons": self._denial_reasons(lr),
        }

    def _case(self, lr: LetterRows, c: Row) -> Row:
        rels = lr.relationships
        computed = {
            "reviewer_specialties": sorted(r["dst"] for r in rels["REVIEWER_SPECIALTY"]),
            "reviewer_states": sorted(r["dst"] for r in rels["REVIEWER_LICENSED_IN"]),
            "decision_count": len(rels["HAS_DECISION"]),
            "warnings": list(c["warnings"] or []),
            "text": c["text"],
        }
        return _row("cases", {"Case": c}, computed)

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
            computed = {
                "letter_id": lr.letter_id,
                "icd10": h["dst"],
                "block": at("block").get("code"),
                "chapter": at("chapter").get("code"),
                "chapter_description": at("chapter").get("name"),
                "span_start": start,
                "span_end": end,
            }
            sources = {"Diagnosis": self._node("Diagnosis", h["dst"]), "HAS_DIAGNOSIS": h}
            out.append(_row("diagnoses", sources, computed))
        return out

    def _citations(self, lr: LetterRows) -> list[Row]:
        out = []
        for x in lr.relationships["CITES"]:
            section = self._node("GuidelineSection", x["dst"])
            guideline = self._node("Guideline", section.get("guideline_key"))
            start, end = _span(x)
            computed = {
                "decision_id": x["src"],
                "letter_id": lr.letter_id,
                "section_key": x["dst"],
                "pages": list(x["pages"] or []),
                "span_start": start,
                "span_end": end,
            }
            sources = {"CITES": x, "GuidelineSection": section, "Guideline": guideline}
            out.append(_row("citations", sources, computed))
        return out

    def _denial_reasons(self, lr: LetterRows) -> list[Row]:
        out = []
        for x in lr.relationships["DENIED_BECAUSE"]:
            start, end = _span(x)
            computed = {
                "decision_id": x["src"],
                "letter_id": lr.letter_id,
                "reason_code": x["dst"],
                "span_start": start,
                "span_end": end,
            }
            out.append(
                _row("denial_reasons", {"DenialReason": self._node("DenialReason", x["dst"])}, computed)
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
            _row(
                "treatments",
                {"TreatmentClass": self._node("TreatmentClass", cls)},
                {
                    "treatment": name,
                    "treatment_class": cls,
                    "treatment_category": min(self._in_category.get(name, ()), default=None),
                    "ingredients": sorted(self._ingredients.get(name, ())),
                    "decision_count": self._decisions.get(name, 0),
                },
            )
            for name, cls in sorted(self._in_class)
        ]
