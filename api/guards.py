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
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


MAX_HEADER_BYTES = 8192
"""The longest request header accepted (a browser's cookies and Accept fit many times
over). Headers up to 1 MiB reach the application (uvicorn is started so, for the JSON
414); without this cap a 1 MB Accept header was parsed for content negotiation on the
event loop, 0.6 s during which no other request was answered."""


class HeaderGuard:
    """Refuses a request with an overlong header (431), before anything reads it."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_HEADER_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 431 to a request with a header over the limit; pass anything else on."""
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if len(value) > self.max_bytes:
                    shown = name[:40].decode("latin-1")
                    detail = f"the {shown} header is longer than {self.max_bytes:,} bytes"
                    answer = error_response(431, "HeaderTooLarge", detail)
                    await answer(scope, receive, send)
                    return
        await self.app(scope, receive, send)


SAFE_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
"""On every answer: browsers take each answer as the type it says (a JSON error or a
text export is never sniffed into a page), and no page leaks its URL, with the query
in it, to a site it links to."""


class SafeAnswers:
    """Adds SAFE_HEADERS to every answer, and makes a redirect to this server relative,
    so that a forged Host header is never sent back as where to go."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; amend the head of its answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def amend(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, _relative(value) if name == b"location" else value)
                    for name, value in message.get("headers", [])
                    if name not in _SAFE_NAMES
                ]
                message = {**message, "headers": headers + SAFE_HEADERS}
            await send(message)

        await self.app(scope, receive, amend)


_SAFE_NAMES = frozenset(name for name, _ in SAFE_HEADERS)


def _relative(location: bytes) -> bytes:
    """A redirect target without its scheme and host: it names this server's path
    whatever Host the request claimed (starlette builds redirects from it)."""
    parts = urlsplit(location.decode("latin-1"))
    if not parts.netloc:
        return location
    path = parts.path or "/"
    if path.startswith("//"):  # would read as another host
        path = "/" + path.lstrip("/")
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")
