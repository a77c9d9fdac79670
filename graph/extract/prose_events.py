"""Extractor: dated meetings in running text (graph.extract.prose), as statements."""

from __future__ import annotations

from typing import ClassVar

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from graph.extract.base import Context, Finding
from graph.extract.calendar_events import event_statements, involvement_statements, organization
from graph.extract.dates import PartialDate
from graph.extract.prose import Meeting, meetings
from graph.model.iris import slug
from graph.model.statements import Said, Statement, Statements
from graph.sources.corpus import Document


def event_key(start: PartialDate | None, venue: str | None, label: str) -> str:
    """The natural key of an event from its start, venue and label (also used by curation)."""
    parts = [start.iso() if start else "series", slug(venue) if venue else "", slug(label, 80)]
    return "-".join(p for p in parts if p)


def date_literal(date: PartialDate) -> Literal:
    """A partial date as xsd:date, xsd:gYearMonth or xsd:gYear, as precise as it is known."""
    if date.precision == "day":
        return Literal(date.iso(), datatype=XSD.date)
    if date.precision == "month":
        return Literal(date.iso(), datatype=XSD.gYearMonth)
    return Literal(date.iso(), datatype=XSD.gYear)


class ProseEvents:
    """A sentence with an event noun and a date is a meeting; cue phrases give the roles."""

    name: ClassVar[str] = "prose-meetings"
    kinds: ClassVar[tuple[str, ...]] = ("event",)

    def find(self, doc: Document, ctx: Context) -> list[Finding]:
        """One finding per dated meeting."""
        orgs, places = ctx.registry.org_finder(), ctx.registry.place_finder()
        # a month told without its year ("In April, IOM ...") is of the document's year,
        # when the manifest shows where the document prints its date
        year = doc.entry.date.year if doc.entry.date_evidence else None
        return [self._event(doc, ctx, m) for m in meetings(doc.text, orgs, places, year=year)]

    def _event(self, doc: Document, ctx: Context, meeting: Meeting) -> Finding:
        confidence = meeting.confidence
        out = Statements()
        venue = ctx.registry.places[meeting.venue] if meeting.venue else None
        # a series is keyed as curation keys one (no start), so the two meet on one node
        start = None if meeting.series else meeting.start
        key = event_key(start, venue.label if venue else None, meeting.label)
        event = ctx.minter.event(key)
        place = ctx.minter.place(venue.id) if venue is not None else None
        dates = None if meeting.series else (date_literal(meeting.start), date_literal(meeting.end))
        said = Said(doc.id, meeting.evidence, self.name, confidence)
        event_statements(out, ctx, said, event, meeting.label, dates, place)
        for found in meeting.organizations:
            org = (
                ctx.minter.org(found.key)
                if found.key is not None
                else organization(out, doc, ctx, found.text, found.span, self.name, warn=False)
            )
            involvement_statements(out, ctx, said, event, org, found.role)
        return Finding("event", event, doc.id, meeting.evidence, confidence, self.name,
                       out.items, meeting)  # fmt: skip


def retelling(finding: Finding, ctx: Context, event: URIRef) -> list[Statement]:
    """A meeting another finding or curation already put in the graph, told again: its
    quote on that event, and the parts it gives known organizations there."""
    meeting = finding.record
    assert isinstance(meeting, Meeting)
    out = Statements()
    said = Said(finding.doc, meeting.evidence, finding.extractor, finding.confidence)
    said.claim(out, event)
    for found in meeting.organizations:
        if found.key is not None:
            involvement_statements(out, ctx, said, event, ctx.minter.org(found.key), found.role)
    return out.items
