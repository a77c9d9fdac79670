"""Read-only SPARQL for the public endpoint: vetting, then execution in killable workers.

Both rdflib and pyoxigraph would fetch remote or local resources if asked (SERVICE,
LOAD, FROM <file:...> in rdflib), and a running pyoxigraph query cannot be cancelled
from Python. So a query is parsed first (rdflib's grammar) and refused if it is an
update, LOAD or contains SERVICE; only then does it run, in a worker process that is
killed and replaced when it exceeds the time limit. Dataset clauses (FROM, FROM NAMED,
default-graph-uri, named-graph-uri) only ever name graphs of the store: pyoxigraph
never dereferences them.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import multiprocessing as mp
import os
import queue
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.errors import MkgError, QueryError, one_line

log = logging.getLogger(__name__)

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


class Refused(MkgError):
    """The endpoint is read-only and never reaches outside the store: this query is refused."""


class TimedOut(MkgError):
    """The query ran past the time limit and its worker was stopped."""


class EngineFailed(MkgError):
    """The query engine crashed on a query (pyoxigraph aborts the process on some inputs,
    e.g. an ORDER BY over values it cannot order consistently); its worker was replaced."""


class Busy(MkgError):
    """Every worker is taken; try again shortly."""


@dataclass(frozen=True)
class Vetted:
    """A query that may run: its text and its form (SELECT, ASK, CONSTRUCT, DESCRIBE)."""

    text: str
    form: str


@lru_cache(maxsize=512)
def vet(text: str) -> Vetted:
    """Parse a query and refuse updates, LOAD and SERVICE, before anything runs.

    rdflib's parser takes about 10 ms for a short query, more than pyoxigraph takes to
    answer many; a client repeating a query (a dashboard, a notebook) pays it once."""
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        if _is_update(text):
            raise Refused("this endpoint is read-only: SPARQL Update and LOAD are refused") from exc
        raise QueryError(f"malformed SPARQL: {one_line(exc)}") from exc
    except Exception as exc:  # rdflib's parser raises plain errors on some inputs
        raise QueryError(f"malformed SPARQL: {' '.join(str(exc).split()) or 'unreadable'}") from exc
    if _contains(parsed, "ServiceGraphPattern"):
        raise Refused("SERVICE is refused: this endpoint never queries other services")
    body = parsed[1]
    form = body.name.removesuffix("Query").upper() if isinstance(body, CompValue) else "SELECT"
    return Vetted(text, form)


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _contains(node: Any, name: str) -> bool:
    if isinstance(node, CompValue):
        return node.name == name or any(_contains(v, name) for v in node.values())
    if isinstance(node, list | tuple | ParseResults):
        return any(_contains(v, name) for v in node)
    return False


@dataclass(frozen=True)
class Request:
    """What a worker runs: the query, the dataset and the answer's media type."""

    query: str
    media_type: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    """Resolves relative IRIs in the query (the endpoint's own URL)."""
    max_rows: int = 10_000
    """Solutions (or triples) an answer holds at most; the rest are cut off."""


@dataclass(frozen=True)
class Answer:
    """A serialized result, and whether it was cut at the row cap."""

    data: bytes
    truncated: bool = False


class QueryRunner(Protocol):
    """What /sparql runs its queries with: each store backend provides one
    (`GraphStore.query_runner`); the embedded one is a pool of killable workers."""

    def run(self, request: Request, wait: float = 0.5) -> Answer:
        """Run a vetted query within the time limit; raises TimedOut, Busy or QueryError."""
        ...

    def close(self) -> None:
        """Stop whatever runs the queries."""
        ...


def _worker(source: str | ox.Store, conn: Connection) -> None:  # pragma: no cover - child
    if isinstance(source, str):
        store = ox.Store.read_only(source)
    else:  # forked: hold none of the server's files, sockets and pipes but our own
        store = source
        _close_inherited(keep=conn.fileno())
    conn.send(("ready", None))
    while True:
        try:
            request: Request | None = conn.recv()
        except EOFError:  # the server closed the pipe: nothing more to do
            return
        if request is None:
            return
        try:
            conn.send(("ok", _execute(store, request)))
        except Exception as exc:
            conn.send(("error", one_line(exc)))


def _close_inherited(keep: int) -> None:
    """Close every descriptor a fork inherited (the server's listening socket, pipes to
    other programs) but stdio and `keep`: a worker holding the write end of another
    program's pipe would keep that program waiting for an end of file that never comes."""
    limit = os.sysconf("SC_OPEN_MAX")
    os.closerange(3, keep)
    os.closerange(keep + 1, limit)


def _execute(store: ox.Store, request: Request) -> Answer:
    kwargs: dict[str, Any] = {}
    if request.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
    if request.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    return serialize(store.query(request.query, base_iri=request.base_iri, **kwargs), request)


