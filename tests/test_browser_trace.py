"""The trace page in Chromium: a paragraph drawn left to right with every addressee,
activity and implementing event the API lists, each link labelled with its basis, a click
opening the evidence (quotes that are the corpus text at their offsets), the whole
instrument, the form, error pages, and hostile text that stays text."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx2 as httpx
import pytest

from graph.sources.corpus import load_corpus
from tests.browser import MADRID, PAYLOAD, Opener, Visit
from tests.conftest import CORPUS

SYMBOL = "A/RES/60/227"
OP17 = f"/viz/trace?instrument={SYMBOL}&paragraph=17"
WHOLE = f"/viz/trace?instrument={SYMBOL}"


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """Every corpus document's text by id."""
    return {d.id: d.text for d in load_corpus(CORPUS)}


def api_trace(server: str, paragraph: str | None = None) -> dict[str, Any]:
    params = {"instrument": SYMBOL, **({"paragraph": paragraph} if paragraph else {})}
    answer = httpx.get(f"{server}/api/trace", params=params, timeout=30)
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def drawn(server: str, paragraph: dict[str, Any]) -> set[str]:
    """The IRIs the page should draw for one paragraph, as the API gives them."""
    return {
        paragraph["iri"],
        *(a["iri"] for a in paragraph["addressees"]),
        *(a["iri"] for a in paragraph["activities"]),
        *(link["implementer"]["iri"] for link in paragraph["implementations"]),
    }


def ready(seen: Visit) -> Visit:
    seen.page.wait_for_function("() => window.traceReady === true")
    return seen


def click_node(seen: Visit, node: str) -> None:
    """A real mouse click where the node is drawn (scrolled into view first)."""
    point = seen.page.evaluate(
        """(id) => {
            const box = document.getElementById("trace-graph");
            const at = traceNetwork.canvasToDOM(traceNetwork.getPositions([id])[id]);
            const top = box.getBoundingClientRect().top + window.scrollY + at.y;
            window.scrollTo(0, Math.max(0, top - window.innerHeight / 2));
            const now = box.getBoundingClientRect();
            return { x: now.left + at.x, y: now.top + at.y };
        }""",
        node,
    )
    seen.page.mouse.click(point["x"], point["y"])


def click_edge(seen: Visit, edge: str, along: float = 0.7) -> None:
    """A real mouse click on a link's curve, past the bundle where links leave the paragraph."""
    point = seen.page.evaluate(
        """([id, along]) => {
            const box = document.getElementById("trace-graph");
            const on = traceNetwork.body.edges[id].edgeType.getPoint(along);
            const at = traceNetwork.canvasToDOM(on);
            const top = box.getBoundingClientRect().top + window.scrollY + at.y;
            window.scrollTo(0, Math.max(0, top - window.innerHeight / 2));
            const now = box.getBoundingClientRect();
            return { x: now.left + at.x, y: now.top + at.y };
        }""",
        [edge, along],
    )
    seen.page.mouse.click(point["x"], point["y"])


def panel_sources(seen: Visit) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = seen.page.evaluate(
        """() => [...document.querySelectorAll("#trace-panel figure.source")].map((f) => ({
            document: f.dataset.document,
            start: Number(f.dataset.start),
            end: Number(f.dataset.end),
            quote: f.querySelector("blockquote.evidence").textContent,
            caption: f.querySelector("figcaption").textContent,
        }))"""
    )
    return found


def assert_clean_error_page(seen: Visit, status: int) -> None:
    """As Visit.assert_clean, but for a page answered with an error status, of which
    Chromium logs one console error: every other request of the page succeeded."""
    reason = {404: "Not Found", 422: "Unprocessable Entity"}[status]
    assert seen.errors == [
        f"Failed to load resource: the server responded with a status of {status} ({reason})"
    ]
    statuses = seen.page.evaluate(
        "performance.getEntriesByType('resource').map((r) => [r.name, r.responseStatus])"
    )
    assert statuses and all(code == 200 for _, code in statuses), statuses
    assert seen.blocked == []
    assert seen.page.evaluate("window.__pwned") is None


# ------------------------------------------------------------------------ one paragraph


def test_op17_draws_the_paragraph_its_addressees_activities_and_events(
    visit: Opener, live_server: str
) -> None:
    paragraph = api_trace(live_server, "17")["paragraphs"][0]
    expected = drawn(live_server, paragraph)
    assert paragraph["implementations"], "OP17 has implementing events in the corpus"
    seen = ready(visit(OP17))
    assert seen.page.evaluate("traceNetwork.body.data.nodes.length") == len(expected)
    assert set(seen.page.evaluate("traceNetwork.body.data.nodes.getIds()")) == expected
    assert seen.page.locator("#trace-graph canvas").is_visible()
    assert "OP17" in seen.page.inner_text("main h2")
    seen.assert_clean()


