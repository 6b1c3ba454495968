"""Dates as letters print them (03/15/2014, 04/27/09, 10-13-16, December 11, 2000) to ISO 8601."""

from __future__ import annotations

import re
from datetime import date

from graph_loader.errors import ImrGraphError

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
MONTHS.update({m[:3]: n for m, n in list(MONTHS.items())})
MONTHS["sept"] = 9

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
NUMERIC_DATE = r"\b(\d{1,2})\s?[/-]\s?(\d{1,2})\s?[/-]\s?(\d{4}|\d{2})\b"
WORD_DATE = rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
DATE_PATTERN = re.compile(rf"{NUMERIC_DATE}|{WORD_DATE}", re.IGNORECASE)

# IMR began in 2013; no worker or letter predates 1930, and nothing is dated after the year it is read.
EARLIEST_YEAR = 1930
LATEST_YEAR = date.today().year + 1


class ImpossibleDate(ImrGraphError):
    pass


def expand_year(year: str) -> int:
    value = int(year)
    if len(year) == 2:
        return 2000 + value if value <= 30 else 1900 + value
    return value


def to_iso(year: int, month: int, day: int) -> str:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ImpossibleDate(f"year {year}")
    try:
        return date(year, month, day).isoformat()
    except ValueError as exc:
        raise ImpossibleDate(str(exc)) from exc


def match_to_iso(m: re.Match[str]) -> str:
    """ISO date of a DATE_PATTERN match; raises ImpossibleDate for 07/24/3014 or 02/30/2016."""
    if m.group(1):
        return to_iso(expand_year(m.group(3)), int(m.group(1)), int(m.group(2)))
    return to_iso(int(m.group(6)), MONTHS[m.group(4).lower().rstrip(".")], int(m.group(5)))


def parse_date(text: str) -> str | None:
    """The first date in text as ISO, None when there is none; ImpossibleDate when it is impossible."""
    m = DATE_PATTERN.search(text)
    return match_to_iso(m) if m else None
