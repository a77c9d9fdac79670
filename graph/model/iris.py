"""Mints every instance IRI from natural keys, so that a rebuild yields the same IRIs."""

from __future__ import annotations

import hashlib
import re

from rdflib import URIRef
from slugify import slugify

TITLE_SLUG_MAX = 80
PARAGRAPH_SEGMENTS = {
    "operative": "op",
    "preambular": "pp",
    "article": "art",
    "round-table": "rt",
    "resolves": "res",
    "pillar": "pillar",
}
"""The IRI segment of each paragraph kind (the kinds are graph.model.vocab.paragraph_kinds())."""
PARAGRAPH_LABEL_PREFIXES = {
    "operative": "OP",
    "preambular": "PP",
    "article": "Art. ",
    "round-table": "",
    "resolves": "resolves ",
    "pillar": "pillar ",
}


def paragraph_label(symbol: str, number: str, kind: str) -> str:
    """How a paragraph is named: "A/RES/60/227 OP17", "A/RES/67/219 RT1"."""
    if number.startswith("unnumbered-"):
        return f"{symbol} unnumbered paragraph {number.removeprefix('unnumbered-')}"
    return f"{symbol} {PARAGRAPH_LABEL_PREFIXES[kind]}{number}".strip()


def slug(text: str, max_length: int = 0) -> str:
    """A lowercase ASCII slug ("Asunción" -> "asuncion"), cut at a word boundary when long."""
    return str(slugify(text, max_length=max_length, word_boundary=True, save_order=True))


def org_key(text: str) -> str:
    """The key of an organization the registry does not know yet, from its own spelling."""
    return slug(text).upper()


def symbol_key(symbol: str) -> str:
    """The key of an instrument from its symbol: "A/RES/60/227" -> "A-RES-60-227"."""
    return re.sub(r"[^0-9A-Za-z.]+", "-", symbol).strip("-")


VERSION_PREFIX = "urn:mkg:v:"
"""How the remote store names a version's graphs: the original graph IRI after
`urn:mkg:v:TAG:` (no slash in the prefix, so JSON's `\\/` cannot hide it from the text
replacement that maps names back)."""


def version_node(tag: str) -> str:
    """A remote version's IRI in the meta graph, and the prefix of its graphs' names."""
    return f"{VERSION_PREFIX}{tag}:"


def version_graph(tag: str, graph: str) -> str:
    """The remote name of one graph of a version."""
    return version_node(tag) + graph


def version_merged(tag: str) -> str:
    """The remote graph holding the RDF merge of a version's graphs."""
    return version_graph(tag, "merged")


def version_tag(node: str) -> str:
    """The tag of a version from its IRI (the inverse of `version_node`)."""
    return node.removeprefix(VERSION_PREFIX).removesuffix(":")


