"""Writing a new version of the graph to a remote store (what `mkg build` and `mkg load`
do when MKG_STORE names a SPARQL endpoint): the steps graph.store.versions describes."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.model.namespaces import NO_GRAPH
from graph.settings import Settings
from graph.store import versions
from graph.store.backend import GraphInfo, Source, not_valid_rdf, source_size
from graph.store.endpoint import Endpoint
from graph.store.queries import load_query, load_update
from graph.store.querytext import fill
from graph.store.versions import Version

log = logging.getLogger(__name__)

CHUNK_STATEMENTS = 20_000
"""Statements per Graph Store Protocol request."""

Describe = Callable[[int, GraphInfo | None], GraphInfo]
"""Makes the new version's GraphInfo from its statement count and the previous info."""


def publish(
    settings: Settings,
    sources: Sequence[Source],
    describe: Describe,
    *,
    on_top: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> GraphInfo:
    """Write the sources as a new remote version (on top of the current one for a load)
    and make it current in one update; the previous version serves until then."""
    endpoint = Endpoint(settings)
    try:
        return _publish(endpoint, sources, describe, on_top, progress)
    finally:
        endpoint.close()


def _publish(
    endpoint: Endpoint,
    sources: Sequence[Source],
    describe: Describe,
    on_top: bool,
    progress: Callable[[int, int], None] | None,
) -> GraphInfo:
    started = time.monotonic()
    current_tag, found = versions.state(endpoint)
    if current_tag is not None:
        unfinished = [t for t, (_, info) in found.items() if info is None]
        versions.drop(
            endpoint, [t for t in unfinished if versions.age(t) < versions.age(current_tag)]
        )
    previous = None
    if current_tag is not None and current_tag in found:
        previous = Version(current_tag, versions.graphs_of(endpoint, current_tag),
                           found[current_tag][1])  # fmt: skip
    version = Version(versions.new_tag(), frozenset())
    versions.start(endpoint, version)
    log.info("writing remote version %s", version.tag)
    if on_top and previous is not None:
        versions.record_graphs(endpoint, version, sorted(previous.graphs))
        copies = [(previous.name(g), version.name(g)) for g in sorted(previous.graphs)]
        copies.append((previous.merged, version.merged))
        copy = load_update("remote/copy_graph")
        versions.batched(endpoint, [fill(copy, {"source": a, "target": b}) for a, b in copies])
    upload = _Upload(endpoint, version)
    upload.sources(sources, progress)
    add = load_update("remote/add_graph")
    versions.batched(
        endpoint,
        [fill(add, {"source": version.name(g), "target": version.merged}) for g in upload.graphs],
    )
    count = endpoint.rows(load_query("merged_size"), [version.merged], [NO_GRAPH])
    info = describe(int(next(count)["n"].value), previous.info if previous else None)
    versions.switch(endpoint, version, info, current_tag)
    _, found = versions.state(endpoint)
    keep = {version.tag, current_tag}
    older = [t for t in found if versions.age(t) < versions.age(version.tag)]
    versions.drop(endpoint, [t for t in older if t not in keep])
    log.info("published remote version %s (graph %s, %d statements) in %.1f s",
             version.tag, info.version, info.triples, time.monotonic() - started)  # fmt: skip
    return info


class _Upload:
    """Statements buffered per graph and sent in chunks with the Graph Store Protocol.

    Statements with blank nodes wait until the end and go in one request per graph: a
    blank node is only the same node within one request. (One shared by two graphs
    becomes two nodes; the corpus has none.)
    """

    def __init__(self, endpoint: Endpoint, version: Version) -> None:
        self.endpoint = endpoint
        self.version = version
        self.graphs: list[str] = []
        """Named graphs written, in order."""
        self._recorded: set[str] = set()
        self._plain: dict[str | None, list[ox.Triple]] = defaultdict(list)
        self._blank: dict[str | None, list[ox.Triple]] = defaultdict(list)

    def sources(
        self, sources: Sequence[Source], progress: Callable[[int, int], None] | None
    ) -> None:
        sizes = [source_size(data) for data, _, _ in sources]
        done = 0
        for (data, fmt, graph), size in zip(sources, sizes, strict=True):
            target = graph.value if graph is not None else None
            try:
                if isinstance(data, Path):
                    parsed = ox.parse(path=str(data), format=fmt)
                else:
                    parsed = ox.parse(data, format=fmt)
                for statement in parsed:
                    name = target
                    if name is None and isinstance(statement, ox.Quad):
                        graph_name = statement.graph_name
                        name = graph_name.value if isinstance(graph_name, ox.NamedNode) else None
                    self.add(name, ox.Triple(statement.subject, statement.predicate,
                                             statement.object))  # fmt: skip
            except (SyntaxError, ValueError, OSError) as exc:
                raise not_valid_rdf(data, exc) from exc
            done += size
            if progress:
                progress(done, sum(sizes))
        for name in list(self._plain):
            self._flush(name, self._plain.pop(name))
        for name in list(self._blank):
            self._flush(name, self._blank.pop(name))

    def add(self, graph: str | None, triple: ox.Triple) -> None:
        """Buffer one statement for `graph` (None: the default graph, i.e. the merge)."""
        if any(isinstance(t, ox.BlankNode) for t in (triple.subject, triple.object)):
            self._blank[graph].append(triple)
            return
        buffer = self._plain[graph]
        buffer.append(triple)
        if len(buffer) >= CHUNK_STATEMENTS:
            self._flush(graph, buffer)
            self._plain[graph] = []

    def _flush(self, graph: str | None, triples: list[ox.Triple]) -> None:
        if not triples:
            return
        waiting = (graph, *self._plain, *self._blank)
        new = list(dict.fromkeys(g for g in waiting if g is not None and g not in self._recorded))
        if new:
            # before any data: see versions.drop
            versions.record_graphs(self.endpoint, self.version, new)
            self._recorded.update(new)
            self.graphs.extend(new)
        name = self.version.merged if graph is None else self.version.name(graph)
        self.endpoint.post_graph(name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
        log.info("uploaded %d statements into %s", len(triples), graph or "the default graph")
