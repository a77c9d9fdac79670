"""Who works with whom: projections of the graph and NetworkX measures over them.

Everything is computed from the store through graph/queries/*.rq: the bipartite
organization-event graph, the weighted co-sponsorship graph (weight = events shared)
and the mandate graph. Results are cached per graph version and filter set, so a
rebuild (a new version) invalidates them. Measures call NetworkX's public functions,
which go through its backend dispatch: with nx-parallel or nx-cugraph installed and
configured (`nx.config.backend_priority`), they take over unchanged.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx

from graph.backend import GraphStore
from graph.errors import NotFound, ParseError
from graph.extract.dates import PartialDate, parse_partial
from graph.iris import Minter
from graph.queries import load_query
from graph.terms import doc_scope, rows

log = logging.getLogger(__name__)

Measure = Literal["degree", "betweenness", "eigenvector", "pagerank", "closeness"]
Count = Literal["events", "rows"]
COUNTS: tuple[str, ...] = ("events", "rows")
"""What the co-sponsor ranking counts: events, or the source rows they come from."""
MEASURES: tuple[str, ...] = ("degree", "betweenness", "eigenvector", "pagerank", "closeness")
EXACT_BETWEENNESS_MAX_NODES = 2000
BETWEENNESS_SAMPLES = 256
SEED = 42
_CACHE: dict[tuple[Any, ...], Any] = {}
_CACHE_LIMIT = 256


@dataclass(frozen=True)
class Filters:
    """Which part of the graph to analyse: a time window, a source document, a theme, a type."""

    start: dt.date | None = None
    end: dt.date | None = None
    doc: str | None = None
    theme: str | None = None
    org_type: str | None = None

    @classmethod
    def parse(
        cls,
        start: str | None = None,
        end: str | None = None,
        doc: str | None = None,
        theme: str | None = None,
        org_type: str | None = None,
    ) -> Filters:
        """Filters from text: dates as YYYY, YYYY-MM or YYYY-MM-DD (a year means all of it)."""
        first = parse_partial(start).first_day() if start else None
        last = parse_partial(end).last_day() if end else None
        if first and last and last < first:
            raise ParseError(f"the window ends ({end}) before it starts ({start})")
        return cls(first, last, doc or None, theme or None, org_type or None)


@dataclass(frozen=True)
class Organization:
    """An organization as analytics shows it."""

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
    """An event as analytics sees it: when, and who organized it."""

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
            graph_ = nx.Graph()
            for event in self.events.values():
                graph_.add_nodes_from(event.organizers)
                for a, b in itertools.combinations(sorted(event.organizers), 2):
                    shared[(a, b)].append(event.iri)
            for (a, b), events in shared.items():
                graph_.add_edge(a, b, weight=len(events), distance=1 / len(events), events=events)
            for node in graph_.nodes:
                graph_.nodes[node]["label"] = self.organizations[node].label
            self._graphs["cosponsorship"] = graph_
        return self._graphs["cosponsorship"]

    def bipartite(self) -> nx.Graph:
        """Organizations and events, an edge for each organizer."""
        if "bipartite" not in self._graphs:
            graph_ = nx.Graph()
            for event in self.events.values():
                graph_.add_node(event.iri, bipartite="event", label=event.label)
                for org in event.organizers:
                    graph_.add_node(org, bipartite="organization")
                    graph_.add_edge(org, event.iri)
            self._graphs["bipartite"] = graph_
        return self._graphs["bipartite"]


def projection(store: GraphStore, minter: Minter, filters: Filters = Filters()) -> Projection:
    """The filtered projection of the graph (cached per graph version and filters)."""
    found: Projection = cached(
        store, ("projection", filters), lambda: _project(store, minter, filters)
    )
    return found


def cached(store: GraphStore, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """compute(), remembered per graph version and key (a rebuild makes a new version)."""
    full = (store.info.version, id(store) if store.info.version == "unversioned" else 0, *key)
    if full not in _CACHE:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[full] = compute()
    return _CACHE[full]


def clear_cache() -> None:
    """Forget every cached result."""
    _CACHE.clear()


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
        if filters.org_type and known is not None and known.type != filters.org_type:
            continue
        organizers[event_iri].add(org)
        row = f"{r['rowGraph']}#row-{r['rowPosition']}" if r["rowGraph"] else None
        info[event_iri] = (str(r["label"] or event_iri), _partial(r["start"]), row)
    events: dict[str, Event] = {}
    for iri, orgs in organizers.items():
        label, start, row = info[iri]
        event = Event(iri, label, start, frozenset(orgs), frozenset(themes.get(iri, ())), row)
        if _passes(event, filters):
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


def _passes(event: Event, filters: Filters) -> bool:
    if filters.theme and not any(
        t == filters.theme or t.rsplit("/", 1)[-1] == filters.theme for t in event.themes
    ):
        return False
    if filters.start or filters.end:
        if event.start is None:
            return False
        first = filters.start or dt.date.min
        last = filters.end or dt.date.max
        if not event.start.overlaps(first, last):
            return False
    return True


# ---------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Cosponsor:
    """One organization's place in the co-sponsor ranking."""

    org: Organization
    events: int
    joint_events: int
    rows: int = 0
    """Table rows (or prose events) its events come from: two side events of one row count once."""
    joint_rows: int = 0

    @property
    def iri(self) -> str:
        """The organization's IRI."""
        return self.org.iri

    @property
    def id(self) -> str:
        """The organization's key."""
        return self.org.id

    @property
    def label(self) -> str:
        """The organization's preferred label."""
        return self.org.label

    @property
    def acronym(self) -> str | None:
        """The organization's acronym."""
        return self.org.acronym


