"""Property-based tests (hypothesis) for every parser.

For each parser two kinds of input: text built from its grammar (month spellings, calendar
rows in the table's own layout, organization lists with the separators the calendar uses,
symbols of every family, paragraph markers), and arbitrary text (any Unicode, control
characters, long digit runs). Whatever the input, a parser answers or raises the project's
own error (an MkgError); where a renderer exists, what it writes parses back to what it was
made from; and every span a finder returns lies in the text and covers what it claims.
`@example` pins the edge cases these tests found.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from graph.errors import MkgError, NotFound, ParseError
from graph.extract.calendar import (
    Cell,
    calendar_year,
    extract_events,
    parse_rows,
    split_responsible,
)
from graph.extract.dates import (
    PartialDate,
    find_as_of_date,
    find_dates,
    format_date_range,
    make_date,
    month_number,
    parse_date_range,
    parse_partial,
)
from graph.extract.instruments import (
    ParagraphReference,
    Reference,
    SymbolMention,
    canonical_symbol,
    paragraphs,
    parse_paragraph,
    parse_reference,
    symbols,
)
from graph.extract.organizations import NameFinder, acronym_pairs
from graph.extract.prose import meetings, sentences
from graph.extract.reported import reported_paragraphs, resolved_lists
from graph.model.statements import Span
from graph.read.export import FORMATS, parse_format
from graph.read.filters import Filters
from graph.read.trace import trace
from tests.conftest import Built

T = TypeVar("T")

CHEAP = settings(max_examples=200, deadline=None)
"""Parsers that answer in microseconds."""
COSTLY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""Parsers over whole documents (sentence splitting, tables) and queries of the store."""


def outcome(parse: Callable[..., T], *args: object) -> T | None:
    """What a parser gives, or None when it refuses with the project's own error.

    Any other exception (ValueError, IndexError, OverflowError...) propagates and fails
    the test: that is the property.
    """
    try:
        return parse(*args)
    except MkgError:
        return None


ANY_TEXT = st.text(max_size=200)
SPACE = st.sampled_from(["", " ", "  ", "\t"])


def noisy(*fragments: str) -> st.SearchStrategy[str]:
    """Text made of a grammar's fragments, arbitrary characters and whitespace, in any order."""
    piece = st.one_of(
        st.sampled_from(fragments),
        st.text(max_size=6),
        st.sampled_from([" ", "  ", "\t", "\n", "\n\n", ",", ".", "-", "/"]),
    )
    return st.lists(piece, max_size=25).map("".join)


def within(text: str, span: Span) -> bool:
    """Whether a span is a non-empty stretch of the text."""
    return 0 <= span.start < span.end <= len(text)


# ------------------------------------------------------------------------- dates

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def month_spelled(month: int) -> st.SearchStrategy[str]:
    """A month as calendars print it: "March", "Mar", "Mar.", "Sept.", in any case."""
    name = MONTH_NAMES[month - 1]
    spellings = [name, name[:3], f"{name[:3]}."] + (["Sept", "Sept."] if month == 9 else [])
    cases: list[Callable[[str], str]] = [str, str.upper, str.lower]
    return st.builds(lambda s, case: case(s), st.sampled_from(spellings), st.sampled_from(cases))


def day_spelled(day: int) -> st.SearchStrategy[str]:
    return st.sampled_from([str(day), f"{day:02d}"])


@st.composite
def date_cells(draw: st.DrawFn, year: int | None = None) -> tuple[str, int, dt.date, dt.date]:
    """A calendar date cell ("Feb 27-Mar 10", "Sept. 13 - 15", "Dec 30-Jan 2") with the
    year it is read in and the dates it means."""
    first_year, last_year = (year, year) if year else (1, 9998)
    start = draw(st.dates(dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)))
    end = start + dt.timedelta(days=draw(st.integers(0, 364)))
    assume(end.year == start.year or end.month < start.month)
    first = f"{draw(month_spelled(start.month))}{draw(SPACE)}{draw(day_spelled(start.day))}"
    if end == start and draw(st.booleans()):
        return first, start.year, start, end
    dash = draw(st.sampled_from(["-", "\u2013", "\u2014", " - ", " \u2013 "]))
    if (end.year, end.month) == (start.year, start.month) and draw(st.booleans()):
        second = draw(day_spelled(end.day))
    else:
        second = f"{draw(month_spelled(end.month))}{draw(SPACE)}{draw(day_spelled(end.day))}"
    return f"{first}{dash}{second}", start.year, start, end


CALENDAR_DATE_FRAGMENTS = ("Feb", "Sept.", "March", "Foo", "8", "17", "31", "0", "99", "Dec 30")


@CHEAP
@given(date_cells())
def test_calendar_date_cells_read_as_written(cell: tuple[str, int, dt.date, dt.date]) -> None:
    text, year, start, end = cell
    assert parse_date_range(text, year) == (start, end)
    assert parse_date_range(format_date_range(start, end), year) == (start, end)


@CHEAP
@given(
    st.one_of(ANY_TEXT, date_cells().map(lambda c: c[0]), noisy(*CALENDAR_DATE_FRAGMENTS)),
    st.one_of(st.integers(1, 9999), st.integers()),
)
@example("Feb 3", 10**30)  # no calendar holds that year
@example("Feb 3", -(10**30))
@example("Dec 30-Jan 2", 9999)  # ends in year 10000
@example("Feb 3", 0)
@example("Feb 31", 2006)
@example("", 2006)
@example("Mar 5-Mar 2", 2006)
def test_any_date_cell_reads_or_is_a_parse_error(text: str, year: int) -> None:
    read = outcome(parse_date_range, text, year)
    if read is not None:
        start, end = read
        assert start <= end
        assert parse_date_range(format_date_range(start, end), year) == read


