"""What the store says about one IRI, for Linked Data: its statements grouped by property,
each value with the named graphs (source documents) that state it, the values documents
disagree on, what points at it, and the quotes behind it; or the same as RDF.

The store keeps one named graph per source document and serves their merge as the default
graph, so `GRAPH ?g { <iri> ?p ?o }` says which document states which value, the way a
Wikidata statement carries its references. No HTTP here: api/routers/linked_data.py
serves this.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

import pyoxigraph as ox

from graph.errors import NotFound, ParseError
from graph.model.iris import Minter
from graph.model.namespaces import MKG, PREFIXES, SCHEMA
from graph.model.statements import agree
from graph.read.trace import Source, sources
from graph.store.backend import GraphStore
from graph.store.queries import load_query

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
SKOS = PREFIXES["skos"]
PROV = PREFIXES["prov"]
DCTERMS = PREFIXES["dcterms"]
RDF_TYPE = f"{RDF}type"
LABELS = (f"{SKOS}prefLabel", f"{RDFS}label", f"{DCTERMS}title", f"{SCHEMA}name")
"""The properties that name a node, most preferred first (the queries' ?pref ?label
?title ?name columns, in this order)."""
LABEL_COLUMNS = ("pref", "label", "title", "name")
PROVENANCE = frozenset(
    {
        str(MKG.evidence),
        str(MKG.charStart),
        str(MKG.charEnd),
        str(MKG.method),
        str(MKG.confidence),
        str(MKG.extractor),
        f"{PROV}wasDerivedFrom",
        f"{PROV}qualifiedDerivation",
    }
)
"""Bookkeeping of where a statement comes from: shown apart, and never a disagreement."""
FIRST_PROPERTIES = (RDF_TYPE, *LABELS, f"{SKOS}altLabel", str(MKG.acronym), str(MKG.symbol))
INCOMING_SHOWN = 500
MENTIONS_SHOWN = 300
MENTIONS_SCANNED = 2000
"""Statements pointing at a node read at most in search of quoted ones: a hub thousands of
events point at gets a page in milliseconds, with the quotes found among the first."""
GRAPH_SUBJECTS_SHOWN = 500
MAX_IRI_LENGTH = 2048
DATASET_FORMATS = (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)

NodeKind = Literal["iri", "blank", "literal"]
GraphKind = Literal["document", "registry", "ontology", "inferred", "load", "graph"]


@dataclass(frozen=True)
class Node:
    """An RDF term as a page shows it: an IRI (with its label, if it has one) or a literal."""

    value: str
    kind: NodeKind
    datatype: str | None = None
    language: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Value:
    """One value of a property and the named graphs that state it."""

    node: Node
    graphs: tuple[str, ...]


@dataclass(frozen=True)
class Property:
    """A property of the node with all its values; `disputed` when documents disagree."""

    iri: str
    label: str | None
    values: tuple[Value, ...]
    disputed: bool = False

    @property
    def provenance(self) -> bool:
        """Whether the property only records where statements come from."""
        return self.iri in PROVENANCE


@dataclass(frozen=True)
class Reference:
    """A named graph that states something about the node: a source document's graph,
    the curated registry, the ontology, the automatic linker or a loaded file."""

    graph: str
    kind: GraphKind
    document: str | None = None
    document_iri: str | None = None
    title: str | None = None
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class Incoming:
    """A statement that points at the node."""

    subject: Node
    property: str
    property_label: str | None


@dataclass(frozen=True)
class Mention:
    """A quote by which a document speaks of the node through nodes that point at it (an
    event naming it as organizer, the involvement behind that, a membership...)."""

    source: Source
    via: tuple[tuple[Node, tuple[str, ...]], ...]
    """(pointing node, the properties by which it points) pairs."""


@dataclass(frozen=True)
class Mentions:
    """The quotes of one document (named graph) that mention the node."""

    reference: Reference
    quotes: tuple[Mention, ...]


@dataclass(frozen=True)
class NamedGraph:
    """What a graph IRI names: its size, the document it holds, the nodes it describes."""

    statements: int
    document: Reference | None
    subjects: tuple[tuple[Node, Node], ...]
    """(node, type) pairs, the first GRAPH_SUBJECTS_SHOWN."""


@dataclass(frozen=True)
class Description:
    """Everything a Linked Data page shows about one IRI."""

    iri: str
    label: str | None
    types: tuple[Node, ...]
    properties: tuple[Property, ...]
    references: tuple[Reference, ...]
    incoming: tuple[Incoming, ...]
    incoming_counts: tuple[tuple[str, int], ...]
    mentions: tuple[Mentions, ...]
    mentions_cut: bool
    named_graph: NamedGraph | None = None
    statements_of_document: str | None = None
    """For a source document: the named graph of everything taken from it."""

    @property
    def incoming_total(self) -> int:
        """How many statements point at the node."""
        return sum(n for _, n in self.incoming_counts)

    @property
    def disputed(self) -> tuple[Property, ...]:
        """The properties whose values differ between named graphs."""
        return tuple(p for p in self.properties if p.disputed)


@dataclass(frozen=True)
class Counts:
    """Statements with the IRI as subject, as object, and inside the graph it names."""

    outgoing: int = 0
    incoming: int = 0
    in_graph: int = 0

    @property
    def known(self) -> bool:
        """Whether the graph has anything to say about the IRI."""
        return bool(self.outgoing or self.incoming or self.in_graph)


@dataclass
class _Labels:
    """The best label seen for each node across rows (one row per label combination)."""

    best: dict[str, tuple[int, str, str]] = field(default_factory=dict)

    def add(self, key: str, solution: ox.QuerySolution) -> None:
        for rank, column in enumerate(LABEL_COLUMNS):
            term = solution[column]
            if isinstance(term, ox.Literal):
                lang = term.language or ""
                # untagged or English first, then the alphabetically first: stable pages
                candidate = (rank, "" if lang in ("", "en") else lang, term.value)
                if key not in self.best or candidate < self.best[key]:
                    self.best[key] = candidate
                return

    def get(self, key: str) -> str | None:
        found = self.best.get(key)
        return found[2] if found else None


def iri_for(minter: Minter, path: str) -> str:
    """The IRI under the base for a path ("org/IOM"); ParseError if it cannot be an IRI."""
    iri = minter.base + path
    if len(iri) > MAX_IRI_LENGTH:
        raise ParseError(f"an IRI of {len(iri):,} characters is longer than {MAX_IRI_LENGTH:,}")
    if any(ord(c) < 0x20 or c.isspace() for c in path):
        raise ParseError(f"not an IRI path: {path!r} holds spaces or control characters")
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise ParseError(f"not an IRI path: {path!r} ({exc})") from exc
    return iri


def counts(store: GraphStore, iri: str) -> Counts:
    """How many statements the graph holds about an IRI, as subject, object or graph name."""
    for solution in _select(store, "describe_counts", iri):
        return Counts(
            outgoing=_int(solution["outgoing"]),
            incoming=_int(solution["incoming"]),
            in_graph=_int(solution["inGraph"]),
        )
    return Counts()


def describe(store: GraphStore, minter: Minter, iri: str) -> Description:
    """Everything the store says about an IRI; NotFound if it says nothing."""
    size = _known(store, iri)
    properties = _properties(store, iri)
    stating = {g for p in properties for v in p.values for g in v.graphs}
    types = next((tuple(v.node for v in p.values) for p in properties if p.iri == RDF_TYPE), ())
    named_graph = None
    if size.in_graph:
        named_graph = NamedGraph(
            statements=size.in_graph,
            document=_reference(store, minter, iri, ()),
            subjects=_graph_subjects(store, iri),
        )
    mentions, mentions_cut = _mentions(store, minter, iri)
    return Description(
        iri=iri,
        label=_own_label(properties),
        types=types,
        properties=properties,
        references=_references(store, minter, iri, stating),
        incoming=_incoming(store, iri),
        incoming_counts=_incoming_counts(store, iri),
        mentions=tuple(mentions),
        mentions_cut=mentions_cut,
        named_graph=named_graph,
        statements_of_document=_graph_of_document(store, minter, iri),
    )


def description_quads(store: GraphStore, iri: str) -> list[ox.Quad]:
    """The node's description as quads, each statement in every named graph that makes it:
    its own statements and those of the derivations hanging off it. A graph IRI that is
    no node gives the graph's content; an IRI that is only ever an object, the statements
    pointing at it. NotFound if the store says nothing about it."""
    size = _known(store, iri)
    if not size.outgoing and size.in_graph:
        graph_name = ox.NamedNode(iri)
        return [
            ox.Quad(s["subject"], s["property"], s["value"], graph_name)
            for s in _select(store, "describe_graph_quads", iri)
        ]
    if not size.outgoing:
        return [
            ox.Quad(s["subject"], s["property"], s["iri"], _graph_or_default(s["graph"]))
            for s in _select(store, "describe_incoming_quads", iri)
        ]
    return [
        ox.Quad(s["subject"], s["property"], s["value"], _graph_or_default(s["graph"]))
        for s in _select(store, "describe_quads", iri)
    ]


def serialize(quads: Iterable[ox.Quad], format: ox.RdfFormat) -> bytes:
    """Quads in an RDF format, with the project's prefixes. TriG and N-Quads keep each
    statement's named graph; other formats (JSON-LD too, which could carry graphs) get the
    statements once each, as Turtle does, whichever graphs state them."""
    if format in DATASET_FORMATS:
        data = ox.serialize(sorted(set(quads), key=str), format=format, prefixes=PREFIXES)
    else:
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
        data = ox.serialize(sorted(triples, key=str), format=format, prefixes=PREFIXES)
    return data or b""


# ---------------------------------------------------------------------------- internals


def _select(store: GraphStore, name: str, iri: str, var: str = "iri") -> Iterator[ox.QuerySolution]:
    # not bound to a name in this frame, which called the parser (RemoteStore.query says why)
    return _solutions(store.query(load_query(name), {var: ox.NamedNode(iri)}), name)


def _solutions(result: object, name: str) -> Iterator[ox.QuerySolution]:
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"{name}.rq is not a SELECT query")
    return iter(result)


def _graph_or_default(term: object) -> ox.NamedNode | ox.DefaultGraph:
    return term if isinstance(term, ox.NamedNode) else ox.DefaultGraph()


def _known(store: GraphStore, iri: str) -> Counts:
    size = counts(store, iri)
    if not size.known:
        raise NotFound(f"nothing in the graph is about <{iri}>")
    return size


def _int(term: object) -> int:
    return int(term.value) if isinstance(term, ox.Literal) else 0


def _node(term: object, label: str | None = None) -> Node:
    if isinstance(term, ox.Literal):
        language = term.language
        datatype = None if language else term.datatype.value
        return Node(term.value, "literal", datatype=datatype, language=language)
    if isinstance(term, ox.BlankNode):
        return Node(term.value, "blank")
    if isinstance(term, ox.NamedNode):
        return Node(term.value, "iri", label=label)
    return Node(str(term), "literal")


def _properties(store: GraphStore, iri: str) -> tuple[Property, ...]:
    """The node's properties, each value with the named graphs that state it."""
    graphs: dict[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal], set[str]] = defaultdict(set)
    value_labels = _Labels()
    names: dict[str, str] = {}
    for s in _select(store, "describe_statements", iri):
        prop, value, graph_name = s["property"], s["value"], s["graph"]
        assert isinstance(prop, ox.NamedNode)
        key = (prop.value, value)
        graphs[key]  # a statement in the default graph only still counts
        if isinstance(graph_name, ox.NamedNode):
            graphs[key].add(graph_name.value)
        name = s["propertyLabel"]
        if isinstance(name, ox.Literal):
            names.setdefault(prop.value, name.value)
        if isinstance(value, ox.NamedNode):
            value_labels.add(value.value, s)
    by_property: dict[str, list[Value]] = defaultdict(list)
    for (prop_iri, term), stated_in in graphs.items():
        label = value_labels.get(term.value) if isinstance(term, ox.NamedNode) else None
        by_property[prop_iri].append(Value(_node(term, label), tuple(sorted(stated_in))))
    return tuple(
        Property(
            iri=prop_iri,
            label=names.get(prop_iri),
            values=tuple(sorted(values, key=_value_order)),
            disputed=prop_iri not in PROVENANCE and _disagree(values),
        )
        for prop_iri, values in sorted(by_property.items(), key=lambda kv: _property_order(kv[0]))
    )


