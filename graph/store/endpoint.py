"""HTTP to a SPARQL 1.1 endpoint: Query, Update and the Graph Store Protocol.

The remote store's one way to its server (graph.store.remote reads with it, graph.store.versions and
graph.store.uploads write with it). Credentials come from MKG_REMOTE_USER and
MKG_REMOTE_PASSWORD (digest, as Virtuoso's /sparql-auth asks, or basic). What the
server refuses becomes a domain error with the first line of its message; what
Virtuoso does its own way (blank node labels in JSON results, a header for a result cut
at its row limit) is handled here.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Sequence
from typing import Any

import httpx
import pyoxigraph as ox

from graph.errors import QueryError, StoreError, one_line
from graph.settings import Settings
from graph.store.sparql import TimedOut

CONNECT_SECONDS = 10.0
WORK_SECONDS = 600.0
"""Time limit of the store's own requests (uploads, COPY, internal queries); /sparql
queries have `Settings.query_timeout`."""

JSON_RESULTS = "application/sparql-results+json"
_VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
"""Virtuoso names blank nodes `nodeID://b123` in JSON results, which no parser accepts as
a blank node label. The match contains unescaped quotes, so it can only hit JSON syntax,
never the inside of a value."""


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
        result = parse_results(self.select(query, default, named).content)
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


def parse_results(body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
    """SPARQL JSON results, Virtuoso's blank node labels made readable first."""
    return ox.parse_query_results(
        _VIRTUOSO_BNODE.sub(rb"\1", body), format=ox.QueryResultsFormat.JSON
    )


def _http(url: str) -> str:
    return url.removeprefix("sparql+")


def _message(body: str) -> str:
    """The first line of an error body (Virtuoso repeats the whole query after it)."""
    first = next((line.strip() for line in body.splitlines() if line.strip()), "no detail")
    return first[:300]
