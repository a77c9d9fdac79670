"""Read-only SPARQL for the public endpoint: vetting, then execution in killable workers.

Both rdflib and pyoxigraph would fetch remote or local resources if asked (SERVICE,
LOAD, FROM <file:...> in rdflib), and a running pyoxigraph query cannot be cancelled
from Python. So a query is parsed first (rdflib's grammar) and refused if it is an
update, LOAD or contains SERVICE; only then does it run. Both happen in a worker process
that is killed and replaced when it exceeds the time limit: parsing costs seconds for a
few kilobytes of expression, and in the server it would hold up every request. What
vetting said is remembered in the server (OUTCOMES). Answers are written a solution at a
time and cut at a row cap and a byte cap, alike in every format. Dataset clauses (FROM, FROM NAMED,
default-graph-uri, named-graph-uri) only ever name graphs of the store: pyoxigraph
never dereferences them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import multiprocessing as mp
import os
import queue
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from cachetools import LRUCache
from pyparsing import ParseException, ParserElement, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.errors import MkgError, QueryError, one_line
from graph.store.querytext import Term, nesting, total_order

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


class TooDeep(QueryError):
    """The query nests deeper than the parser can follow."""


@dataclass(frozen=True)
class Vetted:
    """A query that may run: its text and its form (SELECT, ASK, CONSTRUCT, DESCRIBE)."""

    text: str
    form: str


def vet(text: str) -> Vetted:
    """Parse a query and refuse updates, LOAD and SERVICE, before anything runs.

    Its cost grows with the query (rdflib's parser: seconds for a few kilobytes of
    expression), so the server never calls it itself: its query workers do, within the
    time limit (QueryPool), and the outcome is remembered (OUTCOMES)."""
    if not _MEANINGFUL.search(text):
        raise QueryError("empty query: the request holds no SPARQL")
    if nesting(text) > MAX_NESTING:
        raise TooDeep(_TOO_DEEP)
    try:
        parsed = parseQuery(text)
    except ParseException as exc:
        if _is_update(text):
            raise Refused("this endpoint is read-only: SPARQL Update and LOAD are refused") from exc
        raise QueryError(f"malformed SPARQL: {one_line(exc)}") from exc
    except RecursionError as exc:
        raise TooDeep(_TOO_DEEP) from exc
    except Exception as exc:  # rdflib's parser raises plain errors on some inputs
        raise QueryError(f"malformed SPARQL: {' '.join(str(exc).split()) or 'unreadable'}") from exc
    try:
        if _contains(parsed, "ServiceGraphPattern"):
            raise Refused("SERVICE is refused: this endpoint never queries other services")
    except RecursionError as exc:
        raise TooDeep(_TOO_DEEP) from exc
    body = parsed[1]
    form = body.name.removesuffix("Query").upper() if isinstance(body, CompValue) else "SELECT"
    return Vetted(text, form)


_MEANINGFUL = re.compile(r"^[ \t\r\n]*[^ \t\r\n#]", re.MULTILINE)
"""A line that is neither blank nor a comment: without one the request holds no query."""
MAX_NESTING = 1000
"""The deepest nesting of parentheses, brackets and braces vetted: rdflib's parser takes
about 1.5 s at this depth (and grows faster than the depth), fails at about 3,300."""
_TOO_DEEP = (
    f"the query nests deeper than this endpoint's parser follows (over {MAX_NESTING:,} "
    "levels of parentheses, brackets or braces); write it with fewer levels"
)
_UPDATE_WORD = re.compile(
    r"(?<![\w:?$])(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![\w:])",
    re.IGNORECASE,
)


def _is_update(text: str) -> bool:
    """Whether the text is an update with at least one operation (a prologue alone, or
    nothing, parses as an empty update: that is no reason to call a query one). Text
    without an update's keyword is not parsed a second time."""
    if not _UPDATE_WORD.search(text):
        return False
    try:
        parsed = parseUpdate(text)
    except Exception:
        return False
    return "request" in parsed


