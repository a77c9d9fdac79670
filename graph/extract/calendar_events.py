"""Extractor: the events of a calendar table (graph.extract.calendar), as statements."""

from __future__ import annotations

from typing import ClassVar

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph.extract import calendar
from graph.extract.base import Context, Finding
from graph.extract.kinds import event_kind
from graph.extract.records import EventRecord
from graph.model.iris import slug
from graph.model.namespaces import MKG, SCHEMA
from graph.model.statements import Said, Span, Statement, Statements
from graph.model.vocab import organizing_roles
from graph.sources.corpus import Document

CALENDAR_CONFIDENCE = 0.95
"""A table row states its date, venue and organizers in their own cells."""


class CalendarEvents:
    """Each row of a calendar table is an event with its venue and responsible organizations."""

    name: ClassVar[str] = "calendar"
    kinds: ClassVar[tuple[str, ...]] = ("event",)

    def find(self, doc: Document, ctx: Context) -> list[Finding]:
        """One finding per calendar row (none when the document has no calendar)."""
        if not calendar.has_calendar(doc.text):
            return []
        year = calendar.calendar_year(doc.text, doc.entry.date.year)
        records = calendar.extract_events(
            doc.text,
            doc.id,
            doc.path.name,
            year,
            is_known=lambda name: ctx.registry.lookup_org(name) is not None,
        )
        findings: list[Finding] = []
        keys: dict[str, EventRecord] = {}
        for record in records:
            key = ctx.minter.event_key(record.start.isoformat(), record.venue, record.label)
            if key in keys and keys[key] != record:
                key = f"{key}-{record.position}"
            keys[key] = record
            findings.append(self._event(doc, ctx, key, record))
        _link_side_events(findings)
        return findings

    def _event(self, doc: Document, ctx: Context, key: str, record: EventRecord) -> Finding:
        out = Statements()
        event = ctx.minter.event(key)
        confidence = CALENDAR_CONFIDENCE
        put = out.putter(doc.id, record.evidence, extractor=self.name, confidence=confidence)

        dates = (Literal(record.start, datatype=XSD.date), Literal(record.end, datatype=XSD.date))
        said = Said(doc.id, record.evidence, self.name, confidence)
        event_statements(out, ctx, said, event, record.label, dates, _place(out, doc, ctx, record))
        if record.position is not None:
            put(event, SCHEMA.position, Literal(record.position))
        for mention in record.mentions:
            where = f", row {record.source_row}" if record.source_row else ""
            org = organization(out, doc, ctx, mention.text, mention.span, self.name, where)
            involvement_statements(out, ctx, said, event, org, mention.role)
        return Finding("event", event, doc.id, record.evidence, CALENDAR_CONFIDENCE, self.name,
                       out.items, record)  # fmt: skip


def event_statements(
    out: Statements,
    ctx: Context,
    said: Said,
    event: URIRef,
    label: str,
    dates: tuple[Literal, Literal] | None,
    place: URIRef | None,
) -> None:
    """An event found in a document: type, label, dates, venue, kind, themes and the claim.
    Without dates it is a series of events (schema:EventSeries)."""
    put = said.putter(out)
    put(event, RDF.type, MKG.Event if dates is not None else SCHEMA.EventSeries)
    put(event, RDFS.label, Literal(label))
    if dates is not None:
        put(event, SCHEMA.startDate, dates[0])
        put(event, SCHEMA.endDate, dates[1])
    if place is not None:
        put(event, SCHEMA.location, place)
    kind = event_kind(label)
    if kind:
        put(event, MKG.eventKind, Literal(kind))
    for theme in ctx.themes.tag(label):
        put(event, DCTERMS.subject, theme)
    said.claim(out, event)


