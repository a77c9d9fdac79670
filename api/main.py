"""The HTTP application: create_app() wires settings, the store and the routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from graph.errors import MkgError, NotFound, QueryError, StoreError
from graph.settings import Settings, get_settings
from graph.store import StoreLayout

ERROR_STATUS: dict[type[MkgError], int] = {NotFound: 404, QueryError: 400, StoreError: 503}
"""The one table mapping domain errors to HTTP statuses."""


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

    app = FastAPI(title="migration-kg", version="0.1.0", lifespan=lifespan)

    @app.exception_handler(MkgError)
    async def domain_error(request: Request, exc: MkgError) -> JSONResponse:
        status = next((s for cls, s in ERROR_STATUS.items() if isinstance(exc, cls)), 500)
        return JSONResponse({"error": type(exc).__name__, "detail": str(exc)}, status_code=status)

    @app.get("/health")
    async def health(request: Request) -> dict[str, Any]:
        """Status, statement count and graph version of the graph served."""
        store = request.app.state.store
        if store is None:
            raise StoreError(f"no graph at {current.store}: run `mkg build`")
        info = store.info
        return {"status": "ok", "triples": info.triples, "graph_version": info.version}

    return app
