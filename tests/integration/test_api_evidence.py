"""Evidence for every fact (text == Case.text[start:end]), documents as researchers name them, and
status-aware counting, asked through GraphQL without HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api.cypher.db import ReadOnlyGraph
from api.graphql.schema import execute
from graph_loader import stored_queries as library
from graph_loader.config import Settings
from graph_loader.load import neo4j_db
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters

EVIDENCE = "evidence { text start end }"
CASES = f"""query($after: String) {{ cases(first: 50, after: $after) {{
  pageInfo {{ hasNextPage endCursor }}
  edges {{ node {{ letterId text
    diagnoses {{ text {EVIDENCE} }}
    decisions {{ item outcome itemEvidence {{ text start end }} outcomeEvidence {{ text start end }}
      citations {{ text {EVIDENCE} }}
      denialReasons {{ code {EVIDENCE} }} }} }} }} }} }}"""


def run(g: ReadOnlyGraph, query: str, **variables: Any) -> dict[str, Any]:
    result = execute(query, g, variables)
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data


def every_case(g: ReadOnlyGraph) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    after = None
    while True:
        page = run(g, CASES, after=after)["cases"]
        cases += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return cases
        after = page["pageInfo"]["endCursor"]


def squeeze(text: str) -> str:
    return " ".join(text.replace("-\n", "-").replace("- ", "-").split())


def check_evidence(cases: list[dict[str, Any]]) -> int:
    """Every fact's evidence is the slice of its case's text it claims; returns how many were checked."""
    checked = 0

    def holds(e: dict[str, Any] | None, text: str, what: str) -> None:
        nonlocal checked
        assert e is not None, what
        assert 0 <= e["start"] < e["end"] <= len(text), what
        assert e["text"] == text[e["start"] : e["end"]], what
        checked += 1

    for c in cases:
        text = c["text"]
        assert text, c["letterId"]
        for dx in c["diagnoses"]:
            holds(dx["evidence"], text, f"{c['letterId']} diagnosis {dx['text']}")
            assert squeeze(dx["evidence"]["text"]) == squeeze(dx["text"])
        for d in c["decisions"]:
            holds(d["itemEvidence"], text, f"{c['letterId']} item {d['item']}")
            assert squeeze(d["itemEvidence"]["text"]) == squeeze(d["item"])
            if d["outcomeEvidence"] is not None:
                holds(d["outcomeEvidence"], text, f"{c['letterId']} outcome of {d['item']}")
                assert d["outcomeEvidence"]["text"].upper() == d["outcome"]
            for ci in d["citations"]:
                holds(ci["evidence"], text, f"{c['letterId']} citation {ci['text']}")
            for r in d["denialReasons"]:
                holds(r["evidence"], text, f"{c['letterId']} reason {r['code']}")
                assert r["evidence"]["text"].strip()
    return checked


def test_every_fact_of_the_samples_shows_its_words(sample_graph: ReadOnlyGraph) -> None:
    assert check_evidence(every_case(sample_graph)) > 50


def test_every_fact_of_the_shared_letters_shows_its_words(shared_dir: Path, empty_graph: Settings) -> None:
    load_letters(LetterFiles([shared_dir / "letters" / "dev", shared_dir / "letters" / "seed"]), empty_graph)
    g = ReadOnlyGraph.connect(empty_graph)
    try:
        cases = every_case(g)
        assert len(cases) == 99
        assert check_evidence(cases) > 1000
    finally:
        g.close()


def test_editions_are_one_document_unless_asked(sample_graph: ReadOnlyGraph) -> None:
    q = """query($by: CitationGrouping!) { guidelineCitationStats(groupBy: $by, first: 100) {
        guideline { key title edition chapter } decisions } }"""
    documents = run(sample_graph, q, by="GUIDELINE")["guidelineCitationStats"]
    editions = run(sample_graph, q, by="EDITION")["guidelineCitationStats"]
    keys = [r["guideline"]["key"] for r in documents]
    assert len(keys) == len(set(keys)), "one row per document"
    assert not any(k.startswith("mtus-chronic-pain-") for k in keys), keys
    per_document = {r["guideline"]["key"]: r["decisions"] for r in documents}
    for r in editions:
        assert r["decisions"] <= per_document[r["guideline"]["key"]]
    # An ODG citation naming a chapter is that chapter's document; one naming none is all of ODG.
    odg = [r["guideline"] for r in documents if r["guideline"]["key"].startswith("odg")]
    assert any(g["key"].startswith("odg:") for g in odg)
    assert all(bool(g["chapter"]) == g["key"].startswith("odg:") for g in odg)
    assert all(g["chapter"] in g["title"] for g in odg if g["chapter"])


def test_uncertain_diagnoses_count_only_when_asked(sample_graph: ReadOnlyGraph) -> None:
    q = """query($f: DecisionFilter) { decisions(filter: $f) { totalCount } }"""
    for code in ("M54", "M", "13"):
        stated = run(sample_graph, q, f={"icd10": code})["decisions"]["totalCount"]
        every = run(sample_graph, q, f={"icd10": code, "includeUncertain": True})["decisions"]["totalCount"]
        assert every >= stated
    flagship = """query($u: Boolean!) { guidelineCitationStats(icd10: "M54", includeUncertain: $u) {
        decisionsInScope } }"""
    stated_rows = run(sample_graph, flagship, u=False)["guidelineCitationStats"]
    every_rows = run(sample_graph, flagship, u=True)["guidelineCitationStats"]
    assert stated_rows and every_rows
    assert every_rows[0]["decisionsInScope"] >= stated_rows[0]["decisionsInScope"]


def test_each_flagship_row_is_the_decisions_its_sentences_show(sample_loaded: Settings) -> None:
    """citation_evidence lists, for a flagship row, exactly the decisions the row counts, each with the
    sentence the citation was read from (Case.text at its span)."""
    flagship = library.get("flagship_guideline_sections")
    params = {**flagship.example_params, "diagnosis_codes": ["M54"], "first": 100}
    rows = library.run(flagship, params, sample_loaded)
    assert rows
    evidence = library.get("citation_evidence")
    with neo4j_db.connect(sample_loaded) as driver:
        texts = {
            r["id"]: r["text"]
            for r in driver.execute_query("MATCH (c:Case) RETURN c.letter_id AS id, c.text AS text").records
        }
    for row in rows:
        shown = library.run(
            evidence,
            {
                **evidence.example_params,
                "guideline_key": row["guideline_key"],
                "section": row["section"],
                "diagnosis_codes": params["diagnosis_codes"],
                "first": 1000,
            },
            sample_loaded,
        )
        assert len({(s["letter_id"], s["decision"]) for s in shown}) == row["decisions"], row
        for s in shown:
            assert s["sentence"] and s["sentence"] == texts[s["letter_id"]][s["start"] : s["end"]]