def cosponsors(
    store: GraphStore,
    minter: Minter,
    *,
    doc: str | None = None,
    joint_only: bool = False,
    limit: int | None = None,
    filters: Filters | None = None,
    count: Count = "events",
) -> list[Cosponsor]:
    """Organizations by events organized, or with joint_only by events shared with others.
    With count="rows", a table's row counts once however many events it lists (row 17 of
    the 2006 calendar lists two side events); events found in prose count one each."""
    if count not in COUNTS:
        raise ParseError(f"unknown count {count!r}: one of {', '.join(COUNTS)}")
    chosen = filters or Filters(doc=doc)
    proj = projection(store, minter, chosen)
    key = ("cosponsors", joint_only, chosen, count)
    ranking: list[Cosponsor] = cached(store, key, lambda: _cosponsors(proj, joint_only, count))
    return ranking[:limit] if limit is not None else ranking


def _cosponsors(proj: Projection, joint_only: bool, count: Count = "events") -> list[Cosponsor]:
    counts: Counter[str] = Counter()
    joint: Counter[str] = Counter()
    rows_: dict[str, set[str]] = defaultdict(set)
    joint_rows: dict[str, set[str]] = defaultdict(set)
    for event in proj.events.values():
        counts.update(event.organizers)
        for org in event.organizers:
            rows_[org].add(event.item)
        if len(event.organizers) > 1:
            joint.update(event.organizers)
            for org in event.organizers:
                joint_rows[org].add(event.item)
    ranking = [
        Cosponsor(proj.organizations[o], n, joint[o], len(rows_[o]), len(joint_rows[o]))
        for o, n in counts.items()
    ]

    def chosen(c: Cosponsor) -> tuple[int, int]:
        return (c.rows, c.joint_rows) if count == "rows" else (c.events, c.joint_events)

    if joint_only:
        ranking = [c for c in ranking if c.joint_events]
        ranking.sort(key=lambda c: (-chosen(c)[1], -chosen(c)[0], c.label))
    else:
        ranking.sort(key=lambda c: (-chosen(c)[0], -chosen(c)[1], c.label))
    return ranking


@dataclass(frozen=True)
class Score:
    """An organization's score in a centrality measure."""

    org: Organization
    score: float


