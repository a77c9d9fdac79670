"""The automatic linker on its own: which events it lets carry out a paragraph."""

from __future__ import annotations

import datetime as dt

from rdflib import URIRef

from graph.settings import Settings
from graph.sources.linker import Event, Linker, Paragraph
from graph.sources.registry import Registry

BASE = "https://w3id.org/migration-kg/id/"


def _linker(*events: Event) -> Linker:
    return Linker(Registry.load(Settings().registry_dir), events)


def test_an_event_held_before_its_paragraph_was_adopted_does_not_carry_it_out() -> None:
    """The IOM Council met in November 2012; a resolution adopted in December 2012 that
    invites the Council to act was not carried out at that session."""
    session = Event(URIRef(BASE + "event/council"), "Session of the IOM Council on migration",
                    ("IOM-COUNCIL",), dt.date(2012, 11, 27))  # fmt: skip
    later = Event(URIRef(BASE + "event/later"), "Session of the IOM Council on migration",
                  ("IOM-COUNCIL",), dt.date(2013, 6, 1))  # fmt: skip
    text = "It invites IOM and the IOM Council to hold a session on migration."
    paragraph = Paragraph(URIRef(BASE + "instrument/x/op/1"), URIRef(BASE + "instrument/x"),
                          ("IOM-COUNCIL",), text, dt.date(2013, 1, 1))  # fmt: skip
    others = [
        Event(URIRef(BASE + f"event/other-{n}"), "Expert meeting on remittances", ("UNFPA",),
              dt.date(2012, 10, n))
        for n in range(1, 5)
    ]  # fmt: skip
    linker = _linker(session, later, *others)
    assert linker.score(paragraph, session) is not None  # adoption unknown: in the window
    adopted = Paragraph(paragraph.iri, paragraph.instrument, paragraph.addressees, text,
                        paragraph.anchor, adopted=dt.date(2012, 12, 1))  # fmt: skip
    assert linker.score(adopted, session) is None
    assert linker.score(adopted, later) is not None


def test_a_session_of_an_organizations_plenary_organ_is_not_the_organization_acting() -> None:
    """A paragraph that asks IOM to act is not carried out by a session of IOM's Council
    (its Member States meeting, the registry's `plenary`), though the Council is part of
    IOM; one that asks the Council itself may be."""
    session = Event(URIRef(BASE + "event/council"), "101st Session of the IOM Council",
                    ("IOM-COUNCIL",), dt.date(2012, 11, 27))  # fmt: skip
    others = [
        Event(URIRef(BASE + f"event/other-{n}"), "Expert meeting on remittances", ("UNFPA",),
              dt.date(2012, 10, n))
        for n in range(1, 5)
    ]  # fmt: skip
    linker = _linker(session, *others)

    def asking(addressee: str) -> Paragraph:
        return Paragraph(URIRef(BASE + "instrument/x/op/1"), URIRef(BASE + "instrument/x"),
                         (addressee,), "invites it to take part in the session",
                         dt.date(2012, 6, 1))  # fmt: skip

    assert linker.score(asking("IOM"), session) is None
    score = linker.score(asking("IOM-COUNCIL"), session)
    assert score is not None and "title names addressee IOM-COUNCIL" in score[1]
