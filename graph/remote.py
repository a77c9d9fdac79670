"""A GraphStore over any SPARQL 1.1 endpoint (Query, Update, Graph Store Protocol).

Selected by MKG_STORE=sparql+http(s)://host:port/path; credentials come from
MKG_REMOTE_USER and MKG_REMOTE_PASSWORD (digest, as Virtuoso's /sparql-auth asks, or
basic). Tested against Virtuoso Open Source.

Versions. A build or load writes a whole new version beside the one being served, then
switches to it in one small update, so readers see the old graph or the new one, never
half of one. Version TAG is a set of graphs named by prefixing the original graph IRI
with `urn:mkg:v:TAG:` (no slash in the prefix, so JSON's `\\/` cannot hide it from the
text replacement that maps names back), plus `urn:mkg:v:TAG:merged`, the RDF merge of
the version's graphs, which queries see as their default graph. The graph `urn:mkg:meta`
says which version is current, and for each version when it was started, its graphs
and (once finished) its GraphInfo. A write:

1. drops leftovers of writes that never finished and started before the current version;
2. records its start, then uploads its graphs with the Graph Store Protocol (N-Triples,
   chunked); a load first copies the current version's graphs server-side (COPY);
3. fills its merged graph server-side (ADD each graph);
4. and 5. writes its GraphInfo and moves the pointer in ONE update, which happens only
   if the pointer still names the version it started from and its start record is still
   there (a concurrent write's clean-up removes it);
6. drops every version older than the one it replaced.

A kill before step 5 leaves the old version serving; the next write cleans up.

Reads. Each query is sent with the protocol dataset: `default-graph-uri` the version's
merged graph (or the graphs a caller restricts to), `named-graph-uri` each of its
graphs, so GRAPH ?g ranges over exactly that version's graphs. Graph IRIs the query
names (FROM, FROM NAMED, GRAPH <iri>, GRAPH ?var bound to a graph) are renamed to the
version's; FROM clauses are taken out of the text and sent as the protocol dataset,
because Virtuoso adds the protocol dataset to a query's own instead of replacing it.
Answers are fetched as SPARQL JSON (or N-Triples), the version prefix is removed from
the body and pyoxigraph parses it, so callers get the same objects as from the embedded
store. The store follows the pointer: it checks it again at most every
FOLLOW_SECONDS, so a server picks up a new version without a restart.

What the renaming cannot hide: inside a query, a graph name is the remote one, so a
string function of it (STR(?g), STRSTARTS) or a comparison with a graph IRI written
elsewhere than after GRAPH or FROM sees `urn:mkg:v:TAG:` in front; only answers are
mapped back. None of the project's queries does either.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import httpx
import pyoxigraph as ox

from graph.errors import QueryError, StoreError, one_line
from graph.namespaces import PREFIXES
from graph.settings import Settings
from graph.store import GraphInfo, QueryResult, Source, Term, not_valid_rdf, source_size

if TYPE_CHECKING:
    from graph.sparql import Answer, Request

log = logging.getLogger(__name__)

META = "urn:mkg:meta"
"""The graph that says which version is current, and what each version holds."""
VERSION_PREFIX = "urn:mkg:v:"
NO_GRAPH = "urn:mkg:none"
"""A graph never written: the empty side of a dataset (an empty list of graph IRIs in the
protocol means "unspecified", not "none")."""
_CURRENT = f"{META}#current"
_STARTED = f"{META}#started"
_INFO = f"{META}#info"
_GRAPH = f"{META}#graph"

FOLLOW_SECONDS = 2.0
"""How long a store trusts the pointer it read before it checks it again."""
CONNECT_SECONDS = 10.0
WORK_SECONDS = 600.0
"""Time limit of the store's own requests (uploads, COPY, internal queries); /sparql
queries have `Settings.query_timeout`."""
CHUNK_STATEMENTS = 20_000
"""Statements per Graph Store Protocol request."""
PAGE_ROWS = 10_000
"""Rows per request when reading a whole graph (Virtuoso's default result cap)."""
UPDATES_PER_REQUEST = 200
"""DROP, COPY or ADD operations sent together in one update request."""

JSON_RESULTS = "application/sparql-results+json"
RDF_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
"""Virtuoso names blank nodes `nodeID://b123` in JSON results, which no parser accepts as
a blank node label. The match contains unescaped quotes, so it can only hit JSON syntax,
never the inside of a value."""


# ------------------------------------------------------------------------------ versions


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
        return f"{VERSION_PREFIX}{self.tag}:"

    @property
    def merged(self) -> str:
        """The graph holding the RDF merge of the version's graphs."""
        return self.node + "merged"

    def name(self, graph: str) -> str:
        """The remote name of one of the version's graphs."""
        return self.node + graph

    def unversion(self, body: bytes) -> bytes:
        """A response body with the version's graph names mapped back to the originals."""
        return body.replace(self.node.encode(), b"")


def _new_tag() -> str:
    """Tags sort by creation time (hex of nanoseconds, fixed width)."""
    return f"{time.time_ns():016x}"


def _age(tag: str) -> int:
    return int(tag, 16)


# ------------------------------------------------------------------------------ HTTP


class _Auth(httpx.Auth):
    """Digest (Virtuoso's authenticated endpoints) or basic, whichever the server asks."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._use_basic = False

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._use_basic:
            yield from self._basic.auth_flow(request)
            return
        flow = self._digest.auth_flow(request)
        response = yield next(flow)
        while True:
            try:
                request = flow.send(response)
            except StopIteration:
                break
            response = yield request
        challenge = response.headers.get("www-authenticate", "").lower()
        if response.status_code == 401 and challenge.startswith("basic"):
            self._use_basic = True
            yield from self._basic.auth_flow(request)


class Capped(StoreError):
    """The endpoint cut a result at its own row limit (Virtuoso: ResultSetMaxRows)."""

    def __init__(self, url: str, rows: int) -> None:
        self.rows = rows
        super().__init__(
            f"{url} cut the result at its limit of {rows:,} rows; raise the endpoint's "
            "limit (Virtuoso: ResultSetMaxRows in [SPARQL]) or ask for less"
        )


class Endpoint:
    """The SPARQL endpoints of one remote store: query, update and graph store."""

    def __init__(self, settings: Settings) -> None:
        if not settings.remote:
            raise StoreError("no remote store is set (MKG_STORE=sparql+http://host:port/path)")
        self.query_url = _http(settings.remote)
        self.update_url = _http(settings.remote_update or settings.remote)
        self.graph_store_url = _http(settings.remote_graph_store or settings.remote)
        auth = None
        if settings.remote_user:
            password = (
                settings.remote_password.get_secret_value() if settings.remote_password else ""
            )
            auth = _Auth(settings.remote_user, password)
        self._client = httpx.Client(
            auth=auth,
            timeout=httpx.Timeout(WORK_SECONDS, connect=CONNECT_SECONDS),
            headers={"User-Agent": "migration-kg"},
        )

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def select(
        self,
        query: str,
        default: Sequence[str],
        named: Sequence[str],
        accept: str = JSON_RESULTS,
        timeout: float = WORK_SECONDS,
        *,
        cut_ok: bool = False,
    ) -> httpx.Response:
        """POST a query as a form (a direct application/sparql-query POST can hang
        Virtuoso) with its dataset. An answer the endpoint cut at its row limit raises
        Capped unless `cut_ok` (see `was_cut`)."""
        form = {"query": query, "default-graph-uri": list(default), "named-graph-uri": list(named)}
        response = self._send(
            "POST", self.query_url, QueryError, timeout, data=form, headers={"Accept": accept}
        )
        cap = was_cut(response)
        if cap is not None and not cut_ok:
            raise Capped(self.query_url, cap)
        return response

    def rows(self, query: str, default: Sequence[str], named: Sequence[str]) -> ox.QuerySolutions:
        """The solutions of a SELECT the store makes itself (no version mapping)."""
        body = self.select(query, default, named).content
        result = ox.parse_query_results(_fix_blank_nodes(body), format=ox.QueryResultsFormat.JSON)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError(f"{self.query_url} did not answer a SELECT with solutions")
        return result

    def update(self, operations: str) -> None:
        """Run SPARQL Update operations (one request, as a form)."""
        self._send("POST", self.update_url, StoreError, WORK_SECONDS, data={"update": operations})

    def post_graph(self, graph: str, ntriples: bytes) -> None:
        """Add statements to a graph with the Graph Store Protocol (POST, N-Triples sent as
        Turtle, which every implementation reads)."""
        self._send(
            "POST",
            self.graph_store_url,
            StoreError,
            WORK_SECONDS,
            params={"graph": graph},
            content=ntriples,
            headers={"Content-Type": "text/turtle; charset=utf-8"},
        )

    def _send(
        self, method: str, url: str, error: type[Exception], timeout: float, **kwargs: Any
    ) -> httpx.Response:
        try:
            response = self._client.request(
                method, url, timeout=httpx.Timeout(timeout, connect=CONNECT_SECONDS), **kwargs
            )
        except httpx.TimeoutException as exc:
            from graph.sparql import TimedOut

            raise TimedOut(f"{url} did not answer within the {timeout:g} s limit") from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the SPARQL endpoint {url}: {one_line(exc)}") from exc
        status = response.status_code
        if status in (401, 403):
            raise StoreError(
                f"{url} refused the credentials (HTTP {status}): check MKG_REMOTE_USER and "
                "MKG_REMOTE_PASSWORD"
            )
        if status >= 400:
            message = _message(response.text)
            if "SR186" in message or "permission" in message.lower():
                error = StoreError
                message += " (updates need an authenticated endpoint and MKG_REMOTE_USER)"
            if status == 404 and url == self.graph_store_url:
                message += " (set MKG_REMOTE_GRAPH_STORE, e.g. Virtuoso's /sparql-graph-crud-auth)"
            raise error(f"{url} answered HTTP {status}: {message}")
        return response


def was_cut(response: httpx.Response) -> int | None:
    """The endpoint's row limit if it cut this answer at it (Virtuoso says so in a header)."""
    cap = response.headers.get("x-sparql-maxrows")
    if cap is None:
        return None
    return int(cap) if cap.strip().isdigit() else 0


def _http(url: str) -> str:
    return url.removeprefix("sparql+")


def _message(body: str) -> str:
    """The first line of an error body (Virtuoso repeats the whole query after it)."""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "no detail")
    return first[:300]


