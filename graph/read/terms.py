"""Plain Python values from query results, and the dataset scope of a "doc" filter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pyoxigraph as ox

from graph.errors import NotFound
from graph.model.iris import Minter
from graph.store.backend import GraphStore
from graph.store.queries import load_query

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {f"{XSD}{t}" for t in ("integer", "int", "long", "short", "nonNegativeInteger")}


def value(term: object) -> object:
    """A Python value for an RDF term: str for IRIs and strings, int, Decimal, date, bool."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype == f"{XSD}decimal":
            return Decimal(term.value)
        if datatype == f"{XSD}double":
            return float(term.value)
        if datatype == f"{XSD}boolean":
            return term.value == "true"
        if datatype == f"{XSD}date":
            return dt.date.fromisoformat(term.value)
        return term.value
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)


def rows(result: object) -> list[dict[str, object]]:
    """The solutions of a SELECT result as dicts of Python values."""
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("not a SELECT result")
    names = [v.value for v in result.variables]
    return [{name: value(solution[name]) for name in names} for solution in result]


def doc_scope(store: GraphStore, minter: Minter, doc: str | None) -> list[str] | None:
    """The graphs a "doc" filter restricts a query to (document, registry, ontology)."""
    if doc is None:
        return None
    found = rows(store.query(load_query("document_exists"), {"id": ox.Literal(doc)}))
    if not found:
        raise NotFound(f"no source document {doc!r} in the graph")
    return [str(minter.doc_graph(doc)), str(minter.registry_graph), str(minter.ontology_graph)]
