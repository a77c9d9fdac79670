"""Organizations, events, instruments and traces over the API, checked against the graph
and against the corpus text the evidence quotes."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.model.iris import Minter
from graph.read import analytics, catalog
from graph.read.projection import projection as projection_of
from graph.read.terms import rows
from tests import conftest
from tests.conftest import CALENDAR_DOC, CORPUS, Built, ok_json

MADRID = "2006-07-18-madrid-ibero-american-encounter-on-international-migration"
BRUSSELS = "2006-03-15-brussels-conference-on-migration-and-development"
BASE = "https://w3id.org/migration-kg/id/"
TEXTS = {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}


def all_pages(client: TestClient, url: str, **params: Any) -> list[Any]:
    """Every item of a paginated list, in pages of 7 (so that every list spans pages)."""
    return conftest.all_pages(client, url, page_size=7, **params)


def assert_quoted(sources: list[dict[str, Any]]) -> None:
    """Every source quote is the document's text at its offsets."""
    assert sources
    for s in sources:
        assert TEXTS[s["document"]][s["char_start"] : s["char_end"]] == s["evidence"]


def test_events_are_every_organized_event_with_checkable_sources(
    client: TestClient, built: Built
) -> None:
    events = all_pages(client, "/api/events")
    proj = projection_of(built.store, Minter(built.settings.base_iri))
    assert {e["iri"] for e in events} == set(proj.events)
    assert [e["start"] or "" for e in events] == sorted(e["start"] or "" for e in events)
    for e in events:
        assert_quoted(e["sources"])
        assert e["organizers"], e["id"]
        assert {"id", "iri", "label", "acronym"} <= set(e["organizers"][0])


def test_event_filters_narrow_the_list(client: TestClient) -> None:
    everything = ok_json(client, "/api/events", limit=1)["total"]
    in_2013 = all_pages(client, "/api/events", start="2013", end="2013")
    assert 0 < len(in_2013) < everything
    assert all(e["start"].startswith("2013") for e in in_2013)
    with_iom = all_pages(client, "/api/events", org="IOM")
    assert 0 < len(with_iom) < everything
    assert all("IOM" in {o["id"] for o in e["organizers"]} for e in with_iom)
    in_geneva = all_pages(client, "/api/events", venue="geneva")
    assert in_geneva and all(e["venue"] == "Geneva" for e in in_geneva)
    panels = all_pages(client, "/api/events", q="panel")
    assert panels and all("panel" in e["label"].casefold() for e in panels)
    health = all_pages(client, "/api/events", theme="health")
    assert health and all("health" in e["themes"] for e in health)


def test_the_doc_filter_keeps_what_that_document_states(client: TestClient) -> None:
    calendar = all_pages(client, "/api/events", doc=CALENDAR_DOC)
    assert 0 < len(calendar) < ok_json(client, "/api/events", limit=1)["total"]
    for e in calendar:
        assert CALENDAR_DOC in {s["document"] for s in e["sources"]}, e["id"]


def test_an_event_in_full_with_links_and_disagreements(client: TestClient) -> None:
    madrid = ok_json(client, f"/api/events/{MADRID}")
    assert {"instrument": "A/RES/60/227", "paragraph": "17", "basis": "curated"} in madrid[
        "implements"
    ]
    [link] = [x for x in madrid["links"] if x["target"].endswith("/op/17")]
    assert_quoted(link["sources"])
    # The calendar dates the Brussels conference 15-16 March; another paper says "March
    # 2006": only less precise, so no dispute, the precise dates served, both sources kept.
    brussels = ok_json(client, f"/api/events/{BRUSSELS}")
    assert (brussels["start"], brussels["end"]) == ("2006-03-15", "2006-03-16")
    assert brussels["disputed"] == []
    assert {CALENDAR_DOC, "003_3ad2074d6c553691"} <= {s["document"] for s in brussels["sources"]}


