"""The co-sponsorship network as the browser draws it: laid out on the server, capped.

vis-network with physics on takes minutes to settle past a thousand nodes, so positions
are computed here (NetworkX's spring layout, seeded, weighted by shared events) and the
page draws them with physics off. What is drawn is capped: the top `max_nodes`
organizations by strength (events shared with others, then events organized), and the
answer says how many were left out and how to widen the view. pyvis builds the node and
edge records and the vis options; the page's own autoescaping template draws them.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import dataclass, field
from typing import Any, Literal

import igraph as ig
import networkx as nx
from pyvis.network import Network

from graph.errors import NotFound, ParseError
from graph.model.iris import Minter
from graph.read import derived
from graph.read.analytics import SEED, communities
from graph.read.filters import Filters
from graph.read.projection import Projection, projection, resolve_org
from graph.read.terms import rows
from graph.store.backend import GraphStore
from graph.store.queries import load_query

DEFAULT_MAX_NODES = 150
LARGEST_MAX_NODES = 3000
EXTENT = 1000.0
"""Half the width of the drawing, in vis-network units."""
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#17becf", "#bcbd22", "#8c564b",
)  # fmt: skip
"""Tableau 10 and a few more: distinct on white, stable by position."""
OTHER = "#c7ccd4"
MIN_COMMUNITY = 3
"""Communities smaller than this share one grey: colours are kept for real groups."""
ColorBy = Literal["community", "type"]


@dataclass(frozen=True)
class NetworkRequest:
    """What to draw: the analytics window, a minimum edge weight, a focus, a cap."""

    filters: Filters = field(default_factory=Filters)
    min_shared: int = 1
    org: str | None = None
    max_nodes: int = DEFAULT_MAX_NODES
    color_by: ColorBy = "community"

    def __post_init__(self) -> None:
        if not 1 <= self.max_nodes <= LARGEST_MAX_NODES:
            raise ParseError(f"max_nodes must be between 1 and {LARGEST_MAX_NODES:,}")
        if self.min_shared < 1:
            raise ParseError("min_shared must be 1 or more")


@dataclass(frozen=True)
class NetworkView:
    """Nodes and edges ready for vis-network, with the legend and what was left out."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    options: dict[str, Any]
    legend: list[tuple[str, str]]
    total_nodes: int
    total_edges: int
    focus: str | None
    layout_seconds: float

    @property
    def left_out(self) -> int:
        """Organizations in the selection that are not drawn."""
        return self.total_nodes - len(self.nodes)


def network(store: GraphStore, minter: Minter, request: NetworkRequest) -> NetworkView:
    """The view of the co-sponsorship network a request asks for (cached per graph version)."""
    view: NetworkView = derived.cached(
        store, ("viz-network", request), lambda: _network(store, minter, request)
    )
    return view


def _network(store: GraphStore, minter: Minter, request: NetworkRequest) -> NetworkView:
    proj = projection(store, minter, request.filters)
    whole = proj.cosponsorship()
    graph_ = nx.Graph()
    graph_.add_nodes_from(whole.nodes(data=True))
    graph_.add_edges_from(
        (a, b, d) for a, b, d in whole.edges(data=True) if d["weight"] >= request.min_shared
    )
    focus = None
    if request.org:
        focus = resolve_org(proj, request.org)
        if focus not in graph_:
            raise NotFound(
                f"{proj.organizations[focus].label} organized no event in this selection"
            )
        graph_ = nx.ego_graph(graph_, focus, radius=1)
    events = _event_counts(proj)
    strength = dict(graph_.degree(weight="weight"))
    ranked = sorted(graph_.nodes, key=lambda n: (-strength[n], -events.get(n, 0), n))
    kept = set(ranked[: request.max_nodes]) | ({focus} if focus else set())
    drawn = graph_.subgraph(kept)
    started = time.perf_counter()
    labels = {n: proj.organizations[n].acronym or proj.organizations[n].label for n in drawn}
    positions = _layout(drawn, labels)
    layout_seconds = time.perf_counter() - started
    colors, legend = _colors(store, minter, request, proj, drawn)
    net = Network(directed=False, cdn_resources="remote")
    for node in sorted(drawn.nodes):
        org = proj.organizations[node]
        x, y = positions[node]
        net.nodes.append(
            {
                "id": node,
                "key": org.id,
                "label": labels[node],
                "name": org.label,
                "type": org.type or "",
                "events": events.get(node, 0),
                "shared": strength[node],
                "size": 8 + 5 * math.sqrt(events.get(node, 0)),
                "color": colors[node],
                "x": round(x, 1),
                "y": round(y, 1),
                "borderWidth": 3 if node == focus else 1,
                "font": {"size": round(18 + 4 * math.sqrt(events.get(node, 0)))},
            }
        )
    for a, b, data in sorted(drawn.edges(data=True), key=lambda e: (e[0], e[1])):
        net.edges.append(
            {
                "from": a,
                "to": b,
                "value": data["weight"],
                "width": 1 + 1.5 * math.log2(data["weight"]),
                "shared": data["weight"],
            }
        )
    net.toggle_physics(False)
    _, _, _, _, _, options = net.get_network_data()
    return NetworkView(
        nodes=net.nodes,
        edges=net.edges,
        options=_options(options),
        legend=legend,
        total_nodes=graph_.number_of_nodes(),
        total_edges=graph_.number_of_edges(),
        focus=focus,
        layout_seconds=layout_seconds,
    )


def _event_counts(proj: Projection) -> dict[str, int]:
    counts: dict[str, int] = {}
    for event in proj.events.values():
        for org in event.organizers:
            counts[org] = counts.get(org, 0) + 1
    return counts


