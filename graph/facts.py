"""Prose facts into the dataset: instruments, paragraphs, activities, implementation links,
meetings, memberships, works and observations.

The curated files are the reviewed truth. The extractors run over every document too,
and a curated fact they also find is recorded with method "extracted", otherwise
"curated"; so the share of hand-written facts is visible and can shrink. Extracted
candidates that match no curated fact do not enter the graph: like `mkg ingest`, they
wait for review (they are listed in the build's candidates).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph.corpus import Document
from graph.curation import (
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
from graph.errors import CurationError
from graph.extract.dates import PartialDate, parse_partial
from graph.extract.instruments import ParagraphMention, SymbolMention, paragraphs, symbols
from graph.extract.organizations import NameFinder
from graph.extract.prose import Meeting, meetings
from graph.extract.records import Span
from graph.iris import Minter, slug
from graph.namespaces import MKG, ORG, SCHEMA
from graph.rdf import ORGANIZER_ROLES, BuildContext
from graph.terms import agree

log = logging.getLogger(__name__)

PARAGRAPH_SEGMENT = {
    "operative": "op",
    "preambular": "pp",
    "article": "art",
    "round-table": "rt",
    "resolves": "res",
    "pillar": "pillar",
}
WORK_TYPES = {
    "publication": SCHEMA.CreativeWork,
    "programme": SCHEMA.Project,
    "project": SCHEMA.Project,
    "fund": SCHEMA.Project,
    "database": SCHEMA.Dataset,
}
WORK_SHORTCUTS = {"author": SCHEMA.author, "publisher": SCHEMA.publisher, "funder": SCHEMA.funder}


@dataclass
class Found:
    """What the automatic extractors found in one document."""

    meetings: list[Meeting]
    paragraphs: list[ParagraphMention]
    symbols: list[SymbolMention]


@dataclass(frozen=True)
class ParagraphNode:
    """A paragraph as the linker sees it."""

    iri: URIRef
    instrument: URIRef
    addressees: tuple[str, ...]
    text: str
    anchor: dt.date


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
    """What was written, for the linker and the build report."""

    paragraphs: list[ParagraphNode] = field(default_factory=list)
    events: list[EventNode] = field(default_factory=list)
    curated_links: set[tuple[URIRef, URIRef]] = field(default_factory=set)
    confirmed: dict[str, int] = field(default_factory=dict)
    candidates: list[tuple[str, Meeting]] = field(default_factory=list)


def instrument_names(curation: Curation) -> NameFinder:
    """Instruments known by name (curated aliases), for the symbol extractor."""
    return NameFinder(
        (alias, spec.symbol)
        for spec in curation.instruments
        for alias in spec.aliases
        if not alias.isdigit()
    )


def find_all(doc: Document, ctx: BuildContext, curation: Curation) -> Found:
    """Run every prose extractor over one document."""
    orgs = ctx.registry.org_finder()
    places = ctx.registry.place_finder()
    names = instrument_names(curation)
    return Found(
        meetings=list(meetings(doc.text, orgs, places)),
        paragraphs=list(paragraphs(doc.text, orgs, names)),
        symbols=symbols(doc.text, names),
    )


class FactWriter:
    """Writes curated facts, each into the named graph of the document its quote is from."""

    def __init__(
        self,
        dataset: Dataset,
        ctx: BuildContext,
        documents: Iterable[Document],
        calendar_rows: dict[int, list[URIRef]],
        curation: Curation,
        found: dict[str, Found],
    ) -> None:
        self.dataset = dataset
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
        self.calendar_rows = calendar_rows
        self.curation = curation
        self.found = found
        self.facts = Facts()
        self._event_nodes: dict[str, list[URIRef]] = {}
        self._activity_nodes: dict[str, URIRef] = {}

    # ------------------------------------------------------------------ helpers

    def _graph(self, quote: Quote) -> Graph:
        if quote.doc not in self.docs:
            raise CurationError(f"unknown document {quote.doc!r} in a curated fact")
        return self.dataset.graph(self.minter.doc_graph(quote.doc))

    def _evidence(self, node: URIRef, quote: Quote, method: str) -> Span:
        span = locate(self.docs[quote.doc].text, quote)
        self.evidence_at(self._graph(quote), node, quote.doc, span, method)
        return span

    def evidence_at(self, g: Graph, node: URIRef, doc_id: str, span: Span, method: str) -> None:
        """Provenance of a node: its document, the quoted text and its offsets.

        A node quoted twice in one document keeps its first quote; each further one goes
        on a prov:Derivation of its own (prov:qualifiedDerivation), so quotes and offsets
        always pair up within a graph.
        """
        if (node, MKG.evidence, None) in g:
            if (node, MKG.charStart, Literal(span.start)) in g:
                return
            derivation = URIRef(f"{node}/derivation/{doc_id}/{span.start}")
            g.add((node, PROV.qualifiedDerivation, derivation))
            g.add((derivation, RDF.type, PROV.Derivation))
            g.add((derivation, PROV.entity, self.minter.doc(doc_id)))
            node = derivation
        g.add((node, PROV.wasDerivedFrom, self.minter.doc(doc_id)))
        g.add((node, MKG.evidence, Literal(span.of(self.docs[doc_id].text))))
        g.add((node, MKG.charStart, Literal(span.start)))
        g.add((node, MKG.charEnd, Literal(span.end)))
        g.add((node, MKG.method, Literal(method)))

    def _org(self, key: str, where: str) -> URIRef:
        if key not in self.ctx.registry.orgs:
            raise CurationError(f"{where}: organization {key!r} is not in the registry")
        return self.minter.org(key)

    def _count(self, kind: str, extracted: bool) -> str:
        name = f"{kind}:{'extracted' if extracted else 'curated'}"
        self.facts.confirmed[name] = self.facts.confirmed.get(name, 0) + 1
        return "extracted" if extracted else "curated"

    # ------------------------------------------------------------------ instruments

    def instruments(self) -> None:
        """Instruments, their citations (with each document's date claim) and paragraphs."""
        registry_graph = self.dataset.graph(self.minter.registry_graph)
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
        return any(
            normalize_symbol(m.symbol) in names and _overlaps(m.span, span)
            for m in self.found[quote.doc].symbols
        )

    def _paragraph(
        self, spec: InstrumentSpec, instrument: URIRef, paragraph: ParagraphSpec
    ) -> None:
        segment = PARAGRAPH_SEGMENT[paragraph.kind]
        node = self.minter.paragraph(spec.symbol, slug(paragraph.number) or "0", segment)
        graph_ = self._graph(paragraph)
        span = locate(self.docs[paragraph.doc].text, paragraph)
        names = {normalize_symbol(s) for s in (spec.symbol, *spec.aliases)}
        found = any(
            m.symbol is not None
            and normalize_symbol(m.symbol) in names
            and m.number == paragraph.number
            and _overlaps(m.sentence, span)
            for m in self.found[paragraph.doc].paragraphs
        )
        graph_.add((instrument, MKG.paragraph, node))
        graph_.add((node, RDF.type, MKG.Paragraph))
        graph_.add((node, MKG.number, Literal(paragraph.number)))
        graph_.add((node, MKG.kind, Literal(paragraph.kind)))
        graph_.add(
            (
                node,
                RDFS.label,
                Literal(_paragraph_label(spec.symbol, paragraph.number, paragraph.kind)),
            )
        )
        if paragraph.verb:
            graph_.add((node, MKG.operativeVerb, Literal(paragraph.verb)))
        where = f"instrument {spec.symbol} paragraph {paragraph.number}"
        addressees = tuple(paragraph.addressees)
        for key in addressees:
            graph_.add((node, MKG.addressee, self._org(key, where)))
        self._evidence(node, paragraph, self._count("paragraph", found))
        for index, activity in enumerate(paragraph.activities, start=1):
            act = URIRef(f"{node}/activity/{index}")
            graph_.add((node, MKG.mandates, act))
            graph_.add((act, RDF.type, MKG.Activity))
            graph_.add((act, RDFS.label, Literal(activity.label)))
            for key in activity.assigned_to:
                graph_.add((act, MKG.assignedTo, self._org(key, where)))
            self._evidence(act, paragraph, "curated")
        words = " ".join((paragraph.evidence, *(a.label for a in paragraph.activities)))
        anchor = self.docs[paragraph.doc].entry.date
        self.facts.paragraphs.append(ParagraphNode(node, instrument, addressees, words, anchor))

    # ------------------------------------------------------------------ events

    def events(self) -> None:
        """Prose events, merged with calendar rows they are the same as."""
        ids = {spec.id for spec in self.curation.events}
        for spec in self.curation.events:
            if spec.part_of and spec.part_of not in ids:
                raise CurationError(f"event {spec.id}: part_of {spec.part_of!r} is not an event id")
        for spec in self.curation.events:
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
            node = URIRef(f"{series}/topic/{slug(topic.label)}")
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
            key = _event_key(start, venue[1] if venue else None, spec.label)
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
                organizers = tuple(i.org for i in spec.involvements if i.role in ORGANIZER_ROLES)
                self.facts.events.append(
                    EventNode(node, spec.label, start, organizers, spec.doc, span)
                )
        return nodes

    def _refined(self, node: URIRef, start: str, end: str) -> bool:
        """Whether the node (a calendar row) already has dates of which these are only less
        precise forms ("2006-03" beside 2006-03-15): then the precise ones stand alone as
        the value, and the less precise document keeps its quote on the node."""
        for prop, mine in ((SCHEMA.startDate, start), (SCHEMA.endDate, end)):
            have = {str(q[2]) for q in self.dataset.quads((node, prop, None, None))}
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
            return None
        start, end = spec.start_date.first_day(), spec.end_date.last_day()
        best: tuple[float, Meeting] | None = None
        for meeting in self.found[spec.doc].meetings:
            if not meeting.start.overlaps(start, end):
                continue
            same_sentence = _overlaps(meeting.evidence, span)
            similarity = fuzz.token_set_ratio(meeting.label, spec.label)
            if not same_sentence and similarity < 80:
                continue
            score = similarity + (100 if same_sentence else 0)
            if best is None or score > best[0]:
                best = (score, meeting)
        return best[1] if best else None

    def _involvement(
        self, node: URIRef, spec: EventSpec, involvement: InvolvementSpec, match: Meeting | None
    ) -> None:
        org, inv = self._add_involvement(node, spec, involvement, f"event {spec.id}")
        if involvement.role in ORGANIZER_ROLES:
            self._graph(spec).add((node, MKG.organizer, org))
        found = match is not None and any(f.key == involvement.org for f in match.organizations)
        self._evidence(inv, spec, self._count("involvement", found))

    def _add_involvement(
        self, node: URIRef, quote: Quote, involvement: InvolvementSpec, where: str
    ) -> tuple[URIRef, URIRef]:
        """The qualified involvement of an organization in an event or work."""
        graph_ = self._graph(quote)
        org = self._org(involvement.org, where)
        inv = URIRef(f"{node}/involvement/{involvement.org}/{involvement.role}")
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
                self.add_link(implementer, target, link.basis, link, score=None)
                self.facts.curated_links.add((implementer, target))

    def _target(self, link: LinkSpec) -> URIRef:
        spec = self.curation.instrument(link.instrument)
        if spec is None:
            raise CurationError(f"link: unknown instrument {link.instrument!r}")
        if link.paragraph is None:
            return self.minter.instrument(spec.symbol)
        for paragraph in spec.paragraphs:
            if paragraph.number == link.paragraph:
                segment = PARAGRAPH_SEGMENT[paragraph.kind]
                return self.minter.paragraph(spec.symbol, slug(paragraph.number) or "0", segment)
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

    def add_link(
        self,
        implementer: URIRef,
        target: URIRef,
        basis: str,
        quote: Quote | None,
        score: float | None,
        graph_: Graph | None = None,
        rationale: str | None = None,
    ) -> URIRef:
        """An implementation link: the shortcut and its qualified node with basis and evidence."""
        digest = hashlib.sha1(f"{implementer}|{target}|{basis}".encode()).hexdigest()[:12]
        node = URIRef(f"{target}/implementation/{digest}")
        g = graph_ if graph_ is not None else self._graph(quote) if quote else None
        assert g is not None
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
        if quote is not None:
            self._evidence(node, quote, "curated")
        return node

    # ------------------------------------------------------------------ bodies, works, numbers

    def memberships(self) -> None:
        """Who sits in which body, with what role (W3C ORG memberships)."""
        for spec in self.curation.memberships:
            where = f"membership {spec.member} in {spec.body}"
            body, member = self._org(spec.body, where), self._org(spec.member, where)
            node = URIRef(f"{body}/membership/{spec.member}/{spec.role}")
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
            node = URIRef(f"{about}/observation/{spec.property}/{spec.doc}/{when}")
            graph_ = self._graph(spec)
            graph_.add((node, RDF.type, SCHEMA.Observation))
            graph_.add((node, SCHEMA.observationAbout, about))
            graph_.add((node, SCHEMA.variableMeasured, Literal(spec.property)))
            value = int(spec.value) if spec.value.is_integer() else spec.value
            graph_.add((node, SCHEMA.value, Literal(value)))
            if spec.date:
                graph_.add((node, SCHEMA.observationDate, _date_literal(spec.date)))
            self._evidence(node, spec, "curated")

    def unmatched_candidates(self) -> None:
        """Extracted meetings no curated event accounts for: left for review."""
        for doc_id, found in self.found.items():
            for meeting in found.meetings:
                covered = any(
                    spec.doc == doc_id
                    and _overlaps(locate(self.docs[doc_id].text, spec), meeting.evidence)
                    for spec in self.curation.events
                )
                if not covered:
                    self.facts.candidates.append((doc_id, meeting))


def _event_key(start: PartialDate | None, venue: str | None, label: str) -> str:
    parts = [start.iso() if start else "series", slug(venue) if venue else "", slug(label, 80)]
    return "-".join(p for p in parts if p)


def _date_literal(text: str) -> Literal:
    date = parse_partial(text)
    if date.precision == "day":
        return Literal(date.iso(), datatype=XSD.date)
    if date.precision == "month":
        return Literal(date.iso(), datatype=XSD.gYearMonth)
    return Literal(date.iso(), datatype=XSD.gYear)


def _paragraph_label(symbol: str, number: str, kind: str) -> str:
    if number.startswith("unnumbered-"):
        return f"{symbol} unnumbered paragraph {number.removeprefix('unnumbered-')}"
    prefix = {"operative": "OP", "preambular": "PP", "article": "Art. ", "round-table": "",
              "resolves": "resolves ", "pillar": "pillar "}[kind]  # fmt: skip
    return f"{symbol} {prefix}{number}".strip()


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
