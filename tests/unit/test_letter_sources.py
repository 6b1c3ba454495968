"""The letter sources a load reads from: each yields the letters the load read before it had them,
counts what it passes into the summary, and counts its letters for `--method auto` without reading
anything twice: a folder of shards from its manifest, other JSON Lines once (read ahead, then handed
back), standard input never."""

from __future__ import annotations

import io
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_loader.config import Settings
from graph_loader.engines.shards import MANIFEST, local_engine, write_shards
from graph_loader.extract.parallel import parse_one
from graph_loader.extract.source import walk_letter_paths
from graph_loader.load import sources
from graph_loader.load.bulk import importer
from graph_loader.load.parse_output import jsonl_lines, read_letters
from graph_loader.load.pipeline import LoadSummary, unique_letters
from graph_loader.load.render import render_line
from graph_loader.load.sources import LetterFiles, ParseOutput
from graph_loader.models import Letter
from graph_loader.server import local_neo4j as server
from tests.helpers import SAMPLES


def _corpus(folder: Path, copies: int = 2) -> Path:
    folder.mkdir(parents=True)
    for i in range(copies):
        for p in sorted(SAMPLES.glob("*.txt")):
            shutil.copy(p, folder / f"{i}-{p.name}")
    (folder / "empty.txt").write_text("")
    return folder


