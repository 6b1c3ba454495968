"""Rows for every shared real letter (skipped without ../shared): each diagnosis walks up to its
chapter, so the hierarchy filters find it; single-category blocks (M99, T14) do not loop."""

from __future__ import annotations

from pathlib import Path

from graph_loader.extract.letter import parse_file
from graph_loader.graph.rows import icd_chain, letter_rows


def test_codes_whose_block_bears_their_name_reach_the_chapter() -> None:
    for code, chapter in (("M99.01", "13"), ("T14.8XXA", "19"), ("M54.16", "13")):
        chain = icd_chain(code)
        assert chain[-1] == (chapter, chain[-1][1], "chapter"), chain
        assert len({c for c, _, _ in chain}) == len(chain), "no code twice in a chain"


def test_every_shared_letter_gives_rows(shared_dir: Path) -> None:
    paths = sorted((shared_dir / "letters" / "dev").glob("*.txt")) + sorted(
        (shared_dir / "letters" / "seed").glob("*.txt")
    )
    assert len(paths) >= 99
    for path in paths:
        rows = letter_rows(parse_file(path))
        for row in rows.relationships["HAS_DIAGNOSIS"]:
            assert icd_chain(row["dst"])[-1][2] == "chapter", (path.name, row["dst"])
