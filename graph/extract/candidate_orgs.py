"""Extractor: organizations the registry does not know, from "Full Name (ACRONYM)" pairs.

Each becomes a candidate organization with its confidence: it waits for review unless
its confidence reaches the threshold, and is listed either way, never dropped.
"""

from __future__ import annotations

from typing import ClassVar

from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from graph.corpus import Document
from graph.extract.base import Context, Finding
from graph.extract.organizations import AcronymPair, acronym_pairs
from graph.iris import org_key
from graph.namespaces import MKG
from graph.statements import Statements

PAIR_CONFIDENCE = 0.5
"""A pair defines a name, but not that it is an organization (it may be a programme)."""


class CandidateOrganizations:
    """A defined name and acronym that no registry entry answers to is a new organization."""

    name: ClassVar[str] = "acronym-pairs"
    kinds: ClassVar[tuple[str, ...]] = ("organization",)

    def find(self, doc: Document, ctx: Context) -> list[Finding]:
        """One finding per unknown pair (its first definition in the document)."""
        findings: list[Finding] = []
        seen: set[str] = set()
        for pair in acronym_pairs(doc.text):
            known = ctx.registry.lookup_org(pair.acronym) or ctx.registry.lookup_org(pair.name)
            if known is not None or pair.acronym in seen:
                continue
            seen.add(pair.acronym)
            findings.append(self._candidate(doc, ctx, pair))
        return findings

    def _candidate(self, doc: Document, ctx: Context, pair: AcronymPair) -> Finding:
        node = ctx.minter.org(org_key(pair.acronym))
        out = Statements()
        put = out.putter(doc.id, pair.span, extractor=self.name, confidence=PAIR_CONFIDENCE)
        put(node, RDF.type, MKG.Organization)
        put(node, SKOS.prefLabel, Literal(pair.name))
        put(node, MKG.acronym, Literal(pair.acronym))
        put(node, SKOS.altLabel, Literal(pair.acronym))
        put(node, MKG.needsReview, Literal(True))
        out.claim(node, doc.id, pair.span, method="extracted", extractor=self.name,
                  confidence=PAIR_CONFIDENCE)  # fmt: skip
        return Finding("organization", node, doc.id, pair.span, PAIR_CONFIDENCE, self.name,
                       out.items, pair)  # fmt: skip