@st.composite
def date_pairs(draw: st.DrawFn) -> tuple[dt.date, dt.date]:
    """Two dates, mostly a few days to a year apart, in either order."""
    start = draw(st.dates(dt.date(10, 1, 1), dt.date(9990, 12, 31)))
    offset = draw(st.one_of(st.integers(-30, 400), st.integers(-3000, 3000)))
    return start, start + dt.timedelta(days=offset)


@CHEAP
@given(st.one_of(date_pairs(), st.tuples(st.dates(), st.dates())))
@example((dt.date(2006, 3, 5), dt.date(2007, 3, 2)))  # a year on, in the same month
@example((dt.date(2006, 3, 5), dt.date(2006, 3, 2)))  # ends before it starts
@example((dt.date(2006, 3, 5), dt.date(2008, 1, 2)))
def test_a_range_prints_in_a_form_that_reads_back_or_not_at_all(
    pair: tuple[dt.date, dt.date],
) -> None:
    start, end = pair
    printed = outcome(format_date_range, start, end)
    if printed is not None:
        assert parse_date_range(printed, start.year) == (start, end)


@CHEAP
@given(st.integers(1, 12).flatmap(lambda m: st.tuples(st.just(m), month_spelled(m))))
def test_every_month_spelling_reads(case: tuple[int, str]) -> None:
    month, spelled = case
    assert month_number(spelled) == month


@CHEAP
@given(st.one_of(ANY_TEXT, st.sampled_from(CALENDAR_DATE_FRAGMENTS)))
@example("")
@example(".")
def test_a_month_name_is_a_number_or_a_parse_error(text: str) -> None:
    number = outcome(month_number, text)
    assert number is None or 1 <= number <= 12


@CHEAP
@given(st.integers(), st.integers(), st.integers())
@example(10**30, 1, 1)  # OverflowError, not ValueError, from datetime
@example(2006, 10**30, 1)
@example(0, 1, 1)
@example(2006, 2, 31)
def test_a_date_is_made_or_is_a_parse_error(year: int, month: int, day: int) -> None:
    made = outcome(make_date, year, month, day, "the cell")
    if made is not None:
        assert (made.year, made.month, made.day) == (year, month, day)


PARTIAL_TEXT = st.one_of(
    ANY_TEXT,
    st.dates().map(dt.date.isoformat),
    st.dates().map(lambda d: d.isoformat()[:7]),
    st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"),
)


@CHEAP
@given(PARTIAL_TEXT)
@example("2010-03-00")  # day 0: was read as March 2010 with day=0
@example("2010-00")
@example("2010-02-31")
@example("0000")
@example("")
@example("\uff12\uff10\uff11\uff10")  # fullwidth digits
def test_partial_dates_read_back_from_their_iso_form(text: str) -> None:
    date = outcome(parse_partial, text)
    if date is not None:
        assert parse_partial(date.iso()) == date
        assert date.first_day() <= date.last_day()


@CHEAP
@given(st.dates(), st.sampled_from(["year", "month", "day"]))
def test_a_partial_date_reads_at_its_precision(day: dt.date, precision: str) -> None:
    date = PartialDate(
        day.year,
        day.month if precision != "year" else None,
        day.day if precision == "day" else None,
    )
    assert parse_partial(date.iso()) == date
    assert date.precision == precision


PROSE_DATE_FRAGMENTS = (
    "20-21 November 2006", "9 February 2012", "November 20-21, 2006", "March 15, 2006",
    "March 2006", "in December 2011", "2011", "spring 2012", "Sept. 2010", "1950", "2049",
    "0 March 2006", "March 0, 2006", "31 February 2006", "21-20 November 2006",
    "March 9-2, 2006", "A/RES/60/227", "2050", "14 and 15 September", "from 6 to 8 May",
    "du 6 au 8 mai 2006", "6-8 de mayo de 2006", "1er juillet", "28 February - 2 March 2007",
    "30 December - 2 January", "20\u201121 November", "14 e 15 settembre", "October 3-4",
    "31 juin 2006", "\u00ad", ". ", "\n\n",
)  # fmt: skip


@CHEAP
@given(st.one_of(ANY_TEXT, noisy(*PROSE_DATE_FRAGMENTS)))
@example("met on 0 March 2006")  # day 0 was a day-less date with day=0
@example("met on 21-20 November 2006")  # ends before it starts
def test_prose_dates_lie_in_the_text_and_read_back(text: str) -> None:
    found = find_dates(text)
    assert [m.begin for m in found] == sorted(m.begin for m in found)
    for mention, after in pairwise(found):
        assert mention.finish <= after.begin
    for mention in found:
        assert 0 <= mention.begin < mention.finish <= len(text)
        assert 0.0 <= mention.confidence <= 1.0
        for date in (mention.start, mention.end):
            assert parse_partial(date.iso()) == date
        assert mention.start.first_day() <= mention.end.last_day()


@CHEAP
@given(st.dates(dt.date(1000, 1, 1)), st.booleans())
def test_an_as_of_note_gives_its_date(day: dt.date, bracketed: bool) -> None:
    note = f"as of {MONTH_NAMES[day.month - 1]} {day.day}, {day.year:04d}"
    text = f"Draft calendar\n{f'({note})' if bracketed else note}\n"
    assert find_as_of_date(text) == day
    assert calendar_year(text, 1999) == day.year


