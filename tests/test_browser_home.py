"""The landing page and the timeline in Chromium, against the served corpus: the figures
match what SPARQL counts, the search answers as you type and without JavaScript, the
timeline draws one mark per event the API lists, and hostile labels stay text."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import httpx2 as httpx
from playwright.sync_api import Browser

from tests.browser import PAYLOAD, Opener

COUNTS = {
    "organizations": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a mkg:Organization }",
    "events": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a mkg:Event }",
    "instruments": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a mkg:Instrument }",
    "documents": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a mkg:Document }",
}
PREFIX = "PREFIX mkg: <https://w3id.org/migration-kg/ontology#>\n"
DOCUMENTS = PREFIX + (
    "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
    "SELECT ?id ?title WHERE { ?d a mkg:Document ; dcterms:identifier ?id ; dcterms:title ?title }"
)
IOM = "International Organization for Migration"
MADRID = "2006-07-18-madrid-ibero-american-encounter-on-international-migration"


def sparql(server: str, query: str) -> list[dict[str, str]]:
    """Solutions of a SELECT run through the live server's /sparql, as plain strings."""
    answer = httpx.post(
        f"{server}/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return [
        {name: term["value"] for name, term in binding.items()}
        for binding in answer.json()["results"]["bindings"]
    ]


def api(server: str, path: str, **params: Any) -> Any:
    """A JSON answer of the live server's API."""
    answer = httpx.get(f"{server}{path}", params=params, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


# ---------------------------------------------------------------------------- landing page


def test_home_shows_the_figures_sparql_counts(visit: Opener, live_server: str) -> None:
    seen = visit("/")
    for name, query in COUNTS.items():
        expected = int(sparql(live_server, PREFIX + query)[0]["n"])
        shown = seen.page.inner_text(f"[data-figure={name}] strong")
        assert int(shown) == expected, name
    seen.screenshot("home")
    seen.assert_clean()


def test_home_links_every_view_and_every_source(visit: Opener, live_server: str) -> None:
    seen = visit("/")
    hrefs = set(
        seen.page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    )
    views = {
        "/viz/network",
        "/viz/trace?instrument=A/RES/60/227&paragraph=17",
        "/viz/timeline",
        "/viz/organizations/IOM",
        "/sparql",
        "/docs",
    }
    exports = {f"/api/export?format={f}" for f in ("turtle", "jsonld", "graphml", "csv")}
    assert views | exports <= hrefs
    documents = sparql(live_server, DOCUMENTS)
    assert documents
    for doc in documents:
        link = seen.page.locator(f'table.documents a[href="/id/doc/{doc["id"]}"]')
        assert link.inner_text() == doc["title"]
    table = seen.page.inner_text("table.documents")
    assert "International Organization for Migration (IOM)" in table  # a publisher
    assert "8 August 2006" in table  # an issue date
    year_links = seen.page.locator("svg.year-bars a")
    assert year_links.count() >= 10
    assert "/viz/timeline?start=2006&end=2006" in hrefs
    assert httpx.get(f"{live_server}/id/doc/{documents[0]['id']}").status_code == 200


def test_typing_in_the_search_box_finds_iom(visit: Opener, live_server: str) -> None:
    seen = visit("/")
    assert seen.page.locator("#results .hit-group").count() == 0
    seen.page.fill("#q", "IOM")
    hit = seen.page.locator('.hit-group[data-kind="organizations"] a', has_text=IOM).first
    hit.wait_for()
    href = hit.get_attribute("href")
    assert href == "/viz/organizations/IOM"
    assert httpx.get(f"{live_server}{href}", timeout=30).status_code == 200
    assert seen.page.url.endswith("/?q=IOM")
    seen.screenshot("home-search")
    seen.page.fill("#q", "A/RES/60/227")
    instrument = seen.page.locator('.hit-group[data-kind="instruments"] a', has_text="A/RES/60/227")
    instrument.first.wait_for()
    assert instrument.first.get_attribute("href") == "/viz/trace?instrument=A%2FRES%2F60%2F227"
    seen.page.fill("#q", "")
    seen.page.wait_for_function("document.querySelectorAll('#results .hit-group').length === 0")
    seen.assert_clean()


def test_the_search_form_works_without_javascript(chromium: Browser, live_server: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server}/")
        page.fill("#q", "IOM")
        page.press("#q", "Enter")
        page.wait_for_url("**/?q=IOM")
        hit = page.locator('.hit-group[data-kind="organizations"] a', has_text=IOM).first
        assert hit.get_attribute("href") == "/viz/organizations/IOM"
        assert "match" in page.inner_text("#search-status")
    finally:
        context.close()


def test_server_side_hits_equal_the_api(visit: Opener, live_server: str) -> None:
    seen = visit("/?q=migration")
    for kind in ("organizations", "events", "instruments"):
        total = api(live_server, f"/api/{kind}", q="migration", limit=1)["total"]
        shown = seen.page.inner_text(f'.hit-group[data-kind="{kind}"] .count')
        assert int(shown) == total, kind
    event = seen.page.locator('.hit-group[data-kind="events"] a').first
    assert (event.get_attribute("href") or "").startswith("/id/event/")
    seen.assert_clean()


# ---------------------------------------------------------------------------- timeline


def test_the_timeline_draws_one_mark_per_event(visit: Opener, live_server: str) -> None:
    seen = visit("/viz/timeline")
    listed = api(live_server, "/api/events", limit=1000)
    marks = seen.page.locator("svg#chart a.event")
    assert marks.count() == listed["total"] > 0
    drawn = set(
        seen.page.eval_on_selector_all("svg#chart a.event", "as => as.map(a => a.dataset.event)")
    )
    assert drawn == {e["id"] for e in listed["items"]}
    hrefs = seen.page.eval_on_selector_all(
        "svg#chart a.event", "as => as.map(a => a.getAttribute('href'))"
    )
    assert set(hrefs) == {f"/id/event/{e['id']}" for e in listed["items"]}
    tooltip = seen.page.locator(f'svg#chart a.event[data-event="{MADRID}"] > title').text_content()
    assert tooltip is not None
    assert "18 July 2006" in tooltip
    assert "Ibero-American Encounter on International Migration" in tooltip
    assert "Organized by: " in tooltip
    seen.screenshot("timeline")
    seen.assert_clean()


def test_the_legend_lists_the_themes_drawn(visit: Opener, live_server: str) -> None:
    seen = visit("/viz/timeline")
    events = api(live_server, "/api/events", limit=1000)["items"]
    used = {t for e in events for t in e["themes"]}
    links = seen.page.eval_on_selector_all(
        "ul.legend a[href*='theme=']",
        "as => as.map(a => new URL(a.href).searchParams.get('theme'))",
    )
    assert set(links) == used
    untagged = sum(not e["themes"] for e in events)
    legend = seen.page.inner_text("ul.legend")
    assert ("No theme" in legend) == (untagged > 0)
    theme = sorted(used)[0]
    seen.page.click(f"ul.legend a[href*='theme={theme}']")
    seen.page.wait_for_url(f"**theme={theme}")
    tagged = api(live_server, "/api/events", theme=theme, limit=1)["total"]
    assert seen.page.locator("svg#chart a.event").count() == tagged


def test_a_filter_draws_fewer_marks(visit: Opener, live_server: str) -> None:
    everything = api(live_server, "/api/events", limit=1)["total"]
    in_2013 = api(live_server, "/api/events", start="2013", end="2013", limit=1)["total"]
    seen = visit("/viz/timeline?start=2013&end=2013")
    marks = seen.page.locator("svg#chart a.event").count()
    assert marks == in_2013
    assert 0 < marks < everything
    assert seen.page.input_value("input[name=start]") == "2013"
    seen.assert_clean()


def test_the_filter_form_narrows_by_organizer(visit: Opener, live_server: str) -> None:
    seen = visit("/viz/timeline")
    seen.page.fill("input[name=org]", "UNITAR")
    seen.page.click("form.filters button[type=submit]")
    seen.page.wait_for_url("**org=UNITAR**")
    expected = api(live_server, "/api/events", org="UNITAR", limit=1)["total"]
    assert seen.page.locator("svg#chart a.event").count() == expected > 0
    seen.assert_clean()


def test_a_malformed_date_is_a_422_page_with_a_message(visit: Opener, live_server: str) -> None:
    answer = httpx.get(f"{live_server}/viz/timeline", params={"start": "2006-13"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    seen = visit("/viz/timeline?start=2006-13")
    assert "malformed date '2006-13'" in seen.page.inner_text("#problem")
    assert seen.page.input_value("input[name=start]") == "2006-13"  # there to correct
    assert seen.page.locator("svg#chart").count() == 0
    assert seen.blocked == []


def test_an_unknown_document_is_a_404_page(live_server: str) -> None:
    answer = httpx.get(f"{live_server}/viz/timeline", params={"doc": "nope"})
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "no source document" in answer.text


# ---------------------------------------------------------------------------- hostile text


def test_a_hostile_query_stays_text(visit: Opener, hostile_server: str) -> None:
    seen = visit(f"/?q={quote(PAYLOAD)}", server=hostile_server)
    assert seen.page.input_value("#q") == PAYLOAD
    hit = seen.page.locator('.hit-group[data-kind="organizations"] a').first
    assert hit.inner_text() == PAYLOAD
    assert seen.page.locator("img").count() == 0
    seen.assert_clean()


def test_a_hostile_label_typed_in_the_search_box_stays_text(
    visit: Opener, hostile_server: str
) -> None:
    seen = visit("/", server=hostile_server)
    seen.page.fill("#q", PAYLOAD)
    hit = seen.page.locator('.hit-group[data-kind="events"] a').first
    hit.wait_for()
    assert hit.inner_text() == PAYLOAD
    assert hit.get_attribute("href") == "/id/event/2006-05-01-hostile"
    assert PAYLOAD in seen.page.inner_text('.hit-group[data-kind="organizations"]')
    assert seen.page.locator("img").count() == 0
    seen.assert_clean()


def test_the_timeline_keeps_hostile_labels_as_text(visit: Opener, hostile_server: str) -> None:
    seen = visit("/viz/timeline", server=hostile_server)
    total = api(hostile_server, "/api/events", limit=1)["total"]
    assert seen.page.locator("svg#chart a.event").count() == total
    mark = seen.page.locator('svg#chart a.event[data-event="2006-05-01-hostile"]')
    tooltip = mark.locator("title").text_content() or ""
    assert PAYLOAD in tooltip.splitlines()
    assert f"{PAYLOAD} ({PAYLOAD})" not in tooltip  # acronym equal to label: said once
    assert PAYLOAD in (seen.page.locator("details.event-list").text_content() or "")
    assert seen.page.locator("img").count() == 0
    seen.assert_clean()


def test_a_hostile_organizer_filter_stays_text(visit: Opener, hostile_server: str) -> None:
    seen = visit("/viz/timeline?" + urlencode({"org": PAYLOAD}), server=hostile_server)
    assert seen.page.input_value("input[name=org]") == PAYLOAD
    assert seen.page.locator("svg#chart a.event").count() == 2  # Madrid and its own event
    seen.assert_clean()
