"""The timeline's layout (graph/views/timeline.py): which column an event goes to, one mark per
event, slices per theme, year-only and undated events, collapsed and wrapped years; and
the themes and documents read from the real store."""

from __future__ import annotations

import pytest

from graph.model.iris import Minter
from graph.read import catalog
from graph.read.catalog import EventView
from graph.read.projection import Organization
from graph.views import timeline
from tests.conftest import Built

BASE = "https://w3id.org/migration-kg/id/"
IOM = Organization(f"{BASE}org/IOM", "International Organization for Migration", "IOM", None)
PALETTE = {
    "gender": timeline.Theme("https://w3id.org/migration-kg/theme/gender", "Gender", "#e377c2"),
    "health": timeline.Theme("https://w3id.org/migration-kg/theme/health", "Health", "#7b4173"),
}


def event(start: str | None, label: str = "A meeting", themes: tuple[str, ...] = ()) -> EventView:
    return EventView(
        iri=f"{BASE}event/{start}-{label}",
        label=label,
        start=start,
        end=None,
        venue="Geneva",
        organizers=(IOM,),
        themes=themes,
        implements=(),
    )


@pytest.mark.parametrize(
    ("start", "slot"),
    [("2006-07-18", (2006, 7)), ("2006-07", (2006, 7)), ("2006", (2006, 0)), (None, None),
     ("sometime", None)],
)  # fmt: skip
def test_an_event_goes_to_its_month_or_its_year_column(start: str | None, slot: object) -> None:
    assert timeline.slot_of(event(start)) == slot


def test_one_mark_per_event_stacked_in_its_month() -> None:
    events = [event("2006-04-02", "a"), event("2006-04-20", "b"), event("2006-05-01", "c")]
    chart = timeline.layout(events, PALETTE)
    assert [m.event.label for m in chart.marks] == ["a", "b", "c"]
    a, b, c = chart.marks
    assert a.x == b.x < c.x
    assert b.y < a.y  # the second event of April stands on the first
    assert a.y == c.y
    assert all(m.shape == "circle" for m in chart.marks)


def test_a_year_only_event_is_a_square_before_january() -> None:
    chart = timeline.layout([event("2006", "vague"), event("2006-01-10", "january")], PALETTE)
    vague, january = chart.marks
    assert vague.shape == "square" and january.shape == "circle"
    assert vague.x < january.x
    assert january.x - vague.x == pytest.approx(chart.column)
    assert chart.year_only == 1


def test_an_undated_event_still_gets_a_mark() -> None:
    chart = timeline.layout([event(None, "when?"), event("2006-03", "march")], PALETTE)
    assert len(chart.marks) == 2
    assert chart.undated == 1
    assert [b.kind for b in chart.bands] == ["undated", "year"]
    assert chart.marks[0].event.label == "when?"


def test_several_themes_make_one_mark_with_a_slice_each() -> None:
    chart = timeline.layout([event("2006-03", themes=("gender", "health"))], PALETTE)
    (mark,) = chart.marks
    assert [s.color for s in mark.slices] == ["#e377c2", "#7b4173"]
    assert chart.legend == ((PALETTE["gender"], 1), (PALETTE["health"], 1))
    assert chart.several_themes == 1 and chart.untagged == 0


def test_an_unthemed_event_is_grey_and_counted() -> None:
    chart = timeline.layout([event("2006-03")], PALETTE)
    assert [s.color for s in chart.marks[0].slices] == [timeline.NO_THEME_COLOR]
    assert chart.untagged == 1 and chart.legend == ()


def test_empty_years_collapse_into_one_break() -> None:
    chart = timeline.layout([event("2003-01"), event("2007-01")], PALETTE)
    assert [(b.kind, b.label) for b in chart.bands] == [
        ("year", "2003"), ("gap", "2004\N{EN DASH}2006"), ("year", "2007"),
    ]  # fmt: skip
    assert chart.years == (2003, 2007)


def test_a_decade_wraps_onto_rows_with_readable_columns() -> None:
    chart = timeline.layout([event(f"{y}-06") for y in range(2000, 2012)], PALETTE)
    assert len(chart.rows) > 1
    assert chart.column >= timeline.READABLE_COLUMN
    assert chart.width <= timeline.WIDTH + 0.5
    assert [m.event.start for m in chart.marks] == [f"{y}-06" for y in range(2000, 2012)]
    assert chart.rows[0].axis_y < chart.rows[1].top
    assert {m.row for m in chart.marks} == set(range(len(chart.rows)))


def test_a_single_year_has_wide_columns_and_month_initials() -> None:
    chart = timeline.layout([event("2013-05")], PALETTE)
    assert chart.column == timeline.MAX_COLUMN
    assert "".join(t.label for t in chart.rows[0].ticks) == timeline.MONTH_INITIALS


def test_tooltips_give_dates_label_and_organizers() -> None:
    ranged = EventView(
        iri=f"{BASE}event/x", label="Conference", start="2006-03-15", end="2006-03-16",
        venue="Brussels", organizers=(IOM,), themes=("health",), implements=(),
    )  # fmt: skip
    tooltip = timeline.layout([ranged], PALETTE).marks[0].tooltip
    assert tooltip.splitlines() == [
        "15 March 2006 \N{EN DASH} 16 March 2006",
        "Conference",
        "Organized by: International Organization for Migration (IOM)",
        "Themes: Health",
        "Venue: Brussels",
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [("2006-08-08", "8 August 2006"), ("2006-08", "August 2006"), ("2005", "2005"),
     (None, "undated"), ("later", "later")],
)  # fmt: skip
def test_dates_read_as_people_write_them(value: str | None, text: str) -> None:
    assert timeline.readable(value) == text


def test_every_theme_of_the_scheme_has_a_stable_colour(built: Built) -> None:
    themes = timeline.themes(built.store)
    assert list(themes) == sorted(themes)
    assert len(themes) == 16
    assert len({t.color for t in themes.values()}) == len(themes)
    assert themes["health"].label == "Migration and health"


def test_the_real_timeline_draws_every_event(built: Built) -> None:
    minter = Minter(built.settings.base_iri)
    events = catalog.events(built.store, minter)
    chart = timeline.layout(events, timeline.themes(built.store))
    assert len(chart.marks) == len(events)
    assert len({(m.x, m.y) for m in chart.marks}) == len(events)  # none hides another


def test_the_documents_come_from_the_store_in_date_order(built: Built) -> None:
    found = timeline.documents(built.store)
    assert [d.id for d in found][:2] == ["003_3ad2074d6c553691", "000_14d2ce0a342a483c"]
    assert all(d.title and d.publisher for d in found)