def centrality(
    store: GraphStore, minter: Minter, measure: str, filters: Filters = Filters()
) -> list[Score]:
    """Organizations by a centrality measure of the co-sponsorship graph, highest first."""
    if measure not in MEASURES:
        raise ParseError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")
    proj = projection(store, minter, filters)
    ranking: list[Score] = cached(
        store, ("centrality", measure, filters), lambda: _ranked(proj, measure)
    )
    return ranking


def _ranked(proj: Projection, measure: str) -> list[Score]:
    scores = _centrality(proj, measure)
    ranking = [Score(proj.organizations[o], s) for o, s in scores.items()]
    return sorted(ranking, key=lambda s: (-s.score, s.org.label))


def _centrality(proj: Projection, measure: str) -> dict[str, float]:
    graph_ = proj.cosponsorship()
    if graph_.number_of_nodes() == 0:
        return {}
    if measure == "degree":
        return {n: float(d) for n, d in graph_.degree(weight="weight")}
    if measure == "betweenness":
        exact = graph_.number_of_nodes() <= EXACT_BETWEENNESS_MAX_NODES
        k = None if exact else BETWEENNESS_SAMPLES
        result: dict[str, float] = nx.betweenness_centrality(
            graph_, k=k, weight="distance", seed=SEED
        )
        return result
    if measure == "eigenvector":
        if graph_.number_of_edges() == 0:
            return dict.fromkeys(graph_.nodes, 0.0)
        # Power iteration is defined on disconnected graphs too (the numpy solver is not).
        result = nx.eigenvector_centrality(graph_, weight="weight", max_iter=1000, tol=1e-08)
        return {n: abs(v) for n, v in result.items()}
    if measure == "pagerank":
        result = nx.pagerank(graph_, weight="weight")
        return result
    result = nx.closeness_centrality(graph_, distance="distance")
    return result


@dataclass(frozen=True)
class Pair:
    """Two organizations and the events they organized together."""

    orgs: tuple[Organization, Organization]
    shared_events: int
    events: tuple[str, ...]


def pairs(store: GraphStore, minter: Minter, filters: Filters = Filters()) -> list[Pair]:
    """Pairs of organizations by events shared, strongest first."""
    proj = projection(store, minter, filters)
    found: list[Pair] = cached(store, ("pairs", filters), lambda: _pairs(proj))
    return found


def _pairs(proj: Projection) -> list[Pair]:
    graph_ = proj.cosponsorship()
    found = [
        Pair(
            _ordered(proj.organizations[a], proj.organizations[b]),
            int(data["weight"]),
            tuple(sorted(data["events"])),
        )
        for a, b, data in graph_.edges(data=True)
    ]
    return sorted(found, key=lambda p: (-p.shared_events, p.orgs[0].label, p.orgs[1].label))


def _ordered(a: Organization, b: Organization) -> tuple[Organization, Organization]:
    return (a, b) if (a.label, a.iri) <= (b.label, b.iri) else (b, a)


@dataclass(frozen=True)
class Community:
    """A Louvain community, named after its most central member."""

    id: int
    label: str
    members: tuple[Organization, ...]


def communities(store: GraphStore, minter: Minter, filters: Filters = Filters()) -> list[Community]:
    """Louvain communities of the co-sponsorship graph, largest first."""
    proj = projection(store, minter, filters)
    graph_ = proj.cosponsorship()

    def compute() -> list[set[str]]:
        found: list[set[str]] = nx.community.louvain_communities(graph_, weight="weight", seed=SEED)
        return found

    groups = cached(store, ("communities", filters), compute)
    strength = dict(graph_.degree(weight="weight"))
    out = []
    ranked = sorted(groups, key=lambda g: (-len(g), -sum(strength[n] for n in g)))
    for index, group in enumerate(ranked, start=1):
        members = sorted(group, key=lambda n: (-strength[n], proj.organizations[n].label))
        head = proj.organizations[members[0]]
        out.append(
            Community(
                index, head.acronym or head.label, tuple(proj.organizations[m] for m in members)
            )
        )
    return out


@dataclass(frozen=True)
class Hop:
    """One step of a collaboration path, with the events the two organized together."""

    source: Organization
    target: Organization
    events: tuple[str, ...]


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