def _contains(node: Any, name: str) -> bool:
    if isinstance(node, CompValue):
        return node.name == name or any(_contains(v, name) for v in node.values())
    if isinstance(node, list | tuple | ParseResults):
        return any(_contains(v, name) for v in node)
    return False


class Outcomes:
    """What vetting said of each query recently seen, good or bad, bounded in entries
    (keyed by a digest, so a 64 KB query costs 32 bytes here): a client repeating a
    malformed query is answered without a worker, and a good one is not parsed again."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._seen: LRUCache[bytes, Vetted | tuple[type[MkgError], str]] = LRUCache(size)
        self._lock = threading.Lock()

    @staticmethod
    def key(text: str) -> bytes:
        """The digest a query is remembered by."""
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=32).digest()

    def get(self, text: str) -> Vetted | MkgError | None:
        """The remembered outcome of vetting this text, if any (a refusal as a new
        error each time: raising one instance again and again would lengthen its
        traceback with every raise)."""
        key = self.key(text)
        with self._lock:
            found = self._seen.get(key)
        if found is None:
            return None
        if isinstance(found, Vetted):
            return Vetted(text, found.form)
        kind, message = found
        return kind(message)

    def put(self, text: str, outcome: Vetted | MkgError) -> None:
        """Remember an outcome, forgetting the least recently used past `size`."""
        kept: Vetted | tuple[type[MkgError], str] = (
            Vetted("", outcome.form)
            if isinstance(outcome, Vetted)
            else (type(outcome), str(outcome))
        )
        key = self.key(text)
        with self._lock:
            self._seen[key] = kept


OUTCOMES = Outcomes()
"""The server's memory of vetting outcomes (one per process)."""


def vet_remembered(text: str) -> Vetted:
    """`vet`, answered from OUTCOMES when the text was seen before (for runners that vet
    in the server process, such as the remote store's)."""
    found = OUTCOMES.get(text)
    if found is None:
        try:
            found = vet(text)
        except (Refused, QueryError) as exc:
            found = exc
        OUTCOMES.put(text, found)
    if isinstance(found, MkgError):
        raise found
    return found


@dataclass(frozen=True)
class Request:
    """What a worker runs: the query, the dataset and the media types the client takes."""

    query: str
    result_type: str = "application/sparql-results+json"
    """The media type of a SELECT or ASK answer (one of RESULT_FORMATS)."""
    graph_type: str = "text/turtle"
    """The media type of a CONSTRUCT or DESCRIBE answer (one of GRAPH_FORMATS)."""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    """Resolves relative IRIs in the query (the endpoint's own URL)."""
    max_rows: int = 10_000
    """Solutions (or triples) an answer holds at most; the rest are cut off."""
    max_bytes: int = 16 * 1024**2
    """Bytes an answer holds at most, in every format; it is cut at the last whole
    solution (or triple) that fits."""
    form: str | None = None
    """The query's form when it was vetted before (then it is not parsed again)."""

    def __post_init__(self) -> None:
        # a graph named twice is still one graph: repeating it must not repeat its triples
        object.__setattr__(self, "default_graphs", tuple(dict.fromkeys(self.default_graphs)))
        object.__setattr__(self, "named_graphs", tuple(dict.fromkeys(self.named_graphs)))


@dataclass(frozen=True)
class Answer:
    """A serialized result, its media type, and whether it was cut (rows or bytes)."""

    data: bytes | bytearray
    media_type: str = "application/sparql-results+json"
    truncated: bool = False
    """Cut at the row cap."""
    cut_bytes: bool = False
    """Cut at the byte cap."""
    form: str = "SELECT"


class QueryRunner(Protocol):
    """What /sparql runs its queries with: each store backend provides one
    (`GraphStore.query_runner`); the embedded one is a pool of killable workers."""

    def run(self, request: Request, wait: float = 0.5) -> Answer:
        """Vet and run a query within the time limit; raises TimedOut, Busy, Refused or
        QueryError."""
        ...

    def close(self) -> None:
        """Stop whatever runs the queries."""
        ...


