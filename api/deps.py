"""Typed dependencies: the store and the IRI minter, from the application's state; the
checks parameters share (names; dates and the other filters are graph.filters'), content
negotiation, and whether a page's client asked for JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from graph.backend import GraphStore
from graph.errors import StoreError
from graph.filters import FIELDS, Filters
from graph.filters import PARTIAL_DATE as PARTIAL_DATE  # the routes state it in their schema
from graph.iris import Minter


def get_store(request: Request) -> GraphStore:
    """The store the application serves."""
    store: GraphStore | None = request.app.state.store
    if store is None:
        raise StoreError(request.app.state.unavailable)
    return store


def get_minter(request: Request) -> Minter:
    """The IRI minter of the application's settings."""
    return Minter(request.app.state.settings.base_iri)


JSON = "application/json"
HTML = "text/html"


def _not_blank(name: str) -> str:
    if not name.strip():
        raise PydanticCustomError("blank", "a blank name names nothing")
    return name


def _blank_is_none(name: str | None) -> str | None:
    return name if name and name.strip() else None


NAMED = AfterValidator(_not_blank)
"""For a parameter that names an organization: spaces alone are refused (422). The
lookup would otherwise match them to an organization that has no acronym."""
BLANK_IS_NONE = AfterValidator(_blank_is_none)
"""For an optional organization filter: spaces alone mean no filter, as empty does."""


def negotiate(accept: str, offered: Mapping[str, object]) -> str:
    """The offered media type Accept prefers most; ties go to the first offered."""
    best: tuple[float, int, int] | None = None
    chosen = next(iter(offered))
    for index, candidate in enumerate(offered):
        for part in accept.split(","):
            media, *fields = (f.strip().lower() for f in part.split(";"))
            quality = 1.0
            for field in fields:
                if field.startswith("q="):
                    try:
                        quality = float(field[2:])
                    except ValueError:
                        quality = 0.0
            matches = media in (candidate, "*/*") or (
                media.endswith("/*") and candidate.startswith(media[:-1])
            )
            if not matches or quality <= 0:
                continue
            rank = (quality, 1 if media == candidate else 0, -index)
            if best is None or rank > best:
                best, chosen = rank, candidate
    return chosen


def prefers_json(request: Request) -> bool:
    """Whether the client asks for JSON before HTML (Accept): a page then answers its
    errors in the JSON error shape. A browser, or */*, gets the page."""
    return negotiate(request.headers.get("accept", ""), {HTML: None, JSON: None}) == JSON


def _filter(name: str, pattern: str | None = None) -> Any:
    """The query parameter of a filter, described as graph.filters describes it."""
    field = FIELDS[name]
    return Query(description=field.help, examples=[field.example], pattern=pattern)


def get_filters(
    doc: Annotated[str | None, _filter("doc")] = None,
    start: Annotated[str | None, _filter("start", PARTIAL_DATE)] = None,
    end: Annotated[str | None, _filter("end", PARTIAL_DATE)] = None,
    theme: Annotated[str | None, _filter("theme")] = None,
    org_type: Annotated[str | None, _filter("org_type")] = None,
) -> Filters:
    """The filters every analytics and list route accepts (checked by Filters.parse)."""
    return Filters.parse(start, end, doc, theme, org_type)


StoreDep = Annotated[GraphStore, Depends(get_store)]
MinterDep = Annotated[Minter, Depends(get_minter)]
FiltersDep = Annotated[Filters, Depends(get_filters)]
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.", examples=[20])]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.", examples=[0])]
