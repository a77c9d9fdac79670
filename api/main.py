"""The HTTP application: create_app() wires settings, the store and the routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from api.deps import StoreDep
from api.routers import analytics
from api.schemas import ErrorBody, Health
from graph.errors import CorpusError, MkgError, NotFound, ParseError, QueryError, StoreError
from graph.settings import Settings, get_settings
from graph.store import StoreLayout

ERROR_STATUS: dict[type[MkgError], int] = {
    NotFound: 404,
    ParseError: 422,
    QueryError: 400,
    CorpusError: 422,
    StoreError: 503,
}
"""The one table mapping domain errors to HTTP statuses (anything else is a 500)."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI application over the store named by the settings."""
    current = settings or get_settings()
    layout = StoreLayout(current.store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = layout.open() if layout.current() is not None else None
        yield
        if app.state.store is not None:
            app.state.store.close()

    app = FastAPI(
        title="migration-kg",
        version="0.1.0",
        description="Actors, mandates and events of international migration governance.",
        lifespan=lifespan,
        responses={422: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    )
    app.state.settings = current
    app.state.store = None

    @app.exception_handler(MkgError)
    async def domain_error(request: Request, exc: MkgError) -> JSONResponse:
        status = next((s for cls, s in ERROR_STATUS.items() if isinstance(exc, cls)), 500)
        return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"] if p not in ("query", "path", "body"))
        return JSONResponse(
            {"error": "InvalidRequest", "detail": f"{where}: {first['msg']}"}, status_code=422
        )

    @app.get("/health", tags=["status"])
    async def health(store: StoreDep) -> Health:
        """Status, statement count and graph version of the graph served."""
        return Health(status="ok", triples=store.info.triples, graph_version=store.info.version)

    app.include_router(analytics.router)
    return app
