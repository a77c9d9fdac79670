"""The 2006 calendar of seed 000, as it comes out in the graph.

Expectations below were written by reading the document's table row by row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from graph.extract import calendar
from graph.read.terms import rows
from tests.conftest import CALENDAR_DOC, CORPUS, Built

EVENTS = """
PREFIX mkg: <https://w3id.org/migration-kg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?event ?row ?label ?start ?end ?venue ?super WHERE {
  GRAPH <https://w3id.org/migration-kg/id/graph/doc/000_14d2ce0a342a483c> {
    ?event a mkg:Event ; schema:position ?row ; rdfs:label ?label ;
           schema:startDate ?start ; schema:endDate ?end ; schema:location ?place .
    OPTIONAL { ?event schema:superEvent ?super }
  }
  ?place rdfs:label ?venue .
}
"""
ROLES = """
PREFIX mkg: <https://w3id.org/migration-kg/ontology#>
SELECT ?event ?org ?role WHERE {
  GRAPH <https://w3id.org/migration-kg/id/graph/doc/000_14d2ce0a342a483c> {
    ?event schema:position ?row ; mkg:qualifiedInvolvement [ mkg:agent ?org ; mkg:role ?role ] .
  }
}
"""


@dataclass
class Item:
    iri: str
    label: str
    start: dt.date
    end: dt.date
    venue: str
    roles: dict[str, set[str]]
    super_event: str | None


@pytest.fixture(scope="module")
def items(built: Built) -> dict[int, list[Item]]:
    by_iri: dict[str, Item] = {}
    by_row: dict[int, list[Item]] = {}
    for r in rows(built.store.query(EVENTS)):
        item = Item(
            str(r["event"]),
            str(r["label"]),
            r["start"],
            r["end"],
            str(r["venue"]),
            {},
            str(r["super"]) if r["super"] else None,
        )  # type: ignore[arg-type]
        by_iri[item.iri] = item
        by_row.setdefault(int(r["row"]), []).append(item)  # type: ignore[call-overload]
    for r in rows(built.store.query(ROLES)):
        org_id = str(r["org"]).rsplit("/", 1)[-1]
        by_iri[str(r["event"])].roles.setdefault(str(r["role"]), set()).add(org_id)
    return by_row


def only(items: dict[int, list[Item]], row: int) -> Item:
    assert len(items[row]) == 1
    return items[row][0]


def test_all_fifty_rows_come_out(items: dict[int, list[Item]]) -> None:
    assert sorted(items) == list(range(1, 51))
    assert sum(len(v) for v in items.values()) == 51  # row 17 holds two side events


@pytest.mark.parametrize(
    ("row", "start", "end", "venue", "organizers"),
    [
        (1, dt.date(2006, 2, 8), dt.date(2006, 2, 17), "New York", {"UNDESA"}),
        (
            2,
            dt.date(2006, 2, 9),
            dt.date(2006, 2, 10),
            "Cotonou",
            {"GOV-BJ", "IOM", "UN-OHRLLS", "UNDP"},
        ),
        (
            3,
            dt.date(2006, 2, 17),
            dt.date(2006, 2, 18),
            "San Salvador",
            {"GOV-SV", "GOV-MX", "IOM"},
        ),
        (4, dt.date(2006, 2, 27), dt.date(2006, 3, 10), "New York", {"UNDESA"}),
        (7, dt.date(2006, 3, 15), dt.date(2006, 3, 16), "Brussels", {"GOV-BE", "IOM", "EC", "WB"}),
        (10, dt.date(2006, 3, 20), dt.date(2006, 3, 24), "Montevideo", {"ECLAC"}),
        (12, dt.date(2006, 4, 3), dt.date(2006, 4, 5), "Algiers", {"AU", "GOV-DZ"}),
        (14, dt.date(2006, 4, 5), dt.date(2006, 4, 5), "New York", {"UNDESA"}),
        (18, dt.date(2006, 4, 23), dt.date(2006, 4, 25), "Windhoek", {"MIDSA", "SAMP", "IOM"}),
        (19, dt.date(2006, 4, 24), dt.date(2006, 4, 26), "Mexico City", {"GOV-MX"}),
        (24, dt.date(2006, 5, 4), dt.date(2006, 5, 5), "Asunción", {"CSM", "IOM"}),
        (27, dt.date(2006, 5, 15), dt.date(2006, 5, 16), "Lima", {"GOV-PE", "IOM"}),
        (30, dt.date(2006, 6, 6), dt.date(2006, 6, 6), "New York", {"UNDESA", "UN-SG", "PGA"}),
        (
            31,
            dt.date(2006, 6, 6),
            dt.date(2006, 6, 6),
            "Lisbon",
            {"IOM", "IPAD", "GULBENKIAN", "CPLP", "ACIME"},
        ),
        (36, dt.date(2006, 7, 4), dt.date(2006, 7, 4), "Geneva", {"PGA", "ECOSOC-PRESIDENT"}),
        (
            37,
            dt.date(2006, 7, 5),
            dt.date(2006, 7, 5),
            "Geneva",
            {"ILO", "IOM", "UN-HABITAT", "UNCTAD", "UNDESA", "UNFPA", "UNODC"},
        ),
        (42, dt.date(2006, 7, 18), dt.date(2006, 7, 19), "Madrid", {"SEGIB", "IOM", "ECLAC"}),
        (
            43,
            dt.date(2006, 7, 27),
            dt.date(2006, 7, 28),
            "Santo Domingo",
            {"UNDP", "FUNGLODE", "SU-SSC", "GOV-DO"},
        ),
        (46, dt.date(2006, 9, 13), dt.date(2006, 9, 15), "New York", {"OLA"}),
        (48, dt.date(2006, 9, 13), dt.date(2006, 9, 13), "New York", {"UN-RC-NYO", "IOM"}),
        (50, dt.date(2006, 9, 14), dt.date(2006, 9, 15), "New York", {"UNGA"}),
    ],
)
def test_tricky_rows(
    items: dict[int, list[Item]],
    row: int,
    start: dt.date,
    end: dt.date,
    venue: str,
    organizers: set[str],
) -> None:
    item = only(items, row)
    assert (item.start, item.end, item.venue) == (start, end, venue)
    assert item.roles == {"organizer": organizers}


def test_with_the_support_of_makes_a_supporter(items: dict[int, list[Item]]) -> None:
    rabat = only(items, 39)
    assert rabat.roles == {"organizer": {"GOV-MA", "GOV-ES", "GOV-FR"}, "supporter": {"EC"}}


def test_desa_in_row_37_is_undesa_and_gov_spellings_are_one_government(
    items: dict[int, list[Item]],
) -> None:
    assert "UNDESA" in only(items, 37).roles["organizer"]
    assert "GOV-MX" in only(items, 3).roles["organizer"]  # "Gov Mexico"
    assert only(items, 19).roles["organizer"] == {"GOV-MX"}  # "Gov of Mexico"


def test_row_17_is_two_side_events_of_the_escap_session(items: dict[int, list[Item]]) -> None:
    session = only(items, 16)
    side_events = items[17]
    assert sorted(e.label for e in side_events) == [
        "ESCAP Side Event: Gender and Migration",
        "ESCAP Side Event: Presentation of the HLD to ESCAP Countries",
    ]
    for event in side_events:
        assert event.start == event.end == dt.date(2006, 4, 12)
        assert event.roles == {"organizer": {"ESCAP", "GOV-ID", "IOM"}}
        assert event.super_event == session.iri


def test_hld_side_events_belong_to_the_hld(items: dict[int, list[Item]]) -> None:
    hld = only(items, 50)
    for row in (47, 48, 49):
        assert only(items, row).super_event == hld.iri
    assert only(items, 32).super_event is None


def test_multi_line_title_is_joined(items: dict[int, list[Item]]) -> None:
    assert only(items, 37).label == (
        "ECOSOC High-Level Segment: Roundtable: Globalization and Labour Migration"
    )


def test_responsible_cell_splits_on_commas_and_and_but_keeps_known_names() -> None:
    cell = calendar.Cell("Gov of Peru and IOM", calendar.Span(100, 119))
    mentions = list(calendar.split_responsible(cell, lambda name: False))
    assert [(m.text, m.span.start, m.span.end) for m in mentions] == [
        ("Gov of Peru", 100, 111),
        ("IOM", 116, 119),
    ]
    whole = calendar.Cell("Department of Economic and Social Affairs", calendar.Span(0, 41))
    known = {"Department of Economic and Social Affairs"}
    assert [m.text for m in calendar.split_responsible(whole, known.__contains__)] == [
        "Department of Economic and Social Affairs"
    ]


def test_calendar_year_comes_from_the_document() -> None:
    text = (CORPUS / f"{CALENDAR_DOC}.txt").read_text(encoding="utf-8")
    assert calendar.calendar_year(text, fallback=1999) == 2006


def test_themes_are_tagged_from_titles(built: Built) -> None:
    themed = rows(
        built.store.query(
            """SELECT ?label ?theme WHERE { ?e a mkg:Event ; rdfs:label ?label ;
                                                dcterms:subject ?theme }"""
        )
    )
    tags: dict[str, set[str]] = {}
    for r in themed:
        tags.setdefault(str(r["label"]), set()).add(str(r["theme"]).rsplit("/", 1)[-1])
    assert "labour-migration" in tags["Key Migration Issues Seminar: Labor Migration"]
    assert "health" in tags["Key Migration Issues Seminar: HIV, AIDS and Migration"]
    assert {"gender", "human-rights"} <= tags[
        "International Congress: Protection of the Human Rights of Migrant Women"
    ]
    assert (
        "remittances"
        in tags["Ministerial Conference on Enhancing the Development Impact of Remittances"]
    )
