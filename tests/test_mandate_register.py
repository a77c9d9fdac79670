"""The mandate register over the built corpus, through a real `mkg serve`: every paragraph
of A/RES/60/227 the documents name, each with the status the trace gives it; IOM's
mandates across instruments; coverage, the review sheet, and errors. Then a resolution
text accepted with `mkg ingest --accept` (with the two dev-corpus excerpts): its
paragraphs, verbs and lineage come out of the build, and `mkg mandates` prints them."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from graph.read.mandates import status_of
from graph.read.terms import rows
from graph.read.trace import trace
from graph.settings import Settings
from graph.store.embedded import StoreLayout
from tests.conftest import Built, RunMkg
from tests.servers import serve

DEV_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "dev-corpus"
SYMBOL = "A/RES/60/227"


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[str]:
    yield from serve(built.settings.store)


def get(server: str, path: str, **params: Any) -> dict[str, Any]:
    answer = httpx.get(f"{server}{path}", params=params, timeout=60)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def test_an_instrument_lists_every_paragraph_with_the_status_the_trace_gives(
    server: str, built: Built
) -> None:
    answer = get(server, "/api/mandates", instrument=SYMBOL, limit=1000)
    traced = trace(built.store, SYMBOL)
    wanted = {p.iri: p for p in traced.paragraphs if p.kind != "preambular"}
    assert answer["total"] == len(wanted) == len(answer["items"])
    assert {i["paragraph"]["iri"] for i in answer["items"]} == set(wanted)
    for item in answer["items"]:
        assert set(item) == {"instrument", "paragraph", "verb", "addressees", "deliverables",
                             "status", "implementers", "sources"}  # fmt: skip
        assert item["instrument"]["symbol"] == SYMBOL
        paragraph = wanted[item["paragraph"]["iri"]]
        assert item["paragraph"]["number"] == paragraph.number
        assert item["status"] == status_of(paragraph.implementations)
        assert {a["id"] for a in item["addressees"]} == {
            a.iri.rsplit("/", 1)[-1] for a in paragraph.addressees
        }
        assert {i["id"] for i in item["implementers"]} == {
            link.implementer.rsplit("/", 1)[-1] for link in paragraph.implementations
        }
        assert item["sources"], "every paragraph keeps its quote"
    counts = {s: sum(1 for i in answer["items"] if i["status"] == s)
              for s in ("implemented", "inferred", "untraced")}  # fmt: skip
    assert answer["summary"] == counts
    assert counts["implemented"] > 0 and counts["untraced"] > 0


PARAGRAPH_IDS = """
PREFIX mkg: <https://w3id.org/migration-kg/ontology#>
SELECT ?paragraph ?id WHERE { ?paragraph a mkg:Paragraph ; mkg:paragraphId ?id }
"""


def test_paragraph_ids_are_readable_and_stable(server: str, built: Built) -> None:
    items = get(server, "/api/mandates", limit=1000)["items"]
    ids = {(i["instrument"]["symbol"], i["paragraph"]["number"]): i["paragraph"]["id"]
           for i in items}  # fmt: skip
    assert ids[(SYMBOL, "17")] == "para_17"
    assert ids[("IOM-CONSTITUTION", "1(1)(e)")] == "art_1__point_1__point_e"
    assert len(set(ids.items())) == len(items)
    stored = {str(r["paragraph"]): str(r["id"]) for r in rows(built.store.query(PARAGRAPH_IDS))}
    for item in items:  # in the graph too, for every paragraph a document quotes
        assert stored[item["paragraph"]["iri"]] == item["paragraph"]["id"]


def test_addressee_finds_iom_across_instruments(server: str, built: Built) -> None:
    answer = get(server, "/api/mandates", addressee="IOM", limit=1000)
    assert all(any(a["id"] == "IOM" for a in i["addressees"]) for i in answer["items"])
    found = {(i["instrument"]["symbol"], i["paragraph"]["number"]) for i in answer["items"]}
    expected = set()
    for symbol in {i["instrument"]["symbol"] for i in get(server, "/api/mandates",
                                                          limit=1000)["items"]}:  # fmt: skip
        for p in trace(built.store, symbol).paragraphs:
            if any(a.iri.endswith("/org/IOM") for a in p.addressees):
                expected.add((symbol, p.number))
    assert found == expected
    assert len({symbol for symbol, _ in found}) >= 3
    by_label = get(server, "/api/mandates", addressee="International Organization for Migration")
    assert by_label["total"] == answer["total"]


def test_status_filter_and_pages(server: str) -> None:
    everything = get(server, "/api/mandates", limit=1000)
    untraced = get(server, "/api/mandates", status="untraced", limit=1000)
    assert untraced["summary"] == everything["summary"]
    assert untraced["total"] == everything["summary"]["untraced"]
    assert all(i["status"] == "untraced" for i in untraced["items"])
    first = get(server, "/api/mandates", limit=2, offset=0)
    second = get(server, "/api/mandates", limit=2, offset=2)
    assert [i["paragraph"]["iri"] for i in first["items"] + second["items"]] == [
        i["paragraph"]["iri"] for i in everything["items"][:4]
    ]


@pytest.mark.parametrize(
    ("params", "status", "error"),
    [
        ({"status": "done"}, 422, "InvalidRequest"),
        ({"instrument": "A/RES/99/999"}, 404, "NotFound"),
        ({"addressee": "NOBODY-AT-ALL"}, 404, "NotFound"),
        ({"limit": 0}, 422, "InvalidRequest"),
    ],
)
def test_bad_parameters_get_a_json_error(
    server: str, params: dict[str, Any], status: int, error: str
) -> None:
    answer = httpx.get(f"{server}/api/mandates", params=params, timeout=30)
    assert answer.status_code == status
    assert answer.json()["error"] == error
    assert answer.json()["request_id"]


def test_coverage_agrees_with_the_trace(server: str, built: Built) -> None:
    answer = get(server, "/api/mandates/coverage", instrument=SYMBOL)
    [item] = answer["items"]
    traced = [p for p in trace(built.store, SYMBOL).paragraphs if p.kind != "preambular"]
    assert {p["number"] for p in item["untraced"]} == {
        p.number for p in traced if not p.implementations
    }
    assert {p["number"] for p in item["shared"]} == {
        p.number for p in traced if len(p.addressees) > 1
    }
    assert item["paragraphs"] == len(traced)
    everything = get(server, "/api/mandates/coverage")
    assert len(everything["items"]) >= 5
    for shared in everything["across"]:
        assert len(shared["instruments"]) > 1


def test_deliverables_quoted_by_a_paper_are_read_from_it(server: str, built: Built) -> None:
    items = get(server, "/api/mandates", instrument=SYMBOL, limit=1000)["items"]
    asked = {i["paragraph"]["number"]: i["deliverables"] for i in items}
    texts = {s["document"]: s for i in items for s in i["sources"]}
    assert texts
    kinds = {number: [d["kind"] for d in found] for number, found in asked.items() if found}
    assert kinds, "the paper names what some paragraphs ask for"
    for number, found in asked.items():
        quote = next(i["sources"][0]["evidence"] for i in items
                     if i["paragraph"]["number"] == number)  # fmt: skip
        for d in found:
            assert d["label"].split()[-1].strip("()") in quote


def test_the_review_sheet_has_one_row_per_paragraph_and_empty_decisions(server: str) -> None:
    everything = get(server, "/api/mandates", limit=1000)
    answer = httpx.get(f"{server}/api/mandates/review", params={"format": "csv"}, timeout=60)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    sheet = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(sheet) == everything["total"]
    decisions = "decision (retain/update/remove)"
    assert {r[decisions] for r in sheet} == {""} and {r["comment"] for r in sheet} == {""}
    assert [r["paragraph_id"] for r in sheet] == [i["paragraph"]["id"] for i in everything["items"]]
    as_json = get(server, "/api/mandates/review", format="json")
    assert as_json["decisions"] == ["retain", "update", "remove"]
    assert as_json["rows"] == [
        {("decision" if k == decisions else k): v for k, v in row.items()} for row in sheet
    ]


# ---------------------------------------------------------------------- new resolution texts

RESOLUTION = """Resolution adopted by the General Assembly

            97/412. Migrants in transit

      The General Assembly,

      Recalling its resolutions 58/208 of 23 December 2003 and 60/227 of
