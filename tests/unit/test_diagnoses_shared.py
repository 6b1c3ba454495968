"""Diagnosis figures on the shared real letters (skipped where ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_loader.extract.letter import parse_file
from tests.helpers import score_extraction

RECALL, PRECISION = 0.92, 0.95


def _scores(shared_dir: Path, corpus: str, tmp_path: Path) -> dict[str, float]:
    out = tmp_path / f"{corpus}.jsonl"
    with out.open("w") as fh:
        for path in sorted((shared_dir / "letters" / corpus).glob("*.txt")):
            fh.write(parse_file(path).model_dump_json(exclude={"text"}) + "\n")
    return score_extraction(shared_dir, corpus, out)


@pytest.mark.parametrize("corpus", ["seed", "dev"])
def test_diagnosis_quantity_and_region_targets(shared_dir: Path, corpus: str, tmp_path: Path) -> None:
    s = _scores(shared_dir, corpus, tmp_path)
    assert s["diagnosis_recall"] >= RECALL and s["diagnosis_precision"] >= PRECISION, s
    assert s["quantity"] >= 0.97 and s["body_region"] >= 0.97, s


def test_no_letter_that_states_a_diagnosis_ends_with_none(shared_dir: Path) -> None:
    empty = []
    for gold in sorted((shared_dir / "gold" / "dev").glob("*.json")):
        if json.loads(gold.read_text())["diagnoses"]["required"]:
            letter = parse_file(shared_dir / "letters" / "dev" / f"{gold.stem}.txt")
            if not any(d.icd10 for d in letter.diagnoses):
                empty.append(gold.stem)
    assert empty == []
