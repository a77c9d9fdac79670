"""Bulk exports: the graph as RDF, the co-sponsorship network for Gephi, the events for Excel.

What each format holds, and why:

- **trig, nquads** (datasets) hold the *named graphs*: one per source document, plus the
  registry, the ontology, the inferred links and any `mkg load`ed files. Provenance
  survives the trip: which document said what. The store's default graph is left out:
  it is the materialized RDF merge of the named graphs (graph.store.embedded.load_merged),
  so it is derivable; including it would double the file, and stores that treat the
  default graph as the union of named graphs (Fuseki, GraphDB, Oxigraph's own
  union mode) would return every statement twice. `mkg load` of the file rebuilds the merge.
- **turtle, jsonld** (graphs) hold the *merged graph*: every distinct statement once, with
  the project's prefixes (Turtle; pyoxigraph writes JSON-LD in expanded form, which every
  JSON-LD processor reads without fetching a context).
- **graphml, gexf** hold the weighted co-sponsorship network of graph.read.projection for Gephi:
  nodes are organization IRIs with label, acronym, type and event counts; edges carry the
  weight (events organized together) and the ids of those events as one string.
- **csv** holds one row per event (graph.read.catalog.events), for spreadsheets: UTF-8 with a
  byte-order mark so that Excel reads it as UTF-8, and cells that Excel would run as a
  formula (leading =, +, -, @) prefixed with an apostrophe (OWASP's CSV-injection advice).

Filters: `doc` narrows every format to what that document says (RDF: its named graph plus
registry and ontology, as `doc=` does everywhere, graph.read.terms.doc_scope; network and CSV:
its events). `start`/`end` narrow the network and CSV to a time window; a time window over
arbitrary statements has no meaning, so RDF exports refuse them rather than ignore them.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import networkx as nx
import pyoxigraph as ox

from graph.errors import ParseError
from graph.model.iris import Minter
from graph.model.namespaces import PREFIXES
from graph.read import catalog
from graph.read.filters import Filters
from graph.read.projection import projection
from graph.read.terms import doc_scope, rows
from graph.store.backend import GraphStore
from graph.store.embedded import OxigraphStore
from graph.store.queries import load_query

ExportFormat = Literal["turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "csv"]
Kind = Literal["dataset", "graph", "network", "table"]


@dataclass(frozen=True)
class Format:
    """An export format: what it holds, its media type and file extension."""

    name: ExportFormat
    kind: Kind
    media_type: str
    extension: str
    description: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "graph", "text/turtle", "ttl", "the merged graph as Turtle"),
        Format("trig", "dataset", "application/trig", "trig", "the named graphs as TriG"),
        Format("nquads", "dataset", "application/n-quads", "nq", "the named graphs as N-Quads"),
        Format("jsonld", "graph", "application/ld+json", "jsonld", "the merged graph as JSON-LD"),
        Format("graphml", "network", "application/graphml+xml", "graphml",
               "the co-sponsorship network as GraphML"),
        Format("gexf", "network", "application/gexf+xml", "gexf",
               "the co-sponsorship network as GEXF (Gephi)"),
        Format("csv", "table", "text/csv; charset=utf-8", "csv",
               "one row per event, for spreadsheets"),
    )
}  # fmt: skip
"""Every export format by name, in the order of ExportFormat."""

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}
CSV_COLUMNS = (
    "id", "label", "start", "end", "venue", "organizers", "organizer_ids",
    "themes", "implements", "sources", "iri",
)  # fmt: skip
"""The CSV header; list cells are joined with LIST_SEPARATOR."""
LIST_SEPARATOR = "; "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make Excel or LibreOffice evaluate a cell as a formula."""


@dataclass(frozen=True)
class Export:
    """The bytes of an export, with the media type and file name to serve them under."""

    data: bytes
    format: Format
    filename: str

    @property
    def media_type(self) -> str:
        """The media type of the data."""
        return self.format.media_type


def parse_format(name: str) -> Format:
    """The export format called `name`, or a ParseError naming the formats there are."""
    found = FORMATS.get(name.strip().lower())
    if found is None:
        raise ParseError(f"unknown export format {name!r}; use one of {', '.join(FORMATS)}")
    return found