def involvement_statements(
    out: Statements,
    ctx: Context,
    said: Said,
    event: URIRef,
    org: URIRef,
    role: str,
) -> None:
    """Who did what at an event: the qualified involvement, and the organizer shortcut."""
    put = said.putter(out)
    if role in organizing_roles():
        put(event, MKG.organizer, org)
    involvement = ctx.minter.involvement_of(event, str(org).rsplit("/", 1)[-1], role)
    put(event, MKG.qualifiedInvolvement, involvement)
    put(involvement, RDF.type, MKG.Involvement)
    put(involvement, MKG.agent, org)
    put(involvement, MKG.role, Literal(role))
    said.claim(out, involvement)


def organization(
    out: Statements,
    doc: Document,
    ctx: Context,
    text: str,
    span: Span,
    extractor: str,
    where: str = "",
    *,
    warn: bool = True,
) -> URIRef:
    """The organization a mention names; one the registry lacks is added for review (and,
    with `warn`, named in the build's warnings)."""
    resolved = ctx.registry.resolve_org(text)
    node = ctx.minter.org(resolved.key)
    if resolved.known:
        return node
    if warn:
        ctx.warn(
            f"{doc.path.name}{where}: organization {text!r} is not in the registry; "
            f"added as org/{resolved.key} for review"
        )
    out.add(node, RDF.type, MKG.Organization, doc.id, extractor=extractor)
    if resolved.type:
        out.add(node, RDF.type, MKG[resolved.type], doc.id, extractor=extractor)
    out.add(node, SKOS.prefLabel, Literal(resolved.label), doc.id, extractor=extractor)
    if resolved.label != text:
        out.add(node, SKOS.altLabel, Literal(text), doc.id, extractor=extractor)
    out.add(node, MKG.needsReview, Literal(True), doc.id, extractor=extractor)
    out.claim(node, doc.id, span, method="extracted", extractor=extractor, confidence=0.5)
    return node


def _place(out: Statements, doc: Document, ctx: Context, record: EventRecord) -> URIRef:
    entry = ctx.registry.lookup_place(record.venue)
    if entry is not None:
        return ctx.minter.place(entry.id)
    node = ctx.minter.place(slug(record.venue))
    ctx.warn(f"{doc.path.name}: venue {record.venue!r} is not in the registry; added for review")
    for p, o in (
        (RDF.type, MKG.Place),
        (RDFS.label, Literal(record.venue)),
        (MKG.needsReview, Literal(True)),
        (PROV.wasDerivedFrom, ctx.minter.doc(doc.id)),
        (MKG.method, Literal("extracted")),
    ):
        out.add(node, p, o, doc.id, extractor="calendar")
    return node


def _link_side_events(findings: list[Finding]) -> None:
    """A "<X> Side Event" belongs to the event of X at the same venue nearest in time."""
    events: list[tuple[URIRef, EventRecord, Finding]] = [(f.subject, f.record, f) for f in findings]
    for node, record, finding in events:
        if not record.parent_hint:
            continue
        hint = record.parent_hint.casefold()
        candidates = [
            (abs((other.start - record.start).days), other.start, str(other_node), other_node)
            for other_node, other, _ in events
            if other.parent_hint is None
            and other.venue == record.venue
            and _names(hint, other.label)
            and not (other.start <= record.start <= other.end and other_node == node)
        ]
        contained = [c for c in candidates if _within(record, c[3], events)]
        best = min(contained or candidates, default=None)
        if best is not None:
            finding.statements.append(
                Statement(
                    node, SCHEMA.superEvent, best[3], finding.doc, record.evidence,
                    "extracted", finding.extractor, finding.confidence,
                )
            )  # fmt: skip


def _names(hint: str, label: str) -> bool:
    words = label.casefold().replace("(", " ").replace(")", " ").split()
    return hint in words


def _within(
    record: EventRecord, other: URIRef, events: list[tuple[URIRef, EventRecord, Finding]]
) -> bool:
    parent = next(r for n, r, _ in events if n == other)
    return parent.start <= record.start <= parent.end