def _layout(graph_: nx.Graph, labels: dict[str, str]) -> dict[str, tuple[float, float]]:
    """The largest connected group by a seeded spring layout, scaled to the drawing; the
    smaller groups and loners packed in rows beneath it, as Gephi and Cytoscape do, so
    that they don't shrink the main picture to a dot."""
    groups = sorted(nx.connected_components(graph_), key=lambda c: (-len(c), min(c)))
    if not groups:
        return {}
    positions = _spring(graph_.subgraph(groups[0]))
    bottom = max((y for _, y in positions.values()), default=0.0) + 150
    row = 70.0
    x, y = -EXTENT, bottom
    for group in groups[1:]:
        members = sorted(group)
        # room for each label: about 14 units a character at the drawing's font size
        widths = [max(120.0, 14.0 * len(labels[m])) for m in members]
        if x + sum(widths) > EXTENT and x > -EXTENT:
            x, y = -EXTENT, y + row
        for member, width in zip(members, widths, strict=True):
            positions[member] = (x + width / 2, y)
            x += width
    return positions


def _spring(graph_: nx.Graph) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold by igraph (in C: 0.3 s for 3,000 nodes and 72,000 edges where
    NetworkX's spring_layout takes 27 s), seeded, scaled to [-EXTENT, EXTENT]."""
    names = sorted(graph_.nodes)
    if len(names) == 1:
        return {names[0]: (0.0, 0.0)}
    index = {name: i for i, name in enumerate(names)}
    edges = sorted((index[a], index[b], d["weight"]) for a, b, d in graph_.edges(data=True))
    layout_graph = ig.Graph(n=len(names), edges=[(a, b) for a, b, _ in edges])
    ig.set_random_number_generator(random.Random(SEED))
    try:
        found = layout_graph.layout_fruchterman_reingold(
            weights=[math.log2(1 + w) for _, _, w in edges], niter=500
        )
    finally:
        ig.set_random_number_generator(random)
    xs, ys = zip(*found.coords, strict=True)
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {
        name: ((x - cx) / span * 2 * EXTENT, (y - cy) / span * 2 * EXTENT)
        for name, (x, y) in zip(names, found.coords, strict=True)
    }


def _colors(
    store: GraphStore,
    minter: Minter,
    request: NetworkRequest,
    proj: Projection,
    drawn: nx.Graph,
) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """A colour per drawn node, and the legend (name, colour) of what is drawn."""
    if request.color_by == "type":
        types = sorted({proj.organizations[n].type or "unknown" for n in drawn.nodes})
        palette = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}
        colors = {n: palette[proj.organizations[n].type or "unknown"] for n in drawn.nodes}
        return colors, [(t, palette[t]) for t in types]
    groups = communities(store, minter, request.filters)
    colors, legend = {}, []
    named = [g for g in groups if len(g.members) >= MIN_COMMUNITY][: len(PALETTE)]
    for rank, group in enumerate(named):
        members = [m.iri for m in group.members if m.iri in drawn]
        for member in members:
            colors[member] = PALETTE[rank]
        if members:
            legend.append((f"around {group.label} ({len(group.members)})", PALETTE[rank]))
    if any(n not in colors for n in drawn.nodes):
        legend.append((f"communities under {MIN_COMMUNITY}, or past the palette", OTHER))
    return {n: colors.get(n, OTHER) for n in drawn.nodes}, legend


def _options(pyvis_options: str) -> dict[str, Any]:
    """pyvis's options, with what a fixed layout needs on top."""
    options: dict[str, Any] = json.loads(pyvis_options)
    options["physics"] = {"enabled": False}
    options["interaction"] = {
        "hover": True,
        "tooltipDelay": 150,
        "navigationButtons": False,
        "keyboard": False,
        "hideEdgesOnDrag": True,
    }
    options["nodes"] = {
        "shape": "dot",
        "font": {"face": "system-ui", "strokeWidth": 4, "strokeColor": "#ffffff"},
    }
    options["edges"] = {
        "color": {"color": "#9aa5b1", "highlight": "#1f6feb", "hover": "#1f6feb"},
        "smooth": False,
    }
    return options


@dataclass(frozen=True)
class Choices:
    """What the page's filter controls offer, read from the graph."""

    years: tuple[int, int]
    themes: list[tuple[str, str]]
    documents: list[tuple[str, str]]
    types: list[str]
    organizations: list[tuple[str, str]]


def choices(store: GraphStore, minter: Minter) -> Choices:
    """Years, themes, documents, types and organizations to filter by (cached)."""

    def compute() -> Choices:
        proj = projection(store, minter)
        years = [e.start.year for e in proj.events.values() if e.start]
        themes = [
            (key_of(str(r["theme"])), str(r["label"]))
            for r in rows(store.query(load_query("themes")))
        ]
        documents = [
            (str(r["id"]), str(r["title"])) for r in rows(store.query(load_query("documents")))
        ]
        active = {o for e in proj.events.values() for o in e.organizers}
        organizations = sorted(
            ((proj.organizations[o].id, proj.organizations[o].label) for o in active),
            key=lambda o: o[1].casefold(),
        )
        types = sorted({proj.organizations[o].type or "" for o in active} - {""})
        return Choices(
            (min(years, default=2000), max(years, default=2000)),
            themes,
            documents,
            types,
            organizations,
        )

    found: Choices = derived.cached(store, ("viz-choices",), compute)
    return found


def key_of(iri: str) -> str:
    """The last segment of an IRI."""
    return iri.rsplit("/", 1)[-1]