@CHEAP
@given(st.one_of(ANY_TEXT, noisy("(as of ", "as of ", "August", "Smarch", "8", "31", ", ", "2006")))
@example("as of June 31, 2006")
@example("as of Smarch 8, 2006")
@example("as of August 8, 0000")
def test_an_as_of_note_is_a_date_or_a_parse_error(text: str) -> None:
    outcome(find_as_of_date, text)
    year = outcome(calendar_year, text, 2006)
    assert year is None or 1 <= year <= 9999


# ---------------------------------------------------------------------- calendar

HEADER = (
    "Draft calendar of events related to the preparation of the HLD\n\n"
    "(as of August 8, 2006)\n\nDate\n\n  Venue\n  Initiatives\n\n\n     Responsible\n\n\n"
)
FOOTER = "Note: the calendar is updated as events are confirmed.\n"
CELL = (
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\n"), max_size=30)
    .map(str.strip)
    .filter(lambda s: s != "" and not re.fullmatch(r"\d+\.", s) and not s.startswith("Note:"))
)
"""A cell as one line of the table: no line break, no leading or trailing space, not a row
opening ("12.") and not the footer."""


@dataclass(frozen=True)
class TableRow:
    """A row as the table prints it, one cell a line; `more` runs on under the initiative."""

    date: str
    venue: str
    initiative: str
    more: tuple[str, ...]
    responsible: str


def table_rows(
    dates: st.SearchStrategy[str] = CELL, responsible: st.SearchStrategy[str] = CELL
) -> st.SearchStrategy[TableRow]:
    return st.builds(
        TableRow, dates, CELL, CELL, st.lists(CELL, max_size=2).map(tuple), responsible
    )


def render_table(rows: list[TableRow]) -> str:
    """The calendar's own layout: a row opens with "<TAB>N. ", each cell a tabbed line,
    run-on lines of the initiative without a tab, blank lines between rows."""
    out = [HEADER]
    for number, row in enumerate(rows, start=1):
        out.append(f"\t{number}. \n\t{row.date}\n\t{row.venue}\n\t{row.initiative}\n")
        out.extend(f"\n\n{line}\n" for line in row.more)
        out.append(f"\t{row.responsible}\n\n")
    out.append(FOOTER)
    return "".join(out)


@COSTLY
@given(st.lists(table_rows(), min_size=1, max_size=5))
def test_table_rows_read_back_cell_by_cell(rows: list[TableRow]) -> None:
    text = render_table(rows)
    read = parse_rows(text, "generated.txt")
    assert [r.number for r in read] == list(range(1, len(rows) + 1))
    for row, got in zip(rows, read, strict=True):
        assert got.date.text == row.date
        assert got.venue.text == row.venue
        assert [c.text for c in got.initiative] == [row.initiative, *row.more]
        assert got.responsible.text == row.responsible
        for cell in (got.date, got.venue, *got.initiative, got.responsible):
            assert cell.span.of(text) == cell.text
        assert within(text, got.span)
        assert got.span.of(text).startswith(str(got.number))
        assert got.span.of(text).endswith(row.responsible)


TABLE_FRAGMENTS = (
    HEADER, "\t1. \n", "\t2. \n", "\t1.\n", "\tFeb 8-17\n", "\tNew York\n", "\tUNDESA\n",
    "\tIOM, UNDP and WB with the support of EC\n", "Side Events:\n", "Note:", "\n", "\t",
    "\t0. \n", "\t" + "9" * 40 + ". \n",
)  # fmt: skip


def is_unknown(name: str) -> bool:
    return False


@COSTLY
@given(st.one_of(ANY_TEXT, noisy(*TABLE_FRAGMENTS), st.just(HEADER).map(lambda h: h + "\t1.\n")))
@example(HEADER + "\t" + "1" * 5000 + ".\n\ta\n\tb\n\tc\n\td\n")  # int() refuses 4300+ digits
@example(HEADER + "\t0.\n\tFeb 8\n\tb\n\tc\n\td\n")
@example(HEADER + "run-on text before any row\n\t1.\n")
@example("")
def test_any_text_reads_as_rows_or_a_corpus_error(text: str) -> None:
    read = outcome(parse_rows, text, "any.txt")
    for row in read or []:
        for cell in (row.date, row.venue, *row.initiative, row.responsible):
            assert within(text, cell.span)
            assert cell.span.of(text) == cell.text
    for event in outcome(extract_events, text, "doc", "any.txt", 2006, is_unknown) or []:
        assert within(text, event.evidence)
        for mention in event.mentions:
            assert within(text, mention.span)


# Organization lists: names, and the separators split_responsible splits on.
NAME_WORD = st.text(
    string.ascii_letters + "\u00e9\u00fc()./'-" + string.digits, min_size=1, max_size=8
)
NAME = (
    st.lists(
        st.tuples(NAME_WORD, st.sampled_from([" ", "  ", "\t", " \u00a0"])), min_size=1, max_size=4
    )
    .map(lambda words: "".join(w + s for w, s in words).strip())
    .filter(lambda n: not re.search(r"\s(?:and|&)\s|with the support of", f" {n} ", re.IGNORECASE))
)
"""An organization's name as a cell may print it: words with single or odd spacing."""
SEPARATOR = st.sampled_from([", ", ",", " , ", "; ", " and ", " & ", ",  "])


def spaced(name: str) -> str:
    return " ".join(name.split())


