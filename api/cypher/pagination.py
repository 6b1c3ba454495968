"""Relay pages: opaque cursors, the page-size limit, and one query per page with the total only when
the client selects it. Cases and decisions page by keyset (api/cypher/keyset.py); the vocabularies and the
search results, short or ranked by score, by offset. A page is plain rows and a `PageEnd`; the GraphQL
layer makes its connection types of them."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from api.cypher.db import ReadOnlyGraph
from api.cypher.filters import Compiler
from api.cypher.keyset import Ordering
from graph_loader.errors import InvalidArgument

MAX_PAGE_SIZE = 100


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str | None) -> int:
    """The offset after the cursor's row; a cursor the API did not issue is refused."""
    if not cursor:
        return 0
    try:
        kind, _, value = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
        if kind == "offset":
            return max(0, int(value)) + 1
    except (ValueError, UnicodeDecodeError):
        pass
    raise InvalidArgument("invalid cursor: pass an endCursor or cursor this API returned")


def page_size(first: int) -> int:
    if first < 0:
        raise InvalidArgument("first must be 0 or more")
    if first > MAX_PAGE_SIZE:
        raise InvalidArgument(f"first may be at most {MAX_PAGE_SIZE}")
    return first


@dataclass(frozen=True)
class PageEnd:
    """Whether another page follows, and the cursor to ask for it with (Relay's PageInfo): the last
    row's offset, or its sort values under `ordering` for a keyset page, encoded only when read. A
    nested page of 20 parents encoded 20 keyset cursors (a JSON dump, a digest and a base64 each) that
    the client seldom selects."""

    has_next_page: bool
    last: int | list[Any] | None
    ordering: Ordering | None = None

    @property
    def end_cursor(self) -> str | None:
        if self.last is None:
            return None
        if self.ordering is None:
            assert isinstance(self.last, int)
            return encode_cursor(self.last)
        assert isinstance(self.last, list)
        return self.ordering.cursor(self.last)


@dataclass
class Page:
    """A keyset page: its rows (each holding its sort values, `sortKey`, that its cursor encodes under
    the page's ordering), the page's end, and the total when it was counted."""

    rows: list[dict[str, Any]]
    ordering: Ordering
    end: PageEnd
    total: int | None


def render(template: str, where: str, seek: str, ordering: Ordering) -> str:
    """A page template with its compiled predicate, seek predicate and sort filled in (each a fixed
    fragment over parameters, never user text)."""
    return (
        template.replace("{where}", where)
        .replace("{seek}", seek)
        .replace("{order}", ordering.order_by)
        .replace("{sort_values}", ordering.values)
    )


def keyset_page(rows: list[dict[str, Any]], limit: int, ordering: Ordering, total: int | None) -> Page:
    """Rows fetched with `LIMIT limit + 1` (the extra one says another page follows) as a page whose
    cursors hold each row's sort values."""
    page = rows[:limit]
    last = page[-1]["sortKey"] if page else None
    return Page(page, ordering, PageEnd(len(rows) > limit, last, ordering), total)


async def fetch_page(
    graph: ReadOnlyGraph,
    templates: tuple[str, str],
    where: str,
    ordering: Ordering,
    comp: Compiler,
    first: int,
    after: str | None,
    *,
    with_total: bool,
    selected: list[str],
) -> Page:
    """One query for one keyset page; the total is counted in the same query only when the client
    selected it (`with_total`), and only the `selected` projection parts are computed."""
    limit = page_size(first)
    seek = ordering.seek(comp, after)
    cypher = render(templates[with_total], where, seek, ordering)
    rows = await graph.aread(cypher, limit=limit + 1, selected=selected, **comp.params)
    total = (rows[0]["total"] if rows else 0) if with_total else None
    # With the total, an empty page comes back as one row whose node is null.
    rows = [r for r in rows if r.get("sortKey") is not None]
    return keyset_page(rows, limit, ordering, total)


async def offset_page(
    graph: ReadOnlyGraph, cypher: str, first: int, after: str | None, **params: Any
) -> tuple[list[dict[str, Any]], PageEnd]:
    """One page of a query that takes `$skip` and `$limit` (one row more is asked for, to know whether
    another page follows)."""
    limit, skip = page_size(first), decode_cursor(after)
    rows = await graph.aread(cypher, skip=skip, limit=limit + 1, **params)
    last = skip + min(len(rows), limit) - 1 if rows[:limit] else None
    return rows[:limit], PageEnd(len(rows) > limit, last)
