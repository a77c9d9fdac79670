"""Turns extraction records and the curated registry into an RDF dataset with named graphs.

Everything extracted from a document lands in that document's graph with its evidence;
curated knowledge lands in the registry graph; the ontology in its own graph. No blank
nodes are minted, so two builds of the same corpus give the same statements.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph.corpus import Document
from graph.extract.kinds import event_kind
from graph.extract.records import EventRecord, Span
from graph.extract.themes import ThemeTagger
from graph.iris import Minter, slug
from graph.namespaces import GEO, MKG, PREFIXES, SCHEMA
from graph.registry import OrgEntry, PlaceEntry, Registry

log = logging.getLogger(__name__)

ONTOLOGY_FILES = ("mkg.ttl", "themes.ttl")
ORGANIZER_ROLES = frozenset({"organizer", "co-organizer", "host"})


@dataclass
class BuildContext:
    """What the builder needs besides the records: names, registry, themes."""

    minter: Minter
    registry: Registry
    themes: ThemeTagger
    warnings: list[str] = field(default_factory=list)


def new_dataset() -> Dataset:
    """An empty dataset with the project's prefixes bound."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    return dataset


def load_ontology(dataset: Dataset, ontology_dir: Path, minter: Minter) -> Graph:
    """Parse the ontology and theme scheme into the ontology graph."""
    graph_ = dataset.graph(minter.ontology_graph)
    for name in ONTOLOGY_FILES:
        graph_.parse(ontology_dir / name, format="turtle")
    return graph_


def add_registry(dataset: Dataset, ctx: BuildContext) -> None:
    """Curated organizations and places into the registry graph."""
    g = dataset.graph(ctx.minter.registry_graph)
    for entry in ctx.registry.orgs.values():
        _add_org_entry(g, entry, ctx.minter)
    for place in ctx.registry.places.values():
        _add_place_entry(g, place, ctx.minter)


def add_document(dataset: Dataset, doc: Document, ctx: BuildContext) -> URIRef:
    """The document node, in its own graph."""
    g = dataset.graph(ctx.minter.doc_graph(doc.id))
    node = ctx.minter.doc(doc.id)
    entry = doc.entry
    g.add((node, RDF.type, MKG.Document))
    g.add((node, DCTERMS.identifier, Literal(doc.id)))
    g.add((node, DCTERMS.title, Literal(entry.title)))
    g.add((node, DCTERMS.issued, _issued(entry.date, entry.date_precision)))
    g.add((node, DCTERMS.publisher, Literal(entry.publisher)))
    g.add((node, DCTERMS.language, Literal(entry.language)))
    g.add((node, MKG.sha256, Literal(doc.sha256)))
    if entry.symbol:
        g.add((node, MKG.symbol, Literal(entry.symbol)))
    return node


def add_events(
    dataset: Dataset, doc: Document, events: Iterable[EventRecord], ctx: BuildContext
) -> list[tuple[URIRef, EventRecord]]:
    """Events with their places, organizers, involvements, themes and evidence."""
    g = dataset.graph(ctx.minter.doc_graph(doc.id))
    doc_node = ctx.minter.doc(doc.id)
    records = list(events)
    nodes: list[URIRef] = []
    keys: dict[str, EventRecord] = {}
    for record in records:
        key = ctx.minter.event_key(record.start.isoformat(), record.venue, record.label)
        if key in keys and keys[key] != record:
            key = f"{key}-{record.position}"
        keys[key] = record
        event = ctx.minter.event(key)
        nodes.append(event)
        g.add((event, RDF.type, MKG.Event))
        g.add((event, RDFS.label, Literal(record.label)))
        g.add((event, SCHEMA.startDate, Literal(record.start, datatype=XSD.date)))
        g.add((event, SCHEMA.endDate, Literal(record.end, datatype=XSD.date)))
        g.add((event, SCHEMA.location, _place(g, record, doc, ctx)))
        if record.position is not None:
            g.add((event, SCHEMA.position, Literal(record.position)))
        kind = event_kind(record.label)
        if kind:
            g.add((event, MKG.eventKind, Literal(kind)))
        for theme in ctx.themes.tag(record.label):
            g.add((event, DCTERMS.subject, theme))
        _add_evidence(g, event, doc, record.evidence, doc_node)
        for mention in record.mentions:
            org = _organization(g, mention.text, mention.span, record, doc, ctx)
            if mention.role in ORGANIZER_ROLES:
                g.add((event, MKG.organizer, org))
            org_key = str(org).rsplit("/", 1)[-1]
            involvement = ctx.minter.involvement(key, org_key, mention.role)
            g.add((event, MKG.qualifiedInvolvement, involvement))
            g.add((involvement, RDF.type, MKG.Involvement))
            g.add((involvement, MKG.agent, org))
            g.add((involvement, MKG.role, Literal(mention.role)))
            _add_evidence(g, involvement, doc, record.evidence, doc_node)
    pairs = list(zip(nodes, records, strict=True))
    _link_side_events(g, pairs)
    return pairs


