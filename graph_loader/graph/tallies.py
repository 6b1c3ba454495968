"""Pre-aggregated analytics: what each letter adds to the tallies the API reads instead of walking
millions of decisions. Pure: facts in, counter deltas out.

Three kinds of tally node, declared with the rest of the graph in graph/declaration.py:

- `SectionTally`: distinct decisions per (diagnosis code at every level of its ICD-10-CM chain, or
  `*` for any; guideline section or whole guideline; the set of voices that cited it; outcome;
  year). The flagship question is a sum over the cells of one code.
- `OutcomeTally`: decisions, upheld, overturned, estimated years and the sums and counts behind the
  averages of age, quantity and days from UR denial, per (cube, anchor, year, category, treatment
  class). The `BASE` cube has no anchor; the others are anchored by one more dimension (treatment,
  specialty, state, ingredient, or a diagnosis code at every level), so a cross-tab of up to three
  dimensions with at most one anchor is a sum over one cube.
- `ReasonTally`: distinct decisions per (denial reason, cube, anchor, category, treatment class), for
  the reasons by treatment (`TREATMENT` cube) or by diagnosis code at every level (`DIAGNOSIS`).
- `CaseTally`: cases per (cube, anchor, year): every case (`BASE`) and the cases of each stated
  diagnosis code at every level (`DIAGNOSIS`), for the diagnoses' case counts and their pages' totals.

A decision falls in exactly one cell of a cube per anchor value, so sums over cells are counts of
distinct decisions, as the traversals count them. Minimum and maximum cannot be kept under
subtraction (a changed letter takes its values away) without keeping every value, so they are not
tallied: the API answers them by traversal.

The incremental loader journals, in each batch's transaction, the facts a changed letter had (read
back from the graph with the same `CaseFacts` shape, signed -1) and the new ones, and folds many
batches' journals into the cells at once (load/tally_journal.py); the bulk loader sums them
while it writes its CSV files. Both produce the same cells, so the two paths build equal graphs.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from graph_loader.graph.declaration import TALLY_COUNTERS, TALLY_DIMENSIONS
from graph_loader.graph.rows import LetterRows

# The graph model version that introduced tallies: letters written by an older loader were not counted.
TALLIES_SINCE_MODEL = 5
# ... and the one that introduced CaseTally: older letters' cases were not counted there.
CASE_TALLIES_SINCE_MODEL = 9
ANY_DIAGNOSIS = "*"
SECTION_LEVEL, GUIDELINE_LEVEL = "SECTION", "GUIDELINE"
# Cubes of OutcomeTally, by the dimension that anchors them ("" for none).
# The cubes a tally cell belongs to, by what anchors it: named once here, imported by the API.
BASE_CUBE = "BASE"  # the one anchor "": every decision
TREATMENT_CUBE = "TREATMENT"
SPECIALTY_CUBE = "SPECIALTY"
STATE_CUBE = "STATE"
INGREDIENT_CUBE = "INGREDIENT"
DIAGNOSIS_CUBE = "DIAGNOSIS"
OUTCOME_CUBES = (BASE_CUBE, TREATMENT_CUBE, SPECIALTY_CUBE, STATE_CUBE, INGREDIENT_CUBE, DIAGNOSIS_CUBE)
REASON_CUBES = (TREATMENT_CUBE, DIAGNOSIS_CUBE)

COUNTERS, DIMENSIONS = TALLY_COUNTERS, TALLY_DIMENSIONS
LABELS = tuple(COUNTERS)


@dataclass(frozen=True)
class DecisionFacts:
    outcome: str | None
    treatment: str
    category: str
    treatment_class: str
    quantity: int | None
    ingredients: tuple[str, ...] = ()
    # (section key, guideline key, who cited it), one per CITES relationship
    citations: tuple[tuple[str, str, str], ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseFacts:
    """What the tallies need of one letter, from its rows (new) or from the graph (what it had)."""

    letter_id: str
    year: int | None
    estimated_year: bool
    age: int | None
    days: int | None
    diagnosis_codes: tuple[str, ...]
    specialties: tuple[str, ...]
    states: tuple[str, ...]
    decisions: tuple[DecisionFacts, ...]
    dated: bool = False  # the case has a decision date
    # Whether the case is in the CaseTally cells (read back: written at CASE_TALLIES_SINCE_MODEL or later).
    case_counted: bool = True


def days_between(ur_decision_date: str | None, decision_date: str | None) -> int | None:
    """Days from the UR denial to the IMR decision, as Cypher's duration.inDays(...).days counts them."""
    if not ur_decision_date or not decision_date:
        return None
    try:
        return (date.fromisoformat(decision_date) - date.fromisoformat(ur_decision_date)).days
    except ValueError:
        return None


