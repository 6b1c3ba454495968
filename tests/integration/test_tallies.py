"""The loader's tallies answer exactly what the traversals answer: after incremental loads that add,
change and repeat letters, after two loaders at once, and after a bulk load (the bulk path and a
killed loader are also covered by the full-graph fingerprints of test_bulk_load and
test_crash_recovery, which include every tally cell). Each check is twofold: every cell equals a
recount of the graph's letters, and the API's tally-backed answers equal its traversal answers for
random parameter combinations."""

from __future__ import annotations

import asyncio
import random
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from api.cypher.crosstab import DIMENSIONS
from api.cypher.db import ReadOnlyGraph
from api.cypher.tally_answers import Readiness, outcome_cube
from api.graphql.enums import Category
from api.graphql.schema import schema
from bench.synth import generate
from graph_loader.config import Settings
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters
from tests.helpers import SAMPLES, RunningServer, clear_graph, tally_mismatches

# Tallies off, the date order on: the reference answers by traversal and sorts by the same key.
TRAVERSAL = Readiness(checked_at=float("inf"), ready=False, date_order=True)


def _write(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text)
    return folder


def _synthetic(count: int, seed: int) -> dict[str, str]:
    return {s.name: s.text for s in generate(count, seed=seed)}


def _changed(texts: dict[str, str], rng: random.Random) -> dict[str, str]:
    """The same letters (same case numbers) with outcomes flipped and ages moved: changed content."""
    out = {}
    for name, text in texts.items():
        text = re.sub(
            r": (Upheld|Overturned)\n",
            lambda m: f": {'Overturned' if m[1] == 'Upheld' else 'Upheld'}\n",
            text,
            count=rng.randrange(1, 3),
        )
        text = re.sub(r"is a (\d+) year old", lambda m: f"is a {int(m[1]) + 7} year old", text)
        out[name] = text
    return out


def _run(query: str, graph: ReadOnlyGraph, *, traversal: bool) -> Any:
    context: dict[str, Any] = {"graph": graph}
    if traversal:
        context["tally_readiness"] = TRAVERSAL
    result = asyncio.run(schema.execute(query, context_value=context))
    assert result.errors is None, (query, result.errors)
    return result.data


def _approx(rows: Any) -> Any:
    """Averages computed as sum/count by the tallies and by avg() in the traversal differ in the last bits."""
    if isinstance(rows, float):
        return round(rows, 9)
    if isinstance(rows, list):
        return [_approx(r) for r in rows]
    if isinstance(rows, dict):
        return {k: _approx(v) for k, v in rows.items()}
    return rows


def _questions(driver: Driver, rng: random.Random, count: int) -> list[str]:
    codes = [r["code"] for r in driver.execute_query("MATCH (x:Diagnosis) RETURN x.code AS code")[0]]
    treatments = [r["n"] for r in driver.execute_query("MATCH (t:Treatment) RETURN t.name AS n")[0]]
    years = [r["y"] for r in driver.execute_query("MATCH (c:Case) RETURN DISTINCT c.year AS y")[0]]
    covered = [
        dims
        for dims in (tuple(rng.sample(DIMENSIONS, k=rng.randrange(1, 4))) for _ in range(400))
        if outcome_cube(dims)
    ]
    out = []
    for _ in range(count):
        code = rng.choice([*codes, None])
        icd = f'icd10: "{code}", ' if code else ""
        outcome = rng.choice(["outcome: UPHELD, ", "outcome: OVERTURNED, ", ""])
        voice = rng.choice(["citedBy: IMR_REVIEWER, ", "citedBy: CLAIMS_ADMINISTRATOR, ", ""])
        group = rng.choice(["groupBy: SECTION, ", "groupBy: GUIDELINE, "])
        year = rng.choice([f"year: {y}, " for y in years if y is not None] + [""])
        out.append(
            f"{{ guidelineCitationStats({icd}{outcome}{voice}{group}{year}first: 100) "
            "{ guideline { key } section decisions share url } }"
        )
        dims = ", ".join(rng.choice(covered))
        out.append(
            f"{{ outcomeRates(groupBy: [{dims}], first: 100) {{ groups decisions upheld overturned "
            "upholdRate estimatedYears age { avg } quantity { avg } daysFromUrDenial { avg } } }"
        )
        args = rng.choice(
            [
                "",
                f'treatment: "{rng.choice(treatments)[:6]}", ',
                f"category: {rng.choice([c.name for c in Category])}, ",
                f'icd10: "{rng.choice(codes)}", ' if codes else "",
            ]
        )
        out.append(f"{{ denialReasons({args}examples: 0, first: 100) {{ code decisions }} }}")
        parts = [
            rng.choice(["", "outcome: UPHELD", "outcome: OVERTURNED"]),
            rng.choice(["", f"category: {rng.choice([c.name for c in Category])}"]),
            rng.choice(["", f"year: {{min: {rng.choice([2015, 2017])}}}", "year: {max: 2016}"]),
            rng.choice(
                [
                    "",
                    f'icd10: "{rng.choice(codes)}"' if codes else "",
                    f'treatment: {{contains: "{rng.choice(treatments)[:5]}"}}',
                    f'treatment: {{equals: "{rng.choice(treatments)}"}}',
                    'licensureState: "CA"',
                    'ingredient: "hydrocodone"',
                ]
            ),
        ]
        filt = ", ".join(p for p in parts if p)
        out.append(
            f"{{ decisions(filter: {{{filt}}}, first: 3) {{ totalCount edges {{ node {{ item }} }} }} }}"
        )
        # The nested pages whose totals and plans come from the tallies (api/graphql/nested_fields.py).
        sort = rng.choice(
            ["", "sort: {field: AGE, direction: DESC}, ", "sort: {field: AGE, direction: ASC}, "]
        )
        sort = rng.choice([sort, "sort: {field: DECISION_DATE, direction: ASC}, "])
        name = rng.choice(["", 'name: "pain", ', 'code: "13", '])
        out.append(
            f"{{ diagnoses({name}first: 100) {{ terms {{ code cases decisions upheld "
            f"casesConnection({sort}first: {rng.choice([1, 2, 5])}) "
            "{ totalCount edges { node { letterId } } pageInfo { hasNextPage } } } } }"
        )
        root = rng.choice(["treatments", "treatmentClasses", "states", "specialties"])
        nested_filter = ", ".join(p for p in parts[:3] if p)
        out.append(
            f"{{ {root}(first: 50) {{ terms {{ key decisions upheld decisionsConnection(first: {rng.choice([1, 2, 5])}, "
            f"filter: {{{nested_filter}}}) {{ totalCount edges {{ node {{ decisionId }} }} "
            "pageInfo { hasNextPage } } } } }"
        )
    return out


