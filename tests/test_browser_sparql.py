"""The SPARQL query page in Chromium: offline, under its CSP, the editor highlights and
completes the ontology's terms, an example runs into a table whose IRIs link to their /id/
pages under their labels, results download, and the address reopens and reruns the query."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlsplit

import httpx2 as httpx
from playwright.sync_api import Page

from tests.browser import PAYLOAD, Opener

ACCEPT_DELAY_MS = 200
"""CodeMirror ignores Enter for its first 75 ms on a completion list (interactionDelay),
so that a list that pops up under a typing hand is not accepted by accident."""


def accept_completion(page: Page, option: str) -> None:
    """Wait for `option` to be the selected completion, then take it as a person would."""
    page.wait_for_selector(f".cm-tooltip-autocomplete li[aria-selected]:has-text('{option}')")
    page.wait_for_timeout(ACCEPT_DELAY_MS)
    page.keyboard.press("Enter")


def editor_text(page: Page) -> str:
    return str(page.evaluate("document.getElementById('query').value"))


def test_an_example_query_fills_the_results_table(visit: Opener) -> None:
    seen = visit("/sparql")
    seen.page.click("button.example >> nth=0")
    seen.page.click("#run")
    seen.page.wait_for_selector("#results tbody tr")
    assert seen.page.locator("#results tbody tr").count() > 0
    assert "row(s)" in seen.page.inner_text("#status")
    seen.screenshot("sparql")
    seen.assert_clean()


def test_the_editor_highlights_and_completes_a_prefixed_term(visit: Opener) -> None:
    seen = visit("/sparql")
    page = seen.page
    assert page.locator("#editor .cm-editor").count() == 1
    assert page.locator("#editor .cm-content span[class]").count() > 0  # highlighted tokens
    page.click("#editor .cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("SELECT ?e WHERE { ?e a mkg:Ev")
    accept_completion(page, "mkg:Event")
    text = editor_text(page)
    assert "?e a mkg:Event" in text
    assert text.startswith("PREFIX mkg: <https://w3id.org/migration-kg/ontology#>\n")  # added
    page.keyboard.type(" ; skos:pref")
    page.wait_for_selector(".cm-tooltip-autocomplete li:has-text('skos:prefLabel')")
    page.keyboard.press("Escape")
    page.wait_for_selector(".cm-tooltip-autocomplete", state="detached")
    page.keyboard.press("Control+Home")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowUp")
    page.keyboard.type("PREFIX sk")  # a prefix declaration completes to its namespace
    accept_completion(page, "skos:")
    assert editor_text(page).startswith(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nPREFIX mkg: <"
    )
    seen.assert_clean()


def test_iris_link_to_their_pages_under_their_labels(visit: Opener) -> None:
    query = (
        "PREFIX mkg: <https://w3id.org/migration-kg/ontology#>\n"
        'SELECT ?org ?type WHERE { ?org mkg:acronym "IOM" ; a ?type }'
    )
    seen = visit(f"/sparql?query={quote(query)}")
    page = seen.page
    page.wait_for_selector("#results td span.iri")
    link = page.locator("#results td a.term").first
    assert link.get_attribute("href", timeout=1000).startswith("/id/org/")  # type: ignore[union-attr]
    assert link.inner_text() == "International Organization for Migration"
    with page.expect_navigation():
        link.click()
    assert urlsplit(page.url).path == "/id/org/IOM"
    assert "International Organization for Migration" in page.inner_text("h1")
    seen.assert_clean()


def test_the_address_reopens_and_reruns_the_query(visit: Opener) -> None:
    seen = visit("/sparql")
    page = seen.page
    page.click("button.example >> nth=2")
    page.click("#run")
    page.wait_for_selector("#results tbody tr")
    query = editor_text(page)
    assert parse_qs(urlsplit(page.url).query)["query"] == [query]
    rows = page.locator("#results tbody tr").count()
    shared = urlsplit(page.url)
    again = visit(f"{shared.path}?{shared.query}")
    again.page.wait_for_selector("#results tbody tr")
    assert editor_text(again.page) == query
    assert again.page.locator("#results tbody tr").count() == rows
    again.assert_clean()
    seen.assert_clean()


def test_results_download_as_csv_tsv_and_json(visit: Opener, live_server: str) -> None:
    query = "SELECT ?x WHERE { VALUES ?x { 1 2 } }"
    seen = visit(f"/sparql?query={quote(query)}")
    page = seen.page
    page.wait_for_selector("#results tbody tr")
    for fmt, accept in (
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("json", "application/sparql-results+json"),
    ):
        with page.expect_download() as info:
            page.click(f"button.download[data-format={fmt}]")
        download = info.value
        assert download.suggested_filename == f"query-results.{fmt}"
        direct = httpx.post(
            f"{live_server}/sparql", data={"query": query}, headers={"Accept": accept}
        )
        assert download.path().read_bytes() == direct.content
        assert b"2" in direct.content
    seen.assert_clean()


def test_hostile_labels_stay_text(visit: Opener, hostile_server: str) -> None:
    query = "SELECT ?o ?l WHERE { ?o <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"
    seen = visit(f"/sparql?query={quote(query)}", server=hostile_server)
    seen.page.wait_for_selector("#results td span.iri")
    assert PAYLOAD in seen.page.inner_text("#results")
    seen.assert_clean()