def _disagree(values: list[Value]) -> bool:
    """Documents disagree when each of two or more graphs gives the property one value and
    two of the values cannot both be true: one says 2010, the other 2011. A less precise
    date agrees with a more precise one (2006-03 and 2006-03-15). A graph giving several
    values marks a many-valued property (memberships, paragraphs, organizers), where two
    documents naming different ones complete each other rather than disagree."""
    stated: dict[str, set[Node]] = defaultdict(set)
    for value in values:
        for graph_name in value.graphs:
            stated[graph_name].add(value.node)
    if len(stated) < 2 or any(len(nodes) != 1 for nodes in stated.values()):
        return False
    found = set().union(*stated.values())
    return any(
        a != b and not (a.kind == b.kind == "literal" and agree(a.value, b.value))
        for a in found
        for b in found
    )


def _own_label(properties: tuple[Property, ...]) -> str | None:
    """The node's own label: the most preferred label property, untagged or English first."""
    for wanted in LABELS:
        for p in properties:
            if p.iri == wanted and p.values:
                nodes = sorted(
                    (v.node for v in p.values),
                    key=lambda n: (n.language not in (None, "en"), n.value),
                )
                return nodes[0].value
    return None


def _property_order(prop: str) -> tuple[int, int, str]:
    if prop in FIRST_PROPERTIES:
        return (0, FIRST_PROPERTIES.index(prop), prop)
    return (2 if prop in PROVENANCE else 1, 0, compact(prop))


