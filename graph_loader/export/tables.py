"""The tables `imr-graph export` writes, declared once: each table's name, grain and columns with their
Arrow type and meaning.

The Parquet and CSV writers (files.py), both sources (from_rows.py from JSON Lines, from_graph.py
from Neo4j, whose queries a unit test checks against these columns), the table in
docs/exports.md (`python -m graph_loader.export.tables --write docs/exports.md`) and the tests derive
from this module. Column names are a public contract like the parse contract's fields: add columns
freely, never rename or retype one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import pyarrow as pa

ColumnType = Literal["string", "int32", "int64", "bool", "date32", "list<string>", "list<int32>"]

# CSV has no lists: a list cell is its items joined with this (the bulk importer's delimiter too).
CSV_LIST_DELIMITER = "|"


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    doc: str
    # The declared graph property (graph_loader/graph/declaration.py) the column holds as stored,
    # `Label.property` or `REL_TYPE.property`: from_rows.py copies these generically, and a unit test
    # checks from_graph.py's queries read them. Empty for a column the sources compute (from the
    # graph's structure, several properties, or a relationship's end).
    source: str = ""

    @property
    def is_list(self) -> bool:
        return self.type.startswith("list<")

    @property
    def owner(self) -> str:
        """The label or relationship type of `source`."""
        return self.source.partition(".")[0]

    @property
    def prop(self) -> str:
        """The property of `source`."""
        return self.source.partition(".")[2]


@dataclass(frozen=True)
class Table:
    name: str
    # What one row is.
    grain: str
    # The columns that join it to the other tables (the first identifies a row of cases, decisions
    # and treatments).
    joins: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


C = Column


def copy(source: str, type: ColumnType, doc: str, name: str = "") -> Column:
    """A column holding the declared property `source` as stored, named as the property unless `name`."""
    return Column(name or source.partition(".")[2], type, doc, source)


LETTER_ID = C("letter_id", "string", "the letter (`cases.letter_id`)")
DECISION_ID = C("decision_id", "string", "the decision (`decisions.decision_id`)")
SPAN_START = C(
    "span_start", "int32", "where the supporting sentence starts in the letter's text (`cases.text`)"
)
SPAN_END = C("span_end", "int32", "where it ends (exclusive)")

TABLES: tuple[Table, ...] = (
    Table(
        "cases",
        "one IMR Final Determination Letter",
        ("letter_id",),
        (
            copy(
                "Case.letter_id",
                "string",
                "the case number, or `sha256:` of the text when the letter has none",
            ),
            copy("Case.case_number", "string", "as printed (CM13-0012345)"),
            copy("Case.source", "string", "the file the letter was read from"),
            copy(
                "Case.layout",
                "string",
                "the letter layout the parser recognized (header-2016, body-2014, ...)",
            ),
            copy("Case.content_hash", "string", "SHA-256 of the letter's normalized text"),
            copy("Case.decision_date", "date32", "the date of the IMR decision, when printed"),
            copy("Case.injury_date", "date32", "the date of injury"),
            copy("Case.ur_decision_date", "date32", "the date of the utilization review decision"),
            copy("Case.date_assigned", "date32", "the date the case was assigned to the reviewer"),
            copy("Case.year", "int32", "the decision's year: printed, or estimated (see `year_source`)"),
            copy("Case.year_source", "string", "`decision_date`, or `estimated` from the latest dated event"),
            copy("Case.age", "int32", "the injured worker's age"),
            copy("Case.age_band", "string", "<25, 25-29, 30-39, ..., 65+"),
            copy("Case.sex", "string", "male or female, as the letter states it"),
            C(
                "reviewer_specialties",
                "list<string>",
                "the reviewer's certifications, canonical names, sorted",
            ),
            C(
                "reviewer_states",
                "list<string>",
                "the states of the reviewer's licensure (USPS codes), sorted",
            ),
            C("decision_count", "int32", "rows of `decisions` for this letter"),
            C("warnings", "list<string>", "what the parser could not read or had to estimate, in order"),
            C("text", "string", "the normalized letter text every span points into; only with `--text`"),
        ),
    ),
    Table(
        "decisions",
        "one disputed item of a letter and its outcome",
        ("decision_id", "letter_id"),
        (
            copy("Decision.decision_id", "string", "`letter_id#n`"),
            LETTER_ID,
            copy("Decision.index", "int32", "n: the item's place in the letter, from 1", "decision_index"),
            copy("Decision.item", "string", "the item as the letter names it"),
            copy(
                "Decision.outcome", "string", "UPHELD (the denial stands) or OVERTURNED; null when not found"
            ),
            copy(
                "Decision.outcome_inferred", "bool", "true when the outcome was inferred rather than printed"
            ),
            copy(
                "Decision.quantity",
                "int64",
                "the number of sessions, visits or units of the IMR-eligible item",
            ),
            copy("Decision.requested_item", "string", "partly authorized requests: what was requested"),
            copy(
                "Decision.requested_quantity", "int64", "partly authorized requests: the quantity requested"
            ),
            copy("Decision.authorized_item", "string", "partly authorized requests: what UR authorized"),
            copy(
                "Decision.authorized_quantity",
                "int64",
                "partly authorized requests: the quantity UR authorized",
            ),
            C("treatment", "string", "the canonical treatment (`treatments.treatment`)"),
            copy(
                "Decision.treatment_class",
                "string",
                "its class (`treatments.treatment_class`): Opioids, MRI, ...",
            ),
            C("treatment_category", "string", "DWC's category: PHARMACEUTICAL, PHYSICAL_MEDICINE, ..."),
            C("body_regions", "list<string>", "the body regions the item concerns, sorted"),
            C("ingredients", "list<string>", "drugs: generic ingredients, lower case, sorted"),
            copy("Decision.drug_strength", "string", 'drugs: "10/325 mg"'),
            copy("Decision.drug_form", "string", "drugs: tablet, capsule, patch, cream, ..."),
            copy("Decision.drug_route", "string", "drugs: oral, topical, transdermal, injectable, ..."),
            copy("Decision.drug_compounded", "bool", "drugs: a compounded preparation (null for non-drugs)"),
            copy("Decision.drug_brand", "string", 'drugs: the brand or product the item named ("norco")'),
            copy("Decision.year", "int32", "the letter's year (`cases.year`)"),
            copy("Decision.rationale", "string", "the reviewer's rationale for this item"),
            copy(
                "Decision.dwc_category",
                "string",
                "DWC's category of the request (dwc-rows.jsonl at load; null from letter files alone)",
            ),
            copy("Decision.dwc_subcategory", "string", "DWC's subcategory or drug of the request"),
            copy(
                "Decision.dwc_outcome", "string", "DWC's decision: UPHELD, OVERTURNED or PARTIALLY_OVERTURNED"
            ),
        ),
    ),
    Table(
        "diagnoses",
        "one coded diagnosis a letter states or mentions (mentions without an ICD-10-CM code are not in "
        "the graph, so not here)",
        ("letter_id", "icd10"),
        (
            LETTER_ID,
            C("icd10", "string", "ICD-10-CM code with dot, as specific as the text allows (M51.16)"),
            copy("Diagnosis.name", "string", "the code's ICD-10-CM description", "description"),
            copy("HAS_DIAGNOSIS.text", "string", "the diagnosis as written in the letter"),
            copy("HAS_DIAGNOSIS.status", "string", "stated, finding, history or rule_out"),
            copy("HAS_DIAGNOSIS.category", "string", "the code's 3-character ICD-10-CM category (M51)"),
            C("block", "string", "the ICD-10-CM block above it (M50-M54); null for categories without one"),
            C("chapter", "string", "the ICD-10-CM chapter number (13)"),
            C("chapter_description", "string", "the chapter's title"),
            SPAN_START,
            SPAN_END,
        ),
    ),
    Table(
        "citations",
        "one guideline section a decision's citation names, with who cited it (a citation naming "
        "three sections is three rows with the same `text` and span)",
        ("decision_id", "letter_id", "section_key", "cited_by"),
        (
            DECISION_ID,
            LETTER_ID,
            copy("CITES.by", "string", "IMR_REVIEWER, CLAIMS_ADMINISTRATOR or RATIONALE", "cited_by"),
            C("section_key", "string", "`<guideline key>#<chapter>#<section>`, `<guideline key>#p=<pages>`"),
            copy(
                "GuidelineSection.name",
                "string",
                'canonical: "Opioids, criteria for use", "pp. 58-60"',
                "section_name",
            ),
            copy("GuidelineSection.kind", "string", "section, pages, chapter or document", "section_kind"),
            copy(
                "GuidelineSection.known",
                "bool",
                "false for a section the document's table of contents lacks",
                "section_known",
            ),
            copy("GuidelineSection.chapter", "string", "ODG and ACOEM chapter of the section"),
            copy(
                "GuidelineSection.guideline_key",
                "string",
                "`mtus-chronic-pain`, `odg:pain-chronic`, ...; `other:<title>` unresolved",
            ),
            copy("Guideline.family", "string", "MTUS, ACOEM, ODG or OTHER", "guideline_family"),
            copy("Guideline.title", "string", "the guideline document's title", "guideline_title"),
            copy(
                "Guideline.edition",
                "string",
                "its edition; null for a document cited in several editions (see `edition`)",
                "guideline_edition",
            ),
            copy(
                "Guideline.chapter",
                "string",
                "the ODG or ACOEM chapter the document is, or the MTUS chapter number",
                "guideline_chapter",
            ),
            copy("CITES.edition", "string", "the edition the citation names, as printed"),
            copy(
                "CITES.unresolved",
                "list<string>",
                "section names the citation gives that the document's table of contents lacks",
            ),
            C("pages", "list<int32>", "the pages the citation names, in order"),
            copy("CITES.text", "string", "the citation as printed"),
            SPAN_START,
            SPAN_END,
        ),
    ),
    Table(
        "denial_reasons",
        "one reason the reviewer gave for upholding a decision's denial",
        ("decision_id", "letter_id", "reason_code"),
        (
            DECISION_ID,
            LETTER_ID,
            C("reason_code", "string", "NO_FUNCTIONAL_IMPROVEMENT, EXCEEDS_GUIDELINE_LIMITS, ..."),
            copy("DenialReason.description", "string", "what the code means"),
            SPAN_START,
            SPAN_END,
        ),
    ),
    Table(
        "treatments",
        "one canonical treatment in one class, over every letter exported",
        ("treatment", "treatment_class"),
        (
            C("treatment", "string", 'canonical: "Physical therapy", "hydrocodone/acetaminophen"'),
            C("treatment_class", "string", "its class: Opioids, MRI, ...; Unclassified for unknown items"),
            C("treatment_category", "string", "DWC's category"),
            copy("TreatmentClass.subcategory", "string", "the class's subcategory"),
            C("ingredients", "list<string>", "every ingredient a decision for the treatment names, sorted"),
            C("decision_count", "int64", "rows of `decisions` with this treatment (any class)"),
        ),
    ),
)

# Declared Case and Decision properties no table holds, and why; the export's graph queries read
# every other one (tests/unit/test_declared_once.py checks both ways).
NOT_EXPORTED: dict[str, frozenset[str]] = {
    "Case": frozenset(
        {
            "decision_date_order",  # the API's sort key, decision_date and letter_id joined
            "diagnosis_codes",  # the diagnoses table holds each code with its block and chapter
            "uncertain_diagnosis_codes",  # the same, with each diagnosis's status
            "graph_model",  # the loader's model version
            "embedding",  # the similar-cases vector, meaningful only to the graph's index
            "superseded_sources",  # the data-quality listing's (cypher/near_duplicate_letters.cypher)
        }
    ),
    # The item's and the outcome's places in `cases.text`; the decisions table has no span columns.
    "Decision": frozenset({"item_span", "outcome_span"}),
}


def table(name: str) -> Table:
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(name)


# ---- Arrow ------------------------------------------------------------------------------------------


def arrow_type(column: Column, *, csv: bool = False) -> pa.DataType:
    """The column's Arrow type; for CSV, lists are strings (items joined with CSV_LIST_DELIMITER)."""
    import pyarrow as pa

    if csv and column.is_list:
        return pa.string()
    types: dict[str, Any] = {
        "string": pa.string(),
        "int32": pa.int32(),
        "int64": pa.int64(),
        "bool": pa.bool_(),
        "date32": pa.date32(),
        "list<string>": pa.list_(pa.string()),
        "list<int32>": pa.list_(pa.int32()),
    }
    result: pa.DataType = types[column.type]
    return result