@st.composite
def organization_lists(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]]]:
    """A "responsible" cell and the (name, role) pairs it should split into."""
    names = draw(st.lists(NAME, min_size=1, max_size=6, unique_by=spaced))
    cut = draw(st.integers(1, len(names)))
    organizers, supporters = names[:cut], names[cut:]
    text = organizers[0]
    for name in organizers[1:]:
        text += draw(SEPARATOR) + name
    if supporters:
        text += draw(st.sampled_from([" with the support of ", " With the Support of  "]))
        text += supporters[0]
        for name in supporters[1:]:
            text += draw(SEPARATOR) + name
    roles = [(spaced(n), "organizer") for n in organizers]
    return text, roles + [(spaced(n), "supporter") for n in supporters]


@CHEAP
@given(organization_lists(), ANY_TEXT, ANY_TEXT)
@example(("Gov of  Benin,  IOM", [("Gov of Benin", "organizer"), ("IOM", "organizer")]), "", "")
def test_an_organization_list_splits_into_its_names_at_their_offsets(
    case: tuple[str, list[tuple[str, str]]], before: str, after: str
) -> None:
    cell_text, expected = case
    text = before + cell_text + after
    cell = Cell(cell_text, Span(len(before), len(before) + len(cell_text)))
    mentions = list(split_responsible(cell, is_unknown))
    assert [(m.text, m.role) for m in mentions] == expected
    for mention in mentions:
        assert spaced(mention.span.of(text)) == mention.text
        assert mention.span.of(text) == mention.span.of(text).strip()


@CHEAP
@given(st.lists(st.tuples(NAME, NAME), min_size=1, max_size=4, unique=True))
def test_a_known_name_with_and_in_it_stays_whole(pairs: list[tuple[str, str]]) -> None:
    known = {f"{spaced(a)} and {spaced(b)}" for a, b in pairs}
    assume(len(known) == len(pairs))
    cell_text = ", ".join(f"{a} and {b}" for a, b in pairs)
    cell = Cell(cell_text, Span(0, len(cell_text)))
    mentions = list(split_responsible(cell, known.__contains__))
    assert [m.text for m in mentions] == [f"{spaced(a)} and {spaced(b)}" for a, b in pairs]
    assert all(spaced(m.span.of(cell_text)) == m.text for m in mentions)


@CHEAP
@given(
    st.one_of(
        ANY_TEXT, noisy("IOM", "Gov of Benin", " and ", " & ", ", ", ";", " with the support of ")
    )
)
def test_any_responsible_cell_splits_into_names_that_stand_in_it(cell_text: str) -> None:
    cell = Cell(cell_text, Span(0, len(cell_text)))
    mentions = list(split_responsible(cell, lambda name: len(name) % 2 == 0))
    assert len({m.text for m in mentions}) == len(mentions)
    for mention in mentions:
        assert within(cell_text, mention.span)
        assert spaced(mention.span.of(cell_text)) == mention.text
        assert mention.role in {"organizer", "supporter"}


@dataclass(frozen=True)
class Calendar:
    """A generated calendar: its year, its rows, and what each row should come out as."""

    year: int
    rows: tuple[TableRow, ...]
    dates: tuple[tuple[dt.date, dt.date], ...]
    organizations: tuple[list[tuple[str, str]], ...]


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    year = draw(st.integers(1, 9998))
    rows, dates, organizations = [], [], []
    for _ in range(draw(st.integers(1, 4))):
        cell, _, start, end = draw(date_cells(year))
        responsible, expected = draw(organization_lists())
        assume(not re.fullmatch(r"\d+\.", responsible))  # would open a row
        rows.append(draw(table_rows(st.just(cell), st.just(responsible))))
        dates.append((start, end))
        organizations.append(expected)
    return Calendar(year, tuple(rows), tuple(dates), tuple(organizations))


@COSTLY
@given(calendars())
@example(
    Calendar(
        2006,
        (TableRow("Feb 9-10", "Cotonou", "Conference", (), "Gov of  Benin,  IOM"),),
        ((dt.date(2006, 2, 9), dt.date(2006, 2, 10)),),
        ([("Gov of Benin", "organizer"), ("IOM", "organizer")],),
    )
)  # odd spacing in a cell: offsets were counted in the respaced text
def test_calendar_events_carry_their_dates_and_organizations_at_their_offsets(
    table: Calendar,
) -> None:
    text = render_table(list(table.rows))
    events = {e.source_row: e for e in extract_events(text, "doc", "t.txt", table.year, is_unknown)}
    assert set(events) == set(range(1, len(table.rows) + 1))
    for number, (dates, organizations) in enumerate(
        zip(table.dates, table.organizations, strict=True), start=1
    ):
        event = events[number]
        assert (event.start, event.end) == dates
        assert [(m.text, m.role) for m in event.mentions] == organizations
        for mention in event.mentions:
            assert spaced(mention.span.of(text)) == mention.text
        assert within(text, event.evidence)


# ------------------------------------------------------------------ organizations

ORGS = NameFinder([("IOM", "IOM"), ("World Bank", "WB"), ("UN Regional Commissions", "UNRC")])
PLACES = NameFinder([("Marseille", "marseille"), ("Geneva", "geneva")])


@st.composite
def acronym_definitions(draw: st.DrawFn) -> tuple[str, str, str]:
    """Text holding "Long Name (LN)" after a line of noise, the long name and the acronym."""
    acronym = draw(st.from_regex(r"\A[A-Z]{2,6}\Z"))
    others = [c for c in string.ascii_lowercase if c not in acronym.lower()]
    words = [letter + draw(st.text(others, max_size=7)) for letter in acronym]
    before = draw(ANY_TEXT)
    return f"{before}\n{' '.join(words)} ({acronym}) met.", " ".join(words), acronym


