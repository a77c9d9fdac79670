"""The mandate register page in Chromium: the matrix has a row for every paragraph the API
lists and a coloured cell for every addressee, a click on a cell opens quotes that are the
corpus text at their offsets, the filters live in the URL, an instrument read from its own
text shows its lineage on a timeline, and hostile labels stay text."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx2 as httpx
import pytest

from graph.sources.corpus import load_corpus
from tests.browser import BASE, MKG, PAYLOAD, PAYLOAD_LITERAL, Opener, Visit, serve_with
from tests.conftest import CORPUS, PROJECT_ROOT, Built
from tests.servers import serve

SYMBOL = "A/RES/60/227"
RESOLUTION = """            96/501. Labour mobility

      The General Assembly,

      Recalling its resolutions 58/208 of 23 December 2003 and 61/208 of
20 December 2006,

      Reaffirming its resolution 60/227 of 23 December 2005,

      1.  Requests the Secretary-General to submit a report at its ninety-seventh session;

      2.  Invites Member States and the International Organization for Migration to
organize two round tables in 2042;
"""


def api(server: str, path: str, **params: Any) -> dict[str, Any]:
    answer = httpx.get(f"{server}{path}", params=params, timeout=60)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def ready(seen: Visit) -> Visit:
    seen.page.wait_for_function("() => window.mandatesReady === true")
    return seen


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {d.id: d.text for d in load_corpus(CORPUS)}


@pytest.fixture(scope="module")
def lineage_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The corpus with a resolution text accepted by `mkg ingest --accept`, served."""
    root = tmp_path_factory.mktemp("lineage")
    shutil.copytree(CORPUS, root / "corpus")
    text = root / "ares_96_501.txt"
    text.write_text(RESOLUTION, encoding="utf-8")
    env = {**os.environ, "MKG_STORE": str(root / "store"), "MKG_CORPUS": str(root / "corpus")}
    done = subprocess.run(
        [sys.executable, "-m", "graph.cli", "ingest", str(text), "--accept"],
        env=env, capture_output=True, text=True, timeout=300, cwd=PROJECT_ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    yield from serve(root / "store")


@pytest.fixture(scope="module")
def hostile_mandates(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The corpus plus an addressee and a cited instrument whose names are markup."""
    graph = f"<{BASE}graph/hostile>"
    org = f"<{BASE}org/HOSTILE>"
    cited = f"<{BASE}instrument/HOSTILE>"
    citing = f"<{BASE}instrument/A-RES-60-227>"
    citation = f"<{BASE}instrument/A-RES-60-227/citation/hostile>"
    doc = f"<{BASE}doc/000_14d2ce0a342a483c>"
    text = PAYLOAD_LITERAL
    rdf = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    extra = [
        f"{org} {rdf} <{MKG}Organization> {graph} .",
        f"{org} <http://www.w3.org/2004/02/skos/core#prefLabel> {text} {graph} .",
        f"<{BASE}instrument/A-RES-60-227/op/24> <{MKG}addressee> {org} {graph} .",
        f"{cited} {rdf} <{MKG}Instrument> {graph} .",
        f"{cited} <{MKG}symbol> {text} {graph} .",
        f"{citing} <{MKG}recalls> {cited} {graph} .",
        f"{citing} <{MKG}qualifiedCitation> {citation} {graph} .",
        f"{citation} <{MKG}cited> {cited} {graph} .",
        f"{citation} <{MKG}citationProperty> <{MKG}recalls> {graph} .",
        f"{citation} <http://www.w3.org/ns/prov#wasDerivedFrom> {doc} {graph} .",
        f"{citation} <{MKG}evidence> {text} {graph} .",
        f'{citation} <{MKG}charStart> "0"^^<http://www.w3.org/2001/XMLSchema#integer> {graph} .',
        f'{citation} <{MKG}charEnd> "1"^^<http://www.w3.org/2001/XMLSchema#integer> {graph} .',
    ]
    folder = tmp_path_factory.mktemp("hostile-mandates")
    yield from serve_with(built, folder, extra, "hostile-mandates")


def test_the_matrix_has_every_paragraph_and_addressee_the_api_lists(
    visit: Opener, live_server: str
) -> None:
    seen = ready(visit(f"/viz/mandates?instrument={quote(SYMBOL, safe='')}"))
    answer = api(live_server, "/api/mandates", instrument=SYMBOL, limit=1000)
    rows = seen.page.locator("#mandates-matrix tbody tr")
    assert rows.count() == answer["total"]
    heads = seen.page.locator("#mandates-matrix th.addressee-head").all_inner_texts()
    labels = {a["label"] for i in answer["items"] for a in i["addressees"]}
    assert set(heads) - {"(no addressee named)"} == labels
    for index, item in enumerate(answer["items"]):
        row = rows.nth(index)
        assert item["paragraph"]["id"] in row.locator("th").inner_text()
        cells = row.locator("button.cell")
        assert cells.count() == max(len(item["addressees"]), 1)
        for c in range(cells.count()):
            assert f"status-{item['status']}" in (cells.nth(c).get_attribute("class") or "")
    counts = seen.page.locator("#mandates-counts").inner_text()
    assert f"{answer['summary']['untraced']} untraced" in counts
    seen.assert_clean()


def test_the_page_sends_the_content_security_policy(live_server: str) -> None:
    answer = httpx.get(f"{live_server}/viz/mandates", timeout=60)
    assert answer.status_code == 200
    assert "script-src 'self'" in answer.headers["content-security-policy"]


def test_a_cell_opens_the_evidence_as_the_corpus_prints_it(
    visit: Opener, live_server: str, texts: dict[str, str]
) -> None:
    seen = ready(visit(f"/viz/mandates?instrument={quote(SYMBOL, safe='')}"))
    answer = api(live_server, "/api/mandates", instrument=SYMBOL, limit=1000)
    implemented = next(i for i in answer["items"] if i["status"] == "implemented")
    button = seen.page.locator(f'button.cell[data-paragraph="{implemented["paragraph"]["iri"]}"]')
    button.first.click()
    panel = seen.page.locator("#mandates-panel")
    assert implemented["paragraph"]["id"] in panel.locator("h2").inner_text()
    quotes = panel.locator("blockquote.evidence").all_text_contents()
    assert quotes
    for source, shown in zip(implemented["sources"], quotes, strict=True):
        assert shown == texts[source["document"]][source["char_start"] : source["char_end"]]
    shown_implementers = panel.locator("ul.implementers li").all_inner_texts()
    assert len(shown_implementers) == len(implemented["implementers"])
    seen.assert_clean()


def test_the_filters_live_in_the_url(visit: Opener, live_server: str) -> None:
    seen = ready(visit("/viz/mandates"))
    everything = api(live_server, "/api/mandates", limit=1000)
    assert seen.page.locator("#mandates-matrix tbody tr").count() == everything["total"]
    with seen.page.expect_navigation():
        seen.page.select_option("#status-select", "untraced")
    ready(seen)
    query = parse_qs(urlsplit(seen.page.url).query)
    assert query["status"] == ["untraced"]
    untraced = api(live_server, "/api/mandates", status="untraced", limit=1000)
    assert seen.page.locator("#mandates-matrix tbody tr").count() == untraced["total"]
    with seen.page.expect_navigation():
        seen.page.select_option("#addressee-select", "IOM")
    ready(seen)
    query = parse_qs(urlsplit(seen.page.url).query)
    assert query["addressee"] == ["IOM"] and query["status"] == ["untraced"]
    both = api(live_server, "/api/mandates", status="untraced", addressee="IOM", limit=1000)
    assert seen.page.locator("#mandates-matrix tbody tr").count() == both["total"]
    seen.assert_clean()


def test_an_unknown_instrument_is_a_404_page(visit: Opener, live_server: str) -> None:
    answer = httpx.get(f"{live_server}/viz/mandates", params={"instrument": "A/RES/1/1"})
    assert answer.status_code == 404
    assert "no instrument" in answer.text
    as_json = httpx.get(f"{live_server}/viz/mandates", params={"status": "done"},
                        headers={"Accept": "application/json"})  # fmt: skip
    assert as_json.status_code == 422 and as_json.json()["error"] == "ParseError"


def test_the_lineage_timeline_of_a_resolution_read_from_its_text(
    visit: Opener, lineage_server: str
) -> None:
    seen = ready(visit("/viz/mandates?instrument=A/RES/96/501", server=lineage_server))
    lineage = api(lineage_server, "/api/mandates/lineage", instrument="A/RES/96/501")
    cited = {(c["property"], c["cited"]["symbol"]) for c in lineage["citations"]}
    assert cited >= {("recalls", "A/RES/58/208"), ("recalls", "A/RES/61/208"),
                     ("reaffirms", "A/RES/60/227")}  # fmt: skip
    svg = seen.page.locator("#lineage-timeline")
    assert svg.locator("path.citation").count() == len(lineage["citations"])
    drawn = svg.locator("g.instrument").evaluate_all("(gs) => gs.map((g) => g.dataset.symbol)")
    assert set(drawn) == {c["cited"]["symbol"] for c in lineage["citations"]} | {
        c["citing"]["symbol"] for c in lineage["citations"]
    }
    xs = {
        g["symbol"]: g["x"]
        for g in svg.locator("g.instrument").evaluate_all(
            "(gs) => gs.map((g) => ({symbol: g.dataset.symbol,"
            " x: g.querySelector('circle').cx.baseVal.value}))"
        )
    }
    assert xs["A/RES/58/208"] < xs["A/RES/60/227"] < xs["A/RES/61/208"] < xs["A/RES/96/501"]
    rows = seen.page.locator(".lineage-table tbody tr")
    assert rows.count() == len(lineage["citations"])
    assert seen.page.locator("#mandates-matrix tbody tr").count() == 2
    seen.screenshot("mandates-lineage")
    seen.assert_clean()


def test_hostile_names_stay_text(visit: Opener, hostile_mandates: str) -> None:
    seen = ready(visit(f"/viz/mandates?instrument={quote(SYMBOL, safe='')}",
                       server=hostile_mandates))  # fmt: skip
    heads = seen.page.locator("#mandates-matrix th.addressee-head").all_inner_texts()
    assert PAYLOAD in heads
    seen.page.locator(
        f'button.cell[data-paragraph="{BASE}instrument/A-RES-60-227/op/24"]'
    ).first.click()
    assert PAYLOAD in seen.page.locator("#mandates-panel").inner_text()
    assert PAYLOAD in seen.page.locator("#addressee-select").inner_text()
    assert PAYLOAD in seen.page.locator(".lineage-table").inner_text()
    assert PAYLOAD in (seen.page.locator("#lineage-timeline").text_content() or "")
    seen.assert_clean()
