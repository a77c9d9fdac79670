"""Who works with whom: rankings and measures computed from the graph."""

from __future__ import annotations

from dataclasses import dataclass

from graph.iris import Minter
from graph.queries import load_query
from graph.store import GraphStore
from graph.terms import doc_scope, rows


@dataclass(frozen=True)
class Cosponsor:
    """One organization's place in the co-sponsor ranking."""

    iri: str
    label: str
    acronym: str | None
    events: int
    joint_events: int

    @property
    def id(self) -> str:
        """The organization's key, the last segment of its IRI."""
        return self.iri.rsplit("/", 1)[-1]


def cosponsors(
    store: GraphStore,
    minter: Minter,
    *,
    doc: str | None = None,
    joint_only: bool = False,
    limit: int | None = None,
) -> list[Cosponsor]:
    """Organizations by events organized (or, with joint_only, by events shared with others)."""
    scope = doc_scope(store, minter, doc)
    ranking = [
        Cosponsor(
            iri=str(row["org"]),
            label=str(row["label"] or row["org"]),
            acronym=str(row["acronym"]) if row["acronym"] else None,
            events=int(row["events"]),  # type: ignore[call-overload]
            joint_events=int(row["joint_events"]),  # type: ignore[call-overload]
        )
        for row in rows(store.query(load_query("cosponsors"), graphs=scope))
    ]
    if joint_only:
        ranking = sorted(
            (c for c in ranking if c.joint_events),
            key=lambda c: (-c.joint_events, -c.events, c.label),
        )
    return ranking[:limit] if limit is not None else ranking