23 December 2005,

      Reaffirming its resolution 65/170,

      1.  Requests the Secretary-General to submit to the General Assembly at its
ninety-eighth session a report on the implementation of the present resolution;

      2.  Invites the International Organization for Migration and Member States
to organize regional meetings in 2043;

      4.  Encourages the regional commissions to hold two panels:
          (a)  on data;
          (b)  on return;
"""


EXCERPT_60_227 = """            60/227. International migration and development

      The General Assembly,

      17.  Requests the regional commissions to contribute to the high-level dialogue;
"""
"""Our own excerpt-like text of a resolution the curation describes from a paper."""


@pytest.fixture(scope="module")
def accepted(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The corpus with a resolution text and the dev-corpus excerpts accepted into it."""
    root = tmp_path_factory.mktemp("accepted")
    shutil.copytree(Path(__file__).resolve().parents[1] / "corpus", root / "corpus")
    text = root / "ares_97_412.txt"
    text.write_text(RESOLUTION, encoding="utf-8")
    excerpt = root / "ares_60_227_excerpt.txt"
    excerpt.write_text(EXCERPT_60_227, encoding="utf-8")
    files = [str(text), str(excerpt)] + [
        str(p)
        for p in (DEV_CORPUS / "ares_50_123_preamble.txt", DEV_CORPUS / "cpd_resolution_2013_1.txt")
        if p.exists()
    ]
    settings = Settings(store=root / "store", corpus=root / "corpus")
    env = {"MKG_STORE": str(settings.store), "MKG_CORPUS": str(settings.corpus)}
    done = subprocess.run(
        [sys.executable, "-m", "graph.cli", "ingest", *files, "--accept"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return settings


def test_an_accepted_resolution_enters_the_register(accepted: Settings, run_mkg: RunMkg) -> None:
    done = run_mkg("mandates", "--instrument", "A/RES/97/412", "--format", "json",
                   settings=accepted)  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    got = [(i["paragraph"]["number"], i["paragraph"]["id"], i["verb"]) for i in answer["items"]]
    assert got == [
        ("1", "para_1", "requests"),
        ("2", "para_2", "invites"),
        ("4", "para_4", "encourages"),
        ("4(a)", "para_4__point_a", "encourages"),
        ("4(b)", "para_4__point_b", "encourages"),
    ]
    first, second, fourth = answer["items"][0], answer["items"][1], answer["items"][2]
    assert [a["id"] for a in first["addressees"]] == ["UN-SG"]
    assert first["deliverables"][0]["kind"] == "report"
    assert first["deliverables"][0]["due"] == "ninety-eighth session"
    assert {a["id"] for a in second["addressees"]} == {"IOM", "MEMBER-STATES"}
    assert [(d["kind"], d["due"]) for d in second["deliverables"]] == [("meeting", "2043")]
    assert [a["id"] for a in fourth["addressees"]] == ["UN-REGIONAL-COMMISSIONS"]
    assert all(i["status"] == "untraced" for i in answer["items"])
    assert all(i["sources"][0]["method"] == "extracted" for i in answer["items"])
    iom = run_mkg("mandates", "--addressee", "IOM", "--format", "csv", settings=accepted)
    assert "A/RES/97/412,para_2," in iom.stdout and "A/RES/60/227," in iom.stdout


LINEAGE = """
PREFIX mkg: <https://w3id.org/migration-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?citing ?property ?cited ?symbol ?issued WHERE {
  ?citing ?property ?cited .
  ?property rdfs:subPropertyOf mkg:refersTo .
  ?cited mkg:symbol ?symbol .
  OPTIONAL { ?cited dcterms:issued ?issued }
}
"""


def test_lineage_from_resolution_texts_reaches_absent_instruments(
    accepted: Settings, run_mkg: RunMkg
) -> None:
    store = StoreLayout(accepted.store).open()
    try:
        found = rows(store.query(LINEAGE))
    finally:
        store.close()
    by_citing: dict[str, set[tuple[str, str]]] = {}
    for r in found:
        name = str(r["property"]).rsplit("#", 1)[-1]
        by_citing.setdefault(str(r["citing"]).rsplit("/", 1)[-1], set()).add(
            (name, str(r["symbol"]))
        )
    assert by_citing["A-RES-97-412"] == {
        ("recalls", "A/RES/58/208"),
        ("recalls", "A/RES/60/227"),
        ("reaffirms", "A/RES/65/170"),
    }
    issued = {str(r["symbol"]): str(r["issued"]) for r in found if r["issued"]}
    assert issued["A/RES/58/208"] == "2003-12-23"
    if (DEV_CORPUS / "ares_50_123_preamble.txt").exists():
        recalled = {s for _, s in by_citing["A-RES-50-123"]}
        assert len(recalled & {"A/RES/49/127", "E/DEC/1995/313", "A/RES/45/264"}) >= 3
    done = run_mkg("mandates", "--coverage", "--format", "json", settings=accepted)
    coverage = {c["instrument"]["symbol"]: c for c in json.loads(done.stdout)["items"]}
    assert {p["id"] for p in coverage["A/RES/97/412"]["shared"]} == {"para_2"}


def test_the_cli_writes_the_review_sheet_and_refuses_bad_input_in_one_line(
    built: Built, run_mkg: RunMkg, tmp_path: Path
) -> None:
    sheet = tmp_path / "review.csv"
    done = run_mkg("mandates", "--instrument", SYMBOL, "--review", str(sheet),
                   settings=built.settings)  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = list(csv.DictReader(sheet.open(encoding="utf-8")))
    traced = [p for p in trace(built.store, SYMBOL).paragraphs if p.kind != "preambular"]
    assert len(found) == len(traced)
    assert all(r["decision (retain/update/remove)"] == "" and r["comment"] == "" for r in found)
    table = run_mkg("mandates", "--status", "untraced", settings=built.settings)
    assert table.returncode == 0 and "untraced" in table.stdout
    for bad in (["--status", "finished"], ["--instrument", "A/RES/1/1"]):
        failed = run_mkg("mandates", *bad, settings=built.settings)
        assert failed.returncode != 0
        assert failed.stderr.startswith("mkg: error:") and failed.stderr.count("\n") == 1


def test_curated_and_extracted_facts_about_one_paragraph_meet(
    accepted: Settings, run_mkg: RunMkg
) -> None:
    done = run_mkg("trace", SYMBOL, "17", "--format", "json", settings=accepted)
    assert done.returncode == 0, done.stderr
    [paragraph] = json.loads(done.stdout)["paragraphs"]
    documents = {s["document"] for s in paragraph["sources"]}
    assert documents == {"000_14d2ce0a342a483c", "ares_60_227_excerpt"}
    assert paragraph["implementations"]
    register = run_mkg("mandates", "--instrument", SYMBOL, "-f", "json", settings=accepted)
    items = [i for i in json.loads(register.stdout)["items"] if i["paragraph"]["number"] == "17"]
    assert len(items) == 1 and items[0]["status"] == "implemented"
    assert items[0]["paragraph"]["id"] == "para_17"
    assert [a["id"] for a in items[0]["addressees"]] == ["UN-REGIONAL-COMMISSIONS"]