def _value_order(value: Value) -> tuple[str, str]:
    return ((value.node.label or value.node.value).casefold(), value.node.value)


def _references(
    store: GraphStore, minter: Minter, iri: str, graph_names: set[str]
) -> tuple[Reference, ...]:
    """The graphs that state something about the node, each with the node's quotes there."""
    quotes: dict[str, list[Source]] = defaultdict(list)
    for source in sources(store, iri):
        quotes[source.graph].append(source)
    found = [
        _reference(store, minter, g, tuple(quotes.get(g, ()))) for g in graph_names | set(quotes)
    ]
    return tuple(sorted(found, key=_reference_order))


def _reference(
    store: GraphStore, minter: Minter, graph_name: str, quotes: tuple[Source, ...]
) -> Reference:
    kinds: dict[str, GraphKind] = {
        str(minter.registry_graph): "registry",
        str(minter.ontology_graph): "ontology",
        str(minter.inferred_graph): "inferred",
    }
    if graph_name in kinds:
        return Reference(graph_name, kinds[graph_name], sources=quotes)
    for s in _select(store, "describe_document", graph_name, var="graph"):
        doc, document, title = s["doc"], s["document"], s["title"]
        return Reference(
            graph_name,
            "document",
            document=document.value if isinstance(document, ox.Literal) else None,
            document_iri=doc.value if isinstance(doc, ox.NamedNode) else None,
            title=title.value if isinstance(title, ox.Literal) else None,
            sources=quotes,
        )
    kind: GraphKind = "load" if graph_name.startswith(f"{minter.base}graph/load/") else "graph"
    return Reference(graph_name, kind, sources=quotes)


