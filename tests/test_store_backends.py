"""The same questions to both store backends: the embedded store and a remote SPARQL 1.1
endpoint (Virtuoso Open Source, started by tests/virtuoso.py).

The corpus goes into Virtuoso once per session through the project's own `build`
(`remote_built`); every answer is compared with the embedded build of the same corpus
(`built`). Tests parametrised over `backend` run against each store; the loading tests
write new versions to Virtuoso and so come last, and put the corpus back.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.main import create_app
from graph.errors import StoreError
from graph.model.iris import Minter
from graph.model.namespaces import NO_GRAPH
from graph.pipeline.build import build, load, validate_store
from graph.read import analytics, catalog, derived, describe
from graph.read.export import export
from graph.read.projection import projection as projection_of
from graph.read.trace import trace
from graph.settings import Settings
from graph.store.backend import GraphInfo, GraphStore
from graph.store.embedded import StoreLayout
from graph.store.endpoint import Endpoint
from graph.store.remote import RemoteStore
from graph.store.sparql import Request
from graph.store.uploads import publish
from graph.store.versions import Version, graphs_of, state
from tests.answers import answer
from tests.conftest import Built
from tests.servers import free_port
from tests.virtuoso import ROW_LIMIT, Virtuoso

BASE = "https://w3id.org/migration-kg/id/"
IOM = f"{BASE}org/IOM"
REGISTRY = f"{BASE}graph/registry"
QUERIES = sorted(
    entry.name.removesuffix(".rq")
    for entry in resources.files("graph.store.queries").iterdir()
    if entry.name.endswith(".rq")
    and "bound by the caller" not in " ".join(entry.read_text(encoding="utf-8").split())
)
"""The project's queries that run as they stand; those whose comment says a value is
bound by the caller are asked through the functions that bind them (describe, trace,
catalog), in the tests below."""


@dataclass(frozen=True)
class RemoteBuilt:
    """The corpus built into Virtuoso: its settings, info, an open store, the build time."""

    settings: Settings
    info: GraphInfo
    store: RemoteStore
    seconds: float


@pytest.fixture(autouse=True, scope="module")
def no_solutions_left_to_the_collector() -> Iterator[None]:
    """No pyoxigraph solutions are left for the garbage collector: they may only be
    dropped by the thread that made them, and the collector runs in any thread. (The
    query parser's reference cycles keep its callers' frames: a frame that binds solutions
    must not be one of them; graph.store.remote.RemoteStore.query.) What the collector
    finds while this module runs is kept, and looked through at its end."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage if isinstance(o, ox.QuerySolutions)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == [], "solutions were left in reference cycles"


@pytest.fixture(scope="session")
def remote_built(virtuoso: Virtuoso) -> Iterator[RemoteBuilt]:
    """The corpus built into Virtuoso through graph.pipeline.build.build."""
    settings = virtuoso.settings()
    started = time.perf_counter()
    info, _ = build(settings)
    seconds = time.perf_counter() - started
    store = RemoteStore.open(settings)
    yield RemoteBuilt(settings, info, store, seconds)
    store.close()


@pytest.fixture(params=["embedded", "virtuoso"])
def backend(request: pytest.FixtureRequest, built: Built) -> GraphStore:
    """Each backend in turn, holding the corpus; analytics' per-version cache is cleared,
    since both backends serve the same graph version."""
    derived.clear()
    if request.param == "embedded":
        return built.store
    found: RemoteBuilt = request.getfixturevalue("remote_built")
    return found.store


def without_tie_breaks(organization: dict[str, object]) -> dict[str, object]:
    """An organization with its sources sorted in full and without the graph and method
    of each: the catalog sorts sources by document and start only, and keeps the first of
    the rows that quote the same passage, so the order of quotes that start together,
    and which graph (the document's or the inferred links') and method come first, are
    left to each backend's row order."""
    found = organization["sources"]
    assert isinstance(found, list | tuple)
    kept = [{k: v for k, v in s.items() if k not in ("graph", "method")} for s in found]
    return {**organization, "sources": sorted(kept, key=repr)}


