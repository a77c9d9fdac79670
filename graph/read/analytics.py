"""Who works with whom: the measures of the co-sponsorship graph, each registered once.

The measures read the projection (graph.read.projection) and are cached per graph version and
what was asked (graph.read.derived). Each is a `Measure` in MEASURES: its name, what it says,
the function that computes it and the fields of its result. The API (/api/analytics/...),
the CLI (`mkg analytics`, `mkg top`) and the OpenAPI description read that table, so a
new centrality is one entry in CENTRALITIES. Measures call NetworkX's public functions,
which go through its backend dispatch: with nx-parallel or nx-cugraph installed and
configured (`nx.config.backend_priority`), they take over unchanged.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from graph.errors import MkgError, NotFound, ParseError
from graph.model.iris import Minter
from graph.read import derived
from graph.read.filters import EVERYTHING, Filters
from graph.read.projection import Organization, Projection, event_labels, projection, resolve_org
from graph.read.terms import rows
from graph.store.backend import GraphStore
from graph.store.queries import load_query

log = logging.getLogger(__name__)

Count = Literal["events", "rows"]
COUNTS: tuple[str, ...] = ("events", "rows")
"""What the co-sponsor ranking counts: events, or the source rows they come from."""
EXACT_BETWEENNESS_MAX_NODES = 2000
BETWEENNESS_SAMPLES = 256
SEED = 42


# ------------------------------------------------------------------ the co-sponsor ranking


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
    ranking = derived.cached(store, key, lambda: _cosponsors(proj, joint_only, count))
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


# ---------------------------------------------------------------------------- centrality


@dataclass(frozen=True)
class Score:
    """An organization's score in a centrality measure."""

    org: Organization
    score: float


def _degree(nx_graph: nx.Graph) -> dict[str, float]:
    return {n: float(d) for n, d in nx_graph.degree(weight="weight")}


def _betweenness(nx_graph: nx.Graph) -> dict[str, float]:
    exact = nx_graph.number_of_nodes() <= EXACT_BETWEENNESS_MAX_NODES
    k = None if exact else BETWEENNESS_SAMPLES
    result: dict[str, float] = nx.betweenness_centrality(
        nx_graph, k=k, weight="distance", seed=SEED
    )
    return result


def _eigenvector(nx_graph: nx.Graph) -> dict[str, float]:
    if nx_graph.number_of_edges() == 0:
        return dict.fromkeys(nx_graph.nodes, 0.0)
    # Power iteration is defined on disconnected graphs too (the numpy solver is not).
    result = nx.eigenvector_centrality(nx_graph, weight="weight", max_iter=1000, tol=1e-08)
    return {n: abs(v) for n, v in result.items()}


def _pagerank(nx_graph: nx.Graph) -> dict[str, float]:
    result: dict[str, float] = nx.pagerank(nx_graph, weight="weight")
    return result


def _closeness(nx_graph: nx.Graph) -> dict[str, float]:
    result: dict[str, float] = nx.closeness_centrality(nx_graph, distance="distance")
    return result


@dataclass(frozen=True)
class Centrality:
    """A centrality of the co-sponsorship graph: what it says and how it is computed
    (node -> score; edges carry `weight`, events shared, and `distance`, its inverse)."""

    name: str
    description: str
    score: Callable[[nx.Graph], dict[str, float]]


CENTRALITIES: dict[str, Centrality] = {
    c.name: c
    for c in (
        Centrality("degree", "Weighted degree: events shared with all partners.", _degree),
        Centrality(
            "betweenness",
            "Betweenness: how often an organization lies on the strongest paths between "
            f"others (sampled past {EXACT_BETWEENNESS_MAX_NODES:,} organizations).",
            _betweenness,
        ),
        Centrality(
            "eigenvector", "Eigenvector: ties to organizations that are central.", _eigenvector
        ),
        Centrality("pagerank", "PageRank over events shared.", _pagerank),
        Centrality(
            "closeness", "Closeness: how near, over strong ties, to every other.", _closeness
        ),
    )
}
"""Every centrality, in the order the API and the CLI list them. Add one here."""


def centrality(
    store: GraphStore, minter: Minter, measure: str, filters: Filters = EVERYTHING
) -> list[Score]:
    """Organizations by a centrality measure of the co-sponsorship graph, highest first."""
    chosen = CENTRALITIES.get(measure)
    if chosen is None:
        raise ParseError(f"unknown measure {measure!r}; use one of {', '.join(CENTRALITIES)}")
    proj = projection(store, minter, filters)
    return derived.cached(store, ("centrality", measure, filters), lambda: _ranked(proj, chosen))


def _ranked(proj: Projection, measure: Centrality) -> list[Score]:
    nx_graph = proj.cosponsorship()
    scores = measure.score(nx_graph) if nx_graph.number_of_nodes() else {}
    ranking = [Score(proj.organizations[o], s) for o, s in scores.items()]
    return sorted(ranking, key=lambda s: (-s.score, s.org.label))


# --------------------------------------------------------------------------------- pairs


