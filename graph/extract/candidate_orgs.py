"""Extractor: organizations the registry does not know ("Full Name (ACRONYM)" and
"ACRONYM (Full Name)" pairs, governments, ministries, named bodies).

Each becomes a candidate organization with its confidence: it waits for review unless
its confidence reaches the threshold, and is listed either way, never dropped.
"""

from __future__ import annotations

from typing import ClassVar

from rdflib import Literal
from rdflib.namespace import RDF, SKOS

from graph.extract.base import Context, Finding
from graph.extract.organizations import OrgCandidate, find_organizations
from graph.model.iris import org_key
from graph.model.namespaces import MKG
from graph.model.statements import Statements
from graph.sources.corpus import Document

PAIR_DISCOUNT = 0.6
"""A found name is an organization's with the finder's confidence, but a new entity
enters the graph more carefully than a mention: the finder's confidence times this."""


class CandidateOrganizations:
    """A defined name and acronym that no registry entry answers to is a new organization."""

    name: ClassVar[str] = "organizations"
    kinds: ClassVar[tuple[str, ...]] = ("organization",)

    def find(self, doc: Document, ctx: Context) -> list[Finding]:
        """One finding per unknown name (its first mention in the document)."""
        findings: list[Finding] = []
        seen: set[str] = set()
        for candidate in find_organizations(doc.text, ctx.registry.org_finder()):
            if candidate.key is not None or ctx.registry.lookup_org(candidate.text) is not None:
                continue
            name = candidate.acronym or candidate.text
            if name in seen:
                continue
            seen.add(name)
            findings.append(self._candidate(doc, ctx, candidate))
        return findings

    def _candidate(self, doc: Document, ctx: Context, found: OrgCandidate) -> Finding:
        node = ctx.minter.org(org_key(found.acronym or found.text))
        confidence = round(found.confidence * PAIR_DISCOUNT, 3)
        out = Statements()
        put = out.putter(doc.id, found.span, extractor=self.name, confidence=confidence)
        put(node, RDF.type, MKG.Organization)
        put(node, SKOS.prefLabel, Literal(found.text))
        if found.acronym:
            put(node, MKG.acronym, Literal(found.acronym))
            put(node, SKOS.altLabel, Literal(found.acronym))
        put(node, MKG.needsReview, Literal(True))
        out.claim(node, doc.id, found.span, method="extracted", extractor=self.name,
                  confidence=confidence)  # fmt: skip
        return Finding("organization", node, doc.id, found.span, confidence, self.name,
                       out.items, found)  # fmt: skip
