"""What every HTML page shares: one autoescaping template set, the Content-Security-Policy,
the vendored vis-network (from the pyvis package: nothing is fetched from a CDN), and the
page that shows a page request's error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from api.deps import prefers_json

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
"""Autoescaping is on for .html: no text from a document or a parameter runs as markup."""
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
"""Content-Security-Policy of every page: only this server's own scripts and styles."""
VIS_NETWORK = Path(str(resources.files("pyvis"))) / "lib" / "vis-9.1.2"
"""vis-network as pyvis ships it, served at /static/vendor/vis-network/."""


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A page from its template, with the policy header."""
    response = TEMPLATES.TemplateResponse(
        request, template, context, status_code=status_code, headers=headers
    )
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response


@dataclass
class ErrorPage:
    """The template (and its context) that shows a page request's error; the error itself
    comes as `problem`, the JSON error shape: {"error", "detail", "request_id"}."""

    template: str = "problem.html"
    context: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def _is_page(request: Request) -> None:
    request.state.error_page = ErrorPage()


PAGE = Depends(_is_page)
"""A route dependency that marks a route as a page: its errors answer as HTML."""


def on_error(
    request: Request,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    """From here on, this page request's error shows on `template` with `context` (the
    page's form, to choose again), and `headers`, instead of the plain error page."""
    request.state.error_page = ErrorPage(template, context, dict(headers or {}))


def error_page(request: Request) -> ErrorPage | None:
    """The page to show this request's error on: None unless the request is for a page and
    its client does not prefer JSON."""
    page: ErrorPage | None = getattr(request.state, "error_page", None)
    if page is None or prefers_json(request):
        return None
    return page
