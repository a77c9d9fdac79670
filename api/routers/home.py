"""The landing page (search, headline figures, the views, the sources) and the timeline."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import BLANK_IS_NONE, MinterDep, StoreDep
from api.pages import PAGE, on_error, render
from api.schemas import PAGE_ERROR_CONTENT, REFUSED_TARGET
from graph.errors import NotFound
from graph.model.iris import Minter
from graph.read import catalog
from graph.read.filters import Filters
from graph.store.backend import GraphStore
from graph.views import timeline

router = APIRouter(tags=["pages"], responses=REFUSED_TARGET)
SEARCH_LIMIT = 8
"""Hits shown per kind (organizations, events, instruments); the API pages through all."""
EXPORT_FORMATS = ("turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "csv")
PAGE_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "An unknown document, organization or theme (an HTML page says "
        "which; JSON when Accept prefers it)",
        "content": PAGE_ERROR_CONTENT,
    },
    422: {
        "description": "A malformed date or window (an HTML page says which; JSON when "
        "Accept prefers it)",
        "content": PAGE_ERROR_CONTENT,
    },
}


@router.get("/", response_class=HTMLResponse, responses=PAGE_ERRORS, dependencies=[PAGE])
def home(
    request: Request,
    store: StoreDep,
    minter: MinterDep,
    q: Annotated[str | None, Query(description="Search organizations, events and instruments "
                                   "(the page without JavaScript).", examples=["IOM"])] = None,
) -> HTMLResponse:  # fmt: skip
    """The landing page: a search box, the headline figures, every view, the source
    documents and the events per year."""
    events = catalog.events(store, minter)
    documents = timeline.documents(store)
    per_year = Counter((e.start or "")[:4] for e in events if e.start)
    wanted = (q or "").strip()
    return render(
        request,
        "home.html",
        {
            "q": wanted,
            "hits": _search(store, minter, wanted) if wanted else None,
            "figures": {
                "organizations": len(catalog.organizations(store, minter)),
                "events": len(events),
                "instruments": len(catalog.instruments(store, minter)),
                "documents": len(documents),
            },
            "documents": [(d, len(_events_of(store, minter, d.id))) for d in documents],
            "years": _years(per_year),
            "export_formats": EXPORT_FORMATS,
            "search_limit": SEARCH_LIMIT,
            "readable": timeline.readable,
        },
    )


def _events_of(store: GraphStore, minter: Minter, doc: str) -> list[catalog.EventView]:
    """The events a source document states."""
    return catalog.events(store, minter, catalog.EventFilters(window=Filters(doc=doc)))


def _search(store: GraphStore, minter: Minter, q: str) -> dict[str, Any]:
    """The first hits of each kind and how many there are in all."""
    orgs = catalog.organizations(store, minter, q)
    events = catalog.events(store, minter, catalog.EventFilters(q=q))
    instruments, in_all = catalog.instrument_page(store, minter, q, limit=SEARCH_LIMIT)
    return {
        "organizations": {"items": [o for o, _ in orgs[:SEARCH_LIMIT]], "total": len(orgs)},
        "events": {"items": events[:SEARCH_LIMIT], "total": len(events)},
        "instruments": {"items": instruments, "total": in_all},
    }


def _years(per_year: Counter[str]) -> list[dict[str, Any]]:
    """Events per year from the first year to the last, empty years included."""
    if not per_year:
        return []
    first, last = int(min(per_year)), int(max(per_year))
    most = max(per_year.values())
    return [
        {"year": y, "events": per_year[str(y)], "share": per_year[str(y)] / most}
        for y in range(first, last + 1)
    ]


@router.get(
    "/viz/timeline", response_class=HTMLResponse, responses=PAGE_ERRORS, dependencies=[PAGE]
)
def timeline_page(
    request: Request,
    store: StoreDep,
    minter: MinterDep,
    start: Annotated[str | None, Query(description="From: YYYY, YYYY-MM or YYYY-MM-DD.",
                                       examples=["2006"])] = None,
    end: Annotated[str | None, Query(description="Until: YYYY, YYYY-MM or YYYY-MM-DD.",
                                     examples=["2006-09"])] = None,
    theme: Annotated[str | None, Query(description="Only events on this theme (its id).",
                                       examples=["health"])] = None,
    org: Annotated[str | None, Query(description="Only events this organization organized "
                                     "(id, acronym or label).", examples=["IOM"]),
                   BLANK_IS_NONE] = None,
    doc: Annotated[str | None, Query(description="Only what this source document says.",
                                     examples=["000_14d2ce0a342a483c"])] = None,
) -> Response:  # fmt: skip
    """Events by month, coloured by theme, each a link to its page; filters as parameters."""
    params = {"start": start or "", "end": end or "", "theme": theme or "", "org": org or "",
              "doc": doc or ""}  # fmt: skip
    palette = timeline.themes(store)
    context: dict[str, Any] = {
        "params": params,
        "themes": list(palette.values()),
        "documents": timeline.documents(store),
        "organizations": [o for o, n in catalog.organizations(store, minter) if n],
        "chart": None,
        "total": len(catalog.events(store, minter)),
        "readable": timeline.readable,
        "when": timeline.when,
        "no_theme_color": timeline.NO_THEME_COLOR,
    }
    on_error(request, "timeline.html", context)  # the filters stay there to correct
    if theme and theme not in palette and theme not in {t.iri for t in palette.values()}:
        raise NotFound(f"no theme {theme!r} in the graph (choose one from the list)")
    window = Filters.parse(start, end, doc, theme)
    found = catalog.events(store, minter, catalog.EventFilters(window=window, org=org))
    context["chart"] = timeline.layout(found, palette)
    context["filtered"] = any(params.values())
    context["theme_links"] = {
        t: "/viz/timeline?" + urlencode({**{k: v for k, v in params.items() if v}, "theme": t})
        for t in palette
    }
    return render(request, "timeline.html", context)
