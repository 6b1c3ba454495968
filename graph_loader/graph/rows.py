"""Map parsed letters to the rows both graph writers take, shaped as graph/declaration.py declares. Pure."""

from __future__ import annotations

import hashlib
import importlib.metadata
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from graph_loader.graph.declaration import DATASET_KEY, GRAPH
from graph_loader.graph.embedding import embed
from graph_loader.models import Citation, Decision, Letter
from graph_loader.normalize.citations.sections import SectionTarget, document_of
from graph_loader.normalize.citations.sections import targets as section_targets
from graph_loader.normalize.diagnoses import icd_index
from graph_loader.normalize.reasons.rules import DESCRIPTIONS, EXAMPLES
from graph_loader.normalize.specialties import describe as describe_specialty

Row = dict[str, Any]

# Bumped whenever what the loader writes for a letter changes (2: Case.diagnosis_codes; 3: one section
# node per section a citation names, canonical specialties, estimated years, treatment classes and
# drug ingredients; 4: denial reasons from the rationale's structure; 5: the letter's counts in the
# pre-aggregated tallies and its vector; 6: vectors of unit length with the dot product kept; 7: the
# case's decision_date_order; 8: documents as researchers name them - ODG and ACOEM chapters, one
# document per guideline across editions, unresolved section text on the citation; 9: the case in the
# CaseTally cells), so a re-load
# rewrites letters loaded by an older version even though their text is unchanged.
GRAPH_MODEL_VERSION = 9


@dataclass
class LetterRows:
    """One letter's rows: per label and per relationship type (as declared), each row holding
    the key (nodes) or `src`/`dst` (relationships) and every declared property."""

    letter_id: str
    content_hash: str
    nodes: dict[str, list[Row]] = field(default_factory=lambda: {n.label: [] for n in GRAPH.nodes})
    relationships: dict[str, list[Row]] = field(
        default_factory=lambda: {r.type: [] for r in GRAPH.relationships}
    )

    def node(self, label: str, /, **row: Any) -> None:
        self.nodes[label].append(row)

    def rel(self, rel_type: str, src: Any, dst: Any, /, **props: Any) -> None:
        self.relationships[rel_type].append({"src": src, "dst": dst, **props})


@dataclass
class GraphRows:
    """Rows of several letters for one write: shared nodes and relationships once each."""

    nodes: dict[str, list[Row]]
    relationships: dict[str, list[Row]]

    @classmethod
    def combine(cls, letters: Iterable[LetterRows]) -> GraphRows:
        nodes: dict[str, dict[Any, Row] | list[Row]] = {}
        rels: dict[str, dict[Any, Row] | list[Row]] = {}
        for n in GRAPH.nodes:
            nodes[n.label] = {} if n.scope == "shared" else []
        for r in GRAPH.relationships:
            rels[r.type] = {} if r.scope == "shared" else []
        for lr in letters:
            for n in GRAPH.nodes:
                _extend(nodes[n.label], lr.nodes[n.label], (n.key.name,))
            for r in GRAPH.relationships:
                _extend(rels[r.type], lr.relationships[r.type], ("src", "dst"))
        return cls(
            nodes={k: v if isinstance(v, list) else list(v.values()) for k, v in nodes.items()},
            relationships={k: v if isinstance(v, list) else list(v.values()) for k, v in rels.items()},
        )


def _extend(into: dict[Any, Row] | list[Row], rows: list[Row], key: tuple[str, ...]) -> None:
    if isinstance(into, list):
        into.extend(rows)
        return
    # Shared: the first row for a key wins, as the graph's ON CREATE SET and the importer's first line do.
    for row in rows:
        into.setdefault(tuple(row[k] for k in key), row)