def export(
    store: GraphStore,
    minter: Minter,
    format: str,
    *,
    doc: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Export:
    """The graph, the network or the event table in `format`, narrowed by doc/start/end."""
    chosen = parse_format(format)
    if chosen.kind in ("dataset", "graph"):
        if start or end:
            raise ParseError(
                f"start and end narrow graphml, gexf and csv; {chosen.name} can be "
                "narrowed by doc only"
            )
        data = rdf(store, minter, chosen.name, doc=doc)
    else:
        filters = Filters.parse(start, end, doc)
        if chosen.kind == "network":
            nx_graph = cosponsorship_network(store, minter, filters)
            data = network_bytes(nx_graph, chosen.name)
        else:
            data = events_csv(store, minter, filters)
    return Export(data, chosen, _filename(store, chosen, doc, start, end))


def _filename(
    store: GraphStore, chosen: Format, doc: str | None, start: str | None, end: str | None
) -> str:
    parts = ["migration-kg", store.info.version[:8], doc, start, end]
    stem = "-".join(p for p in parts if p)
    # The name goes into a Content-Disposition header: keep it to safe characters.
    return re.sub(r"[^A-Za-z0-9_.-]", "_", stem) + f".{chosen.extension}"


# ------------------------------------------------------------------------------- RDF


def rdf(store: GraphStore, minter: Minter, format: str, *, doc: str | None = None) -> bytes:
    """The named graphs (trig, nquads) or the merged graph (turtle, jsonld), serialized."""
    chosen = parse_format(format)
    if chosen.kind not in ("dataset", "graph"):
        raise ParseError(f"{format!r} is not an RDF export format")
    rdf_format = RDF_FORMATS[chosen.name]
    scope = doc_scope(store, minter, doc)
    dataset = _dataset(store)
    if scope is None:
        graphs = sorted((g for g in dataset.named_graphs() if isinstance(g, ox.NamedNode)), key=str)
    else:
        graphs = [ox.NamedNode(g) for g in scope]
    if chosen.kind == "dataset":  # not rdf_format.supports_datasets: JSON-LD does too
        data = ox.serialize(_quads(dataset, graphs), format=rdf_format, prefixes=PREFIXES)
    elif scope is None:
        # The default graph is the merge already: let pyoxigraph write it without Python.
        data = dataset.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
    else:
        merged = dict.fromkeys(q.triple for q in _quads(dataset, graphs))
        data = ox.serialize(merged, format=rdf_format, prefixes=PREFIXES)
    return data or b""


def _dataset(store: GraphStore) -> ox.Store:
    """The pyoxigraph store behind `store`; any other backend is read into memory."""
    if isinstance(store, OxigraphStore):
        return store.raw
    memory = ox.Store()
    memory.bulk_load(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    return memory


def _quads(dataset: ox.Store, graphs: Iterable[ox.NamedNode]) -> Iterator[ox.Quad]:
    for name in graphs:
        yield from dataset.quads_for_pattern(None, None, None, name)


# --------------------------------------------------------------------------- network


def cosponsorship_network(
    store: GraphStore, minter: Minter, filters: Filters | None = None
) -> nx.Graph:
    """The co-sponsorship graph with only scalar, non-null attributes, as Gephi reads them."""
    proj = projection(store, minter, filters or Filters())
    source = proj.cosponsorship()
    events: Counter[str] = Counter()
    joint: Counter[str] = Counter()
    for event in proj.events.values():
        events.update(event.organizers)
        if len(event.organizers) > 1:
            joint.update(event.organizers)
    nx_graph = nx.Graph()
    for node in sorted(source.nodes):
        org = proj.organizations[node]
        # The GEXF writer takes "label" as the display name and reads "id", "start", "end"
        # and "pid" as node id, time spell and parent: those names are avoided.
        nx_graph.add_node(
            node,
            label=org.label,
            acronym=org.acronym or "",
            type=org.type or "",
            events=events[node],
            joint_events=joint[node],
        )
    for a, b, data in sorted(source.edges(data=True), key=lambda e: (e[0], e[1])):
        nx_graph.add_edge(
            a,
            b,
            weight=int(data["weight"]),
            events=LIST_SEPARATOR.join(sorted(catalog.key_of(e) for e in data["events"])),
        )
    return nx_graph


def network_bytes(nx_graph: nx.Graph, format: str) -> bytes:
    """A network as GraphML or GEXF 1.2."""
    buffer = io.BytesIO()
    if format == "graphml":
        nx.write_graphml(nx_graph, buffer, encoding="utf-8", prettyprint=True)
    elif format == "gexf":
        nx.write_gexf(nx_graph, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    else:
        raise ParseError(f"{format!r} is not a network export format")
    return buffer.getvalue()


# ------------------------------------------------------------------------------- CSV


def events_csv(store: GraphStore, minter: Minter, filters: Filters | None = None) -> bytes:
    """One row per event (CSV_COLUMNS), UTF-8 with a byte-order mark, CRLF line ends."""
    views = catalog.events(store, minter, catalog.EventFilters(window=filters or Filters()))
    documents = _event_documents(store, {v.iri for v in views})
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for view in views:
        record = {
            "id": view.id,
            "label": view.label,
            "start": view.start or "",
            "end": view.end or "",
            "venue": view.venue or "",
            "organizers": LIST_SEPARATOR.join(o.label for o in view.organizers),
            "organizer_ids": LIST_SEPARATOR.join(o.id for o in view.organizers),
            "themes": LIST_SEPARATOR.join(view.themes),
            "implements": LIST_SEPARATOR.join(
                dict.fromkeys(_implements(link) for link in view.implements)
            ),
            "sources": LIST_SEPARATOR.join(documents.get(view.iri, ())),
            "iri": view.iri,
        }
        writer.writerow([spreadsheet_safe(record[c]) for c in CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def _implements(link: dict[str, str | None]) -> str:
    """An implementation link as text: A/RES/60/227 para 21 (curated)."""
    paragraph = f" para {link['paragraph']}" if link.get("paragraph") else ""
    return f"{link.get('instrument') or '?'}{paragraph} ({link.get('basis')})"


def _event_documents(store: GraphStore, events: set[str]) -> dict[str, list[str]]:
    """The ids of the documents that quote evidence for each event, in id order."""
    found: dict[str, set[str]] = defaultdict(set)
    for r in rows(store.query(load_query("sources"))):
        if r["node"] in events:
            found[str(r["node"])].add(str(r["document"]))
    return {event: sorted(docs) for event, docs in found.items()}


def spreadsheet_safe(text: str) -> str:
    """The cell as text a spreadsheet will show, not evaluate: "=1+1" -> "'=1+1"."""
    return f"'{text}" if text.startswith(FORMULA_START) else text
