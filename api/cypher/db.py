"""Read-only access to Neo4j for the API: READ sessions, a per-request timeout, and a query counter
that tests use to prove each root field sends one query."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.to_thread
from neo4j import READ_ACCESS, Driver, GraphDatabase, ManagedTransaction, Query, unit_of_work
from neo4j.exceptions import ClientError, DriverError, Neo4jError

from graph_loader.config import Settings
from graph_loader.errors import ClientFacingError
from graph_loader.records import rows_of

DEFAULT_TIMEOUT_S = 10.0


class QueryTimeout(ClientFacingError):
    """A query ran past the per-request limit; Neo4j stopped it. Safe to show to the client."""


class InvalidSearch(ClientFacingError):
    """Full-text search text Lucene cannot parse. Safe to show to the client."""


@dataclass
class ReadOnlyGraph:
    driver: Driver
    database: str
    timeout_s: float = DEFAULT_TIMEOUT_S
    queries_sent: list[str] = field(default_factory=list)
    # At most this many queries of this process run at once (None: as many as the worker threads);
    # the others wait their turn in order instead of sharing the server's cores with every one of them.
    max_concurrent: int | None = None
    _limiter: anyio.CapacityLimiter | None = field(default=None, repr=False)

    @classmethod
    def connect(
        cls, settings: Settings, timeout_s: float = DEFAULT_TIMEOUT_S, max_concurrent: int | None = None
    ) -> ReadOnlyGraph:
        driver = GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            notifications_min_severity="OFF",
            max_transaction_retry_time=5.0,
        )
        return cls(
            driver=driver, database=settings.database, timeout_s=timeout_s, max_concurrent=max_concurrent
        )

    def read(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """Run one read query with the request timeout, as an auto-commit transaction: one round trip
        to the server where a managed one takes two (BEGIN and RUN, then COMMIT), which is a third of a
        millisecond on a question the tallies answer in one. What a cluster's failover makes transient
        (a leader switch, a reader gone) is retried as a managed read transaction, which retries it
        until the driver's retry time runs out."""
        self.queries_sent.append(cypher)
        with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            try:
                try:
                    result = session.run(Query(cypher, timeout=self.timeout_s), params)
                    return rows_of(result)
                except (Neo4jError, DriverError) as exc:
                    if not exc.is_retryable():
                        raise

                @unit_of_work(timeout=self.timeout_s)
                def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
                    return rows_of(tx.run(cypher, params))

                return session.execute_read(work)
            except ClientError as exc:
                if "TransactionTimedOut" in (exc.code or ""):
                    raise QueryTimeout(
                        f"the query ran past the {self.timeout_s:g} s limit and was stopped; "
                        "narrow it with filters or ask for fewer rows"
                    ) from exc
                if "lucene.queryparser" in (exc.message or ""):
                    raise InvalidSearch(
                        'the search text is not a valid Lucene query; quote phrases ("physical therapy") '
                        'and escape special characters such as + - ! ( ) { } [ ] ^ " ~ * ? : \\ /'
                    ) from exc
                raise

    async def aread(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """`read` on a worker thread: a slow query never blocks the event loop serving other requests."""
        if self.max_concurrent and self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.max_concurrent)
        return await anyio.to_thread.run_sync(
            functools.partial(self.read, cypher, **params), limiter=self._limiter
        )

    def close(self) -> None:
        self.driver.close()
