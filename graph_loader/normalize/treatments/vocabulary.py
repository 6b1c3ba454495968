"""The curated vocabulary of non-drug treatments (graph_loader/data/treatments.json).

The vocabulary is written from domain knowledge of what IMR letters dispute, not from any letter:
each class carries its DWC category and subcategory; entries are tried in file order and the first
whose pattern matches wins, so an entry naming a specific procedure sits before the generic one and
the words every request uses ("evaluation", "care") are left to the last entries.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from graph_loader.models import Category
from graph_loader.text.literal_index import PatternSet


@dataclass(frozen=True)
class TreatmentClass:
    name: str
    category: Category
    subcategory: str
    # Names of this class carry the body region ("MRI, lumbar spine") when the item names one.
    regional: bool


@dataclass(frozen=True)
class Entry:
    name: str
    treatment_class: TreatmentClass
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Vocabulary:
    classes: dict[str, TreatmentClass]
    entries: tuple[Entry, ...]
    # Entries are searched only when their pattern may match the text (same result).
    prefilter: PatternSet

    def match(self, text: str) -> Entry | None:
        found = self.match_at(text)
        return found[0] if found else None

    def match_at(self, text: str) -> tuple[Entry, int] | None:
        """The first entry matching `text` and where its match starts."""
        entries = self.entries
        for i in self.prefilter.candidates(text):
            m = entries[i].pattern.search(text)
            if m:
                return entries[i], m.start()
        return None

    def match_unfiltered(self, text: str) -> Entry | None:
        """The plain scan the prefilter must agree with (tests)."""
        return next((e for e in self.entries if e.pattern.search(text)), None)


@cache
def vocabulary() -> Vocabulary:
    """Loaded and compiled once per process."""
    raw = json.loads(resources.files("graph_loader.data").joinpath("treatments.json").read_text("utf-8"))
    classes = {
        name: TreatmentClass(name, Category(c["category"]), c["subcategory"], bool(c.get("regional")))
        for name, c in raw["classes"].items()
    }
    entries = tuple(
        Entry(e["name"], classes[e["class"]], re.compile(e["match"], re.I)) for e in raw["entries"]
    )
    return Vocabulary(classes, entries, PatternSet([e.pattern for e in entries]))


def all_classes() -> list[tuple[str, Category, str]]:
    """Every treatment class, drug classes included, with its category and subcategory (for the graph)."""
    return [(c.name, c.category, c.subcategory) for c in vocabulary().classes.values()]