def test_organizations_search_and_detail(client: TestClient, built: Built) -> None:
    found = ok_json(client, "/api/organizations", q="iom", limit=100)["items"]
    assert "IOM" in {o["id"] for o in found}
    governments = all_pages(client, "/api/organizations", org_type="Government")
    assert governments and all(o["type"] == "Government" for o in governments)
    iom = ok_json(client, "/api/organizations/IOM")
    minter = Minter(built.settings.base_iri)
    ranking = {c.id: c.events for c in analytics.cosponsors(built.store, minter)}
    assert len(iom["events"]) == ranking["IOM"]
    pairs = {
        frozenset(o.id for o in p.orgs): p.shared_events
        for p in analytics.pairs(built.store, minter)
    }
    for partner in iom["partners"]:
        assert pairs[frozenset({"IOM", partner["org"]["id"]})] == partner["shared_events"]
    assert_quoted(iom["sources"])
    assert (
        ok_json(client, "/api/organizations/International Organization for Migration")["id"]
        == "IOM"
    )


def test_organizations_active_in_a_window(client: TestClient) -> None:
    active = all_pages(client, "/api/organizations", start="2013", end="2013")
    assert active and all(o["events"] > 0 for o in active)
    assert len(active) < ok_json(client, "/api/organizations", limit=1)["total"]


def test_instruments_with_their_paragraphs(client: TestClient, built: Built) -> None:
    instruments = all_pages(client, "/api/instruments")
    count = rows(
        built.store.query(
            "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { "
            "?i a <https://w3id.org/migration-kg/ontology#Instrument> ; "
            "<https://w3id.org/migration-kg/ontology#symbol> ?s }"
        )
    )[0]["n"]
    assert len(instruments) == count
    resolution = ok_json(client, "/api/instruments/A/RES/60/227")
    assert resolution == {**ok_json(client, "/api/instruments/A-RES-60-227")}
    assert "17" in {p["number"] for p in resolution["paragraphs"] if p["kind"] == "operative"}
    assert_quoted(resolution["sources"])


@pytest.mark.parametrize(
    ("q", "org_type"),
    [(None, None), ("un", None), ("IOM", None), ("unitar", None), (None, "UNEntity"),
     ("migration", "IntergovernmentalOrganization"), ("no such name", None)],
)  # fmt: skip
def test_organization_pages_are_the_search_cut_in_order(
    client: TestClient, built: Built, q: str | None, org_type: str | None
) -> None:
    """Read page after page, organizations are those whose label or acronym contains the
    text (any case) or whose id it is, of the type asked, by label, each with the events
    it organized (the projection's count), each once; every page's total is their number."""
    projection = analytics.projection(built.store, Minter("https://w3id.org/migration-kg/id/"))
    wanted = (q or "").casefold()
    expected = sorted(
        (
            (org.id, sum(org.iri in e.organizers for e in projection.events.values()))
            for org in projection.organizations.values()
            if (not wanted or wanted in org.label.casefold()
                or wanted in (org.acronym or "").casefold() or wanted == org.id.casefold())
            and (not org_type or org.type == org_type)
        ),
        key=lambda found: (projection.organizations[f"{BASE}org/{found[0]}"].label, found[0]),
    )  # fmt: skip
    params = {k: v for k, v in (("q", q), ("org_type", org_type)) if v}
    total = ok_json(client, "/api/organizations", limit=1, **params)["total"]
    pages = [ok_json(client, "/api/organizations", limit=9, offset=o, **params)
             for o in range(0, total + 10, 9)]  # fmt: skip
    listed = [(o["id"], o["events"]) for page in pages for o in page["items"]]
    assert listed == expected
    assert {page["total"] for page in pages} == {len(expected)}


