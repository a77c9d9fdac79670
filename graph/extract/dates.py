"""Dates and date ranges as calendars print them: "Feb 27-Mar 10", "Sept. 13-15", "April 5"."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.parser import parserinfo

from graph.errors import ParseError
from graph.extract.folding import Folded, fold
from graph.model.statements import Span

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


_MONTH_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ),
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ),
    "es": (
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
        "octubre", "noviembre", "diciembre",
    ),
    "it": (
        "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
        "settembre", "ottobre", "novembre", "dicembre",
    ),
}  # fmt: skip
"""Month names of the languages the corpus is written in, January first."""
ENGLISH_MONTHS = frozenset(_MONTH_WORDS["en"])
"""The English month names, capitalised (words that name no organization or place)."""
_EXTRA_MONTHS = {"fevrier": 2, "aout": 8, "decembre": 12, "setiembre": 9}
_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
                  "Dec")  # fmt: skip


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for language, names in _MONTH_WORDS.items():
        for number, name in enumerate(names, start=1):
            # English names are capitalised: "may" and "march" in lower case are verbs
            forms = {name, name.upper()} if language == "en" else {name, name.title(), name.upper()}
            for form in forms:
                table[form] = number
    for name, number in _EXTRA_MONTHS.items():
        table[name] = table[name.title()] = number
    for name in _ABBREVIATIONS:
        number = _SHORT_NAMES.index(name[:3]) + 1
        table[name] = table[f"{name}."] = number
    return table


_MONTH_OF = _month_table()
_MONTH_WORD = "|".join(re.escape(name) for name in sorted(_MONTH_OF, key=len, reverse=True))
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"


def _month(name: str) -> str:
    return rf"(?P<{name}>{_MONTH_WORD})(?![\w])"


def _day(name: str) -> str:
    return rf"(?P<{name}>[0-3]?\d)(?:er|re|st|nd|rd|th|º|°)?(?!\d)"


_SEP = r"(?:\s*[-/&]\s*|\s+(?:to|and|through|until|au|et|y|al|a|e)\s+|\s+all['\u2019]\s*)"
"""Between the two ends of a range: "-", "to", "and", "au", "y", "al", "e", "all'"."""
_DE = r"(?:\s+de)?"
_BEFORE_YEAR = r",?\s+(?:de\s+|of\s+)?"
_Y1 = rf"(?P<y1>{_YEAR})(?![\w/-])"
_Y2 = rf"(?P<y2>{_YEAR})(?![\w/-])"
_MONTH_AFTER = (
    "(?:"
    + "|".join(
        rf"(?<=\b{word} )"
        for word in ("in", "In", "during", "since", "until", "en", "En", "nel", "a")
    )
    + ")"
)
"""Words after which a month name without a year is a date: "held in December"."""
_PROSE_DATES: tuple[tuple[re.Pattern[str], bool], ...] = tuple(
    (re.compile(pattern), implied)
    for pattern, implied in (
        # 28 February - 2 March 2007, 21 February 2013 to 22 February 2013, du 28 février au 2 mars
        (rf"\b{_day('d1')}{_DE}\s+{_month('m1')}(?:{_BEFORE_YEAR}{_Y1})?{_SEP}"
         rf"{_day('d2')}{_DE}\s+{_month('m2')}{_BEFORE_YEAR}{_Y2}", False),
        # 14 and 15 September 2006, 20-21 November 2006, 6-8 de mayo de 2006, 9-11 July, 2007
        (rf"\b{_day('d1')}{_SEP}{_day('d2')}{_DE}\s+{_month('m1')}{_BEFORE_YEAR}{_Y1}", False),
        # 9 February 2012, 1er juillet 2006, 6 de mayo de 2006
        (rf"\b{_day('d1')}{_DE}\s+{_month('m1')}{_BEFORE_YEAR}{_Y1}", False),
        # February 28 - March 2, 2007
        (rf"\b{_month('m1')}\s+{_day('d1')}{_SEP}{_month('m2')}\s+{_day('d2')},?\s+{_Y1}", False),
        # November 4-5, 2009; September 14 and 15, 2006
        (rf"\b{_month('m1')}\s+{_day('d1')}{_SEP}{_day('d2')},?\s+{_Y1}", False),
        # March 15, 2006
        (rf"\b{_month('m1')}\s+{_day('d1')},?\s+{_Y1}", False),
        # September-October 2006
        (rf"\b{_month('m1')}{_SEP}{_month('m2')}{_BEFORE_YEAR}{_Y1}", False),
        # March 2006, in December of 2011, mayo de 2006, giugno 2006
        (rf"\b{_month('m1')}{_BEFORE_YEAR}{_Y1}", False),
        # the 2011 May Debate: the year before its month, as in a date-ordered list
        (rf"(?<![\w/.-]){_Y1}\s+{_month('m1')}(?!\s*\d)", False),
        # 2011, spring 2012, the 2010 Global Consultation
        (rf"(?<![\w/.-]){_Y1}", False),
        # the year implied by the context: 28 February - 2 March, from 6 to 8 May, 12 July
        (rf"\b{_day('d1')}{_DE}\s+{_month('m1')}{_SEP}{_day('d2')}{_DE}\s+{_month('m2')}", True),
        (rf"\b{_day('d1')}{_SEP}{_day('d2')}{_DE}\s+{_month('m1')}", True),
        (rf"\b{_day('d1')}{_DE}\s+{_month('m1')}", True),
        (rf"\b{_month('m1')}\s+{_day('d1')}{_SEP}{_day('d2')}", True),
        (rf"\b{_month('m1')}\s+{_day('d1')}(?![\w,/.-]*\d)", True),
        # held in December, en décembre, nel dicembre: a month after its preposition, in a
        # sentence that prints the year or a document that does; never the year of another
        # sentence, nor one after "next" ("at its next session, in April" may be next year's)
        (rf"{_MONTH_AFTER}(?P<sentence_year>){_month('m1')}(?!\s*(?:\d|de\s+\d|of\s+\d))",
         True),
    )
)  # fmt: skip
"""Dates in prose, most complete first: where readings overlap the first one wins."""
_BOUNDARY = re.compile(r"[.!?](?=\s)|\n\s*\n")
_ANOTHER_YEAR = re.compile(
    r"\b(?:next|following|coming|last|previous|prochaine?|suivante?|pr[oó]xim[oa]|"
    r"prossim[oa]|successiv[oa])\b",
    re.IGNORECASE,
)
"""Words that put a date without its year in another year than the document's."""
_CONFIDENCE = {"day": 0.95, "month": 0.85, "year": 0.6}
"""How often a date of each precision is the date of something, not a passing mention."""


