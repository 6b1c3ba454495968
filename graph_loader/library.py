"""The stored Cypher library in cypher/: parse headers, run read-only, format as table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_loader.config import Settings

CYPHER_DIR = Path(__file__).resolve().parents[1] / "cypher"


@dataclass(frozen=True)
class StoredQuery:
    name: str
    title: str
    description: str
    cypher: str
    example_params: dict[str, Any] = field(default_factory=dict)


def parse_stored(path: Path) -> StoredQuery:
    title, description, params = "", [], {}
    body: list[str] = []
    for line in path.read_text().splitlines():
        if line.startswith("//"):
            text = line[2:].strip()
            if text.startswith("title:"):
                title = text[6:].strip()
            elif text.startswith("description:"):
                description.append(text[12:].strip())
            elif m := re.match(r":param\s+(\w+)\s*=>\s*(.+)$", text):
                params[m.group(1)] = json.loads(m.group(2))
            elif description and not title.endswith(text):
                description.append(text)
        else:
            body.append(line)
    return StoredQuery(
        name=path.stem,
        title=title or path.stem,
        description=" ".join(description),
        cypher="\n".join(body).strip(),
        example_params=params,
    )


def all_queries(directory: Path = CYPHER_DIR) -> list[StoredQuery]:
    return [parse_stored(p) for p in sorted(directory.glob("*.cypher"))]


def get(name: str, directory: Path = CYPHER_DIR) -> StoredQuery:
    path = directory / f"{name}.cypher"
    if not path.is_file():
        raise KeyError(name)
    return parse_stored(path)


def run(query: StoredQuery, params: dict[str, Any], settings: Settings) -> list[dict[str, Any]]:
    from neo4j import READ_ACCESS, GraphDatabase

    with (
        GraphDatabase.driver(
            settings.uri, auth=(settings.user, settings.password), notifications_min_severity="OFF"
        ) as driver,
        driver.session(database=settings.database, default_access_mode=READ_ACCESS) as session,
    ):
        return session.execute_read(lambda tx: [r.data() for r in tx.run(query.cypher, params)])


def _cell(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    return "" if value is None else str(value)


def format_rows(rows: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, indent=1, default=str)
    columns = list(rows[0]) if rows else []
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(columns)
        writer.writerows([[_cell(r[c]) for c in columns] for r in rows])
        return buf.getvalue().rstrip("\n")
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: use table, csv or json")
    if not rows:
        return "(no rows)"
    cells = [[_cell(r[c])[:60] for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join([line, sep, *body])
