"""The SPARQL 1.1 Protocol, read-only: query by GET, by form POST or by direct POST.

Answers: SELECT and ASK as JSON, XML, CSV or TSV by Accept; CONSTRUCT and DESCRIBE as
Turtle, N-Triples, JSON-LD or RDF/XML. Updates, LOAD and SERVICE are refused before
anything runs; queries run in killable workers with a time limit (graph/store/sparql.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.deps import negotiate
from api.pages import PAGE_POLICY, TEMPLATES
from api.schemas import ErrorBody
from graph.errors import MkgError, QueryError, StoreError
from graph.model.namespaces import PREFIXES
from graph.model.vocab import terms
from graph.store.queries import load_query
from graph.store.sparql import GRAPH_FORMATS, OUTCOMES, RESULT_FORMATS, QueryRunner, Refused
from graph.store.sparql import Request as QueryRequest

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
"""Set when an answer was cut at the row cap; its value is the cap."""
MAX_BYTES_HEADER = "X-SPARQL-MaxBytes"
"""Set when an answer was cut at the byte cap; its value is the cap."""
ALLOWED = "GET, POST, OPTIONS"


class ProtocolError(QueryError):
    """A request that breaks the SPARQL Protocol; carries its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


class TooManyQueries(ProtocolError):
    """This client already has its share of queries running."""

    def __init__(self, share: int) -> None:
        super().__init__(
            429,
            f"this client already has {share} "
            f"{'query' if share == 1 else 'queries'} running, its share of the query "
            "workers; send the next when one has answered",
        )


class Shares:
    """Queries in flight per client, so that one client cannot hold every worker."""

    def __init__(self, share: int) -> None:
        self.share = share
        self._running: dict[str, int] = {}

    @contextmanager
    def hold(self, client: str, counted: bool = True) -> Iterator[None]:
        """Count one query for `client` while it runs; TooManyQueries past its share.
        A query that is not `counted` (one already known to be refused, answered from
        memory) is held to the share but takes none of it, so it cannot make the
        client's next real query look like one too many.
        (Only the event loop calls this: no lock is needed.)"""
        running = self._running.get(client, 0)
        if running >= self.share:
            raise TooManyQueries(self.share)
        if not counted:
            yield
            return
        self._running[client] = running + 1
        try:
            yield
        finally:
            left = self._running[client] - 1
            if left:
                self._running[client] = left
            else:
                del self._running[client]