def _distinct(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(set(values)))


def facts_from_rows(lr: LetterRows) -> CaseFacts:
    case = lr.nodes["Case"][0]
    treatments = {r["src"]: r["dst"] for r in lr.relationships["FOR_TREATMENT"]}
    categories = {r["src"]: r["dst"] for r in lr.relationships["IN_CATEGORY"]}
    guideline_of = {r["src"]: r["dst"] for r in lr.relationships["PART_OF"]}
    by_decision: dict[str, dict[str, list[Any]]] = {}
    for rel_type, what in (("INVOLVES_INGREDIENT", "ingredients"), ("DENIED_BECAUSE", "reasons")):
        for r in lr.relationships[rel_type]:
            by_decision.setdefault(r["src"], {}).setdefault(what, []).append(r["dst"])
    for r in lr.relationships["CITES"]:
        by_decision.setdefault(r["src"], {}).setdefault("citations", []).append(
            (r["dst"], guideline_of[r["dst"]], r["by"])
        )
    decisions = []
    for d in lr.nodes["Decision"]:
        extra = by_decision.get(d["decision_id"], {})
        treatment = treatments[d["decision_id"]]
        decisions.append(
            DecisionFacts(
                outcome=d["outcome"],
                treatment=treatment,
                category=categories[treatment],
                treatment_class=d["treatment_class"],
                quantity=d["quantity"],
                ingredients=_distinct(extra.get("ingredients", ())),
                citations=_distinct(extra.get("citations", ())),
                reasons=_distinct(extra.get("reasons", ())),
            )
        )
    return CaseFacts(
        letter_id=lr.letter_id,
        year=case["year"],
        estimated_year=case["year_source"] == "estimated",
        age=case["age"],
        days=days_between(case["ur_decision_date"], case["decision_date"]),
        dated=case["decision_date"] is not None,
        diagnosis_codes=_distinct(case["diagnosis_codes"] or ()),
        specialties=_distinct(r["dst"] for r in lr.relationships["REVIEWER_SPECIALTY"]),
        states=_distinct(r["dst"] for r in lr.relationships["REVIEWER_LICENSED_IN"]),
        decisions=tuple(sorted(decisions, key=repr)),
    )


def facts_from_record(rec: Mapping[str, Any]) -> CaseFacts:
    """The same facts read back from the graph by `queries.CASE_TALLY_FACTS`."""
    decisions = tuple(
        sorted(
            (
                DecisionFacts(
                    outcome=d["outcome"],
                    treatment=d["treatment"],
                    category=d["category"],
                    treatment_class=d["treatment_class"],
                    quantity=d["quantity"],
                    ingredients=_distinct(d["ingredients"]),
                    citations=_distinct(tuple(c) for c in d["citations"]),
                    reasons=_distinct(d["reasons"]),
                )
                for d in rec["decisions"]
            ),
            key=repr,
        )
    )
    return CaseFacts(
        letter_id=rec["letter_id"],
        year=rec["year"],
        estimated_year=rec["year_source"] == "estimated",
        age=rec["age"],
        days=days_between(rec["ur_decision_date"], rec["decision_date"]),
        dated=rec["decision_date"] is not None,
        diagnosis_codes=_distinct(rec["diagnosis_codes"] or ()),
        specialties=_distinct(rec["specialties"]),
        states=_distinct(rec["states"]),
        decisions=decisions,
        case_counted=(rec["graph_model"] or 0) >= CASE_TALLIES_SINCE_MODEL,
    )


