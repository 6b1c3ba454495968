"""Every case has a year: the printed decision date's, else one estimated from the latest dated event."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_loader.extract.layout import analyze
from graph_loader.extract.letter import parse_file
from graph_loader.normalize.years import decision_year, estimated_decision
from tests.helpers import SAMPLES


def test_printed_decision_date_wins() -> None:
    assert decision_year("2016-12-09", "2016-11-03", "seen on 01/02/2017") == (2016, "decision_date")


def test_estimate_follows_the_ur_denial_by_weeks() -> None:
    assert decision_year(None, "2014-07-10", "") == (2014, "estimated")
    # A denial late in the year is decided in the next one.
    assert decision_year(None, "2016-12-05", "") == (2017, "estimated")
    assert decision_year(None, None, "") == (None, None)


def test_summary_dates_count_only_when_the_letter_dates_no_event() -> None:
    summary = "Injured on 04/01/2011. Report dated 06/30/2014. Follow-up scheduled for 03/01/2016."
    # With a UR denial date, report dates (which precede it) and scheduled visits do not move the estimate.
    assert estimated_decision("2014-07-24", summary) == estimated_decision("2014-07-24", "")
    assert decision_year(None, "2014-07-24", summary) == (2014, "estimated")
    assert decision_year(None, None, "Injured on 04/01/2011. Report dated 06/30/2014.") == (2014, "estimated")
    # A date before IMR began is an injury or history, never the decision's.
    assert decision_year(None, None, "Injured on 04/01/2011.") == (None, None)
    # The latest of the events, each with its own lag: an assignment is closer to the decision.
    assert decision_year(None, "2015-10-01", "", application_received="2015-12-20") == (2016, "estimated")
    assert decision_year(None, "2015-10-01", "", date_assigned="2015-12-01") == (2015, "estimated")


def test_every_seed_sample_gets_a_year() -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        letter = parse_file(path)
        assert letter.decision_date is None
        assert letter.year in (2014, 2015) and letter.year_source == "estimated", path.name
        assert any("estimated from the latest dated event" in w for w in letter.warnings)


def test_estimate_matches_printed_year_on_shared_letters(shared_dir: Path) -> None:
    paths = sorted((shared_dir / "letters" / "dev").glob("*.txt"))
    right = 0
    for path in paths:
        letter = parse_file(path)
        assert letter.year_source == "decision_date" and letter.year == int((letter.decision_date or "0")[:4])
        summary = analyze(letter.text).sections.get("summary")
        text = letter.text[summary.start : summary.end] if summary else letter.text
        year, source = decision_year(None, letter.ur_decision_date, text)
        assert source == "estimated"
        right += year == letter.year
    assert right >= 0.95 * len(paths)


@pytest.mark.parametrize("corpus", ["seed", "dev"])
def test_shared_letters_all_have_a_year(shared_dir: Path, corpus: str) -> None:
    for path in sorted((shared_dir / "letters" / corpus).glob("*.txt")):
        letter = parse_file(path)
        assert letter.year is not None and 2013 <= letter.year <= 2030, path.name