@CHEAP
@given(acronym_definitions())
@example(
    (
        "\nInternational Organization Migration (IOM) met.",
        "International Organization Migration",
        "IOM",
    )
)
def test_an_acronym_definition_is_found_with_its_long_name(case: tuple[str, str, str]) -> None:
    text, name, acronym = case
    end = text.rindex(f"({acronym})") + len(acronym) + 2
    found = [p for p in acronym_pairs(text) if p.span.end == end]
    assert [(p.name, p.acronym) for p in found] == [(name, acronym)]
    assert found[0].span.of(text) == f"{name} ({acronym})"


@CHEAP
@given(
    st.one_of(
        ANY_TEXT,
        noisy(
            "International",
            "Organization",
            "for",
            "Migration",
            "(IOM)",
            "(",
            ")",
            "(A-B)",
            "IOM (",
            "IOM",
            "(International Organization for Migration)",
            " Dialogue",
        ),
    )
)
@example("(IOM)")
@example("x (IOM)")
def test_acronym_pairs_stand_where_they_say(text: str) -> None:
    for pair in acronym_pairs(text):
        assert within(text, pair.span)
        written = pair.span.of(text)
        if pair.reverse:  # "ACR (Full Name)"
            assert written.startswith(pair.acronym) and written.endswith(")")
            assert spaced(written[len(pair.acronym) :].strip()[1:-1]) == pair.name
        else:
            assert written.endswith(f"({pair.acronym})")
            assert spaced(written[: -len(pair.acronym) - 2]) == pair.name


@CHEAP
@given(
    st.dictionaries(st.text(max_size=10), st.text(min_size=1, max_size=4), max_size=6),
    st.data(),
)
def test_known_names_are_found_where_they_stand(table: dict[str, str], data: st.DataObject) -> None:
    names = list(table) or ["IOM"]
    text = data.draw(
        st.lists(st.one_of(st.sampled_from(names), ANY_TEXT, SPACE), max_size=10).map("".join)
    )
    by_words = {spaced(name): key for name, key in table.items() if name == spaced(name)}
    for mention in NameFinder(table.items()).find(text):
        assert within(text, mention.span)
        assert mention.span.of(text) == mention.text
        # a name of words matches across line breaks and runs of spaces too
        assert mention.key == table.get(mention.text, by_words.get(spaced(mention.text)))


# ------------------------------------------------------------------------- prose

PROSE_FRAGMENTS = (
    "IOM", "World Bank", "UN Regional Commissions", "organized", "hosted by",
    "in partnership with", "jointly organized by", "in Geneva", "in Bridgetown",
    "on 9 February 2012", "20-21 November 2006", "workshop", "Conference", "x-", "'", "the",
    "The", "A", "of", "and", ".", ". ", ",", ";", " ", "\n", "\n\n", "\n- ",
    "\"Title of the Regional Meeting\"", "(IOM)", "International Organization for Migration",
)  # fmt: skip


@COSTLY
@given(st.one_of(ANY_TEXT, noisy(*PROSE_FRAGMENTS)))
@example("a\n\n \n\nb. c")
@example("Note:\r\n\r\nNext.")  # CRLF is no block break: the sentence splitter gives a blank piece
def test_sentences_are_stripped_stretches_in_order(text: str) -> None:
    spans = sentences(text)
    for span, after in pairwise(spans):
        assert span.end <= after.start
    for span in spans:
        assert within(text, span)
        assert span.of(text) == span.of(text).strip()


@COSTLY
@given(st.one_of(ANY_TEXT, noisy(*PROSE_FRAGMENTS)))
@example("IOM organized on 9 February 2012 the x-workshop")  # the noun ends a hyphened word
@example("IOM held on 9 February 2012 IOM's'workshop")
def test_meetings_are_dated_sentences_with_organizations_inside(text: str) -> None:
    for meeting in meetings(text, ORGS, PLACES):
        assert within(text, meeting.evidence)
        assert meeting.label == spaced(meeting.label)
        assert meeting.start.first_day() <= meeting.end.last_day()
        for found in meeting.organizations:
            assert (
                meeting.evidence.start <= found.span.start < found.span.end <= meeting.evidence.end
            )


# -------------------------------------------------------------------- instruments


