"""The prebuilt ICD-10-CM index file: current with simple-icd-10-cm and the vocabulary, and its codes
are the code set's own."""

from __future__ import annotations

import gzip
import json
import random

import pytest
import simple_icd_10_cm as icd

from graph_loader.normalize.diagnoses import icd_index, terms


def test_data_file_is_current() -> None:
    """Fails after upgrading simple-icd-10-cm or editing diagnosis_terms.py without rebuilding:
    .venv/bin/python -m graph_loader.normalize.diagnoses.icd_index build"""
    stored = json.loads(gzip.decompress(icd_index.DATA_FILE.read_bytes()))
    assert stored == json.loads(json.dumps(icd_index.build_rows()))


@pytest.mark.parametrize(
    "code", ["S16.1", "S83.241", "S22.42", "M54.16", "F32.A", "G90.529", "S12.9", "T81.40"]
)
def test_seventh_characters_and_descriptions_match_the_code_set(code: str) -> None:
    index = icd_index.index()
    full = index.with_seventh(code.replace(".", ""), "A")
    assert icd.is_valid_item(full)
    assert index.is_valid(full)
    assert index.description(full) == icd.get_description(full)


def test_subsequent_encounter_and_invalid_codes() -> None:
    index = icd_index.index()
    assert index.with_seventh("S161", "D") == "S16.1XXD"
    assert index.is_valid("S16.1XXD") and not index.is_valid("S16.1XXQ") and not index.is_valid("Q99.99")


def test_ancestors_reach_the_chapter() -> None:
    assert icd_index.index().ancestors("S16.1XXA") == ["S161", "S16", "S10-S19", "19"]


def test_every_code_of_the_set_is_in_the_file() -> None:
    index = icd_index.index()
    codes = [c for c in icd.get_all_codes(False) if not icd.is_extended_subcategory(c)]
    assert all(c in index.entries for c in codes)
    # External causes, pregnancy and perinatal codes are kept for validity but never searched.
    assert not any(c.startswith(("O", "P", "V", "W", "X", "Y")) for c in index.doc_code)


def test_the_codes_under_a_prefix_are_those_a_scan_finds() -> None:
    """`_docs_under` bisects the sorted codes; it must give what a pass over every description gives,
    in the same order (the pick among them breaks no tie by order, but the answer must not depend on it)."""
    ix = icd_index.index()
    codes = ix.doc_code
    prefixes = {"", "M", "M54", "M54.1", "S83.2", "Z", "ZZ", "9", "m54"} | {
        code[:k] for code in codes[:: max(1, len(codes) // 150)] for k in range(1, len(code) + 1)
    }
    for prefix in sorted(prefixes):
        assert ix._docs_under(prefix) == tuple(i for i, c in enumerate(codes) if c.startswith(prefix)), prefix


def test_descriptions_elsewhere_by_their_sites() -> None:
    """Another place's descriptions, found by the sites each names, are those naming one of the
    other sites and none of the rest, as the postings say."""
    index = icd_index.index()
    sites = sorted(terms.SITES)
    rnd = random.Random(3)
    for _ in range(150):
        others = terms.other_sites(frozenset(rnd.sample(sites, rnd.randint(1, 3))))
        named = frozenset().union(*(index.postings.get(t, ()) for t in others))
        rest = frozenset().union(*(index.postings.get(t, ()) for t in terms.SITES - others))
        assert index._elsewhere(others) == named - rest, sorted(others)
