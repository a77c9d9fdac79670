"""The timeline of events as the browser draws it, and the lists the landing page shows.

Months run along the x axis, grouped by year; the events of a month are stacked upward
from the axis, one mark each, in date order. A mark is coloured by its themes: an event
with several themes is still one mark, split into equal slices (a pie for a circle,
stripes for a square), one per theme in theme-id order, so the count of marks is the
count of events and no theme is hidden. Each year starts with a shaded column, before
January, for events its documents date to the year only (drawn as squares, as the month
is unknown); an event with no date at all goes to an "undated" column at the left. Runs
of years without any event are collapsed into one narrow break, and when the months would
be too narrow to point at, the years wrap onto further rows (same scale on every row).
Geometry is computed here; the template only writes it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from graph.errors import ParseError
from graph.extract.dates import PartialDate, parse_partial
from graph.read import derived
from graph.read.catalog import EventView, key_of
from graph.read.terms import rows
from graph.store.backend import GraphStore
from graph.store.queries import load_query

PALETTE = (
    "#d62728", "#17becf", "#2ca02c", "#ff7f0e", "#bcbd22", "#e377c2", "#7b4173", "#393b79",
    "#c49c94", "#843c39", "#1f77b4", "#8c564b", "#9467bd", "#e7ba52", "#aec7e8", "#ff9896",
)  # fmt: skip
"""Colours of the themes, given in the order of their ids (so a theme keeps its colour
whatever the filters); past sixteen themes the palette repeats."""
NO_THEME_COLOR = "#b4bcc6"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
MONTH_INITIALS = "JFMAMJJASOND"
DASH = "\N{EN DASH}"
YEAR_COLUMN = 0
"""The month number of the column, before January, that holds events dated to a year."""
GAP_UNITS = 1.6
"""Width of a collapsed run of empty years, in columns."""
UNDATED_UNITS = 3.0
"""Width of the column of events without a date, in columns."""
WIDTH = 1300.0
"""The width the timeline is laid out for, in pixels (the page scales it down to fit)."""
READABLE_COLUMN = 16.0
"""The narrowest month column that keeps a mark easy to see and to point at: below it,
years wrap onto another row."""
MAX_COLUMN = 56.0
"""The widest month column (a single year's months)."""
MONTH_LABEL_COLUMN = 14.0
"""Month initials are written under columns at least this wide."""
ROW_GAP = 14.0
MAX_RADIUS = 10.0
LEFT, RIGHT, TOP = 8.0, 8.0, 10.0
AXIS_ROOM = 40.0
"""Below the axis: month initials and year labels."""
MIN_STACK = 4
"""The plot is at least this many marks high, so a sparse selection does not look flat."""
Shape = Literal["circle", "square"]


@dataclass(frozen=True)
class Theme:
    """A theme (SKOS concept) with its label and colour."""

    iri: str
    label: str
    color: str

    @property
    def id(self) -> str:
        """The theme's key: the last segment of its IRI."""
        return key_of(self.iri)


@dataclass(frozen=True)
class SourceDocument:
    """A source document of the graph: what it is, when and by whom it was issued."""

    iri: str
    id: str
    title: str
    issued: str | None
    publisher: str | None


def themes(store: GraphStore) -> dict[str, Theme]:
    """Every theme of the scheme by id, in id order, each with its colour."""

    def build() -> dict[str, Theme]:
        found = sorted(
            ((str(r["theme"]), str(r["label"])) for r in rows(store.query(load_query("themes")))),
            key=lambda t: key_of(t[0]),
        )
        return {
            key_of(iri): Theme(iri, label, PALETTE[i % len(PALETTE)])
            for i, (iri, label) in enumerate(found)
        }

    known: dict[str, Theme] = derived.cached(store, ("timeline-themes",), build)
    return known


def documents(store: GraphStore) -> list[SourceDocument]:
    """The source documents in the order they were issued."""
    found = [
        SourceDocument(
            iri=str(r["document"]),
            id=str(r["id"]),
            title=str(r["title"]),
            issued=str(r["issued"]) if r["issued"] else None,
            publisher=str(r["publisher"]) if r["publisher"] else None,
        )
        for r in rows(store.query(load_query("documents")))
    ]
    return sorted(found, key=lambda d: (d.issued or "", d.id))


def readable(value: str | None) -> str:
    """An ISO date of any precision as people write it: "15 April 2006", "April 2006"."""
    if not value:
        return "undated"
    try:
        date = parse_partial(value)
    except ParseError:
        return value
    if date.month is None:
        return str(date.year)
    month = f"{MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {month}" if date.day else month


def when(event: EventView) -> str:
    """The event's dates as people write them, a range when it lasted more than a day."""
    first = readable(event.start)
    if event.end and event.end != event.start:
        return f"{first} {DASH} {readable(event.end)}"
    return first


@dataclass(frozen=True)
class Slice:
    """Part of a mark: an SVG path and the colour of one of the event's themes."""

    d: str
    color: str


@dataclass(frozen=True)
class Mark:
    """One event on the timeline."""

    event: EventView
    row: int
    x: float
    y: float
    shape: Shape
    slices: tuple[Slice, ...]
    outline: str
    themes: tuple[Theme, ...]
    tooltip: str


@dataclass(frozen=True)
class Band:
    """A stretch of the x axis: a year (with its year-only column), a break, or undated."""

    kind: Literal["year", "gap", "undated"]
    x: float
    width: float
    label: str
    units: float
    year: int | None = None


@dataclass(frozen=True)
class Tick:
    """A month's initial under its column."""

    x: float
    label: str
    title: str


@dataclass(frozen=True)
class Row:
    """One line of the timeline: consecutive years on their own axis."""

    top: float
    axis_y: float
    bands: tuple[Band, ...]
    ticks: tuple[Tick, ...]

    @property
    def right(self) -> float:
        """Where the row's axis ends."""
        return self.bands[-1].x + self.bands[-1].width if self.bands else LEFT


@dataclass(frozen=True)
class Timeline:
    """Everything the template draws, in pixels."""

    width: float
    height: float
    column: float
    radius: float
    rows: tuple[Row, ...]
    marks: tuple[Mark, ...]
    legend: tuple[tuple[Theme, int], ...]
    untagged: int
    year_only: int
    undated: int

    @property
    def several_themes(self) -> int:
        """Marks of events with more than one theme."""
        return sum(len(m.themes) > 1 for m in self.marks)

    @property
    def bands(self) -> tuple[Band, ...]:
        """Every band of every row, left to right and top to bottom."""
        return tuple(b for row in self.rows for b in row.bands)

    @property
    def gaps(self) -> tuple[Band, ...]:
        """The collapsed runs of empty years."""
        return tuple(b for b in self.bands if b.kind == "gap")

    @property
    def years(self) -> tuple[int, ...]:
        """The years drawn (with at least one event)."""
        return tuple(b.year for b in self.bands if b.year is not None)


Slot = tuple[int, int] | None
"""Where an event goes: (year, month), month 0 for a year-only date; None when undated."""


def slot_of(event: EventView) -> Slot:
    """The column of an event: its start's year and month (0 if only the year is known)."""
    if not event.start:
        return None
    try:
        date: PartialDate = parse_partial(event.start)
    except ParseError:
        return None
    return (date.year, date.month or YEAR_COLUMN)


def layout(
    events: Sequence[EventView], palette: Mapping[str, Theme], width: float = WIDTH
) -> Timeline:
    """The timeline of `events` (in the order given, bottom-up in each column) fitted to
    `width` pixels: one row when its months can be READABLE_COLUMN wide, otherwise the
    years wrap onto as few rows of about equal length as that takes."""
    stacks: dict[Slot, list[EventView]] = {}
    for event in events:
        stacks.setdefault(slot_of(event), []).append(event)
    lines = _wrap(_segments(sorted({s[0] for s in stacks if s is not None}), None in stacks),
                  (width - LEFT - RIGHT) / READABLE_COLUMN)  # fmt: skip
    widest = max([sum(b.units for b in line) for line in lines] + [1.0])
    column = min(MAX_COLUMN, (width - LEFT - RIGHT) / widest)
    radius = min(MAX_RADIUS, column * 0.42)
    step = 2 * radius + 1.5
    rows: list[Row] = []
    columns: dict[Slot, float] = {}
    row_of: dict[int | None, int] = {}
    top = TOP
    for index, line in enumerate(lines):
        bands, x = [], LEFT
        for band in line:
            bands.append(Band(band.kind, x, band.units * column, band.label, band.units, band.year))
            for slot in _slots(band):
                row_of[slot[0] if slot else None] = index
                # the undated column is centred in its wider band
                columns[slot] = x + (slot[1] if slot else (band.units - 1) / 2) * column
            x += band.units * column
        tallest = max([len(stacks.get(s, ())) for b in line for s in _slots(b)] + [MIN_STACK])
        axis_y = top + tallest * step + 4
        ticks = tuple(
            Tick(columns[(b.year, m)] + column / 2, MONTH_INITIALS[m - 1], MONTHS[m - 1])
            for b in line if b.year is not None for m in range(1, 13)
        ) if column >= MONTH_LABEL_COLUMN else ()  # fmt: skip
        rows.append(Row(top, axis_y, tuple(bands), ticks))
        top = axis_y + AXIS_ROOM + ROW_GAP
    marks = []
    used: dict[str, int] = defaultdict(int)
    untagged = 0
    for slot, stack in stacks.items():
        cx = columns[slot] + column / 2
        row = row_of[slot[0] if slot is not None else None]
        axis_y = rows[row].axis_y
        shape: Shape = "square" if slot is not None and slot[1] == YEAR_COLUMN else "circle"
        for i, event in enumerate(stack):
            cy = axis_y - 4 - radius - i * step
            found = tuple(palette.get(t) or Theme(t, t, NO_THEME_COLOR) for t in event.themes)
            for t in found:
                used[t.id] += 1
            untagged += not found
            colors = [t.color for t in found] or [NO_THEME_COLOR]
            marks.append(
                Mark(
                    event=event,
                    row=row,
                    x=cx,
                    y=cy,
                    shape=shape,
                    slices=_slices(shape, cx, cy, radius, colors),
                    outline=_outline(shape, cx, cy, radius),
                    themes=found,
                    tooltip=_tooltip(event, found),
                )
            )
    named = {**palette, **{t.id: t for m in marks for t in m.themes}}
    return Timeline(
        width=round(LEFT + widest * column + RIGHT, 1),
        height=round(top - ROW_GAP, 1),
        column=round(column, 2),
        radius=round(radius, 2),
        rows=tuple(rows),
        marks=tuple(sorted(marks, key=lambda m: (m.row, m.x, -m.y))),
        legend=tuple(sorted(((named[t], n) for t, n in used.items()), key=lambda t: t[0].label)),
        untagged=untagged,
        year_only=sum(len(s) for k, s in stacks.items() if k is not None and k[1] == YEAR_COLUMN),
        undated=len(stacks.get(None, ())),
    )


def _slots(band: Band) -> list[Slot]:
    """The columns of a band: a year's thirteen, the undated one, none in a break."""
    if band.kind == "undated":
        return [None]
    if band.year is None:
        return []
    return [(band.year, month) for month in range(13)]


def _segments(years: Sequence[int], undated: bool) -> list[Band]:
    """The bands of the axis in units of one column, from the undated column (if any)
    through every year, runs of empty years collapsed."""
    found = [Band("undated", 0, 0, "undated", UNDATED_UNITS)] if undated else []
    present = set(years)
    year = years[0] if years else 0
    while years and year <= years[-1]:
        if year in present:
            found.append(Band("year", 0, 0, str(year), 13.0, year))
            year += 1
            continue
        last = year
        while last + 1 not in present:
            last += 1
        label = str(year) if year == last else f"{year}{DASH}{last}"
        found.append(Band("gap", 0, 0, label, GAP_UNITS))
        year = last + 1
    return found


def _wrap(bands: list[Band], most: float) -> list[list[Band]]:
    """The bands in as few rows as keep each within `most` units, as even as can be."""
    total = sum(b.units for b in bands)
    if total <= most or len(bands) < 2:
        return [bands]
    wanted = math.ceil(total / most)
    cap = total / wanted
    while True:
        rows: list[list[Band]] = [[]]
        for band in bands:
            if rows[-1] and sum(b.units for b in rows[-1]) + band.units > cap:
                rows.append([])
            rows[-1].append(band)
        if len(rows) <= wanted:
            return rows
        cap += 1.0


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _outline(shape: Shape, cx: float, cy: float, r: float) -> str:
    if shape == "square":
        side = 1.7 * r
        return f"M{_n(cx - side / 2)},{_n(cy - side / 2)}h{_n(side)}v{_n(side)}h{_n(-side)}Z"
    arc = f"a{_n(r)},{_n(r)} 0 1,0"
    return f"M{_n(cx - r)},{_n(cy)}{arc} {_n(2 * r)},0{arc} {_n(-2 * r)},0Z"


def _slices(shape: Shape, cx: float, cy: float, r: float, colors: list[str]) -> tuple[Slice, ...]:
    if len(colors) == 1:
        return (Slice(_outline(shape, cx, cy, r), colors[0]),)
    n = len(colors)
    if shape == "square":
        side = 1.7 * r
        stripe = side / n
        left, top = cx - side / 2, cy - side / 2
        return tuple(
            Slice(f"M{_n(left + i * stripe)},{_n(top)}h{_n(stripe)}v{_n(side)}h{_n(-stripe)}Z", c)
            for i, c in enumerate(colors)
        )
    found = []
    for i, color in enumerate(colors):
        a0 = -math.pi / 2 + 2 * math.pi * i / n
        a1 = -math.pi / 2 + 2 * math.pi * (i + 1) / n
        large = 1 if a1 - a0 > math.pi else 0
        x0, y0 = cx + r * math.cos(a0), cy + r * math.sin(a0)
        x1, y1 = cx + r * math.cos(a1), cy + r * math.sin(a1)
        d = f"M{_n(cx)},{_n(cy)}L{_n(x0)},{_n(y0)}A{_n(r)},{_n(r)} 0 {large},1 {_n(x1)},{_n(y1)}Z"
        found.append(Slice(d, color))
    return tuple(found)


def _tooltip(event: EventView, found: tuple[Theme, ...]) -> str:
    organizers = ", ".join(
        f"{o.label} ({o.acronym})" if o.acronym and o.acronym != o.label else o.label
        for o in event.organizers
    )
    lines = [
        when(event),
        event.label,
        f"Organized by: {organizers or 'not stated'}",
        f"Themes: {', '.join(t.label for t in found) or 'none'}",
    ]
    if event.venue:
        lines.append(f"Venue: {event.venue}")
    return "\n".join(lines)
