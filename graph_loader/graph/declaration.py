"""The graph's shape, declared once: every label (key, typed properties) and relationship type.

Constraints and indexes, the `UNWIND` write queries and the bulk importer's CSV headers
(statements.py) and the tables in docs/graph-model.md (docs.py, `python -m graph_loader.graph.docs`)
are generated from this module; the row builder in rows.py is checked against it by a unit test. Adding a property is one edit
here plus the value in rows.py.

Scope decides how a type is written. `letter` types belong to one letter: a changed letter loses
them and gets new ones, so they are created. `shared` types (a treatment, a diagnosis, a guideline)
are referenced by many letters: merged once, first values kept. `tally` types are the loader's
pre-aggregated counts (graph_loader/graph/tallies.py): incremented and decremented per letter, never written
from a letter's rows. The `dataset` type is the one node a finished load writes about the whole graph
(rows.dataset_row): rewritten by every load, never by a letter. `journal` types are the incremental
loader's bookkeeping (graph_loader/load/tally_journal.py): what each batch adds to the tallies, kept
until it is folded into them; a finished load leaves none.
"""

from __future__ import annotations

from graph_loader.graph.embedding import DIMENSIONS as EMBEDDING_DIMENSIONS
from graph_loader.graph.schema_types import (
    FulltextIndex,
    GraphSchema,
    NodeType,
    Prop,
    PropType,
    RelType,
    VectorIndex,
)

S = Prop  # a string property
# The tallies' cells (graph_loader/graph/tallies.py computes them): dimensions, then counters.
TALLY_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "SectionTally": ("dx", "level", "target", "voices", "outcome", "year"),
    "OutcomeTally": ("cube", "anchor", "year", "category", "treatment_class"),
    "ReasonTally": ("reason", "cube", "anchor", "category", "treatment_class"),
    "CaseTally": ("cube", "anchor", "year"),
}
TALLY_COUNTERS: dict[str, tuple[str, ...]] = {
    "SectionTally": ("decisions",),
    "OutcomeTally": (
        "decisions",
        "upheld",
        "overturned",
        "estimated_years",
        "age_sum",
        "age_n",
        "quantity_sum",
        "quantity_n",
        "days_sum",
        "days_n",
    ),
    "ReasonTally": ("decisions",),
    # with_*: the cases that have the sort key, so a page knows whether its key has nulls to place.
    "CaseTally": ("cases", "with_age", "with_decision_date"),
}
_TALLY_DIM_TYPES: dict[str, PropType] = {"year": "long", "voices": "string[]"}
SPAN = Prop("span", "long[]", "[start, end) offsets into `Case.text` of the supporting sentence")
LETTER = Prop("letter_id", doc="the letter the fact comes from")
DATASET_KEY = "current"

