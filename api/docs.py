"""The OpenAPI page served offline: Swagger UI from the fastapi-offline package's files
instead of FastAPI's default CDN, under a Content-Security-Policy that allows only this
server's assets and the one inline script that starts the UI (by its hash). ReDoc is
left out: it fetches its logo from a CDN."""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

ASSETS = Path(str(resources.files("fastapi_offline"))) / "static"
"""swagger-ui-bundle.js and swagger-ui.css, as fastapi-offline ships them."""
PREFIX = "/static/vendor/openapi"
router = APIRouter(include_in_schema=False)


def _with_policy(page: HTMLResponse) -> HTMLResponse:
    """The page with a CSP that admits its inline scripts by hash and nothing remote."""
    body = page.body.decode() if isinstance(page.body, bytes) else str(page.body)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in re.findall(r"<script>(.*?)</script>", body, flags=re.S)
    )
    page.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'"
    )
    return page


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    """Swagger UI over /openapi.json."""
    return _with_policy(
        get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="migration-kg API",
            swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{PREFIX}/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )
    )
