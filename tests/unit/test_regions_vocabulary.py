"""One body-region vocabulary for the package: item regions and diagnosis regions read the same table."""

from __future__ import annotations

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