def _link_side_events(g: Graph, events: list[tuple[URIRef, EventRecord]]) -> None:
    """A "<X> Side Event" belongs to the event of X at the same venue nearest in time."""
    for node, record in events:
        if not record.parent_hint:
            continue
        hint = record.parent_hint.casefold()
        candidates = [
            (abs((other.start - record.start).days), other.start, str(other_node), other_node)
            for other_node, other in events
            if other.parent_hint is None
            and other.venue == record.venue
            and _names(hint, other.label)
            and not (other.start <= record.start <= other.end and other_node == node)
        ]
        contained = [c for c in candidates if _within(record, c[3], events)]
        best = min(contained or candidates, default=None)
        if best is not None:
            g.add((node, SCHEMA.superEvent, best[3]))


def _names(hint: str, label: str) -> bool:
    words = label.casefold().replace("(", " ").replace(")", " ").split()
    return hint in words


def _within(record: EventRecord, other: URIRef, events: list[tuple[URIRef, EventRecord]]) -> bool:
    parent = next(r for n, r in events if n == other)
    return parent.start <= record.start <= parent.end


def _organization(
    g: Graph, text: str, span: Span, record: EventRecord, doc: Document, ctx: BuildContext
) -> URIRef:
    resolved = ctx.registry.resolve_org(text)
    node = ctx.minter.org(resolved.key)
    if resolved.known:
        return node
    where = f"{doc.path.name}" + (f", row {record.source_row}" if record.source_row else "")
    message = (
        f"{where}: organization {text!r} is not in the registry; "
        f"added as org/{resolved.key} for review"
    )
    if message not in ctx.warnings:
        ctx.warnings.append(message)
        log.warning(message)
    g.add((node, RDF.type, MKG.Organization))
    if resolved.type:
        g.add((node, RDF.type, MKG[resolved.type]))
    g.add((node, SKOS.prefLabel, Literal(resolved.label)))
    if resolved.label != text:
        g.add((node, SKOS.altLabel, Literal(text)))
    g.add((node, MKG.needsReview, Literal(True)))
    if (node, MKG.evidence, None) not in g:
        _add_evidence(g, node, doc, span, ctx.minter.doc(doc.id))
    return node


def _place(g: Graph, record: EventRecord, doc: Document, ctx: BuildContext) -> URIRef:
    entry = ctx.registry.lookup_place(record.venue)
    if entry is not None:
        return ctx.minter.place(entry.id)
    node = ctx.minter.place(slug(record.venue))
    message = f"{doc.path.name}: venue {record.venue!r} is not in the registry; added for review"
    if message not in ctx.warnings:
        ctx.warnings.append(message)
        log.warning(message)
    g.add((node, RDF.type, MKG.Place))
    g.add((node, RDFS.label, Literal(record.venue)))
    g.add((node, MKG.needsReview, Literal(True)))
    g.add((node, PROV.wasDerivedFrom, ctx.minter.doc(doc.id)))
    g.add((node, MKG.method, Literal("extracted")))
    return node


def _add_evidence(g: Graph, node: URIRef, doc: Document, span: Span, doc_node: URIRef) -> None:
    g.add((node, PROV.wasDerivedFrom, doc_node))
    g.add((node, MKG.evidence, Literal(span.of(doc.text))))
    g.add((node, MKG.charStart, Literal(span.start)))
    g.add((node, MKG.charEnd, Literal(span.end)))
    g.add((node, MKG.method, Literal("extracted")))


def _add_org_entry(g: Graph, entry: OrgEntry, minter: Minter) -> None:
    node = minter.org(entry.id)
    g.add((node, RDF.type, MKG.Organization))
    g.add((node, RDF.type, MKG[entry.type]))
    g.add((node, SKOS.prefLabel, Literal(entry.label)))
    g.add((node, SKOS.notation, Literal(entry.id)))
    if entry.acronym:
        g.add((node, MKG.acronym, Literal(entry.acronym)))
    for name in sorted({*entry.aliases, *([entry.acronym] if entry.acronym else [])}):
        if name != entry.label:
            g.add((node, SKOS.altLabel, Literal(name)))
    if entry.parent:
        g.add((node, URIRef(PREFIXES["org"] + "subOrganizationOf"), minter.org(entry.parent)))
    if entry.country:
        g.add((node, SCHEMA.addressCountry, Literal(entry.country)))
    g.add((node, MKG.method, Literal("curated")))


def _add_place_entry(g: Graph, place: PlaceEntry, minter: Minter) -> None:
    node = minter.place(place.id)
    g.add((node, RDF.type, MKG.Place))
    g.add((node, RDFS.label, Literal(place.label)))
    for alias in place.aliases:
        g.add((node, SKOS.altLabel, Literal(alias)))
    g.add((node, SCHEMA.addressCountry, Literal(place.country)))
    g.add((node, SCHEMA.addressLocality, Literal(place.label)))
    g.add((node, GEO.lat, Literal(Decimal(str(place.lat)), datatype=XSD.decimal)))
    g.add((node, GEO.long, Literal(Decimal(str(place.long)), datatype=XSD.decimal)))
    g.add((node, MKG.method, Literal("curated")))


def _issued(date: dt.date, precision: str) -> Literal:
    if precision == "year":
        return Literal(str(date.year), datatype=XSD.gYear)
    if precision == "month":
        return Literal(f"{date.year:04d}-{date.month:02d}", datatype=XSD.gYearMonth)
    return Literal(date, datatype=XSD.date)
