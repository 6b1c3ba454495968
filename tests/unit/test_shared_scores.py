"""The extraction score on the shared real letters (CI has ../shared; a user's clone skips)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import score_extraction

TARGET = 0.97


@pytest.mark.parametrize("corpus", ["seed", "dev"])
def test_extraction_score_on_shared_letters(shared_dir: Path, corpus: str, tmp_path: Path) -> None:
    out = tmp_path / f"{corpus}.jsonl"
    with out.open("w") as fh:
        subprocess.run(
            [sys.executable, "-m", "graph_loader.cli.main", "parse", str(shared_dir / "letters" / corpus)],
            stdout=fh,
            check=True,
        )
    scores = score_extraction(shared_dir, corpus, out)
    assert scores["overall"] >= TARGET, scores


def test_pdf_and_text_give_the_same_facts(shared_dir: Path) -> None:
    from graph_loader.extract.letter import parse_file

    pdfs = sorted((shared_dir / "letters" / "dev-pdf").glob("*.pdf"))[:8]
    assert pdfs
    for pdf in pdfs:
        a = parse_file(pdf)
        b = parse_file(shared_dir / "letters" / "dev" / f"{pdf.stem}.txt")
        assert a.case_number == b.case_number
        assert [(d.item, d.outcome) for d in a.decisions] == [(d.item, d.outcome) for d in b.decisions]