@dataclass(frozen=True)
class DateMention:
    """A date or date range written in prose, with where it stands."""

    start: PartialDate
    end: PartialDate
    begin: int
    finish: int
    implied: bool = field(default=False, compare=False)
    """Whether the year is not printed but taken from the context."""
    confidence: float = field(default=1.0, compare=False)
    """How sure the extractor is that this is a date (0..1)."""


def find_dates(
    text: str, start: int = 0, end: int | None = None, *, year: int | None = None
) -> list[DateMention]:
    """Dates in text[start:end], most precise reading first where readings overlap.

    Day, month and year forms in English, French, Spanish and Italian, single dates and
    ranges ("14 and 15 September 2006", "du 6 au 8 mai 2006", "28 February - 2 March
    2007"). A date printed without its year takes it from the context: a year in the
    same sentence, else `year` (the document's), else the last year printed before it;
    with none of these it is left out.
    """
    stop = len(text) if end is None else end
    every, begins = _all_dates(text, year)
    first, last = bisect_left(begins, start), bisect_left(begins, stop)
    return [m for m in every[first:last] if m.finish <= stop]


@lru_cache(maxsize=8)
def _all_dates(text: str, year: int | None) -> tuple[list[DateMention], list[int]]:
    """Every date of a text, read once (sentence after sentence asks for its own), and
    where each begins."""
    folded = _folded(text)
    found: list[DateMention] = []
    starts: list[int] = []  # of the folded stretches taken, kept sorted; they never overlap
    ends: list[int] = []
    for pattern, implied in _PROSE_DATES:
        for match in pattern.finditer(folded.text):
            at = bisect_left(starts, match.end())
            if at and ends[at - 1] > match.start():
                continue  # overlaps a reading found before
            sentence_only = "sentence_year" in pattern.groupindex
            context = (
                _context_year(folded.text, match, year, sentence_only=sentence_only)
                if implied
                else None
            )
            if implied and context is None:
                continue
            try:
                mention = _mention(match, context, folded.span(match.start(), match.end()))
            except ParseError:
                continue
            found.append(mention)
            starts.insert(at, match.start())
            ends.insert(at, match.end())
    found.sort(key=lambda m: m.begin)
    return found, [m.begin for m in found]


