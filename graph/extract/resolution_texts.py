"""Extractor: the text of a resolution (graph.extract.resolution), as statements.

Each resolution a document prints gives a finding for the instrument, one for each
paragraph and one for each instrument it recalls, reaffirms or follows up. Paragraph
IRIs are the ones curation mints, and a symbol the curation knows by another spelling is
written as the curation spells it (Context.canonical_symbol), so curated and extracted
facts about one paragraph meet on one node. A cited instrument absent from the corpus
still gets a node with its symbol (and the date the citation gives).
"""

from __future__ import annotations

from typing import ClassVar

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from graph.extract import resolution
from graph.extract.base import Context, Finding
from graph.model.iris import org_key, paragraph_label
from graph.model.namespaces import MKG
from graph.model.statements import Span, Statements
from graph.sources.corpus import Document
from graph.sources.registry import normalize

CONFIDENCE = {
    "paragraph": 0.9,
    "flagged": 0.6,
    "deliverable": 0.7,
    "citation": 0.9,
    "reference": 0.7,
    "group": 0.6,
    "instrument": 0.9,
}
"""How sure the reader is: a paragraph read where numbering is odd, a named group the
registry does not know, and a citation with no cue (refersTo) are less sure."""
RELATIONS = {
    "recalls": MKG.recalls,
    "reaffirms": MKG.reaffirms,
    "followsUp": MKG.followsUp,
    "refersTo": MKG.refersTo,
}


class ResolutionTexts:
    """A text that opens "The General Assembly," is read paragraph by paragraph."""

    name: ClassVar[str] = "resolution-reader"
    kinds: ClassVar[tuple[str, ...]] = ("instrument", "resolution-paragraph", "lineage")

    def find(self, doc: Document, ctx: Context) -> list[Finding]:
        """The findings of every resolution the document prints (none in other texts)."""
        registry = ctx.registry

        def lookup(name: str) -> str | None:
            # a resolution of the United Nations says "the regional commissions" for the
            # United Nations regional commissions
            for candidate in (name, f"United Nations {resolution.bare_name(name)}"):
                entry = registry.lookup_org(candidate)
                if entry is not None:
                    return entry.id
            return None

        findings: list[Finding] = []
        for read in resolution.read(doc.text, lookup):
            reader = _Reader(doc, ctx, self.name, read)
            findings.append(reader.instrument())
            findings += reader.preambular()
            findings += reader.operative()
            findings += reader.citations()
            if read.flags:
                ctx.warn(f"{doc.id}: {reader.symbol} numbering {', '.join(read.flags)}")
        return findings


