"""Dates and date ranges as calendars print them: "Feb 27-Mar 10", "Sept. 13-15", "April 5"."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

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
    except (ValueError, OverflowError) as exc:  # OverflowError: a year past any C long
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
    """The calendar's own form of a range, read back by parse_date_range in start's year.

    The form names no year, so it cannot say a range that ends before it starts or runs
    into the start's month of a later year: those are a ParseError, not a wrong cell.
    """
    next_year = end.year == start.year + 1 and end.month < start.month
    if end < start or not (end.year == start.year or next_year):
        raise ParseError(f"no calendar cell says the range {start} to {end}")
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


_MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?"
)
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_PROSE_DATES = (
    # 20-21 November 2006, 9 February 2012
    re.compile(
        rf"\b(?P<d1>\d{{1,2}})(?:\s*[-\u2013]\s*(?P<d2>\d{{1,2}}))?\s+(?P<m>{_MONTH_NAMES})\s+(?P<y>{_YEAR})\b"
    ),
    # November 20-21, 2006 / March 15, 2006
    re.compile(
        rf"\b(?P<m>{_MONTH_NAMES})\s+(?P<d1>\d{{1,2}})(?:\s*[-\u2013]\s*(?P<d2>\d{{1,2}}))?,\s+(?P<y>{_YEAR})\b"
    ),
    # March 2006, in December 2011
    re.compile(rf"\b(?P<m>{_MONTH_NAMES})\s+(?:of\s+)?(?P<y>{_YEAR})\b"),
    # 2011, spring 2012, the 2010 Global Consultation
    re.compile(rf"(?<![\w/.-])(?P<y>{_YEAR})(?![\w/-])"),
)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        """year, month or day."""
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        """2010, 2010-03 or 2010-03-03."""
        if self.day and self.month:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def first_day(self) -> dt.date:
        """The earliest day this date may mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest day this date may mean."""
        if self.day and self.month:
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        """Whether this (possibly vague) date can fall within [start, end]."""
        return self.first_day() <= end and start <= self.last_day()


def parse_partial(text: str) -> PartialDate:
    """ "2010", "2010-03" or "2010-03-03" as a PartialDate."""
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text.strip())
    if not match:
        raise ParseError(f"malformed date {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if year < dt.MINYEAR:
        raise ParseError(f"no year {year} in the calendar: {text!r}")
    if month is not None:
        make_date(year, month, 1 if day is None else day, text)
    return PartialDate(year, month, day)


@dataclass(frozen=True)
class DateMention:
    """A date or date range written in prose, with where it stands."""

    start: PartialDate
    end: PartialDate
    begin: int
    finish: int


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Dates in prose, most precise reading first where readings overlap."""
    stop = len(text) if end is None else end
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PROSE_DATES:
        for match in pattern.finditer(text, start, stop):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            try:
                mention = _mention(match)
            except ParseError:
                continue
            found.append(mention)
            taken.append((match.start(), match.end()))
    return sorted(found, key=lambda m: m.begin)


def _mention(match: re.Match[str]) -> DateMention:
    groups = match.groupdict()
    year = int(groups["y"])
    month = month_number(groups["m"]) if groups.get("m") else None
    d1 = int(groups["d1"]) if groups.get("d1") else None
    d2 = int(groups["d2"]) if groups.get("d2") else None
    if month and d1 is not None:
        make_date(year, month, d1, match.group(0))
    if month and d2 is not None:
        make_date(year, month, d2, match.group(0))
    if d1 is not None and d2 is not None and d2 < d1:
        raise ParseError(f"malformed date {match.group(0)!r} (ends before it starts)")
    first = PartialDate(year, month, d1)
    last = PartialDate(year, month, d2) if d2 else first
    return DateMention(first, last, match.start(), match.end())
