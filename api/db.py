"""Read-only access to Neo4j for the API: READ sessions, a per-request timeout, and a query counter
that tests use to prove each root field sends one query."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from neo4j import READ_ACCESS, Driver, GraphDatabase, ManagedTransaction, unit_of_work

from graph_loader.config import Settings

DEFAULT_TIMEOUT_S = 10.0


@dataclass
class ReadOnlyGraph:
    driver: Driver
    database: str
    timeout_s: float = DEFAULT_TIMEOUT_S
    queries_sent: list[str] = field(default_factory=list)

    @classmethod
    def connect(cls, settings: Settings, timeout_s: float = DEFAULT_TIMEOUT_S) -> ReadOnlyGraph:
        driver = GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            notifications_min_severity="OFF",
            max_transaction_retry_time=5.0,
        )
        return cls(driver=driver, database=settings.database, timeout_s=timeout_s)

    def read(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """Run one read query in a READ transaction with the request timeout."""
        self.queries_sent.append(cypher)

        @unit_of_work(timeout=self.timeout_s)
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(cypher, params)]

        with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            return session.execute_read(work)

    def close(self) -> None:
        self.driver.close()
