"""Checks on the request target made before routing, as pure ASGI middleware.

A target longer than `max_request_bytes` answers 414, whatever route it names: a 100 kB
URL would otherwise be parsed, validated and perhaps searched for. A path that climbs
(a `..` segment, written plainly, percent-encoded or with backslashes) or holds control
characters (a NUL byte) answers 404: no id, IRI path or file of this server has one, so
nothing is there, and such a path can only be an attempt to reach a file outside the
served folders: it is refused before a static folder, or any route added later, has to
get this right. (404, not 400: for a route it is what an unknown id answers, and a
string its schema admits must not get an answer it does not document.) Both answers are
the JSON error shape, with the request id (CorrelationIdMiddleware runs outside this one).
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response

SIZED_BY_ROUTE = frozenset({"/sparql"})
"""Routes whose query string is their request: they cap its size themselves (413)."""
_CLIMBING = re.compile(r"(^|[/\\])\.\.($|[/\\])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class TargetGuard:
    """Refuses an overlong target (414) or a climbing or control-character path (404)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a hostile target with an error; pass anything else on."""
        if scope["type"] == "http":
            problem = self.problem(scope)
            if problem is not None:
                status, error, detail = problem
                await error_response(status, error, detail)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def problem(self, scope: Scope) -> tuple[int, str, str] | None:
        """(status, error, detail) for a target to refuse, None for one to route."""
        path: str = scope["path"]
        raw_path: bytes = scope.get("raw_path") or path.encode()
        query: bytes = scope.get("query_string", b"")
        length = len(raw_path) + (1 + len(query) if query else 0)
        if length > self.max_bytes and path not in SIZED_BY_ROUTE:
            return 414, "URITooLong", f"the request target is longer than {self.max_bytes:,} bytes"
        if _CLIMBING.search(path):
            return 404, "NotFound", "nothing is here: the path climbs out of its folder ('..')"
        if _CONTROL.search(path):
            return 404, "NotFound", "nothing is here: the path holds a control character"
        return None
