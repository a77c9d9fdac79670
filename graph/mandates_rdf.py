"""A resolution's own text as RDF: what graph.extract.resolution reads in a document goes
into the document's named graph, every node with its evidence (method "extracted", with
a confidence).

Paragraph IRIs are the ones curation mints (Minter.paragraph(symbol, number, "op")), and
a symbol the curation knows by another spelling is written as the curation spells it, so
that curated and extracted facts about one paragraph meet on one node. An instrument a
resolution cites gets a node with its symbol even when the corpus does not hold it.
"""

from __future__ import annotations

import hashlib
import logging

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph.corpus import Document
from graph.curation import Curation, locate, normalize_symbol
from graph.extract import resolution
from graph.extract.records import Span
from graph.facts import PARAGRAPH_SEGMENT
from graph.iris import org_key, slug
from graph.namespaces import MKG
from graph.rdf import BuildContext
from graph.registry import normalize

log = logging.getLogger(__name__)

CONFIDENCE = {
    "paragraph": 0.9,
    "flagged": 0.6,
    "deliverable": 0.7,
    "citation": 0.9,
    "reference": 0.7,
    "group": 0.6,
    "instrument": 0.9,
}
"""How sure the reader is of each kind of statement: a paragraph read where numbering is
odd, a named group the registry does not know, and a citation with no cue (refersTo)
are less sure."""
RELATIONS = {
    "recalls": MKG.recalls,
    "reaffirms": MKG.reaffirms,
    "followsUp": MKG.followsUp,
    "refersTo": MKG.refersTo,
}


