"""Requested counts: frequencies times durations, counts in words, partial authorizations."""

from __future__ import annotations

import pytest

from graph_loader.normalize.treatments.quantities import quantity


@pytest.mark.parametrize(
    ("item", "n"),
    [
        ("Physical therapy two times a week for four weeks", 8),
        ("Acupuncture 3 times a week times 2 weeks", 6),
        ("Chiropractic care x 6 weeks", 6),
        ("Aquatic therapy 1-2 times per week for 6 weeks", 12),
        ("Massage therapy times 4", 4),
        ("Twelve sessions of physical therapy", 12),
        ("Three refills of Naproxen 550mg #60", 180),
        ("Omeprazole 20mg #60", 60),
        ("EMG of the bilateral upper extremities, 2", 2),
        ("Thirty day supply of Lidoderm patches", None),
        ("One month supply of Ultram", None),
        ("TENS unit 30 day rental", None),
        ("Tramadol 50mg", None),
    ],
)
def test_quantity(item: str, n: int | None) -> None:
    assert quantity(item) == n
