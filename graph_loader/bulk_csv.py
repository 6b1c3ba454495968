"""Map batches of rows to the CSV files `neo4j-admin database import full` reads.

The files describe exactly the graph the incremental loader builds (same labels, keys, properties and
relationships), so a bulk first load and an `UNWIND` load of the same letters are equal graphs. Shared
nodes are written once (their keys are kept in memory: thousands, not millions); per-letter rows stream
straight to disk, so memory stays flat whatever the corpus size.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph_loader.rows import GraphRows, Row

# Never in letter text after normalization; lets section names keep their ';' and ','.
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"

# name -> (label or type, header); start/end id spaces are the node labels.
NODE_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "cases": (
        "Case",
        (
            "letter_id:ID(Case)",
            "content_hash",
            "case_number",
            "source",
            "layout",
            "decision_date",
            "injury_date",
            "ur_decision_date",
            "date_assigned",
            "year:long",
            "age:long",
            "age_band",
            "sex",
            "warnings:string[]",
            "diagnosis_codes:string[]",
            "graph_model:long",
            "text",
        ),
    ),
    "decisions": (
        "Decision",
        (
            "decision_id:ID(Decision)",
            "index:long",
            "item",
            "outcome",
            "outcome_inferred:boolean",
            "quantity:long",
            "requested_item",
            "requested_quantity:long",
            "authorized_item",
            "authorized_quantity:long",
            "rationale",
            "year:long",
            "item_span:long[]",
        ),
    ),
    "treatments": ("Treatment", ("name:ID(Treatment)",)),
    "categories": ("TreatmentCategory", ("name:ID(TreatmentCategory)",)),
    "specialties": ("Specialty", ("name:ID(Specialty)",)),
    "states": ("State", ("code:ID(State)",)),
    "regions": ("BodyRegion", ("name:ID(BodyRegion)",)),
    "reasons": ("DenialReason", ("code:ID(DenialReason)", "description")),
    "diagnoses": ("Diagnosis", ("code:ID(Diagnosis)", "name", "level")),
    "guidelines": (
        "Guideline",
        ("key:ID(Guideline)", "family", "title", "edition", "url", "resolved:boolean"),
    ),
    "sections": (
        "GuidelineSection",
        ("key:ID(GuidelineSection)", "pages:long[]", "sections:string[]", "label", "url", "guideline_key"),
    ),
}
RELATIONSHIP_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "has_decision": ("HAS_DECISION", (":START_ID(Case)", ":END_ID(Decision)")),
    "for_treatment": ("FOR_TREATMENT", (":START_ID(Decision)", ":END_ID(Treatment)")),
    "in_category": ("IN_CATEGORY", (":START_ID(Treatment)", ":END_ID(TreatmentCategory)")),
    "reviewer_specialty": ("REVIEWER_SPECIALTY", (":START_ID(Case)", ":END_ID(Specialty)")),
    "reviewer_licensed_in": ("REVIEWER_LICENSED_IN", (":START_ID(Case)", ":END_ID(State)")),
    "has_diagnosis": (
        "HAS_DIAGNOSIS",
        (":START_ID(Case)", ":END_ID(Diagnosis)", "text", "span:long[]", "status", "letter_id"),
    ),
    "is_a": ("IS_A", (":START_ID(Diagnosis)", ":END_ID(Diagnosis)")),
    "concerns_region": ("CONCERNS_REGION", (":START_ID(Decision)", ":END_ID(BodyRegion)")),
    "cites": (
        "CITES",
        (
            ":START_ID(Decision)",
            ":END_ID(GuidelineSection)",
            "by",
            "section_key",
            "letter_id",
            "span:long[]",
            "text",
        ),
    ),
    "part_of": ("PART_OF", (":START_ID(GuidelineSection)", ":END_ID(Guideline)")),
    "denied_because": (
        "DENIED_BECAUSE",
        (":START_ID(Decision)", ":END_ID(DenialReason)", "letter_id", "span:long[]"),
    ),
}


def csv_field(value: Any) -> str:
    """One field: null as an empty unquoted field, strings quoted (RFC 4180), lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return _quote(ARRAY_DELIMITER.join(str(v) for v in value))
    return _quote(str(value))


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def csv_line(values: Iterable[Any]) -> str:
    return ",".join(csv_field(v) for v in values) + "\n"


@dataclass(frozen=True)
class ImportFiles:
    """What `neo4j-admin database import full` needs: the files per label and per relationship type."""

    nodes: dict[str, Path]
    relationships: dict[str, Path]


