"""A GraphStore over any SPARQL 1.1 endpoint (being written)."""

from __future__ import annotations

from graph.errors import StoreError
from graph.settings import Settings
from graph.store import GraphStore


class RemoteStore:
    """A remote SPARQL 1.1 store."""

    @classmethod
    def open(cls, settings: Settings) -> GraphStore:
        """The current graph on the remote endpoint."""
        raise StoreError(f"remote stores are not supported yet ({settings.remote})")
