"""Connections that go quiet are closed: a client has `client_timeout` seconds to send
a request's head, whether its connection is new, kept alive after an answer, or half
sent. uvicorn closes a kept-alive connection that stays idle, but one that never sends
a full head (a new connection that sends nothing, a request line and no blank line)
would stay open for good, and enough of them would exhaust the server's descriptors.
The body's pace is the application's to watch (api.routers.sparql reads it with a
time limit)."""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol


class HeadTimeoutH11(H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head is late."""

    head_timeout: float = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request's head."""
        super().connection_made(transport)
        self._arm()

    def handle_events(self) -> None:
        """Stop the clock once a request's head has arrived."""
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self._disarm()

    def on_response_complete(self) -> None:
        """Start the clock for the next request's head."""
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Nothing to time any more."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.head_timeout, self._late)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _late(self) -> None:
        self._head_timer = None
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting and not self.transport.is_closing():
            self.transport.close()


def protocol(head_timeout: float) -> type[HeadTimeoutH11]:
    """The protocol class for uvicorn (`http=`), with this head timeout."""
    return type("HeadTimeoutH11", (HeadTimeoutH11,), {"head_timeout": head_timeout})
