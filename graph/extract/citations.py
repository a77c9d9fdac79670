"""Extractor: instrument symbols cited in a document, as instruments with their evidence."""

from __future__ import annotations

from typing import ClassVar

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDF, RDFS

from graph.extract.base import Context, Finding
from graph.extract.dates import parse_partial
from graph.extract.instruments import symbols
from graph.extract.prose_events import date_literal
from graph.model.namespaces import MKG
from graph.model.statements import Statements
from graph.sources.corpus import Document

SYMBOL_CONFIDENCE = 0.9
NAME_CONFIDENCE = 0.7
"""An instrument found by one of its curated names rather than by its symbol."""


class Citations:
    """Each symbol a document prints ("A/RES/60/227", "resolution 58/208") is an instrument."""

    name: ClassVar[str] = "symbols"
    kinds: ClassVar[tuple[str, ...]] = ("citation",)

    def find(self, doc: Document, ctx: Context) -> list[Finding]:
        """One finding per mention of a symbol."""
        findings = []
        for mention in symbols(doc.text, ctx.instrument_names, ctx.registry.body_finder()):
            by_symbol = any(ch.isdigit() for ch in mention.printed)
            confidence = SYMBOL_CONFIDENCE if by_symbol else NAME_CONFIDENCE
            symbol = ctx.canonical_symbol(mention.symbol)
            node = ctx.minter.instrument(symbol)
            out = Statements()
            for p, o in (
                (RDF.type, MKG.Instrument),
                (MKG.symbol, Literal(symbol)),
                (RDFS.label, Literal(symbol)),
            ):
                out.add(node, p, o, doc.id, span=mention.span, extractor=self.name,
                        confidence=confidence)  # fmt: skip
            if mention.issued:  # the text's claim of when it was adopted
                out.add(node, DCTERMS.issued, date_literal(parse_partial(mention.issued)),
                        doc.id, span=mention.span, extractor=self.name,
                        confidence=confidence)  # fmt: skip
            out.claim(node, doc.id, mention.span, method="extracted", extractor=self.name,
                      confidence=confidence)  # fmt: skip
            findings.append(Finding("citation", node, doc.id, mention.span, confidence,
                                    self.name, out.items, mention))  # fmt: skip
        return findings
