"""A letter re-posted or edited is one case on every load path (issue 28): a copy with its case number
removed, and an edit under the same case number, each load as one case with the newer letter's text,
a warning naming both files, and the pair in cypher/near_duplicate_letters.cypher; the same across
separate runs. The letters are made at test time from a sample letter (tests/reposted_letters.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from graph_loader import stored_queries as library
from graph_loader.cli.main import app
from graph_loader.config import Settings
from graph_loader.load import neo4j_db
from graph_loader.load.pipeline import LoadSummary
from graph_loader.load.sources import LetterFiles, ParseOutput
from graph_loader.load.unwind import load_letters
from tests.helpers import SAMPLES, clear_graph, settings_env, tally_mismatches
from tests.integration.conftest import RunningServer
from tests.reposted_letters import headed, write

OTHER = SAMPLES / "004_2921f774792fb9c3.txt"  # injured 12/11/2000: never one case with the first body
EDIT = ("MASSAGE X 2:  Upheld", "MASSAGE X 4:  Upheld")


def corpus(folder: Path) -> Path:
    """Two cases, four letters, each pair's older letter first in name order, so the newer replaces
    a letter already written: a copy without its case number, then the letter printing it (dated
    alike: the case number decides); a letter, then its edit decided later under the same number."""
    write(folder, "a-stripped.txt", headed(None))
    write(folder, "b-original.txt", headed("CM15-0000123"))
    write(
        folder, "c-first.txt", headed("CM15-0000456", body=OTHER, injured="12/11/2000", decided="03/01/2015")
    )
    write(
        folder,
        "d-edited.txt",
        headed("CM15-0000456", body=OTHER, injured="12/11/2000", decided="03/20/2015", edit=EDIT),
    )
    return folder


def cases(settings: Settings) -> dict[str, dict[str, Any]]:
    with neo4j_db.connect(settings) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (c:Case) RETURN c.letter_id AS id, c.source AS source, c.superseded_sources AS superseded, "
            "c.text AS text, COUNT { (c)-[:HAS_DECISION]->() } AS decisions",
            database_=settings.database,
        )
    return {r["id"]: {**r.data(), "source": Path(r["source"]).name} for r in records}


def listed_pairs(settings: Settings) -> list[tuple[str, str, str]]:
    rows = library.run(library.get("near_duplicate_letters"), {"first": 100}, settings)
    return [(r["letter_id"], Path(r["kept_source"]).name, Path(r["superseded_source"]).name) for r in rows]


def assert_one_case_each(settings: Settings, summary: LoadSummary) -> None:
    found = cases(settings)
    assert sorted(found) == ["CM15-0000123", "CM15-0000456"]
    assert found["CM15-0000123"]["source"] == "b-original.txt"
    assert found["CM15-0000456"]["source"] == "d-edited.txt"
    assert "MASSAGE X 4" in found["CM15-0000456"]["text"]
    assert [Path(s).name for s in found["CM15-0000123"]["superseded"]] == ["a-stripped.txt"]
    assert [Path(s).name for s in found["CM15-0000456"]["superseded"]] == ["c-first.txt"]
    assert {c["decisions"] for c in found.values()} == {3}
    assert summary.near_duplicates == 2 and summary.loaded == 2
    # Decisions written and kept: the replaced letters' decisions are not counted.
    assert summary.decisions == 6, summary.describe()
    warnings = "\n".join(summary.near_duplicate_pairs)
    for older, newer in (("a-stripped.txt", "b-original.txt"), ("c-first.txt", "d-edited.txt")):
        assert any(older in w and newer in w for w in summary.near_duplicate_pairs), warnings
    assert listed_pairs(settings) == [
        ("CM15-0000123", "b-original.txt", "a-stripped.txt"),
        ("CM15-0000456", "d-edited.txt", "c-first.txt"),
    ]
    # The older letters' decisions were taken off the pre-aggregated counts too.
    assert tally_mismatches(settings) == []


def test_unwind_from_letter_files(empty_graph: Settings, tmp_path: Path) -> None:
    summary = load_letters(LetterFiles([corpus(tmp_path / "letters")]), empty_graph, batch_size=2)
    assert_one_case_each(empty_graph, summary)


def test_unwind_one_batch(empty_graph: Settings, tmp_path: Path) -> None:
    summary = load_letters(LetterFiles([corpus(tmp_path / "letters")]), empty_graph, batch_size=500)
    assert_one_case_each(empty_graph, summary)


def test_unwind_from_parse_output(empty_graph: Settings, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["parse", "--text", str(corpus(tmp_path / "letters"))])
    assert result.exit_code == 0, result.stderr
    parsed = tmp_path / "letters.jsonl"
    parsed.write_text(result.stdout)
    summary = load_letters(ParseOutput([parsed]), empty_graph)
    assert_one_case_each(empty_graph, summary)


def test_bulk_import(private_server: RunningServer, tmp_path: Path) -> None:
    from graph_loader.load.bulk.importer import bulk_load_letters

    clear_graph(private_server.settings)
    summary = bulk_load_letters(
        LetterFiles([corpus(tmp_path / "letters")]),
        private_server.settings,
        private_server.home,
        private_server.config,
    )
    assert summary.method == "bulk"
    assert_one_case_each(private_server.settings, summary)


def test_across_runs_the_graph_keeps_the_newer_letter(empty_graph: Settings, tmp_path: Path) -> None:
    week1, week2, week3 = (tmp_path / f"week{i}" for i in (1, 2, 3))
    original = write(week1, "original.txt", headed("CM15-0000123"))
    first = load_letters(LetterFiles([original]), empty_graph)
    assert first.near_duplicates == 0 and len(cases(empty_graph)) == 1
    # A copy without its case number, loaded a week later: older by the stated tie-break, not written.
    stripped = write(week2, "stripped.txt", headed(None))
    second = load_letters(LetterFiles([stripped]), empty_graph)
    assert second.near_duplicates == 1 and second.loaded == 0
    assert str(stripped) in second.near_duplicate_pairs[0] and str(original) in second.near_duplicate_pairs[0]
    found = cases(empty_graph)
    assert list(found) == ["CM15-0000123"] and found["CM15-0000123"]["superseded"] == [str(stripped)]
    # Loading it again changes nothing.
    assert load_letters(LetterFiles([stripped]), empty_graph).loaded == 0
    assert cases(empty_graph)["CM15-0000123"]["superseded"] == [str(stripped)]
    # A re-decided copy, also without its case number, the week after: the later decision replaces
    # the case, which keeps the sources it had replaced.
    redecided = write(week3, "redecided.txt", headed(None, decided="03/02/2015"))
    third = load_letters(LetterFiles([redecided]), empty_graph)
    assert third.near_duplicates == 1 and third.loaded == 1
    found = cases(empty_graph)
    assert len(found) == 1
    (kept,) = found.values()
    assert kept["source"] == "redecided.txt" and kept["decisions"] == 3
    assert kept["superseded"] == [str(stripped), str(original)]
    assert tally_mismatches(empty_graph) == []


def test_the_load_command_names_both_files(
    empty_graph: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, driver: Driver
) -> None:
    settings_env(monkeypatch, empty_graph)
    monkeypatch.chdir(tmp_path)
    folder = corpus(tmp_path / "letters")
    result = CliRunner().invoke(app, ["load", str(folder), "--no-progress", "--method", "unwind"])
    assert result.exit_code == 0, result.stderr
    warned = [line for line in result.stderr.splitlines() if line.startswith("imr-graph: warning: ")]
    assert len(warned) == 2
    assert f"{folder / 'a-stripped.txt'}: one case with {folder / 'b-original.txt'}" in warned[0]
    assert "2 letters were another letter of the same case" in result.stdout
