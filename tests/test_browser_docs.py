"""The OpenAPI page works offline: Swagger UI from this server's own files."""

from __future__ import annotations

import httpx2 as httpx

from tests.browser import Opener


def test_swagger_ui_renders_every_operation_offline(visit: Opener, live_server: str) -> None:
    spec = httpx.get(f"{live_server}/openapi.json").json()
    operations = sum(len(ops) for ops in spec["paths"].values())
    seen = visit("/docs")
    seen.page.wait_for_selector(".opblock")
    assert seen.page.locator(".opblock").count() == operations
    seen.assert_clean()
