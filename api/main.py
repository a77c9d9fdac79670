"""The HTTP application: create_app() wires settings, the store and the routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from api import docs
from api.deps import PARTIAL_DATE, StoreDep
from api.pages import VIS_NETWORK
from api.routers import analytics, catalog, export, home, linked_data, sparql, viz, viz_trace
from api.schemas import ErrorBody, Health
from graph.errors import CorpusError, MkgError, NotFound, ParseError, QueryError, StoreError
from graph.settings import Settings, get_settings
from graph.sparql import Busy, EngineFailed, Refused, TimedOut
from graph.store import StoreLayout, open_store

ERROR_STATUS: dict[type[MkgError], int] = {
    Refused: 400,
    TimedOut: 503,
    Busy: 503,
    EngineFailed: 500,
    NotFound: 404,
    ParseError: 422,
    QueryError: 400,
    CorpusError: 422,
    StoreError: 503,
}
"""The one table mapping domain errors to HTTP statuses (anything else is a 500); an error
that carries its own protocol status (`status`) answers with it."""
RETRY_AFTER_SECONDS = 1
STATIC = Path(__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI application over the store named by the settings."""
    current = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = None
        if current.remote is None and StoreLayout(current.store).current() is None:
            app.state.unavailable = f"no graph at {current.store}: run `mkg build`"
        else:
            try:
                app.state.store = open_store(current, serving=True)
            except StoreError as exc:  # e.g. a remote store that holds no graph yet
                app.state.unavailable = str(exc)
        app.state.sparql = None
        if app.state.store is not None:
            app.state.sparql = app.state.store.query_runner(current)
        yield
        if app.state.sparql is not None:
            app.state.sparql.close()
        if app.state.store is not None:
            app.state.store.close()

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
    app.state.unavailable = "the graph is not open yet"

    @app.exception_handler(MkgError)
    async def domain_error(request: Request, exc: MkgError) -> JSONResponse:
        status = getattr(exc, "status", None) or next(
            (s for cls, s in ERROR_STATUS.items() if isinstance(exc, cls)), 500
        )
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if isinstance(exc, Busy) else None
        return JSONResponse(
            {"error": type(exc).__name__, "detail": str(exc)}, status_code=status, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"] if p not in ("query", "path", "body"))
        message = first["msg"]
        if first.get("ctx", {}).get("pattern") == PARTIAL_DATE:
            message = f"malformed date {first['input']!r} (use YYYY, YYYY-MM or YYYY-MM-DD)"
        return JSONResponse(
            {"error": "InvalidRequest", "detail": f"{where}: {message}"}, status_code=422
        )

    @app.get("/health", tags=["status"])
    async def health(store: StoreDep) -> Health:
        """Status, statement count and graph version of the graph served."""
        return Health(
            status="ok",
            triples=store.info.triples,
            graph_version=store.info.version,
            served_from=store.served_from,
        )

    app.include_router(catalog.router)
    app.include_router(analytics.router)
    app.include_router(export.router)
    app.include_router(sparql.router)
    app.include_router(linked_data.router)
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
