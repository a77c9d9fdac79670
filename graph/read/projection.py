"""The graph as the read side counts it: events, their organizers and organizations,
filtered, and the NetworkX graphs made of them.

Built once per graph version and filter set (graph.read.derived) from graph/store/queries/*.rq:
the bipartite organization-event graph and the weighted co-sponsorship graph (weight =
events shared). The catalog, the views, the exports and the measures all read this.
"""

from __future__ import annotations

import itertools
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from graph.errors import NotFound, ParseError
from graph.extract.dates import PartialDate, parse_partial
from graph.model.iris import Minter
from graph.read import derived
from graph.read.filters import EVERYTHING, Filters
from graph.read.terms import doc_scope, rows
from graph.store.backend import GraphStore
from graph.store.queries import load_query

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Organization:
    """An organization as the read side shows it."""

    iri: str
    label: str
    acronym: str | None
    type: str | None

    @property
    def id(self) -> str:
        """The key of the organization, the last segment of its IRI."""
        return self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Event:
    """An event as the projection sees it: when, and who organized it."""

    iri: str
    label: str
    start: PartialDate | None
    organizers: frozenset[str]
    themes: frozenset[str] = frozenset()
    row: str | None = None
    """The table row the event comes from (two side events may share one), if any."""

    @property
    def id(self) -> str:
        """The key of the event, the last segment of its IRI."""
        return self.iri.rsplit("/", 1)[-1]

    @property
    def item(self) -> str:
        """What a count by rows counts: the event's table row, or the event itself."""
        return self.row or self.iri

    @property
    def year(self) -> int | None:
        """The year the event started, if known."""
        return self.start.year if self.start else None


@dataclass
class Projection:
    """The events and organizations that pass the filters, and the graphs made of them."""

    events: dict[str, Event]
    organizations: dict[str, Organization]
    filters: Filters
    version: str
    _graphs: dict[str, nx.Graph] = field(default_factory=dict)

    def cosponsorship(self) -> nx.Graph:
        """Organizations joined by the events they organized together (weight = shared events)."""
        if "cosponsorship" not in self._graphs:
            shared: dict[tuple[str, str], list[str]] = defaultdict(list)
            nx_graph = nx.Graph()
            for event in self.events.values():
                # In sorted order: Louvain's answer depends on node order, and a set's order
                # changes with the process's hash seed (communities differed between runs).
                ordered = sorted(event.organizers)
                nx_graph.add_nodes_from(ordered)
                for a, b in itertools.combinations(ordered, 2):
                    shared[(a, b)].append(event.iri)
            for (a, b), events in shared.items():
                nx_graph.add_edge(a, b, weight=len(events), distance=1 / len(events), events=events)
            for node in nx_graph.nodes:
                nx_graph.nodes[node]["label"] = self.organizations[node].label
            self._graphs["cosponsorship"] = nx_graph
        return self._graphs["cosponsorship"]

    def bipartite(self) -> nx.Graph:
        """Organizations and events, an edge for each organizer."""
        if "bipartite" not in self._graphs:
            nx_graph = nx.Graph()
            for event in self.events.values():
                nx_graph.add_node(event.iri, bipartite="event", label=event.label)
                for org in event.organizers:
                    nx_graph.add_node(org, bipartite="organization")
                    nx_graph.add_edge(org, event.iri)
            self._graphs["bipartite"] = nx_graph
        return self._graphs["bipartite"]

    def organization(self, iri: str) -> Organization:
        """The organization of an IRI, or one named after its key when the graph gives
        no label for it."""
        return self.organizations.get(iri) or Organization(iri, iri.rsplit("/", 1)[-1], None, None)


def projection(store: GraphStore, minter: Minter, filters: Filters = EVERYTHING) -> Projection:
    """The filtered projection of the graph (cached per graph version and filters)."""
    return derived.cached(store, ("projection", filters), lambda: _project(store, minter, filters))


def _project(store: GraphStore, minter: Minter, filters: Filters) -> Projection:
    scope = doc_scope(store, minter, filters.doc)
    organizations = {
        str(r["org"]): Organization(
            iri=str(r["org"]),
            label=str(r["label"] or r["org"]),
            acronym=str(r["acronym"]) if r["acronym"] else None,
            type=str(r["type"]) if r["type"] else None,
        )
        for r in rows(store.query(load_query("organizations")))
    }
    themes: dict[str, set[str]] = defaultdict(set)
    for r in rows(store.query(load_query("event_themes"), graphs=scope)):
        themes[str(r["event"])].add(str(r["theme"]))
    organizers: dict[str, set[str]] = defaultdict(set)
    info: dict[str, tuple[str, PartialDate | None, str | None]] = {}
    for r in rows(store.query(load_query("event_organizers"), graphs=scope)):
        event_iri, org = str(r["event"]), str(r["org"])
        known = organizations.get(org)
        if known is not None and not filters.admits_type(known.type):
            continue
        organizers[event_iri].add(org)
        row = f"{r['rowGraph']}#row-{r['rowPosition']}" if r["rowGraph"] else None
        info[event_iri] = (str(r["label"] or event_iri), _partial(r["start"]), row)
    events: dict[str, Event] = {}
    for iri, orgs in organizers.items():
        label, start, row = info[iri]
        event = Event(iri, label, start, frozenset(orgs), frozenset(themes.get(iri, ())), row)
        if filters.admits(event.start, event.themes):
            events[iri] = event
    for org in {o for e in events.values() for o in e.organizers} - set(organizations):
        organizations[org] = Organization(org, org.rsplit("/", 1)[-1], None, None)
    return Projection(events, organizations, filters, store.info.version)


def _partial(value: object) -> PartialDate | None:
    if not value:
        return None
    try:
        return parse_partial(str(value)[:10])
    except ParseError:
        return None


def resolve_org(proj: Projection, name: str) -> str:
    """An organization's IRI from its key, acronym, label or IRI."""
    wanted = name.strip().casefold()
    if not wanted:
        raise ParseError("an organization name cannot be blank")
    for iri, org in proj.organizations.items():
        names = {iri, org.id, org.label, *([org.acronym] if org.acronym else [])}
        if wanted in {n.casefold() for n in names}:
            return iri
    raise NotFound(f"no organization {name!r} in the graph")


def event_labels(store: GraphStore, minter: Minter, iris: Iterable[str]) -> dict[str, str]:
    """Labels of events, from the unfiltered projection."""
    proj = projection(store, minter)
    return {i: proj.events[i].label if i in proj.events else i for i in iris}