WORKER_STACK_BYTES = 512 * 1024**2
"""The stack of the thread a worker parses and runs queries on. Reserved, not used: pages
are taken as recursion reaches them. rdflib's parser recurses some sixty frames per
parenthesis and pyoxigraph's recursively per operator; on the default 8 MiB stack (and
Python's 1,000 frames) 15 nested parentheses failed and 8,000 chained additions crashed
the process. Here both parse and run, and only nesting thousands deep is refused."""
WORKER_RECURSION_LIMIT = 200_000


def _worker(source: str | ox.Store, conn: Connection) -> None:  # pragma: no cover - child
    if isinstance(source, str):
        store = ox.Store.read_only(source)
    else:  # forked: hold none of the server's files, sockets and pipes but our own
        store = source
        _close_inherited(keep=conn.fileno())
    # packrat parsing (switched on for the whole process by an import of matplotlib in
    # the server) doubled the time rdflib took on long malformed queries
    ParserElement.disable_memoization()
    sys.setrecursionlimit(WORKER_RECURSION_LIMIT)
    threading.stack_size(WORKER_STACK_BYTES)
    serving = threading.Thread(target=_serve, args=(store, conn), name="mkg-sparql-worker")
    serving.start()
    serving.join()


def _serve(store: ox.Store, conn: Connection) -> None:  # pragma: no cover - child
    conn.send(("ready", None))
    while True:
        try:
            request: Request | None = conn.recv()
        except EOFError:  # the server closed the pipe: nothing more to do
            return
        if request is None:
            return
        form = request.form
        if form is None:
            try:
                form = vet(request.query).form
            except (Refused, QueryError) as exc:
                conn.send(("refused", exc))
                continue
        try:
            answer = _execute(store, request, form)
        except Exception as exc:
            conn.send(("error", one_line(exc)))
            continue
        # the data apart, raw, after its length: the server reads it into one buffer of
        # that size (multiprocessing's framing would grow one, then copy it)
        conn.send(("ok", (replace(answer, data=b""), len(answer.data))))
        _write_all(conn.fileno(), answer.data)