def _fix_blank_nodes(body: bytes) -> bytes:
    return _VIRTUOSO_BNODE.sub(rb"\1", body)


# ------------------------------------------------------------------------------ meta


def _iri(value: str) -> str:
    return str(ox.NamedNode(value))


def _state(endpoint: Endpoint) -> tuple[str | None, dict[str, tuple[str, GraphInfo | None]]]:
    """The current tag, and every version's start time and info (None: unfinished)."""
    found = endpoint.rows(
        f"SELECT ?v ?started ?info ?current WHERE {{ GRAPH {_iri(META)} {{"
        f" {{ ?v {_iri(_STARTED)} ?started OPTIONAL {{ ?v {_iri(_INFO)} ?info }} }}"
        f" UNION {{ {_iri(META)} {_iri(_CURRENT)} ?current }} }} }}",
        [NO_GRAPH],
        [META],
    )
    current, versions = None, {}
    for row in found:
        if row["current"] is not None:
            current = _tag_of(row["current"].value)
        elif row["v"] is not None:
            info = row["info"]
            versions[_tag_of(row["v"].value)] = (
                row["started"].value,
                GraphInfo(**json.loads(info.value)) if info is not None else None,
            )
    return current, versions


def _tag_of(node: str) -> str:
    return node.removeprefix(VERSION_PREFIX).removesuffix(":")


def _graphs_of(endpoint: Endpoint, tag: str) -> frozenset[str]:
    node = Version(tag, frozenset()).node
    found = endpoint.rows(
        f"SELECT ?g WHERE {{ GRAPH {_iri(META)} {{ {_iri(node)} {_iri(_GRAPH)} ?g }} }}",
        [NO_GRAPH],
        [META],
    )
    return frozenset(row["g"].value for row in found)


def current_version(endpoint: Endpoint) -> Version | None:
    """The version the pointer names, or None if the remote holds no graph yet."""
    tag, versions = _state(endpoint)
    if tag is None or tag not in versions:
        return None
    return Version(tag, _graphs_of(endpoint, tag), versions[tag][1])


def _drop(endpoint: Endpoint, tags: Iterable[str]) -> None:
    """Drop versions: their graphs first, then their records (so a kill between the two
    leaves the records, and the next write finds the graphs again)."""
    for tag in tags:
        version = Version(tag, _graphs_of(endpoint, tag))
        names = [version.name(g) for g in sorted(version.graphs)] + [version.merged]
        _batched(endpoint, [f"DROP SILENT GRAPH {_iri(name)}" for name in names])
        endpoint.update(f"DELETE WHERE {{ GRAPH {_iri(META)} {{ {_iri(version.node)} ?p ?o }} }}")
        log.info("dropped remote version %s (%d graphs)", tag, len(names))


