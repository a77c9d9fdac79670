"""Extractor: operative paragraphs cited in prose ("(OP 17)", "paragraph 26 of resolution
65/170"), with the verb and addressees of their sentence."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import ClassVar

from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from graph.extract.base import Context, Finding
from graph.extract.instruments import ParagraphMention, paragraphs
from graph.extract.reported import reported_paragraphs, resolved_lists, round_tables
from graph.model.iris import paragraph_label
from graph.model.namespaces import MKG
from graph.model.statements import Statements
from graph.model.vocab import paragraph_kinds
from graph.sources.corpus import Document


class ParagraphRefs:
    """A paragraph reference tied to the instrument its sentence (or an earlier one) cites."""

    name: ClassVar[str] = "paragraphs"
    kinds: ClassVar[tuple[str, ...]] = ("paragraph",)

    def find(self, doc: Document, ctx: Context) -> list[Finding]:
        """One finding per paragraph reference whose instrument is known."""
        orgs = ctx.registry.org_finder()
        bodies = ctx.registry.body_finder()
        found = paragraphs(doc.text, orgs, ctx.instrument_names, bodies)
        return _findings(doc, ctx, found, self.name)


class ReportedParagraphs:
    """A paragraph a text reports rather than cites: "Resolution A/Res/60/227 invited IOM
    to contribute to the preparations" (graph.extract.reported.reported_paragraphs), or
    an item of the list an instrument resolves ("which resolves to:" / "- Request the
    Director General to ...", graph.extract.reported.resolved_lists), or a round table
    it sets (graph.extract.reported.round_tables)."""

    name: ClassVar[str] = "reported-paragraphs"
    kinds: ClassVar[tuple[str, ...]] = ("paragraph",)

    def find(self, doc: Document, ctx: Context) -> list[Finding]:
        """One finding per paragraph told by what it asks of whom."""
        orgs = ctx.registry.org_finder()
        bodies = ctx.registry.body_finder()
        found = chain(
            reported_paragraphs(doc.text, orgs, ctx.instrument_names, bodies),
            resolved_lists(doc.text, orgs, ctx.instrument_names, bodies),
            round_tables(doc.text, ctx.instrument_names, bodies),
        )
        return _findings(doc, ctx, found, self.name)


def _findings(
    doc: Document, ctx: Context, mentions: Iterable[ParagraphMention], extractor: str
) -> list[Finding]:
    """A paragraph, its instrument, verb and addressees as statements, for each mention
    whose instrument is known."""
    findings: list[Finding] = []
    for mention in mentions:
        if mention.symbol is None or mention.kind not in paragraph_kinds():
            continue
        confidence = 0.6 + (0.2 if mention.verb else 0.0) + (0.1 if mention.addressees else 0)
        symbol = ctx.canonical_symbol(mention.symbol)
        instrument = ctx.minter.instrument(symbol)
        node = ctx.minter.paragraph_of(symbol, mention.number, mention.kind)
        out = Statements()
        put = out.putter(doc.id, mention.sentence, extractor=extractor, confidence=confidence)
        put(instrument, RDF.type, MKG.Instrument)
        put(instrument, MKG.symbol, Literal(symbol))
        put(instrument, MKG.paragraph, node)
        put(node, RDF.type, MKG.Paragraph)
        put(node, MKG.number, Literal(mention.number))
        put(node, MKG.kind, Literal(mention.kind))
        put(
            node,
            RDFS.label,
            Literal(paragraph_label(symbol, mention.number, mention.kind)),
        )
        if mention.verb:
            put(node, MKG.operativeVerb, Literal(mention.verb))
        for key in mention.addressees:
            put(node, MKG.addressee, ctx.minter.org(key))
        out.claim(node, doc.id, mention.sentence, method="extracted", extractor=extractor,
                  confidence=confidence)  # fmt: skip
        findings.append(Finding("paragraph", node, doc.id, mention.sentence, confidence,
                                extractor, out.items, mention))  # fmt: skip
    return _first_per_paragraph(findings)


def _first_per_paragraph(findings: list[Finding]) -> list[Finding]:
    """Several references to one paragraph in one sentence are one finding."""
    seen: set[tuple[object, int]] = set()
    kept = []
    for finding in findings:
        key = (finding.subject, finding.span.start)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept
