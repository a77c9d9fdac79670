"""A GraphStore over any SPARQL 1.1 endpoint (Query, Update, Graph Store Protocol).

Selected by MKG_STORE=sparql+http(s)://host:port/path (graph.store.endpoint says how it is
reached). Tested against Virtuoso Open Source. It serves the current version of the
graph (graph.store.versions says how versions are named and switched; graph.store.uploads writes
them), and follows the pointer: it checks it again at most every FOLLOW_SECONDS, so a
server picks up a new version without a restart.

Reads. Each query is sent with the protocol dataset: `default-graph-uri` the version's
merged graph (or the graphs a caller restricts to), `named-graph-uri` each of its
graphs, so GRAPH ?g ranges over exactly that version's graphs. Graph IRIs the query
names (FROM, FROM NAMED, GRAPH <iri>, GRAPH ?var bound to a graph) are renamed to the
version's (graph.store.querytext.prepare); FROM clauses are taken out of the text and sent as
the protocol dataset, because Virtuoso adds the protocol dataset to a query's own
instead of replacing it. Answers are fetched as SPARQL JSON (or N-Triples), the version
prefix is removed from the body and pyoxigraph parses it, so callers get the same
objects as from the embedded store.

What the renaming cannot hide: inside a query, a graph name is the remote one, so a
string function of it (STR(?g), STRSTARTS) or a comparison with a graph IRI written
elsewhere than after GRAPH or FROM sees `urn:mkg:v:TAG:` in front; only answers are
mapped back. None of the project's queries does either.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

import pyoxigraph as ox

from graph.errors import QueryError, StoreError
from graph.model.namespaces import NO_GRAPH, PREFIXES
from graph.settings import Settings
from graph.store import versions
from graph.store.backend import GraphInfo, QueryResult
from graph.store.endpoint import (
    JSON_RESULTS,
    WORK_SECONDS,
    Capped,
    Endpoint,
    parse_results,
    was_cut,
)
from graph.store.queries import load_query
from graph.store.querytext import Prepared, Term, paged, prepare
from graph.store.sparql import Answer, Busy, Request, serialize, vet_remembered
from graph.store.versions import Version

log = logging.getLogger(__name__)

FOLLOW_SECONDS = 2.0
"""How long a store trusts the pointer it read before it checks it again."""
PAGE_ROWS = 10_000
"""Rows per request when reading a whole graph (Virtuoso's default result cap)."""
RDF_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def dataset(
    version: Version,
    prepared: Prepared,
    default: Sequence[str] | None = None,
    named: Sequence[str] | None = None,
) -> tuple[list[str], list[str]]:
    """The protocol dataset, in the version's names: graphs given by the caller, else the
    query's own FROM clauses, else the merge and every graph of the version."""
    if default is None and named is None and (prepared.from_default or prepared.from_named):
        default, named = prepared.from_default, prepared.from_named
        default_names = [version.name(g) for g in default] or [NO_GRAPH]
        return default_names, [version.name(g) for g in named] or [NO_GRAPH]
    default_names = [version.merged] if default is None else [version.name(g) for g in default]
    if named is None:
        named_names = [version.name(g) for g in sorted(version.graphs)]
    else:
        named_names = [version.name(g) for g in named]
    return default_names or [NO_GRAPH], named_names or [NO_GRAPH]


def _graph_result(body: bytes, content_type: str) -> ox.QueryTriples:
    """Triples as a pyoxigraph CONSTRUCT result (no public constructor: run one)."""
    media = content_type.split(";")[0].strip().lower()
    fmt = RDF_TYPES.get(media, ox.RdfFormat.N_TRIPLES)
    memory = ox.Store()
    memory.bulk_extend(
        ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(body, format=fmt)
    )
    result = memory.query(load_query("remote/statements"))
    assert isinstance(result, ox.QueryTriples)
    return result


# ------------------------------------------------------------------------------ the store


class RemoteStore:
    """The current version of the graph on a SPARQL 1.1 endpoint."""

    served_from = "remote"

    def __init__(self, endpoint: Endpoint, version: Version) -> None:
        self.endpoint = endpoint
        self._version = version
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings) -> RemoteStore:
        """The current graph on the remote endpoint."""
        endpoint = Endpoint(settings)
        try:
            version = versions.current_version(endpoint)
        except Exception:
            endpoint.close()
            raise
        if version is None or version.info is None:
            endpoint.close()
            raise StoreError(
                f"the remote store {endpoint.query_url} holds no graph yet: run `mkg build` "
                "with the same MKG_STORE"
            )
        return cls(endpoint, version)

    def version(self) -> Version:
        """The version served now (the pointer is read again after FOLLOW_SECONDS)."""
        with self._lock:
            if time.monotonic() - self._checked > FOLLOW_SECONDS:
                self._checked = time.monotonic()
                tag, found = versions.state(self.endpoint)
                if tag is not None and tag != self._version.tag and tag in found:
                    graphs = versions.graphs_of(self.endpoint, tag)
                    self._version = Version(tag, graphs, found[tag][1])
                    log.info("following the remote pointer to version %s", tag)
            return self._version

    @property
    def info(self) -> GraphInfo:
        """The version, size and origin of the graph served."""
        info = self.version().info
        assert info is not None
        return info

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query over the merge of all graphs, or over `graphs` only."""
        version = self.version()
        prepared = prepare(sparql, version.name, version.graphs, bindings, PREFIXES)
        default, named = dataset(version, prepared, graphs)
        # not bound to a name here: the parser's reference cycles keep this frame, as the
        # caller of their frames, until the garbage collector runs, in whatever thread, and
        # pyoxigraph's solutions may only be dropped by the thread that made them
        return self.fetch(version, prepared, default, named, WORK_SECONDS)[0]

    def fetch(
        self,
        version: Version,
        prepared: Prepared,
        default: Sequence[str],
        named: Sequence[str],
        timeout: float,
        *,
        cut_ok: bool = False,
    ) -> tuple[QueryResult, bool]:
        """Send a prepared query and parse the answer, graph names mapped back; says
        whether the endpoint cut it at its row limit (only when `cut_ok`, else Capped)."""
        graph_form = prepared.form in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples, text/turtle;q=0.5" if graph_form else JSON_RESULTS
        response = self.endpoint.select(
            prepared.text, default, named, accept, timeout, cut_ok=cut_ok
        )
        cut = was_cut(response) is not None
        body = version.unversion(response.content)
        try:
            if graph_form:
                return _graph_result(body, response.headers.get("content-type", "")), cut
            parsed = parse_results(body)
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"unreadable answer from {self.endpoint.query_url}: {exc}") from exc
        return parsed, cut

    def dump(self, format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> bytes:
        """The whole dataset serialized: the version's graphs under their own names, and
        their merge as the default graph (as the embedded store holds it)."""
        version = self.version()
        memory = ox.Store()
        named = [version.name(g) for g in sorted(version.graphs)] or [NO_GRAPH]
        for row in self._all_rows(load_query("remote/dump_quads"), [NO_GRAPH], named):
            memory.add(ox.Quad(row["s"], row["p"], row["o"], row["g"]))
        for row in self._all_rows(load_query("remote/dump_triples"), [version.merged], [NO_GRAPH]):
            memory.add(ox.Quad(row["s"], row["p"], row["o"], ox.DefaultGraph()))
        out = memory.dump(format=format)
        assert out is not None
        return out

    def _all_rows(
        self, query: str, default: list[str], named: list[str]
    ) -> Iterator[ox.QuerySolution]:
        """Every solution of a paged query (graph.store.querytext.paged), a page at a time,
        smaller pages if the endpoint's row limit is under PAGE_ROWS."""
        version = self.version()
        page, offset = PAGE_ROWS, 0
        while True:
            try:
                body = self.endpoint.select(paged(query, page, offset), default, named).content
            except Capped as exc:
                if not 0 < exc.rows < page:
                    raise
                page = exc.rows
                continue
            result = parse_results(version.unversion(body))
            assert isinstance(result, ox.QuerySolutions)
            # read the page here: pyoxigraph's solutions may only be dropped by the thread
            # that made them, and a consumer that stops early leaves this generator to be
            # collected wherever the garbage collector runs
            rows = list(result)
            del result
            yield from rows
            if len(rows) < page:
                return
            offset += page

    def close(self) -> None:
        """Release the connections."""
        self.endpoint.close()

    def query_runner(self, settings: Settings) -> RemoteRunner:
        """Queries run on the endpoint, at most `sparql_workers` at once, within the
        settings' time limit and row cap."""
        return RemoteRunner(self, settings.sparql_workers, settings.query_timeout)


class RemoteRunner:
    """What /sparql runs queries with on a remote store."""

    def __init__(self, store: RemoteStore, workers: int, timeout: float) -> None:
        self.store = store
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(max(1, workers))

    def run(self, request: Request, wait: float = 0.5) -> Answer:
        """Vet and run a query on the endpoint; raises TimedOut, Busy, Refused or
        QueryError. An answer the endpoint cut at its own row limit is marked truncated."""
        form = vet_remembered(request.query).form
        if not self._slots.acquire(timeout=wait):
            raise Busy("all query slots are busy; retry shortly")
        try:
            version = self.store.version()
            # relative IRIs resolve as the embedded store resolves them (BASE declared)
            prepared = prepare(
                request.query, version.name, version.graphs, base=request.base_iri, form=form
            )
            default, named = dataset(
                version,
                prepared,
                request.default_graphs or None,
                request.named_graphs or None,
            )
            # fetched and written in a frame of its own (see RemoteStore.query)
            return self._answer(version, prepared, default, named, request, form)
        finally:
            self._slots.release()

    def _answer(
        self,
        version: Version,
        prepared: Prepared,
        default: list[str],
        named: list[str],
        request: Request,
        form: str,
    ) -> Answer:
        result, cut = self.store.fetch(version, prepared, default, named, self.timeout,
                                       cut_ok=True)  # fmt: skip
        answer = serialize(result, request, form)
        return replace(answer, truncated=True) if cut else answer

    def close(self) -> None:
        """Nothing runs locally; the store closes the connections."""