@st.composite
def printed_symbols(draw: st.DrawFn) -> tuple[str, str]:
    """A symbol as documents print it, of any family, and its canonical form."""
    family = draw(
        st.sampled_from(
            ["A/RES", "resolution", "No.", "WHA", "document", "council", "special", "doc-symbol"]
        )
    )
    number = draw(st.integers(1, 9999))
    if family == "A/RES":
        session = draw(st.integers(1, 999))
        prefix = draw(st.sampled_from(["A/RES/", "A/Res/", "a/res/"]))
        return f"{prefix}{session}/{number}", f"A/RES/{session}/{number}"
    if family == "resolution":
        session = draw(st.integers(10, 99))
        word = draw(st.sampled_from(["resolution", "Resolution", "resolutions"]))
        return (
            f"{word}{draw(st.sampled_from([' ', '  ']))}{session}/{number}",
            f"A/RES/{session}/{number}",
        )
    if family == "No.":
        number = draw(st.integers(10, 99999))
        form = draw(
            st.sampled_from(["Resolution No. {0}", "Resolution No {0}", "RESOLUTION NO.{0}"])
        )
        return form.format(number), f"Resolution No. {number}"
    if family == "WHA":
        session, number = draw(st.integers(10, 99)), draw(st.integers(1, 999))
        return f"WHA{draw(st.sampled_from(['', ' ']))}{session}.{number}", f"WHA{session}.{number}"
    if family == "council":
        year, number = draw(st.integers(1946, 2049)), draw(st.integers(1, 999))
        kind = draw(st.sampled_from(["resolution", "decision"]))
        hyphen = draw(st.sampled_from(["", "\u00ad"]))
        return (
            f"Economic and Social Council {kind} {year}/{hyphen}{number}",
            f"E/{kind[:3].upper()}/{year}/{number}",
        )
    if family == "special":
        session, number = draw(st.integers(1, 30)), draw(st.integers(1, 99))
        hyphen = draw(st.sampled_from(["-", "\u2011", "\u2010"]))
        return f"S{hyphen}{session}/{number}", f"A/RES/S-{session}/{number}"
    if family == "doc-symbol":
        committee, session = draw(st.integers(1, 6)), draw(st.integers(1, 99))
        return f"A/C.{committee}/{session}/L.{number}", f"A/C.{committee}/{session}/L.{number}"
    body, year = draw(st.sampled_from("EAS")), draw(st.integers(1000, 9999))
    return f"{body}/{year}/{number}", f"{body}/{year}/{number}"


def cited(printed: str) -> tuple[str, Span]:
    """A sentence that cites a symbol, and where the symbol stands in it."""
    sentence = f"Recalling {printed}, the Assembly decides."
    return sentence, Span(10, 10 + len(printed))


@CHEAP
@given(printed_symbols())
def test_printed_symbols_are_canonical_and_found_where_printed(case: tuple[str, str]) -> None:
    printed, canonical = case
    assert canonical_symbol(printed) == canonical
    assert canonical_symbol(canonical) == canonical
    sentence, span = cited(printed)
    assert symbols(sentence) == [SymbolMention(printed, canonical, span)]


SYMBOL_FRAGMENTS = (
    "A/RES/60/227", "A/Res/60/227", "resolution 60/227", "resolutions 61/208",
    "Resolution No. 1244", "WHA61.17", "WHA 61.17", "E/2006/123", "A/2006/12", "S/2006/1",
    "2006", "60", "No.", "/", "OP17", "paragraph 17", "PP3", "Article 5(2)(a)", "requests",
    "IOM", "COP 17", "resolutions 58/208 and 59/241", "57/270 B", " A and B", "S\u201121/2",
    "Economic and Social Council decision 1995/313", "A/C.2/60/L.16", "E/RES/2006/2",
    "\u00ad", "\u2011", "\u00a0", " of 23 December 2003", " and ", ", ",
)  # fmt: skip


@CHEAP
@given(st.one_of(ANY_TEXT, noisy(*SYMBOL_FRAGMENTS)))
@example("A/RES/60/227")
@example(" WHA 61.17 ")
@example("A/RES/60/" + "9" * 5000)
@example("A/RES/0/0\u2010A")  # a family reads only its start: not one symbol
def test_a_symbol_is_canonical_once_and_for_all_or_a_parse_error(text: str) -> None:
    canonical = outcome(canonical_symbol, text)
    if canonical is not None:
        assert canonical_symbol(canonical) == canonical
        sentence, span = cited(canonical)
        assert symbols(sentence) == [SymbolMention(canonical, canonical, span)]


@CHEAP
@given(st.one_of(ANY_TEXT, noisy(*SYMBOL_FRAGMENTS)))
def test_symbols_found_in_text_stand_where_they_say(text: str) -> None:
    found = symbols(text)
    for mention, after in pairwise(found):
        assert mention.span.end <= after.span.start
    for mention in found:
        assert within(text, mention.span)
        assert mention.span.of(text) == mention.printed
        assert canonical_symbol(mention.printed, mention.series) == mention.symbol
        assert 0.0 <= mention.confidence <= 1.0


PROSE_MARKERS = (
    ("OP{0}", "operative"), ("OP {0}", "operative"), ("PP{0}", "preambular"),
    ("paragraph {0}", "operative"), ("operative paragraph {0}", "operative"),
    ("paragraphs {0}", "operative"), ("Article {0}(2)(a)", "article"),
)  # fmt: skip


@CHEAP
@given(printed_symbols(), st.sampled_from(PROSE_MARKERS), st.integers(1, 999))
def test_a_paragraph_cited_in_prose_reads_back_with_its_instrument(
    case: tuple[str, str], marker: tuple[str, str], number: int
) -> None:
    printed, canonical = case
    form, kind = marker
    text = f"Recalling {printed}, the Assembly in {form.format(number)} requests IOM to report."
    found = [(p.symbol, p.number, p.kind, p.verb, p.addressees) for p in paragraphs(text, ORGS)]
    expected = f"{number}(2)(a)" if kind == "article" else str(number)
    # an article belongs to no resolution or decision: it is the convention's, or the text's
    resolution = re.search(r"RES/|DEC/|[Rr]esolution|[Dd]ecision|^WHA", canonical)
    owner = None if kind == "article" and resolution else canonical
    assert found == [(owner, expected, kind, "requests", ("IOM",))]