def age_band(age: int | None) -> str | None:
    if age is None:
        return None
    if age < 25:
        return "<25"
    if age >= 65:
        return "65+"
    low = (age // 10) * 10 if age >= 30 else 25
    return f"{low}-{low + 9 if low >= 30 else 29}"


def _level(code: str) -> str:
    if code.isdigit():
        return "chapter"
    if "-" in code:
        return "block"
    return "category" if len(code.replace(".", "")) == 3 else "subcategory"


@cache
def icd_chain(code: str) -> tuple[tuple[str, str, str], ...]:
    """(code, description, level) from the code up to its chapter: M54.16 -> M54.1 -> M54 -> block -> 13.
    Read from the prebuilt ICD-10-CM index, so loading never imports the whole code set."""
    idx = icd_index.index()
    plain = code.replace(".", "")
    if not idx.is_valid(plain):
        return ()
    codes = [plain, *idx.ancestors(plain)]
    if not codes[-1].isdigit():
        codes += _chapter_of(codes[-1])
    return tuple(
        (
            icd_index.add_dot(c) if _level(c) in ("category", "subcategory") else c,
            idx.description(c),
            _level(c),
        )
        for c in codes
    )


def _chapter_of(code: str) -> list[str]:
    """The chapter above a category whose block bears its own name (M99, T14; the index keeps only
    the category): read from simple-icd-10-cm, only for these few codes, without the block."""
    import simple_icd_10_cm as icd

    return [a for a in icd.get_ancestors(code) if a != code and (icd.is_chapter(a) or icd.is_block(a))]


# The diagnoses a count selects a case by: rule-outs ("possible radiculopathy"), history and findings
# are kept in the graph but counted only when a question asks for them (includeUncertain).
COUNTED_STATUS = "stated"


def _codes(letter: Letter, counted: bool) -> set[str]:
    return {
        code
        for dx in letter.diagnoses
        if dx.icd10 and (dx.status == COUNTED_STATUS) == counted
        for code, _, _ in icd_chain(dx.icd10)
    }


def diagnosis_codes(letter: Letter) -> list[str] | None:
    """Every ICD-10-CM code of the letter's stated diagnoses and of their ancestors, for fast filters."""
    return sorted(_codes(letter, True)) or None


def uncertain_diagnosis_codes(letter: Letter) -> list[str] | None:
    """The codes (with ancestors) only rule-outs, history or findings give, for includeUncertain."""
    return sorted(_codes(letter, False) - _codes(letter, True)) or None


def case_embedding(
    letter: Letter, sections: list[list[list[SectionTarget]]] | None = None
) -> list[float] | None:
    """The features the exact similar-cases score counts: each diagnosis's category, each decision's
    treatment, each citation's sections (`sections`, per decision and citation, when the caller has
    them already)."""
    if sections is None:
        sections = [[section_targets(c) for c in d.citations] for d in letter.decisions]
    features: list[tuple[str, str]] = []
    for dx in letter.diagnoses:
        chain = icd_chain(dx.icd10) if dx.icd10 else ()
        category = next((c for c, _, level in chain if level == "category"), None)
        if category:
            features.append(("dx", category))
    for d, cited in zip(letter.decisions, sections, strict=True):
        features.append(("treatment", d.treatment.name))
        features += [("section", s.key) for targets in cited for s in targets]
    return embed(features)


def decision_date_order(decision_date: str | None, letter_id: str) -> str:
    """The sort key of a case in date order. Cypher puts nulls last ascending and first descending;
    `~` sorts after every ISO date, so it does the same. The letter id makes each key unique, so a
    page never has to read a whole block of equal dates to order it."""
    return f"{decision_date or '~'} {letter_id}"


def letter_rows(letter: Letter, *, keep_text: bool = True) -> LetterRows:
    """Every node and relationship one letter contributes, shared ones included."""
    lid = letter.letter_id
    out = LetterRows(letter_id=lid, content_hash=letter.content_hash)
    year = letter.year
    # Per decision and citation, the sections it names: for the embedding and for the rows.
    sections = [[section_targets(c) for c in d.citations] for d in letter.decisions]
    out.node(
        "Case",
        letter_id=lid,
        content_hash=letter.content_hash,
        case_number=letter.case_number,
        source=letter.source,
        layout=letter.layout,
        decision_date=letter.decision_date,
        decision_date_order=decision_date_order(letter.decision_date, lid),
        injury_date=letter.injury_date,
        ur_decision_date=letter.ur_decision_date,
        date_assigned=letter.date_assigned,
        year=year,
        year_source=letter.year_source,
        age=letter.patient.age,
        age_band=age_band(letter.patient.age),
        sex=letter.patient.sex,
        # No empty lists in the graph: the bulk importer cannot write them, so neither do we.
        warnings=letter.warnings or None,
        diagnosis_codes=diagnosis_codes(letter),
        uncertain_diagnosis_codes=uncertain_diagnosis_codes(letter),
        graph_model=GRAPH_MODEL_VERSION,
        embedding=case_embedding(letter, sections),
        text=letter.text if keep_text else None,
        # Which letters this case replaced is known only to a load (graph_loader/load/one_case.py).
        superseded_sources=None,
    )
    printed: dict[str, str] = {}
    for cert in letter.reviewer.certifications:
        if cert.specialty:
            printed.setdefault(cert.specialty, cert.printed)
    for name in dict.fromkeys(letter.reviewer.specialties):
        entry = describe_specialty(name)
        out.node("Specialty", name=name, kind=entry.kind if entry else None)
        out.rel("REVIEWER_SPECIALTY", lid, name, printed=printed.get(name, name))
    for code in letter.reviewer.licensure_states:
        out.node("State", code=code)
        out.rel("REVIEWER_LICENSED_IN", lid, code)
    for dx in letter.diagnoses:
        chain = icd_chain(dx.icd10) if dx.icd10 else ()
        if not chain:
            continue
        for code, name, level in chain:
            out.node("Diagnosis", code=code, name=name, level=level)
        for (child, _, _), (parent, _, _) in itertools.pairwise(chain):
            out.rel("IS_A", child, parent)
        out.rel(
            "HAS_DIAGNOSIS",
            lid,
            chain[0][0],
            text=dx.text,
            span=list(dx.span),
            status=dx.status,
            category=next((c for c, _, level in chain if level == "category"), None),
            letter_id=lid,
        )
    for i, (d, cited) in enumerate(zip(letter.decisions, sections, strict=True), start=1):
        did = f"{lid}#{i}"
        out.node(
            "Decision",
            decision_id=did,
            index=i,
            item=d.item,
            outcome=d.outcome.value if d.outcome else None,
            outcome_inferred=d.outcome_inferred,
            quantity=d.quantity,
            requested_item=d.requested_item,
            requested_quantity=d.requested_quantity,
            authorized_item=d.authorized_item,
            authorized_quantity=d.authorized_quantity,
            rationale=d.rationale,
            year=year,
            item_span=list(d.spans.item),
            outcome_span=list(d.spans.outcome) if d.spans.outcome else None,
            treatment_class=d.treatment.treatment_class or UNCLASSIFIED,
            drug_strength=d.treatment.drug.strength if d.treatment.drug else None,
            drug_form=d.treatment.drug.form if d.treatment.drug else None,
            drug_route=d.treatment.drug.route if d.treatment.drug else None,
            drug_compounded=d.treatment.drug.compounded if d.treatment.drug else None,
            drug_brand=d.treatment.drug.brand if d.treatment.drug else None,
            # DWC's labels come from dwc-rows.jsonl, not the letter: the load sets them after the letters
            # are written (graph_loader/load/dwc_labels.py).
            dwc_category=None,
            dwc_subcategory=None,
            dwc_outcome=None,
        )
        out.rel("HAS_DECISION", lid, did)
        _treatment_rows(out, d, did)
        for region in d.body_regions:
            out.node("BodyRegion", name=region)
            out.rel("CONCERNS_REGION", did, region)
        for c, targets in zip(d.citations, cited, strict=True):
            _citation_rows(out, c, targets, did)
        for r in d.denial_reasons:
            out.node(
                "DenialReason",
                code=r.code,
                description=DESCRIPTIONS.get(r.code, r.code),
                example=EXAMPLES.get(r.code),
            )
            out.rel("DENIED_BECAUSE", did, r.code, letter_id=lid, span=list(r.span))
    return out


# The class of a treatment the vocabulary does not know, so every treatment has a class.
UNCLASSIFIED = "Unclassified"


def _treatment_rows(out: LetterRows, d: Decision, did: str) -> None:
    t = d.treatment
    name, category, cls = t.name, t.category.value, t.treatment_class or UNCLASSIFIED
    out.node("Treatment", name=name)
    out.node("TreatmentClass", name=cls, subcategory=t.subcategory)
    out.node("TreatmentCategory", name=category)
    out.rel("IN_CLASS", name, cls)
    out.rel("OF_CATEGORY", cls, category)
    out.rel("IN_CATEGORY", name, category)
    out.rel("FOR_TREATMENT", did, name)
    if t.drug:
        for ingredient in dict.fromkeys(t.drug.ingredients):
            ids = t.drug.ids.get(ingredient, {})
            out.node(
                "Ingredient",
                name=ingredient,
                drugbank_id=ids.get("drugbank"),
                mesh_id=ids.get("mesh"),
                medlineplus_id=ids.get("medlineplus"),
            )
            out.rel("INVOLVES_INGREDIENT", did, ingredient)


def _citation_rows(out: LetterRows, c: Citation, targets: list[SectionTarget], did: str) -> None:
    doc = document_of(c)
    g = doc.key
    out.node(
        "Guideline",
        key=g,
        family=doc.family,
        title=doc.title,
        edition=doc.edition,
        chapter=doc.chapter,
        url=doc.url,
        resolved=doc.resolved,
    )
    for s in targets:
        out.node(
            "GuidelineSection",
            key=s.key,
            name=s.name,
            kind=s.kind,
            known=s.known,
            chapter=s.chapter,
            pages=s.pages,
            url=s.url,
            url_level=s.url_level(doc.url),
            guideline_key=g,
        )
        out.rel("PART_OF", s.key, g)
        out.rel(
            "CITES",
            did,
            s.key,
            by=c.by.value,
            section_key=s.key,
            pages=c.pages or None,
            letter_id=out.letter_id,
            span=list(c.span),
            text=c.text,
            edition=c.edition,
            unresolved=c.unknown_sections or None,
        )


def batch_rows(letters: Iterable[Letter], *, keep_text: bool = True) -> list[LetterRows]:
    return [letter_rows(letter, keep_text=keep_text) for letter in letters]


# ---- the Dataset node: which letters a graph (or an export) holds ------------------------------------

# The dataset block's keys (the API's `extensions.dataset`, manifest.json) per Dataset property.
DATASET_BLOCK = {
    "id": "id",
    "letters": "letters",
    "decisions": "decisions",
    "loadedAt": "loaded_at",
    "parserVersion": "parser_version",
    "graphModel": "graph_model",
}


def parser_version() -> str:
    """The installed imr-graph's version: what read the letters, beside GRAPH_MODEL_VERSION."""
    return importlib.metadata.version("imr-graph")


def dataset_id(sorted_hashes: Iterable[str], *, version: str, graph_model: int = GRAPH_MODEL_VERSION) -> str:
    """SHA-256 (hex) over a header naming the parser version and graph model, then each letter's
    content hash on its own line, in ascending order. Sorted, so the order the letters were loaded or
    exported in makes no difference; the caller sorts (Cypher's ORDER BY, or `sorted`), so a graph's
    hashes stream through here without being held."""
    digest = hashlib.sha256(f"imr-graph dataset 1\nparser {version}\ngraph_model {graph_model}\n".encode())
    previous = ""
    for h in sorted_hashes:
        if h < previous:
            raise ValueError("dataset_id takes the content hashes in ascending order")
        digest.update(h.encode() + b"\n")
        previous = h
    return digest.hexdigest()


def dataset_row(
    sorted_hashes: Iterable[str], *, decisions: int, loaded_at: str | None, version: str | None = None
) -> Row:
    """The Dataset node's row (declaration.py) for letters with these content hashes, in ascending order."""
    letters = 0

    def counted() -> Iterable[str]:
        nonlocal letters
        for h in sorted_hashes:
            letters += 1
            yield h

    version = version or parser_version()
    identity = dataset_id(counted(), version=version)
    return {
        "key": DATASET_KEY,
        "id": identity,
        "letters": letters,
        "decisions": decisions,
        "loaded_at": loaded_at,
        "parser_version": version,
        "graph_model": GRAPH_MODEL_VERSION,
    }


def dataset_block(row: Row | None) -> dict[str, Any] | None:
    """A Dataset row as the block answers and manifests carry (camelCase); None for no dataset."""
    return None if row is None else {name: row.get(prop) for name, prop in DATASET_BLOCK.items()}
