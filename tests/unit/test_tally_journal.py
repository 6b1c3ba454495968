"""The tally journal's facts (graph_loader/graph/tallies.py: journal_blob, journal_facts) come back as
they went in, and the cells summed from a journal equal the cells summed from the letters."""

from __future__ import annotations

import dataclasses

import pytest

from bench.synth import generate
from graph_loader.extract.letter import parse_file, parse_text
from graph_loader.graph.rows import letter_rows
from graph_loader.graph.tallies import CaseFacts, Tallies, facts_from_rows, journal_blob, journal_facts
from tests.helpers import SAMPLES


@pytest.fixture(scope="module")
def facts() -> list[CaseFacts]:
    rows = [letter_rows(parse_file(p)) for p in sorted(SAMPLES.glob("*.txt"))]
    rows += [letter_rows(parse_text(s.text, s.name)) for s in generate(60, seed=11)]
    return [facts_from_rows(lr) for lr in rows]


def test_signed_facts_come_back_equal_field_for_field(facts: list[CaseFacts]) -> None:
    signed = [(1 if i % 3 else -1, f) for i, f in enumerate(facts)]
    back = journal_facts(journal_blob(signed))
    assert back == signed
    # Tuples, not lists: Tallies keys cells by them.
    for _, f in back:
        for name, value in dataclasses.asdict(f).items():
            assert not isinstance(value, list), name
        assert all(isinstance(c, tuple) for d in f.decisions for c in d.citations)


def test_a_letter_the_graph_had_without_age_or_year_keeps_its_nones(facts: list[CaseFacts]) -> None:
    bare = dataclasses.replace(facts[0], year=None, age=None, days=None, case_counted=False)
    assert journal_facts(journal_blob([(-1, bare)])) == [(-1, bare)]


def test_cells_summed_from_journals_equal_cells_summed_from_letters(facts: list[CaseFacts]) -> None:
    direct = Tallies()
    for f in facts:
        direct.add(f)
    # Three batches, the middle one taking back five letters of the first and writing them again.
    batches = [
        [(1, f) for f in facts[:30]],
        [(-1, f) for f in facts[:5]] + [(1, f) for f in facts[:5]],
        [(1, f) for f in facts[30:]],
    ]
    folded = Tallies()
    for blob in map(journal_blob, batches):
        for sign, f in journal_facts(blob):
            folded.add(f, sign)
    assert folded.rows() == direct.rows()
    assert sum(len(r) for r in direct.rows().values()) > 500


def test_an_empty_batch_is_an_empty_journal() -> None:
    assert journal_facts(journal_blob([])) == []