class TooLarge(ProtocolError):
    """The request is over the size limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request larger than {limit:,} bytes")


EXAMPLE_QUERY = load_query("pages/protocol_example").strip()
"""The query the OpenAPI page shows (its answer, EXAMPLE_RESULTS, is below)."""
EXAMPLE_RESULTS = {
    "head": {"vars": ["event", "label"]},
    "results": {
        "bindings": [
            {
                "event": {
                    "type": "uri",
                    "value": "https://w3id.org/migration-kg/id/event/2006-07-18-madrid-"
                    "ibero-american-encounter-on-international-migration",
                },
                "label": {
                    "type": "literal",
                    "value": "Ibero-American Encounter on International Migration",
                },
            }
        ]
    },
}
DATASET_PARAMETERS = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "array", "items": {"type": "string", "format": "iri"}},
        "example": [example],
    }
    for name, description, example in [
        (
            "default-graph-uri",
            "A graph of the store to use as the default graph (repeatable).",
            "https://w3id.org/migration-kg/id/graph/doc/000_14d2ce0a342a483c",
        ),
        (
            "named-graph-uri",
            "A graph of the store to make available by GRAPH (repeatable).",
            "https://w3id.org/migration-kg/id/graph/registry",
        ),
    ]
]
ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SELECT/ASK results (JSON, XML, CSV, TSV) or a graph (Turtle, "
        "N-Triples, JSON-LD, RDF/XML) by Accept; cut at the row cap (X-SPARQL-MaxRows) "
        "or at the byte cap (X-SPARQL-MaxBytes)",
        "content": {
            "application/sparql-results+json": {"example": EXAMPLE_RESULTS},
            "application/sparql-results+xml": {},
            "text/csv": {},
            "text/tab-separated-values": {},
            "text/turtle": {},
            "application/n-triples": {},
            "application/ld+json": {},
            "text/html": {"description": "the query page, for a browser asking without a query"},
        },
    },
    400: {
        "model": ErrorBody,
        "description": "Malformed, empty or too deeply nested query, or an update/LOAD/SERVICE",
    },
    413: {"model": ErrorBody, "description": "Request over the size limit"},
    415: {"model": ErrorBody, "description": "POST with another Content-Type"},
    429: {"model": ErrorBody, "description": "This client's share of queries is running"},
    503: {"model": ErrorBody, "description": "Time limit exceeded, or all workers busy"},
}


@router.get(
    "/sparql",
    summary="SPARQL query by GET",
    responses=ANSWERS,
    openapi_extra={
        "parameters": [
            {
                "name": "query",
                "in": "query",
                "required": False,
                "description": "A SPARQL 1.1 query (read-only).",
                "schema": {"type": "string"},
                "example": EXAMPLE_QUERY,
            },
            *DATASET_PARAMETERS,
        ]
    },
)
async def sparql_get(request: Request) -> Response:
    """`?query=...` with optional `default-graph-uri` and `named-graph-uri`; a browser
    (Accept prefers HTML) gets the query page, which runs `?query=` if there is one."""
    _check_size(request, len(request.url.query.encode()))
    params = parse_qs(request.url.query, keep_blank_values=True)
    if _wants_page(request):  # a browser: the page, which runs ?query= itself
        return query_page(request, params.get("query", [None])[0])
    if "update" in params:
        raise Refused("this endpoint is read-only: SPARQL Update is refused")
    return await _answer(request, _one(params.get("query", [])), params)


@router.post(
    "/sparql",
    summary="SPARQL query by POST (form or direct)",
    responses=ANSWERS,
    openapi_extra={
        "parameters": DATASET_PARAMETERS,
        "requestBody": {
            "required": True,
            "content": {
                FORM: {
                    "schema": {
                        "type": "object",
                        "properties": {"query": {"type": "string"}},
                        "required": ["query"],
                    },
                    "example": {"query": EXAMPLE_QUERY},
                },
                DIRECT: {"schema": {"type": "string"}, "example": EXAMPLE_QUERY},
            },
        },
    },
)
async def sparql_post(request: Request) -> Response:
    """Form POST (`query=`) or direct POST (`application/sparql-query`)."""
    _check_size(request, len(request.url.query.encode()))
    body = await _body(request)
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = parse_qs(request.url.query, keep_blank_values=True)
    if media_type == FORM:
        form = parse_qs(_utf8(body), keep_blank_values=True)
        if "update" in form or "update" in params:
            raise Refused("this endpoint is read-only: SPARQL Update is refused")
        for key in ("default-graph-uri", "named-graph-uri"):
            params.setdefault(key, []).extend(form.get(key, []))
        return await _answer(request, _one(form.get("query", []) + params.get("query", [])), params)
    if media_type == DIRECT:
        if "query" in params:
            raise ProtocolError(400, "a direct POST carries the query in its body, not in ?query=")
        return await _answer(request, _utf8(body), params)
    if media_type == UPDATE:
        raise Refused("this endpoint is read-only: SPARQL Update is refused")
    raise ProtocolError(
        415, f"POST needs Content-Type {FORM} or {DIRECT}, not {media_type or 'none'!r}"
    )


@router.options("/sparql", include_in_schema=False)
async def sparql_options() -> Response:
    """The methods the endpoint answers."""
    return Response(status_code=204, headers={"Allow": ALLOWED})


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
async def sparql_other(request: Request) -> Response:
    """Other methods are not part of the query protocol."""
    raise MethodNotAllowed(request.method)


class MethodNotAllowed(ProtocolError):
    """A method the query protocol does not use; the answer says which it does (Allow)."""

    def __init__(self, method: str) -> None:
        self.headers = {"Allow": ALLOWED}
        super().__init__(405, f"{method} is not allowed; use GET or POST")


def _wants_page(request: Request) -> bool:
    """Whether Accept names HTML and prefers it to every SPARQL answer format (a browser)."""
    accept = request.headers.get("accept", "")
    offered = {"text/html": None, **RESULT_FORMATS, **GRAPH_FORMATS}
    return "text/html" in accept and negotiate(accept, offered) == "text/html"


def query_page(request: Request, query: str | None = None) -> Response:
    """The HTML query page: an editor that completes the ontology's terms, example
    queries, a results table; with `query`, that query, which the page runs."""
    settings = request.app.state.settings
    examples = [{"title": title, "text": text} for title, text in example_queries()]
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    vocabulary = {
        "prefixes": PREFIXES,
        "base": settings.base_iri,
        "terms": [asdict(t) for t in terms(settings.ontology_dir)],
        "labels": load_query("labels"),
    }
    context = {
        "endpoint": "/sparql",
        "timeout": f"{settings.query_timeout:g}",
        "examples": examples,
        "initial": query if query is not None else prefixes + DEFAULT_QUERY,
        "run": query is not None,
        "vocabulary": vocabulary,
    }
    response = TEMPLATES.TemplateResponse(request, "sparql.html", context)
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response


DEFAULT_QUERY = "\n" + load_query("pages/editor_start")
"""What the query page's editor holds at first, after the prefixes."""


