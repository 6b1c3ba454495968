"""Body regions named in an item, from the package's one region vocabulary (`body_regions`)."""

from __future__ import annotations

import re

from graph_loader.normalize.body_regions import find_regions

_EXTREMITY = re.compile(r"extremit|limb", re.I)


def body_regions(item: str) -> list[str]:
    found = list(find_regions(item.replace("/", " / ")))
    # "Bilateral Lower Legs" is the lower leg, not also the whole lower extremity.
    if "lower leg" in found and "lower extremity" in found and not _EXTREMITY.search(item):
        found.remove("lower extremity")
    return found
