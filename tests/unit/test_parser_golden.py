"""Golden files: the parser's JSON for each bundled sample letter. Regenerate with
`pytest tests/test_parser_golden.py --update-golden` after a deliberate change, and review the diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph_loader.extract.letter import parse_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples" / "letters").glob("*.txt"))
GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize("letter_path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_letter_matches_golden(letter_path: Path, update_golden: bool) -> None:
    letter = parse_file(letter_path, source=f"samples/letters/{letter_path.name}")
    got = json.loads(letter.model_dump_json(exclude={"text"}))
    golden = GOLDEN / f"{letter_path.stem}.json"
    if update_golden or not golden.exists():
        golden.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
    assert got == json.loads(golden.read_text())


def test_every_sample_has_a_golden_file() -> None:
    assert SAMPLES, "no sample letters bundled"
    assert {p.stem for p in SAMPLES} == {p.stem for p in GOLDEN.glob("*.json")}


def test_spans_point_into_the_text() -> None:
    for path in SAMPLES:
        letter = parse_file(path)
        for d in letter.decisions:
            s, e = d.spans.item
            assert " ".join(letter.text[s:e].split()) == d.item
            for r in d.denial_reasons:
                assert 0 <= r.span[0] < r.span[1] <= len(letter.text)
        for dx in letter.diagnoses:
            s, e = dx.span
            assert " ".join(letter.text[s:e].split()) == dx.text
