"""A set of strings kept on disk, so a loader that has seen a million letters holds none in memory."""

from __future__ import annotations

import sqlite3


class SeenSet:
    """`add` says whether a string is new. Backed by a private temporary SQLite file (deleted on close)
    whose page cache is bounded: memory stays flat whatever the count, at a few microseconds per add."""

    COMMIT_EVERY = 10_000

    def __init__(self) -> None:
        # "" asks SQLite for a private on-disk temporary database; nobody else can open it.
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("PRAGMA cache_size=-4096")  # KiB: 4 MB at most
        self._db.execute("CREATE TABLE seen (k TEXT PRIMARY KEY) WITHOUT ROWID")
        self._db.execute("BEGIN")
        self._pending = 0
        self.count = 0

    def add(self, key: str) -> bool:
        """True when `key` was not in the set (and is now)."""
        cur = self._db.execute("INSERT OR IGNORE INTO seen VALUES (?)", (key,))
        new = cur.rowcount == 1
        if new:
            self.count += 1
            self._pending += 1
            if self._pending >= self.COMMIT_EVERY:
                self._db.execute("COMMIT")
                self._db.execute("BEGIN")
                self._pending = 0
        return new

    def __contains__(self, key: str) -> bool:
        return self._db.execute("SELECT 1 FROM seen WHERE k = ?", (key,)).fetchone() is not None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SeenSet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SeenMap:
    """Strings to strings on disk, for what a load must remember of every letter it has seen (the
    case each identity key points at, and that case's stamp) in flat memory; the same private
    temporary SQLite file as SeenSet."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("PRAGMA cache_size=-4096")
        self._db.execute("CREATE TABLE seen (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID")
        self._db.execute("BEGIN")
        self._pending = 0

    def get(self, key: str) -> str | None:
        row = self._db.execute("SELECT v FROM seen WHERE k = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def get_many(self, keys: list[str]) -> dict[str, str]:
        """The entries of those keys that are in the map: one statement for a letter's few keys."""
        marks = ",".join("?" * len(keys))
        return {
            str(k): str(v) for k, v in self._db.execute(f"SELECT k, v FROM seen WHERE k IN ({marks})", keys)
        }

    def put(self, key: str, value: str) -> None:
        self.put_many([(key, value)])

    def put_many(self, items: list[tuple[str, str]]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO seen VALUES (?, ?)", items)
        self._pending += len(items)
        if self._pending >= SeenSet.COMMIT_EVERY:
            self._db.execute("COMMIT")
            self._db.execute("BEGIN")
            self._pending = 0

    def items(self, prefix: str) -> list[tuple[str, str]]:
        """The entries whose key starts with `prefix` (a few: what a load has to apply at its end)."""
        return [
            (str(k), str(v))
            for k, v in self._db.execute(
                "SELECT k, v FROM seen WHERE k >= ? AND k < ? ORDER BY k", (prefix, prefix + "\uffff")
            )
        ]

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SeenMap:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