@lru_cache(maxsize=8)
def _folded(text: str) -> Folded:
    return fold(text)


@lru_cache(maxsize=8)
def _years(text: str) -> tuple[tuple[int, int], ...]:
    """(position, year) of every year printed in a folded text."""
    pattern = re.compile(rf"(?<![\w/.-])({_YEAR})(?![\w/-])")
    return tuple((m.start(), int(m.group(1))) for m in pattern.finditer(text))


@lru_cache(maxsize=8)
def _positions(text: str) -> list[int]:
    return [position for position, _ in _years(text)]


def _context_year(
    text: str, match: re.Match[str], year: int | None, *, sentence_only: bool = False
) -> int | None:
    """The year a date printed without one stands in: the nearest in its sentence, else
    `year` (the document's), else (unless `sentence_only`) the last printed before it. A
    date told as another year's ("next April", "the following March") takes none but its
    sentence's."""
    before = [b.end() for b in _BOUNDARY.finditer(text, max(0, match.start() - 400), match.start())]
    after = _BOUNDARY.search(text, match.end())
    low, high = (before[-1] if before else 0), (after.start() if after else len(text))
    years = _years(text)
    positions = _positions(text)
    first, last = bisect_left(positions, low), bisect_left(positions, high)
    same = [(abs(p - match.start()), y) for p, y in years[first:last]]
    if same:
        return min(same)[1]
    if _ANOTHER_YEAR.search(text, max(low, match.start() - 40), match.start()):
        return None
    if year is not None:
        return year
    if sentence_only:
        return None
    earlier = bisect_left(positions, match.start())
    return years[earlier - 1][1] if earlier else None


def _mention(match: re.Match[str], implied: int | None, span: Span) -> DateMention:
    groups = match.groupdict()
    text = match.group(0)
    m1 = _MONTH_OF[groups["m1"]] if groups.get("m1") else None
    m2 = _MONTH_OF[groups["m2"]] if groups.get("m2") else m1
    d1 = int(groups["d1"]) if groups.get("d1") else None
    d2 = int(groups["d2"]) if groups.get("d2") else d1
    y2 = int(groups["y2"]) if groups.get("y2") else None
    y1 = int(groups["y1"]) if groups.get("y1") else None
    if implied is not None:
        y1 = implied
    if y1 is None:  # "28 February - 2 March 2007": the year is printed once, at the end
        assert y2 is not None
        y1 = y2 if (m1, d1 or 0) <= (m2, d2 or 0) else y2 - 1
    if y2 is None:
        y2 = y1 + 1 if m1 is not None and m2 is not None and m2 < m1 else y1
    if m1 is not None and d1 is not None:
        make_date(y1, m1, d1, text)
    if m2 is not None and d2 is not None:
        make_date(y2, m2, d2, text)
    first = PartialDate(y1, m1, d1)
    last = PartialDate(y2, m2, d2)
    if last.last_day() < first.first_day() or (d1 is None) != (d2 is None):
        raise ParseError(f"malformed date {text!r} (ends before it starts)")
    confidence = _CONFIDENCE[first.precision] * (0.8 if implied is not None else 1.0)
    return DateMention(first, last, span.start, span.end, implied is not None, confidence)