@dataclass(frozen=True)
class Pair:
    """Two organizations and the events they organized together."""

    orgs: tuple[Organization, Organization]
    shared_events: int
    events: tuple[str, ...]


def pairs(store: GraphStore, minter: Minter, filters: Filters = EVERYTHING) -> list[Pair]:
    """Pairs of organizations by events shared, strongest first."""
    proj = projection(store, minter, filters)
    return derived.cached(store, ("pairs", filters), lambda: _pairs(proj))


def _pairs(proj: Projection) -> list[Pair]:
    nx_graph = proj.cosponsorship()
    found = [
        Pair(
            _ordered(proj.organizations[a], proj.organizations[b]),
            int(data["weight"]),
            tuple(sorted(data["events"])),
        )
        for a, b, data in nx_graph.edges(data=True)
    ]
    return sorted(found, key=lambda p: (-p.shared_events, p.orgs[0].label, p.orgs[1].label))


def _ordered(a: Organization, b: Organization) -> tuple[Organization, Organization]:
    return (a, b) if (a.label, a.iri) <= (b.label, b.iri) else (b, a)


# --------------------------------------------------------------------------- communities


@dataclass(frozen=True)
class Community:
    """A Louvain community, named after its most central member."""

    id: int
    label: str
    members: tuple[Organization, ...]


def communities(
    store: GraphStore, minter: Minter, filters: Filters = EVERYTHING
) -> list[Community]:
    """Louvain communities of the co-sponsorship graph, largest first."""
    proj = projection(store, minter, filters)
    return derived.cached(store, ("communities", filters), lambda: _communities(proj))


def _communities(proj: Projection) -> list[Community]:
    nx_graph = proj.cosponsorship()
    groups: list[set[str]] = nx.community.louvain_communities(nx_graph, weight="weight", seed=SEED)
    strength = dict(nx_graph.degree(weight="weight"))
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


# ---------------------------------------------------------------------- paths and egos


@dataclass(frozen=True)
class Hop:
    """One step of a collaboration path, with the events the two organized together."""

    source: Organization
    target: Organization
    events: tuple[str, ...]


def path(
    store: GraphStore, minter: Minter, source: str, target: str, filters: Filters = EVERYTHING
) -> list[Hop]:
    """The strongest shortest collaboration path between two organizations."""
    proj = projection(store, minter, filters)
    nx_graph = proj.cosponsorship()
    a, b = resolve_org(proj, source), resolve_org(proj, target)
    if a not in nx_graph or b not in nx_graph:
        missing = proj.organizations[a if a not in nx_graph else b].label
        raise NotFound(f"{missing} organized no event in this selection")
    try:
        nodes = nx.shortest_path(nx_graph, a, b, weight="distance")
    except nx.NetworkXNoPath as exc:
        raise NotFound(
            f"no collaboration path between {proj.organizations[a].label} and "
            f"{proj.organizations[b].label}"
        ) from exc
    return [
        Hop(proj.organizations[x], proj.organizations[y], tuple(sorted(nx_graph[x][y]["events"])))
        for x, y in itertools.pairwise(nodes)
    ]


def ego(
    store: GraphStore, minter: Minter, org: str, radius: int = 1, filters: Filters = EVERYTHING
) -> nx.Graph:
    """An organization's ego network in the co-sponsorship graph."""
    proj = projection(store, minter, filters)
    center = resolve_org(proj, org)
    nx_graph = proj.cosponsorship()
    if center not in nx_graph:
        return nx.Graph()
    found: nx.Graph = nx.ego_graph(nx_graph, center, radius=radius)
    return found


# --------------------------------------------------------------------------------- years


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
    store: GraphStore, minter: Minter, filters: Filters = EVERYTHING
) -> dict[int, Counter[str]]:
    """Events organized per organization, year by year."""
    proj = projection(store, minter, filters)
    years: dict[int, Counter[str]] = defaultdict(Counter)
    for event in proj.events.values():
        if event.year is not None:
            years[event.year].update(event.organizers)
    return dict(sorted(years.items()))