def test_the_drawing_runs_left_to_right(visit: Opener, live_server: str) -> None:
    paragraph = api_trace(live_server, "17")["paragraphs"][0]
    seen = ready(visit(OP17))
    x = seen.page.evaluate(
        "Object.fromEntries(Object.entries(traceNetwork.getPositions()).map(([k, p]) => [k, p.x]))"
    )
    parts = [a["iri"] for a in paragraph["addressees"] + paragraph["activities"]]
    events = [link["implementer"]["iri"] for link in paragraph["implementations"]]
    assert all(x[paragraph["iri"]] < x[p] for p in parts)
    assert all(x[p] < x[e] for p in parts for e in events)


@pytest.mark.parametrize("number", ["17", "21"])
def test_every_link_into_an_event_carries_its_basis(
    visit: Opener, live_server: str, number: str
) -> None:
    paragraph = api_trace(live_server, number)["paragraphs"][0]
    basis = {link["implementer"]["iri"]: link["basis"] for link in paragraph["implementations"]}
    seen = ready(visit(f"/viz/trace?instrument={SYMBOL}&paragraph={number}"))
    edges = seen.page.evaluate(
        "traceNetwork.body.data.edges.get().map((e) => ({to: e.to, label: e.label || '',"
        " dashes: JSON.stringify(e.dashes), colour: e.color.color}))"
    )
    into_events = [e for e in edges if e["to"] in basis]
    assert len(into_events) == len(paragraph["implementations"])
    for e in into_events:
        assert e["label"].split()[0] == basis[e["to"]]
    style = {(e["label"].split()[0], e["dashes"], e["colour"]) for e in into_events}
    assert len(style) == len({b for b in basis.values()}), "one look per basis"
    legend = seen.page.locator(".trace-legends")
    assert legend.is_visible()
    for name in ("stated", "curated", "inferred"):
        assert name in legend.inner_text()


def test_op21_shows_both_curated_and_inferred_links_apart(visit: Opener, live_server: str) -> None:
    bases = {
        link["basis"] for link in api_trace(live_server, "21")["paragraphs"][0]["implementations"]
    }
    assert {"curated", "inferred"} <= bases
    seen = ready(visit(f"/viz/trace?instrument={SYMBOL}&paragraph=21"))
    looks = seen.page.evaluate(
        "Object.fromEntries(traceNetwork.body.data.edges.get().filter((e) => e.label)"
        ".map((e) => [e.label.split(' ')[0], JSON.stringify([e.dashes, e.color.color])]))"
    )
    assert looks["curated"] != looks["inferred"]


def test_clicking_an_event_shows_its_evidence(
    visit: Opener, live_server: str, texts: dict[str, str]
) -> None:
    paragraph = api_trace(live_server, "17")["paragraphs"][0]
    link = next(x for x in paragraph["implementations"] if x["implementer"]["iri"] == MADRID)
    event = httpx.get(f"{live_server}/api/events/{link['implementer']['id']}", timeout=30).json()
    seen = ready(visit(OP17))
    click_node(seen, MADRID)
    panel = seen.page.locator("#trace-panel")
    assert panel.locator("h2").inner_text() == link["implementer"]["label"]
    text = panel.inner_text()
    assert event["start"] in text and event["venue"] in text
    for organizer in event["organizers"]:
        assert organizer["label"] in text
    hrefs = panel.locator("a").evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert f"/api/events/{event['id']}" in hrefs
    assert f"/id/event/{event['id']}" in hrefs
    shown = panel_sources(seen)
    assert shown, "the panel quotes its sources"
    for source in shown:
        assert texts[source["document"]][source["start"] : source["end"]] == source["quote"]
        assert f"{source['start']}\u2013{source['end']}" in source["caption"]
    wanted = {
        (s["document"], s["char_start"], s["char_end"], s["evidence"]) for s in link["sources"]
    }
    assert wanted <= {(s["document"], s["start"], s["end"], s["quote"]) for s in shown}
    assert any("curated" in s["caption"] for s in shown)
    seen.screenshot("trace-op17")
    seen.assert_clean()


def test_clicking_an_inferred_link_shows_its_score_and_rationale(
    visit: Opener, live_server: str, texts: dict[str, str]
) -> None:
    paragraph = api_trace(live_server, "21")["paragraphs"][0]
    link = next(x for x in paragraph["implementations"] if x["basis"] == "inferred")
    seen = ready(visit(f"/viz/trace?instrument={SYMBOL}&paragraph=21"))
    edge = seen.page.evaluate(
        "(to) => traceNetwork.body.data.edges.get().find((e) => e.to === to).id",
        link["implementer"]["iri"],
    )
    click_edge(seen, edge)
    panel = seen.page.locator("#trace-panel")
    assert panel.get_attribute("data-edge") == edge
    text = panel.inner_text()
    assert link["implementer"]["label"] in text
    assert "inferred" in text and f"{link['score']:.3f}" in text and link["rationale"] in text
    for source in panel_sources(seen):
        assert texts[source["document"]][source["start"] : source["end"]] == source["quote"]
    seen.assert_clean()


