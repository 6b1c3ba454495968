"""A folder of every kind of bad file beside good letters, loaded through both load paths: one report
line per bad file naming it and its problem, every good letter loaded, nothing partial left by a
rejected file, and a letter present twice loaded once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pypdf
import pytest

from graph_loader.config import Settings
from graph_loader.load import neo4j_db
from graph_loader.load.bulk.importer import bulk_load_letters
from graph_loader.load.pipeline import LoadSummary
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters
from tests.helpers import RunningServer, blank_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "letters"

# file name -> the problem its report line must name
EXPECTED = {
    "empty.txt": "empty file",
    "junk.txt": "binary data, not a text letter",
    "truncated.txt": "no decision blocks found",
    "page.html.txt": "not an IMR determination letter",
    "huge.txt": "too large for one letter",
    "no-decisions.txt": "no decision blocks found",
    "locked.pdf": "password-protected PDF",
    "scanned.pdf": "no text layer: scanned PDF, OCR it first",
    "unreadable.txt": "permission denied",
    "loop": "symlink loop",
}


def bad_corpus(folder: Path) -> Path:
    letters = sorted(SAMPLES.glob("*.txt"))
    for p in letters:
        shutil.copy(p, folder / p.name)
    shutil.copy(letters[0], folder / "same-letter-under-another-name.txt")
    text = letters[1].read_text()
    (folder / "windows-1252.txt").write_bytes(
        text.replace("Case Number", "Case Number").replace("'", "\u2019").encode("cp1252")
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "truncated.txt").write_text(
        text[: text.index("IMR ISSUES")] if "IMR ISSUES" in text else text[:900]
    )
    (folder / "page.html.txt").write_text("<html><body><h1>404 Not Found</h1><p>Try again.</p></body></html>")
    with (folder / "huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    header = text.split("\n\n")[0]
    (folder / "no-decisions.txt").write_text(header + "\n\nFINAL DETERMINATION LETTER\n\nThank you.\n")
    writer = pypdf.PdfWriter(clone_from=str(blank_pdf(folder / "plain.tmp")))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    with (folder / "locked.pdf").open("wb") as fh:
        writer.write(fh)
    (folder / "plain.tmp").unlink()
    blank_pdf(folder / "scanned.pdf")
    unreadable = folder / "unreadable.txt"
    shutil.copy(letters[2], unreadable)
    unreadable.chmod(0)
    (folder / "sub").mkdir()
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    return folder


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "downloads").mkdir()
    folder = bad_corpus(tmp_path / "downloads")
    if os.geteuid() == 0:  # root reads anything: make the read fail as it would for a user
        real = Path.read_bytes

        def deny(self: Path) -> bytes:
            if self.name == "unreadable.txt":
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", deny)
    return folder


def _check(summary: LoadSummary, report: Path, corpus: Path, settings: Settings) -> None:
    lines = report.read_text().splitlines()
    assert len(lines) == len(EXPECTED), lines
    for name, problem in EXPECTED.items():
        matching = [line for line in lines if name in line]
        assert len(matching) == 1, (name, lines)
        assert problem in matching[0] and str(corpus) in matching[0], matching[0]
    assert summary.duplicates >= 1  # the same letter under another name loads once
    with neo4j_db.connect(settings) as driver:
        records, _, _ = driver.execute_query(
            "MATCH (c:Case) RETURN c.source AS source, count{ (c)-[:HAS_DECISION]->() } AS decisions"
        )
    sources = {Path(r["source"]).name for r in records}
    assert not sources & set(EXPECTED), "a rejected file left nodes behind"
    assert {p.name for p in SAMPLES.glob("*.txt")} <= sources
    assert all(r["decisions"] > 0 for r in records)
    assert summary.loaded == len(records)


def test_bad_corpus_through_the_unwind_path(empty_graph: Settings, corpus: Path, tmp_path: Path) -> None:
    report = tmp_path / "rejects.txt"
    summary = load_letters(LetterFiles([corpus], 1), empty_graph, report_path=report)
    _check(summary, report, corpus, empty_graph)


def test_bad_corpus_through_the_bulk_path(
    private_server: RunningServer, corpus: Path, tmp_path: Path
) -> None:
    settings = private_server.settings
    with neo4j_db.connect(settings) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
    report = tmp_path / "rejects.txt"
    summary = bulk_load_letters(
        LetterFiles([corpus], 1), settings, private_server.home, private_server.config, report_path=report
    )
    _check(summary, report, corpus, settings)
