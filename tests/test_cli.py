"""The mkg command line as a user runs it: a real subprocess against a real store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from graph.settings import Settings
from graph.store.embedded import StoreLayout
from tests.conftest import FIXTURES, Built, RunMkg

COUNT_EVENTS = "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a mkg:Event ; schema:position ?row }"


def test_query_json_is_standard_sparql_results_json(run_mkg: RunMkg, built: Built) -> None:
    done = run_mkg("query", "--format", "json", COUNT_EVENTS, settings=built.settings)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["head"]["vars"] == ["n"]
    [binding] = result["results"]["bindings"]
    assert binding["n"]["type"] == "literal"
    assert binding["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"
    assert binding["n"]["value"] == "51"


def test_query_csv_and_table(run_mkg: RunMkg, built: Built) -> None:
    query = "SELECT ?label WHERE { ?o skos:prefLabel ?label ; mkg:acronym 'IOM' }"
    as_csv = run_mkg("query", "--format", "csv", query, settings=built.settings)
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [
        ["label"],
        ["International Organization for Migration"],
    ]
    as_table = run_mkg("query", query, settings=built.settings)
    assert "International Organization for Migration" in as_table.stdout
    assert "1 row(s)" in as_table.stdout


def test_query_from_a_file_and_from_stdin(run_mkg: RunMkg, built: Built, tmp_path: Path) -> None:
    path = tmp_path / "ask.rq"
    path.write_text("ASK { <https://w3id.org/migration-kg/id/org/IOM> a mkg:Organization }")
    assert run_mkg("query", str(path), settings=built.settings).stdout.strip() == "true"
    piped = run_mkg("query", "-", settings=built.settings, stdin="ASK { ?s mkg:nothing ?o }")
    assert piped.stdout.strip() == "false"


def test_construct_prints_rdf(run_mkg: RunMkg, built: Built) -> None:
    done = run_mkg(
        "query",
        "--format",
        "json",
        "CONSTRUCT { ?o skos:prefLabel ?l } WHERE { ?o mkg:acronym 'IOM' ; skos:prefLabel ?l }",
        settings=built.settings,
    )
    assert done.stdout.strip() == (
        "<https://w3id.org/migration-kg/id/org/IOM> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> "
        '"International Organization for Migration" .'
    )


def test_malformed_query_is_one_error_line(run_mkg: RunMkg, built: Built) -> None:
    done = run_mkg("query", "SELECT ?x WHERE { ?x", settings=built.settings)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("mkg: error: malformed SPARQL:")


def test_query_without_a_store_says_to_build(run_mkg: RunMkg, tmp_path: Path) -> None:
    done = run_mkg("query", COUNT_EVENTS, settings=Settings(store=tmp_path / "none"))
    assert done.returncode == 1
    assert "run `mkg build` first" in done.stderr


def test_validate_reports_conformance(run_mkg: RunMkg, built: Built) -> None:
    done = run_mkg("validate", settings=built.settings)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "conforms: no SHACL violations"


def test_load_adds_rdf_as_a_new_version(run_mkg: RunMkg, fresh_settings: Settings) -> None:
    assert run_mkg("build", settings=fresh_settings).returncode == 0
    done = run_mkg("load", str(FIXTURES / "extra.ttl"), settings=fresh_settings)
    assert done.returncode == 0, done.stderr
    asked = run_mkg(
        "query",
        "ASK { ?e a mkg:Event ; mkg:organizer/mkg:acronym 'GOV-BE' }",
        settings=fresh_settings,
    )
    assert asked.stdout.strip() == "false"  # GOV-BE is an id, not an acronym
    asked = run_mkg(
        "query",
        "ASK { <https://w3id.org/migration-kg/id/event/2007-07-09-brussels-first-gfmd-meeting> "
        "a mkg:Event ; mkg:organizer/skos:prefLabel 'Government of Belgium' }",
        settings=fresh_settings,
    )
    assert asked.stdout.strip() == "true"
    graph = run_mkg(
        "query",
        "--format",
        "csv",
        "SELECT ?g WHERE { GRAPH ?g { ?o mkg:acronym 'ICMPD' } }",
        settings=fresh_settings,
    )
    assert graph.stdout.splitlines()[1] == "https://w3id.org/migration-kg/id/graph/load/extra"


def test_load_of_broken_rdf_keeps_the_graph(run_mkg: RunMkg, fresh_settings: Settings) -> None:
    assert run_mkg("build", settings=fresh_settings).returncode == 0
    before = StoreLayout(fresh_settings.store).current()
    done = run_mkg("load", str(FIXTURES / "broken.nt"), settings=fresh_settings)
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("mkg: error: ") and "broken.nt: not valid RDF" in line
    assert StoreLayout(fresh_settings.store).current() == before
    assert not list(StoreLayout(fresh_settings.store).versions.glob(".work-*"))


def test_load_of_an_unknown_format_is_refused(run_mkg: RunMkg, fresh_settings: Settings) -> None:
    path = fresh_settings.corpus / "manifest.yaml"
    done = run_mkg("load", str(path), settings=fresh_settings)
    assert done.returncode == 1
    assert "manifest.yaml: unknown RDF format" in done.stderr


def test_a_statement_two_documents_make_counts_once(run_mkg: RunMkg, built: Built) -> None:
    # Calendar row 8 is described by seed 000 and by seed 002 (each in its own graph).
    query = (
        "SELECT ?label WHERE { ?e schema:position 8 ; a mkg:Event ; rdfs:label ?label ; "
        "schema:location/rdfs:label ?venue }"
    )
    done = run_mkg("query", "--format", "csv", query, settings=built.settings)
    assert done.stdout.splitlines() == ["label", "Key Migration Issues Seminar: Labor Migration"]
    graphs = run_mkg(
        "query", "--format", "csv",
        "SELECT DISTINCT ?g WHERE { ?e schema:position 8 . GRAPH ?g { ?e a mkg:Event } }",
        settings=built.settings,
    )  # fmt: skip
    assert len(graphs.stdout.splitlines()) == 3  # header, seed 000's graph, seed 002's graph
