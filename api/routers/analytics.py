"""Who works with whom, over HTTP: rankings, pairs, centrality, communities, paths.

What each route says of itself, and which centralities `/centrality` offers, come from
the registry of measures (graph.read.analytics.MEASURES): a measure is described once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError

from api.deps import NAME_LENGTH, NAMED, FiltersDep, Limit, MinterDep, Offset, StoreDep
from api.schemas import (
    REFUSED_TARGET,
    CommunityItem,
    CosponsorItem,
    ErrorBody,
    Merged,
    Page,
    PairItem,
    PathAnswer,
    ScoreItem,
)
from graph.read import analytics
from graph.read.catalog import key_of
from graph.read.projection import event_labels

router = APIRouter(prefix="/api/analytics", tags=["analytics"], responses=REFUSED_TARGET)

if TYPE_CHECKING:
    CentralityName = str
else:  # the choices the schema lists are the registered centralities
    CentralityName = Literal[tuple(analytics.CENTRALITIES)]
CENTRALITY_HELP = "Which centrality of the co-sponsorship network: " + "; ".join(
    f"`{c.name}`: {c.description}" for c in analytics.CENTRALITIES.values()
)


def _described(name: str) -> str:
    """A route's description: the registered measure's."""
    return analytics.MEASURES[name].description


@router.get("/cosponsors", description=_described("cosponsors") + (
    " With `count=rows`, by the source rows those events come from."))  # fmt: skip
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
    items = [CosponsorItem.model_validate(c) for c in ranking[offset : offset + limit]]
    return Page(items=items, total=len(ranking), limit=limit, offset=offset)


@router.get("/pairs", description=_described("pairs"))
def pairs(
    store: StoreDep, minter: MinterDep, filters: FiltersDep, limit: Limit = 20, offset: Offset = 0
) -> Page[PairItem]:
    """Pairs of organizations by events organized together, strongest first."""
    found = analytics.pairs(store, minter, filters)
    items = [PairItem.model_validate(p) for p in found[offset : offset + limit]]
    return Page(items=items, total=len(found), limit=limit, offset=offset)


@router.get(
    "/centrality",
    description="Organizations by a centrality measure, highest first. " + CENTRALITY_HELP,
)
def centrality(
    store: StoreDep,
    minter: MinterDep,
    filters: FiltersDep,
    measure: Annotated[CentralityName, Query(description=CENTRALITY_HELP)] = "degree",
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[ScoreItem]:
    """Organizations by a centrality measure, highest first."""
    scores = analytics.centrality(store, minter, measure, filters)
    items = [ScoreItem.model_validate(s) for s in scores[offset : offset + limit]]
    return Page(items=items, total=len(scores), limit=limit, offset=offset)


@router.get("/communities", description=_described("communities"))
def communities(
    store: StoreDep, minter: MinterDep, filters: FiltersDep, limit: Limit = 20, offset: Offset = 0
) -> Page[CommunityItem]:
    """Louvain communities of the co-sponsorship network, largest first."""
    groups = analytics.communities(store, minter, filters)
    items = [CommunityItem.model_validate(c) for c in groups[offset : offset + limit]]
    return Page(items=items, total=len(groups), limit=limit, offset=offset)


PATH_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No path, or an unknown organization"},
    422: {
        "model": ErrorBody,
        "description": "A missing, blank or malformed parameter, or source and target "
        "naming the same organization",
    },
}


@router.get("/path", responses=PATH_ERRORS, description=_described("path"))
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
    labels = event_labels(store, minter, (e for h in hops for e in h.events))
    return PathAnswer.model_validate(
        {
            "source": hops[0].source,
            "target": hops[-1].target,
            "hops": [
                Merged(
                    h, events=[{"id": key_of(e), "iri": e, "label": labels[e]} for e in h.events]
                )
                for h in hops
            ],
        }
    )
