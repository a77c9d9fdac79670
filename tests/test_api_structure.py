"""The questions an analyst asks of the graph's structure, put to the JSON API only: who
chairs a working group, who belongs to a steering group, who took part in a round table,
how many member states an organization reported and when, when an instrument was adopted
where the sources disagree, which announced topic of a series had no event, and how many
calendar rows rather than events an organization is named in. Each answer comes with its
sources, whose quotes are checked against the corpus text."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from graph.model.statements import agree
from graph.read.terms import rows
from tests.conftest import CALENDAR_DOC, CORPUS, Built, all_pages, ok_json

TEXTS = {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
IOM_2013_PAPER = "001_6d7862dd6d85dfbf"
IOM_2012_INPUT = "004_6339e25530592e73"
BRUSSELS = "2006-03-15-brussels-conference-on-migration-and-development"


def quoted(sources: list[dict[str, Any]]) -> str:
    """The quotes of the sources, each checked to be the text at its offsets."""
    assert sources
    for s in sources:
        assert TEXTS[s["document"]][s["char_start"] : s["char_end"]] == s["evidence"]
    return " ".join(s["evidence"] for s in sources)


def one_org(client: TestClient, q: str) -> dict[str, Any]:
    [found] = ok_json(client, "/api/organizations", q=q)["items"]
    detail: dict[str, Any] = ok_json(client, f"/api/organizations/{found['id']}")
    return detail


def test_who_chairs_a_working_group(client: TestClient) -> None:
    group = one_org(client, "Mainstreaming Migration into National Development")
    chairs = {m["org"]["acronym"]: m for m in group["members"] if m["role"] == "co-chair"}
    assert set(chairs) == {"UNDP", "IOM"}
    for acronym, member in chairs.items():
        assert acronym in quoted(member["sources"])
        assert {"id", "label", "acronym"} <= set(member["org"])
    iom = ok_json(client, "/api/organizations/IOM")
    assert {"org": group["id"], "role": "co-chair"} in [
        {"org": m["org"]["id"], "role": m["role"]} for m in iom["member_of"]
    ]


def test_who_belongs_to_a_steering_group(client: TestClient) -> None:
    group = one_org(client, "Bali Process Steering")
    members = {m["org"]["id"]: m for m in group["members"]}
    assert {"IOM", "UNHCR", "GOV-AU", "GOV-ID", "GOV-NZ", "GOV-TH"} == set(members)
    assert "UNHCR" in quoted(members["UNHCR"]["sources"])
    assert "steering group" in quoted(members["IOM"]["sources"])


def test_who_took_part_in_the_round_tables(client: TestClient) -> None:
    # The text names the participants of the two 2004 round tables together: the API
    # gives them on the series the two round tables form, and on neither round table.
    [series] = [e for e in all_pages(client, "/api/events", q="inter-agency roundtables")]
    assert series["series"]
    detail = ok_json(client, f"/api/events/{series['id']}")
    participants = {i["org"]["id"]: i for i in detail["involvements"] if i["role"] == "participant"}
    assert {"ILO", "UNCTAD", "UNDP", "UNESCO", "UNHCR", "WHO", "WB", "IOM"} == set(participants)
    assert "Participants have" in quoted(participants["ILO"]["sources"])
    assert len(detail["parts"]) == 2
    for part in detail["parts"]:
        round_table = ok_json(client, f"/api/events/{part['id']}")
        assert round_table["part_of"] == series["iri"]
        assert not [i for i in round_table["involvements"] if i["role"] == "participant"]


def test_every_role_of_an_event_is_shown_with_its_quote(client: TestClient) -> None:
    [meeting] = all_pages(client, "/api/events", q="Tenth Coordination Meeting")
    detail = ok_json(client, f"/api/events/{meeting['id']}")
    roles = {(i["org"]["id"], i["role"]) for i in detail["involvements"]}
    assert {("UNPD", "host"), ("IOM", "participant")} <= roles
    for involvement in detail["involvements"]:
        quoted(involvement["sources"])
    organizers = {o["id"] for o in detail["organizers"]}
    assert organizers <= {org for org, _ in roles}


def test_how_many_member_states_an_organization_reported_and_when(client: TestClient) -> None:
    iom = ok_json(client, "/api/organizations/IOM")
    members = [f for f in iom["figures"] if f["variable"] == "member-states"]
    assert {(f["value"], f["date"]) for f in members} == {(146, "2011"), (149, "2012-11")}
    for figure in members:
        [source] = figure["sources"]
        assert str(figure["value"]) in quoted([source])
    by_value = {f["value"]: f["sources"][0]["document"] for f in members}
    assert by_value == {146: IOM_2012_INPUT, 149: IOM_2013_PAPER}
    # Different dates: two figures that can both be true, so no dispute.
    assert iom["disputed"] == []


def test_the_projects_of_an_organization_with_its_role(client: TestClient) -> None:
    iom = ok_json(client, "/api/organizations/IOM")
    projects = {p["id"]: p for p in iom["projects"]}
    assert projects["mida"]["role"] == "implementer"
    assert "MIDA" in quoted(projects["mida"]["sources"])
    undp = ok_json(client, "/api/organizations/UNDP")
    assert "mainstreaming-migration-pilot" in {p["id"] for p in undp["projects"]}


def test_when_an_instrument_was_adopted_where_the_sources_disagree(client: TestClient) -> None:
    found = ok_json(client, "/api/instruments/A-RES-65-170")
    issued = {c["value"]: c["stated_by"] for c in found["disputed"] if c["property"] == "issued"}
    assert issued == {"2010": [IOM_2012_INPUT], "2011": [IOM_2013_PAPER]}
    undisputed = ok_json(client, "/api/instruments/A-RES-60-227")
    assert undisputed["disputed"] == []


def test_which_announced_topic_of_a_series_had_no_event(client: TestClient) -> None:
    [series] = [
        e for e in all_pages(client, "/api/events", q="Key Migration Issues") if e["series"]
    ]
    detail = ok_json(client, f"/api/events/{series['id']}")
    assert len(detail["topics"]) == 7
    uncovered = [t["label"] for t in detail["topics"] if t["part"] is None]
    assert uncovered == ["international human trafficking"]
    parts = {p["id"] for p in detail["parts"]}
    for topic in detail["topics"]:
        assert topic["label"] in quoted(topic["sources"])
        if topic["part"] is not None:
            assert topic["part"]["id"] in parts
    assert len(parts) == 6
    by_label = {t["label"]: t["part"]["label"] for t in detail["topics"] if t["part"]}
    assert "HIV" in by_label["HIV, AIDS and migration"]
    assert "Labor Migration" in by_label["labour migration"]


def test_a_series_is_served_like_an_event(client: TestClient) -> None:
    unknown = client.get("/api/events/series-no-such-series")
    assert unknown.status_code == 404
    series = [e for e in all_pages(client, "/api/events", q="series") if e["series"]]
    assert series
    for found in series:
        detail = ok_json(client, f"/api/events/{found['id']}")
        assert detail["series"] and detail["label"] == found["label"]
        quoted(detail["sources"])
    # Without a title search the list is events only, as the analytics count them.
    assert not [e for e in all_pages(client, "/api/events") if e["series"]]


def test_disputed_lists_only_values_that_cannot_both_be_true(client: TestClient) -> None:
    brussels = ok_json(client, f"/api/events/{BRUSSELS}")
    assert brussels["disputed"] == []
    assert (brussels["start"], brussels["end"]) == ("2006-03-15", "2006-03-16")
    # The less precise "March 2006" of the 2005 paper keeps its source.
    assert "003_3ad2074d6c553691" in {s["document"] for s in brussels["sources"]}
    for event in all_pages(client, "/api/events"):
        claims = ok_json(client, f"/api/events/{event['id']}")["disputed"]
        for a in claims:
            assert a["stated_by"]
            for b in claims:
                if a["property"] == b["property"] and a is not b:
                    assert not agree(a["value"], b["value"]), (event["id"], a, b)


def test_counting_calendar_rows_counts_a_row_of_two_side_events_once(
    client: TestClient, built: Built
) -> None:
    shared_row = rows(
        built.store.query(
            "SELECT ?position (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a mkg:Event ; "
            "schema:position ?position } } GROUP BY ?position HAVING (COUNT(DISTINCT ?e) > 1)"
        )
    )
    assert [int(str(r["position"])) for r in shared_row] == [17]
    organizers = {
        str(r["org"]).rsplit("/", 1)[-1]
        for r in rows(
            built.store.query(
                "SELECT DISTINCT ?org WHERE { ?e schema:position 17 ; mkg:organizer ?org }"
            )
        )
    }
    by_events = {
        c["org"]["id"]: c for c in all_pages(client, "/api/analytics/cosponsors", doc=CALENDAR_DOC)
    }
    by_rows = all_pages(client, "/api/analytics/cosponsors", doc=CALENDAR_DOC, count="rows")
    assert [c["rows"] for c in by_rows] == sorted((c["rows"] for c in by_rows), reverse=True)
    for c in by_rows:
        org = c["org"]["id"]
        expected = by_events[org]["events"] - (1 if org in organizers else 0)
        assert c["rows"] == expected, org
    assert organizers
    assert client.get("/api/analytics/cosponsors", params={"count": "tables"}).status_code == 422
