"""The network and organization pages in Chromium: drawn offline from the graph, a click
opens the right panel, filters redraw, the focus shows the ego network, hostile text
stays text, the view saves as PNG."""

from __future__ import annotations

import urllib.parse

import networkx as nx
import pytest
from playwright.sync_api import Page

from graph.model.iris import Minter
from graph.read.projection import Projection
from graph.read.projection import projection as projection_of
from tests.browser import PAYLOAD, Opener
from tests.conftest import Built

UNITAR = "https://w3id.org/migration-kg/id/org/UNITAR"


@pytest.fixture(scope="module")
def projection(built: Built) -> Projection:
    return projection_of(built.store, Minter(built.settings.base_iri))


def drawn(page: Page) -> set[str]:
    """The ids of the nodes in the page's vis-network DataSet."""
    return set(page.evaluate("mkgNetwork.body.data.nodes.getIds()"))


def click_node(page: Page, node: str) -> None:
    """A real mouse click where the network draws the node."""
    point = page.evaluate("(id) => mkgNetwork.canvasToDOM(mkgNetwork.getPositions([id])[id])", node)
    box = page.locator("#network").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_the_network_draws_every_organization_with_a_partner_or_event(
    visit: Opener, projection: Projection
) -> None:
    seen = visit("/viz/network")
    expected = set(projection.cosponsorship().nodes)
    assert len(expected) <= 150  # the corpus fits under the default cap
    assert drawn(seen.page) == expected
    assert seen.page.locator("#legend li").count() >= 2
    assert f"Showing {len(expected)} of {len(expected)}" in seen.page.inner_text("#note")
    seen.screenshot("network")
    seen.assert_clean()


def test_clicking_a_node_opens_its_events_and_sources(
    visit: Opener, projection: Projection
) -> None:
    seen = visit("/viz/network")
    click_node(seen.page, UNITAR)
    seen.page.wait_for_selector("#panel-events li")
    assert seen.page.inner_text("#panel-title") == projection.organizations[UNITAR].label
    shown = seen.page.locator("#panel-events li a").all_inner_texts()
    organized = sorted(e.label for e in projection.events.values() if UNITAR in e.organizers)
    assert sorted(shown) == organized
    assert seen.page.locator("#panel blockquote.evidence").count() > 0
    seen.screenshot("network-panel")
    seen.assert_clean()


def test_a_filter_redraws_with_fewer_nodes_and_focus_shows_the_ego_network(
    visit: Opener, projection: Projection
) -> None:
    seen = visit("/viz/network")
    everyone = drawn(seen.page)
    seen.page.fill("#start", "2013")
    seen.page.dispatch_event("#start", "change")
    seen.page.wait_for_function("(n) => mkgNetwork.body.data.nodes.length < n", arg=len(everyone))
    assert 0 < len(drawn(seen.page)) < len(everyone)
    assert "start=2013" in seen.page.url
    seen.page.fill("#start", "")
    seen.page.select_option("#org", "UNITAR")
    seen.page.wait_for_function("() => location.search.includes('org=UNITAR')")
    ego = nx.ego_graph(projection.cosponsorship(), UNITAR, radius=1)
    assert drawn(seen.page) == set(ego.nodes)
    seen.assert_clean()


def test_the_cap_says_what_it_left_out(visit: Opener) -> None:
    seen = visit("/viz/network?max_nodes=10")
    assert len(drawn(seen.page)) == 10
    note = seen.page.inner_text("#note")
    assert "Showing 10 of" in note and "left out" in note
    seen.assert_clean()


def test_the_view_saves_as_png(visit: Opener) -> None:
    seen = visit("/viz/network")
    with seen.page.expect_download() as download:
        seen.page.click("#export-png")
    path = download.value.path()
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    seen.assert_clean()


def test_the_organization_page_shows_its_ego_network_and_events(
    visit: Opener, projection: Projection
) -> None:
    seen = visit("/viz/organizations/UNITAR")
    ego = nx.ego_graph(projection.cosponsorship(), UNITAR, radius=1)
    assert drawn(seen.page) == set(ego.nodes)
    organized = [e for e in projection.events.values() if UNITAR in e.organizers]
    assert seen.page.locator("#timeline li").count() == len(organized)
    seen.screenshot("organization")
    seen.assert_clean()
    click_node(seen.page, "https://w3id.org/migration-kg/id/org/UNFPA")
    seen.page.wait_for_url("**/viz/organizations/UNFPA")


def test_unknown_organizations_and_bad_dates_get_a_page_that_says_so(visit: Opener) -> None:
    missing = visit("/viz/organizations/NO-SUCH-ORG")
    assert "NO-SUCH-ORG" in missing.page.inner_text("#problem")
    bad = visit("/viz/network?start=someday")
    assert "malformed date" in bad.page.inner_text("#problem")


def test_hostile_labels_and_parameters_stay_text(visit: Opener, hostile_server: str) -> None:
    hostile = "https://w3id.org/migration-kg/id/org/HOSTILE"
    seen = visit("/viz/network", server=hostile_server)
    assert hostile in drawn(seen.page)
    click_node(seen.page, hostile)
    seen.page.wait_for_selector("#panel-events li")
    assert seen.page.inner_text("#panel-title") == PAYLOAD
    assert PAYLOAD in seen.page.locator("#panel-events").inner_text()
    seen.page.hover("#network")
    seen.assert_clean()
    page = visit("/viz/organizations/HOSTILE", server=hostile_server)
    assert PAYLOAD in page.page.inner_text("#org-label")
    page.assert_clean()
    quoted = urllib.parse.quote(PAYLOAD)
    for path in (f"/viz/network?org={quoted}", f"/viz/network?theme={quoted}",
                 f"/viz/organizations/{quoted}"):  # fmt: skip
        answer = visit(path, server=hostile_server)
        assert answer.page.locator("img").count() == 0
        answer.assert_clean()