@COSTLY
@given(st.one_of(ANY_TEXT, noisy(*SYMBOL_FRAGMENTS)))
def test_paragraph_references_stand_in_their_sentence(text: str) -> None:
    cited_symbols = {m.symbol for m in symbols(text)}
    for mention in paragraphs(text, ORGS):
        assert (
            mention.sentence.start <= mention.span.start < mention.span.end <= mention.sentence.end
        )
        assert mention.number in mention.span.of(text)
        assert mention.symbol is None or mention.symbol in cited_symbols


REPORTED_FRAGMENTS = (
    "Resolution A/RES/60/227", "resolution 65/170", " invited ", " invites ", "IOM",
    "World Bank", " and ", ", ", " to contribute", " is invited to support", "In its ",
    "In the same resolution, ", " which resolves to:", "\n- Request ", "\n- *Encourage ",
    "\n---\n", "\n<sup>1</sup> note", " (OP 4)", "Resolution No. 1244",
)  # fmt: skip


@st.composite
def reported_texts(draw: st.DrawFn) -> str:
    """A sentence in which an instrument asks organizations to act, or lists what it
    resolves, with noise around it."""
    names = draw(st.lists(st.sampled_from(["IOM", "World Bank", "UNGA"]), min_size=1,
                          max_size=3))  # fmt: skip
    listed = " and ".join(names)
    told = draw(
        st.sampled_from(
            [
                f"Resolution A/RES/60/227 invited {listed} to contribute.",
                f"In its resolution 65/170, the Assembly requests the {listed} to report.",
                f"Resolution 65/170 passed. In the same resolution, {listed} is invited to act.",
                f"It adopted Resolution No. 1244 which resolves to:\n- Request {listed} to"
                " act;\n\n---\n<sup>1</sup> A note.\n- *Encourage States to act.*",
            ]
        )
    )
    return draw(noisy(*REPORTED_FRAGMENTS)) + told + draw(noisy(*REPORTED_FRAGMENTS))


@COSTLY
@given(st.one_of(ANY_TEXT, noisy(*REPORTED_FRAGMENTS), reported_texts()))
def test_reported_paragraphs_stand_in_their_text(text: str) -> None:
    """A paragraph told without its number, or the item of a list an instrument resolves,
    quotes characters of its sentence, names an instrument the text cites, and asks only
    organizations the text names."""
    cited_symbols = {m.symbol for m in symbols(text)}
    for mention in [*reported_paragraphs(text, ORGS), *resolved_lists(text, ORGS)]:
        assert within(text, mention.sentence)
        assert mention.sentence.start <= mention.span.start <= mention.span.end
        assert mention.span.end <= mention.sentence.end
        assert mention.symbol in cited_symbols
        assert mention.number.startswith("unnumbered-") or mention.number.isdigit()
        assert set(mention.addressees) <= {m.key for m in ORGS.find(text)}


# Paragraph references as users write them: to `mkg trace`, /api/trace and /viz/trace.
PARAGRAPH_FORMS = (
    ("OP{0}", "operative"), ("op {0}", "operative"), ("OP  {0}", "operative"),
    ("operative paragraph {0}", "operative"), ("PP{0}", "preambular"),
    ("preambular paragraph {0}", "preambular"), ("paragraph {0}", None), ("para. {0}", None),
    ("{0}", None),
)  # fmt: skip


@st.composite
def paragraph_spellings(
    draw: st.DrawFn, number: int | None = None
) -> tuple[str, ParagraphReference]:
    """A paragraph reference as a user may write it, and what it names."""
    family = draw(st.sampled_from(["numbered", "article", "round-table", "unnumbered"]))
    n = number or draw(st.integers(1, 9999))
    if number is not None or family == "numbered":
        form, kind = draw(st.sampled_from(PARAGRAPH_FORMS))
        written = form.format(draw(st.sampled_from([str(n), f"0{n}"])))
        return written, ParagraphReference(str(n), kind)
    if family == "article":
        parts = draw(st.lists(st.integers(0, 99), max_size=2))
        letter = draw(st.sampled_from(["", "(a)", "(e)"]))
        label = f"{n}{''.join(f'({p})' for p in parts)}{letter}"
        word = draw(st.sampled_from(["Art. ", "Article ", "art.", "ARTICLE "]))
        return f"{word}{label}", ParagraphReference(label, "article")
    if family == "round-table":
        return draw(st.sampled_from(["RT{0}", "rt {0}"])).format(n), ParagraphReference(
            f"RT{n}", "round-table"
        )
    form = draw(st.sampled_from(["unnumbered-{0}", "unnumbered paragraph {0}"]))
    return form.format(n), ParagraphReference(f"unnumbered-{n}", None)


SYMBOLS_AS_WRITTEN = st.one_of(
    printed_symbols(),
    st.sampled_from(
        ["IOM-CONSTITUTION", "CEB-2012-04", "Constitution", "IOM-COUNCIL-RES-1244"]
    ).map(lambda s: (s, s)),
)


@CHEAP
@given(paragraph_spellings(), SPACE)
@example(("OP17", ParagraphReference("17", "operative")), " ")
@example(("17", ParagraphReference("17", None)), "")
def test_a_paragraph_reference_reads_as_written_and_back(
    case: tuple[str, ParagraphReference], pad: str
) -> None:
    written, expected = case
    assert parse_paragraph(f"{pad}{written}{pad}") == expected
    assert parse_paragraph(expected.render()) == expected


