"""/reconcile: the W3C Reconciliation Service API (version 0.2), as OpenRefine speaks it.

GET answers the service manifest; GET or POST with the form field `queries` (a JSON object
of queries) answers candidates per query; `extend` (data extension) fills columns from the
graph. Suggest (entities, types, properties), a preview card per entity and the property
proposal for data extension live under /reconcile/. The matching is graph.read.reconcile's.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import MinterDep, StoreDep
from api.errors import error_response
from api.pages import TEMPLATES
from api.schemas import REFUSED_TARGET
from graph.errors import ReconcileError
from graph.model.iris import Minter
from graph.model.namespaces import MKG
from graph.read import reconcile as matching
from graph.store.backend import GraphStore

router = APIRouter(prefix="/reconcile", tags=["reconciliation"], responses=REFUSED_TARGET)
FORM = "application/x-www-form-urlencoded"
CORS = {"Access-Control-Allow-Origin": "*"}
"""Browser-based clients (not only OpenRefine's server) may call the service."""
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors *"
)
"""The preview card is shown in a frame of the client's page (OpenRefine's), so any page
may frame it; it runs no script."""
PREVIEW_WIDTH, PREVIEW_HEIGHT = 430, 170
Prefix = Annotated[
    str,
    Query(
        max_length=matching.MAX_QUERY_CHARS, description="What was typed.", examples=["Internat"]
    ),
]