class _Writer:
    """Writes one document's resolutions into its graph."""

    def __init__(self, dataset: Dataset, doc: Document, ctx: BuildContext, curation: Curation):
        self.doc = doc
        self.ctx = ctx
        self.minter = ctx.minter
        self.g: Graph = dataset.graph(ctx.minter.doc_graph(doc.id))
        self.curated = {
            normalize_symbol(name): spec
            for spec in curation.instruments
            for name in (spec.symbol, *spec.aliases)
        }

    def symbol(self, symbol: str) -> str:
        """The symbol as the curation spells it, when the curation knows the instrument."""
        spec = self.curated.get(normalize_symbol(symbol))
        return spec.symbol if spec else symbol

    def evidence(self, node: URIRef, span: Span, confidence: float) -> None:
        """Provenance of a node, as graph.facts writes it: a second quote of the node from
        this document goes on a prov:Derivation of its own."""
        g = self.g
        if (node, MKG.evidence, None) in g:
            if (node, MKG.charStart, Literal(span.start)) in g:
                return
            derivation = URIRef(f"{node}/derivation/{self.doc.id}/{span.start}")
            g.add((node, PROV.qualifiedDerivation, derivation))
            g.add((derivation, RDF.type, PROV.Derivation))
            g.add((derivation, PROV.entity, self.minter.doc(self.doc.id)))
            node = derivation
        g.add((node, PROV.wasDerivedFrom, self.minter.doc(self.doc.id)))
        g.add((node, MKG.evidence, Literal(span.of(self.doc.text))))
        g.add((node, MKG.charStart, Literal(span.start)))
        g.add((node, MKG.charEnd, Literal(span.end)))
        g.add((node, MKG.method, Literal("extracted")))
        g.add((node, MKG.confidence, Literal(f"{confidence:.2f}", datatype=XSD.decimal)))

    def instrument(self, read: resolution.Resolution) -> tuple[URIRef, str]:
        symbol = self.symbol(read.symbol or self.doc.entry.symbol or self.doc.id)
        node = self.minter.instrument(symbol)
        g = self.g
        g.add((node, RDF.type, MKG.Instrument))
        g.add((node, MKG.symbol, Literal(symbol)))
        if normalize_symbol(symbol) not in self.curated:
            label = f"{symbol} {read.title}" if read.title else symbol
            g.add((node, RDFS.label, Literal(label)))
            kind = "draft resolution" if "/L." in symbol else "resolution"
            g.add((node, DCTERMS.type, Literal(kind)))
        body = self.ctx.registry.lookup_org(normalize(read.body))
        if body is not None:
            g.add((node, MKG.adoptedBy, self.minter.org(body.id)))
        self.evidence(node, read.symbol_span or read.body_span, CONFIDENCE["instrument"])
        return node, symbol

    def preambular(self, instrument: URIRef, symbol: str, read: resolution.Resolution) -> None:
        for paragraph in read.preambular:
            node = self.minter.paragraph(symbol, paragraph.number, "pp")
            self._paragraph_node(instrument, node, symbol, paragraph.number, "preambular")
            self.g.add((node, MKG.paragraphId, Literal(f"preamble_{paragraph.number}")))
            self.evidence(node, paragraph.span, CONFIDENCE["paragraph"])

    def _paragraph_node(
        self, instrument: URIRef, node: URIRef, symbol: str, number: str, kind: str
    ) -> None:
        g = self.g
        g.add((instrument, MKG.paragraph, node))
        g.add((node, RDF.type, MKG.Paragraph))
        curated = self.curated.get(normalize_symbol(symbol))
        if curated and any(p.number == number for p in curated.paragraphs):
            return  # number, kind and label are the curated ones already
        g.add((node, MKG.number, Literal(number)))
        g.add((node, MKG.kind, Literal(kind)))
        prefix = "OP" if kind == "operative" else "PP"
        g.add((node, RDFS.label, Literal(f"{symbol} {prefix}{number}")))

    def operative(self, instrument: URIRef, symbol: str, read: resolution.Resolution) -> None:
        g = self.g
        nodes: dict[str, URIRef] = {}
        for paragraph in read.paragraphs:
            node = self.minter.paragraph(symbol, slug(paragraph.number) or "0", "op")
            nodes[paragraph.number] = node
            self._paragraph_node(instrument, node, symbol, paragraph.number, "operative")
            g.add((node, MKG.paragraphId, Literal(paragraph.id)))
            if paragraph.verb:
                g.add((node, MKG.operativeVerb, Literal(paragraph.verb)))
            if paragraph.parent is not None and paragraph.parent in nodes:
                g.add((node, DCTERMS.isPartOf, nodes[paragraph.parent]))
            for flag in paragraph.flags:
                g.add((node, MKG.numbering, Literal(flag)))
                g.add((node, MKG.needsReview, Literal(True)))
            if paragraph.review is not None:
                g.add((node, MKG.reviewClause, Literal(paragraph.review.of(self.doc.text))))
            for party in paragraph.addressees:
                g.add((node, MKG.addressee, self.addressee(party)))
            for index, item in enumerate(paragraph.deliverables, start=1):
                self.deliverable(node, index, item)
            confidence = CONFIDENCE["flagged" if paragraph.flags else "paragraph"]
            self.evidence(node, paragraph.span, confidence)

    def addressee(self, party: resolution.Party) -> URIRef:
        """A registry organization, or a named group ("Member States") as an organization
        of its own that waits for review."""
        if party.key is not None:
            return self.minter.org(party.key)
        label = resolution.bare_name(party.text)
        node = self.minter.org(org_key(label))
        if (node, SKOS.prefLabel, None) in self.g or org_key(label) in self.ctx.registry.orgs:
            return node
        self.g.add((node, RDF.type, MKG.Organization))
        self.g.add((node, SKOS.prefLabel, Literal(label)))
        self.g.add((node, MKG.needsReview, Literal(True)))
        self.evidence(node, party.span, CONFIDENCE["group"])
        return node

    def deliverable(self, paragraph: URIRef, index: int, item: resolution.Deliverable) -> None:
        g = self.g
        node = URIRef(f"{paragraph}/deliverable/{slug(self.doc.id)}-{index}")
        g.add((paragraph, MKG.deliverable, node))
        g.add((node, RDF.type, MKG.Deliverable))
        g.add((node, MKG.deliverableKind, Literal(item.kind)))
        g.add((node, RDFS.label, Literal(item.label)))
        if item.due:
            g.add((node, MKG.due, Literal(item.due)))
        if item.periodicity:
            g.add((node, MKG.periodicity, Literal(item.periodicity)))
        self.evidence(node, item.span, CONFIDENCE["deliverable"])

    def quoted(self, curation: Curation) -> None:
        """The readable id of each curated paragraph this document quotes, and what it asks
        for: a paper that reports a resolution ("who will prepare a summary of the
        hearings") names its deliverables too (read where the verb asks for something)."""
        for spec in curation.instruments:
            for paragraph in spec.paragraphs:
                if paragraph.doc != self.doc.id:
                    continue
                segment = PARAGRAPH_SEGMENT[paragraph.kind]
                node = self.minter.paragraph(spec.symbol, slug(paragraph.number) or "0", segment)
                ident = resolution.paragraph_id(paragraph.number, paragraph.kind)
                self.g.add((node, MKG.paragraphId, Literal(ident)))
                if not set((paragraph.verb or "").split()) & resolution.MANDATING:
                    continue
                span = locate(self.doc.text, paragraph)
                for index, item in enumerate(resolution.deliverables(self.doc.text, span), 1):
                    self.deliverable(node, index, item)

    def citations(self, citing: URIRef, read: resolution.Resolution) -> None:
        g = self.g
        for citation in read.citations:
            symbol = self.symbol(citation.symbol)
            cited = self.minter.instrument(symbol)
            if cited == citing:
                continue
            g.add((cited, RDF.type, MKG.Instrument))
            g.add((cited, MKG.symbol, Literal(symbol)))
            if citation.issued is not None:
                g.add((cited, DCTERMS.issued, Literal(citation.issued.isoformat(),
                                                      datatype=XSD.date)))  # fmt: skip
            prop = RELATIONS[citation.relation]
            g.add((citing, prop, cited))
            key = f"{citing}|{prop}|{cited}"
            node = URIRef(f"{citing}/citation/{hashlib.sha1(key.encode()).hexdigest()[:12]}")
            g.add((citing, MKG.qualifiedCitation, node))
            g.add((node, RDF.type, MKG.Citation))
            g.add((node, MKG.cited, cited))
            g.add((node, MKG.citationProperty, prop))
            sure = CONFIDENCE["reference" if citation.relation == "refersTo" else "citation"]
            self.evidence(node, citation.evidence, sure)


def add_resolutions(dataset: Dataset, doc: Document, ctx: BuildContext, curation: Curation) -> int:
    """Read the resolutions a document prints and write them into its graph, and the
    deliverables of the curated paragraphs it quotes; returns how many resolutions were
    read (0 for a text that is not a resolution)."""
    registry = ctx.registry

    def lookup(name: str) -> str | None:
        # a resolution of the United Nations says "the regional commissions" for the
        # United Nations regional commissions
        for candidate in (name, f"United Nations {resolution.bare_name(name)}"):
            entry = registry.lookup_org(candidate)
            if entry is not None:
                return entry.id
        return None

    found = resolution.read(doc.text, lookup)
    writer = _Writer(dataset, doc, ctx, curation)
    writer.quoted(curation)
    for read in found:
        node, symbol = writer.instrument(read)
        writer.preambular(node, symbol, read)
        writer.operative(node, symbol, read)
        writer.citations(node, read)
        if read.flags:
            log.warning("%s: %s numbering %s", doc.id, symbol, ", ".join(read.flags))
    return len(found)
