"""The interactive co-sponsorship network and the organization pages (/viz/)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import BLANK_IS_NONE, NAME_LENGTH, NAMED, MinterDep, StoreDep, filter_query
from api.pages import PAGE, render
from api.schemas import PAGE_ERROR_CONTENT, REFUSED_TARGET
from graph.errors import NotFound
from graph.model.iris import Minter
from graph.read import catalog
from graph.read.filters import Filters
from graph.store.backend import GraphStore
from graph.views import network

router = APIRouter(prefix="/viz", tags=["pages"], responses=REFUSED_TARGET)
PAGE_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "An unknown organization or document (an HTML page says which; "
        "JSON when Accept prefers it)",
        "content": PAGE_ERROR_CONTENT,
    },
    422: {
        "description": "A malformed parameter (an HTML page says which; JSON when Accept "
        "prefers it)",
        "content": PAGE_ERROR_CONTENT,
    },
}
Date = Annotated[str | None, Query(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD.",
                                   examples=["2006"])]  # fmt: skip
Theme = Annotated[str | None, filter_query("theme", max_length=NAME_LENGTH)]
OrgType = Annotated[str | None, filter_query("org_type", max_length=NAME_LENGTH)]
Doc = Annotated[str | None, filter_query("doc", max_length=NAME_LENGTH)]
Focus = Annotated[
    str | None,
    Query(
        max_length=NAME_LENGTH,
        description="Focus: this organization's ego network.",
        examples=["UNITAR"],
    ),
    BLANK_IS_NONE,
]


@dataclass(frozen=True)
class NetworkParams:
    """The network's parameters as given, for the page's controls and for the request."""

    start: Date = None
    end: Date = None
    theme: Theme = None
    org_type: OrgType = None
    doc: Doc = None
    org: Focus = None
    min_shared: Annotated[
        int,
        Query(
            ge=1,
            le=1000,
            description="Draw only pairs that share at least this many events.",
            examples=[2],
        ),
    ] = 1
    max_nodes: Annotated[
        int,
        Query(
            ge=1,
            le=network.LARGEST_MAX_NODES,
            description="Draw at most this many organizations (the strongest).",
            examples=[150],
        ),
    ] = network.DEFAULT_MAX_NODES
    color_by: Annotated[network.ColorBy, Query(description="Colour nodes by community or by "
                                           "type.")] = "community"  # fmt: skip

    def request(self) -> network.NetworkRequest:
        """The network request they describe (bad values raise ParseError/NotFound)."""
        return network.NetworkRequest(
            filters=Filters.parse(self.start, self.end, self.doc, self.theme, self.org_type),
            min_shared=self.min_shared,
            org=self.org or None,
            max_nodes=self.max_nodes,
            color_by=self.color_by,
        )  # fmt: skip


Params = Annotated[NetworkParams, Depends()]


def _payload(view: network.NetworkView, wanted: network.NetworkRequest) -> dict[str, Any]:
    """What the page's script draws: nodes, edges, options, legend and the note."""
    return {
        "nodes": view.nodes,
        "edges": view.edges,
        "options": view.options,
        "legend": view.legend,
        "shown": len(view.nodes),
        "total": view.total_nodes,
        "left_out": view.left_out,
        "max_nodes": wanted.max_nodes,
        "focus": view.focus,
    }


@router.get("/network", response_class=HTMLResponse, responses=PAGE_ERRORS, dependencies=[PAGE])
def network_page(request: Request, store: StoreDep, minter: MinterDep, params: Params) -> Response:
    """The co-sponsorship network: size by events, colour by community or type, width by
    shared events; filters as parameters and as controls; click a node for its panel."""
    wanted = params.request()
    view = network.network(store, minter, wanted)
    return render(
        request,
        "network.html",
        {
            "data": _payload(view, wanted),
            "params": asdict(params),
            "choices": network.choices(store, minter),
        },
    )


@router.get("/network.json", responses={404: {}, 422: {}})
def network_data(store: StoreDep, minter: MinterDep, params: Params) -> dict[str, Any]:
    """The network page's data for the same parameters, to redraw without reloading."""
    wanted = params.request()
    return _payload(network.network(store, minter, wanted), wanted)


@router.get(
    "/organizations/{org_id}",
    response_class=HTMLResponse,
    responses=PAGE_ERRORS,
    dependencies=[PAGE],
)
def organization_page(
    request: Request,
    store: StoreDep,
    minter: MinterDep,
    org_id: Annotated[str, Path(max_length=NAME_LENGTH, description="Id, acronym or label.",
                                examples=["IOM"]), NAMED],
) -> Response:  # fmt: skip
    """An organization: its ego network, its events on a timeline, its mandates and sources."""
    found = catalog.organization(store, minter, org_id)
    ego = _ego(store, minter, found.org.id)
    years: dict[str, list[catalog.EventView]] = {}
    for event in found.events:
        years.setdefault((event.start or "undated")[:4], []).append(event)
    return render(
        request,
        "organization.html",
        {
            "org": found,
            "data": ego,
            "years": sorted(years.items()),
            "sources": [asdict(s) for s in found.sources],
            "base_iri": minter.base,
        },
    )


def _ego(store: GraphStore, minter: Minter, org_id: str) -> dict[str, Any] | None:
    wanted = network.NetworkRequest(org=org_id, max_nodes=network.LARGEST_MAX_NODES)
    try:
        return _payload(network.network(store, minter, wanted), wanted)
    except NotFound:  # organized no event: no network to draw
        return None
