"""What code reads from the ontology: its controlled values and its terms.

Controlled values (roles, paragraph kinds, link bases, methods) live once, in
ontology/shapes.ttl (the `sh:in` of the property shape that checks them) and
ontology/mkg.ttl (which roles the `mkg:organizer` shortcut stands for); code asks here
instead of listing them again.

The terms a query writer needs: every class and property that ontology/mkg.ttl declares
(with label and comment), the outside classes it builds on, and the outside properties
the data uses (those ontology/shapes.ttl constrains), each as a prefixed name. The
/sparql page completes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from graph.model.namespaces import MKG, PREFIXES
from graph.settings import PROJECT_ROOT

ONTOLOGY = PROJECT_ROOT / "ontology"
TermKind = Literal["class", "property"]
CLASS_TYPES = (OWL.Class, RDFS.Class)
PROPERTY_TYPES = (
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
)


@cache
def _shapes(ontology_dir: Path = ONTOLOGY) -> Graph:
    return Graph().parse(ontology_dir / "shapes.ttl", format="turtle")


@cache
def _ontology(ontology_dir: Path = ONTOLOGY) -> Graph:
    return Graph().parse(ontology_dir / "mkg.ttl", format="turtle")


@cache
def allowed(path: URIRef) -> tuple[str, ...]:
    """The values the shapes allow for a property (its `sh:in` list), in their order."""
    shapes = _shapes()
    for shape in shapes.subjects(SH.path, path):
        listed = shapes.value(shape, SH["in"])
        if listed is not None:
            return tuple(str(v) for v in Collection(shapes, listed))
    raise LookupError(f"no sh:in list for {path} in shapes.ttl")


def roles() -> tuple[str, ...]:
    """Every role an organization can have in an event or work."""
    return allowed(MKG.role)


def paragraph_kinds() -> tuple[str, ...]:
    """Every kind of paragraph (operative, preambular, ...)."""
    return allowed(MKG.kind)


def link_bases() -> tuple[str, ...]:
    """Every basis of an implementation link (stated, curated, inferred)."""
    return allowed(MKG.linkBasis)


def methods() -> tuple[str, ...]:
    """Every method a claim can have been made by (extracted, curated, inferred)."""
    return allowed(MKG.method)


@cache
def organizing_roles() -> frozenset[str]:
    """The roles the mkg:organizer shortcut stands for."""
    return frozenset(str(v) for v in _ontology().objects(MKG.organizer, MKG.shortcutFor))


@dataclass(frozen=True)
class Term:
    """A class or property, as a prefixed name with its label and comment."""

    curie: str
    iri: str
    kind: TermKind
    label: str | None = None
    comment: str | None = None


def curie(iri: str) -> str | None:
    """The prefixed name of an IRI under one of the project's prefixes, if any."""
    best = max(
        ((p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns)),
        key=lambda item: len(item[1]),
        default=None,
    )
    if best is None or not iri[len(best[1]) :].replace("_", "a").replace("-", "a").isalnum():
        return None
    return f"{best[0]}:{iri[len(best[1]) :]}"


@cache
def terms(ontology_dir: Path) -> tuple[Term, ...]:
    """The classes and properties of ontology_dir's mkg.ttl and shapes.ttl, sorted."""
    ontology = _ontology(ontology_dir)
    shapes = _shapes(ontology_dir)
    kinds: dict[str, TermKind] = {}
    for kind, types in (("class", CLASS_TYPES), ("property", PROPERTY_TYPES)):
        for rdf_type in types:
            for subject in ontology.subjects(RDF.type, rdf_type):
                if isinstance(subject, URIRef):
                    kinds.setdefault(str(subject), kind)  # type: ignore[arg-type]
    for parent in ontology.objects(None, RDFS.subClassOf):
        if isinstance(parent, URIRef):
            kinds.setdefault(str(parent), "class")
    for parent in ontology.objects(None, RDFS.subPropertyOf):
        if isinstance(parent, URIRef):
            kinds.setdefault(str(parent), "property")
    for path in shapes.objects(None, SH.path):
        if isinstance(path, URIRef):
            kinds.setdefault(str(path), "property")
    found = []
    for iri, kind in kinds.items():
        name = curie(iri)
        if name is None:
            continue
        label = ontology.value(URIRef(iri), RDFS.label)
        comment = ontology.value(URIRef(iri), RDFS.comment)
        found.append(
            Term(name, iri, kind, str(label) if label else None, str(comment) if comment else None)
        )
    return tuple(sorted(found, key=lambda t: t.curie))