@pytest.fixture
def shards(tmp_path: Path) -> Path:
    """`imr-graph parse --output-dir` output of 10 letters and a reject: four shards and a manifest."""
    out = tmp_path / "shards"
    write_shards([_corpus(tmp_path / "letters")], out, local_engine(1), shard_size=3)
    return out


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every file opened from here on (Path.open, read_text and read_bytes all go through io.open)."""
    seen: Counter[str] = Counter()
    real = io.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        seen[str(file)] += 1
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", spy)
    return seen


def _ids(items: Iterator[tuple[Any, Any, str | None]]) -> list[str | None]:
    return [letter.letter_id if letter is not None else problem for _, letter, problem in items]


def test_letter_files_yield_the_parsed_letters_and_count_the_walk(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "letters")
    missing = tmp_path / "missing"
    summary = LoadSummary()
    got = list(LetterFiles([corpus, missing], workers=1).letters(summary))
    expected = [parse_one(p) for p, problem in walk_letter_paths([corpus]) if problem is None]
    assert got == expected
    assert (summary.files, summary.rejects) == (12, [f"{missing}: no such file or directory"])
    assert [letter is None for _, letter, _ in got].count(True) == 1  # the empty file
    rendered = list(LetterFiles([corpus], workers=1).rendered(LoadSummary()))
    assert _ids(iter(rendered)) == _ids(iter(expected))
    assert LetterFiles([corpus]).description == "parsing letters"


def test_letter_files_are_counted_by_their_names_up_to_the_limit(
    tmp_path: Path, opened: Counter[str]
) -> None:
    corpus = _corpus(tmp_path / "letters")
    opened.clear()
    assert (LetterFiles([corpus]).count(100), LetterFiles([corpus]).count(4)) == (11, 4)
    assert not opened, "counting letter files walks folders, it opens no letter"


def test_parse_output_yields_the_letters_read_back(shards: Path) -> None:
    summary = LoadSummary()
    got = list(ParseOutput([shards]).letters(summary))
    assert got == list(read_letters([shards]))
    assert (summary.files, summary.without_text) == (10, 10)  # parsed without --text
    rendered = list(ParseOutput([shards], workers=1).rendered(LoadSummary()))
    assert rendered == [render_line(item) for item in jsonl_lines([shards])]
    assert ParseOutput([shards]).description == "reading letters"


def test_a_folder_of_shards_is_counted_from_its_manifest(shards: Path, opened: Counter[str]) -> None:
    source = ParseOutput([shards])
    assert source.count(1000) == 10
    assert source.count(4) == 4
    assert set(opened) == {str(shards / MANIFEST)}, "no shard is opened to count"
    letters = list(unique_letters(source, LoadSummary()))
    assert len(letters) == 5  # the letters, each once
    assert sorted(name for name in opened if name.endswith(".jsonl")) == [
        str(p) for p in sorted(shards.glob("part-*.jsonl"))
    ], "the spy sees the shards the load reads"


def test_a_manifest_that_does_not_match_its_folder_is_not_trusted(shards: Path) -> None:
    extra = shards / "extra.jsonl"
    shutil.copy(shards / "part-00000.jsonl", extra)
    assert ParseOutput([shards]).count(1000) == 13  # read ahead: the extra file's three lines count
    extra.unlink()
    (shards / "part-00003.jsonl").unlink()
    assert ParseOutput([shards]).count(1000) == 9
    (shards / MANIFEST).write_text("shard\tletters\npart-00000.jsonl\t3\n")
    assert ParseOutput([shards]).count(1000) == 9


@pytest.mark.parametrize("spool_bytes", [sources.SPOOL_BYTES, 64])
def test_other_json_lines_are_read_once_across_the_count_and_the_load(
    tmp_path: Path, shards: Path, opened: Counter[str], monkeypatch: pytest.MonkeyPatch, spool_bytes: int
) -> None:
    # 64 bytes: the lines read ahead wait in a temporary file instead of memory.
    monkeypatch.setattr(sources, "SPOOL_BYTES", spool_bytes)
    lines = b"".join(p.read_bytes() for p in sorted(shards.glob("part-*.jsonl")))
    one = tmp_path / "one.jsonl"
    one.write_bytes(lines + b"\nnot json\n")
    expected = list(read_letters([one, one]))
    opened.clear()
    source = ParseOutput([one, one])
    assert source.count(4) == 4
    assert source.count(15) == 15  # the second file read ahead too, as far as the limit
    summary = LoadSummary()
    assert list(source.letters(summary)) == expected
    assert opened[str(one)] == 2, "each of the two inputs opened once, for the count and the load together"
    assert (summary.files, summary.without_text) == (22, 20)
    # Read ahead once: loading the same source again reads the files again.
    assert list(source.letters(LoadSummary())) == expected
    again = ParseOutput([one], workers=1)
    assert again.count(3) == 3
    assert [where for where, _, _ in again.rendered(LoadSummary())] == [w for w, _, _ in expected[:11]]


def test_stdin_is_never_read_to_count(shards: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.StringIO((shards / "part-00000.jsonl").read_text())
    monkeypatch.setattr("sys.stdin", stdin)
    loose = tmp_path / "loose.jsonl"
    shutil.copy(shards / "part-00001.jsonl", loose)
    source = ParseOutput([Path("-"), loose, shards])
    # Nothing after '-' is read ahead (that would mean holding stdin back); the manifest still counts.
    assert source.count(1000) == 10
    assert stdin.tell() == 0, "stdin untouched by the count"
    got = list(source.letters(LoadSummary()))
    assert [where for where, _, _ in got[:3]] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert all(isinstance(letter, Letter) for _, letter, _ in got) and len(got) == 16


def test_auto_takes_bulk_for_shards_the_manifest_counts(
    shards: Path, opened: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Driver:
        def close(self) -> None:
            pass

    monkeypatch.setattr(importer, "manages", lambda *args: True)
    monkeypatch.setattr(importer.neo4j_db, "connect", lambda settings: Driver())
    monkeypatch.setattr(importer.neo4j_db, "is_empty", lambda driver, database: True)
    monkeypatch.setattr(importer, "BULK_MIN_FILES", 10)
    home, config = server.Neo4jHome(shards / "home"), server.ServerConfig()
    settings = Settings()
    assert importer.choose_method("auto", ParseOutput([shards]), settings, home, config) == "bulk"
    monkeypatch.setattr(importer, "BULK_MIN_FILES", 11)
    assert importer.choose_method("auto", ParseOutput([shards]), settings, home, config) == "unwind"
    assert not [name for name in opened if name.endswith(".jsonl")]
