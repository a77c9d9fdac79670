"""Typed dependencies: the store and the IRI minter, from the application's state; the
checks parameters share (names; dates and the other filters are graph.read.filters'), content
negotiation, and whether a page's client asked for JSON."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from graph.errors import ParseError, StoreError
from graph.model.iris import Minter
from graph.read.filters import FIELDS, Filters
from graph.read.filters import PARTIAL_DATE as PARTIAL_DATE  # the routes state it in their schema
from graph.store.backend import GraphStore


def get_store(request: Request) -> GraphStore:
    """The store the application serves."""
    store: GraphStore | None = request.app.state.store
    if store is None:
        raise StoreError(request.app.state.unavailable)
    return store


def get_minter(request: Request) -> Minter:
    """The IRI minter of the application's settings."""
    return Minter(request.app.state.settings.base_iri)


NAME_LENGTH = 300
"""The longest name, symbol, id or search text a parameter takes (longer is refused, 422)."""
JSON = "application/json"
HTML = "text/html"


def page_parameter(name: str, value: str | None, max_length: int = NAME_LENGTH) -> str | None:
    """A page's text parameter as asked, stripped; None when empty (forms send empty
    fields); ParseError when it cannot name anything (too long, control characters), so
    that the page says what is wrong."""
    if value is None or not value.strip():
        return None
    if len(value) > max_length:
        raise ParseError(f"{name}: at most {max_length} characters, got {len(value)}")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in value):
        raise ParseError(f"{name}: control characters are not allowed")
    return value.strip()


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
    """The offered media type Accept prefers most: highest quality first, then the most
    specific media range, ties to the first offered (werkzeug's MIMEAccept); the first
    offered when Accept matches none."""
    first = next(iter(offered))
    best = parse_accept_header(accept.lower(), MIMEAccept).best_match(offered, default=first)
    return best or first


def prefers_json(request: Request) -> bool:
    """Whether the client asks for JSON before HTML (Accept): a page then answers its
    errors in the JSON error shape. A browser, or */*, gets the page."""
    return negotiate(request.headers.get("accept", ""), {HTML: None, JSON: None}) == JSON


def filter_query(name: str, pattern: str | None = None, max_length: int | None = None) -> Any:
    """The query parameter of a filter, described as graph.read.filters describes it."""
    field = FIELDS[name]
    return Query(
        description=field.help, examples=[field.example], pattern=pattern, max_length=max_length
    )


def get_filters(
    doc: Annotated[str | None, filter_query("doc")] = None,
    start: Annotated[str | None, filter_query("start", PARTIAL_DATE)] = None,
    end: Annotated[str | None, filter_query("end", PARTIAL_DATE)] = None,
    theme: Annotated[str | None, filter_query("theme")] = None,
    org_type: Annotated[str | None, filter_query("org_type")] = None,
) -> Filters:
    """The filters every analytics and list route accepts (checked by Filters.parse)."""
    return Filters.parse(start, end, doc, theme, org_type)


StoreDep = Annotated[GraphStore, Depends(get_store)]
MinterDep = Annotated[Minter, Depends(get_minter)]
FiltersDep = Annotated[Filters, Depends(get_filters)]
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.", examples=[20])]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.", examples=[0])]
