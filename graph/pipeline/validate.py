"""SHACL validation of a built graph against ontology/shapes.ttl, with a readable report."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef, plugin
from rdflib.namespace import RDFS, SH, SKOS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor
from rdflib.term import Identifier, Node

from graph.errors import ValidationFailed

log = logging.getLogger(__name__)


class PreparedQueries(SPARQLProcessor):
    """rdflib's SPARQL processor, parsing each query text once.

    pyshacl hands rdflib the text of a SPARQL-based constraint once per focus node, and
    rdflib parses a text on every call: for the event-date constraint that was 92 parses
    of one query, over half of a build's validation. The translated query is what
    rdflib's own `prepareQuery` returns for reuse, so answers are the same. Registered as
    rdflib's "sparql" processor (rdflib's plugin mechanism) when this module is imported.
    """

    def query(  # type: ignore[override]
        self,
        strOrQuery: str | Query,
        initBindings: Mapping[str, Identifier] | None = None,
        initNs: Mapping[str, Any] | None = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Mapping[str, Any]:
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            strOrQuery = _prepared(strOrQuery, base, namespaces)
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


@lru_cache(maxsize=128)
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]) -> Query:
    return translateQuery(parseQuery(text), base, dict(namespaces))


plugin.register("sparql", Processor, __name__, PreparedQueries.__name__)


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: whether it conforms, and one line per violation."""

    conforms: bool
    lines: tuple[str, ...]

    def text(self) -> str:
        """The report as text, one violation a line."""
        if self.conforms:
            return "conforms: no SHACL violations"
        return "\n".join((f"{len(self.lines)} SHACL violation(s):", *self.lines))


def check(data: Graph, shapes: Graph, ontology: Graph) -> Report:
    """Validate `data` (the union of all graphs) against the shapes."""
    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return Report(True, ())
    assert isinstance(results, Graph)
    lines = sorted(
        _describe(results, data, result)
        for result in results.subjects(SH.focusNode)
        if results.value(result, SH.resultSeverity) == SH.Violation
    )
    return Report(False, tuple(lines))


def check_or_raise(data: Graph, shapes: Graph, ontology: Graph) -> None:
    """Validate and raise ValidationFailed with the readable report when it does not conform."""
    report = check(data, shapes, ontology)
    if not report.conforms:
        raise ValidationFailed(report.text(), len(report.lines))


def load_shapes(ontology_dir: Path) -> Graph:
    """The SHACL shapes graph."""
    return Graph().parse(ontology_dir / "shapes.ttl", format="turtle")


def _describe(results: Graph, data: Graph, result: Node) -> str:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    message = results.value(result, SH.resultMessage)
    label = data.value(focus, RDFS.label) or data.value(focus, SKOS.prefLabel)
    who = f"<{focus}>" + (f" ({label})" if label else "")
    where = f" [{_short(path)}]" if isinstance(path, URIRef) else ""
    return f"- {who}{where}: {message}"


def _short(iri: URIRef) -> str:
    for prefix, ns in (("schema:", "https://schema.org/"), ("rdfs:", str(RDFS))):
        if str(iri).startswith(ns):
            return prefix + str(iri)[len(ns) :]
    return f"<{iri}>"
