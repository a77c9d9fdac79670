"""Query answers as comparable Python values, for tests that put two stores side by side."""

from __future__ import annotations

import pyoxigraph as ox

CONCATENATED = {"starts": " ", "ends": " ", "aliases": "|"}
"""GROUP_CONCAT columns of the project's queries, with their separators: SPARQL leaves
the order of the values concatenated open (Virtuoso's differs from pyoxigraph's), so
they are compared as sets."""


def answer(result: object) -> object:
    """A result as comparable Python values: sorted rows of N-Triples terms, a boolean, or
    a set of triples."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        return {str(t) for t in result}
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    rows = [tuple(_term(s[n], n) for n in names) for s in result]
    return names, sorted(rows)


def _term(term: object, name: str) -> str:
    if term is None:
        return ""
    if name in CONCATENATED and isinstance(term, ox.Literal):
        # A GROUP_CONCAT over no values is "" (the SPARQL 1.1 spec, Virtuoso); pyoxigraph
        # leaves it unbound. Both read as "none" in the project's code.
        return " ".join(sorted(set(term.value.split(CONCATENATED[name])) - {""}))
    return str(term)
