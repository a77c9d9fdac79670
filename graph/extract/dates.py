"""Dates and date ranges as calendars print them: "Feb 27-Mar 10", "Sept. 13-15", "April 5"."""

from __future__ import annotations

import datetime as dt
import re

from dateutil.parser import parserinfo

from graph.errors import ParseError

_MONTHS = parserinfo()
_MONTH = r"[A-Za-z]{3,9}\.?"
_RANGE = re.compile(
    rf"^(?P<m1>{_MONTH})\s*(?P<d1>\d{{1,2}})"
    rf"(?:\s*[-\u2013\u2014]\s*(?:(?P<m2>{_MONTH})\s*)?(?P<d2>\d{{1,2}}))?$"
)
_AS_OF = re.compile(rf"\bas of\s+(?P<month>{_MONTH})\s*(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b")
_SHORT_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_number(name: str) -> int:
    """1-12 for an English month name or abbreviation ("Sept.", "April")."""
    number = _MONTHS.month(name.rstrip("."))
    if number is None:
        raise ParseError(f"unknown month {name!r}")
    return int(number)


def make_date(year: int, month: int, day: int, text: str) -> dt.date:
    """A date, or a ParseError quoting the text it came from."""
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ParseError(f"malformed date {text!r} ({exc})") from exc


def parse_date_range(text: str, year: int) -> tuple[dt.date, dt.date]:
    """Start and end dates of a calendar cell; a range running into January ends the next year."""
    cell = " ".join(text.split())
    match = _RANGE.match(cell)
    if not match:
        raise ParseError(f"malformed date {text.strip()!r}")
    try:
        m1 = month_number(match["m1"])
        m2 = month_number(match["m2"]) if match["m2"] else m1
    except ParseError as exc:
        raise ParseError(f"malformed date {text.strip()!r} ({exc})") from exc
    start = make_date(year, m1, int(match["d1"]), cell)
    if match["d2"] is None:
        return start, start
    end = make_date(year + 1 if m2 < m1 else year, m2, int(match["d2"]), cell)
    if end < start:
        raise ParseError(f"malformed date {text.strip()!r} (ends before it starts)")
    return start, end


def format_date_range(start: dt.date, end: dt.date) -> str:
    """The calendar's own form of a range, readable by parse_date_range."""
    first = f"{_SHORT_NAMES[start.month - 1]} {start.day}"
    if end == start:
        return first
    if (end.year, end.month) == (start.year, start.month):
        return f"{first}-{end.day}"
    return f"{first}-{_SHORT_NAMES[end.month - 1]} {end.day}"


def find_as_of_date(text: str) -> dt.date | None:
    """The date of an "(as of August 8, 2006)" note, if the text has one."""
    match = _AS_OF.search(text)
    if not match:
        return None
    return make_date(
        int(match["year"]), month_number(match["month"]), int(match["day"]), match.group(0)
    )
