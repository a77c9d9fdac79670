"""RDF vocabularies. MKG mirrors ontology/mkg.ttl term for term (checked by a test)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

ORG = Namespace("http://www.w3.org/ns/org#")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
THEME = Namespace("https://w3id.org/migration-kg/theme/")
SCHEMA = Namespace(str(SDO))
"""schema.org, as rdflib's SDO but open: SDO's term list lags schema.org (Observation...)."""


class MKG(DefinedNamespace):
    """The migration-kg vocabulary; a term missing here raises instead of minting a new IRI."""

    _NS = Namespace("https://w3id.org/migration-kg/ontology#")
    _fail = True

    # classes
    Organization: URIRef
    UNEntity: URIRef
    IntergovernmentalOrganization: URIRef
    Government: URIRef
    NGO: URIRef
    Foundation: URIRef
    AcademicInstitution: URIRef
    RegionalConsultativeProcess: URIRef
    Office: URIRef
    Event: URIRef
    Place: URIRef
    Involvement: URIRef
    Instrument: URIRef
    Paragraph: URIRef
    Activity: URIRef
    Implementation: URIRef
    Document: URIRef
    Deliverable: URIRef
    Citation: URIRef
    # properties
    acronym: URIRef
    needsReview: URIRef
    eventKind: URIRef
    organizer: URIRef
    qualifiedInvolvement: URIRef
    agent: URIRef
    role: URIRef
    symbol: URIRef
    adoptedBy: URIRef
    paragraph: URIRef
    number: URIRef
    kind: URIRef
    operativeVerb: URIRef
    addressee: URIRef
    mandates: URIRef
    assignedTo: URIRef
    implements: URIRef
    qualifiedImplementation: URIRef
    implementer: URIRef
    linkBasis: URIRef
    score: URIRef
    sha256: URIRef
    evidence: URIRef
    charStart: URIRef
    charEnd: URIRef
    method: URIRef
    confidence: URIRef
    extractor: URIRef
    rejected: URIRef
    shortcutFor: URIRef
    titlePattern: URIRef
    paragraphId: URIRef
    numbering: URIRef
    reviewClause: URIRef
    deliverable: URIRef
    deliverableKind: URIRef
    due: URIRef
    periodicity: URIRef
    refersTo: URIRef
    recalls: URIRef
    reaffirms: URIRef
    followsUp: URIRef
    qualifiedCitation: URIRef
    cited: URIRef
    citationProperty: URIRef


META_GRAPH = URIRef("urn:mkg:meta")
"""The remote store's own graph: which version is current, and what each version holds
(graph.store.versions)."""
NO_GRAPH = URIRef("urn:mkg:none")
"""A graph never written: the empty side of a dataset sent to a remote store (an empty
list of graph IRIs in the SPARQL protocol means "unspecified", not "none")."""

PARAM = Namespace("urn:mkg:param:")
"""Placeholders for the graphs of a graph management operation in graph/store/queries/remote/
(`<urn:mkg:param:source>`), which graph.store.querytext.fill replaces."""


class META(DefinedNamespace):
    """The terms of the remote store's meta graph (graph/store/queries/remote/ writes them)."""

    _NS = Namespace("urn:mkg:meta#")
    _fail = True

    current: URIRef
    """From META_GRAPH to the version served."""
    started: URIRef
    """When a version's write began."""
    info: URIRef
    """A finished version's GraphInfo, as JSON."""
    graph: URIRef
    """One of a version's graphs, by its original IRI."""


PREFIXES: dict[str, str] = {
    "mkg": str(MKG._NS),
    "theme": str(THEME),
    "schema": str(SDO),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "geo": str(GEO),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}
"""Prefixes bound in serializations and preloaded for `mkg query`."""
