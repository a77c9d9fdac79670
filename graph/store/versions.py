"""The versions of a remote store, and the pointer that says which one is served.

A build or load writes a whole new version beside the one being served, then switches
to it in one small update, so readers see the old graph or the new one, never half of
one. Version TAG is a set of graphs named by prefixing the original graph IRI with
`urn:mkg:v:TAG:` (graph.model.iris.version_graph), plus `urn:mkg:v:TAG:merged`, the RDF merge
of the version's graphs, which queries see as their default graph. The graph
`urn:mkg:meta` (graph.model.namespaces.META_GRAPH) says which version is current, and for each
version when it was started, its graphs and (once finished) its GraphInfo. A write
(graph.store.uploads):

1. drops leftovers of writes that never finished and started before the current version;
2. records its start, then uploads its graphs with the Graph Store Protocol (N-Triples,
   chunked); a load first copies the current version's graphs server-side (COPY);
3. fills its merged graph server-side (ADD each graph);
4. and 5. writes its GraphInfo and moves the pointer in ONE update, which happens only
   if the pointer still names the version it started from and its start record is still
   there (a concurrent write's clean-up removes it);
6. drops every version older than the one it replaced.

A kill before step 5 leaves the old version serving; the next write cleans up. The
requests are graph/store/queries/remote/*.rq and *.ru, bound by graph.store.querytext.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph.errors import StoreError
from graph.model.iris import version_graph, version_merged, version_node, version_tag
from graph.model.namespaces import META_GRAPH, NO_GRAPH
from graph.store.backend import GraphInfo
from graph.store.endpoint import Endpoint
from graph.store.queries import load_query, load_update
from graph.store.querytext import Term, fill, sequence, substitute

log = logging.getLogger(__name__)

UPDATES_PER_REQUEST = 200
"""DROP, COPY, ADD or INSERT operations sent together in one update request."""


@dataclass(frozen=True)
class Version:
    """One version on the remote: its tag, its graphs (original IRIs) and its info."""

    tag: str
    graphs: frozenset[str]
    info: GraphInfo | None = None
    """None while the version is being written (or if its write was killed)."""

    @property
    def node(self) -> str:
        """The version's IRI in the meta graph, and the prefix of its graphs' names."""
        return version_node(self.tag)

    @property
    def merged(self) -> str:
        """The graph holding the RDF merge of the version's graphs."""
        return version_merged(self.tag)

    def name(self, graph: str) -> str:
        """The remote name of one of the version's graphs."""
        return version_graph(self.tag, graph)

    def unversion(self, body: bytes) -> bytes:
        """A response body with the version's graph names mapped back to the originals."""
        return body.replace(self.node.encode(), b"")


def new_tag() -> str:
    """A tag for a new version: tags sort by creation time (hex of nanoseconds, fixed
    width)."""
    return f"{time.time_ns():016x}"


def age(tag: str) -> int:
    """When a version was created, from its tag (for comparing versions)."""
    return int(tag, 16)


def state(endpoint: Endpoint) -> tuple[str | None, dict[str, tuple[str, GraphInfo | None]]]:
    """The current tag, and every version's start time and info (None: unfinished)."""
    found = endpoint.rows(load_query("remote/versions"), [NO_GRAPH], [META_GRAPH])
    current, versions = None, {}
    for row in found:
        if row["current"] is not None:
            current = version_tag(row["current"].value)
        elif row["v"] is not None:
            info = row["info"]
            versions[version_tag(row["v"].value)] = (
                row["started"].value,
                GraphInfo(**json.loads(info.value)) if info is not None else None,
            )
    return current, versions


def graphs_of(endpoint: Endpoint, tag: str) -> frozenset[str]:
    """The graphs a version recorded, by their original IRIs."""
    query = substitute(load_query("remote/version_graphs"), {"version": _node(tag)})
    return frozenset(row["g"].value for row in endpoint.rows(query, [NO_GRAPH], [META_GRAPH]))


def current_version(endpoint: Endpoint) -> Version | None:
    """The version the pointer names, or None if the remote holds no graph yet."""
    tag, versions = state(endpoint)
    if tag is None or tag not in versions:
        return None
    return Version(tag, graphs_of(endpoint, tag), versions[tag][1])


def start(endpoint: Endpoint, version: Version) -> None:
    """Step 2: record that the version's write has started (now)."""
    now = ox.Literal(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    values: dict[str, Term] = {"version": _node(version.tag), "started": now}
    endpoint.update(substitute(load_update("remote/start_version"), values))


def record_graphs(endpoint: Endpoint, version: Version, graphs: Iterable[str]) -> None:
    """Record graphs as the version's, before any of their data is written (see `drop`)."""
    node, update = _node(version.tag), load_update("remote/record_graph")
    rows: list[dict[str, Term]] = [{"version": node, "graph": ox.NamedNode(g)} for g in graphs]
    batched(endpoint, [substitute(update, row) for row in rows])


def drop(endpoint: Endpoint, tags: Iterable[str]) -> None:
    """Drop versions: their graphs first, then their records (so a kill between the two
    leaves the records, and the next write finds the graphs again)."""
    for tag in tags:
        version = Version(tag, graphs_of(endpoint, tag))
        names = [version.name(g) for g in sorted(version.graphs)] + [version.merged]
        operation = load_update("remote/drop_graph")
        batched(endpoint, [fill(operation, {"graph": name}) for name in names])
        endpoint.update(substitute(load_update("remote/forget_version"), {"version": _node(tag)}))
        log.info("dropped remote version %s (%d graphs)", tag, len(names))


def batched(endpoint: Endpoint, operations: Sequence[str]) -> None:
    """Run update operations, UPDATES_PER_REQUEST to a request."""
    for first in range(0, len(operations), UPDATES_PER_REQUEST):
        endpoint.update(sequence(operations[first : first + UPDATES_PER_REQUEST]))


def switch(endpoint: Endpoint, version: Version, info: GraphInfo, expected: str | None) -> None:
    """Steps 4 and 5: the version's info and the pointer, in one update, only if the pointer
    still names `expected` and the version's start record is still there."""
    values: dict[str, Term] = {
        "version": _node(version.tag),
        "info": ox.Literal(info.to_json()),
    }
    if expected is None:
        update = load_update("remote/switch_first")
    else:
        update = load_update("remote/switch")
        values["old"] = _node(expected)
    endpoint.update(substitute(update, values))
    now, _ = state(endpoint)
    if now != version.tag:
        raise StoreError(
            "another build or load changed the remote store while this one ran; "
            "the graph served is unchanged: run this one again"
        )


def _node(tag: str) -> ox.NamedNode:
    return ox.NamedNode(version_node(tag))
