"""Per-client rate limiting: past its limit a client gets 429 with Retry-After.

Clients are told apart by IP address: the one they connect from, or, from a proxy named
in MKG_TRUSTED_PROXIES only, the one its X-Forwarded-For gives (api.main puts it in the
scope before this middleware runs); a header from anyone else changes nothing. The
limits are the `limits` library's (moving windows, several at once:
"30/second;1200/minute"), counted in this process.
/health and static files are not counted: monitors and page assets should not spend a
client's allowance.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import error_response

EXEMPT = ("/health", "/static/")


class RateLimit:
    """ASGI middleware that answers 429 to a client over any of its limits."""

    def __init__(self, app: ASGIApp, limits: str, exempt: tuple[str, ...] = EXEMPT) -> None:
        self.app = app
        self.items: list[RateLimitItem] = parse_many(limits)
        self.exempt = exempt
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = client[0] if client else "unknown"
        for item in self.items:
            if not self.limiter.hit(item, key):
                reset, _ = self.limiter.get_window_stats(item, key)
                retry = max(1, math.ceil(reset - time.time()))
                response = error_response(
                    429,
                    "TooManyRequests",
                    f"more than {item.amount} requests per {_per(item)} from {key}; "
                    f"retry in {retry} s",
                    headers={"Retry-After": str(retry)},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _per(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples} {unit}s"