@dataclass
class CsvGraphWriter:
    """Streams GraphRows into one CSV file per label and relationship type under `directory`."""

    directory: Path
    _files: dict[str, IO[str]] = field(default_factory=dict)
    _seen: dict[str, set[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for name, (_, header) in itertools.chain(NODE_FILES.items(), RELATIONSHIP_FILES.items()):
            handle = (self.directory / f"{name}.csv").open("w", encoding="utf-8", newline="")
            handle.write(",".join(header) + "\n")
            self._files[name] = handle
            self._seen[name] = set()

    def __enter__(self) -> CsvGraphWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self, name: str, values: Iterable[Any]) -> None:
        self._files[name].write(csv_line(values))

    def _write_once(self, name: str, key: Any, values: Iterable[Any]) -> None:
        if key in self._seen[name]:
            return
        self._seen[name].add(key)
        self._write(name, values)

    def add(self, rows: GraphRows) -> None:
        """Write one batch; shared nodes already written by an earlier batch are skipped."""
        for r in rows.cases:
            self._write(
                "cases", [r["letter_id"], r["content_hash"], *_props(r["props"], NODE_FILES["cases"], 2)]
            )
        for r in rows.specialties:
            self._write_once("specialties", r["name"], [r["name"]])
            self._write("reviewer_specialty", [r["letter_id"], r["name"]])
        for r in rows.states:
            self._write_once("states", r["code"], [r["code"]])
            self._write("reviewer_licensed_in", [r["letter_id"], r["code"]])
        for r in rows.diagnoses:
            self._write_once("diagnoses", r["code"], [r["code"], r["name"], r["level"]])
            self._write(
                "has_diagnosis",
                [r["letter_id"], r["code"], r["text"], r["span"], r["status"], r["letter_id"]],
            )
        for r in rows.diagnosis_hierarchy:
            self._write_once("diagnoses", r["child"], [r["child"], r["child_name"], r["child_level"]])
            self._write_once("diagnoses", r["parent"], [r["parent"], r["name"], r["level"]])
            self._write_once("is_a", (r["child"], r["parent"]), [r["child"], r["parent"]])
        for r in rows.decisions:
            did = r["decision_id"]
            self._write("decisions", [did, *_props(r["props"], NODE_FILES["decisions"], 1)])
            self._write("has_decision", [r["letter_id"], did])
            self._write_once("treatments", r["treatment"], [r["treatment"]])
            self._write_once("categories", r["category"], [r["category"]])
            self._write_once("in_category", (r["treatment"], r["category"]), [r["treatment"], r["category"]])
            self._write("for_treatment", [did, r["treatment"]])
        for r in rows.regions:
            self._write_once("regions", r["name"], [r["name"]])
            self._write("concerns_region", [r["decision_id"], r["name"]])
        for r in rows.citations:
            self._write_citation(r)
        for r in rows.reasons:
            self._write_once("reasons", r["code"], [r["code"], r["description"]])
            self._write("denied_because", [r["decision_id"], r["code"], r["letter_id"], r["span"]])

    def _write_citation(self, r: Row) -> None:
        g = r["guideline_key"]
        self._write_once(
            "guidelines", g, [g, r["family"], r["title"], r["edition"], r["guideline_url"], r["resolved"]]
        )
        s = r["section_key"]
        self._write_once(
            "sections", s, [s, r["pages"], r["sections"], r["section_label"], r["section_url"], g]
        )
        self._write_once("part_of", s, [s, g])
        self._write("cites", [r["decision_id"], s, r["by"], s, r["letter_id"], r["span"], r["text"]])

    def close(self) -> ImportFiles:
        for handle in self._files.values():
            if not handle.closed:
                handle.close()
        path = {name: self.directory / f"{name}.csv" for name in self._files}
        return ImportFiles(
            nodes={label: path[name] for name, (label, _) in NODE_FILES.items()},
            relationships={rel: path[name] for name, (rel, _) in RELATIONSHIP_FILES.items()},
        )


def _props(props: Row, spec: tuple[str, tuple[str, ...]], skip: int) -> list[Any]:
    """The values of `props` in header order (the first `skip` columns are written by the caller)."""
    return [_empty_list_as_null(props.get(column.split(":", 1)[0])) for column in spec[1][skip:]]


def _empty_list_as_null(value: Any) -> Any:
    # The importer cannot tell an empty array from a missing one; neither can readers of the graph.
    return None if isinstance(value, list) and not value else value
