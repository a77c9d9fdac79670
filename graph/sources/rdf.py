"""The dataset and its fixed parts: the ontology, the registry and the document nodes.

Everything extracted from a document lands in that document's graph with its evidence;
curated knowledge lands in the registry graph; the ontology in its own graph. Facts are
statements (graph.model.statements) written by one writer; no blank nodes are minted, so two
builds of the same corpus give the same statements.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from graph.extract.base import Context
from graph.model.iris import Minter
from graph.model.namespaces import GEO, MKG, ORG, PREFIXES, SCHEMA
from graph.model.statements import Statements
from graph.sources.corpus import Document
from graph.sources.registry import OrgEntry, PlaceEntry

ONTOLOGY_FILES = ("mkg.ttl", "themes.ttl")


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


def registry_statements(ctx: Context) -> Statements:
    """Curated organizations and places, for the registry graph."""
    out = Statements()
    for entry in ctx.registry.orgs.values():
        _org_entry(out, entry, ctx.minter)
    for place in ctx.registry.places.values():
        _place_entry(out, place, ctx.minter)
    return out


def document_statements(doc: Document, minter: Minter) -> Statements:
    """The document node, in its own graph."""
    out = Statements()
    node = minter.doc(doc.id)
    entry = doc.entry

    def put(p: URIRef, o: URIRef | Literal) -> None:
        out.add(node, p, o, doc.id, method="curated", extractor="manifest")

    put(RDF.type, MKG.Document)
    put(DCTERMS.identifier, Literal(doc.id))
    put(DCTERMS.title, Literal(entry.title))
    put(DCTERMS.issued, _issued(entry.date, entry.date_precision))
    put(DCTERMS.publisher, Literal(entry.publisher))
    put(DCTERMS.language, Literal(entry.language))
    put(MKG.sha256, Literal(doc.sha256))
    if entry.symbol:
        put(MKG.symbol, Literal(entry.symbol))
    return out


def _org_entry(out: Statements, entry: OrgEntry, minter: Minter) -> None:
    node = minter.org(entry.id)

    def put(p: URIRef, o: URIRef | Literal) -> None:
        out.add(node, p, o, None, method="curated", extractor="registry")

    put(RDF.type, MKG.Organization)
    put(RDF.type, MKG[entry.type])
    put(SKOS.prefLabel, Literal(entry.label))
    put(SKOS.notation, Literal(entry.id))
    if entry.acronym:
        put(MKG.acronym, Literal(entry.acronym))
    for name in sorted({*entry.aliases, *([entry.acronym] if entry.acronym else [])}):
        if name != entry.label:
            put(SKOS.altLabel, Literal(name))
    if entry.parent:
        put(ORG.subOrganizationOf, minter.org(entry.parent))
    if entry.country:
        put(SCHEMA.addressCountry, Literal(entry.country))
    put(MKG.method, Literal("curated"))


def _place_entry(out: Statements, place: PlaceEntry, minter: Minter) -> None:
    node = minter.place(place.id)

    def put(p: URIRef, o: URIRef | Literal) -> None:
        out.add(node, p, o, None, method="curated", extractor="registry")

    put(RDF.type, MKG.Place)
    put(RDFS.label, Literal(place.label))
    for alias in place.aliases:
        put(SKOS.altLabel, Literal(alias))
    put(SCHEMA.addressCountry, Literal(place.country))
    put(SCHEMA.addressLocality, Literal(place.label))
    put(GEO.lat, Literal(Decimal(str(place.lat)), datatype=XSD.decimal))
    put(GEO.long, Literal(Decimal(str(place.long)), datatype=XSD.decimal))
    put(MKG.method, Literal("curated"))


def _issued(date: dt.date, precision: str) -> Literal:
    if precision == "year":
        return Literal(str(date.year), datatype=XSD.gYear)
    if precision == "month":
        return Literal(f"{date.year:04d}-{date.month:02d}", datatype=XSD.gYearMonth)
    return Literal(date, datatype=XSD.date)
