"""Letters re-posted or edited, made at test time from a sample letter (the same five as the seed
letters) with a header in the 2016 layout: its case number, dates and the body's own injury date. The
samples print no header, so each test states the dates that make two letters one case, or not."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import SAMPLES

# Three decisions, a 42-year-old woman injured on 04/27/2009 (as its case summary says).
BODY = SAMPLES / "001_a4e734c225be3e19.txt"
INJURED = "04/27/2009"


def headed(
    case_number: str | None,
    *,
    decided: str | None = "02/01/2015",
    assigned: str | None = "01/05/2015",
    injured: str = INJURED,
    body: Path = BODY,
    edit: tuple[str, str] | None = None,
) -> str:
    """The sample's text under a header; None leaves a line out (the case number stripped)."""
    lines = [
        f"Case Number: {case_number}" if case_number else None,
        f"Date Assigned: {assigned}" if assigned else None,
        f"Date of Injury: {injured}",
        f"Decision Date: {decided}" if decided else None,
        "",
    ]
    text = "\n".join(line for line in lines if line is not None) + "\n" + body.read_text()
    if edit is not None:
        assert edit[0] in text
        text = text.replace(*edit)
    return text


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path