@cache
def example_queries() -> list[tuple[str, str]]:
    """(title, text) of each example in graph/store/queries/examples, in file order."""
    folder = resources.files("graph.store.queries").joinpath("examples")
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            title = text.splitlines()[0].lstrip("# ").split(":")[0]
            found.append((title, text))
    return found


async def _answer(request: Request, query: str, params: dict[str, list[str]]) -> Response:
    """Hand the query to the runner: vetting and parsing happen there, under the time
    limit (they grow with the query; the event loop does nothing that does)."""
    pool: QueryRunner | None = request.app.state.sparql
    if pool is None:  # no graph yet (or a remote store that holds none)
        raise StoreError(request.app.state.unavailable)
    settings = request.app.state.settings
    accept = request.headers.get("accept", "")  # short: api.guards caps header sizes
    job = QueryRequest(
        query=query,
        result_type=negotiate(accept, RESULT_FORMATS),
        graph_type=negotiate(accept, GRAPH_FORMATS),
        default_graphs=tuple(params.get("default-graph-uri", [])),
        named_graphs=tuple(params.get("named-graph-uri", [])),
        base_iri=str(request.url.replace(query="")),
        max_rows=settings.max_result_rows,
        max_bytes=settings.max_result_bytes,
    )
    shares: Shares = request.app.state.sparql_shares
    known = OUTCOMES.get(query)
    with shares.hold(client_of(request), counted=not isinstance(known, MkgError)):
        answer = await run_in_threadpool(pool.run, job)
    headers = {"Content-Length": str(len(answer.data))}
    if answer.truncated:
        headers[MAX_ROWS_HEADER] = str(job.max_rows)
    if answer.cut_bytes:
        headers[MAX_BYTES_HEADER] = str(job.max_bytes)
    if len(answer.data) <= CHUNK_BYTES:
        return Response(content=bytes(answer.data), media_type=answer.media_type, headers=headers)
    return StreamingResponse(_chunks(answer.data), media_type=answer.media_type, headers=headers)


CHUNK_BYTES = 1 << 16
"""Answers longer than this go out in pieces of it: handed to the socket whole, an answer
near the byte cap would be copied into the connection's buffers, doubling what it takes."""


async def _chunks(data: bytes | bytearray) -> AsyncIterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(view), CHUNK_BYTES):
        yield bytes(view[start : start + CHUNK_BYTES])


def client_of(request: Request) -> str:
    """The client's address (a trusted proxy's X-Forwarded-For, when configured, has
    already replaced the proxy's own: api.main)."""
    return request.client.host if request.client else "unknown"


def _one(values: list[str]) -> str:
    if not values:
        raise ProtocolError(400, "missing the query parameter")
    if len(values) > 1:
        raise ProtocolError(400, "more than one query in the request")
    return values[0]


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the request body is not UTF-8 (byte {exc.start})") from exc


async def _body(request: Request) -> bytes:
    """The request body, read only up to the size limit: a body over it (by its
    Content-Length, or as it arrives when sent in chunks) is refused with 413."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit():
        _check_size(request, int(declared))
    body = bytearray()
    limit: float = request.app.state.settings.client_timeout
    chunks = request.stream().__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(anext(chunks), limit)
        except StopAsyncIteration:
            return bytes(body)
        except TimeoutError as exc:
            raise ProtocolError(408, f"the request body did not arrive within {limit:g} s") from exc
        body += chunk
        _check_size(request, len(body))


def _check_size(request: Request, size: int) -> None:
    limit: int = request.app.state.settings.max_request_bytes
    if size > limit:
        raise TooLarge(limit)
