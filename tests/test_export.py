"""Bulk exports: each format read back by an independent reader and compared with the store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import get_args

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from graph.model.iris import Minter
from graph.read import analytics
from graph.read.export import FORMATS, ExportFormat, spreadsheet_safe
from graph.read.projection import projection as projection_of
from tests.conftest import CALENDAR_DOC, Built, RunMkg

LABOR_SEMINAR = "2006-03-15-new-york-key-migration-issues-seminar-labor-migration"
"""Calendar row 8: organized by IOM, UNITAR and UNFPA, described by seeds 000 and 002."""
SECOND_SOURCE = "002_701c0046ca42ff1f"


@pytest.fixture(scope="module")
def minter(built: Built) -> Minter:
    return Minter(built.settings.base_iri)


def _get(client: TestClient, format: str, **params: str) -> bytes:
    answer = client.get("/api/export", params={"format": format, **params})
    assert answer.status_code == 200, answer.text
    return answer.content


def _graph_of(built: Built, name: ox.NamedNode | ox.DefaultGraph) -> rdflib.Graph:
    """One graph of the store, read into rdflib through N-Triples."""
    data = built.store.raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
    return rdflib.Graph().parse(data=data, format="nt")


def _named_graphs(built: Built) -> list[ox.NamedNode]:
    return [g for g in built.store.raw.named_graphs() if isinstance(g, ox.NamedNode)]


def _named_quads(built: Built) -> int:
    raw = built.store.raw
    return sum(1 for g in _named_graphs(built) for _ in raw.quads_for_pattern(None, None, None, g))


# ------------------------------------------------------------------------------- RDF


def test_turtle_is_the_merged_default_graph(client: TestClient, built: Built) -> None:
    answer = client.get("/api/export", params={"format": "turtle"})
    assert answer.headers["content-type"].startswith("text/turtle")
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="migration-kg-{built.info.version[:8]}.ttl"'
    )
    assert "@prefix mkg: <https://w3id.org/migration-kg/ontology#> ." in answer.text
    exported = rdflib.Graph().parse(data=answer.text, format="turtle")
    assert len(exported) == built.info.triples
    assert isomorphic(exported, _graph_of(built, ox.DefaultGraph()))


def test_nquads_are_the_named_graphs_without_the_merge_copy(
    client: TestClient, built: Built
) -> None:
    data = _get(client, "nquads")
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format="nquads")
    exported = {str(g.identifier): g for g in dataset.graphs() if len(g)}
    stored = _named_graphs(built)
    assert set(exported) == {g.value for g in stored}  # no default-graph statements
    assert len(stored) >= 7  # five documents, registry, ontology, inferred
    for name in stored:
        assert isomorphic(exported[name.value], _graph_of(built, name)), name.value


def test_trig_and_jsonld_parse_to_the_expected_size(client: TestClient, built: Built) -> None:
    trig = list(ox.parse(_get(client, "trig"), format=ox.RdfFormat.TRIG))
    assert len(trig) == _named_quads(built)
    assert {q.graph_name for q in trig} == set(_named_graphs(built))
    jsonld = _get(client, "jsonld")
    assert isinstance(json.loads(jsonld), list)
    triples = list(ox.parse(jsonld, format=ox.RdfFormat.JSON_LD))
    assert {q.graph_name for q in triples} == {ox.DefaultGraph()}  # a graph, not a dataset
    assert len(set(triples)) == built.info.triples


def test_doc_narrows_rdf_to_that_document(client: TestClient, built: Built) -> None:
    minter = Minter(built.settings.base_iri)
    quads = list(ox.parse(_get(client, "nquads", doc=CALENDAR_DOC), format=ox.RdfFormat.N_QUADS))
    scope = [minter.doc_graph(CALENDAR_DOC), minter.registry_graph, minter.ontology_graph]
    assert {q.graph_name.value for q in quads} == {str(g) for g in scope}  # type: ignore[union-attr]
    calendar = ox.NamedNode(str(scope[0]))
    assert {q.triple for q in quads if q.graph_name == calendar} == {
        q.triple for q in built.store.raw.quads_for_pattern(None, None, None, calendar)
    }
    turtle = rdflib.Graph().parse(data=_get(client, "turtle", doc=CALENDAR_DOC), format="turtle")
    assert 0 < len(turtle) < built.info.triples
    merged = rdflib.Graph()
    for name in scope:
        merged += _graph_of(built, ox.NamedNode(str(name)))
    assert isomorphic(turtle, merged)


# --------------------------------------------------------------------------- network


def _edges(nx_graph: nx.Graph) -> dict[frozenset[str], float]:
    return {frozenset((a, b)): float(d["weight"]) for a, b, d in nx_graph.edges(data=True)}


@pytest.mark.parametrize(
    ("format", "reader"), [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)]
)
def test_network_formats_hold_the_cosponsorship_graph(
    client: TestClient, built: Built, minter: Minter, format: str, reader: object
) -> None:
    answer = client.get("/api/export", params={"format": format})
    assert answer.headers["content-type"] == FORMATS[format].media_type
    read = reader(io.BytesIO(answer.content))  # type: ignore[operator]
    expected = projection_of(built.store, minter).cosponsorship()
    assert set(read.nodes) == set(expected.nodes)
    assert _edges(read) == _edges(expected)
    iom = read.nodes[str(minter.org("IOM"))]
    top = analytics.cosponsors(built.store, minter, limit=1)[0]
    assert (iom["label"], iom["acronym"], iom["type"]) == (
        "International Organization for Migration", "IOM", "IntergovernmentalOrganization"
    )  # fmt: skip
    assert top.id == "IOM" and int(iom["events"]) == top.events
    assert int(iom["joint_events"]) == top.joint_events


def test_network_doc_filter_gives_the_calendar_pair(client: TestClient, minter: Minter) -> None:
    read = nx.read_gexf(io.BytesIO(_get(client, "gexf", doc=CALENDAR_DOC)))
    edge = read.edges[str(minter.org("IOM")), str(minter.org("UNFPA"))]
    assert edge["weight"] == 9  # every UNFPA row of the calendar lists IOM too
    shared = edge["events"].split("; ")
    assert len(shared) == 9 and LABOR_SEMINAR in shared
    window = nx.read_graphml(io.BytesIO(_get(client, "graphml", start="2006-03", end="2006-03")))
    assert 0 < window.number_of_nodes() < read.number_of_nodes()


# ------------------------------------------------------------------------------- CSV


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_event(client: TestClient, built: Built) -> None:
    answer = client.get("/api/export", params={"format": "csv"})
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"].endswith('.csv"')
    found = _csv_rows(answer.content)
    [count] = built.store.query("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a mkg:Event }")
    assert len(found) == int(count["n"].value) == len({r["id"] for r in found})  # type: ignore[union-attr]
    [row] = [r for r in found if r["id"] == LABOR_SEMINAR]
    assert row["label"] == "Key Migration Issues Seminar: Labor Migration"
    assert (row["start"], row["end"], row["venue"]) == ("2006-03-15", "2006-03-15", "New York")
    assert set(row["organizer_ids"].split("; ")) == {"IOM", "UNITAR", "UNFPA"}
    assert "International Organization for Migration" in row["organizers"].split("; ")
    assert row["sources"].split("; ") == [CALENDAR_DOC, SECOND_SOURCE]
    implementing = [r for r in found if "A/RES/60/227 para 21 (curated)" in r["implements"]]
    assert implementing


def test_csv_filters_narrow_the_rows(client: TestClient) -> None:
    everything = _csv_rows(_get(client, "csv"))
    window = _csv_rows(_get(client, "csv", start="2006", end="2006"))
    assert 0 < len(window) < len(everything)
    assert all(r["start"].startswith("2006") for r in window)
    calendar = _csv_rows(_get(client, "csv", doc=CALENDAR_DOC))
    assert 0 < len(calendar) < len(everything)
    assert all(CALENDAR_DOC in r["sources"] for r in calendar)


def test_spreadsheet_formulas_are_kept_as_text() -> None:
    assert spreadsheet_safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [spreadsheet_safe(t) for t in ("+1", "-1", "@SUM(A1)")] == ["'+1", "'-1", "'@SUM(A1)"]
    assert spreadsheet_safe("2006-03-15") == "2006-03-15"


# ---------------------------------------------------------------------- errors, docs


def test_bad_input_is_a_json_4xx(client: TestClient) -> None:
    unknown_doc = client.get("/api/export", params={"format": "turtle", "doc": "999_nothing"})
    assert unknown_doc.status_code == 404
    assert unknown_doc.json() == {
        "error": "NotFound",
        "detail": "no source document '999_nothing' in the graph",
        "request_id": unknown_doc.headers["X-Request-ID"],
    }
    bad_format = client.get("/api/export", params={"format": "rdfxml"})
    assert bad_format.status_code == 422
    assert bad_format.json()["error"] == "InvalidRequest"
    assert bad_format.json()["detail"].startswith("format:")
    missing = client.get("/api/export")
    assert missing.status_code == 422 and missing.json()["detail"].startswith("format:")
    window = client.get("/api/export", params={"format": "nquads", "start": "2006"})
    assert window.status_code == 422 and window.json()["error"] == "ParseError"
    bad_date = client.get("/api/export", params={"format": "csv", "start": "2006-13"})
    assert bad_date.status_code == 422 and "malformed date" in bad_date.json()["detail"]


def test_openapi_lists_every_format_and_media_type(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/export"]["get"]
    assert set(operation["responses"]["200"]["content"]) == {f.media_type for f in FORMATS.values()}
    assert {"404", "422"} <= set(operation["responses"])
    [param] = [p for p in operation["parameters"] if p["name"] == "format"]
    assert set(param["schema"]["enum"]) == set(FORMATS) == set(get_args(ExportFormat))
    assert all(p["schema"].get("examples") for p in operation["parameters"])


# ------------------------------------------------------------------------------- CLI


def test_cli_export_writes_a_file_that_parses(
    run_mkg: RunMkg, built: Built, tmp_path: Path
) -> None:
    target = tmp_path / "graph.ttl"
    done = run_mkg("export", "--format", "turtle", "--out", str(target), settings=built.settings)
    assert done.returncode == 0, done.stderr
    exported = rdflib.Graph().parse(target, format="turtle")
    assert isomorphic(exported, _graph_of(built, ox.DefaultGraph()))
    piped = run_mkg("export", "--format", "csv", "--doc", CALENDAR_DOC, settings=built.settings)
    assert piped.returncode == 0, piped.stderr
    rows = list(csv.DictReader(io.StringIO(piped.stdout.removeprefix("\ufeff"))))
    assert LABOR_SEMINAR in {r["id"] for r in rows}


def test_cli_export_errors_are_one_line(run_mkg: RunMkg, built: Built, tmp_path: Path) -> None:
    bad = run_mkg("export", "--format", "rdfxml", settings=built.settings)
    assert bad.returncode == 1 and bad.stdout == ""
    [line] = bad.stderr.strip().splitlines()
    assert line == (
        "mkg: error: unknown export format 'rdfxml'; "
        "use one of turtle, trig, nquads, jsonld, graphml, gexf, csv"
    )
    unknown = run_mkg("export", "--format", "gexf", "--doc", "nope", settings=built.settings)
    assert unknown.returncode == 1
    [line] = unknown.stderr.strip().splitlines()
    assert line == "mkg: error: no source document 'nope' in the graph"
    target = tmp_path / "missing" / "out.nq"
    unwritable = run_mkg("export", "-f", "nquads", "--out", str(target), settings=built.settings)
    assert unwritable.returncode == 1 and len(unwritable.stderr.strip().splitlines()) == 1
    assert not target.exists()
