"""The full-text search of decision rationales (`searchRationales`): Lucene's best hits, filtered,
in score then decision-id order, one page at a time.

A common phrase has hundreds of thousands of hits at 1M letters, and matching and sorting every one
of them by score and decision id is what made search slow. Lucene's top-k collector is asked for a
window of hits instead. Lucene breaks equal scores in its own segment order, which changes as
segments merge, so a window gives the page only when it holds every hit that passes the filter and
scores at least the page's last score: `$skip + $limit` such hits above the window's lowest score.
Otherwise (a run of equal scores at the window's edge, or a filter that keeps few hits) a wider
window is asked, and past it every hit is matched and sorted.

Most pages come from the small window: each hit of a window costs the server a node and the filter's
match, and on 100,000 letters a page from a window of 100 took 40 % of the time of one from a window
of 1,000 (3.8 against 9.4 ms; docs/benchmarks.md). A run of equal scores longer than the small window pays for a second Lucene
call, which scores every document holding a term again; the wide window keeps such runs short of
the sort of every hit. The filter is matched once per window hit (`kept`); the case, treatment and
category of only the page's hits are matched for the projection.
"""

from __future__ import annotations

from api.cypher.root_queries import DECISION_PROJECTION

# Hits asked of Lucene for the first and the wide window, at least; deeper pages ask for more
# (search_windows).
SEARCH_WINDOWS = (100, 1000)

_PATH = "MATCH (c:Case)-[:HAS_DECISION]->(d)-[:FOR_TREATMENT]->(t)-[:IN_CATEGORY]->(k)"


def search_windows(skip: int, limit: int) -> tuple[int, int]:
    """The first and the wide window for a page: the first holds the page twice over. Past 500 hits
    the two are the same, and a page whose first window falls short sorts every hit after asking
    Lucene once more for nothing: deep pages are rare, and the sort of every hit costs far more."""
    first = max(SEARCH_WINDOWS[0], 2 * (skip + limit))
    return first, max(SEARCH_WINDOWS[1], first)


def _window(size: str, n: int, otherwise: str) -> str:
    """Lucene's top `size` hits, the ones the filter keeps, when they hold the page; else `otherwise`.
    `n` names this window's variables apart from an enclosing one's."""
    return f"""CALL db.index.fulltext.queryNodes('rationale_fulltext', $text, {{limit: {size}}}) YIELD node AS d, score
WITH d, score, EXISTS {{ {_PATH} WHERE {{where}} }} AS kept
WITH collect(CASE WHEN kept THEN {{d: d, score: score}} END) AS top{n}, count(*) AS hits,
     min(score) AS floor, collect(CASE WHEN kept THEN score END) AS scores
WITH top{n}, hits < {size} OR size([s IN scores WHERE s > floor]) >= $skip + $limit AS complete{n}
CALL (top{n}, complete{n}) {{
  WITH top{n}, complete{n} WHERE complete{n}
  UNWIND top{n} AS hit
  RETURN hit.d AS d, hit.score AS score
  UNION ALL
  WITH complete{n} WHERE NOT complete{n}
  {otherwise}
}}"""


_EVERY_HIT = f"""CALL db.index.fulltext.queryNodes('rationale_fulltext', $text) YIELD node AS d, score
  {_PATH} WHERE {{where}}
  RETURN d, score"""

_WIDE = _window("$wide", 2, _EVERY_HIT).replace("\n", "\n  ") + "\n  RETURN d, score"

# `{where}` is the decision filter's predicate over c, d, t and k (api/cypher/filters.py).
FULLTEXT_DECISIONS = (
    _window("$window", 1, _WIDE)
    + f"""
WITH d, score ORDER BY score DESC, d.decision_id SKIP $skip LIMIT $limit
{_PATH}
WITH c, d, t, k, score ORDER BY score DESC, d.decision_id
RETURN """
    + DECISION_PROJECTION
    + " AS decision, score"
)