def path(
    store: GraphStore, minter: Minter, source: str, target: str, filters: Filters = Filters()
) -> list[Hop]:
    """The strongest shortest collaboration path between two organizations."""
    proj = projection(store, minter, filters)
    graph_ = proj.cosponsorship()
    a, b = resolve_org(proj, source), resolve_org(proj, target)
    if a not in graph_ or b not in graph_:
        missing = proj.organizations[a if a not in graph_ else b].label
        raise NotFound(f"{missing} organized no event in this selection")
    try:
        nodes = nx.shortest_path(graph_, a, b, weight="distance")
    except nx.NetworkXNoPath as exc:
        raise NotFound(
            f"no collaboration path between {proj.organizations[a].label} and "
            f"{proj.organizations[b].label}"
        ) from exc
    return [
        Hop(proj.organizations[x], proj.organizations[y], tuple(sorted(graph_[x][y]["events"])))
        for x, y in itertools.pairwise(nodes)
    ]


def ego(
    store: GraphStore, minter: Minter, org: str, radius: int = 1, filters: Filters = Filters()
) -> nx.Graph:
    """An organization's ego network in the co-sponsorship graph."""
    proj = projection(store, minter, filters)
    center = resolve_org(proj, org)
    graph_ = proj.cosponsorship()
    if center not in graph_:
        return nx.Graph()
    found: nx.Graph = nx.ego_graph(graph_, center, radius=radius)
    return found


@dataclass(frozen=True)
class Change:
    """How an organization's yearly event count moved between two years."""

    org: Organization
    year: int
    events: int
    previous: int

    @property
    def delta(self) -> int:
        """Events this year minus events the year before."""
        return self.events - self.previous


def yearly(
    store: GraphStore, minter: Minter, filters: Filters = Filters()
) -> dict[int, Counter[str]]:
    """Events organized per organization, year by year."""
    proj = projection(store, minter, filters)
    years: dict[int, Counter[str]] = defaultdict(Counter)
    for event in proj.events.values():
        if event.year is not None:
            years[event.year].update(event.organizers)
    return dict(sorted(years.items()))


def risers_and_fallers(
    store: GraphStore, minter: Minter, filters: Filters = Filters(), limit: int = 5
) -> dict[int, tuple[list[Change], list[Change]]]:
    """For each year, who rose and who fell most against the year before."""
    proj = projection(store, minter, filters)
    years = yearly(store, minter, filters)
    out: dict[int, tuple[list[Change], list[Change]]] = {}
    for before, year in itertools.pairwise(sorted(years)):
        orgs = set(years[year]) | set(years[before])
        changes = [
            Change(proj.organizations[o], year, years[year][o], years[before][o]) for o in orgs
        ]
        changes.sort(key=lambda c: (-c.delta, c.org.label))
        rose = [c for c in changes if c.delta > 0][:limit]
        fell = [c for c in reversed(changes) if c.delta < 0][:limit]
        out[year] = (rose, fell)
    return out


def mandate_graph(store: GraphStore) -> nx.DiGraph:
    """Instrument -> paragraph -> activity/event, from the implementation links."""
    graph_ = nx.DiGraph()
    query = """
        SELECT DISTINCT ?instrument ?paragraph ?implementer ?basis WHERE {
          ?instrument mkg:paragraph ?paragraph .
          OPTIONAL { ?link mkg:paragraph ?paragraph ; mkg:implementer ?implementer ;
                           mkg:linkBasis ?basis }
        }"""
    for r in rows(store.query(query)):
        graph_.add_edge(str(r["instrument"]), str(r["paragraph"]), kind="paragraph")
        if r["implementer"]:
            graph_.add_edge(
                str(r["paragraph"]), str(r["implementer"]), kind="implements", basis=r["basis"]
            )
    return graph_


def event_labels(store: GraphStore, minter: Minter, iris: Iterable[str]) -> dict[str, str]:
    """Labels of events, from the unfiltered projection."""
    proj = projection(store, minter)
    return {i: proj.events[i].label if i in proj.events else i for i in iris}
