"""Near-duplicate letters: the same letter re-posted or edited is one case. Pure.

Two letters are the same case when they print the same case number, or when at least one prints none
and they agree on what identifies a patient's dispute: the same decisions (items and outcomes), the
same injury date, the same patient age and sex, and the same decision date or the same date assigned.
The injury date is required because it is the patient's own; decision and assignment dates are
shared by every case DWC's reviewers decided or were given that day, and common items ("Norco
10/325mg #120") are requested by thousands, so those alone would merge different patients. Two
letters with different case numbers are never one case.

Of two letters of one case the newer is kept: the later decision date, then the later date assigned (the
graph keeps that date, not the one the application was received, so a load compares alike with a letter
loaded last week), then the one that prints its case number (a copy
that lost it is never the better record of a case), then, as the last and arbitrary tie-break, the later
source path in name order. Dates are ISO strings, so they compare as text; a missing date is older than
any.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from graph_loader.models import Letter

_NOT_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Stamp:
    """What a letter is recognised and ordered by: small enough to keep on disk for every letter of a
    load, and to rebuild from a Case node of the graph."""

    letter_id: str
    source: str
    content_hash: str
    case_number: str | None
    decision_date: str | None
    assigned: str | None
    injury_date: str | None
    age: int | None
    sex: str | None
    # (item in lower-case words, outcome), sorted: the same decisions in any order.
    decisions: tuple[tuple[str, str], ...]

    def to_json(self) -> str:
        """The fields as a JSON array in declaration order: the loader keeps one per letter on disk."""
        return _STAMP_JSON.encode([getattr(self, name) for name in _STAMP_FIELDS])

    @classmethod
    def from_json(cls, text: str) -> Stamp:
        values = json.loads(text)
        values[-1] = tuple(tuple(d) for d in values[-1])
        return cls(*values)

    @cached_property
    def near_keys(self) -> tuple[str, ...]:
        # Worked out once per stamp (a load asks for them several times per letter), and in the
        # worker that made the stamp: the cached value travels with it.
        return tuple(_near_keys(self))


_STAMP_JSON = json.JSONEncoder(separators=(",", ":"))
# The declared fields, in order: what to_json writes and from_json reads back by position.
_STAMP_FIELDS = tuple(f.name for f in fields(Stamp))


def item_words(item: str) -> str:
    """An item as its words: an edit of case, spacing or punctuation is the same item."""
    return _NOT_WORD.sub(" ", item.lower()).strip()


def _decisions(pairs: Sequence[tuple[str, str | None]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((item_words(item), outcome or "") for item, outcome in pairs))


def stamp(letter: Letter) -> Stamp:
    return Stamp(
        letter_id=letter.letter_id,
        source=letter.source,
        content_hash=letter.content_hash,
        case_number=letter.case_number,
        decision_date=letter.decision_date,
        assigned=letter.date_assigned,
        injury_date=letter.injury_date,
        age=letter.patient.age,
        sex=letter.patient.sex,
        decisions=_decisions([(d.item, d.outcome.value if d.outcome else None) for d in letter.decisions]),
    )


def stamp_of_case(case: Mapping[str, Any]) -> Stamp:
    """A Case node's stamp, from its properties and its decisions' `[item, outcome]` pairs."""
    return Stamp(
        letter_id=case["letter_id"],
        source=case["source"] or "",
        content_hash=case["content_hash"] or "",
        case_number=case["case_number"],
        decision_date=case["decision_date"],
        assigned=case["date_assigned"],
        injury_date=case["injury_date"],
        age=case["age"],
        sex=case["sex"],
        decisions=_decisions([(item, outcome) for item, outcome in case["decisions"]]),
    )


def stamp_of_rows(case: Mapping[str, Any], decisions: Sequence[Mapping[str, Any]]) -> Stamp:
    """A letter's stamp from its rows (graph/rows.py): its Case row and its Decision rows."""
    return stamp_of_case({**case, "decisions": [(d["item"], d["outcome"]) for d in decisions]})


def near_keys(s: Stamp) -> list[str]:
    """The keys under which a copy without a case number finds this letter (`_near_keys`), cached."""
    return list(s.near_keys)


def _near_keys(s: Stamp) -> list[str]:
    """The keys under which a copy without a case number finds this letter: one for the decision date
    and one for the date assigned, each with the decisions, injury date, age and sex. None without an
    injury date or decisions: too little to tell two patients apart."""
    if not s.injury_date or not s.decisions:
        return []
    keys = []
    for kind, day in (("decided", s.decision_date), ("assigned", s.assigned)):
        if day:
            what = _STAMP_JSON.encode([kind, day, s.injury_date, s.age, s.sex, s.decisions])
            keys.append("near:" + hashlib.sha256(what.encode()).hexdigest()[:32])
    return keys


def identity_keys(s: Stamp) -> list[str]:
    """Every key that finds this letter's case: its id, then its near keys."""
    return ["id:" + s.letter_id, *s.near_keys]


def why_same(a: Stamp, b: Stamp) -> str | None:
    """Why two letters are one case, or None when they are not."""
    if a.letter_id == b.letter_id:
        return f"the same case number {a.case_number}" if a.case_number else "the same text"
    if a.case_number and b.case_number:
        return None
    shared = set(a.near_keys) & set(b.near_keys)
    if not shared:
        return None
    days = [
        name
        for name, x, y in (
            ("decision date", a.decision_date, b.decision_date),
            ("date assigned", a.assigned, b.assigned),
        )
        if x and x == y
    ]
    return (
        f"{'no case number in either' if not (a.case_number or b.case_number) else 'a case number in one only'}; "
        f"the same decisions, injury date, patient and {' and '.join(days)}"
    )


def newness(s: Stamp) -> tuple[str, str, bool, str]:
    return (s.decision_date or "", s.assigned or "", s.case_number is not None, s.source)


def newer(a: Stamp, b: Stamp) -> Stamp:
    """The letter of the two that is kept."""
    return a if newness(a) >= newness(b) else b


def warning(kept: Stamp, dropped: Stamp, why: str) -> str:
    """The line a load prints for a pair: both files, why they are one case, which is kept."""
    return f"{dropped.source}: one case with {kept.source} ({why}); kept the newer letter, {kept.source}"