def _assert_answers_agree(settings: Settings, driver: Driver, seed: int, count: int = 25) -> None:
    assert tally_mismatches(settings) == []
    graph = ReadOnlyGraph.connect(settings)
    try:
        for query in _questions(driver, random.Random(seed), count):
            assert _approx(_run(query, graph, traversal=False)) == _approx(
                _run(query, graph, traversal=True)
            ), query
    finally:
        graph.close()


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, str]:
    texts = _synthetic(80, seed=31)
    texts.update({p.name: p.read_text() for p in sorted(SAMPLES.glob("*.txt"))})
    return texts


def test_tallies_follow_letters_added_changed_and_repeated(
    empty_graph: Settings, driver: Driver, corpus: dict[str, str], tmp_path: Path
) -> None:
    rng = random.Random(5)
    names = sorted(corpus)
    first = {n: corpus[n] for n in names[:60]}
    load_letters(LetterFiles([_write(tmp_path / "first", first)]), empty_graph, batch_size=17)
    _assert_answers_agree(empty_graph, driver, seed=1)

    changed = _changed({n: corpus[n] for n in rng.sample(names[:60], 25)}, rng)
    later = {n: corpus[n] for n in names[40:]}  # 20 repeated, the rest new
    load_letters(LetterFiles([_write(tmp_path / "second", {**later, **changed})]), empty_graph, batch_size=13)
    _assert_answers_agree(empty_graph, driver, seed=2)

    # Changed back, and the same folder twice: nothing counts twice.
    load_letters(LetterFiles([_write(tmp_path / "first", first)]), empty_graph, batch_size=50)
    load_letters(LetterFiles([tmp_path / "first"]), empty_graph, batch_size=50)
    _assert_answers_agree(empty_graph, driver, seed=3)


def test_a_diagnosis_a_changed_letter_drops_leaves_no_case_cell_at_zero(
    empty_graph: Settings, tmp_path: Path
) -> None:
    """CaseTally counts cases, not decisions: its cells go when their case count reaches zero."""
    name, text = next(iter(_synthetic(1, seed=31).items()))
    folder = _write(tmp_path / "one", {name: text})
    load_letters(LetterFiles([folder]), empty_graph)
    changed = re.sub(
        r"was diagnosed with [^.]*\.", "was diagnosed with carpal tunnel syndrome.", text, count=1
    )
    assert changed != text
    _write(folder, {name: changed})
    load_letters(LetterFiles([folder]), empty_graph)
    assert tally_mismatches(empty_graph) == []


def test_a_load_clears_case_cells_earlier_loaders_left_at_zero(
    empty_graph: Settings, driver: Driver, tmp_path: Path
) -> None:
    name, text = next(iter(_synthetic(1, seed=32).items()))
    folder = _write(tmp_path / "one", {name: text})
    load_letters(LetterFiles([folder]), empty_graph)
    driver.execute_query(
        "CREATE (:CaseTally {key: 'left-at-zero', cube: 'DIAGNOSIS', anchor: 'M54.5', year: 2015, "
        "cases: 0, with_age: 0, with_decision_date: 0})"
    )
    assert tally_mismatches(empty_graph) != []
    load_letters(LetterFiles([folder]), empty_graph)
    assert tally_mismatches(empty_graph) == []


def test_two_loaders_at_once_lose_no_update(
    empty_graph: Settings, driver: Driver, corpus: dict[str, str], tmp_path: Path
) -> None:
    names = sorted(corpus)
    a = _write(tmp_path / "a", {n: corpus[n] for n in names[:55]})
    b = _write(tmp_path / "b", {n: corpus[n] for n in names[30:]})
    errors: list[BaseException] = []

    def load(folder: Path) -> None:
        try:
            load_letters(LetterFiles([folder], 1), empty_graph, batch_size=5)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=load, args=(f,)) for f in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    _assert_answers_agree(empty_graph, driver, seed=4)


def test_bulk_load_tallies_equal_the_traversal(
    private_server: RunningServer, corpus: dict[str, str], tmp_path: Path
) -> None:
    from graph_loader.load.bulk.importer import bulk_load_letters
    from graph_loader.load.neo4j_db import connect
    from graph_loader.load.sources import LetterFiles

    clear_graph(private_server.settings)
    folder = _write(tmp_path / "bulk", corpus)
    bulk_load_letters(
        LetterFiles([folder]), private_server.settings, private_server.home, private_server.config
    )
    with connect(private_server.settings) as driver:
        _assert_answers_agree(private_server.settings, driver, seed=6)
