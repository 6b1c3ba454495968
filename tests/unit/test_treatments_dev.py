"""The three treatment figures on the shared dev letters (issue 13), with floors; skips without ../shared.

Run with -s to see them: category accuracy, share of decisions in OTHER, share of PHARMACEUTICAL
decisions with an identified ingredient and a class."""

from __future__ import annotations

import json
import re
from pathlib import Path

from graph_loader.extract.letter import parse_file


def _norm(s: object) -> str:
    return re.sub(r"\s+", " ", str(s or "").lower()).strip()


def test_dev_treatment_figures(shared_dir: Path) -> None:
    gold_dir = shared_dir / "gold" / "dev"
    letters = {}
    for path in sorted((shared_dir / "letters" / "dev").glob("*.txt")):
        letter = parse_file(path)
        letters[letter.case_number] = letter
    n = right = other = pharma = pharma_ok = 0
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text())
        letter = letters.get(gold["case_number"])
        decisions = letter.decisions if letter else []
        for i, g in enumerate(gold["decisions"]):
            # the scorer's pairing: the item containing the gold substring, else the same position
            match = next((d for d in decisions if g["item_contains"] in _norm(d.item)), None)
            if match is None and len(decisions) == len(gold["decisions"]):
                match = decisions[i]
            n += 1
            if match is None:
                continue
            t = match.treatment
            right += t.category.value == g["category"]
            other += t.category.value == "OTHER"
            if g["category"] == "PHARMACEUTICAL":
                pharma += 1
                pharma_ok += bool(t.drug and t.drug.ingredients and t.treatment_class)
    accuracy, other_share, drug_share = right / n, other / n, pharma_ok / pharma
    print(
        f"\ncategory accuracy {right}/{n} = {accuracy:.3f}; OTHER {other}/{n} = {other_share:.3f}; "
        f"PHARMACEUTICAL with ingredient and class {pharma_ok}/{pharma} = {drug_share:.3f}"
    )
    assert accuracy >= 0.97
    assert other_share <= 0.03
    assert drug_share >= 0.95


def test_prefilter_equals_plain_scan_on_dev_items(shared_dir: Path) -> None:
    from graph_loader.normalize.treatments.classify import clean_item
    from graph_loader.normalize.treatments.vocabulary import vocabulary

    v = vocabulary()
    items = [
        clean_item(d.item)
        for path in sorted((shared_dir / "letters" / "dev").glob("*.txt"))
        for d in parse_file(path).decisions
    ]
    assert items
    for text in items:
        assert v.match(text) is v.match_unfiltered(text), text
