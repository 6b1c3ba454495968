"""Keyset (seek) pagination for the case and decision connections.

A cursor holds the sort-key values of the row it points at plus the row's unique id (letter id or
decision id), so the next page is `WHERE <row sorts after the cursor>` + `LIMIT`: the cost of a page
does not grow with how deep it is, as SKIP's does. Cypher has no row comparison, so "sorts after" is
spelled out per key with Cypher's null order (nulls last ascending, first descending); every cursor
value becomes a parameter. A cursor names the field and the sort it was made for and carries a
digest of itself, so an edited cursor or one from another sort order is refused with a clear error.
The digest is not a signature: a hand-made cursor can only move where a page starts.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from api.cypher.filters import Compiler
from graph_loader.errors import InvalidArgument

# k2: decisions in date order carry decision_date_order values (k1 cursors held the bare date).
_VERSION = "k2"


@dataclass(frozen=True)
class SortKey:
    """A sort field: its name (the value of a GraphQL sort enum), its fixed Cypher expression, and the
    type of its values."""

    name: str
    expr: str
    kind: type
    # A key that is never null can bound an index range seek from either side.
    nullable: bool = True


# (sort field name, descending) pairs, the first the most significant: plain values, so this layer
# knows no GraphQL input and a script can page as the API does.
SortOrder = Sequence[tuple[str, bool]]
# Without a sort, the newest first, as the GraphQL sort inputs default.
NEWEST_FIRST: SortOrder = (("DECISION_DATE", True),)


def _by_name(*keys: SortKey) -> dict[str, SortKey]:
    return {k.name: k for k in keys}


# Fixed expressions per sort field: the client picks a field by name, never Cypher.
CASE_KEYS = _by_name(
    SortKey("DECISION_DATE", "c.decision_date", str),
    SortKey("CASE_NUMBER", "c.case_number", str),
    SortKey("AGE", "c.age", int),
    SortKey("YEAR", "c.year", int),
    SortKey("INJURY_DATE", "c.injury_date", str),
    SortKey("UR_DECISION_DATE", "c.ur_decision_date", str),
    SortKey("LETTER_ID", "c.letter_id", str),
    SortKey("SEX", "c.sex", str),
    SortKey("LAYOUT", "c.layout", str),
)
# Decisions in date order sort by the case's decision_date_order (decision_date's order, unique per
# case), which queries.DECISIONS_IN_DATE_ORDER reads from its index.
DATE_ORDER = SortKey("DECISION_DATE", "c.decision_date_order", str, nullable=False)
PLAIN_DATE = SortKey("DECISION_DATE", "c.decision_date", str)
DECISION_KEYS = _by_name(
    DATE_ORDER,
    SortKey("YEAR", "d.year", int),
    SortKey("CASE_NUMBER", "c.case_number", str),
    SortKey("AGE", "c.age", int),
    SortKey("ITEM", "d.item", str),
    SortKey("OUTCOME", "d.outcome", str),
    SortKey("TREATMENT", "t.name", str),
    SortKey("TREATMENT_CLASS", "d.treatment_class", str),
    SortKey("CATEGORY", "k.name", str),
    SortKey("QUANTITY", "d.quantity", int),
    SortKey("INDEX", "d.index", int),
)


@dataclass(frozen=True)
class Ordering:
    """A connection's sort: (key, descending) pairs, then the unique id ascending as the tiebreaker."""

    scope: str
    keys: tuple[tuple[SortKey, bool], ...]
    tiebreak: str

    @property
    def order_by(self) -> str:
        return ", ".join(f"{k.expr} {'DESC' if desc else 'ASC'}" for k, desc in self.keys) + (
            f", {self.tiebreak}"
        )

    @property
    def values(self) -> str:
        """The Cypher list of a row's sort values, tiebreaker last: what a cursor is made of."""
        return "[" + ", ".join([*(k.expr for k, _ in self.keys), self.tiebreak]) + "]"

    @property
    def signature(self) -> str:
        return self.scope + ":" + ",".join(f"{k.name}.{'DESC' if d else 'ASC'}" for k, d in self.keys)

    def cursor(self, values: list[Any]) -> str:
        payload = json.dumps([self.signature, values], separators=(",", ":"), ensure_ascii=False)
        return base64.urlsafe_b64encode(f"{_VERSION}:{_digest(payload)}:{payload}".encode()).decode()

    def decode(self, cursor: str) -> list[Any]:
        """The sort values a cursor of this ordering holds; anything else is refused."""
        try:
            text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
            version, digest, payload = text.split(":", 2)
            signature, values = json.loads(payload)
        except (ValueError, UnicodeError, TypeError):
            raise InvalidArgument("invalid cursor: pass an endCursor or cursor this field returned") from None
        if version != _VERSION and digest == _digest(payload):
            raise InvalidArgument(
                "cursor from an earlier version of this API: start again from the first page"
            )
        if version != _VERSION or digest != _digest(payload):
            raise InvalidArgument("invalid cursor: it was altered; pass an endCursor or cursor as returned")
        if signature != self.signature:
            raise InvalidArgument(
                f"cursor from another field or sort order ({signature}); this page is sorted "
                f"{self.signature}: pass the same sort as the page the cursor came from"
            )
        kinds = [k.kind for k, _ in self.keys]
        if (
            not isinstance(values, list)
            or len(values) != len(kinds) + 1
            or not all(v is None or _is(v, kind) for v, kind in zip(values, kinds, strict=False))
            or not isinstance(values[-1], str)
        ):
            raise InvalidArgument("invalid cursor: its sort values do not fit this sort order")
        return values

    def seek(self, comp: Compiler, after: str | None) -> str:
        """The predicate "the row sorts after the cursor's row" ("true" without a cursor).

        Null-safe over parameters, so one sort order is one query text whatever the cursor holds
        (Neo4j plans each text once); only the leading bound an index can seek on depends on whether
        the first value is null."""
        if not after:
            return "true"
        values = self.decode(after)
        params = [comp.param(v) for v in values]
        # From the tiebreaker outwards: after_i OR (equal_i AND <the rest sorts after>).
        rest = f"{self.tiebreak} > {params[-1]}"
        for (key, desc), p in reversed(list(zip(self.keys, params, strict=False))):
            e = key.expr
            equal = f"({e} = {p} OR ({e} IS NULL AND {p} IS NULL))"
            if desc:
                after_it = f"({e} < {p} OR ({p} IS NULL AND {e} IS NOT NULL))"
            else:
                after_it = f"({e} > {p} OR ({e} IS NULL AND {p} IS NOT NULL))"
            rest = f"({after_it} OR ({equal} AND {rest}))"
        # A redundant bound on the first key that an index range seek can use.
        (key, desc), p = self.keys[0], params[0]
        if desc and values[0] is not None:
            rest = f"{key.expr} <= {p} AND {rest}"
        elif not desc and values[0] is None:
            rest = f"{key.expr} IS NULL AND {rest}"
        elif not key.nullable:
            rest = f"{key.expr} >= {p} AND {rest}"
        return rest

    @property
    def in_date_order(self) -> bool:
        """Whether the first key is the date order an index can yield (DATE_ORDER, either way)."""
        return self.keys[0][0] is DATE_ORDER

    def with_plain_dates(self) -> Ordering:
        """The same sort over the bare decision date, for a graph whose cases lack
        decision_date_order (loaded before graph model 7): the same order but for ties within a date."""
        keys = tuple((PLAIN_DATE if k is DATE_ORDER else k, desc) for k, desc in self.keys)
        return Ordering(self.scope, keys, self.tiebreak)


def _is(value: Any, kind: type) -> bool:
    return isinstance(value, kind) and not isinstance(value, bool)


def _digest(payload: str) -> str:
    return hashlib.sha256(f"imr-graph cursor {payload}".encode()).hexdigest()[:12]


def _sort_keys(table: dict[str, SortKey], sort: SortOrder | None) -> tuple[tuple[SortKey, bool], ...]:
    keys = []
    for name, desc in sort or NEWEST_FIRST:
        if name not in table:
            raise InvalidArgument(f"cannot sort on {name}: sort on one of {', '.join(table)}")
        keys.append((table[name], desc))
    return tuple(keys)


def case_ordering(sort: SortOrder | None) -> Ordering:
    return Ordering("cases", _sort_keys(CASE_KEYS, sort), "c.letter_id")


def decision_ordering(sort: SortOrder | None) -> Ordering:
    return Ordering("decisions", _sort_keys(DECISION_KEYS, sort), "d.decision_id")