def _root(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def manifest(request: Request, minter: Minter) -> dict[str, Any]:
    """The service manifest: what the service offers and where."""
    root = _root(request)
    service = f"{root}/reconcile"
    return {
        "versions": ["0.2"],
        "name": "migration-kg: organizations, instruments and events of migration governance",
        "identifierSpace": minter.base,
        "schemaSpace": str(MKG._NS),
        "documentation": f"{root}/docs#/reconciliation",
        "batchSize": matching.MAX_QUERIES,
        "defaultTypes": [{"id": "Organization", "name": "Organization"}],
        "view": {"url": f"{root}/id/{{{{id}}}}"},
        "preview": {
            "url": f"{service}/preview?id={{{{id}}}}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "suggest": {
            kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/properties"},
            "property_settings": [],
        },
    }


def answer_queries(store: GraphStore, minter: Minter, raw: str) -> dict[str, Any]:
    """The result batch for a `queries` field."""
    known = matching.index(store, minter)
    batch = matching.parse_batch(raw, known)
    return {
        key: {
            "result": [
                {
                    "id": c.entity.id,
                    "name": c.entity.name,
                    "description": known.description(c.entity),
                    "score": c.score,
                    "match": c.match,
                    "type": known.type_names(c.entity),
                }
                for c in matching.reconcile(known, query)
            ]
        }
        for key, query in batch.items()
    }


def answer_extension(store: GraphStore, minter: Minter, raw: str) -> dict[str, Any]:
    """The data extension response for an `extend` field."""
    known = matching.index(store, minter)
    ids, pids = matching.parse_extension(raw)
    meta = []
    for pid in pids:
        prop = matching.PROPERTY_BY_ID[pid]
        entry: dict[str, Any] = {"id": prop.id, "name": prop.name}
        if prop.value_type:
            entry["type"] = {"id": prop.value_type, "name": known.types[prop.value_type].name}
        meta.append(entry)
    return {"meta": meta, "rows": matching.extend(store, minter, known, ids, pids)}


async def _answer(
    request: Request, store: GraphStore, minter: Minter, fields: dict[str, str]
) -> Response:
    if "queries" in fields:
        body = await run_in_threadpool(answer_queries, store, minter, fields["queries"])
    elif "extend" in fields:
        body = await run_in_threadpool(answer_extension, store, minter, fields["extend"])
    else:
        body = manifest(request, minter)
    return JSONResponse(body, headers=CORS)


@router.get("")
async def service(
    request: Request,
    store: StoreDep,
    minter: MinterDep,
    queries: Annotated[
        str | None,
        Query(description="A JSON object of queries.", examples=['{"q0": {"query": "OIM"}}']),
    ] = None,
    extend: Annotated[
        str | None,
        Query(
            description="A data extension request (JSON).",
            examples=['{"ids": ["org/IOM"], "properties": [{"id": "acronym"}]}'],
        ),
    ] = None,
) -> Response:
    """The service manifest; with `queries`, the candidates for each query; with `extend`,
    the values of properties of reconciled entities."""
    fields = {k: v for k, v in (("queries", queries), ("extend", extend)) if v is not None}
    return await _answer(request, store, minter, fields)


@router.post("", openapi_extra={"requestBody": {"content": {FORM: {"schema": {
    "type": "object", "properties": {
        "queries": {"type": "string", "description": "A JSON object of queries: "
                    '{"q0": {"query": "UN DESA", "type": "Organization", "limit": 3}}'},
        "extend": {"type": "string", "description": 'Data extension: {"ids": ["org/IOM"], '
                   '"properties": [{"id": "acronym"}]}'}}}}}}})  # fmt: skip
async def reconcile(request: Request, store: StoreDep, minter: MinterDep) -> Response:
    """Candidates for a batch of queries (form field `queries`, at most 100 queries, names
    of at most 1,000 characters), or data extension (form field `extend`)."""
    limit: int = request.app.state.settings.max_request_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return _too_large(limit)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return _too_large(limit)
    kind = request.headers.get("content-type", FORM).split(";")[0].strip().lower()
    if kind not in (FORM, ""):
        return error_response(
            415, "UnsupportedMediaType", f"send the form fields as {FORM}, not {kind}"
        )
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReconcileError(f"the form cannot be read: {exc}") from None
    fields = {k: v[0] for k, v in parsed.items() if k in ("queries", "extend")}
    return await _answer(request, store, minter, fields)


def _too_large(limit: int) -> Response:
    return error_response(413, "ContentTooLarge", f"the request is larger than {limit:,} bytes")


@router.get("/suggest/entity")
def suggest_entity(
    store: StoreDep,
    minter: MinterDep,
    prefix: Prefix,
    type: Annotated[
        str | None,
        Query(max_length=200, description="Only of this type.", examples=["Organization"]),
    ] = None,
    cursor: Annotated[int, Query(ge=0, le=10_000, examples=[0])] = 0,
    limit: Annotated[int, Query(ge=1, le=100, examples=[10])] = 10,
) -> JSONResponse:
    """Entities whose name starts as typed, for autocompletion."""
    known = matching.index(store, minter)
    types = matching.parse_types(type, known)
    found = matching.suggest_entities(known, prefix, types, cursor, limit)
    result = [
        {"id": e.id, "name": e.name, "description": description, "notable": known.type_names(e)}
        for e, description in found
    ]
    return JSONResponse({"result": result}, headers=CORS)


@router.get("/suggest/type")
def suggest_type(store: StoreDep, minter: MinterDep, prefix: Prefix = "") -> JSONResponse:
    """Types (classes of the ontology) whose name starts as typed."""
    known = matching.index(store, minter)
    result = []
    for t in matching.suggest_types(known, prefix):
        item: dict[str, Any] = {"id": t.id, "name": t.name}
        if t.description:
            item["description"] = t.description
        if t.broader and t.broader in known.types:
            item["broader"] = [{"id": t.broader, "name": known.types[t.broader].name}]
        result.append(item)
    return JSONResponse({"result": result}, headers=CORS)


@router.get("/suggest/property")
def suggest_property(prefix: Prefix = "") -> JSONResponse:
    """Properties (for query constraints and data extension) whose name starts as typed."""
    result = [
        {"id": p.id, "name": p.name, "description": p.description}
        for p in matching.suggest_properties(prefix)
    ]
    return JSONResponse({"result": result}, headers=CORS)


@router.get("/properties")
def propose_properties(
    store: StoreDep,
    minter: MinterDep,
    type: Annotated[
        str, Query(max_length=200, description="The type of the column.", examples=["Organization"])
    ] = (matching.ORGANIZATION),
    limit: Annotated[int, Query(ge=1, le=100, examples=[10])] = 20,
) -> JSONResponse:
    """The properties data extension can fetch for entities of a type."""
    known = matching.index(store, minter)
    kind = matching.parse_types(type, known)[0]
    organizations = known.subtypes.get(matching.ORGANIZATION, set())
    offered = [p for p in matching.PROPERTIES if kind in organizations or p.id == "type"]
    return JSONResponse(
        {
            "type": kind,
            "limit": limit,
            "properties": [
                {"id": p.id, "name": p.name, "description": p.description} for p in offered[:limit]
            ],
        },
        headers=CORS,
    )


@router.get("/preview", response_class=HTMLResponse)
def preview(
    request: Request,
    store: StoreDep,
    minter: MinterDep,
    id: Annotated[
        str, Query(max_length=1000, description="An entity id, e.g. org/IOM.", examples=["org/IOM"])
    ],
) -> Response:
    """A small card that tells the entity apart from its namesakes."""
    known = matching.index(store, minter)
    found = matching.entity(known, id)
    others = sorted({form.text for form, _ in found.names} - {found.name})
    response = TEMPLATES.TemplateResponse(
        request,
        "reconcile_preview.html",
        {
            "entity": found,
            "types": known.type_names(found),
            "description": known.description(found),
            "names": others[:12],
            "more_names": max(0, len(others) - 12),
            "parent": known.entities.get(found.parent) if found.parent else None,
            "link": f"{_root(request)}/id/{found.id}",
        },
    )
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    return response
