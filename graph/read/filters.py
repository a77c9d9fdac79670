"""Which part of the graph a reader asks about: one filters object for the API, the CLI
and the views, and the one place its values are checked.

A window (start, end: YYYY, YYYY-MM or YYYY-MM-DD, a year meaning all of it), a source
document ("according to this document"), a theme and an organization type. The API's
query parameters, the CLI's options and the pages' form fields all end in `Filters.parse`;
their help texts come from FIELDS, so the three say the same.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from graph.errors import ParseError
from graph.extract.dates import PartialDate, parse_partial

PARTIAL_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
"""YYYY, YYYY-MM or YYYY-MM-DD, as the API's schema states it (the calendar is checked
too). ASCII digits only: the date parser would read full-width digits as a year."""


@dataclass(frozen=True)
class Field:
    """A filter as readers see it: its help text and an example value."""

    help: str
    example: str


FIELDS: dict[str, Field] = {
    "doc": Field("Only what this source document says.", "000_14d2ce0a342a483c"),
    "start": Field("Window start: YYYY, YYYY-MM or YYYY-MM-DD.", "2006"),
    "end": Field("Window end: YYYY, YYYY-MM or YYYY-MM-DD.", "2006-09"),
    "theme": Field("Only events on this theme.", "health"),
    "org_type": Field("Only organizations of this type.", "UNEntity"),
}
"""Every filter, by its name in the API (the CLI spells org_type --org-type)."""


def check_date(text: str | None) -> str | None:
    """A date as given, or None when empty (forms send empty fields); ParseError unless
    it is written as PARTIAL_DATE says and names a day of the calendar."""
    if not text:
        return None
    if not re.fullmatch(PARTIAL_DATE, text):
        raise ParseError(f"malformed date {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    parse_partial(text)
    return text


@dataclass(frozen=True)
class Filters:
    """Which part of the graph to analyse: a time window, a source document, a theme, a type."""

    start: dt.date | None = None
    end: dt.date | None = None
    doc: str | None = None
    theme: str | None = None
    org_type: str | None = None

    @classmethod
    def parse(
        cls,
        start: str | None = None,
        end: str | None = None,
        doc: str | None = None,
        theme: str | None = None,
        org_type: str | None = None,
    ) -> Filters:
        """Filters from text: dates as YYYY, YYYY-MM or YYYY-MM-DD (a year means all of
        it); an empty value means no filter. ParseError says what is wrong."""
        first_text, last_text = check_date(start), check_date(end)
        first = parse_partial(first_text).first_day() if first_text else None
        last = parse_partial(last_text).last_day() if last_text else None
        if first and last and last < first:
            raise ParseError(f"the window ends ({end}) before it starts ({start})")
        return cls(first, last, doc or None, theme or None, org_type or None)

    @property
    def narrows_events(self) -> bool:
        """Whether the filters leave out events (a window, a document or a theme)."""
        return bool(self.start or self.end or self.doc or self.theme)

    def admits(self, start: PartialDate | None, themes: Iterable[str]) -> bool:
        """Whether an event that starts at `start`, on `themes` (IRIs), is in the selection:
        a theme matches by IRI or by key; an undated event is outside any window."""
        if self.theme and not any(
            t == self.theme or t.rsplit("/", 1)[-1] == self.theme for t in themes
        ):
            return False
        if self.start or self.end:
            if start is None:
                return False
            if not start.overlaps(self.start or dt.date.min, self.end or dt.date.max):
                return False
        return True

    def admits_type(self, org_type: str | None) -> bool:
        """Whether an organization of this type is in the selection."""
        return not self.org_type or org_type == self.org_type


EVERYTHING = Filters()
"""No filter: the whole graph."""
