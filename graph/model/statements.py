"""Statements: the one record every source of facts emits, and the one writer of RDF.

The calendar parser, the prose extractors, the curated files and the linker all say what
they know as statements: a subject (an IRI from the one minter), a property, a value,
the document and the span of text that says it, the method (`extracted`, `curated`,
`inferred`), the extractor's name and a confidence. Nothing else writes triples into the
dataset, so every fact can be traced to what made it (the model is nomenklatura's).

The claim a node makes as a whole (an event, an involvement, a paragraph, a link) is the
statement `node prov:wasDerivedFrom doc`: the writer expands it into the quote, its
offsets, the method, the confidence and the extractor's name on that node.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

from graph.model.iris import Minter
from graph.model.namespaces import MKG

Method = TypingLiteral["extracted", "curated", "inferred"]
CURATION = "curation"
"""The extractor name of facts read from graph/curation/*.yaml."""


@dataclass(frozen=True)
class Span:
    """A stretch of a document's text: [start, end) in Unicode code points."""

    start: int
    end: int

    def of(self, text: str) -> str:
        """The text this span covers."""
        return text[self.start : self.end]


@dataclass(frozen=True)
class Statement:
    """One fact with its provenance.

    `doc` None puts the fact in the registry graph; `graph` names another graph (the
    linker's). A claim (`is_claim`) stands for the subject as a whole: the writer puts
    the quote, offsets, method and confidence on the subject.
    """

    subject: URIRef
    prop: URIRef
    value: Node
    doc: str | None
    span: Span | None = None
    method: Method = "extracted"
    extractor: str = ""
    confidence: float = 1.0
    graph: URIRef | None = None
    is_claim: bool = False
    """The provenance claim of the subject as a whole (the writer adds quote and offsets)."""


@dataclass
class Statements:
    """An ordered collection of statements that one source emits."""

    items: list[Statement] = field(default_factory=list)

    def __iter__(self) -> Iterator[Statement]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def extend(self, statements: Iterable[Statement]) -> None:
        """Add statements made elsewhere."""
        self.items.extend(statements)

    def add(
        self,
        subject: URIRef,
        prop: URIRef,
        value: Node,
        doc: str | None,
        *,
        span: Span | None = None,
        method: Method = "extracted",
        extractor: str = "",
        confidence: float = 1.0,
        graph: URIRef | None = None,
    ) -> None:
        """One fact."""
        self.items.append(
            Statement(subject, prop, value, doc, span, method, extractor, confidence, graph)
        )

    def putter(
        self,
        doc: str | None,
        span: Span | None,
        *,
        method: Method = "extracted",
        extractor: str = "",
        confidence: float = 1.0,
    ) -> Callable[[URIRef, URIRef, Node], None]:
        """A function that adds facts which all share this provenance."""

        def put(subject: URIRef, prop: URIRef, value: Node) -> None:
            self.add(subject, prop, value, doc, span=span, method=method, extractor=extractor,
                     confidence=confidence)  # fmt: skip

        return put

    def claim(
        self,
        subject: URIRef,
        doc: str,
        span: Span,
        *,
        method: Method,
        extractor: str,
        confidence: float = 1.0,
        graph: URIRef | None = None,
    ) -> None:
        """The node as a whole is said by this document at this span."""
        self.items.append(
            Statement(
                subject, PROV.wasDerivedFrom, Literal(doc), doc, span, method, extractor,
                confidence, graph, is_claim=True,
            )
        )  # fmt: skip


@dataclass(frozen=True)
class Said:
    """Where a run of extracted facts stands: document, span, extractor and confidence."""

    doc: str
    span: Span
    extractor: str
    confidence: float

    def putter(self, out: Statements) -> Callable[[URIRef, URIRef, Node], None]:
        """A function that adds facts said here to `out`."""
        return out.putter(self.doc, self.span, extractor=self.extractor,
                          confidence=self.confidence)  # fmt: skip

    def claim(self, out: Statements, node: URIRef) -> None:
        """The node as a whole is said here (extracted)."""
        out.claim(node, self.doc, self.span, method="extracted", extractor=self.extractor,
                  confidence=self.confidence)  # fmt: skip


class StatementWriter:
    """Turns statements into RDF: each into its document's named graph (or the registry's,
    or the one it names), claims into quotes with offsets, method and confidence."""

    def __init__(self, dataset: Dataset, minter: Minter, texts: dict[str, str]) -> None:
        self.dataset = dataset
        self.minter = minter
        self.texts = texts

    def _graph(self, statement: Statement) -> Graph:
        if statement.graph is not None:
            return self.dataset.graph(statement.graph)
        if statement.doc is None:
            return self.dataset.graph(self.minter.registry_graph)
        return self.dataset.graph(self.minter.doc_graph(statement.doc))

    def write(self, statements: Iterable[Statement]) -> int:
        """Write every statement; returns how many were written."""
        count = 0
        for statement in statements:
            g = self._graph(statement)
            if statement.is_claim:
                self._claim(g, statement)
            else:
                g.add((statement.subject, statement.prop, statement.value))
            count += 1
        return count

    def _claim(self, g: Graph, statement: Statement) -> None:
        """Provenance of a node: its document, the quoted text and its offsets.

        A node quoted twice in one graph keeps its first quote; each further one goes on
        a prov:Derivation of its own (prov:qualifiedDerivation), so quotes and offsets
        always pair up within a graph.
        """
        assert statement.doc is not None and statement.span is not None
        node, doc_id, span = statement.subject, statement.doc, statement.span
        if (node, MKG.evidence, None) in g:
            if (node, MKG.charStart, Literal(span.start)) in g:
                return
            derivation = self.minter.derivation(node, doc_id, span.start)
            g.add((node, PROV.qualifiedDerivation, derivation))
            g.add((derivation, RDF.type, PROV.Derivation))
            g.add((derivation, PROV.entity, self.minter.doc(doc_id)))
            node = derivation
        g.add((node, PROV.wasDerivedFrom, self.minter.doc(doc_id)))
        g.add((node, MKG.evidence, Literal(span.of(self.texts[doc_id]))))
        g.add((node, MKG.charStart, Literal(span.start)))
        g.add((node, MKG.charEnd, Literal(span.end)))
        g.add((node, MKG.method, Literal(statement.method)))
        if statement.method != "curated":
            g.add((node, MKG.confidence, confidence_literal(statement.confidence)))
        if statement.extractor:
            g.add((node, MKG.extractor, Literal(statement.extractor)))


def confidence_literal(value: float) -> Literal:
    """A confidence as xsd:decimal with three places (stable across rebuilds)."""
    return Literal(f"{max(0.0, min(1.0, value)):.3f}", datatype=XSD.decimal)


_ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def agree(a: str, b: str) -> bool:
    """Whether two values of one property can both be true: equal, or dates of which one
    is only a less precise form of the other ("2006-03" and "2006-03-15")."""
    if a == b:
        return True
    if _ISO_DATE.match(a) and _ISO_DATE.match(b):
        short, long_ = sorted((a, b), key=len)
        return len(short) < len(long_) and long_.startswith(short)
    return False
