"""Curation as an overlay on what the extractors found: instruments, paragraphs,
activities, implementation links, meetings, memberships, works and observations.

The extractors' findings come first. A curated fact that matches a finding confirms it
(recorded with method "extracted") or corrects it (the curated values replace the
finding's); a curated fact no extractor found is added (method "curated"); a rejection
(rejections.yaml) keeps a finding out, with its reason. Findings left over enter the
graph on their own when their confidence reaches the threshold (MKG_MIN_CONFIDENCE);
the rest wait for review as candidates. Everything is emitted as statements
(graph.model.statements); one writer makes the RDF.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from graph.errors import CurationError
from graph.extract import resolution
from graph.extract.base import Context, Finding
from graph.extract.calendar_events import CalendarEvents
from graph.extract.dates import PartialDate, parse_partial
from graph.extract.instruments import ParagraphMention, SymbolMention, described_key
from graph.extract.organizations import NameFinder
from graph.extract.prose import Meeting
from graph.extract.prose_events import date_literal, event_key, retelling
from graph.extract.records import EventRecord
from graph.extract.resolution_texts import ResolutionTexts, deliverable_statements
from graph.model.iris import Minter, paragraph_label
from graph.model.namespaces import MKG, ORG, SCHEMA
from graph.model.statements import CURATION, Method, Span, Statement, Statements, agree
from graph.model.vocab import organizing_roles
from graph.sources.corpus import Document
from graph.sources.curation import (
    Curation,
    EventSpec,
    InstrumentSpec,
    InvolvementSpec,
    LinkSpec,
    ParagraphSpec,
    Quote,
    locate,
    normalize_symbol,
)
from graph.sources.linker import Paragraph
from graph.sources.registry import Registry

log = logging.getLogger(__name__)

CURATION_STANDS = frozenset(
    {RDFS.label, MKG.number, MKG.kind, MKG.operativeVerb, MKG.addressee, DCTERMS.type,
     MKG.adoptedBy}
)  # fmt: skip
"""What curation says of an instrument or paragraph it describes stands: a finding's
values for these are left out (its other facts, quotes and deliverables go in)."""

WORK_TYPES = {
    "publication": SCHEMA.CreativeWork,
    "programme": SCHEMA.Project,
    "project": SCHEMA.Project,
    "fund": SCHEMA.Project,
    "database": SCHEMA.Dataset,
}
WORK_SHORTCUTS = {"author": SCHEMA.author, "publisher": SCHEMA.publisher, "funder": SCHEMA.funder}


@dataclass(frozen=True)
class EventNode:
    """An event as the linker sees it."""

    iri: URIRef
    label: str
    start: PartialDate
    organizers: tuple[str, ...]
    doc: str
    evidence: Span


@dataclass
class Facts:
    """What the overlay decided, for the linker and the build report."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    events: list[EventNode] = field(default_factory=list)
    curated_links: set[tuple[URIRef, URIRef]] = field(default_factory=set)
    confirmed: dict[str, int] = field(default_factory=dict)
    admitted: list[Finding] = field(default_factory=list)
    """Findings that entered the graph on their own (no curated fact matched them)."""
    candidates: list[Finding] = field(default_factory=list)
    """Findings below the confidence threshold (or incomplete): left for review."""
    rejected: list[tuple[Finding, str]] = field(default_factory=list)
    """Findings a reviewer rejected, with the reason."""
    same_as: dict[URIRef, URIRef] = field(default_factory=dict)
    """Findings that entered under another IRI: a paragraph curation confirms under its
    own number ("unnumbered-invites-iom-to-contribute" is curated "unnumbered-1"), and a
    meeting that retells an event already in the graph."""


def known_symbols(curation: Curation, registry: Registry) -> dict[str, str]:
    """The curated symbol of each instrument, by the comparison key (normalize_symbol) of
    every way the extractors may name it: its symbol, its aliases, and the key of its
    description ("UNGA resolution of 2012-12": the body that adopted it, its kind, the
    month a citation says it was issued, and the document it adopted where the curation
    says it), so that curated and extracted facts about one instrument meet on one node."""
    known = {
        normalize_symbol(name): spec.symbol
        for spec in curation.instruments
        for name in (spec.symbol, *spec.aliases)
    }
    for spec in curation.instruments:
        body = registry.orgs.get(spec.adopted_by or "")
        if body is None or spec.kind == "constitution":
            continue
        for citation in spec.citations:
            if citation.issued and len(citation.issued) >= 7:
                key = described_key(
                    body.acronym or body.id, spec.kind, citation.issued[:7], spec.adopts
                )
                known.setdefault(normalize_symbol(key), spec.symbol)
    return known


