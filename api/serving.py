"""What the server serves, and its switch to a new graph version without a restart.

`mkg build` and `mkg load` publish a version by swapping the store link (graph.store.embedded), so
the server never reads a store that is being written. Every `follow_seconds` the server
looks at the link; when it names another version, the server opens it beside the one it
serves (copied into memory when it fits, which takes a while at scale and happens off the
event loop), then switches: requests that arrive after the switch get the new version,
requests under way finish on the old one, and the old one is released after them. /sparql
moves over once they have (at most SETTLE_SECONDS later): its new workers are forked then,
so that they do not keep the old copy's pages.
A remote store follows its own version pointer (graph.store.remote), so nothing is done here.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from contextlib import suppress
from pathlib import Path

from starlette.datastructures import State

from graph.errors import StoreError, one_line
from graph.settings import Settings
from graph.store.backend import GraphStore
from graph.store.embedded import StoreLayout, open_store
from graph.store.sparql import QueryRunner

log = logging.getLogger(__name__)

SETTLE_SECONDS = 5.0
"""How long a switch waits for the requests under way on the old version to finish before
it forks the new /sparql workers (forked while the old copy is alive, they would keep its
pages)."""


def start(state: State, settings: Settings) -> None:
    """Open what the settings name into `state.store` and `state.sparql`, or say in
    `state.unavailable` why there is nothing to serve yet."""
    state.store, state.sparql = None, None
    if settings.remote is None and StoreLayout(settings.store).current() is None:
        state.unavailable = f"no graph at {settings.store}: run `mkg build`"
        return
    try:
        state.store = open_store(settings, serving=True)
    except StoreError as exc:  # e.g. a remote store that holds no graph yet
        state.unavailable = str(exc)
        return
    state.sparql = state.store.query_runner(settings)


def stop(state: State) -> None:
    """Release what is served."""
    if state.sparql is not None:
        state.sparql.close()
    if state.store is not None:
        state.store.close()
    state.store, state.sparql = None, None


class Follower:
    """Switches the served store to each new version the store link names."""

    def __init__(self, state: State, settings: Settings) -> None:
        self.state = state
        self.settings = settings
        self.layout = StoreLayout(settings.store)
        self._refused: Path | None = None
        self._retiring: dict[asyncio.Task[None], QueryRunner] = {}

    async def run(self) -> None:
        """Look for a new version every `follow_seconds`, until cancelled."""
        while True:
            await asyncio.sleep(self.settings.follow_seconds)
            try:
                await self.check()
            except Exception:  # a bug here must not stop the following
                log.exception("could not switch to the new graph version")

    async def check(self) -> bool:
        """Switch if the link names another version than the one served; True if it did."""
        current = self.layout.current()
        served: GraphStore | None = self.state.store
        if current is None or current in (_path(served), self._refused):
            return False
        try:
            store = await asyncio.to_thread(open_store, self.settings, serving=True)
        except Exception as exc:  # a version that cannot be read: keep serving this one
            log.warning("not switching to %s: %s", current.name, one_line(exc))
            self._refused = current  # until the link changes again
            return False
        log.info("switching to graph version %s (%s)", store.info.version, store.served_from)
        if served is None:  # the first graph: nothing to wait for, /sparql comes with it
            runner = await asyncio.to_thread(store.query_runner, self.settings)
            self.state.store, self.state.sparql = store, runner
            return True
        self.state.store = store  # requests from now on read the new version
        old_runner: QueryRunner | None = self.state.sparql
        old = weakref.ref(served)
        del served
        await self._settle(old)  # meanwhile /sparql answers from the old workers
        self.state.sparql = await asyncio.to_thread(store.query_runner, self.settings)
        if old_runner is not None:
            self._retire(old_runner)
        return True

    async def _settle(self, old: weakref.ref[GraphStore]) -> None:
        """Wait until no request holds the old store (or SETTLE_SECONDS pass)."""
        deadline = time.monotonic() + SETTLE_SECONDS
        while old() is not None and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    def _retire(self, runner: QueryRunner) -> None:
        """Close the old /sparql workers once the queries sent to them have had their time."""

        async def later() -> None:
            await asyncio.sleep(self.settings.query_timeout + 1)
            runner.close()

        task = asyncio.create_task(later())
        self._retiring[task] = runner
        task.add_done_callback(lambda done: self._retiring.pop(done, None))

    async def close(self) -> None:
        """Close the workers still being retired (at shutdown)."""
        for task, runner in list(self._retiring.items()):
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
            runner.close()


def _path(store: GraphStore | None) -> Path | None:
    path = getattr(store, "path", None)
    return path if isinstance(path, Path) else None
