import datetime as dt

import pytest

from graph.errors import ParseError
from graph.extract.dates import (
    find_as_of_date,
    format_date_range,
    parse_date_range,
    parse_partial,
)


@pytest.mark.parametrize(
    ("cell", "start", "end"),
    [
        ("Feb 8-17", dt.date(2006, 2, 8), dt.date(2006, 2, 17)),
        ("Feb 27-Mar 10", dt.date(2006, 2, 27), dt.date(2006, 3, 10)),
        ("Sept. 13-15", dt.date(2006, 9, 13), dt.date(2006, 9, 15)),
        ("April 5", dt.date(2006, 4, 5), dt.date(2006, 4, 5)),
        ("April 23-25 ", dt.date(2006, 4, 23), dt.date(2006, 4, 25)),
        ("August 30", dt.date(2006, 8, 30), dt.date(2006, 8, 30)),
        ("Dec 30-Jan 2", dt.date(2006, 12, 30), dt.date(2007, 1, 2)),
    ],
)
def test_calendar_date_cells(cell: str, start: dt.date, end: dt.date) -> None:
    assert parse_date_range(cell, 2006) == (start, end)


@pytest.mark.parametrize("cell", ["Mar 35", "Feb 29", "Foo 3", "July 12-3", "", "13 Sept", "May"])
def test_malformed_dates_raise_the_project_error(cell: str) -> None:
    with pytest.raises(ParseError, match="malformed date"):
        parse_date_range(cell, 2006)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2006, 2, 27), dt.date(2006, 3, 10)),
        (dt.date(2006, 4, 5), dt.date(2006, 4, 5)),
        (dt.date(2006, 9, 13), dt.date(2006, 9, 15)),
    ],
)
def test_format_then_parse_round_trips(start: dt.date, end: dt.date) -> None:
    assert parse_date_range(format_date_range(start, end), start.year) == (start, end)


def test_as_of_note_gives_the_calendar_date() -> None:
    assert find_as_of_date("Draft calendar\n(as of August 8, 2006)\n") == dt.date(2006, 8, 8)
    assert find_as_of_date("no date here") is None


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2006", dt.date(2006, 1, 1), dt.date(2006, 12, 31)),
        ("2008-02", dt.date(2008, 2, 1), dt.date(2008, 2, 29)),
        ("2006-03-15", dt.date(2006, 3, 15), dt.date(2006, 3, 15)),
        ("9999", dt.date(9999, 1, 1), dt.date(9999, 12, 31)),
    ],
)
def test_partial_dates_span_what_they_may_mean(text: str, first: dt.date, last: dt.date) -> None:
    date = parse_partial(text)
    assert (date.first_day(), date.last_day()) == (first, last)


@pytest.mark.parametrize(
    "text", ["0000", "2006-13", "2006-02-30", "06", "2006-1", "\uff12\uff10\uff10\uff16"]
)
def test_impossible_partial_dates_are_parse_errors(text: str) -> None:
    with pytest.raises(ParseError):
        parse_partial(text)
