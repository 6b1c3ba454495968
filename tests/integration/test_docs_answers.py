"""The answers docs/queries.md shows (a ```graphql block followed by a ```json block) are the API's real
answers on the 94 development letters of ../shared (skipped without them): counts and names exactly,
rates, intervals and p-values to three significant digits, extensions.dataset by the Dataset node.

`IMR_DOCS_ANSWERS=write` writes the live answers into the doc instead of failing, for when the parser
changes what it reads from these letters (read the diff like a golden file's)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from starlette.testclient import TestClient

from api.cypher.db import ReadOnlyGraph
from api.web.app import create_app
from graph_loader.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "queries.md"
# A block's text never holds a fence: (?:(?!```).) keeps a match inside one block.
ANSWERED = re.compile(r"```graphql\n((?:(?!```).)*)```\n\n```json\n((?:(?!```).)*)```", re.S)
# extensions.dataset keys that change with the letters, the parser or the graph model.
VARIABLE = ("id", "loadedAt", "parserVersion", "graphModel")
SIGNIFICANT = 3
FLAT = 150


def _answered() -> list[tuple[str, str]]:
    return ANSWERED.findall(DOC.read_text())


def rounded(value: Any) -> Any:
    """Floats to three significant digits, the precision the doc promises."""
    if isinstance(value, float):
        return float(f"{value:.{SIGNIFICANT}g}")
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def pretty(value: Any, indent: int = 0) -> str:
    """JSON with each short object on one line (a row per line reads like a table)."""
    flat = json.dumps(value, separators=(", ", ": "))
    if len(flat) + indent <= FLAT or not isinstance(value, (dict, list)) or not value:
        return flat
    pad, inner = " " * indent, " " * (indent + 2)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {pretty(v, indent + 2)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    return "[\n" + ",\n".join(f"{inner}{pretty(v, indent + 2)}" for v in value) + f"\n{pad}]"


def without_variable(answer: dict[str, Any]) -> dict[str, Any]:
    dataset = dict(answer["extensions"]["dataset"])
    for key in VARIABLE:
        dataset.pop(key)
    return {**answer, "extensions": {**answer["extensions"], "dataset": dataset}}


@pytest.fixture(scope="module")
def dev_loaded(shared_dir: Path, neo4j_server: Settings, driver: Driver) -> Settings:
    from graph_loader.load.sources import LetterFiles
    from graph_loader.load.unwind import load_letters

    driver.execute_query("MATCH (n) DETACH DELETE n")
    summary = load_letters(LetterFiles([shared_dir / "letters" / "dev"]), neo4j_server)
    assert (summary.loaded, summary.rejected) == (94, 0), summary.describe()
    return neo4j_server


@pytest.fixture(scope="module")
def client(dev_loaded: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(dev_loaded, graph=ReadOnlyGraph.connect(dev_loaded))) as served:
        yield served


def test_the_doc_shows_the_three_answers_a_researcher_publishes() -> None:
    queries = " ".join(query for query, _ in _answered())
    assert "guidelineCitationStats" in queries and "groupBy: GUIDELINE" in queries
    assert "outcomeRates(groupBy: CATEGORY)" in queries
    assert "compareRates" in queries and "pValue" in queries and "upholdRateLow" in queries


@pytest.mark.parametrize("number", range(len(_answered())), ids=lambda n: f"answer-{n}")
def test_the_shown_answer_is_the_real_one(client: TestClient, driver: Driver, number: int) -> None:
    query, shown_text = _answered()[number]
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    answer = rounded(response.json())
    assert "errors" not in answer, answer["errors"]
    dataset = answer["extensions"]["dataset"]
    (node,) = driver.execute_query("MATCH (n:Dataset) RETURN n.id AS id, n.loaded_at AS loadedAt").records
    assert re.fullmatch(r"[0-9a-f]{64}", dataset["id"]) and dataset["id"] == node["id"]
    assert dataset["loadedAt"] == node["loadedAt"] and dataset["parserVersion"] and dataset["graphModel"]
    if os.environ.get("IMR_DOCS_ANSWERS") == "write":
        text = DOC.read_text()
        block = f"```json\n{shown_text}```"
        assert text.count(query + "```\n\n" + block) == 1
        DOC.write_text(
            text.replace(query + "```\n\n" + block, query + "```\n\n```json\n" + pretty(answer) + "\n```")
        )
        return
    shown = json.loads(shown_text)
    assert without_variable(rounded(shown)) == without_variable(answer), (
        f"docs/queries.md answer {number} is not what the API answers now:\n{pretty(answer)}\n"
        "IMR_DOCS_ANSWERS=write writes the new answers into the doc"
    )
