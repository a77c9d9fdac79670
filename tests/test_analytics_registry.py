"""The read side's shared parts: the filters (checked in one place), the one cache of
derived results (bounded, per graph version) and the registry of measures that the API,
the CLI and the OpenAPI description all read."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from graph.errors import ParseError
from graph.model.iris import Minter
from graph.read import analytics, derived
from graph.read.filters import FIELDS, Filters
from graph.read.projection import projection
from graph.store.backend import GraphInfo, GraphStore
from graph.store.embedded import StoreLayout, write_version
from tests.conftest import CALENDAR_DOC, Built

BASE = "https://example.org/kg/"
MKG = "https://w3id.org/migration-kg/ontology#"
JSON = "application/json"


@pytest.fixture(scope="module")
def minter(built: Built) -> Minter:
    return Minter(built.settings.base_iri)


@pytest.fixture(scope="module")
def client(built: Built) -> Iterator[TestClient]:
    with TestClient(create_app(built.settings)) as test_client:
        yield test_client


# --- filters ---


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        ("2006-13", None, "malformed date '2006-13'"),
        ("\uff12\uff10\uff10\uff16", None, "malformed date"),  # full-width digits are not a year
        (" 2006", None, "malformed date"),
        ("2006-02-30", None, "2006-02-30"),  # written right, not in the calendar
        ("2007", "2006", "the window ends (2006) before it starts (2007)"),
    ],
)
def test_filters_refuse_bad_values_with_a_clear_error(
    start: str, end: str | None, problem: str
) -> None:
    with pytest.raises(ParseError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        Filters.parse(start=start, end=end)


def test_filters_read_empty_values_as_no_filter_and_a_year_as_all_of_it() -> None:
    assert Filters.parse("", "", "", "", "") == Filters()
    year = Filters.parse(start="2006", end="2006")
    assert (str(year.start), str(year.end)) == ("2006-01-01", "2006-12-31")


def test_pages_and_api_refuse_a_bad_date_alike(client: TestClient) -> None:
    for url in ("/api/analytics/pairs", "/viz/network", "/viz/timeline"):
        answer = client.get(
            url, params={"start": "2006-13"}, headers={"Accept": "application/json"}
        )
        assert answer.status_code == 422, url
        assert "malformed date '2006-13'" in answer.json()["detail"], url


def test_api_and_cli_describe_filters_and_measures_from_one_table(
    client: TestClient, built: Built, run_mkg: Callable[..., object]
) -> None:
    schema = client.get("/openapi.json").json()
    for route in ("/api/analytics/pairs", "/api/events", "/viz/network"):
        params = {p["name"]: p for p in schema["paths"][route]["get"]["parameters"]}
        for name in ("doc", "theme"):
            assert params[name]["description"] == FIELDS[name].help, (route, name)
    done = run_mkg("analytics", "--help", settings=built.settings)
    assert done.returncode == 0  # type: ignore[attr-defined]
    assert FIELDS["doc"].example in done.stdout  # type: ignore[attr-defined]
    for name in analytics.MEASURES:  # the help lists every registered measure
        assert f"{name}: " in done.stdout, name  # type: ignore[attr-defined]


# --- the cache of derived results ---


def _small_store(root: Path, version: str, events: dict[str, list[str]]) -> GraphStore:
    graph = f"<{BASE}graph/doc/small>"
    kind = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    lines = []
    for event, orgs in events.items():
        node = f"<{BASE}event/{event}>"
        lines.append(f"{node} {kind} <{MKG}Event> {graph} .")
        lines += [f"{node} <{MKG}organizer> <{BASE}org/{org}> {graph} ." for org in orgs]
    layout = StoreLayout(root / "store")
    with layout.writing() as work:
        write_version(work, "\n".join(lines).encode())
        layout.publish(work, GraphInfo(version, len(lines), "", "hand-built"))
    return layout.open()


def test_each_graph_version_has_its_own_results(tmp_path: Path) -> None:
    minter = Minter(BASE)
    before = _small_store(tmp_path / "a", "v1", {"e1": ["A", "B"]})
    after = _small_store(tmp_path / "b", "v2", {"e1": ["A", "B"], "e2": ["B", "C"]})
    try:
        first = projection(before, minter)
        second = projection(after, minter)
        assert (len(first.events), len(second.events)) == (1, 2)
        assert projection(before, minter) is first  # both versions stay cached
        assert projection(after, minter) is second
        assert [p.shared_events for p in analytics.pairs(after, minter)] == [1, 1]
    finally:
        before.close()
        after.close()


def test_the_cache_is_bounded_and_forgets_the_least_recently_used(built: Built) -> None:
    derived.clear()
    computed: list[int] = []

    def ask(i: int) -> int:
        return derived.cached(built.store, ("probe", i), lambda: computed.append(i) or i)

    ask(0)
    for i in range(1, derived.SIZE + 1):
        ask(i)
        ask(0)  # kept in use: never the one to go
    assert derived.size() == derived.SIZE
    assert computed == list(range(derived.SIZE + 1))
    ask(0)
    ask(derived.SIZE)
    assert computed == list(range(derived.SIZE + 1))  # both answered from the cache
    ask(1)  # the least recently used went when the cache was full
    assert computed[-1] == 1 and len(computed) == derived.SIZE + 2
    derived.clear()
    assert derived.size() == 0


# --- the registry of measures ---


def _records(out: str) -> list[dict[str, object]]:
    found: list[dict[str, object]] = json.loads(out)
    return found


@pytest.mark.parametrize("name", list(analytics.MEASURES))
def test_every_registered_measure_answers_on_the_cli(
    name: str, built: Built, minter: Minter, run_mkg: Callable[..., object]
) -> None:
    measure = analytics.MEASURES[name]
    # the calendar covers one year: the yearly changes are read over the whole graph
    doc = None if name == "years" else CALENDAR_DOC
    extra = ["--source", "HEI", "--target", "OLA"] if name == "path" else []
    extra += ["--doc", doc] if doc else []
    done = run_mkg(
        "analytics", name, "--limit", "3", "--format", "json", *extra, settings=built.settings
    )
    assert done.returncode == 0, done.stderr  # type: ignore[attr-defined]
    records = _records(done.stdout)  # type: ignore[attr-defined]
    assert records, name
    assert all(list(r) == [f.key for f in measure.fields] for r in records)
    ask = analytics.Ask(filters=Filters(doc=doc), limit=3, source="HEI", target="OLA")
    items = measure.compute(built.store, minter, ask)
    expected = measure.records(items[:3] if measure.limited else items, ask)
    assert records == json.loads(json.dumps(expected))


def test_the_api_offers_the_registered_centralities(
    client: TestClient, built: Built, minter: Minter
) -> None:
    schema = client.get("/openapi.json").json()
    route = schema["paths"]["/api/analytics/centrality"]["get"]
    (param,) = [p for p in route["parameters"] if p["name"] == "measure"]
    assert param["schema"]["enum"] == list(analytics.CENTRALITIES)
    for centrality in analytics.CENTRALITIES.values():
        assert centrality.description in param["description"]
        answer = client.get(
            "/api/analytics/centrality",
            params={"measure": centrality.name, "doc": CALENDAR_DOC, "limit": 5},
        ).json()
        ours = analytics.centrality(built.store, minter, centrality.name, Filters(doc=CALENDAR_DOC))
        assert [(i["org"]["id"], i["score"]) for i in answer["items"]] == [
            (s.org.id, s.score) for s in ours[:5]
        ]
    routed = [m for m in analytics.MEASURES.values() if m.route]
    assert {m.name for m in routed} >= {"cosponsors", "pairs", "communities", "path"}
    for measure in routed:  # the route a measure names is served, and says what it says
        path = str(measure.route).split("?")[0]
        described = schema["paths"][f"/api/analytics/{path}"]["get"]["description"]
        assert measure.description in described, measure.name
        assert client.get(f"/api/analytics/{measure.route}", params={
            "source": "HEI", "target": "OLA", "doc": CALENDAR_DOC}).status_code == 200  # fmt: skip


@pytest.mark.parametrize("name", ["cosponsors", "pairs", *analytics.CENTRALITIES])
def test_measures_with_a_chart_draw_it(
    name: str, built: Built, minter: Minter, tmp_path: Path
) -> None:
    from graph.views.plots import draw

    items = analytics.MEASURES[name].compute(built.store, minter, analytics.Ask())[:5]
    out = draw(name, items, tmp_path / f"{name}.png")
    assert out is not None and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