# ----------------------------------------------------------------------- whole instrument


def test_the_whole_instrument_draws_every_paragraph(visit: Opener, live_server: str) -> None:
    answer = api_trace(live_server)
    seen = ready(visit(WHOLE))
    count = seen.page.evaluate("traceNetwork.body.data.nodes.length")
    one = len(drawn(live_server, api_trace(live_server, "17")["paragraphs"][0]))
    assert count > one
    kinds = seen.page.evaluate(
        "traceNetwork.body.data.nodes.getIds().filter((id) => id.includes('/op/')"
        " && !id.includes('/activity/') && !id.includes(' '))"
    )
    assert set(kinds) == {p["iri"] for p in answer["paragraphs"]}
    assert seen.page.evaluate(f"traceNetwork.body.data.nodes.get({answer['iri']!r}) !== null")
    assert "every paragraph" in seen.page.inner_text("main h2")
    seen.screenshot("trace-instrument")
    seen.assert_clean()


def test_the_form_offers_every_instrument_and_its_paragraphs(
    visit: Opener, live_server: str
) -> None:
    instruments = httpx.get(f"{live_server}/api/instruments?limit=1000", timeout=30).json()
    seen = ready(visit(OP17))
    offered = seen.page.locator("#instrument-select option").evaluate_all(
        "(options) => options.map((o) => o.value)"
    )
    assert set(offered) == {i["symbol"] for i in instruments["items"]}
    other = next(i for i in instruments["items"] if i["symbol"] != SYMBOL and i["paragraphs"])
    seen.page.select_option("#instrument-select", other["symbol"])
    numbers = seen.page.locator("#paragraph-select option").evaluate_all(
        "(options) => options.map((o) => o.value)"
    )
    assert numbers == ["", *(p["number"] for p in other["paragraphs"])]
    seen.page.select_option("#paragraph-select", other["paragraphs"][-1]["number"])
    with seen.page.expect_navigation():
        seen.page.click("#trace-form button[type=submit]")
    asked = parse_qs(urlsplit(seen.page.url).query)
    assert asked == {
        "instrument": [other["symbol"]],
        "paragraph": [other["paragraphs"][-1]["number"]],
    }
    ready(seen)
    seen.assert_clean()


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"instrument": "A/RES/99/999"}, 404, "no instrument 'A/RES/99/999'"),
        ({"instrument": SYMBOL, "paragraph": "999"}, 404, "has no paragraph '999'"),
        ({"instrument": "x" * 301}, 422, "at most 300 characters"),
        ({"instrument": SYMBOL, "paragraph": "1\x007"}, 422, "control characters"),
    ],
    ids=["unknown-instrument", "unknown-paragraph", "too-long", "control-character"],
)
def test_bad_parameters_answer_an_html_page_with_a_message(
    live_server: str, query: dict[str, str], status: int, message: str
) -> None:
    answer = httpx.get(f"{live_server}/viz/trace?{urlencode(query)}", timeout=30)
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("text/html")
    assert message in answer.text.replace("&#39;", "'")
    assert "Traceback" not in answer.text


def test_an_unknown_instrument_page_shows_the_message(visit: Opener, live_server: str) -> None:
    seen = visit("/viz/trace?instrument=A/RES/99/999")
    assert "no instrument 'A/RES/99/999' in the graph" in seen.page.inner_text(".trace-error")
    assert seen.page.locator("#trace-graph").count() == 0
    assert seen.page.locator("#instrument-select option").count() > 1
    assert_clean_error_page(seen, 404)


# -------------------------------------------------------------------------- hostile text


@pytest.mark.parametrize(
    "query",
    [{"instrument": PAYLOAD}, {"instrument": SYMBOL, "paragraph": PAYLOAD}],
    ids=["instrument", "paragraph"],
)
def test_a_hostile_parameter_stays_text(
    visit: Opener, hostile_server: str, query: dict[str, str]
) -> None:
    path = f"/viz/trace?{urlencode(query, quote_via=quote)}"
    status = httpx.get(f"{hostile_server}{path}", timeout=30).status_code
    assert status in (404, 422)
    seen = visit(path, server=hostile_server)
    assert PAYLOAD in seen.page.inner_text(".trace-error")
    assert seen.page.locator("main img").count() == 0
    assert_clean_error_page(seen, status)


def test_a_hostile_organizer_stays_text_in_the_panel(visit: Opener, hostile_server: str) -> None:
    seen = ready(visit(OP17, server=hostile_server))
    click_node(seen, MADRID)
    panel = seen.page.locator("#trace-panel")
    organizers = panel.locator("ul.organizers li").all_inner_texts()
    assert any(PAYLOAD in o for o in organizers)
    assert panel.locator("img").count() == 0
    seen.page.hover("#trace-panel h2")  # give a late handler a chance to run
    seen.assert_clean()
