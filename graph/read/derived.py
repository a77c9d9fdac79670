"""The one cache of results derived from the graph: projections, rankings, indexes, views.

Keyed by the graph version and what was asked, so a rebuild (a new version) is never
answered from the old one; bounded in entries (least recently used go first), so a
server asked for many filter sets does not grow without end. Aggregates at the graph's
sizes take seconds; they are computed once per version and key (FIELD-NOTES).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from cachetools import LRUCache

from graph.store.backend import GraphStore

T = TypeVar("T")
SIZE = 256
"""Results kept at most, across versions and keys."""

_results: LRUCache[tuple[Hashable, ...], Any] = LRUCache(maxsize=SIZE)
_lock = threading.Lock()  # cachetools' caches are not safe across threads on their own
_MISSING = object()


def version_key(store: GraphStore) -> tuple[Hashable, ...]:
    """What tells one graph from another: its version (an unversioned store, such as a
    test's in memory, is told apart by its identity)."""
    version = store.info.version
    return (version, id(store) if version == "unversioned" else 0)


def cached(store: GraphStore, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """compute(), remembered per graph version and key. Computed outside the lock: two
    threads asking at once may both compute, and the answers are the same."""
    full = (*version_key(store), *key)
    with _lock:
        found = _results.get(full, _MISSING)
    if found is not _MISSING:
        result: T = found
        return result
    result = compute()
    with _lock:
        _results[full] = result
    return result


def clear() -> None:
    """Forget every cached result."""
    with _lock:
        _results.clear()


def size() -> int:
    """How many results are cached now."""
    with _lock:
        return len(_results)