def _reference_order(ref: Reference) -> tuple[int, str]:
    order = ("document", "load", "registry", "inferred", "graph", "ontology")
    return (order.index(ref.kind), ref.document or ref.graph)


def _graph_of_document(store: GraphStore, minter: Minter, iri: str) -> str | None:
    """For a source document's IRI: the named graph of what was taken from it."""
    prefix = f"{minter.base}doc/"
    if not iri.startswith(prefix):
        return None
    ref = _reference(store, minter, str(minter.doc_graph(iri.removeprefix(prefix))), ())
    return ref.graph if ref.document_iri == iri else None


def _incoming(store: GraphStore, iri: str) -> tuple[Incoming, ...]:
    labels = _Labels()
    seen: dict[tuple[str, str], ox.NamedNode | ox.BlankNode] = {}
    names: dict[str, str] = {}
    for s in _select(store, "describe_incoming", iri):
        subject, prop = s["subject"], s["property"]
        assert isinstance(subject, ox.NamedNode | ox.BlankNode)
        assert isinstance(prop, ox.NamedNode)
        key = (prop.value, subject.value)
        if key not in seen and len(seen) == INCOMING_SHOWN:
            break
        seen[key] = subject
        labels.add(subject.value, s)
        name = s["propertyLabel"]
        if isinstance(name, ox.Literal):
            names.setdefault(prop.value, name.value)
    found = [
        Incoming(_node(subject, labels.get(subject.value)), prop, names.get(prop))
        for (prop, _), subject in seen.items()
    ]
    return tuple(
        sorted(
            found,
            key=lambda i: (compact(i.property), (i.subject.label or i.subject.value).casefold()),
        )
    )


