"""Who works with whom: rankings and measures, checked against the calendar and NetworkX."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from graph.errors import NotFound, ParseError
from graph.model.iris import Minter
from graph.read import analytics, derived
from graph.read.filters import Filters
from graph.read.projection import projection as projection_of
from graph.store.backend import GraphInfo
from graph.store.embedded import StoreLayout, write_version
from tests.conftest import CALENDAR_DOC, Built

CALENDAR = Filters(doc=CALENDAR_DOC)


@pytest.fixture(scope="module")
def minter(built: Built) -> Minter:
    return Minter(built.settings.base_iri)


def test_calendar_ranking_read_off_the_table(built: Built, minter: Minter) -> None:
    # Reading the table: IOM is responsible in 29 rows; row 17 holds two side events,
    # so 30 events. UNDESA (with "DESA" in row 37): rows 1, 4, 5, 13, 14, 15, 28, 30, 35,
    # 37. UNFPA: rows 8, 22, 25, 29, 33, 34, 37, 45, 47. UNITAR: 8, 25, 29, 33, 34, 45.
    top = analytics.cosponsors(built.store, minter, filters=CALENDAR, limit=4)
    assert [(c.id, c.events) for c in top] == [
        ("IOM", 30),
        ("UNDESA", 10),
        ("UNFPA", 9),
        ("UNITAR", 6),
    ]


def test_strongest_pair_of_the_calendar(built: Built, minter: Minter) -> None:
    strongest = analytics.pairs(built.store, minter, CALENDAR)[0]
    assert {o.id for o in strongest.orgs} == {"IOM", "UNFPA"}
    assert strongest.shared_events == 9  # every UNFPA row lists IOM too
    assert len(strongest.events) == 9


def test_iom_leads_betweenness_in_the_calendar(built: Built, minter: Minter) -> None:
    scores = analytics.centrality(built.store, minter, "betweenness", CALENDAR)
    assert scores[0].org.id == "IOM"
    assert scores[0].score > scores[1].score


# --- a small hand-built graph: our measures against NetworkX computed directly ---

EDGES = {  # event -> organizers
    "e1": ["A", "B"],
    "e2": ["A", "B", "C"],
    "e3": ["C", "D"],
    "e4": ["D", "E"],
    "e5": ["A", "B"],
    "e6": ["F"],
}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Minter]:
    base = "https://example.org/kg/"
    mkg = "https://w3id.org/migration-kg/ontology#"
    a_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    xsd_date = "<http://www.w3.org/2001/XMLSchema#date>"
    label = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
    graph = f"<{base}graph/doc/small>"
    lines = []
    for event, orgs in EDGES.items():
        node = f"<{base}event/{event}>"
        lines.append(f"{node} {a_type} <{mkg}Event> {graph} .")
        lines.append(
            f'{node} <https://schema.org/startDate> "200{event[1]}-01-01"^^{xsd_date} {graph} .'
        )
        lines += [f"{node} <{mkg}organizer> <{base}org/{org}> {graph} ." for org in orgs]
    for org in "ABCDEF":
        lines.append(f"<{base}org/{org}> {a_type} <{mkg}Organization> {graph} .")
        lines.append(f'<{base}org/{org}> {label} "Org {org}" {graph} .')
    layout = StoreLayout(tmp_path_factory.mktemp("small") / "store")
    with layout.writing() as work:
        write_version(work, "\n".join(lines).encode())
        layout.publish(work, GraphInfo("small-v1", len(lines), "", "hand-built"))
    return layout.open(), Minter(base)  # fmt: skip


def _reference() -> nx.Graph:
    graph = nx.Graph()
    for orgs in EDGES.values():
        graph.add_nodes_from(orgs)
        for a, b in itertools.combinations(orgs, 2):
            weight = graph[a][b]["weight"] + 1 if graph.has_edge(a, b) else 1
            graph.add_edge(a, b, weight=weight, distance=1 / weight)
    return graph


@pytest.mark.parametrize(
    ("measure", "reference"),
    [
        ("degree", lambda g: dict(g.degree(weight="weight"))),
        ("betweenness", lambda g: nx.betweenness_centrality(g, weight="distance")),
        ("pagerank", lambda g: nx.pagerank(g, weight="weight")),
        ("closeness", lambda g: nx.closeness_centrality(g, distance="distance")),
        ("eigenvector", lambda g: nx.eigenvector_centrality(g, weight="weight", max_iter=1000,
                                                             tol=1e-08)),
    ],
)  # fmt: skip
def test_measures_agree_with_networkx(
    small: tuple[object, Minter], measure: str, reference: object
) -> None:
    store, minter = small
    ours = {s.org.id: s.score for s in analytics.centrality(store, minter, measure)}  # type: ignore[arg-type]
    theirs = reference(_reference())  # type: ignore[operator]
    assert ours == pytest.approx({k: abs(v) for k, v in theirs.items()})


def test_pairs_communities_and_path_on_the_small_graph(small: tuple[object, Minter]) -> None:
    store, minter = small
    found = analytics.pairs(store, minter)  # type: ignore[arg-type]
    assert [(p.orgs[0].id, p.orgs[1].id, p.shared_events) for p in found[:1]] == [("A", "B", 3)]
    groups = analytics.communities(store, minter)  # type: ignore[arg-type]
    reference = nx.community.louvain_communities(_reference(), weight="weight", seed=42)
    assert sorted(sorted(m.id for m in c.members) for c in groups) == sorted(
        sorted(c) for c in reference
    )
    hops = analytics.path(store, minter, "A", "E")  # type: ignore[arg-type]
    assert [(h.source.id, h.target.id) for h in hops] == [("A", "C"), ("C", "D"), ("D", "E")]
    assert hops[0].events == ("https://example.org/kg/event/e2",)
    with pytest.raises(NotFound, match="no collaboration path"):
        analytics.path(store, minter, "A", "F")  # type: ignore[arg-type]
    # a blank name is no name, not the first organization without an acronym
    with pytest.raises(ParseError, match="cannot be blank"):
        analytics.path(store, minter, " ", "E")  # type: ignore[arg-type]


def test_filters_compose_and_an_empty_window_is_empty(built: Built, minter: Minter) -> None:
    september = Filters.parse(start="2006-09", end="2006-09", doc=CALENDAR_DOC)
    ranking = {c.id: c.events for c in analytics.cosponsors(built.store, minter, filters=september)}
    # Rows 46-50 of the calendar: OLA; UNFPA, IOM; UN-RC-NYO, IOM; IOM; UNGA.
    assert ranking == {"IOM": 3, "OLA": 1, "UNFPA": 1, "UN-RC-NYO": 1, "UNGA": 1}
    empty = Filters.parse(start="1990", end="1991")
    assert analytics.cosponsors(built.store, minter, filters=empty) == []
    assert analytics.pairs(built.store, minter, empty) == []
    assert analytics.centrality(built.store, minter, "betweenness", empty) == []
    assert analytics.communities(built.store, minter, empty) == []


def test_theme_and_type_filters(built: Built, minter: Minter) -> None:
    health = Filters.parse(theme="health", doc=CALENDAR_DOC)
    ranking = {c.id: c.events for c in analytics.cosponsors(built.store, minter, filters=health)}
    assert ranking == {"IOM": 2, "WHO": 2, "ILO": 1, "UNITAR": 1, "UNFPA": 1}  # rows 11 and 29
    un_only = Filters.parse(org_type="UNEntity", doc=CALENDAR_DOC)
    ids = {c.id for c in analytics.cosponsors(built.store, minter, filters=un_only)}
    assert "IOM" not in ids and "UNDESA" in ids


def test_results_are_cached_per_graph_version(built: Built, minter: Minter) -> None:
    first = projection_of(built.store, minter, CALENDAR)
    assert projection_of(built.store, minter, CALENDAR) is first
    derived.clear()
    assert projection_of(built.store, minter, CALENDAR) is not first


# --- the API routes ---


def test_api_cosponsors_and_pagination(client: TestClient) -> None:
    page = client.get("/api/analytics/cosponsors", params={"doc": CALENDAR_DOC, "limit": 2}).json()
    assert [(i["org"]["id"], i["events"], i["joint_events"]) for i in page["items"]] == [
        ("IOM", 30, 28),
        ("UNDESA", 10, 5),
    ]
    assert (page["limit"], page["offset"]) == (2, 0) and page["total"] > 40
    second = client.get(
        "/api/analytics/cosponsors", params={"doc": CALENDAR_DOC, "limit": 2, "offset": 2}
    ).json()
    assert [i["org"]["id"] for i in second["items"]] == ["UNFPA", "UNITAR"]


def test_api_pairs_centrality_communities(client: TestClient) -> None:
    pair = client.get("/api/analytics/pairs", params={"doc": CALENDAR_DOC, "limit": 1}).json()
    assert {o["id"] for o in pair["items"][0]["orgs"]} == {"IOM", "UNFPA"}
    assert pair["items"][0]["shared_events"] == len(pair["items"][0]["events"]) == 9
    scores = client.get(
        "/api/analytics/centrality", params={"measure": "betweenness", "doc": CALENDAR_DOC}
    ).json()
    assert scores["items"][0]["org"]["id"] == "IOM"
    groups = client.get("/api/analytics/communities").json()
    assert groups["items"][0]["members"] and groups["items"][0]["label"]


def test_api_errors_are_json_with_4xx(client: TestClient) -> None:
    unknown = client.get("/api/analytics/centrality", params={"measure": "fame"})
    assert unknown.status_code == 422
    assert unknown.json()["error"] == "InvalidRequest" and "measure" in unknown.json()["detail"]
    no_path = client.get("/api/analytics/path", params={"source": "IOM", "target": "UNGA",
                                                         "doc": CALENDAR_DOC})  # fmt: skip
    assert no_path.status_code == 404
    assert "no collaboration path" in no_path.json()["detail"]
    unknown_org = client.get("/api/analytics/path", params={"source": "IOM", "target": "XYZ"})
    assert (
        unknown_org.status_code == 404 and "no organization 'XYZ'" in unknown_org.json()["detail"]
    )
    bad_date = client.get("/api/analytics/cosponsors", params={"start": "2006-13"})
    assert bad_date.status_code == 422 and "malformed date" in bad_date.json()["detail"]
    bad_limit = client.get("/api/analytics/pairs", params={"limit": -1})
    assert bad_limit.status_code == 422
    empty = client.get("/api/analytics/pairs", params={"start": "1990", "end": "1990"})
    assert empty.status_code == 200 and empty.json()["items"] == []


def test_api_path_lists_the_events_of_each_hop(client: TestClient) -> None:
    answer = client.get(
        "/api/analytics/path", params={"source": "HEI", "target": "OLA", "doc": CALENDAR_DOC}
    ).json()
    assert [(h["source"]["id"], h["target"]["id"]) for h in answer["hops"]] == [
        ("HEI", "IOM"),
        ("IOM", "OLA"),
    ]
    assert answer["hops"][1]["events"][0]["label"] == (
        "Key Migration Issues Seminar: Migration and Human Rights"
    )


def test_top_plot_writes_a_png(built: Built, run_mkg: object, tmp_path: Path) -> None:
    out = tmp_path / "top.png"
    done = run_mkg("top", "--limit", "5", "--plot", str(out), settings=built.settings)  # type: ignore[operator]
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_mandate_graph_runs_from_instrument_to_events(built: Built) -> None:
    mandates = analytics.mandate_graph(built.store)
    instrument = built.settings.base_iri + "instrument/A-RES-60-227"
    op17 = instrument + "/op/17"
    assert mandates.has_edge(instrument, op17)
    implementers = {v for _, v, d in mandates.out_edges(op17, data=True) if d["basis"] == "curated"}
    assert len(implementers) == 7  # rows 10, 16, 17 (two side events), 28, 42, 48


def test_ego_network(small: tuple[object, Minter]) -> None:
    store, minter = small
    ego = analytics.ego(store, minter, "C")  # type: ignore[arg-type]
    assert {n.rsplit("/", 1)[-1] for n in ego.nodes} == {"A", "B", "C", "D"}