GRAPH = GraphSchema(
    nodes=(
        NodeType(
            "Case",
            Prop("letter_id", doc="case number, or `sha256:` of the text when there is none"),
            "letter",
            "One IMR Final Determination Letter.",
            props=(
                S("content_hash", doc="SHA-256 of the letter's text: an unchanged letter is not rewritten"),
                S("case_number"),
                S("source", doc="the file it was read from"),
                S("layout", doc="which letter layout the parser recognized"),
                S("decision_date"),
                S(
                    "decision_date_order",
                    doc="decision_date, then letter_id (`~` first when there is no date): sorts as "
                    "decision_date does, nulls where Cypher puts them, one value per case, so a page in date "
                    "order reads its index in order",
                ),
                S("injury_date"),
                S("ur_decision_date"),
                S("date_assigned"),
                Prop("year", "long", "the decision's year: printed, or estimated (see year_source)"),
                S("year_source", doc="decision_date, or estimated from the latest dated event of the letter"),
                Prop("age", "long"),
                S("age_band"),
                S("sex"),
                Prop("warnings", "string[]"),
                Prop(
                    "diagnosis_codes",
                    "string[]",
                    "every code of its stated diagnoses and of their ancestors, so a filter on M54 is a "
                    "list lookup; rule-outs, history and findings are not counted",
                ),
                Prop(
                    "uncertain_diagnosis_codes",
                    "string[]",
                    "the codes only its rule-out, history or finding diagnoses give (includeUncertain)",
                ),
                Prop("graph_model", "long", "the loader's model version; a newer loader rewrites the letter"),
                Prop(
                    "embedding",
                    "double[]",
                    "feature-hashed diagnoses, treatments and cited sections (graph_loader/graph/embedding.py), "
                    "for the similar-cases vector index",
                ),
                S("text", doc="the normalized letter text every span points into", multiline=True),
                Prop(
                    "superseded_sources",
                    "string[]",
                    "the sources of the letters this case replaced: the same letter re-posted or edited, "
                    "older than its own (graph_loader/load/near_duplicates.py); null when none",
                ),
            ),
            indexed=(
                "case_number",
                "year",
                "decision_date",
                "decision_date_order",
                "injury_date",
                "ur_decision_date",
                "age",
                # A diagnosis's cases by age walk one age at a time in letter id order (the tiebreak),
                # reading a few cases, not every case of the first age (nested_queries.CASES_OF_WALKED).
                ("age", "letter_id"),
                "graph_model",
            ),
        ),
        NodeType(
            "Decision",
            Prop("decision_id", doc="`letter_id#n`"),
            "letter",
            "One disputed item of a letter and its outcome.",
            props=(
                Prop("index", "long"),
                S("item"),
                S("outcome", doc="UPHELD (the denial stands) or OVERTURNED"),
                Prop("outcome_inferred", "boolean"),
                Prop("quantity", "long"),
                S("requested_item"),
                Prop("requested_quantity", "long"),
                S("authorized_item"),
                Prop("authorized_quantity", "long"),
                S("rationale"),
                Prop("year", "long"),
                Prop("item_span", "long[]", "[start, end) of the item's words in `Case.text`"),
                Prop("outcome_span", "long[]", "[start, end) of the printed outcome in `Case.text`"),
                S("treatment_class", doc='the class of this decision\'s treatment ("Opioids", "MRI")'),
                S("drug_strength", doc='drugs: "10/325 mg"'),
                S("drug_form", doc="drugs: tablet, capsule, patch, cream, ..."),
                S("drug_route", doc="drugs: oral, topical, transdermal, injectable, ..."),
                Prop("drug_compounded", "boolean", "drugs: a compounded preparation"),
                S("drug_brand", doc='drugs: the brand or product the item named ("norco")'),
                S(
                    "dwc_category",
                    doc="DWC's request category for this item (its search's row, from dwc-rows.jsonl beside the "
                    "letters), in the parsed category's vocabulary (PHARMACEUTICAL, SURGERY, ...) when it maps, "
                    "else as DWC prints it; null when no DWC row matched (graph_loader/load/dwc_labels.py)",
                ),
                S(
                    "dwc_subcategory",
                    doc='DWC\'s subcategory or drug for this item, as DWC prints it ("Opioids")',
                ),
                S(
                    "dwc_outcome",
                    doc="DWC's request decision: UPHELD, OVERTURNED or PARTIALLY_OVERTURNED (a partial overturn "
                    "is DWC's label only: a letter states each item upheld or overturned)",
                ),
            ),
            indexed=("outcome", "treatment_class", "quantity"),
        ),
        NodeType(
            "Treatment",
            Prop("name", doc='canonical: "Physical therapy", "MRI", ...'),
            "shared",
            "What was requested, named canonically.",
        ),
        NodeType(
            "TreatmentClass",
            Prop("name", doc='"Opioids", "NSAIDs", "MRI", "Epidural steroid injection", "Unclassified"'),
            "shared",
            "A class of treatments (graph_loader/data/treatments.json); drug classes follow the MTUS "
            "Chronic Pain guideline and DWC's IMR reports.",
            props=(S("subcategory"),),
            constraint="treatment_class_key",
        ),
        NodeType(
            "Ingredient",
            Prop("name", doc='generic, lower case: "hydrocodone", "acetaminophen"'),
            "shared",
            "A drug ingredient, from drug-named-entity-recognition's dictionary or the curated table.",
            props=(
                S("drugbank_id"),
                S("mesh_id", doc="the MeSH descriptor the dictionary gives (often the drug's class)"),
                S("medlineplus_id"),
            ),
        ),
        NodeType(
            "TreatmentCategory",
            Prop("name", doc="DWC's categories: PHARMACEUTICAL, PHYSICAL_MEDICINE, ..."),
            "shared",
            "DWC's IMR treatment category.",
            constraint="category_key",
        ),
        NodeType(
            "Specialty",
            Prop(
                "name",
                doc='canonical (graph_loader/data/specialties.json): "Physical Medicine and Rehabilitation"',
            ),
            "shared",
            "A reviewer's certification: an ABMS specialty or subspecialty, or a licensed profession.",
            props=(S("kind", doc="the vocabulary's kind of certification"),),
        ),
        NodeType("State", Prop("code", doc="USPS code"), "shared", "A state of the reviewer's licensure."),
        NodeType(
            "BodyRegion",
            Prop("name", doc="fixed vocabulary: lumbar spine, shoulder, knee, ..."),
            "shared",
            "A body region a decision concerns.",
            constraint="region_key",
        ),
        NodeType(
            "DenialReason",
            Prop("code", doc="NO_FUNCTIONAL_IMPROVEMENT, ..."),
            "shared",
            "A reason the reviewer gave for upholding a denial.",
            props=(S("description"), S("example", doc="a sentence of the kind that gives this reason")),
            constraint="reason_key",
        ),
        NodeType(
            "Diagnosis",
            Prop("code", doc="ICD-10-CM with dot: `M54.16`; blocks `M50-M54`; chapters `13`"),
            "shared",
            "An ICD-10-CM code; `IS_A` links it to its parent, up to the chapter.",
            props=(S("name"), S("level", doc="subcategory, category, block or chapter")),
        ),
        NodeType(
            "Guideline",
            Prop(
                "key",
                doc="`mtus-chronic-pain` (both editions), `mtus-low-back-2004`, `odg:low-back-lumbar-"
                "thoracic-acute-chronic` (an ODG chapter), `acoem:shoulder-disorders`, ...; "
                "`other:<title>` when unresolved",
            ),
            "shared",
            "A guideline document as researchers name it: an MTUS guideline (all its editions), an ODG "
            "or ACOEM chapter, or another source.",
            props=(
                S("family", doc="MTUS, ACOEM, ODG or OTHER"),
                S("title"),
                S("edition", doc="null for a document cited in several editions (see CITES.edition)"),
                S("chapter", doc="the ODG or ACOEM chapter this document is; the MTUS chapter number"),
                S("url"),
                Prop("resolved", "boolean", "false when the citation matched no catalog document"),
            ),
        ),
        NodeType(
            "GuidelineSection",
            Prop("key", doc="`<guideline key>#<chapter>#<section>`, `<guideline key>#p=<pages>`"),
            "shared",
            "One section of a guideline document (or, where the catalog has no table of contents for "
            "them, the pages or the chapter a citation names); a citation naming three sections points "
            "at three nodes.",
            props=(
                S("name", doc='canonical: "Physical medicine", "Opioids, criteria for use", "pp. 58-60"'),
                S("kind", doc="section, pages, chapter or document"),
                Prop("known", "boolean", "false for a section the document's table of contents lacks"),
                S("chapter", doc="ODG and ACOEM chapter"),
                Prop("pages", "long[]", "the section's pages in the document, where the catalog has them"),
                S("url", doc="with a page anchor where the document has one"),
                S(
                    "url_level",
                    doc="PAGE (an anchor at the section's page), SECTION (a page of its own) or DOCUMENT "
                    "(the document's link only: no deeper address is known)",
                ),
                S("guideline_key"),
            ),
            constraint="section_key",
        ),
        *(
            NodeType(
                label,
                Prop(
                    "key",
                    doc="a hash of the cell's label and dimension values (graph_loader/graph/tallies.py)",
                ),
                "tally",
                doc,
                props=(
                    *(Prop(d, _TALLY_DIM_TYPES.get(d, "string")) for d in TALLY_DIMENSIONS[label]),
                    *(Prop(c, "long") for c in TALLY_COUNTERS[label]),
                ),
                indexed=indexed,
            )
            for label, doc, indexed in (
                (
                    "SectionTally",
                    "Distinct decisions per diagnosis code (every level; `*` for any), guideline section "
                    "or guideline (`level`), the voices that cited it, outcome and year.",
                    ("dx",),
                ),
                (
                    "OutcomeTally",
                    "Decision counts and the sums behind averages per cube (`BASE`, or anchored by "
                    "treatment, specialty, state, ingredient or diagnosis code), year, category, class.",
                    ("cube", "anchor"),
                ),
                (
                    "ReasonTally",
                    "Distinct decisions per denial reason, cube (`TREATMENT` or `DIAGNOSIS`), anchor, "
                    "category and class.",
                    ("cube", "anchor"),
                ),
                (
                    "CaseTally",
                    "Cases (letters) per cube (`BASE`, or `DIAGNOSIS` anchored by a stated diagnosis code "
                    "at every level) and year, whether or not they have decisions, and how many of them "
                    "have an age and a decision date.",
                    ("cube", "anchor"),
                ),
            )
        ),
        NodeType(
            "TallyJournal",
            S("id", doc="a random id per batch"),
            "journal",
            "What one committed batch of the incremental loader adds to the tallies and takes away from "
            "them, written in the batch's transaction and deleted by the one that adds it to the cells. "
            "While any is left the API answers by traversal; a finished load leaves none.",
            props=(
                Prop("letters", "long", "the letters the batch wrote or took back"),
                Prop(
                    "facts", "byte[]", "their signed tally facts, zlib-compressed JSON (tallies.journal_blob)"
                ),
            ),
        ),
        NodeType(
            "TallyFold",
            S("name", doc="always `tallies`"),
            "journal",
            "Held by the transaction that folds journal nodes into the cells, and deleted by it: its "
            "unique key makes a second fold wait, so no batch is added twice. Never outlives it.",
        ),
        NodeType(
            "Dataset",
            Prop("key", doc=f"always `{DATASET_KEY}`: a graph holds one dataset"),
            "dataset",
            "Which letters the graph holds, written when a load finishes (either path) and removed when one "
            "starts, so an answer can name the data it came from (the API's `extensions.dataset`, the "
            "exports' manifest.json).",
            props=(
                S(
                    "id",
                    doc="SHA-256 over the parser version, the graph model and every case's content_hash in "
                    "sorted order: the same letters give the same id whichever path or order loaded them",
                ),
                Prop("letters", "long", "the cases in the graph"),
                Prop("decisions", "long", "the decisions in the graph"),
                S("loaded_at", doc="when the load finished, ISO 8601 UTC"),
                S("parser_version", doc="the imr-graph version that loaded the graph"),
                Prop("graph_model", "long", "the loader's model version (`Case.graph_model`)"),
            ),
        ),
    ),
    relationships=(
        RelType("HAS_DECISION", "Case", "Decision", "letter", "A letter's disputed items."),
        RelType("FOR_TREATMENT", "Decision", "Treatment", "letter", "What the decision is about."),
        RelType("IN_CATEGORY", "Treatment", "TreatmentCategory", "shared", "The treatment's DWC category."),
        RelType("IN_CLASS", "Treatment", "TreatmentClass", "shared", "The treatment's class."),
        RelType("OF_CATEGORY", "TreatmentClass", "TreatmentCategory", "shared", "The class's DWC category."),
        RelType(
            "INVOLVES_INGREDIENT", "Decision", "Ingredient", "letter", "Each drug ingredient the item names."
        ),
        RelType(
            "REVIEWER_SPECIALTY",
            "Case",
            "Specialty",
            "letter",
            "The reviewer's certification.",
            props=(S("printed", doc="as the letter prints it"),),
        ),
        RelType("REVIEWER_LICENSED_IN", "Case", "State", "letter", "The reviewer's licensure."),
        RelType(
            "HAS_DIAGNOSIS",
            "Case",
            "Diagnosis",
            "letter",
            "A diagnosis the letter states (or mentions, see `status`).",
            props=(
                S("text", doc="as written in the letter"),
                SPAN,
                S(
                    "status",
                    doc="stated, finding, history or rule_out; only `stated` selects the case in counts "
                    "unless a question sets includeUncertain",
                ),
                S("category", doc="the code's ICD-10-CM category (3 characters)"),
                LETTER,
            ),
        ),
        RelType("IS_A", "Diagnosis", "Diagnosis", "shared", "ICD-10-CM hierarchy, child to parent."),
        RelType("CONCERNS_REGION", "Decision", "BodyRegion", "letter", "Body regions of the item."),
        RelType(
            "CITES",
            "Decision",
            "GuidelineSection",
            "letter",
            "A guideline citation, with who cited it.",
            props=(
                S("by", doc="IMR_REVIEWER, CLAIMS_ADMINISTRATOR or RATIONALE"),
                S("section_key"),
                Prop("pages", "long[]", "the pages the citation names"),
                LETTER,
                SPAN,
                S("text", doc="the citation as printed"),
                S("edition", doc="the edition the citation names (`2016`, `2009`; ODG's year)"),
                Prop(
                    "unresolved",
                    "string[]",
                    "section names the citation gives that the document's table of contents lacks",
                ),
            ),
        ),
        RelType("PART_OF", "GuidelineSection", "Guideline", "shared", "The document a section is in."),
        RelType(
            "DENIED_BECAUSE",
            "Decision",
            "DenialReason",
            "letter",
            "Why the denial was upheld.",
            props=(LETTER, SPAN),
        ),
    ),
    fulltext=(FulltextIndex("rationale_fulltext", "Decision", ("rationale", "item")),),
    vector=(VectorIndex("case_embedding", "Case", "embedding", EMBEDDING_DIMENSIONS),),
)