# A letter adds about a hundred cells, most of which differ from each other in one dimension only (the
# diagnosis code, or a cube's anchor): cells are grouped by the other dimensions, so most additions
# are a lookup by a string (whose hash Python keeps) in a small dict, not the hashing of a new tuple.
# Per label, where the varying dimension goes among DIMENSIONS.
_VARYING = {"SectionTally": 0, "OutcomeTally": 1, "ReasonTally": 2, "CaseTally": 1}


@dataclass
class Tallies:
    """Counter deltas per cell, a cell being (label, its dimension values in DIMENSIONS order);
    `add` with sign -1 takes a letter's facts away. Kept as groups: (label, the dimensions but the
    varying one) -> varying value -> the counter (an int) or counters (a list, OutcomeTally)."""

    groups: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)

    def add(self, case: CaseFacts, sign: int = 1) -> None:
        dx_codes = (ANY_DIAGNOSIS, *case.diagnosis_codes)
        if case.case_counted:
            self._cases(case, sign)
        for d in case.decisions:
            self._sections(case, d, dx_codes, sign)
            self._outcomes(case, d, sign)
            self._reasons(case, d, sign)

    def merge(self, other: Tallies) -> None:
        """Add another's deltas to these (a parse worker's sum). `other` is consumed: its cells may
        become these cells."""
        for key, cells in other.groups.items():
            group = self.groups.get(key)
            if group is None:
                self.groups[key] = cells
                continue
            for anchor, counts in cells.items():
                cell = group.get(anchor)
                if cell is None:
                    group[anchor] = counts
                elif isinstance(cell, list):
                    for i, value in enumerate(counts):
                        cell[i] += value
                else:
                    group[anchor] = cell + counts
        other.groups = {}

    def _group(self, key: tuple[Any, ...]) -> dict[str, Any]:
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = {}
        return group

    def _sections(self, case: CaseFacts, d: DecisionFacts, dx_codes: tuple[str, ...], sign: int) -> None:
        voices: dict[tuple[str, str], set[str]] = {}
        for section, guideline, by in d.citations:
            voices.setdefault((SECTION_LEVEL, section), set()).add(by)
            voices.setdefault((GUIDELINE_LEVEL, guideline), set()).add(by)
        for (level, target), who in voices.items():
            # DIMENSIONS["SectionTally"]: dx (varying), level, target, voices, outcome, year
            group = self._group(("SectionTally", level, target, tuple(sorted(who)), d.outcome, case.year))
            for dx in dx_codes:
                group[dx] = group.get(dx, 0) + sign

    def _outcomes(self, case: CaseFacts, d: DecisionFacts, sign: int) -> None:
        # COUNTERS["OutcomeTally"], in order
        counts = (
            sign,
            sign * (d.outcome == "UPHELD"),
            sign * (d.outcome == "OVERTURNED"),
            sign * case.estimated_year,
            sign * (case.age or 0),
            sign * (case.age is not None),
            sign * (d.quantity or 0),
            sign * (d.quantity is not None),
            sign * (case.days or 0),
            sign * (case.days is not None),
        )
        anchors: tuple[tuple[str, tuple[str, ...]], ...] = (
            (BASE_CUBE, ("",)),
            (TREATMENT_CUBE, (d.treatment,)),
            (SPECIALTY_CUBE, case.specialties),
            (STATE_CUBE, case.states),
            (INGREDIENT_CUBE, d.ingredients),
            (DIAGNOSIS_CUBE, case.diagnosis_codes),
        )
        for cube, values in anchors:
            if not values:
                continue
            # DIMENSIONS["OutcomeTally"]: cube, anchor (varying), year, category, treatment_class
            _add_counts(
                self._group(("OutcomeTally", cube, case.year, d.category, d.treatment_class)), values, counts
            )

    def _cases(self, case: CaseFacts, sign: int) -> None:
        # COUNTERS["CaseTally"], in order
        counts = (sign, sign * (case.age is not None), sign * case.dated)
        for cube, values in ((BASE_CUBE, ("",)), (DIAGNOSIS_CUBE, case.diagnosis_codes)):
            # DIMENSIONS["CaseTally"]: cube, anchor (varying), year
            _add_counts(self._group(("CaseTally", cube, case.year)), values, counts)

    def _reasons(self, case: CaseFacts, d: DecisionFacts, sign: int) -> None:
        for reason in d.reasons:
            for cube, values in ((TREATMENT_CUBE, (d.treatment,)), (DIAGNOSIS_CUBE, case.diagnosis_codes)):
                if not values:
                    continue
                # DIMENSIONS["ReasonTally"]: reason, cube, anchor (varying), category, treatment_class
                group = self._group(("ReasonTally", reason, cube, d.category, d.treatment_class))
                for anchor in values:
                    group[anchor] = group.get(anchor, 0) + sign

    def cells(self) -> dict[tuple[str, tuple[Any, ...]], tuple[int, ...]]:
        """Every cell: (label, dimension values in DIMENSIONS order) -> counter values in COUNTERS order."""
        out: dict[tuple[str, tuple[Any, ...]], tuple[int, ...]] = {}
        for (label, *rest), group in self.groups.items():
            at = _VARYING[label]
            for value, counts in group.items():
                dims = (*rest[:at], value, *rest[at:])
                out[(label, dims)] = tuple(counts) if isinstance(counts, list) else (counts,)
        return out

    def rows(self) -> dict[str, list[dict[str, Any]]]:
        """Non-zero deltas per label, in key order (so concurrent loaders lock cells in one order and
        cannot deadlock on them): the rows of the increment queries and of the bulk CSV files."""
        out: dict[str, list[dict[str, Any]]] = {label: [] for label in LABELS}
        names = {label: (*DIMENSIONS[label], *COUNTERS[label]) for label in LABELS}
        for (label, dims), counts in self.cells().items():
            if any(counts):
                row = dict(zip(names[label], (*dims, *counts), strict=True))
                if "voices" in row:
                    row["voices"] = list(row["voices"])
                out[label].append({"key": cell_key(label, dims), **row})
        for rows in out.values():
            rows.sort(key=lambda r: str(r["key"]))
        return out


