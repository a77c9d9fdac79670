"""What a graph store is, whatever its backend: the GraphStore protocol and the types its
backends share (a version's GraphInfo, query results, sources to load).

The embedded store (graph.store.embedded) and the remote one (graph.store.remote) both build on this
module and on nothing of each other's; graph.store.embedded.open_store picks one of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from graph.errors import CorpusError, one_line
from graph.settings import Settings
from graph.store.querytext import Term
from graph.store.sparql import QueryRunner

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True)
class GraphInfo:
    """What a version of the graph is: its id, size, when and from what it was made."""

    version: str
    triples: int
    created: str
    source: str
    warnings: list[str] = field(default_factory=list)
    review: list[dict[str, object]] = field(default_factory=list)
    """What the build kept out: rejected findings with their reasons, and findings under
    the confidence threshold, each with its document, quote and confidence."""

    def to_json(self) -> str:
        """The info as JSON, as stored beside the data."""
        return json.dumps(asdict(self), indent=2, sort_keys=True)


class GraphStore(Protocol):
    """What the rest of the project needs from a store, whatever its backend."""

    served_from: str
    """Where queries are answered: "memory", "disk" or "remote"."""

    @property
    def info(self) -> GraphInfo:
        """The version, size and origin of the graph served."""
        ...

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Term] | None = None,
        graphs: Sequence[str] | None = None,
    ) -> QueryResult:
        """Run a SPARQL query over the merge of all graphs, or over `graphs` only."""
        ...

    def dump(self, format: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> bytes:
        """The whole dataset serialized."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...

    def query_runner(self, settings: Settings) -> QueryRunner:
        """What /sparql runs user queries with, under the settings' limits."""
        ...


Source = tuple[Path | bytes, ox.RdfFormat, ox.NamedNode | None]
"""RDF to load: a file or bytes, its format, and the graph its triples go to (quads keep
their own graph)."""


def source_size(data: Path | bytes) -> int:
    """The bytes a source holds (for progress)."""
    return data.stat().st_size if isinstance(data, Path) else len(data)


def not_valid_rdf(data: Path | bytes, exc: BaseException) -> CorpusError:
    """The error for a source its parser refused, naming the file."""
    where = data if isinstance(data, Path) else "<data>"
    return CorpusError(where, f"not valid RDF: {one_line(exc)}")