def _incoming_counts(store: GraphStore, iri: str) -> tuple[tuple[str, int], ...]:
    found = []
    for s in _select(store, "describe_incoming_counts", iri):
        prop = s["property"]
        assert isinstance(prop, ox.NamedNode)
        found.append((prop.value, _int(s["links"])))
    return tuple(sorted(found, key=lambda pair: compact(pair[0])))


def _mentions(store: GraphStore, minter: Minter, iri: str) -> tuple[tuple[Mentions, ...], bool]:
    """Quotes of nodes pointing at the node, by document: at most MENTIONS_SHOWN quotes, and
    whether there are more (or may be: MENTIONS_SCANNED statements were read and no more)."""
    labels = _Labels()
    quotes: dict[tuple[str, int, int], ox.QuerySolution] = {}
    via: dict[tuple[str, int, int], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    nodes: dict[str, ox.NamedNode | ox.BlankNode] = {}
    cut = False
    for scanned, s in enumerate(_select(store, "describe_mentions", iri)):
        if scanned == MENTIONS_SCANNED:
            cut = True
            break
        statement, prop, graph_name = s["statement"], s["property"], s["graph"]
        if s["evidence"] is None:
            continue
        assert isinstance(statement, ox.NamedNode | ox.BlankNode)
        assert isinstance(prop, ox.NamedNode) and isinstance(graph_name, ox.NamedNode)
        key = (graph_name.value, _int(s["start"]), _int(s["end"]))
        if key not in quotes and len(quotes) == MENTIONS_SHOWN:
            cut = True
            break
        quotes.setdefault(key, s)
        via[key][statement.value].add(prop.value)
        nodes[statement.value] = statement
        labels.add(statement.value, s)
    by_graph: dict[str, list[Mention]] = defaultdict(list)
    for key, s in quotes.items():
        graph_name, start, end = key
        method, evidence = s["method"], s["evidence"]
        source = Source(
            document="",  # filled in below, once per graph
            evidence=evidence.value if isinstance(evidence, ox.Literal) else "",
            char_start=start,
            char_end=end,
            graph=graph_name,
            method=method.value if isinstance(method, ox.Literal) else None,
        )
        pointing = tuple(
            (_node(nodes[node], labels.get(node)), tuple(sorted(props, key=compact)))
            for node, props in sorted(via[key].items())
        )
        by_graph[graph_name].append(Mention(source, pointing))
    found = []
    for graph_name, mentions in by_graph.items():
        ref = _reference(store, minter, graph_name, ())
        document = ref.document or graph_name
        found.append(
            Mentions(
                ref,
                tuple(
                    Mention(replace(m.source, document=document), m.via)
                    for m in sorted(mentions, key=lambda m: m.source.char_start)
                ),
            )
        )
    return tuple(sorted(found, key=lambda g: _reference_order(g.reference))), cut


def _graph_subjects(store: GraphStore, iri: str) -> tuple[tuple[Node, Node], ...]:
    labels = _Labels()
    kept: dict[tuple[str, str], ox.QuerySolution] = {}
    for s in _select(store, "describe_graph_subjects", iri):
        subject, kind = s["subject"], s["type"]
        assert isinstance(subject, ox.NamedNode | ox.BlankNode)
        assert isinstance(kind, ox.NamedNode | ox.BlankNode)
        key = (subject.value, kind.value)
        if key not in kept and len(kept) == GRAPH_SUBJECTS_SHOWN:
            break
        kept.setdefault(key, s)
        labels.add(subject.value, s)
    found = [
        (_node(s["subject"], labels.get(subject)), _node(s["type"]))
        for (subject, _), s in kept.items()
    ]
    return tuple(sorted(found, key=lambda pair: (compact(pair[1].value), pair[0].value)))


def compact(iri: str) -> str:
    """A prefixed name for an IRI in a known namespace ("skos:prefLabel"), else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