def _write_all(fd: int, data: bytes | bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_exactly(fd: int, size: int) -> bytearray:
    """`size` bytes from a descriptor, read into one buffer of that size (no copies)."""
    buffer = bytearray(size)
    view = memoryview(buffer)
    done = 0
    while done < size:
        got = os.readv(fd, [view[done:]])
        if not got:
            raise EOFError("the worker closed its pipe mid-answer")
        done += got
    return buffer


def _close_inherited(keep: int) -> None:
    """Close every descriptor a fork inherited (the server's listening socket, pipes to
    other programs) but stdio and `keep`: a worker holding the write end of another
    program's pipe would keep that program waiting for an end of file that never comes."""
    limit = os.sysconf("SC_OPEN_MAX")
    os.closerange(3, keep)
    os.closerange(keep + 1, limit)


def _execute(store: ox.Store, request: Request, form: str) -> Answer:
    kwargs: dict[str, Any] = {}
    if request.default_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
    if request.named_graphs:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    text = request.query
    if _ORDER.search(text):
        ordered = total_order(text)
        try:
            result = store.query(ordered, base_iri=request.base_iri, **kwargs)
        except SyntaxError:  # the rewrite misread the query: run it as written
            log.warning("ORDER BY rewrite failed to parse; running the query as written")
            result = store.query(text, base_iri=request.base_iri, **kwargs)
    else:
        result = store.query(text, base_iri=request.base_iri, **kwargs)
    return serialize(result, request, form)


_ORDER = re.compile(r"ORDER\s+BY", re.IGNORECASE)


def serialize(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples,
    request: Request,
    form: str | None = None,
) -> Answer:
    """A result in the media type the request asked for, cut at its row and byte caps.

    Solutions are written one at a time and counted as they go, so neither cap needs
    the whole answer in memory first, and both hold alike in every format."""
    if isinstance(result, ox.QueryTriples):
        return _graph_answer(result, request, form or "CONSTRUCT")
    media_type = request.result_type
    results_format = RESULT_FORMATS[media_type]
    if isinstance(result, ox.QueryBoolean):
        data = result.serialize(format=results_format) or b""
        return Answer(data, media_type, form=form or "ASK")
    writer = _WRITERS[results_format]([v.value for v in result.variables])
    out = bytearray(writer.head())
    tail = writer.tail()
    truncated = cut_bytes = False
    for rows, solution in enumerate(result):
        if rows == request.max_rows:
            truncated = True
            break
        row = writer.row(solution, rows)
        if len(out) + len(row) + len(tail) > request.max_bytes:
            cut_bytes = True
            break
        out += row
    out += tail
    return Answer(bytes(out), media_type, truncated, cut_bytes, form or "SELECT")


def _graph_answer(result: ox.QueryTriples, request: Request, form: str) -> Answer:
    """Triples up to the row cap, then as many as fit in the byte cap (found by halving:
    a format's size is not the sum of its triples')."""
    rdf_format = GRAPH_FORMATS[request.graph_type]
    triples: list[ox.Triple] = []
    size = 0
    truncated = cut_bytes = False
    for triple in result:
        if len(triples) == request.max_rows:
            truncated = True
            break
        size += len(str(triple)) + 3
        if size > 4 * request.max_bytes:  # far past the cap in any format: stop reading
            cut_bytes = True
            break
        triples.append(triple)
    count = len(triples)
    data = ox.serialize(triples, format=rdf_format) or b""
    while len(data) > request.max_bytes:
        cut_bytes = True
        count //= 2
        data = ox.serialize(triples[:count], format=rdf_format) or b""
    if cut_bytes:  # grow back towards the cap in smaller steps
        step = max(1, count // 2)
        while step and count < len(triples):
            bigger = ox.serialize(triples[: count + step], format=rdf_format) or b""
            if len(bigger) <= request.max_bytes:
                count, data = count + step, bigger
            else:
                step //= 2
    return Answer(data, request.graph_type, truncated, cut_bytes, form)


RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
ITS_NS = "http://www.w3.org/2005/11/its"


class _Writer:
    """Writes one SELECT result format a solution at a time, as pyoxigraph writes it."""

    def __init__(self, variables: list[str]) -> None:
        self.variables = variables

    def head(self) -> bytes:
        """Everything before the first solution."""
        raise NotImplementedError

    def row(self, solution: ox.QuerySolution, index: int) -> bytes:
        """One solution (index: how many came before it)."""
        raise NotImplementedError

    def tail(self) -> bytes:
        """Everything after the last solution."""
        return b""


class _Json(_Writer):
    def head(self) -> bytes:
        names = json.dumps(self.variables, ensure_ascii=False, separators=(",", ":"))
        return f'{{"head":{{"vars":{names}}},"results":{{"bindings":['.encode()

    def row(self, solution: ox.QuerySolution, index: int) -> bytes:
        bound = {v: _json_term(solution[v]) for v in self.variables if solution[v] is not None}
        text = json.dumps(bound, ensure_ascii=False, separators=(",", ":"))
        return ("," if index else "").encode() + text.encode()

    def tail(self) -> bytes:
        return b"]}}"


def _json_term(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _json_term(getattr(term, p)) for p in parts}}
    found: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
        if term.direction is not None:
            found["its:dir"] = term.direction.value
    elif term.datatype.value != XSD_STRING:
        found["datatype"] = term.datatype.value
    return found


class _Xml(_Writer):
    def head(self) -> bytes:
        names = "".join(f"<variable name={quoteattr(v)}/>" for v in self.variables)
        return (
            f'<?xml version="1.0"?><sparql xmlns="{RESULTS_NS}"><head>{names}</head><results>'
        ).encode()

    def row(self, solution: ox.QuerySolution, index: int) -> bytes:
        bindings = "".join(
            f"<binding name={quoteattr(v)}>{_xml_term(solution[v])}</binding>"
            for v in self.variables
            if solution[v] is not None
        )
        return f"<result>{bindings}</result>".encode()

    def tail(self) -> bytes:
        return b"</results></sparql>"


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
            f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}"
            "</object></triple>"
        )
    value = escape(term.value, {'"': "&quot;"})
    if term.language:
        direction = ""
        if term.direction is not None:
            direction = f' its:dir="{term.direction.value}" xmlns:its="{ITS_NS}" its:version="2.0"'
        return f"<literal xml:lang={quoteattr(term.language)}{direction}>{value}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{value}</literal>"
    return f"<literal>{value}</literal>"


