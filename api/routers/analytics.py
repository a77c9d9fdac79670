"""Who works with whom, over HTTP: rankings, pairs, centrality, communities, paths."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError

from api.deps import NAME_LENGTH, NAMED, FiltersDep, Limit, MinterDep, Offset, StoreDep
from api.schemas import (
    REFUSED_TARGET,
    CommunityItem,
    CosponsorItem,
    ErrorBody,
    EventRef,
    HopItem,
    Organization,
    Page,
    PairItem,
    PathAnswer,
    ScoreItem,
)
from graph import analytics

router = APIRouter(prefix="/api/analytics", tags=["analytics"], responses=REFUSED_TARGET)


@router.get("/cosponsors")
def cosponsors(
    store: StoreDep,
    minter: MinterDep,
    filters: FiltersDep,
    limit: Limit = 20,
    offset: Offset = 0,
    joint_only: Annotated[
        bool, Query(description="Rank by events shared with others.", examples=[True])
    ] = False,
    count: Annotated[
        analytics.Count,
        Query(description="Rank by events, or by the source rows they come from (a table "
              "row listing two side events counts once).", examples=["rows"]),
    ] = "events",
) -> Page[CosponsorItem]:  # fmt: skip
    """Organizations by events organized (all, and joint: with two or more organizers), or
    with `count=rows` by the source rows those events come from."""
    ranking = analytics.cosponsors(
        store, minter, joint_only=joint_only, filters=filters, count=count
    )
    items = [
        CosponsorItem(
            org=Organization.of(c.org),
            events=c.events,
            joint_events=c.joint_events,
            rows=c.rows,
            joint_rows=c.joint_rows,
        )
        for c in ranking[offset : offset + limit]
    ]
    return Page(items=items, total=len(ranking), limit=limit, offset=offset)


@router.get("/pairs")
def pairs(
    store: StoreDep, minter: MinterDep, filters: FiltersDep, limit: Limit = 20, offset: Offset = 0
) -> Page[PairItem]:
    """Pairs of organizations by events organized together, strongest first."""
    found = analytics.pairs(store, minter, filters)
    items = [
        PairItem(
            orgs=[Organization.of(o) for o in p.orgs],
            shared_events=p.shared_events,
            events=[e.rsplit("/", 1)[-1] for e in p.events],
        )
        for p in found[offset : offset + limit]
    ]
    return Page(items=items, total=len(found), limit=limit, offset=offset)


@router.get("/centrality")
def centrality(
    store: StoreDep,
    minter: MinterDep,
    filters: FiltersDep,
    measure: Annotated[
        Literal["degree", "betweenness", "eigenvector", "pagerank", "closeness"],
        Query(description="Which centrality of the co-sponsorship network."),
    ] = "degree",
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[ScoreItem]:
    """Organizations by a centrality measure, highest first."""
    scores = analytics.centrality(store, minter, measure, filters)
    items = [
        ScoreItem(org=Organization.of(s.org), score=s.score)
        for s in scores[offset : offset + limit]
    ]
    return Page(items=items, total=len(scores), limit=limit, offset=offset)


@router.get("/communities")
def communities(
    store: StoreDep, minter: MinterDep, filters: FiltersDep, limit: Limit = 20, offset: Offset = 0
) -> Page[CommunityItem]:
    """Louvain communities of the co-sponsorship network, largest first."""
    groups = analytics.communities(store, minter, filters)
    items = [
        CommunityItem(id=c.id, label=c.label, members=[Organization.of(m) for m in c.members])
        for c in groups[offset : offset + limit]
    ]
    return Page(items=items, total=len(groups), limit=limit, offset=offset)


PATH_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No path, or an unknown organization"},
    422: {
        "model": ErrorBody,
        "description": "A missing, blank or malformed parameter, or source and target "
        "naming the same organization",
    },
}


@router.get("/path", responses=PATH_ERRORS)
def path(
    store: StoreDep,
    minter: MinterDep,
    filters: FiltersDep,
    source: Annotated[str, Query(description="Organization id, acronym or label.",
                                 examples=["HEI"], max_length=NAME_LENGTH), NAMED],
    target: Annotated[str, Query(description="Organization id, acronym or label.",
                                 examples=["OLA"], max_length=NAME_LENGTH), NAMED],
) -> PathAnswer:  # fmt: skip
    """The strongest shortest collaboration path, with the events on each hop."""
    hops = analytics.path(store, minter, source, target, filters)
    if not hops:  # from an organization to itself: nothing to show
        raise RequestValidationError(
            [
                {
                    "loc": ("query", "target"),
                    "msg": f"the same organization as source ({source!r})",
                    "input": target,
                }
            ]
        )
    labels = analytics.event_labels(store, minter, (e for h in hops for e in h.events))
    return PathAnswer(
        source=Organization.of(hops[0].source),
        target=Organization.of(hops[-1].target),
        hops=[
            HopItem(
                source=Organization.of(h.source),
                target=Organization.of(h.target),
                events=[
                    EventRef(id=e.rsplit("/", 1)[-1], iri=e, label=labels[e]) for e in h.events
                ],
            )
            for h in hops
        ],
    )
