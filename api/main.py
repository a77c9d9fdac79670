"""The HTTP application: create_app() wires settings, the store and the routers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from http import HTTPStatus
from pathlib import Path

from asgi_correlation_id import CorrelationIdMiddleware, correlation_id
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import docs, serving
from api.deps import PARTIAL_DATE, StoreDep
from api.errors import REQUEST_ID_HEADER, error_answer
from api.guards import HeaderGuard, SafeAnswers, TargetGuard
from api.pages import VIS_NETWORK
from api.ratelimit import RateLimit
from api.routers import (
    analytics,
    catalog,
    export,
    home,
    linked_data,
    mandates,
    reconcile,
    sparql,
    viz,
    viz_trace,
)
from api.routers.sparql import Shares, TooManyQueries
from api.schemas import ErrorBody, Health
from graph.errors import (
    CorpusError,
    MkgError,
    NotFound,
    ParseError,
    QueryError,
    ReconcileError,
    StoreError,
)
from graph.settings import Settings, get_settings
from graph.store.sparql import Busy, EngineFailed, Refused, TimedOut

ERROR_STATUS: dict[type[MkgError], int] = {
    Refused: 400,
    TimedOut: 503,
    Busy: 503,
    EngineFailed: 500,
    NotFound: 404,
    ParseError: 422,
    QueryError: 400,
    ReconcileError: 400,
    CorpusError: 422,
    StoreError: 503,
}
"""The one table mapping domain errors to HTTP statuses (anything else is a 500); an error
that carries its own protocol status (`status`) answers with it. Pages answer through it
too: a request for a page gets the same error shape as an HTML page (api.errors)."""
RETRY_AFTER_SECONDS = 1
RETRY_LATER = (Busy, TimedOut, TooManyQueries)
"""Errors that say: the same request may succeed later (503 and 429 with Retry-After)."""
log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI application over the store named by the settings."""
    current = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        serving.start(app.state, current)
        follower = serving.Follower(app.state, current)
        following = None
        if current.remote is None and current.follow_seconds > 0:
            following = asyncio.create_task(follower.run(), name="mkg-follow")
        yield
        if following is not None:
            following.cancel()
            with suppress(asyncio.CancelledError):
                await following
        await follower.close()
        serving.stop(app.state)

    app = FastAPI(
        title="migration-kg",
        version="0.1.0",
        description="Actors, mandates and events of international migration governance.",
        lifespan=lifespan,
        docs_url=None,  # served by api.docs, offline
        redoc_url=None,
        responses={422: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    )
    app.state.settings = current
    app.state.store = None
    app.state.sparql_shares = Shares(current.client_share)
    app.state.unavailable = "the graph is not open yet"

    @app.exception_handler(MkgError)
    async def domain_error(request: Request, exc: MkgError) -> Response:
        status = getattr(exc, "status", None) or next(
            (s for cls, s in ERROR_STATUS.items() if isinstance(exc, cls)), 500
        )
        headers: dict[str, str] = dict(getattr(exc, "headers", None) or {})
        if isinstance(exc, RETRY_LATER):
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        if status >= 500:
            log.error("%s: %s", type(exc).__name__, exc)
        return error_answer(request, status, type(exc).__name__, str(exc), headers or None)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"] if p not in ("query", "path", "body"))
        message = first["msg"]
        if first.get("ctx", {}).get("pattern") == PARTIAL_DATE:
            message = f"malformed date {first['input']!r} (use YYYY, YYYY-MM or YYYY-MM-DD)"
        return error_answer(request, 422, "InvalidRequest", f"{where}: {message}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """Starlette's own errors (an unknown route, a wrong method) in the same shape."""
        if exc.status_code in (204, 304):
            return Response(status_code=exc.status_code, headers=exc.headers)
        error = HTTPStatus(exc.status_code).phrase.replace(" ", "")
        return error_answer(request, exc.status_code, error, str(exc.detail), exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        """A bug: logged with its traceback; the answer says only which request it was."""
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        answer = error_answer(
            request,
            500,
            "InternalError",
            "an unexpected error; the server log has it under this request id",
        )
        # Starlette answers this one outside the middleware that adds the header
        answer.headers[REQUEST_ID_HEADER] = str(correlation_id.get())
        return answer

    @app.get("/health", tags=["status"])
    async def health(store: StoreDep) -> Health:
        """Status, statement count and graph version of the graph served."""
        return Health(
            status="ok",
            triples=store.info.triples,
            graph_version=store.info.version,
            served_from=store.served_from,
        )

    app.add_middleware(TargetGuard, max_bytes=current.max_request_bytes)
    if current.rate_limit:
        app.add_middleware(RateLimit, limits=current.rate_limit)
    if current.trusted_proxies:  # before the rate limit sees the client's address
        app.add_middleware(
            ProxyHeadersMiddleware,
            trusted_hosts=[h.strip() for h in current.trusted_proxies.split(",")],
        )
    app.add_middleware(HeaderGuard)
    app.add_middleware(SafeAnswers)
    # outermost: every answer, errors included, and every log line get the request id
    app.add_middleware(CorrelationIdMiddleware, header_name=REQUEST_ID_HEADER)

    app.include_router(catalog.router)
    app.include_router(mandates.router)
    app.include_router(analytics.router)
    app.include_router(export.router)
    app.include_router(sparql.router)
    app.include_router(linked_data.router)
    app.include_router(reconcile.router)
    app.include_router(home.router)
    app.include_router(viz.router)
    app.include_router(viz_trace.router)
    app.include_router(docs.router)
    app.mount(docs.PREFIX, StaticFiles(directory=docs.ASSETS), name="openapi-assets")
    app.mount(
        "/static/vendor/vis-network",
        StaticFiles(directory=VIS_NETWORK),
        name="vis-network",
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