class _Csv(_Writer):
    def head(self) -> bytes:
        return self._line(self.variables)

    def row(self, solution: ox.QuerySolution, index: int) -> bytes:
        return self._line([_csv_term(solution[v]) for v in self.variables])

    @staticmethod
    def _line(fields: list[str]) -> bytes:
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerow(fields)
        return out.getvalue().encode()


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return " ".join(_csv_term(t) for t in (term.subject, term.predicate, term.object))
    return term.value


class _Tsv(_Writer):
    def head(self) -> bytes:
        return ("\t".join(f"?{v}" for v in self.variables) + "\n").encode()

    def row(self, solution: ox.QuerySolution, index: int) -> bytes:
        return ("\t".join(_tsv_term(solution[v]) for v in self.variables) + "\n").encode()


_SHORT_FORMS = {
    "http://www.w3.org/2001/XMLSchema#integer": re.compile(r"[+-]?[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    "http://www.w3.org/2001/XMLSchema#boolean": re.compile(r"true|false"),
}


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        return (
            f"<<( {' '.join(_tsv_term(t) for t in (term.subject, term.predicate, term.object))} )>>"
        )
    if isinstance(term, ox.Literal) and not term.language:
        short = _SHORT_FORMS.get(term.datatype.value)
        if short is not None and short.fullmatch(term.value):
            return term.value
    return str(term)  # N-Triples: tabs and newlines inside terms are escaped


_WRITERS: dict[ox.QueryResultsFormat, type[_Writer]] = {
    ox.QueryResultsFormat.JSON: _Json,
    ox.QueryResultsFormat.XML: _Xml,
    ox.QueryResultsFormat.CSV: _Csv,
    ox.QueryResultsFormat.TSV: _Tsv,
}


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
        """Vet and run a query in a worker, within the time limit. A query vetted before
        is answered from OUTCOMES when refused and not parsed again when good."""
        known = OUTCOMES.get(request.query)
        if isinstance(known, MkgError):
            raise known
        if known is not None:
            request = replace(request, form=known.form)
        with self._slot(wait) as slot:
            try:
                slot.conn.send(request)
                if not slot.conn.poll(self.timeout):
                    log.warning("query exceeded %.1f s; restarting its worker", self.timeout)
                    slot.stop()
                    slot.start()
                    raise TimedOut(f"the query ran longer than the {self.timeout:g} s limit")
                status, payload = slot.conn.recv()
                if status == "ok":
                    head, size = payload
                    payload = replace(head, data=_read_exactly(slot.conn.fileno(), size))
            except (OSError, EOFError) as exc:
                slot.stop()
                code = slot.process.exitcode
                log.error("a query worker died (exit code %s); restarting it", code)
                slot.start()
                raise EngineFailed(
                    f"the query engine failed on this query (its worker exited with code "
                    f"{code}) and was restarted"
                ) from exc
        if status == "refused":
            assert isinstance(payload, MkgError)
            OUTCOMES.put(request.query, payload)
            raise payload
        if status == "error":
            raise QueryError(f"the query failed: {payload}")
        assert isinstance(payload, Answer)
        if known is None:
            OUTCOMES.put(request.query, Vetted(request.query, payload.form))
        return payload

    def close(self) -> None:
        """Stop every worker."""
        for slot in self._slots:
            with suppress(OSError):
                slot.conn.send(None)
            slot.stop()