def instrument_names(curation: Curation) -> NameFinder:
    """Instruments known by name (curated aliases), for the symbol extractor."""
    return NameFinder(
        (alias, spec.symbol)
        for spec in curation.instruments
        for alias in spec.aliases
        if not alias.isdigit()
    )


class _Sink:
    """Where one curated quote's facts go: statements tied to its document and span."""

    def __init__(self, out: Statements, doc: str | None, span: Span | None) -> None:
        self.out, self.doc, self.span = out, doc, span

    def add(self, triple: tuple[URIRef, URIRef, URIRef | Literal]) -> None:
        s, p, o = triple
        self.out.add(s, p, o, self.doc, span=self.span, method="curated", extractor=CURATION)


class FactWriter:
    """The curation overlay: curated facts as statements, over the extractors' findings."""

    def __init__(
        self,
        out: Statements,
        ctx: Context,
        documents: Iterable[Document],
        findings: dict[str, list[Finding]],
        curation: Curation,
        min_confidence: float,
    ) -> None:
        self.out = out
        self.ctx = ctx
        self.minter: Minter = ctx.minter
        self.docs = {doc.id: doc for doc in documents}
        missing = sorted(
            {f"{q.doc} ({name})" for name, q in curation.quotes() if q.doc not in self.docs}
        )
        if missing:
            raise CurationError(
                f"curated facts quote documents that are not in the corpus: {', '.join(missing)}"
            )
        self.calendar_rows: dict[int, list[URIRef]] = {}
        for doc_findings in findings.values():
            for finding in doc_findings:
                position = getattr(finding.record, "position", None)
                if finding.kind == "event" and position is not None:
                    self.calendar_rows.setdefault(position, []).append(finding.subject)
        self.curation = curation
        self.findings = findings
        self.min_confidence = min_confidence
        self._adopted: dict[URIRef, dt.date] = {}
        """When each instrument was adopted, where a text or the curation says so."""
        for doc_findings in findings.values():
            for finding in doc_findings:
                if isinstance(finding.record, SymbolMention) and finding.record.issued:
                    self._adopt(finding.subject, finding.record.issued)
        for spec in curation.instruments:
            for citation in spec.citations:
                if citation.issued:
                    self._adopt(self.minter.instrument(spec.symbol), citation.issued)
        self.facts = Facts()
        self._consumed: set[int] = set()
        self._events: list[tuple[URIRef, str, dt.date, dt.date]] = []
        """Events that entered on their own so far (calendar rows, meetings in prose)."""
        self._admitted_events: set[URIRef] = set()
        self._curated_subjects: set[URIRef] = set()
        self._event_nodes: dict[str, list[URIRef]] = {}
        self._activity_nodes: dict[str, URIRef] = {}

    # ------------------------------------------------------------------ helpers

    def _graph(self, quote: Quote) -> _Sink:
        if quote.doc not in self.docs:
            raise CurationError(f"unknown document {quote.doc!r} in a curated fact")
        return _Sink(self.out, quote.doc, locate(self.docs[quote.doc].text, quote))

    def _evidence(self, node: URIRef, quote: Quote, method: Method) -> Span:
        span = locate(self.docs[quote.doc].text, quote)
        self.out.claim(node, quote.doc, span, method=method, extractor=CURATION)
        self._curated_subjects.add(node)
        return span

    def _found(self, doc: str, kind: str) -> list[Finding]:
        return [f for f in self.findings.get(doc, []) if f.kind == kind]

    def _adopt(self, instrument: URIRef, issued: str) -> None:
        day = parse_partial(issued).first_day()
        self._adopted[instrument] = min(day, self._adopted.get(instrument, day))

    def _consume(self, finding: Finding) -> None:
        self._consumed.add(id(finding))

    def _org(self, key: str, where: str) -> URIRef:
        if key not in self.ctx.registry.orgs:
            raise CurationError(f"{where}: organization {key!r} is not in the registry")
        return self.minter.org(key)

    def _count(self, kind: str, extracted: bool) -> Method:
        name = f"{kind}:{'extracted' if extracted else 'curated'}"
        self.facts.confirmed[name] = self.facts.confirmed.get(name, 0) + 1
        return "extracted" if extracted else "curated"

    # ------------------------------------------------------------------ instruments

    def instruments(self) -> None:
        """Instruments, their citations (with each document's date claim) and paragraphs."""
        registry_graph = _Sink(self.out, None, None)
        for spec in self.curation.instruments:
            node = self.minter.instrument(spec.symbol)
            registry_graph.add((node, RDF.type, MKG.Instrument))
            registry_graph.add((node, MKG.symbol, Literal(spec.symbol)))
            registry_graph.add((node, RDFS.label, Literal(spec.label)))
            registry_graph.add((node, DCTERMS.type, Literal(spec.kind)))
            registry_graph.add((node, MKG.method, Literal("curated")))
            for alias in spec.aliases:
                registry_graph.add((node, SKOS.altLabel, Literal(alias)))
            if spec.adopted_by:
                org = self._org(spec.adopted_by, f"instrument {spec.symbol}")
                registry_graph.add((node, MKG.adoptedBy, org))
            for citation in spec.citations:
                found = self._symbol_found(spec, citation)
                self._evidence(node, citation, self._count("citation", found))
                if citation.issued:
                    self._graph(citation).add(
                        (node, DCTERMS.issued, _date_literal(citation.issued))
                    )
            for paragraph in spec.paragraphs:
                self._paragraph(spec, node, paragraph)

    def _symbol_found(self, spec: InstrumentSpec, quote: Quote) -> bool:
        span = locate(self.docs[quote.doc].text, quote)
        names = {normalize_symbol(s) for s in (spec.symbol, *spec.aliases)}
        hits = [
            f
            for f in self._found(quote.doc, "citation")
            if isinstance(f.record, SymbolMention)
            and normalize_symbol(self.ctx.canonical_symbol(f.record.symbol)) in names
            and _overlaps(f.span, span)
        ]
        for finding in hits:
            self._consume(finding)
        return bool(hits)

    def _paragraph(
        self, spec: InstrumentSpec, instrument: URIRef, paragraph: ParagraphSpec
    ) -> None:
        node = self.minter.paragraph_of(spec.symbol, paragraph.number, paragraph.kind)
        graph_ = self._graph(paragraph)
        span = locate(self.docs[paragraph.doc].text, paragraph)
        names = {normalize_symbol(s) for s in (spec.symbol, *spec.aliases)}
        hits = [
            f
            for f in self._found(paragraph.doc, "paragraph")
            if isinstance(f.record, ParagraphMention)
            and f.record.symbol is not None
            and normalize_symbol(self.ctx.canonical_symbol(f.record.symbol)) in names
            and _same_number(f.record.number, paragraph.number)
            and _overlaps(f.span, span)
        ]
        for finding in hits:
            self._consume(finding)
            self.facts.same_as[finding.subject] = node
        found = bool(hits)
        graph_.add((instrument, MKG.paragraph, node))
        graph_.add((node, RDF.type, MKG.Paragraph))
        graph_.add((node, MKG.number, Literal(paragraph.number)))
        graph_.add((node, MKG.kind, Literal(paragraph.kind)))
        graph_.add(
            (
                node,
                RDFS.label,
                Literal(paragraph_label(spec.symbol, paragraph.number, paragraph.kind)),
            )
        )
        if paragraph.verb:
            graph_.add((node, MKG.operativeVerb, Literal(paragraph.verb)))
        where = f"instrument {spec.symbol} paragraph {paragraph.number}"
        addressees = tuple(paragraph.addressees)
        for key in addressees:
            graph_.add((node, MKG.addressee, self._org(key, where)))
        self._evidence(node, paragraph, self._count("paragraph", found))
        ident = resolution.paragraph_id(paragraph.number, paragraph.kind)
        graph_.add((node, MKG.paragraphId, Literal(ident)))
        self._deliverables(node, paragraph, span)
        for index, activity in enumerate(paragraph.activities, start=1):
            act = self.minter.mandated(node, index)
            graph_.add((node, MKG.mandates, act))
            graph_.add((act, RDF.type, MKG.Activity))
            graph_.add((act, RDFS.label, Literal(activity.label)))
            for key in activity.assigned_to:
                graph_.add((act, MKG.assignedTo, self._org(key, where)))
            self._evidence(act, paragraph, "curated")
        words = " ".join((paragraph.evidence, *(a.label for a in paragraph.activities)))
        anchor = self.docs[paragraph.doc].entry.date
        self.facts.paragraphs.append(Paragraph(node, instrument, addressees, words, anchor,
                                               self._adopted.get(instrument)))  # fmt: skip

    def _deliverables(self, node: URIRef, paragraph: ParagraphSpec, span: Span) -> None:
        """What a curated paragraph asks for, read from its quote: a paper that reports a
        resolution ("who will prepare a summary of the hearings") names its deliverables
        too. Only paragraphs whose verb asks for something are read."""
        if not paragraph.verb or not set(paragraph.verb.split()) & resolution.MANDATING:
            return
        text = self.docs[paragraph.doc].text
        for index, item in enumerate(resolution.deliverables(text, span), start=1):
            deliverable_statements(self.out, self.ctx, paragraph.doc, node, index, item,
                                   ResolutionTexts.name)  # fmt: skip

    # ------------------------------------------------------------------ events

    def events(self) -> None:
        """Prose events, merged with calendar rows they are the same as."""
        ids = {spec.id for spec in self.curation.events}
        for spec in self.curation.events:
            if spec.part_of and spec.part_of not in ids:
                raise CurationError(f"event {spec.id}: part_of {spec.part_of!r} is not an event id")
        # dated events first: each takes the finding that is it, before a series (undated)
        # takes the findings that merely name the series
        for spec in sorted(self.curation.events, key=lambda e: e.start_date is None):
            self._event_nodes[spec.id] = self._event(spec)
        for spec in self.curation.events:
            if spec.part_of:
                parent = self._event_nodes[spec.part_of][0]
                for node in self._event_nodes[spec.id]:
                    self._graph(spec).add((node, SCHEMA.superEvent, parent))
            self._topics(spec)

    def _topics(self, spec: EventSpec) -> None:
        """A series' announced topics (schema:about), each also on the part that covers it."""
        series = self._event_nodes[spec.id][0]
        for topic in spec.topics:
            node = self.minter.topic(series, topic.label)
            graph_ = self._graph(topic)
            graph_.add((series, SCHEMA.about, node))
            graph_.add((node, RDFS.label, Literal(topic.label)))
            self._evidence(node, topic, "curated")
            if topic.part is not None:
                if self._parent_of(topic.part) != spec.id:
                    raise CurationError(f"event {spec.id}: topic part {topic.part!r} is not a part")
                for part in self._event_nodes[topic.part]:
                    graph_.add((part, SCHEMA.about, node))

    def _parent_of(self, event_id: str) -> str | None:
        return next((e.part_of for e in self.curation.events if e.id == event_id), None)

    def _event(self, spec: EventSpec) -> list[URIRef]:
        graph_ = self._graph(spec)
        span = locate(self.docs[spec.doc].text, spec)
        start = spec.start_date
        venue = self._venue(spec)
        if spec.calendar is not None:
            if spec.calendar not in self.calendar_rows:
                raise CurationError(f"event {spec.id}: no calendar row {spec.calendar}")
            nodes = list(self.calendar_rows[spec.calendar])
        else:
            key = event_key(start, venue[1] if venue else None, spec.label)
            nodes = [self.minter.event(key)]
        match = self._match(spec, span)
        method = self._count("event", match is not None)
        for node in nodes:
            graph_.add((node, RDF.type, SCHEMA.EventSeries if spec.is_series else MKG.Event))
            label_property = SKOS.altLabel if spec.calendar is not None else RDFS.label
            graph_.add((node, label_property, Literal(spec.label)))
            if spec.start and not self._refined(node, spec.start, spec.end or spec.start):
                graph_.add((node, SCHEMA.startDate, _date_literal(spec.start)))
                graph_.add((node, SCHEMA.endDate, _date_literal(spec.end or spec.start)))
            if venue:
                graph_.add((node, SCHEMA.location, venue[0]))
            if spec.kind:
                graph_.add((node, MKG.eventKind, Literal(spec.kind)))
            for theme in self.ctx.themes.tag(spec.label):
                graph_.add((node, DCTERMS.subject, theme))
            self._evidence(node, spec, method)
            for involvement in spec.involvements:
                self._involvement(node, spec, involvement, match)
            for source in spec.sources:
                self._evidence(node, source, "curated")
            if spec.calendar is None and start is not None and not spec.is_series:
                organizers = tuple(i.org for i in spec.involvements if i.role in organizing_roles())
                self.facts.events.append(
                    EventNode(node, spec.label, start, organizers, spec.doc, span)
                )
        return nodes

    def _refined(self, node: URIRef, start: str, end: str) -> bool:
        """Whether the node (a calendar row) already has dates of which these are only less
        precise forms ("2006-03" beside 2006-03-15): then the precise ones stand alone as
        the value, and the less precise document keeps its quote on the node."""
        for prop, mine in ((SCHEMA.startDate, start), (SCHEMA.endDate, end)):
            have = {str(st.value) for st in self.out if st.subject == node and st.prop == prop}
            if not any(len(h) > len(mine) and agree(mine, h) for h in have):
                return False
        return True

    def _venue(self, spec: EventSpec) -> tuple[URIRef, str] | None:
        if not spec.venue:
            return None
        place = self.ctx.registry.places.get(spec.venue) or self.ctx.registry.lookup_place(
            spec.venue
        )
        if place is None:
            raise CurationError(f"event {spec.id}: venue {spec.venue!r} is not in places.yaml")
        return self.minter.place(place.id), place.label

    def _match(self, spec: EventSpec, span: Span) -> Meeting | None:
        """The extracted meeting that is this curated event, if the extractor found it."""
        if spec.start_date is None or spec.end_date is None:
            return self._match_undated(spec)
        start, end = spec.start_date.first_day(), spec.end_date.last_day()
        best: tuple[float, Finding] | None = None
        for finding in self._found(spec.doc, "event"):
            meeting = finding.record
            if not isinstance(meeting, Meeting) or not meeting.start.overlaps(start, end):
                continue
            same_sentence = _overlaps(meeting.evidence, span)
            similarity = _similarity(meeting.label, spec.label)
            if not same_sentence and similarity < 80:
                continue
            score = similarity + (100 if same_sentence else 0)
            if best is None or score > best[0]:
                best = (score, finding)
        self._retold(spec, start, end)
        if best is None:
            return None
        self._consume(best[1])
        return best[1].record  # type: ignore[no-any-return]

    def _quotes(self, spec: EventSpec) -> list[tuple[str, Span]]:
        """Where curation quotes an event: its evidence and its further sources."""
        return [(q.doc, locate(self.docs[q.doc].text, q)) for q in (spec, *spec.sources)]

    def _retold(self, spec: EventSpec, start: dt.date, end: dt.date) -> None:
        """Findings that tell this curated event again, at another of its quotes or under a
        name alike (the HLD in a second paper, a meeting on its paper's cover), or wholly
        inside one of its quotes ("by UNCTAD and the OECD at the 2004 workshop on Trade and
        Migration"): they are the curated event, not events of their own."""
        quotes = self._quotes(spec)
        for doc in dict.fromkeys(d for d, _ in quotes):
            for finding in self._found(doc, "event"):
                meeting = finding.record
                if not isinstance(meeting, Meeting) or not meeting.start.overlaps(start, end):
                    continue
                similarity = _similarity(meeting.label, spec.label)
                quoted = any(d == doc and _overlaps(finding.span, q) for d, q in quotes)
                within = any(
                    d == doc and q.start <= finding.span.start and finding.span.end <= q.end
                    for d, q in quotes
                )
                named = len(meeting.label.split()) > 1 and similarity >= 90
                if (quoted and doc != spec.doc and similarity >= 60) or named or within:
                    self._consume(finding)

    def _match_undated(self, spec: EventSpec) -> Meeting | None:
        """An undated curated event (a series) corrects the findings that name it, in any
        document that quotes it: a first mention's year is not the series' start."""
        quotes = self._quotes(spec)
        matched: Meeting | None = None
        for doc in dict.fromkeys(d for d, _ in quotes):
            for finding in self._found(doc, "event"):
                meeting = finding.record
                if not isinstance(meeting, Meeting) or id(finding) in self._consumed:
                    continue
                quoted = any(d == doc and _overlaps(finding.span, q) for d, q in quotes)
                if quoted or fuzz.ratio(meeting.label.casefold(), spec.label.casefold()) >= 90:
                    self._consume(finding)
                    matched = matched or meeting
        return matched

    def _involvement(
        self, node: URIRef, spec: EventSpec, involvement: InvolvementSpec, match: Meeting | None
    ) -> None:
        org, inv = self._add_involvement(node, spec, involvement, f"event {spec.id}")
        if involvement.role in organizing_roles():
            self._graph(spec).add((node, MKG.organizer, org))
        found = match is not None and any(f.key == involvement.org for f in match.organizations)
        self._evidence(inv, spec, self._count("involvement", found))

    def _add_involvement(
        self, node: URIRef, quote: Quote, involvement: InvolvementSpec, where: str
    ) -> tuple[URIRef, URIRef]:
        """The qualified involvement of an organization in an event or work."""
        graph_ = self._graph(quote)
        org = self._org(involvement.org, where)
        inv = self.minter.involvement_of(node, involvement.org, involvement.role)
        graph_.add((node, MKG.qualifiedInvolvement, inv))
        graph_.add((inv, RDF.type, MKG.Involvement))
        graph_.add((inv, MKG.agent, org))
        graph_.add((inv, MKG.role, Literal(involvement.role)))
        return org, inv

    # ------------------------------------------------------------------ links

    def links(self) -> None:
        """Stated and curated implementation links, and the activities they name."""
        for activity in self.curation.activities:
            node = self.minter.activity(activity.id)
            graph_ = self._graph(activity)
            graph_.add((node, RDF.type, MKG.Activity))
            graph_.add((node, RDFS.label, Literal(activity.label)))
            for key in activity.assigned_to:
                graph_.add((node, MKG.assignedTo, self._org(key, f"activity {activity.id}")))
            self._evidence(node, activity, "curated")
            self._activity_nodes[activity.id] = node
        for link in self.curation.links:
            target = self._target(link)
            for implementer in self._implementers(link):
                self.add_link(implementer, target, link.basis, link)
                self.facts.curated_links.add((implementer, target))

    def _target(self, link: LinkSpec) -> URIRef:
        spec = self.curation.instrument(link.instrument)
        if spec is None:
            raise CurationError(f"link: unknown instrument {link.instrument!r}")
        if link.paragraph is None:
            return self.minter.instrument(spec.symbol)
        for paragraph in spec.paragraphs:
            if paragraph.number == link.paragraph:
                return self.minter.paragraph_of(spec.symbol, paragraph.number, paragraph.kind)
        raise CurationError(f"link: {spec.symbol} has no paragraph {link.paragraph!r}")

    def _implementers(self, link: LinkSpec) -> list[URIRef]:
        who = link.implementer
        if who.calendar is not None:
            if who.calendar not in self.calendar_rows:
                raise CurationError(f"link: no calendar row {who.calendar}")
            return list(self.calendar_rows[who.calendar])
        if who.event is not None:
            if who.event not in self._event_nodes:
                raise CurationError(f"link: unknown event {who.event!r}")
            return self._event_nodes[who.event]
        assert who.activity is not None
        if who.activity not in self._activity_nodes:
            raise CurationError(f"link: unknown activity {who.activity!r}")
        return [self._activity_nodes[who.activity]]

    def add_link(self, implementer: URIRef, target: URIRef, basis: str, quote: Quote) -> None:
        """A stated or curated implementation link, with its quote."""
        span = locate(self.docs[quote.doc].text, quote)
        self.out.extend(
            self.link_statements(implementer, target, basis, None, None, (quote.doc, span))
        )

    def link_statements(
        self,
        implementer: URIRef,
        target: URIRef,
        basis: str,
        score: float | None,
        rationale: str | None,
        source: tuple[str, Span],
    ) -> list[Statement]:
        """An implementation link: the shortcut and its qualified node with basis and evidence."""
        doc, span = source
        node = self.minter.implementation(implementer, target, basis)
        out = Statements()
        g = _Sink(out, doc, span)
        g.add((implementer, MKG.implements, target))
        g.add((implementer, MKG.qualifiedImplementation, node))
        g.add((node, RDF.type, MKG.Implementation))
        g.add((node, MKG.implementer, implementer))
        g.add((node, MKG.paragraph, target))
        g.add((node, MKG.linkBasis, Literal(basis)))
        if score is not None:
            g.add((node, MKG.score, Literal(f"{score:.3f}", datatype=XSD.decimal)))
        if rationale:
            g.add((node, RDFS.comment, Literal(rationale)))
        out.claim(node, doc, span, method="curated", extractor=CURATION)
        return out.items

    # ------------------------------------------------------------------ bodies, works, numbers

    def memberships(self) -> None:
        """Who sits in which body, with what role (W3C ORG memberships)."""
        for spec in self.curation.memberships:
            where = f"membership {spec.member} in {spec.body}"
            body, member = self._org(spec.body, where), self._org(spec.member, where)
            node = self.minter.membership(body, spec.member, spec.role)
            graph_ = self._graph(spec)
            graph_.add((node, RDF.type, ORG.Membership))
            graph_.add((node, ORG.organization, body))
            graph_.add((node, ORG.member, member))
            graph_.add((node, MKG.role, Literal(spec.role)))
            graph_.add((member, ORG.memberOf, body))
            if spec.start:
                graph_.add((node, SCHEMA.startDate, _date_literal(spec.start)))
            self._evidence(node, spec, "curated")

    def works(self) -> None:
        """Publications, programmes and funds, with who wrote, ran or paid for them."""
        for spec in self.curation.works:
            node = self.minter.work(spec.id)
            graph_ = self._graph(spec)
            graph_.add((node, RDF.type, WORK_TYPES[spec.type]))
            graph_.add((node, DCTERMS.type, Literal(spec.type)))
            graph_.add((node, SCHEMA.name, Literal(spec.label)))
            graph_.add((node, RDFS.label, Literal(spec.label)))
            if spec.date:
                graph_.add((node, DCTERMS.date, _date_literal(spec.date)))
            self._evidence(node, spec, "curated")
            for involvement in spec.involvements:
                org, inv = self._add_involvement(node, spec, involvement, f"work {spec.id}")
                if involvement.role in WORK_SHORTCUTS:
                    graph_.add((node, WORK_SHORTCUTS[involvement.role], org))
                self._evidence(inv, spec, "curated")

    def observations(self) -> None:
        """Numbers stated about actors, one node per document and date (conflicts kept)."""
        for spec in self.curation.observations:
            about = self._org(spec.about, f"observation {spec.property}")
            when = spec.date or "undated"
            node = self.minter.observation(about, spec.property, spec.doc, when)
            graph_ = self._graph(spec)
            graph_.add((node, RDF.type, SCHEMA.Observation))
            graph_.add((node, SCHEMA.observationAbout, about))
            graph_.add((node, SCHEMA.variableMeasured, Literal(spec.property)))
            value = int(spec.value) if spec.value.is_integer() else spec.value
            graph_.add((node, SCHEMA.value, Literal(value)))
            if spec.date:
                graph_.add((node, SCHEMA.observationDate, _date_literal(spec.date)))
            self._evidence(node, spec, "curated")

    def apply(self) -> None:
        """Every pass of the overlay, in order: rejections, table rows, curated facts,
        then the findings left over."""
        for step in (self.rejections, self.tables, self.instruments, self.events, self.links,
                     self.memberships, self.works, self.observations, self.leftovers):  # fmt: skip
            step()

    def tables(self) -> None:
        """Rows of a table are in first: curated facts about a row add to it, and another
        extractor's event read from the same row is the row's."""
        for doc_findings in self.findings.values():
            rows = []
            for finding in doc_findings:
                if finding.extractor == CalendarEvents.name and id(finding) not in self._consumed:
                    self._consume(finding)
                    self.out.extend(finding.statements)
                    self.facts.admitted.append(finding)
                    rows.append(finding.span)
            for finding in doc_findings:
                if finding.kind == "event" and any(_overlaps(finding.span, r) for r in rows):
                    self._consume(finding)

    def rejections(self) -> None:
        """Findings a reviewer rejected stay out, with the reason; a rejection that no
        longer meets a finding is reported."""
        for spec in self.curation.rejections:
            span = locate(self.docs[spec.doc].text, spec)
            hits = [f for f in self._found(spec.doc, spec.kind) if _overlaps(f.span, span)]
            if not hits:
                self.ctx.warn(
                    f"rejections.yaml: no {spec.kind} found at {spec.evidence[:60]!r} "
                    f"in {spec.doc}; the rejection rejects nothing"
                )
            for finding in hits:
                self._consume(finding)
                self.facts.rejected.append((finding, spec.reason))

    def leftovers(self) -> None:
        """Findings no curated fact accounts for: in on their own when confident enough and
        complete, otherwise candidates for review."""
        for doc_findings in self.findings.values():
            for finding in doc_findings:
                if id(finding) in self._consumed:
                    continue
                if finding.kind in ("citation", "paragraph") and (
                    finding.subject in self._curated_subjects
                ):
                    # curation describes this instrument or paragraph: its values stand
                    continue
                statements = [
                    s
                    for s in finding.statements
                    if not (s.subject in self._curated_subjects and s.prop in CURATION_STANDS)
                ]
                if finding.confidence < self.min_confidence or not _complete(finding):
                    self.facts.candidates.append(finding)
                    continue
                told = self._told_before(finding)
                if told is not None:  # one node per event, however many texts tell it
                    self.out.extend(retelling(finding, self.ctx, told))
                    self.facts.admitted.append(finding)
                    self.facts.same_as[finding.subject] = told
                    continue
                self.out.extend(statements)
                self.facts.admitted.append(finding)
                self._for_linker(finding)
                self._told(finding)

    def _told_before(self, finding: Finding) -> URIRef | None:
        """The event already in the graph that a meeting found in prose tells again: dates
        that can be the same and a name alike (several words, case and markup aside)."""
        meeting = finding.record
        if finding.kind != "event" or not isinstance(meeting, Meeting) or meeting.series:
            return None
        if len(meeting.label.split()) < RETOLD_WORDS:
            return None
        first, last = meeting.start.first_day(), meeting.end.last_day()
        for node, label, start, end in [*self._curated_events(), *self._events]:
            if node == finding.subject or not (start <= last and first <= end):
                continue
            if len(label.split()) >= RETOLD_WORDS and _similarity(meeting.label, label) >= 90:
                return node
        return None

    def _curated_events(self) -> list[tuple[URIRef, str, dt.date, dt.date]]:
        return [(e.iri, e.label, e.start.first_day(), e.start.last_day())
                for e in self.facts.events if e.iri not in self._admitted_events]  # fmt: skip

    def _told(self, finding: Finding) -> None:
        """An event that entered on its own, for the findings after it that tell it again."""
        record = finding.record
        if finding.kind != "event":
            return
        if isinstance(record, Meeting) and not record.series:
            span = (record.start.first_day(), record.end.last_day())
        elif isinstance(record, EventRecord):
            span = (record.start, record.end)
        else:
            return
        self._admitted_events.add(finding.subject)
        self._events.append((finding.subject, record.label, *span))

    def _for_linker(self, finding: Finding) -> None:
        record = finding.record
        if finding.kind == "event" and isinstance(record, Meeting) and not record.series:
            organizers = tuple(f.key for f in record.organizers if f.key is not None)
            self.facts.events.append(EventNode(finding.subject, record.label, record.start,
                                               organizers, finding.doc, finding.span))  # fmt: skip
        elif finding.kind == "paragraph" and isinstance(record, ParagraphMention):
            assert record.symbol is not None
            doc = self.docs[finding.doc]
            instrument = self.minter.instrument(self.ctx.canonical_symbol(record.symbol))
            self.facts.paragraphs.append(
                Paragraph(finding.subject, instrument, record.addressees,
                          finding.span.of(doc.text), doc.entry.date, self._adopted.get(instrument))
            )  # fmt: skip


RETOLD_WORDS = 3
"""The fewest words an event's name needs for a name alike to tell the same event ("the
meeting" of 2011 is not surely "the Council meeting" of 2011)."""


def _similarity(a: str, b: str) -> float:
    """How alike two event names are (0-100), case and markup aside."""
    return fuzz.token_set_ratio(a, b, processor=default_process)


def _same_number(found: str, curated: str) -> bool:
    """Whether a finding's paragraph number is the curated one: the same, or both
    unnumbered (the quotes must overlap too)."""
    return found == curated or (
        found.startswith("unnumbered-") and curated.startswith("unnumbered-")
    )


def _complete(finding: Finding) -> bool:
    """Whether a finding has what the shapes require (an event needs an organizer)."""
    if finding.kind != "event":
        return True
    return any(s.prop == MKG.organizer for s in finding.statements)


def _date_literal(text: str) -> Literal:
    return date_literal(parse_partial(text))


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