def _add_counts(group: dict[str, Any], anchors: tuple[str, ...], counts: tuple[int, ...]) -> None:
    """Several counters added to the cell of each anchor of a group (a new cell starts at them)."""
    for anchor in anchors:
        cell = group.get(anchor)
        if cell is None:
            group[anchor] = list(counts)
        else:
            for i, value in enumerate(counts):
                cell[i] += value


# json.dumps builds an encoder per call; the same settings, built once.
_CELL_JSON = json.JSONEncoder(separators=(",", ":"))


def cell_key(label: str, dims: tuple[Any, ...]) -> str:
    """A short stable key (the index holds it for every cell): a hash of the dimension values."""
    text = _CELL_JSON.encode([label, *dims])
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


# The tally journal (load/tally_journal.py): a batch's signed facts, stored with its letters in one
# transaction and added to the cells later, many batches at once. Facts, not cells: a letter's facts
# are a few hundred bytes against its hundred-odd cells, and the cells are summed once, at the fold.
# Each fact is written as the list of its fields' values, in declaration order.
_JOURNAL_JSON = json.JSONEncoder(
    separators=(",", ":"), default=lambda facts: [getattr(facts, f.name) for f in fields(facts)]
)
_CASE_FIELDS = tuple(f.name for f in fields(CaseFacts))


def journal_blob(signed: Iterable[tuple[int, CaseFacts]]) -> bytes:
    """Signed facts (+1 for a letter written, -1 for one taken away) as compressed JSON."""
    return zlib.compress(_JOURNAL_JSON.encode(list(signed)).encode(), 1)


def journal_facts(blob: bytes) -> list[tuple[int, CaseFacts]]:
    """The signed facts of `journal_blob`, as they were (JSON's lists back to tuples)."""
    out = []
    for sign, values in json.loads(zlib.decompress(blob)):
        case = dict(zip(_CASE_FIELDS, map(_frozen, values), strict=True))
        case["decisions"] = tuple(DecisionFacts(*d) for d in case["decisions"])
        out.append((sign, CaseFacts(**case)))
    return out


def _frozen(value: Any) -> Any:
    return tuple(map(_frozen, value)) if isinstance(value, list) else value