@CHEAP
@given(SYMBOLS_AS_WRITTEN, paragraph_spellings(), st.sampled_from([" ", ", ", "  ", " , "]))
@example(("A/RES/60/227", "A/RES/60/227"), ("OP17", ParagraphReference("17", "operative")), " ")
@example(
    ("Resolution No. 1244", "Resolution No. 1244"), ("paragraph 2", ParagraphReference("2")), " "
)
def test_an_instrument_reference_reads_as_written_and_back(
    symbol: tuple[str, str], case: tuple[str, ParagraphReference], separator: str
) -> None:
    printed, canonical = symbol
    written, paragraph = case
    assume(not re.fullmatch(r"[0-9]+", written))  # a bare number after a symbol is the symbol's
    reference = parse_reference(f"{printed}{separator}{written}")
    assert reference == Reference(canonical, paragraph)
    assert parse_reference(reference.render()) == reference
    assert parse_reference(printed) == Reference(canonical)


REFERENCE_FRAGMENTS = (
    "A/RES/60/227", "IOM-CONSTITUTION", "OP", "PP", "Art.", "Article", "paragraph", "para.", "RT",
    "unnumbered-", "17", "0", "1(1)(e)", "(a)", ",", " ", "  ", "COP 17",
)  # fmt: skip


@CHEAP
@given(st.one_of(ANY_TEXT, noisy(*REFERENCE_FRAGMENTS)))
@example("OP0")
@example("OP" + "9" * 5000)
@example("paragraph 00")
@example("")
@example("X,, OP1")
@example("Art. 0(1)")
def test_any_paragraph_reference_reads_back_or_is_a_parse_error(text: str) -> None:
    paragraph = outcome(parse_paragraph, text)
    if paragraph is not None:
        assert parse_paragraph(paragraph.render()) == paragraph
        assert paragraph.number and not paragraph.number.startswith("0")
    reference = outcome(parse_reference, text)
    if reference is not None:
        assert parse_reference(reference.render()) == reference


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraph_spellings(17), SPACE, st.booleans())
@example(("OP17", ParagraphReference("17", "operative")), " ", False)  # was read as "OP17"
@example(("paragraph 17", ParagraphReference("17")), "", False)
@example(("OP17", ParagraphReference("17", "operative")), "", True)
def test_trace_reads_paragraph_17_however_it_is_written(
    built: Built, case: tuple[str, ParagraphReference], pad: str, together: bool
) -> None:
    written, asked = case
    if together and not re.fullmatch(r"[0-9]+", written):
        traced = outcome(trace, built.store, f"A/RES/60/227 {written}{pad}")
    else:
        traced = outcome(trace, built.store, "A/RES/60/227", f"{pad}{written}{pad}")
    if asked.kind == "preambular":  # OP17 is an operative paragraph
        assert traced is None
    else:
        assert traced is not None
        assert [p.number for p in traced.paragraphs] == ["17"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(ANY_TEXT, noisy(*REFERENCE_FRAGMENTS)), st.one_of(st.none(), ANY_TEXT))
@example("A/RES/60/227", "OP" + "9" * 5000)
@example("", None)
@example("A/RES/60/227 OP17", "18")
@example("A/RES/60/227", '"><img src=x onerror="window.__pwned=1">')
def test_trace_answers_or_says_what_is_not_in_the_graph(
    built: Built, symbol: str, paragraph: str | None
) -> None:
    """A paragraph that names none is one the graph does not have: NotFound (404 in the
    API and a page in /viz/trace). A ParseError only when two paragraphs are asked for."""
    try:
        traced = trace(built.store, symbol, paragraph)
    except NotFound:
        return
    except ParseError:
        assert paragraph is not None
        assert parse_reference(symbol).paragraph is not None
        return
    if paragraph is not None:
        assert len({p.number for p in traced.paragraphs}) == 1


# ---------------------------------------------------------- user input to the API


@CHEAP
@given(st.one_of(st.none(), PARTIAL_TEXT), st.one_of(st.none(), PARTIAL_TEXT))
@example("2010-03-00", None)
@example("2013", "2006")
@example("9999", "9999-12")
def test_a_window_reads_or_is_a_parse_error(start: str | None, end: str | None) -> None:
    window = outcome(Filters.parse, start, end)
    if window is not None:
        if window.start and window.end:
            assert window.start <= window.end
        again = Filters.parse(
            window.start.isoformat() if window.start else None,
            window.end.isoformat() if window.end else None,
        )
        assert again == window


@CHEAP
@given(st.dates(), st.sampled_from(["year", "month", "day"]))
def test_a_window_starts_and_ends_where_its_dates_may_mean(day: dt.date, precision: str) -> None:
    text = {"year": f"{day.year:04d}", "month": day.isoformat()[:7], "day": day.isoformat()}
    window = Filters.parse(text[precision], text[precision])
    date = parse_partial(text[precision])
    assert (window.start, window.end) == (date.first_day(), date.last_day())


@CHEAP
@given(st.one_of(ANY_TEXT, st.sampled_from(list(FORMATS))))
@example("")
@example("\u0130")  # "İ".lower() is two characters
def test_an_export_format_is_known_or_a_parse_error(name: str) -> None:
    try:
        chosen = parse_format(name)
    except ParseError:
        assert name.strip().lower() not in FORMATS
        return
    assert chosen is FORMATS[name.strip().lower()]
    assert parse_format(chosen.name) is chosen


@CHEAP
@given(st.sampled_from(list(FORMATS)), st.sampled_from([str, str.upper, str.title]), SPACE)
def test_every_export_format_reads_by_its_name(
    name: str, case: Callable[[str], str], pad: str
) -> None:
    assert parse_format(f"{pad}{case(name)}{pad}") is FORMATS[name]
