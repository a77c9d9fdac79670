"""What every HTML page shares: one autoescaping template set, the Content-Security-Policy,
and the vendored vis-network (from the pyvis package: nothing is fetched from a CDN)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

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
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """A page from its template, with the policy header."""
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response
