"""Shared views in Chromium: the network, the trace and the timeline keep their state in
the address, so that a reload, or the link sent to a colleague, opens the same view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page

from tests.browser import MADRID, Opener, Visit
from tests.test_browser_network import click_node as click_network_node
from tests.test_browser_network import drawn
from tests.test_browser_trace import OP17, click_edge, ready
from tests.test_browser_trace import click_node as click_trace_node

UNFPA = "https://w3id.org/migration-kg/id/org/UNFPA"


def address(page: Page) -> str:
    """The page's path and query string, to open elsewhere."""
    parts = urlsplit(page.url)
    return f"{parts.path}?{parts.query}"


def colours(page: Page) -> dict[str, str]:
    found: dict[str, str] = page.evaluate(
        "Object.fromEntries(mkgNetwork.body.data.nodes.get().map((n) => [n.id, n.color]))"
    )
    return found


def form_values(page: Page) -> dict[str, str]:
    found: dict[str, str] = page.evaluate(
        "Object.fromEntries([...new FormData(document.getElementById('filters'))])"
    )
    return found


def test_a_shared_network_link_reopens_the_same_view(visit: Opener) -> None:
    seen = visit("/viz/network")
    page = seen.page
    everyone = drawn(page)
    page.fill("#start", "2006")
    page.fill("#end", "2006")
    page.dispatch_event("#end", "change")
    page.wait_for_function("(n) => mkgNetwork.body.data.nodes.length < n", arg=len(everyone))
    page.select_option("#color_by", "type")
    page.wait_for_function("() => location.search.includes('color_by=type')")
    click_network_node(page, UNFPA)
    page.wait_for_selector("#panel-events li")
    params = parse_qs(urlsplit(page.url).query)
    assert params["start"] == ["2006"] and params["end"] == ["2006"]
    assert params["color_by"] == ["type"] and params["selected"] == ["UNFPA"]
    shared = address(page)

    again = visit(shared)
    assert drawn(again.page) == drawn(page)
    assert 0 < len(drawn(page)) < len(everyone)
    assert colours(again.page) == colours(page)
    assert form_values(again.page) == form_values(page)
    again.page.wait_for_selector("#panel-events li")
    assert again.page.inner_text("#panel-title") == page.inner_text("#panel-title")
    assert again.page.evaluate("mkgNetwork.getSelectedNodes()") == [UNFPA]
    again.screenshot("network-shared")
    again.assert_clean()
    seen.assert_clean()


def test_a_focused_network_link_reopens_focused(visit: Opener) -> None:
    seen = visit("/viz/network")
    seen.page.select_option("#org", "UNITAR")
    seen.page.wait_for_function("() => location.search.includes('org=UNITAR')")
    again = visit(address(seen.page))
    assert drawn(again.page) == drawn(seen.page)
    assert again.page.input_value("#org") == "UNITAR"
    again.assert_clean()


def test_clicking_empty_canvas_forgets_the_selection(visit: Opener) -> None:
    seen = visit("/viz/network?selected=UNFPA")
    seen.page.wait_for_selector("#panel-events li")
    box = seen.page.locator("#network").bounding_box()
    assert box is not None
    seen.page.mouse.click(box["x"] + 3, box["y"] + 3)
    seen.page.wait_for_function("() => !location.search.includes('selected=')")
    seen.assert_clean()


def trace_panel(seen: Visit) -> tuple[str, str]:
    panel = seen.page.locator("#trace-panel")
    return panel.locator("h2").inner_text(), panel.inner_text()


def test_a_shared_trace_link_reopens_the_same_panel(visit: Opener) -> None:
    seen = ready(visit(OP17))
    click_trace_node(seen, MADRID)
    seen.page.wait_for_function("() => location.search.includes('node=')")
    assert parse_qs(urlsplit(seen.page.url).query)["node"] == [MADRID]
    again = ready(visit(address(seen.page)))
    assert trace_panel(again) == trace_panel(seen)
    assert again.page.evaluate("traceNetwork.getSelectedNodes()") == [MADRID]

    edge = seen.page.evaluate(
        "(id) => traceNetwork.body.data.edges.get().find((e) => e.to === id).id", MADRID
    )
    click_edge(seen, edge)
    seen.page.wait_for_function("() => location.search.includes('link=')")
    assert "node=" not in seen.page.url
    linked = ready(visit(address(seen.page)))
    assert trace_panel(linked) == trace_panel(seen)
    linked.assert_clean()
    again.assert_clean()
    seen.assert_clean()


def test_a_shared_timeline_link_draws_the_same_events(visit: Opener) -> None:
    seen = visit("/viz/timeline")
    everything = seen.page.locator("#chart a.event").count()
    seen.page.fill("input[name=start]", "2006-03")
    seen.page.fill("input[name=end]", "2006-09")
    with seen.page.expect_navigation():
        seen.page.click("form.filters button[type=submit]")
    marks = seen.page.locator("#chart a.event").evaluate_all(
        "(marks) => marks.map((m) => m.dataset.event)"
    )
    assert 0 < len(marks) < everything
    again = visit(address(seen.page))
    assert (
        again.page.locator("#chart a.event").evaluate_all(
            "(marks) => marks.map((m) => m.dataset.event)"
        )
        == marks
    )
    assert again.page.input_value("input[name=start]") == "2006-03"
    again.assert_clean()