def canonical(value: object, top: bool = True) -> object:
    """Dataclasses and JSON as plain values, lists below the top level sorted: the
    catalog keeps the order its queries return, and where a query has no ORDER BY the
    two backends may return rows in different orders."""
    if hasattr(value, "__dataclass_fields__"):
        return canonical(asdict(value), top)  # type: ignore[call-overload]
    if isinstance(value, dict):
        return {k: canonical(v, False) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [canonical(v, False) for v in value]
        return items if top else sorted(items, key=repr)
    return value


def reference(built: Built, query: str, **kwargs: object) -> object:
    return answer(built.store.query(query, **kwargs))  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ answers


def test_the_build_gives_the_same_graph_version(remote_built: RemoteBuilt, built: Built) -> None:
    assert remote_built.info.version == built.info.version
    assert remote_built.info.triples == built.info.triples
    assert remote_built.store.info == remote_built.info


def test_validate_reads_the_remote_graph(remote_built: RemoteBuilt) -> None:
    assert validate_store(remote_built.settings) == "conforms: no SHACL violations"


@pytest.mark.parametrize("name", QUERIES)
def test_every_project_query_answers_the_same(backend: GraphStore, built: Built, name: str) -> None:
    text = resources.files("graph.store.queries").joinpath(f"{name}.rq").read_text(encoding="utf-8")
    found = answer(backend.query(text))
    assert found == reference(built, text)
    assert found != ([], [])


def test_bound_values_and_graph_scopes(backend: GraphStore, built: Built) -> None:
    """Bindings (VALUES on the remote), a GRAPH ?var bound to a graph's name, and a
    default graph restricted to some graphs."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    scope = [REGISTRY, f"{BASE}graph/ontology"]
    assert answer(backend.query(count, graphs=scope)) == reference(built, count, graphs=scope)
    in_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?t } } GROUP BY ?g"
    assert answer(backend.query(in_graph, {"g": ox.NamedNode(REGISTRY)})) == reference(
        built, in_graph, bindings={"g": ox.NamedNode(REGISTRY)}
    )
    for iri in (REGISTRY, IOM, f"{BASE}nothing-here"):
        assert describe.counts(backend, iri) == describe.counts(built.store, iri)
    quads = describe.description_quads(backend, REGISTRY)
    expected = describe.description_quads(built.store, REGISTRY)
    assert sorted(map(str, quads)) == sorted(map(str, expected))
    literal = "SELECT ?s ?code WHERE { ?s skos:notation ?code }"
    bound = {"code": ox.Literal("IOM")}
    assert answer(backend.query(literal, bound)) == reference(built, literal, bindings=bound)


def test_api_level_answers_are_the_same(backend: GraphStore, built: Built) -> None:
    minter = Minter(BASE)
    derived.clear()
    ranking = analytics.cosponsors(backend, minter, limit=15)
    projection = projection_of(backend, minter)
    traced = trace(backend, "A/RES/60/227", "OP17")
    events = catalog.events(backend, minter)
    iom = catalog.organization(backend, minter, "IOM")
    derived.clear()
    assert ranking == analytics.cosponsors(built.store, minter, limit=15)
    assert ranking and ranking[0].events > 0
    assert projection.events == projection_of(built.store, minter).events
    assert canonical(traced) == canonical(trace(built.store, "A/RES/60/227", "OP17"))
    assert traced.paragraphs
    assert canonical(events) == canonical(catalog.events(built.store, minter))
    expected = catalog.organization(built.store, minter, "IOM")
    assert canonical(without_tie_breaks(asdict(iom))) == canonical(
        without_tie_breaks(asdict(expected))
    )


def test_dump_and_export_round_trip(backend: GraphStore, built: Built) -> None:
    dumped = ox.Dataset(ox.parse(backend.dump(), format=ox.RdfFormat.N_QUADS))
    assert set(dumped) == set(ox.parse(built.store.dump(), format=ox.RdfFormat.N_QUADS))
    trig = export(backend, Minter(BASE), "trig").data
    assert set(ox.parse(trig, format=ox.RdfFormat.TRIG)) == set(
        ox.parse(export(built.store, Minter(BASE), "trig").data, format=ox.RdfFormat.TRIG)
    )


def test_the_row_cap_of_sparql_and_of_the_endpoint(remote_built: RemoteBuilt) -> None:
    store = remote_built.store
    runner = store.query_runner(remote_built.settings)
    many = "SELECT ?s ?o WHERE { ?s ?p ?o }"
    cut = runner.run(Request(many, "text/csv", max_rows=100))
    assert cut.truncated and len(cut.data.decode().splitlines()) == 101
    pairs = (  # 97 events x 131 organizations x 2: just over the endpoint's limit
        "SELECT * WHERE { ?a a mkg:Event . ?b a mkg:Organization . VALUES ?x { 1 2 } }"
    )
    with pytest.raises(StoreError, match=f"{ROW_LIMIT:,} rows"):
        store.query(pairs)
    declared = "PREFIX mkg: <https://w3id.org/migration-kg/ontology#>\n" + pairs
    assert runner.run(Request(declared, "text/csv", max_rows=ROW_LIMIT * 2)).truncated


# ------------------------------------------------------------------------------ HTTP


@pytest.fixture(scope="module")
def clients(built: Built, remote_built: RemoteBuilt) -> Iterator[tuple[TestClient, TestClient]]:
    """The app over the embedded store and over Virtuoso."""
    capped = {"max_result_rows": 50}
    local = create_app(built.settings.model_copy(update={**capped, "in_memory": False}))
    over = create_app(remote_built.settings.model_copy(update=capped))
    with TestClient(local) as embedded, TestClient(over) as virtuoso:
        yield embedded, virtuoso


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/health", "application/json"),
        ("/api/events?limit=500", "application/json"),
        ("/api/instruments?q=res&limit=3&offset=2", "application/json"),
        ("/api/instruments?q=no-such-instrument", "application/json"),
        ("/api/analytics/cosponsors?limit=30", "application/json"),
        ("/api/organizations/IOM", "application/json"),
        ("/sparql?query=SELECT%20%3Fe%20WHERE%20%7B%3Fe%20a%20%3Chttps%3A%2F%2Fw3id.org"
         "%2Fmigration-kg%2Fontology%23Event%3E%7D%20ORDER%20BY%20%3Fe", "text/csv"),
        ("/sparql?query=SELECT%20%3Fg%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7BGRAPH%20%3Fg"
         "%7B%3Fs%20%3Fp%20%3Fo%7D%7D%20GROUP%20BY%20%3Fg%20ORDER%20BY%20%3Fg",
         "application/sparql-results+json"),
        ("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "application/sparql-results+xml"),
    ],
)  # fmt: skip
def test_the_api_answers_the_same_over_virtuoso(
    clients: tuple[TestClient, TestClient], path: str, accept: str
) -> None:
    embedded, virtuoso = clients
    expected = embedded.get(path, headers={"Accept": accept})
    got = virtuoso.get(path, headers={"Accept": accept})
    assert expected.status_code == 200
    assert (got.status_code, got.headers["content-type"]) == (
        expected.status_code, expected.headers["content-type"]
    )  # fmt: skip
    if path == "/health":  # where each serves from differs, of course
        assert {**got.json(), "served_from": None} == {**expected.json(), "served_from": None}
    elif path.startswith("/api/organizations/"):
        assert canonical(without_tie_breaks(got.json())) == canonical(
            without_tie_breaks(expected.json())
        )
    elif accept.endswith("json"):
        assert canonical(got.json()) == canonical(expected.json())
    else:
        assert got.content == expected.content


def test_sparql_over_virtuoso_cuts_at_the_row_cap(clients: tuple[TestClient, TestClient]) -> None:
    query = {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"}
    answers = [c.post("/sparql", data=query, headers={"Accept": "text/csv"}) for c in clients]
    for found in answers:
        assert found.headers["x-sparql-maxrows"] == "50"
        assert len(found.text.splitlines()) == 51
    assert answers[0].text == answers[1].text


def test_graphs_outside_the_version_are_invisible(clients: tuple[TestClient, TestClient]) -> None:
    """Neither the meta graph nor Virtuoso's own graphs nor another version's graphs can
    be reached from /sparql, by FROM, GRAPH or the protocol dataset."""
    _, virtuoso = clients
    for query, params in [
        ("SELECT * FROM <urn:mkg:meta> WHERE { ?s ?p ?o }", {}),
        ("SELECT * WHERE { GRAPH <urn:mkg:meta> { ?s ?p ?o } }", {}),
        ("SELECT * WHERE { ?s ?p ?o }", {"default-graph-uri": "urn:mkg:meta"}),
        ("SELECT * WHERE { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }",
         {}),
    ]:  # fmt: skip
        found = virtuoso.get(
            "/sparql", params={"query": query, **params}, headers={"Accept": "text/csv"}
        )
        assert found.status_code == 200, found.text
        assert found.text.splitlines()[1:] == [], query


# ------------------------------------------------------------------------------ errors


def test_wrong_credentials_or_no_endpoint_are_one_line_errors(virtuoso: Virtuoso) -> None:
    wrong = virtuoso.settings(remote_password=SecretStr("not-the-password"))
    with pytest.raises(StoreError, match="refused the credentials") as refused:
        RemoteStore.open(wrong)
    nobody = Settings(store=f"sparql+http://127.0.0.1:{free_port()}/sparql")
    with pytest.raises(StoreError, match="cannot reach the SPARQL endpoint") as unreachable:
        RemoteStore.open(nobody)
    for error in (refused.value, unreachable.value):
        assert "\n" not in str(error)


def test_the_cli_speaks_to_virtuoso(remote_built: RemoteBuilt, virtuoso: Virtuoso) -> None:
    env = {**os.environ, **virtuoso.environment()}
    done = subprocess.run(
        [sys.executable, "-m", "graph.cli", "query", "-f", "csv",
         "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n", str(remote_built.info.triples)]
    env["MKG_REMOTE_PASSWORD"] = "wrong"
    failed = subprocess.run(
        [sys.executable, "-m", "graph.cli", "top", "--limit", "3"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert failed.returncode == 1
    assert failed.stderr.startswith("mkg: error: ") and "refused the credentials" in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------------------ loads (last)


def quads(graph: str, n: int) -> bytes:
    lines = [f'<{BASE}test/{graph}/s{i}> <{BASE}test/p> "{graph} {i}" <{BASE}test/{graph}> .'
             for i in range(n)]  # fmt: skip
    return "\n".join(lines).encode() + b"\n"


LOAD = """
import sys
from pathlib import Path
from graph.pipeline.build import load
from graph.settings import Settings
load(Settings(), [Path(sys.argv[1])])
"""


@pytest.mark.parametrize("kind", ["embedded", "virtuoso"])
def test_a_load_killed_midway_leaves_the_previous_graph_serving(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest, built: Built
) -> None:
    if kind == "embedded":
        settings = Settings(store=tmp_path / "store")
        layout = StoreLayout(settings.store)
        with layout.writing() as work:
            from graph.store.embedded import write_version

            write_version(work, built.store.dump())
            layout.publish(work, built.info)
        env = {**os.environ, "MKG_STORE": str(settings.store)}
    else:
        virtuoso: Virtuoso = request.getfixturevalue("virtuoso")
        request.getfixturevalue("remote_built")
        settings = virtuoso.settings()
        env = {**os.environ, **virtuoso.environment()}
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    events = "SELECT ?e WHERE { ?e a <https://w3id.org/migration-kg/ontology#Event> }"
    before = _open(settings)
    expected = (before.info, answer(before.query(count)), answer(before.query(events)))
    before.close()
    big = tmp_path / "big.nq"
    big.write_bytes(b"".join(quads(f"g{i}", 60_000) for i in range(4)))
    child = subprocess.Popen(
        [sys.executable, "-c", LOAD, str(big)],
        env=env,
    )
    if kind == "virtuoso":  # kill it once it has uploaded a chunk
        assert _wait_for_upload(settings)
    else:
        time.sleep(0.8)
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL  # killed, not finished
    left = _leftovers(settings) if kind == "virtuoso" else []
    if kind == "virtuoso":
        assert left, "the killed load left nothing on the server: it was not midway"
    after = _open(settings)
    assert (after.info, answer(after.query(count)), answer(after.query(events))) == expected
    after.close()
    # the next load publishes and removes what the killed one left
    small = tmp_path / "small.nq"
    small.write_bytes(quads("small", 10))
    info = load(settings, [small])
    assert info.triples == expected[0].triples + 10
    if kind == "virtuoso":
        _, versions = _state(settings)
        assert all(found is not None for _, found in versions.values())  # none unfinished
        assert len(versions) <= 2
        assert _statements_in(settings, left) == 0
        _restore(settings, built)
    else:
        assert not list(StoreLayout(settings.store).versions.glob(".work-*"))


def _state(settings: Settings) -> tuple[str | None, dict[str, tuple[str, GraphInfo | None]]]:
    endpoint = Endpoint(settings)
    try:
        return state(endpoint)
    finally:
        endpoint.close()


def _leftovers(settings: Settings) -> list[str]:
    """The remote names of the graphs of versions that never finished."""
    endpoint = Endpoint(settings)
    try:
        _, versions = state(endpoint)
        return [
            Version(tag, frozenset()).name(graph)
            for tag, (_, info) in versions.items()
            if info is None
            for graph in graphs_of(endpoint, tag)
        ]
    finally:
        endpoint.close()


def _statements_in(settings: Settings, graphs: list[str]) -> int:
    endpoint = Endpoint(settings)
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        return int(next(endpoint.rows(count, [NO_GRAPH], graphs))["n"].value)
    finally:
        endpoint.close()


def _open(settings: Settings) -> GraphStore:
    if settings.remote:
        return RemoteStore.open(settings)
    return StoreLayout(settings.store).open()


def _wait_for_upload(settings: Settings) -> bool:
    """Wait until a version being written has statements on the server."""
    endpoint = Endpoint(settings)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            _, versions = state(endpoint)
            for tag, (_, info) in versions.items():
                names = [Version(tag, frozenset()).name(g)
                         for g in graphs_of(endpoint, tag)]  # fmt: skip
                if info is None and names and int(next(endpoint.rows(count, names, []))["n"].value):
                    return True
            time.sleep(0.05)
        return False
    finally:
        endpoint.close()


def _restore(settings: Settings, built: Built) -> None:
    """Put the corpus back as the current remote version, for the tests after this one."""
    publish(
        settings,
        [(built.store.dump(), ox.RdfFormat.N_QUADS, None)],
        lambda triples, _: GraphInfo(**{**asdict(built.info), "triples": triples}),
    )
