"""The decision year of a letter: printed, or estimated from the latest dated event the letter gives.

How the estimate is made. An IMR decision is the last event of a case: the utilization review (UR)
denial comes first, the worker applies for IMR within 30 days of it, MAXIMUS assigns the case, and the
reviewer decides within 30 days of receiving the records. Each dated event therefore bounds the
decision date from below by a typical lag, measured on the 94 shared 2016-17 letters, which print the
decision date too (median days to the decision): date assigned 28 (range 21-39), application received
33 (24-56), UR denial 46 (27-74). The estimated decision date is the latest event plus its lag, and
the estimate is its year. A letter that dates none of these (the UR date missing or impossible, as
in some 2014-15 letters) is estimated from the latest report date in its case summary, which precedes
the UR denial and so takes the UR lag. Hiding the printed date, this gives the printed year for 91 of
those 94 letters (90 from the UR date alone, 91 from the summary alone); the misses are decisions
within a week of New Year. The year can only be wrong when the events fall in November or December.
A date before IMR began is an injury or a history, never an event of the IMR.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from graph_loader.normalize.dates import DATE_PATTERN, ImpossibleDate, match_to_iso

LAG_ASSIGNED = 28
LAG_APPLICATION = 33
LAG_UR = 46
# IMR decisions began in 2013 (SB 863); a date before that is an injury or a history, not an event of the IMR.
IMR_START = date(2013, 1, 1)

YearSource = Literal["decision_date", "estimated"]


def _iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def text_dates(text: str) -> list[date]:
    out: list[date] = []
    for m in DATE_PATTERN.finditer(text):
        try:
            out.append(date.fromisoformat(match_to_iso(m)))
        except (ImpossibleDate, ValueError):
            continue
    return out


def estimated_decision(
    ur_date: str | None,
    summary: str,
    application_received: str | None = None,
    date_assigned: str | None = None,
) -> date | None:
    """The earliest date the decision can plausibly have, from the latest dated event; None when the
    letter dates nothing after IMR began."""
    candidates: list[date] = []
    for value, lag in (
        (date_assigned, LAG_ASSIGNED),
        (application_received, LAG_APPLICATION),
        (ur_date, LAG_UR),
    ):
        d = _iso(value)
        if d is not None and d >= IMR_START:
            candidates.append(d + timedelta(days=lag))
    if candidates:
        return max(candidates)
    # Only a letter that dates none of those events pays for scanning its summary (a full date scan
    # costs about as much as the rest of the letter's header fields).
    reports = [d for d in text_dates(summary) if d >= IMR_START]
    return max(reports) + timedelta(days=LAG_UR) if reports else None


def decision_year(
    decision_date: str | None,
    ur_date: str | None,
    summary: str,
    application_received: str | None = None,
    date_assigned: str | None = None,
) -> tuple[int | None, YearSource | None]:
    printed = _iso(decision_date)
    if printed is not None:
        return printed.year, "decision_date"
    estimate = estimated_decision(ur_date, summary, application_received, date_assigned)
    if estimate is None:
        return None, None
    return estimate.year, "estimated"