class _Reader:
    """The findings of one resolution."""

    def __init__(self, doc: Document, ctx: Context, name: str, read: resolution.Resolution):
        self.doc, self.ctx, self.name, self.read = doc, ctx, name, read
        self.symbol = ctx.canonical_symbol(read.symbol or doc.entry.symbol or doc.id)
        self.node = ctx.minter.instrument(self.symbol)

    def _finding(
        self, kind: str, subject: URIRef, span: Span, confidence: float, out: Statements,
        record: object,
    ) -> Finding:  # fmt: skip
        out.claim(subject, self.doc.id, span, method="extracted", extractor=self.name,
                  confidence=confidence)  # fmt: skip
        return Finding(kind, subject, self.doc.id, span, confidence, self.name, out.items, record)

    def instrument(self) -> Finding:
        read, out = self.read, Statements()
        span = read.symbol_span or read.body_span
        put = out.putter(self.doc.id, span, extractor=self.name,
                         confidence=CONFIDENCE["instrument"])  # fmt: skip
        put(self.node, RDF.type, MKG.Instrument)
        put(self.node, MKG.symbol, Literal(self.symbol))
        label = f"{self.symbol} {read.title}" if read.title else self.symbol
        put(self.node, RDFS.label, Literal(label))
        put(self.node, DCTERMS.type, Literal("draft resolution" if "/L." in self.symbol
                                             else "resolution"))  # fmt: skip
        body = self.ctx.registry.lookup_org(normalize(read.body))
        if body is not None:
            put(self.node, MKG.adoptedBy, self.ctx.minter.org(body.id))
        return self._finding("instrument", self.node, span, CONFIDENCE["instrument"], out, read)

    def _paragraph(self, out: Statements, node: URIRef, number: str, kind: str,
                   span: Span, confidence: float) -> None:  # fmt: skip
        put = out.putter(self.doc.id, span, extractor=self.name, confidence=confidence)
        put(self.node, RDF.type, MKG.Instrument)
        put(self.node, MKG.symbol, Literal(self.symbol))
        put(self.node, MKG.paragraph, node)
        put(node, RDF.type, MKG.Paragraph)
        put(node, MKG.number, Literal(number))
        put(node, MKG.kind, Literal(kind))
        put(node, RDFS.label, Literal(paragraph_label(self.symbol, number, kind)))

    def preambular(self) -> list[Finding]:
        findings = []
        for paragraph in self.read.preambular:
            out = Statements()
            node = self.ctx.minter.paragraph_of(self.symbol, paragraph.number, "preambular")
            confidence = CONFIDENCE["paragraph"]
            self._paragraph(out, node, paragraph.number, "preambular", paragraph.span, confidence)
            out.add(node, MKG.paragraphId, Literal(f"preamble_{paragraph.number}"), self.doc.id,
                    span=paragraph.span, extractor=self.name, confidence=confidence)  # fmt: skip
            findings.append(self._finding("resolution-paragraph", node, paragraph.span,
                                          confidence, out, paragraph))  # fmt: skip
        return findings

    def operative(self) -> list[Finding]:
        findings = []
        nodes: dict[str, URIRef] = {}
        for paragraph in self.read.paragraphs:
            node = self.ctx.minter.paragraph_of(self.symbol, paragraph.number, "operative")
            nodes[paragraph.number] = node
            confidence = CONFIDENCE["flagged" if paragraph.flags else "paragraph"]
            out = Statements()
            self._paragraph(out, node, paragraph.number, "operative", paragraph.span, confidence)
            put = out.putter(self.doc.id, paragraph.span, extractor=self.name,
                             confidence=confidence)  # fmt: skip
            put(node, MKG.paragraphId, Literal(paragraph.id))
            if paragraph.verb:
                put(node, MKG.operativeVerb, Literal(paragraph.verb))
            if paragraph.parent is not None and paragraph.parent in nodes:
                put(node, DCTERMS.isPartOf, nodes[paragraph.parent])
            for flag in paragraph.flags:
                put(node, MKG.numbering, Literal(flag))
                put(node, MKG.needsReview, Literal(True))
            if paragraph.review is not None:
                put(node, MKG.reviewClause, Literal(paragraph.review.of(self.doc.text)))
            for party in paragraph.addressees:
                put(node, MKG.addressee, self._addressee(out, party))
            for index, item in enumerate(paragraph.deliverables, start=1):
                deliverable_statements(out, self.ctx, self.doc.id, node, index, item, self.name)
            findings.append(self._finding("resolution-paragraph", node, paragraph.span,
                                          confidence, out, paragraph))  # fmt: skip
        return findings

    def _addressee(self, out: Statements, party: resolution.Party) -> URIRef:
        """A registry organization, or a named group ("Member States") as an organization
        of its own that waits for review."""
        if party.key is not None:
            return self.ctx.minter.org(party.key)
        label = resolution.bare_name(party.text)
        node = self.ctx.minter.org(org_key(label))
        if org_key(label) in self.ctx.registry.orgs:
            return node
        put = out.putter(self.doc.id, party.span, extractor=self.name,
                         confidence=CONFIDENCE["group"])  # fmt: skip
        put(node, RDF.type, MKG.Organization)
        put(node, SKOS.prefLabel, Literal(label))
        put(node, MKG.needsReview, Literal(True))
        out.claim(node, self.doc.id, party.span, method="extracted", extractor=self.name,
                  confidence=CONFIDENCE["group"])  # fmt: skip
        return node

    def citations(self) -> list[Finding]:
        findings = []
        for citation in self.read.citations:
            symbol = self.ctx.canonical_symbol(citation.symbol)
            cited = self.ctx.minter.instrument(symbol)
            if cited == self.node:
                continue
            prop = RELATIONS[citation.relation]
            node = self.ctx.minter.citation(self.node, prop, cited)
            confidence = CONFIDENCE["reference" if citation.relation == "refersTo" else "citation"]
            out = Statements()
            put = out.putter(self.doc.id, citation.evidence, extractor=self.name,
                             confidence=confidence)  # fmt: skip
            put(cited, RDF.type, MKG.Instrument)
            put(cited, MKG.symbol, Literal(symbol))
            if citation.issued is not None:
                put(cited, DCTERMS.issued, Literal(citation.issued.isoformat(),
                                                   datatype=XSD.date))  # fmt: skip
            put(self.node, prop, cited)
            put(self.node, MKG.qualifiedCitation, node)
            put(node, RDF.type, MKG.Citation)
            put(node, MKG.cited, cited)
            put(node, MKG.citationProperty, prop)
            findings.append(self._finding("lineage", node, citation.evidence, confidence, out,
                                          citation))  # fmt: skip
        return findings


def deliverable_statements(
    out: Statements, ctx: Context, doc: str, paragraph: URIRef, index: int,
    item: resolution.Deliverable, extractor: str,
) -> None:  # fmt: skip
    """What a paragraph asks for: kind, label, due date or session, periodicity."""
    node = ctx.minter.deliverable(paragraph, doc, index)
    confidence = CONFIDENCE["deliverable"]
    put = out.putter(doc, item.span, extractor=extractor, confidence=confidence)
    put(paragraph, MKG.deliverable, node)
    put(node, RDF.type, MKG.Deliverable)
    put(node, MKG.deliverableKind, Literal(item.kind))
    put(node, RDFS.label, Literal(item.label))
    if item.due:
        put(node, MKG.due, Literal(item.due))
    if item.periodicity:
        put(node, MKG.periodicity, Literal(item.periodicity))
    out.claim(node, doc, item.span, method="extracted", extractor=extractor,
              confidence=confidence)  # fmt: skip