def arrow_schema(t: Table, *, csv: bool = False) -> pa.Schema:
    """The table's schema; each field carries its description (Parquet keeps it as field metadata)."""
    import pyarrow as pa

    fields = [
        pa.field(c.name, arrow_type(c, csv=csv), nullable=True, metadata={"description": c.doc})
        for c in t.columns
    ]
    return pa.schema(fields, metadata={"table": t.name, "grain": t.grain, "producer": "imr-graph export"})


# ---- docs -------------------------------------------------------------------------------------------

DOC_BEGIN = "<!-- generated by `python -m graph_loader.export.tables`: begin -->"
DOC_END = "<!-- generated: end -->"


def markdown() -> str:
    lines = [DOC_BEGIN, ""]
    for t in TABLES:
        keys = ", ".join(f"`{k}`" for k in t.joins)
        lines += [
            f"### `{t.name}`",
            "",
            f"One row: {t.grain}. Joins on {keys}.",
            "",
            "| column | type | meaning |",
            "| --- | --- | --- |",
        ]
        lines += [f"| `{c.name}` | {c.type} | {c.doc.replace('|', '&#124;')} |" for c in t.columns]
        lines.append("")
    lines.append(DOC_END)
    return "\n".join(lines)


def rewrite_doc(path: Path) -> None:
    text = path.read_text()
    start, end = text.index(DOC_BEGIN), text.index(DOC_END) + len(DOC_END)
    path.write_text(text[:start] + markdown() + text[end:])


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        rewrite_doc(Path(sys.argv[2]))
    else:
        sys.stdout.write(markdown() + "\n")