def serialize(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, request: Request
              ) -> Answer:  # fmt: skip
    """A result in the media type the request asked for, cut at its row cap."""
    cap = request.max_rows
    if isinstance(result, ox.QueryTriples):
        triples = list(islice(result, cap + 1))
        data = ox.serialize(triples[:cap], format=GRAPH_FORMATS[request.media_type])
        return Answer(data or b"", truncated=len(triples) > cap)
    results_format = RESULT_FORMATS[request.media_type]
    data = result.serialize(format=results_format) or b""
    if isinstance(result, ox.QueryBoolean):
        return Answer(data)
    if results_format == ox.QueryResultsFormat.CSV:  # lossy: pyoxigraph will not parse it
        solutions: Iterator[object] = csv.reader(io.StringIO(data.decode(), newline=""))
        next(solutions, None)
    else:
        parsed = ox.parse_query_results(data, format=results_format)
        assert isinstance(parsed, ox.QuerySolutions)
        solutions = iter(parsed)
    if sum(1 for _ in islice(solutions, cap + 1)) <= cap:
        return Answer(data)
    return Answer(_first_rows(data, results_format, cap), truncated=True)


RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


def _first_rows(data: bytes, results_format: ox.QueryResultsFormat, cap: int) -> bytes:
    """A serialized SELECT result cut to its first `cap` solutions, in the same format."""
    if results_format == ox.QueryResultsFormat.JSON:
        document = json.loads(data)
        document["results"]["bindings"] = document["results"]["bindings"][:cap]
        return json.dumps(document, ensure_ascii=False).encode()
    if results_format == ox.QueryResultsFormat.XML:
        ET.register_namespace("", RESULTS_NS)
        root = ET.fromstring(data)
        results = root.find(f"{{{RESULTS_NS}}}results")
        assert results is not None
        for extra in list(results)[cap:]:
            results.remove(extra)
        cut: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
        return cut
    if results_format == ox.QueryResultsFormat.CSV:
        reader = csv.reader(io.StringIO(data.decode(), newline=""))
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(islice(reader, cap + 1))
        return out.getvalue().encode()
    # TSV escapes newlines inside terms, so one solution is one line.
    return b"\n".join(data.split(b"\n")[: cap + 1]) + b"\n"


WORKER_START_SECONDS = 60.0
"""How long a query worker may take to start and open the store."""


class _Slot:
    """One worker process and the pipe to it; restarted in place when it must be killed."""

    def __init__(self, context: Any, source: str | ox.Store) -> None:
        self._context = context
        self._source = source
        self.start()

    def start(self) -> None:
        self.conn, child = mp.Pipe()
        self.process = self._context.Process(
            target=_worker, args=(self._source, child), daemon=True, name="mkg-sparql"
        )
        self.process.start()
        child.close()
        # wait until the worker has opened the store (a spawned one imports and opens it:
        # about a second), so no query is sent to a worker that cannot answer yet
        try:
            if self.conn.poll(WORKER_START_SECONDS):
                self.conn.recv()
                return
        except (OSError, EOFError):
            pass
        self.stop()
        raise EngineFailed(
            f"a query worker did not start (exit code {self.process.exitcode}); see the log"
        )

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class QueryPool:
    """A fixed number of worker processes over one store version; a slow query's worker
    is killed and replaced, so the limit holds and the server stays healthy.

    Over a store on disk (a path), each worker is a fresh process that opens it read-only.
    Over a store in memory, workers are forked from the server and share its pages
    copy-on-write: one copy of the graph in memory, however many workers. Queries only
    read the store and glibc's malloc is fork-safe, so forking a server that has threads
    is safe here; a worker that hung all the same would be killed at the time limit.
    """

    def __init__(self, source: Path | ox.Store, workers: int = 2, timeout: float = 10.0) -> None:
        self.timeout = timeout
        in_memory = isinstance(source, ox.Store)
        self._context = mp.get_context("fork" if in_memory else "spawn")
        worker_source = source if isinstance(source, ox.Store) else str(source)
        self._free: queue.Queue[_Slot] = queue.Queue()
        self._slots: list[_Slot] = []
        for _ in range(workers):
            slot = _Slot(self._context, worker_source)
            self._slots.append(slot)
            self._free.put(slot)

    @contextmanager
    def _slot(self, wait: float) -> Iterator[_Slot]:
        try:
            slot = self._free.get(timeout=wait)
        except queue.Empty as exc:
            raise Busy("all query workers are busy; retry shortly") from exc
        try:
            yield slot
        finally:
            self._free.put(slot)

    def run(self, request: Request, wait: float = 0.5) -> Answer:
        """Run a vetted query in a worker, within the time limit."""
        with self._slot(wait) as slot:
            try:
                slot.conn.send(request)
                if not slot.conn.poll(self.timeout):
                    log.warning("query exceeded %.1f s; restarting its worker", self.timeout)
                    slot.stop()
                    slot.start()
                    raise TimedOut(f"the query ran longer than the {self.timeout:g} s limit")
                status, payload = slot.conn.recv()
            except (OSError, EOFError) as exc:
                slot.stop()
                code = slot.process.exitcode
                log.error("a query worker died (exit code %s); restarting it", code)
                slot.start()
                raise EngineFailed(
                    f"the query engine failed on this query (its worker exited with code "
                    f"{code}) and was restarted"
                ) from exc
        if status == "error":
            raise QueryError(f"the query failed: {payload}")
        assert isinstance(payload, Answer)
        return payload

    def close(self) -> None:
        """Stop every worker."""
        for slot in self._slots:
            with suppress(OSError):
                slot.conn.send(None)
            slot.stop()
