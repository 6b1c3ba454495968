"""One body-region vocabulary for the package: item regions and diagnosis regions read the same table."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from graph_loader.normalize import body_regions
from graph_loader.normalize.diagnoses import coding as diagnoses
from graph_loader.normalize.diagnoses import terms as diagnosis_terms
from graph_loader.normalize.treatments.item_regions import body_regions as item_regions


@pytest.mark.parametrize(
    ("item", "regions"),
    [
        ("MRI of the C-spine", ["cervical spine"]),
        ("Chiropractic for the low back and left groin", ["lumbar spine", "groin"]),
        ("Chest X-ray", ["chest"]),
        ("EMG/NCV of the bilateral upper extremities", ["upper extremity"]),
        ("Physical therapy for the bilateral lower legs", ["lower leg"]),
        ("L4-5 transforaminal epidural steroid injection", ["lumbar spine"]),
        ("Norco 10/325mg #60", []),
    ],
)
def test_item_regions(item: str, regions: list[str]) -> None:
    assert item_regions(item) == regions


def test_one_vocabulary() -> None:
    names = set(body_regions.region_names())
    assert len(names) == len(body_regions.REGIONS)
    assert not hasattr(diagnoses, "REGIONS")
    # The ICD tokenizer's region words come from the same table.
    for region in body_regions.REGIONS:
        for word in region.words:
            assert diagnosis_terms.tokens(word) == [region.token], word


def test_regions_and_diagnoses_agree_on_spinal_words() -> None:
    assert item_regions("low back") == ["lumbar spine"]
    code = diagnoses.code_phrase("low back sprain")
    assert code is not None and code.startswith("S33")


# The reading find_regions keeps: one alternation of every region, read left to right.
_EVERY_REGION = re.compile(
    "|".join(rf"(?P<r{i}>\b(?:{r.pattern}))" for i, r in enumerate(body_regions.REGIONS)), re.I
)


def _one_scan(text: str) -> tuple[str, ...]:
    found = {int(m.lastgroup[1:]) for m in _EVERY_REGION.finditer(text) if m.lastgroup}
    return tuple(body_regions.region_names()[i] for i in sorted(found))


def _mixed_texts(n: int) -> list[str]:
    """Region words run together in every way a scan could read differently: overlapping names
    ("lower legs" is the lower leg, not the lower extremity), joined without spaces, cut short."""
    words = [w for r in body_regions.REGIONS for w in re.findall(r"[a-z][a-z ]*", r.pattern)]
    words += ["lower legs", "left", "of the", "lumbar spine", "arms", "Lower Leg", "knee-", "sho"]
    rnd = random.Random(29)
    return [
        rnd.choice([" ", "", "-", "/"]).join(rnd.choice(words) for _ in range(rnd.randint(1, 8)))
        for _ in range(n)
    ]


def test_regions_read_as_one_scan() -> None:
    for text in _mixed_texts(5000):
        assert body_regions.find_regions(text) == _one_scan(text), text


def test_regions_read_as_one_scan_on_real_letters(shared_dir: Path) -> None:
    for path in sorted((shared_dir / "letters").glob("*/*.txt")):
        for line in path.read_text(errors="replace").splitlines():
            assert body_regions.find_regions(line) == _one_scan(line), path.name
