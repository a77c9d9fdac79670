"""Controlled values (roles, paragraph kinds, link bases, methods), read from the ontology.

The lists live once, in ontology/shapes.ttl (the `sh:in` of the property shape that
checks them) and ontology/mkg.ttl (which roles the `mkg:organizer` shortcut stands for);
code asks here instead of listing them again.
"""

from __future__ import annotations

from functools import cache

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from graph.namespaces import MKG
from graph.settings import PROJECT_ROOT

ONTOLOGY = PROJECT_ROOT / "ontology"


@cache
def _shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")


@cache
def _ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "mkg.ttl", format="turtle")


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