def _batched(endpoint: Endpoint, operations: Sequence[str]) -> None:
    for start in range(0, len(operations), UPDATES_PER_REQUEST):
        endpoint.update(" ;\n".join(operations[start : start + UPDATES_PER_REQUEST]))


def _record_graphs(endpoint: Endpoint, version: Version, graphs: Iterable[str]) -> None:
    statements = " ".join(f"{_iri(version.node)} {_iri(_GRAPH)} {_iri(g)} ." for g in graphs)
    if statements:
        endpoint.update(f"INSERT DATA {{ GRAPH {_iri(META)} {{ {statements} }} }}")


# ------------------------------------------------------------------------------ writing


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
    current_tag, versions = _state(endpoint)
    if current_tag is not None:
        _drop(endpoint, [t for t, (_, info) in versions.items()
                         if info is None and _age(t) < _age(current_tag)])  # fmt: skip
    previous = None
    if current_tag is not None and current_tag in versions:
        previous = Version(current_tag, _graphs_of(endpoint, current_tag), versions[current_tag][1])
    version = Version(_new_tag(), frozenset())
    now = ox.Literal(dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    endpoint.update(
        f"INSERT DATA {{ GRAPH {_iri(META)} {{ {_iri(version.node)} {_iri(_STARTED)} {now} }} }}"
    )
    log.info("writing remote version %s", version.tag)
    if on_top and previous is not None:
        _record_graphs(endpoint, version, sorted(previous.graphs))
        copies = [(previous.name(g), version.name(g)) for g in sorted(previous.graphs)]
        copies.append((previous.merged, version.merged))
        _batched(endpoint, [f"COPY SILENT {_iri(a)} TO {_iri(b)}" for a, b in copies])
    upload = _Upload(endpoint, version)
    upload.sources(sources, progress)
    _batched(
        endpoint,
        [f"ADD SILENT {_iri(version.name(g))} TO {_iri(version.merged)}" for g in upload.graphs],
    )
    count = endpoint.rows(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", [version.merged], [NO_GRAPH]
    )
    info = describe(int(next(count)["n"].value), previous.info if previous else None)
    _switch(endpoint, version, info, current_tag)
    _, versions = _state(endpoint)
    keep = {version.tag, current_tag}
    _drop(endpoint, [t for t in versions if t not in keep and _age(t) < _age(version.tag)])
    log.info("published remote version %s (graph %s, %d statements) in %.1f s",
             version.tag, info.version, info.triples, time.monotonic() - started)  # fmt: skip
    return info


def _switch(endpoint: Endpoint, version: Version, info: GraphInfo, expected: str | None) -> None:
    """Steps 4 and 5: the version's info and the pointer, in one update, only if the pointer
    still names `expected` and the version's start record is still there."""
    meta, pointer, node = _iri(META), _iri(_CURRENT), _iri(version.node)
    # Virtuoso ignores FILTER(!BOUND(?old)) after an OPTIONAL in an update's WHERE (it
    # inserts nothing); FILTER (NOT) EXISTS works everywhere.
    if expected is None:
        delete = ""
        guard = f"FILTER NOT EXISTS {{ GRAPH {meta} {{ {meta} {pointer} ?any }} }}"
    else:
        old = _iri(Version(expected, frozenset()).node)
        delete = f"DELETE {{ GRAPH {meta} {{ {meta} {pointer} {old} }} }}\n"
        guard = f"FILTER EXISTS {{ GRAPH {meta} {{ {meta} {pointer} {old} }} }}"
    endpoint.update(
        f"{delete}INSERT {{ GRAPH {meta} {{ {meta} {pointer} {node} . "
        f"{node} {_iri(_INFO)} {ox.Literal(info.to_json())} }} }}\n"
        f"WHERE {{ GRAPH {meta} {{ {node} {_iri(_STARTED)} ?started }} {guard} }}"
    )
    now, _ = _state(endpoint)
    if now != version.tag:
        raise StoreError(
            "another build or load changed the remote store while this one ran; "
            "the graph served is unchanged: run this one again"
        )


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
            _record_graphs(self.endpoint, self.version, new)  # before any data: see _drop
            self._recorded.update(new)
            self.graphs.extend(new)
        name = self.version.merged if graph is None else self.version.name(graph)
        self.endpoint.post_graph(name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
        log.info("uploaded %d statements into %s", len(triples), graph or "the default graph")


# ------------------------------------------------------------------------------ queries


_TOKENS = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%-]|\\\S|\.(?=[\w:%-]))*)
    | (?P<word>[^\W\d]\w*)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<other>\S)
    """,
    re.VERBOSE,
)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Prepared:
    """A query ready for the remote: its text, its form and the dataset it named itself."""

    text: str
    form: str
    from_default: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()


def prepare(
    query: str,
    version: Version,
    bindings: Mapping[str, Term] | None = None,
    prefixes: Mapping[str, str] | None = None,
    base: str | None = None,
) -> Prepared:
    """Rewrite a query for a version: graph IRIs it names renamed, FROM clauses taken out
    (returned), `bindings` injected as VALUES at the start of the WHERE group of the query
    and of each subquery, written from the terms' N-Triples form (never from user text);
    a GRAPH ?var whose value is bound to a graph of the version gets that graph's remote
    name in place. `prefixes` are predeclared."""
    tokens = [
        _Token(m.lastgroup or "other", m.group(), m.start(), m.end())
        for m in _TOKENS.finditer(query)
        if m.lastgroup != "comment"
    ]
    known = dict(prefixes or {})
    bound = dict(bindings or {})
    edits: list[tuple[int, int, str]] = []
    form, depth, saw_where, groups, where_at = "", 0, False, 0, -1
    subqueries: list[int] = []  # depths of SELECTs whose WHERE group is still to come
    inner: list[int] = []  # where those groups start
    defaults: list[str] = []
    named: list[str] = []

    def resolve(token: _Token) -> str | None:
        if token.kind == "iri":
            iri = token.text[1:-1]
            return iri if base is None or _ABSOLUTE.match(iri) else urljoin(base, iri)
        if token.kind == "pname":
            prefix, local = token.text.split(":", 1)
            return known[prefix] + local.replace("\\", "") if prefix in known else None
        return None

    for i, token in enumerate(tokens):
        word = token.text.upper() if token.kind == "word" else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if token.kind == "open":
            if subqueries and subqueries[-1] == depth:
                subqueries.pop()
                inner.append(token.end)
            if depth == 0:
                groups += 1
                if where_at < 0 and (
                    saw_where or form in ("SELECT", "ASK", "DESCRIBE") or groups == 2
                ):
                    where_at = token.end
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif word == "PREFIX" and after is not None and i + 2 < len(tokens):
            iri = resolve(tokens[i + 2])
            if iri is not None:
                known[after.text[:-1]] = iri
        elif word == "BASE" and after is not None and after.kind == "iri":
            base = resolve(after)
        elif word in _FORMS and not form and depth == 0:
            form = word
        elif word == "SELECT" and depth > 0:
            subqueries.append(depth)
        elif word == "WHERE" and depth == 0:
            saw_where = True
        elif word == "FROM" and depth == 0 and after is not None:
            is_named = after.kind == "word" and after.text.upper() == "NAMED"
            target = tokens[i + 2] if is_named and i + 2 < len(tokens) else after
            iri = resolve(target)
            if iri is None:
                raise QueryError(
                    f"cannot read the graph named in {query[token.start : target.end]!r}"
                )
            (named if is_named else defaults).append(iri)
            edits.append((token.start, target.end, ""))
        elif word == "GRAPH" and after is not None:
            iri = resolve(after)
            if iri is None and after.kind == "var":
                value = bound.get(after.text[1:])
                if isinstance(value, ox.NamedNode) and value.value in version.graphs:
                    iri = value.value  # the graph a bound variable names: substituted here
            if iri is not None:
                edits.append((after.start, after.end, _iri(version.name(iri))))
    if not form:
        raise QueryError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    if bound:
        if where_at < 0:
            raise QueryError("cannot bind values in a query without a WHERE group")
        values = " " + _values(bound) + " "
        # in subqueries too: a subquery is evaluated on its own, so a value bound only
        # outside it would not reach a GROUP BY or a GRAPH inside it
        edits.extend((at, at, values) for at in (where_at, *inner))
    text = query
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    declared = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or {}).items())
    return Prepared(declared + text, form, tuple(defaults), tuple(named))


def _values(bindings: Mapping[str, Term]) -> str:
    names, terms = [], []
    for name, term in bindings.items():
        if not _VARIABLE.fullmatch(name):
            raise QueryError(f"not a variable name: {name!r}")
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise QueryError(f"?{name}: only IRIs and literals can be bound on a remote store")
        names.append(f"?{name}")
        terms.append(str(term))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


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
    result = memory.query("CONSTRUCT WHERE { ?s ?p ?o }")
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
            version = current_version(endpoint)
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
                tag, versions = _state(self.endpoint)
                if tag is not None and tag != self._version.tag and tag in versions:
                    self._version = Version(tag, _graphs_of(self.endpoint, tag), versions[tag][1])
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
        prepared = prepare(sparql, version, bindings, PREFIXES)
        default, named = dataset(version, prepared, graphs)
        result, _ = self.fetch(version, prepared, default, named, WORK_SECONDS)
        return result

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
            parsed = ox.parse_query_results(
                _fix_blank_nodes(body), format=ox.QueryResultsFormat.JSON
            )
        except (SyntaxError, ValueError) as exc:
            raise QueryError(f"unreadable answer from {self.endpoint.query_url}: {exc}") from exc
        return parsed, cut

    def dump(self, format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> bytes:
        """The whole dataset serialized: the version's graphs under their own names, and
        their merge as the default graph (as the embedded store holds it)."""
        version = self.version()
        memory = ox.Store()
        named = [version.name(g) for g in sorted(version.graphs)] or [NO_GRAPH]
        for row in self._all_rows("?g ?s ?p ?o", "GRAPH ?g { ?s ?p ?o }", [NO_GRAPH], named):
            memory.add(ox.Quad(row["s"], row["p"], row["o"], row["g"]))
        for row in self._all_rows("?s ?p ?o", "?s ?p ?o", [version.merged], [NO_GRAPH]):
            memory.add(ox.Quad(row["s"], row["p"], row["o"], ox.DefaultGraph()))
        out = memory.dump(format=format)
        assert out is not None
        return out

    def _all_rows(
        self, variables: str, pattern: str, default: list[str], named: list[str]
    ) -> Iterator[ox.QuerySolution]:
        """Every solution of a pattern, a page at a time. Pages are cut from an ordered
        subquery: Virtuoso refuses ORDER BY with an OFFSET past its sort limit (SR353),
        but pages an ordered subquery."""
        version = self.version()
        page, offset = PAGE_ROWS, 0
        while True:
            text = (
                f"SELECT {variables} WHERE {{ {{ SELECT {variables} WHERE {{ {pattern} }} "
                f"ORDER BY {variables} }} }} LIMIT {page} OFFSET {offset}"
            )
            try:
                body = self.endpoint.select(text, default, named).content
            except Capped as exc:
                if not 0 < exc.rows < page:
                    raise
                page = exc.rows
                continue
            result = ox.parse_query_results(
                _fix_blank_nodes(version.unversion(body)), format=ox.QueryResultsFormat.JSON
            )
            assert isinstance(result, ox.QuerySolutions)
            count = 0
            for row in result:
                count += 1
                yield row
            if count < page:
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
        from dataclasses import replace

        from graph.sparql import Busy, serialize, vet_remembered

        form = vet_remembered(request.query).form
        if not self._slots.acquire(timeout=wait):
            raise Busy("all query slots are busy; retry shortly")
        try:
            version = self.store.version()
            prepared = prepare(request.query, version, base=request.base_iri)
            default, named = dataset(
                version,
                prepared,
                request.default_graphs or None,
                request.named_graphs or None,
            )
            if request.base_iri:  # relative IRIs resolve as the embedded store resolves them
                prepared = Prepared(f"BASE <{request.base_iri}>\n{prepared.text}", prepared.form)
            result, cut = self.store.fetch(
                version, prepared, default, named, self.timeout, cut_ok=True
            )
            answer = serialize(result, request, form)
            return replace(answer, truncated=True) if cut else answer
        finally:
            self._slots.release()

    def close(self) -> None:
        """Nothing runs locally; the store closes the connections."""
