"""The shared real letters load (skipped without ../shared): every letter, no reject, and the
flagship answers from them."""

from __future__ import annotations

from pathlib import Path

from graph_loader import stored_queries as library
from graph_loader.config import Settings
from graph_loader.load.sources import LetterFiles
from graph_loader.load.unwind import load_letters


def test_the_real_letters_load_and_answer_the_flagship(shared_dir: Path, empty_graph: Settings) -> None:
    summary = load_letters(
        LetterFiles([shared_dir / "letters" / "dev", shared_dir / "letters" / "seed"]), empty_graph
    )
    assert (summary.loaded, summary.rejected) == (99, 0), summary.describe()
    query = library.get("flagship_guideline_sections")
    rows = library.run(query, library.validate_params(query, {"diagnosis_codes": ["M54.1"]}), empty_graph)
    assert rows and rows[0]["decisions"] >= rows[-1]["decisions"]
