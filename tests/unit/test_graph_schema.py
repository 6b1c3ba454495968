"""The graph is declared once (graph_loader/graph/declaration.py); everything else agrees with it, checked
without a server: the rows, the write queries, the CSV headers, the docs and every stored query."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from pathlib import Path

import pytest

from api.cypher import root_queries as api_queries
from api.cypher.crosstab import DIMENSIONS, outcome_rates_cypher
from bench.synth import generate
from graph_loader.extract.letter import parse_file, parse_text
from graph_loader.graph import docs, statements
from graph_loader.graph.declaration import GRAPH, TALLY_COUNTERS
from graph_loader.graph.rows import GraphRows, LetterRows, dataset_row, letter_rows
from graph_loader.graph.schema_types import GraphSchema, Prop
from graph_loader.graph.tallies import Tallies, facts_from_rows
from graph_loader.load import write_queries as queries
from graph_loader.load.bulk.csv_format import QUOTE
from graph_loader.load.bulk.csv_writer import ARRAY_DELIMITER, CsvGraphWriter
from graph_loader.stored_queries import all_queries
from tests.helpers import ROOT, SAMPLES


@pytest.fixture(scope="module")
def sample_rows() -> list[LetterRows]:
    """The sample letters and synthetic ones (drugs with ingredients, more sections and regions)."""
    rows = [letter_rows(parse_file(p)) for p in sorted(SAMPLES.glob("*.txt"))]
    rows += [letter_rows(parse_text(s.text, s.name)) for s in generate(40, seed=3)]
    return rows


def _tally_rows(sample_rows: list[LetterRows]) -> dict[str, list[dict[str, object]]]:
    tallies = Tallies()
    for lr in sample_rows:
        tallies.add(facts_from_rows(lr))
    return tallies.rows()


def row_problems(
    sample_rows: list[LetterRows], tally_rows: dict[str, list[dict[str, object]]], schema: GraphSchema
) -> tuple[list[str], set[str]]:
    """Each label's and relationship type's rows against its declared properties, once per mismatch,
    naming the files to edit; and the labels and types the rows exercised."""
    problems: set[str] = set()
    seen: set[str] = set()

    def check(owner: str, rows: list[dict[str, object]], expected: set[str], writer: str) -> None:
        for row in rows:
            seen.add(owner)
            for name in sorted(set(row) - expected):
                problems.add(
                    f"{writer} writes {owner}.{name}, which graph_loader/graph/declaration.py does not declare"
                )
            for name in sorted(expected - set(row)):
                problems.add(
                    f"{writer} writes no {owner}.{name}, which graph_loader/graph/declaration.py declares"
                )

    dataset = [dataset_row(sorted(lr.content_hash for lr in sample_rows), decisions=0, loaded_at=None)]
    for lr in sample_rows:
        for n in schema.nodes:
            if n.scope == "journal":
                continue  # no rows: tally_journal.py writes them from the batch's facts
            tally = n.scope == "tally"
            rows = tally_rows[n.label] if tally else dataset if n.scope == "dataset" else lr.nodes[n.label]
            writer = "graph_loader/graph/tallies.py" if tally else "graph_loader/graph/rows.py"
            check(n.label, rows, {n.key.name, *(p.name for p in n.props)}, writer)
        for r in schema.relationships:
            check(
                r.type,
                lr.relationships[r.type],
                {"src", "dst", *(p.name for p in r.props)},
                "graph_loader/graph/rows.py",
            )
    return sorted(problems), seen


def test_rows_hold_exactly_the_declared_properties(sample_rows: list[LetterRows]) -> None:
    problems, seen = row_problems(sample_rows, _tally_rows(sample_rows), GRAPH)
    assert problems == []
    # The letters exercise every type, so the check above covers them all.
    rowed = {n.label for n in GRAPH.nodes if n.scope != "journal"}
    assert seen == rowed | {r.type for r in GRAPH.relationships}


def test_a_property_the_rows_and_the_declaration_disagree_on_is_reported(
    sample_rows: list[LetterRows],
) -> None:
    decision = GRAPH.node("Decision")
    props = (*(p for p in decision.props if p.name != "authorized_item"), Prop("appeal_item"))
    schema = replace(GRAPH, nodes=tuple(replace(n, props=props) if n is decision else n for n in GRAPH.nodes))
    assert row_problems(sample_rows, _tally_rows(sample_rows), schema)[0] == [
        "graph_loader/graph/rows.py writes Decision.authorized_item, which graph_loader/graph/declaration.py "
        "does not declare",
        "graph_loader/graph/rows.py writes no Decision.appeal_item, which graph_loader/graph/declaration.py "
        "declares",
    ]


_PY_TYPES = {"string": str, "long": int, "boolean": bool, "double": float}


def test_row_values_have_the_declared_types_and_no_empty_lists(sample_rows: list[LetterRows]) -> None:
    tally_rows = _tally_rows(sample_rows)
    for lr in sample_rows:
        typed = [
            (n.props, tally_rows[n.label] if n.scope == "tally" else lr.nodes[n.label]) for n in GRAPH.nodes
        ]
        typed += [(r.props, lr.relationships[r.type]) for r in GRAPH.relationships]
        for props, rows in typed:
            for row in rows:
                for p in props:
                    value = row[p.name]
                    if value is None:
                        continue
                    if p.type.endswith("[]"):
                        assert isinstance(value, list) and value, (p.name, value)
                        assert all(isinstance(v, _PY_TYPES[p.type[:-2]]) for v in value), p.name
                    else:
                        assert isinstance(value, _PY_TYPES[p.type]), (p.name, value)


def test_write_queries_name_every_declared_property() -> None:
    for n in GRAPH.nodes:
        if n.scope == "tally":
            cypher = queries.TALLY_WRITES[n.label]
            assert f"MERGE (t:{n.label} {{{n.key.name}: row.{n.key.name}}})" in cypher
            for p in n.props:
                assert f"t.{p.name} = " in cypher and f"row.{p.name}" in cypher
            # A cell goes when its count does: the first counter, which every counted case adds to.
            count = TALLY_COUNTERS[n.label][0]
            assert count in ("decisions", "cases") and f"WHERE t.{count} = 0\nDELETE t" in cypher
            continue
        if n.scope == "journal":
            continue  # test_journal_queries_follow_the_declaration
        cypher = queries.DATASET_WRITE if n.scope == "dataset" else queries.NODE_WRITES[n.label]
        assert f"MERGE (n:{n.label} {{{n.key.name}: row.{n.key.name}}})" in cypher
        for p in n.props:
            assert f"n.{p.name} = row.{p.name}" in cypher
    for r in GRAPH.relationships:
        cypher = queries.RELATIONSHIP_WRITES[r.type]
        assert f"[:{r.type}" in cypher
        for p in r.props:
            assert f"{p.name}: row.{p.name}" in cypher
    kinds = [k for k, _ in queries.WRITE_ORDER]
    assert kinds == sorted(kinds, key=lambda k: k != "node"), "every node is written before any relationship"
    rows_written = [n for n in GRAPH.nodes if n.scope in ("letter", "shared")]
    assert len(queries.WRITE_ORDER) == len(rows_written) + len(GRAPH.relationships)


def test_journal_queries_follow_the_declaration() -> None:
    journal, fold = GRAPH.node("TallyJournal"), GRAPH.node("TallyFold")
    assert journal.scope == fold.scope == "journal"
    assert queries.JOURNAL_WRITE.startswith(f"CREATE (j:{journal.label} {{{journal.key.name}: $id")
    for p in journal.props:
        assert f"{p.name}: ${p.name}" in queries.JOURNAL_WRITE
    for cypher in (queries.JOURNAL_PENDING, queries.JOURNAL_READ, queries.JOURNAL_DROP):
        assert f"(j:{journal.label}" in cypher and journal.key.name in cypher
    # The lock is a MERGE on the uniquely constrained key, so a second fold waits for the first.
    assert f"MERGE (l:{fold.label} {{{fold.key.name}: $name}})" == queries.FOLD_LOCK
    assert f"FOR (n:{fold.label}) REQUIRE n.{fold.key.name} IS UNIQUE" in queries.SCHEMA[fold.constraint_name]


def test_a_constraint_per_label_and_an_index_per_declared_property() -> None:
    statements = "\n".join(queries.SCHEMA.values())
    for n in GRAPH.nodes:
        assert f"FOR (n:{n.label}) REQUIRE n.{n.key.name} IS UNIQUE" in statements
        for indexed in n.indexed:
            props = (indexed,) if isinstance(indexed, str) else indexed
            assert all(p in {n.key.name, *(q.name for q in n.props)} for p in props), props
            on = ", ".join(f"n.{p}" for p in props)
            assert f"FOR (n:{n.label}) ON ({on})" in statements


def test_csv_files_follow_the_generated_headers(sample_rows: list[LetterRows], tmp_path: Path) -> None:
    with CsvGraphWriter(tmp_path) as writer:
        writer.write(sample_rows)
        files = writer.close()
    combined = GraphRows.combine(sample_rows)
    tally_rows = _tally_rows(sample_rows)
    for n in GRAPH.nodes:
        with files.nodes[n.label].open(newline="") as fh:
            table = list(csv.reader(fh, quotechar=QUOTE))
        assert tuple(table[0]) == statements.node_header(n)
        assert all(len(line) == len(table[0]) for line in table[1:])
        # Shared nodes once each, as the UNWIND writer merges them; tally cells once each.
        expected = tally_rows[n.label] if n.scope == "tally" else combined.nodes[n.label]
        assert len(table) - 1 == len(expected), n.label
    for r in GRAPH.relationships:
        with files.relationships[r.type].open(newline="") as fh:
            table = list(csv.reader(fh, quotechar=QUOTE))
        assert tuple(table[0]) == statements.relationship_header(r)
        assert len(table) - 1 == len(combined.relationships[r.type])
    with files.nodes["GuidelineSection"].open(newline="") as fh:
        assert any(ARRAY_DELIMITER in line for line in fh), "array cells are joined with the delimiter"


def test_docs_table_is_generated_from_the_declaration() -> None:
    doc = (ROOT / "docs" / "graph-model.md").read_text()
    assert docs.markdown() in doc, "docs/graph-model.md is stale: run `make docs`"
    assert docs.reasons_markdown() in doc, "docs/graph-model.md is stale: run `make docs`"


_LABEL = re.compile(r"\(\w*:(\w+)")
_REL_TYPE = re.compile(r"\[\w*:([A-Z_|]+)")


def _stored_cypher() -> dict[str, str]:
    texts = {f"cypher/{q.name}.cypher": q.cypher for q in all_queries()}
    texts.update({f"crosstab {dims}": outcome_rates_cypher(dims) for dims in _some_crosstabs()})
    for name in dir(api_queries):
        value = getattr(api_queries, name)
        if name.isupper() and isinstance(value, str):
            texts[f"api.cypher.root_queries.{name}"] = value
        elif name.isupper() and isinstance(value, dict):
            texts.update(
                {f"api.cypher.root_queries.{name}[{k}]": v for k, v in value.items() if isinstance(v, str)}
            )
    return texts


def _some_crosstabs() -> list[tuple[str, ...]]:
    dims = list(DIMENSIONS)
    return [(d,) for d in dims] + [tuple(dims[i : i + 3]) for i in range(len(dims) - 2)]


def test_every_stored_query_uses_only_declared_labels_and_relationship_types() -> None:
    labels = {n.label for n in GRAPH.nodes}
    types = {r.type for r in GRAPH.relationships}
    texts = _stored_cypher()
    assert len(texts) > 20
    for where, cypher in texts.items():
        for label in _LABEL.findall(cypher):
            assert label in labels, f"{where}: label {label} is not declared in graph/declaration.py"
        for group in _REL_TYPE.findall(cypher):
            for rel_type in group.split("|"):
                assert rel_type in types, f"{where}: relationship type {rel_type} is not declared"


def test_the_flagship_in_the_docs_is_the_stored_query() -> None:
    doc = (ROOT / "docs" / "graph-model.md").read_text()
    flagship = next(q for q in all_queries() if q.name == "flagship_guideline_sections")
    assert f"```cypher\n{flagship.cypher}\n```" in doc
