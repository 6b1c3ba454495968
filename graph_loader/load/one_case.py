"""One case per letter re-posted or edited, within a load: which letter stands for each case so far,
kept on disk (SeenMap) so memory stays flat at any corpus size. near_duplicates.py says which letters
are one case and which of two is newer; this remembers, letter by letter, what the load has kept.

A letter is new, or a copy of the same text (a duplicate, dropped as before), or one case with a letter
kept before it: then the older of the two is dropped, and when the older is the one kept before, the
writer is told to take it back (`Verdict.retract`). Each kept case collects the sources it replaced,
which a load writes to `Case.superseded_sources` when it ends.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from graph_loader.load.near_duplicates import Stamp, identity_keys, newer, warning, why_same
from graph_loader.seen import SeenMap

_KEY, _STAMP, _REPLACED = "k:", "s:", "r:"


@dataclass(frozen=True)
class Verdict:
    keep: bool
    # A letter kept before this one, now replaced by it: the writer drops it (its id may be this
    # letter's own, for an edited letter with the same case number).
    retract: str | None = None
    # How many decisions that letter had: a load counted them when it wrote the letter.
    retracted_decisions: int = 0
    # The pair's warning, naming both files; None for a new letter or a copy of the same text.
    warning: str | None = None
    duplicate: bool = False


class OneCase:
    def __init__(self) -> None:
        self._map = SeenMap()

    def close(self) -> None:
        self._map.close()

    def __enter__(self) -> OneCase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _match(self, st: Stamp) -> tuple[Stamp, str | None] | None:
        """The kept letter of `st`'s case and why they are one, or (kept, None) when `st` is one case
        with a letter that `kept` replaced but not with `kept` itself (an edit changed the items)."""
        through: Stamp | None = None
        keys = identity_keys(st)
        # Every lookup of a letter in two statements, not one per key: most letters are new.
        ids = self._map.get_many([_KEY + key for key in keys])
        stamps = self._map.get_many([_STAMP + i for i in dict.fromkeys(ids.values())]) if ids else {}
        for key in keys:
            letter_id = ids.get(_KEY + key)
            stored = None if letter_id is None else stamps.get(_STAMP + letter_id)
            if stored is None:
                continue
            kept = Stamp.from_json(stored)
            why = why_same(st, kept)
            if why is not None:
                return kept, why
            through = through or kept
        return None if through is None else (through, None)

    def _replaced(self, letter_id: str) -> list[str]:
        stored = self._map.get(_REPLACED + letter_id)
        return json.loads(stored) if stored else []

    def _add_replaced(self, letter_id: str, sources: list[str]) -> None:
        known = self._replaced(letter_id)
        new = [s for s in sources if s not in known]
        if new:
            self._map.put(_REPLACED + letter_id, json.dumps(known + new))

    def _stand_for(self, st: Stamp, keys: list[str]) -> None:
        self._map.put_many(
            [(_STAMP + st.letter_id, st.to_json()), *((_KEY + key, st.letter_id) for key in keys)]
        )

    def see(self, st: Stamp) -> Verdict:
        """What to do with the next letter of the load."""
        found = self._match(st)
        if found is None:
            self._stand_for(st, identity_keys(st))
            return Verdict(keep=True)
        kept, why = found
        if kept.content_hash == st.content_hash:
            return Verdict(keep=False, duplicate=True)
        if why is None:
            # Older than the letter its own match lost to: the case keeps the letter it has.
            self._stand_for(kept, identity_keys(st))
            self._add_replaced(kept.letter_id, [st.source] if st.source != kept.source else [])
            return Verdict(keep=False, warning=warning(kept, st, "one case with a letter it replaced"))
        winner = newer(st, kept)
        loser = kept if winner is st else st
        message = warning(winner, loser, why)
        carried = [
            *self._replaced(loser.letter_id),
            *([loser.source] if loser.source != winner.source else []),
        ]
        if winner is kept:
            # Later copies of this one find the kept case under its keys too.
            self._stand_for(kept, identity_keys(st))
            self._add_replaced(kept.letter_id, carried)
            return Verdict(keep=False, warning=message)
        if kept.letter_id != st.letter_id:
            self._map.put(_REPLACED + kept.letter_id, "[]")
        self._stand_for(st, identity_keys(st) + identity_keys(kept))
        self._add_replaced(st.letter_id, carried)
        return Verdict(
            keep=True, retract=kept.letter_id, retracted_decisions=len(kept.decisions), warning=message
        )

    def kept_by_graph(self, st: Stamp, kept: Stamp) -> None:
        """The writer found `kept`, a newer letter of the same case, already in the graph: `st` was
        not written, and whatever it had replaced in this load is now replaced by `kept`."""
        carried = [*self._replaced(st.letter_id), *([st.source] if st.source != kept.source else [])]
        self._map.put(_REPLACED + st.letter_id, "[]")
        self._stand_for(kept, identity_keys(st) + identity_keys(kept))
        self._add_replaced(kept.letter_id, carried)

    def replaced_sources(self) -> Iterator[tuple[str, list[str]]]:
        """Each kept case of this load with the sources it replaced, for `Case.superseded_sources`."""
        for key, value in self._map.items(_REPLACED):
            sources = json.loads(value)
            if sources:
                yield key.removeprefix(_REPLACED), sources