def risers_and_fallers(
    store: GraphStore, minter: Minter, filters: Filters = EVERYTHING, limit: int = 5
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
    nx_graph = nx.DiGraph()
    for r in rows(store.query(load_query("mandate_graph"))):
        nx_graph.add_edge(str(r["instrument"]), str(r["paragraph"]), kind="paragraph")
        if r["implementer"]:
            nx_graph.add_edge(
                str(r["paragraph"]), str(r["implementer"]), kind="implements", basis=r["basis"]
            )
    return nx_graph


# ------------------------------------------------------------------------ the registry


@dataclass(frozen=True)
class Ask:
    """What a reader asks of a measure besides the filters (each measure reads its own)."""

    filters: Filters = EVERYTHING
    limit: int = 20
    joint_only: bool = False
    count: Count = "events"
    source: str | None = None
    target: str | None = None


@dataclass(frozen=True)
class Field:
    """One field of a measure's result as a table shows it: its key, heading and meaning."""

    key: str
    heading: str
    description: str


Records = list[dict[str, Any]]


@dataclass(frozen=True)
class Measure:
    """A measure registered once: what the API, the CLI and the docs know of it.

    `compute` answers an Ask with the measure's items (the API shapes those into its JSON);
    `records` turns them into rows of `fields` (the CLI's table, CSV and JSON); `route` is
    its path under /api/analytics, if it has one (graph.views.plots.draw draws the items of
    those it can as a PNG); `limited` says whether `limit` cuts the list (a path is
    shown whole; the yearly changes take the limit per year)."""

    name: str
    description: str
    fields: tuple[Field, ...]
    compute: Callable[[GraphStore, Minter, Ask], Sequence[Any]]
    records: Callable[[Sequence[Any], Ask], Records]
    route: str | None = None
    limited: bool = True


def _org(org: Organization) -> str:
    return org.acronym or org.label


def _path(store: GraphStore, minter: Minter, ask: Ask) -> list[tuple[Hop, list[str]]]:
    """The hops of the path, each with the labels of its events."""
    if not ask.source or not ask.target:
        raise MkgError("path needs --source and --target")
    hops = path(store, minter, ask.source, ask.target, ask.filters)
    labels = event_labels(store, minter, (e for h in hops for e in h.events))
    return [(h, [labels[e] for e in h.events]) for h in hops]


def _years(
    store: GraphStore, minter: Minter, ask: Ask
) -> list[tuple[int, list[Change], list[Change]]]:
    changes = risers_and_fallers(store, minter, ask.filters, limit=ask.limit)
    return [(year, rose, fell) for year, (rose, fell) in changes.items()]


def _centrality_measure(spec: Centrality) -> Measure:
    return Measure(
        name=spec.name,
        description=spec.description,
        fields=(
            Field("organization", "organization", "The organization's preferred label."),
            Field("score", spec.name, f"Its {spec.name} score, rounded to 4 places."),
        ),
        compute=lambda store, minter, ask: centrality(store, minter, spec.name, ask.filters),
        records=lambda items, ask: [
            {"organization": s.org.label, "score": round(s.score, 4)} for s in items
        ],
        route=f"centrality?measure={spec.name}",
    )


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure(
            name="cosponsors",
            description="Organizations by events organized (all, and joint: with two or more "
            "organizers).",
            fields=(
                Field("organization", "organization", "The organization's preferred label."),
                Field("events", "events", "Events it organized."),
                Field("joint_events", "joint events", "Of those, events with other organizers."),
            ),
            compute=lambda store, minter, ask: cosponsors(
                store, minter, filters=ask.filters, joint_only=ask.joint_only, count=ask.count
            ),
            records=lambda items, ask: [
                {"organization": c.label, "events": c.events, "joint_events": c.joint_events}
                for c in items
            ],
            route="cosponsors",
        ),
        Measure(
            name="pairs",
            description="Pairs of organizations by events organized together, strongest first.",
            fields=(
                Field("a", "organization", "One organization."),
                Field("b", "partner", "The other."),
                Field("shared_events", "shared events", "Events the two organized together."),
            ),
            compute=lambda store, minter, ask: pairs(store, minter, ask.filters),
            records=lambda items, ask: [
                {"a": p.orgs[0].label, "b": p.orgs[1].label, "shared_events": p.shared_events}
                for p in items
            ],
            route="pairs",
        ),
        Measure(
            name="communities",
            description="Louvain communities of the co-sponsorship network, largest first, "
            "each named after its most central member.",
            fields=(
                Field("label", "community", "Its most central member."),
                Field("size", "size", "Organizations in it."),
                Field("members", "members", "Its members, most central first."),
            ),
            compute=lambda store, minter, ask: communities(store, minter, ask.filters),
            records=lambda items, ask: [
                {
                    "label": c.label,
                    "size": len(c.members),
                    "members": ", ".join(_org(m) for m in c.members),
                }
                for c in items
            ],
            route="communities",
        ),
        *(_centrality_measure(c) for c in CENTRALITIES.values()),
        Measure(
            name="path",
            description="The strongest shortest collaboration path between two organizations, "
            "with the events on each hop.",
            fields=(
                Field("from", "from", "An organization on the path."),
                Field("to", "to", "The next one."),
                Field("events", "shared events", "The events the two organized together."),
            ),
            compute=_path,
            records=lambda items, ask: [
                {"from": h.source.label, "to": h.target.label, "events": "; ".join(labels)}
                for h, labels in items
            ],
            route="path",
            limited=False,
        ),
        Measure(
            name="years",
            description="For each year, who rose and who fell most against the year before.",
            fields=(
                Field("year", "year", "The year."),
                Field("rose", "rose", "Organizations with more events than the year before."),
                Field("fell", "fell", "Organizations with fewer."),
            ),
            compute=_years,
            records=lambda items, ask: [
                {
                    "year": year,
                    "rose": ", ".join(f"{_org(c.org)} +{c.delta}" for c in rose),
                    "fell": ", ".join(f"{_org(c.org)} {c.delta}" for c in fell),
                }
                for year, rose, fell in items
            ],
            limited=False,
        ),
    )
}
"""Every measure, by name: what `mkg analytics` offers and the API and docs describe."""