class Minter:
    """Builds IRIs under one base (setting MKG_BASE_IRI)."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def org(self, key: str) -> URIRef:
        """An organization: org/IOM."""
        return self._iri(f"org/{key}")

    def event_key(self, start: str, venue: str, title: str) -> str:
        """The natural key of an event: start date, venue and title."""
        return f"{start}-{slug(venue)}-{slug(title, TITLE_SLUG_MAX)}"

    def event(self, key: str) -> URIRef:
        """An event: event/2006-03-15-brussels-conference-on-migration-and-development."""
        return self._iri(f"event/{key}")

    def involvement(self, event_key: str, org: str, role: str) -> URIRef:
        """Who did what at an event: event/{key}/involvement/{org}/{role}."""
        return self._iri(f"event/{event_key}/involvement/{org}/{role}")

    def place(self, key: str) -> URIRef:
        """A venue: place/new-york."""
        return self._iri(f"place/{key}")

    def doc(self, doc_id: str) -> URIRef:
        """A source document: doc/000_14d2ce0a342a483c."""
        return self._iri(f"doc/{doc_id}")

    def doc_graph(self, doc_id: str) -> URIRef:
        """The named graph holding what was extracted from one document."""
        return self._iri(f"graph/doc/{doc_id}")

    @property
    def registry_graph(self) -> URIRef:
        """The named graph of curated knowledge (organizations, places)."""
        return self._iri("graph/registry")

    @property
    def ontology_graph(self) -> URIRef:
        """The named graph of the ontology and the theme scheme."""
        return self._iri("graph/ontology")

    def activity(self, key: str) -> URIRef:
        """An activity that implements a mandate: activity/iom-supports-rcps-2013."""
        return self._iri(f"activity/{key}")

    def work(self, key: str) -> URIRef:
        """A publication or programme: work/engaging-diasporas-handbook."""
        return self._iri(f"work/{key}")

    def load_graph(self, name: str) -> URIRef:
        """The named graph of a file of triples loaded by `mkg load`: graph/load/{slug}."""
        return self._iri(f"graph/load/{slug(name)}")

    @property
    def inferred_graph(self) -> URIRef:
        """The named graph of links made by the automatic linker."""
        return self._iri("graph/inferred")

    def instrument(self, symbol: str) -> URIRef:
        """An instrument: instrument/A-RES-60-227."""
        return self._iri(f"instrument/{symbol_key(symbol)}")

    def paragraph(self, symbol: str, number: str, kind: str = "op") -> URIRef:
        """A paragraph: instrument/A-RES-60-227/op/17 (`kind` is the IRI segment)."""
        return self._iri(f"instrument/{symbol_key(symbol)}/{kind}/{number}")

    def paragraph_of(self, symbol: str, number: str, kind: str) -> URIRef:
        """A paragraph by its printed number and its kind ("operative", "article"...)."""
        return self.paragraph(symbol, slug(number) or "0", PARAGRAPH_SEGMENTS[kind])

    def involvement_of(self, node: URIRef, org: str, role: str) -> URIRef:
        """Who did what in an event or work given by its IRI: .../involvement/{org}/{role}."""
        return URIRef(f"{node}/involvement/{org}/{role}")

    def membership(self, body: URIRef, member: str, role: str) -> URIRef:
        """A member of a body: org/GMG/membership/IOM/chair."""
        return URIRef(f"{body}/membership/{member}/{role}")

    def observation(self, about: URIRef, variable: str, doc: str, when: str) -> URIRef:
        """A number one document states about an actor on one date."""
        return URIRef(f"{about}/observation/{variable}/{doc}/{when}")

    def mandated(self, paragraph: URIRef, index: int) -> URIRef:
        """The n-th activity a paragraph mandates."""
        return URIRef(f"{paragraph}/activity/{index}")

    def derivation(self, node: URIRef, doc: str, start: int) -> URIRef:
        """A further quote of a node from one document, at one offset."""
        return URIRef(f"{node}/derivation/{doc}/{start}")

    def citation(self, citing: URIRef, prop: URIRef, cited: URIRef) -> URIRef:
        """The qualified citation of one instrument by another, one per relation."""
        digest = hashlib.sha1(f"{citing}|{prop}|{cited}".encode()).hexdigest()[:12]
        return URIRef(f"{citing}/citation/{digest}")

    def deliverable(self, paragraph: URIRef, doc: str, index: int) -> URIRef:
        """The n-th deliverable one document reads in a paragraph: .../deliverable/{doc}-{n}."""
        return URIRef(f"{paragraph}/deliverable/{slug(doc)}-{index}")

    def implementation(self, implementer: URIRef, target: URIRef, basis: str) -> URIRef:
        """The qualified link of an implementer to a paragraph, one per basis."""
        digest = hashlib.sha1(f"{implementer}|{target}|{basis}".encode()).hexdigest()[:12]
        return URIRef(f"{target}/implementation/{digest}")

    def topic(self, series: URIRef, label: str) -> URIRef:
        """A topic a series announced: .../topic/{slug of its label}."""
        return URIRef(f"{series}/topic/{slug(label)}")
