"""The automatic extractors on short texts written in the style of the corpus."""

from __future__ import annotations

import pytest

from graph.errors import ParseError
from graph.extract.dates import PartialDate, find_dates, parse_partial
from graph.extract.instruments import canonical_symbol, paragraphs, symbols
from graph.extract.organizations import NameFinder, acronym_pairs
from graph.extract.prose import meetings, sentences

ORGS = NameFinder([("IOM", "IOM"), ("World Bank", "WB"), ("UN Regional Commissions", "UNRC")])
PLACES = NameFinder([("Marseille", "marseille"), ("Geneva", "geneva")])


def test_acronym_pairs_follow_schwartz_hearst() -> None:
    text = (
        "The United Nations Institute for Training and Research (UNITAR) and the "
        "Migration Dialogue for Southern Africa (MIDSA) met; a note (see box 1) followed."
    )
    pairs = [(p.name, p.acronym) for p in acronym_pairs(text)]
    assert pairs == [
        ("United Nations Institute for Training and Research", "UNITAR"),
        ("Migration Dialogue for Southern Africa", "MIDSA"),
    ]
    first = next(acronym_pairs(text))
    assert text[first.span.start : first.span.end].startswith("United Nations Institute")


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("A/Res/60/227", "A/RES/60/227"),
        ("resolution 58/208", "A/RES/58/208"),
        ("Resolution No. 1244", "Resolution No. 1244"),
        ("WHA 61.17", "WHA61.17"),
    ],
)
def test_instrument_symbols_are_canonical(printed: str, canonical: str) -> None:
    assert canonical_symbol(printed) == canonical
    assert [m.symbol for m in symbols(f"as set out in {printed}, States agreed")] == [canonical]


def test_not_a_symbol_is_the_project_error() -> None:
    with pytest.raises(ParseError):
        canonical_symbol("COP 17")


def test_paragraph_references_attach_to_the_instrument_cited_before() -> None:
    text = (
        "UNGA Resolution A/Res/60/227 invited IOM to contribute.\n\n"
        "UN Regional Commissions are requested to coordinate dialogue at the regional level "
        "(OP 17). The Durban COP 17 negotiations are not a paragraph."
    )
    found = list(paragraphs(text, ORGS))
    assert [(p.symbol, p.number, p.verb, p.addressees) for p in found] == [
        ("A/RES/60/227", "17", "requests", ("UNRC",))
    ]


def test_prose_dates_with_their_precision() -> None:
    text = "Held on 20-21 November 2006, then in March 2006 and again in 2011."
    found = [(d.start.iso(), d.end.iso()) for d in find_dates(text)]
    assert found == [("2006-11-20", "2006-11-21"), ("2006-03", "2006-03"), ("2011", "2011")]
    assert parse_partial("2010-03") == PartialDate(2010, 3)
    assert PartialDate(2010, 3).overlaps(*(parse_partial("2010-03-15").first_day(),) * 2)
    with pytest.raises(ParseError):
        parse_partial("2010-13")


def test_sentences_split_blocks_and_list_items() -> None:
    text = "First sentence here. Second one.\n- a list item\n\nA new block."
    assert [text[s.start : s.end] for s in sentences(text)] == [
        "First sentence here.",
        "Second one.",
        "- a list item",
        "A new block.",
    ]


def test_a_dated_meeting_with_cue_roles() -> None:
    text = (
        "IOM and the World Bank organised in 2011 a joint workshop in Marseille entitled "
        '"Managing International Migration for Development", with funding from the '
        "MacArthur Foundation (MF)."
    )
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.label == "Managing International Migration for Development"
    assert meeting.start == PartialDate(2011)
    assert meeting.venue == "marseille"
    roles = {(f.key or f.text): f.role for f in meeting.organizations}
    # two parties that organise it together are co-organizers (graph/curation/README.md)
    assert roles == {"IOM": "co-organizer", "WB": "co-organizer", "MacArthur Foundation": "funder"}


def test_a_sentence_without_a_date_is_no_meeting() -> None:
    assert list(meetings("IOM organised a workshop in Geneva.", ORGS, PLACES)) == []
