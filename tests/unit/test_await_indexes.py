"""Waiting for indexes in short polls: done when all are ONLINE, a clear error for a FAILED one or
one still populating at the deadline (no server: a driver that replays index states)."""

from __future__ import annotations

from typing import Any

import pytest

from graph_loader.load import neo4j_db
from graph_loader.load import write_queries as queries


class ReplayDriver:
    """Answers INDEX_STATES with the next of the given snapshots (the last one repeats)."""

    def __init__(self, *snapshots: list[dict[str, Any]]) -> None:
        self.snapshots = list(snapshots)
        self.calls = 0

    def execute_query(self, cypher: str, database_: str) -> tuple[list[dict[str, Any]], None, None]:
        assert cypher == queries.INDEX_STATES and database_ == "neo4j"
        self.calls += 1
        return self.snapshots[min(self.calls, len(self.snapshots)) - 1], None, None


def _index(name: str, state: str, percent: float = 100.0, failure: str | None = None) -> dict[str, Any]:
    return {"name": name, "state": state, "percent": percent, "failure": failure}


def test_waits_until_every_index_is_online_and_reports_progress() -> None:
    driver = ReplayDriver(
        [_index("case_embedding", "POPULATING", 10.0), _index("case_key", "ONLINE")],
        [_index("case_embedding", "POPULATING", 55.5), _index("case_key", "ONLINE")],
        [_index("case_embedding", "ONLINE"), _index("case_key", "ONLINE")],
    )
    seen: list[list[tuple[str, float]]] = []
    neo4j_db.await_indexes(driver, "neo4j", poll_s=0, on_progress=seen.append)  # type: ignore[arg-type]
    assert driver.calls == 3
    assert seen == [[("case_embedding", 10.0)], [("case_embedding", 55.5)]]


def test_a_failed_index_is_named_with_neo4j_s_reason() -> None:
    driver = ReplayDriver(
        [_index("rationale_fulltext", "FAILED", 3.0, "disk full"), _index("case_key", "ONLINE")]
    )
    with pytest.raises(
        neo4j_db.IndexesNotOnline, match="index rationale_fulltext failed to populate: disk full"
    ):
        neo4j_db.await_indexes(driver, "neo4j", poll_s=0)  # type: ignore[arg-type]


def test_an_index_still_populating_at_the_deadline_is_named_with_its_progress() -> None:
    driver = ReplayDriver([_index("case_embedding", "POPULATING", 42.0), _index("case_key", "ONLINE")])
    with pytest.raises(
        neo4j_db.IndexesNotOnline, match=r"after 0 s: case_embedding \(42 %\); what was written is kept"
    ):
        neo4j_db.await_indexes(driver, "neo4j", deadline_s=0, poll_s=0)  # type: ignore[arg-type]