@pytest.mark.parametrize("q", [None, "res", "A/RES", "MIGRATION", "wha", "no such instrument"])
def test_instrument_pages_are_the_search_cut_in_order(
    client: TestClient, built: Built, q: str | None
) -> None:
    """The store pages and counts the search: the pages, read one after another, are the
    instruments whose symbol, label or another spelling contains the text (any case), in
    symbol order, each once; every page's total is their number."""
    minter = Minter("https://w3id.org/migration-kg/id/")
    params = {"q": q} if q else {}
    total = ok_json(client, "/api/instruments", limit=1, **params)["total"]
    pages = [
        ok_json(client, "/api/instruments", limit=2, offset=o, **params)
        for o in range(0, total + 3, 2)
    ]
    listed = [i for page in pages for i in page["items"]]
    wanted = (q or "").casefold()
    expected = [
        view.symbol
        for view in catalog.instruments(built.store, minter)
        if any(wanted in name.casefold() for name in (view.symbol, view.label, *view.aliases))
    ]
    assert [i["symbol"] for i in listed] == expected
    assert {page["total"] for page in pages} == {len(expected)}
    assert listed == all_pages(client, "/api/instruments", **params)


def test_trace_a_paragraph_to_its_events_and_back(client: TestClient) -> None:
    traced = ok_json(client, "/api/trace", instrument="A/RES/60/227", paragraph="17")
    [op17] = traced["paragraphs"]
    assert op17["number"] == "17"
    implementers = {link["implementer"]["id"] for link in op17["implementations"]}
    assert MADRID in implementers
    for link in op17["implementations"]:
        assert link["basis"] in {"stated", "curated", "inferred"}
        assert_quoted(link["sources"])
        back = ok_json(client, f"/api/events/{link['implementer']['id']}")
        assert op17["iri"] in {x["target"] for x in back["links"]}


def test_a_reference_with_its_paragraph_traces_that_paragraph(client: TestClient) -> None:
    together = ok_json(client, "/api/trace", instrument="A/RES/60/227 OP17")
    assert together == ok_json(client, "/api/trace", instrument="A/RES/60/227", paragraph="17")
    page = client.get("/viz/trace", params={"instrument": "A/RES/60/227 OP17"})
    assert page.status_code == 200 and "every paragraph" not in page.text
    both = {"instrument": "A/RES/60/227 OP17", "paragraph": "18"}
    conflicting = client.get("/viz/trace", params=both)
    assert conflicting.status_code == 422 and "text/html" in conflicting.headers["content-type"]
    asked_json = client.get("/viz/trace", params=both, headers={"Accept": "application/json"})
    assert asked_json.status_code == 422 and asked_json.json()["error"] == "ParseError"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/events/no-such-event", 404),
        ("/api/organizations/NO-SUCH-ORG", 404),
        ("/api/instruments/A/RES/99/999", 404),
        ("/api/trace?instrument=A/RES/60/227&paragraph=999", 404),
        ("/api/trace?instrument=NOPE", 404),
        ("/api/trace", 422),
        ("/api/events?doc=no-such-document", 404),
        ("/api/events?start=someday", 422),
        ("/api/events?start=2013&end=2006", 422),
        ("/api/events?limit=0", 422),
        ("/api/organizations?offset=-1", 422),
        ("/api/instruments?q=" + "x" * 301, 422),
    ],
)
def test_bad_input_is_a_json_error(client: TestClient, url: str, status: int) -> None:
    answer = client.get(url)
    assert answer.status_code == status
    assert set(answer.json()) == {"error", "detail", "request_id"}
    assert answer.json()["detail"]
    assert answer.json()["request_id"] == answer.headers["X-Request-ID"]


@pytest.mark.parametrize("per_instrument", [0, 1000])
def test_an_instrument_page_reads_paragraphs_either_way_alike(
    built: Built, monkeypatch: pytest.MonkeyPatch, per_instrument: int
) -> None:
    """A page reads its instruments' paragraphs one query each, or all at once when long;
    either way the page is the whole list's cut."""
    monkeypatch.setattr(catalog, "PARAGRAPH_QUERIES", per_instrument)
    minter = Minter(BASE)
    whole = catalog.instruments(built.store, minter)
    page, total = catalog.instrument_page(built.store, minter, limit=5, offset=2)
    assert (page, total) == (whole[2:7], len(whole))
    assert any(view.paragraphs for view in page)
