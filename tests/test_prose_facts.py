"""Facts from the prose of seeds 001-004 in the graph, each with its sources; one node per
real-world thing; conflicting claims kept, each in its document's graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.read.terms import rows
from graph.read.trace import sources
from tests.conftest import Built

BASE = "https://w3id.org/migration-kg/id/"
DOC = {
    "000": "000_14d2ce0a342a483c",
    "001": "001_6d7862dd6d85dfbf",
    "002": "002_701c0046ca42ff1f",
    "003": "003_3ad2074d6c553691",
    "004": "004_6339e25530592e73",
}

EVENT = """
SELECT DISTINCT ?fragment ?event ?start ?venue WHERE {
  ?event a mkg:Event ; rdfs:label ?label ; schema:startDate ?start .
  OPTIONAL { ?event schema:location/rdfs:label ?venue }
  FILTER (CONTAINS(LCASE(?label), LCASE(?fragment)))
}
"""
ROLES = """
SELECT DISTINCT ?event ?org ?role WHERE {
  ?event mkg:qualifiedInvolvement ?i . ?i mkg:agent ?agent ; mkg:role ?role .
  ?agent skos:notation ?org .
}
"""


def event(built: Built, fragment: str) -> dict[str, object]:
    found = rows(built.store.query(EVENT, {"fragment": ox.Literal(fragment)}))
    assert len({r["event"] for r in found}) == 1, (fragment, found)
    return found[0]


def roles(built: Built, iri: object) -> set[tuple[str, str]]:
    found = rows(built.store.query(ROLES, {"event": ox.NamedNode(str(iri))}))
    return {(str(r["org"]), str(r["role"])) for r in found}


def documents(built: Built, iri: object) -> set[str]:
    return {s.document for s in sources(built.store, str(iri))}


def test_global_consultation_on_migrant_health(built: Built) -> None:
    found = event(built, "Global Consultation on Migrant Health")
    assert str(found["start"]).startswith("2010")
    assert {("IOM", "co-organizer"), ("WHO", "co-organizer"), ("GOV-ES", "co-organizer")} <= roles(
        built, found["event"]
    )
    assert DOC["001"] in documents(built, found["event"])


def test_marseille_workshop_of_2011(built: Built) -> None:
    found = event(built, "Managing International Migration for Development")
    assert (str(found["start"])[:4], found["venue"]) == ("2011", "Marseille")
    assert {("IOM", "co-organizer"), ("WB", "co-organizer")} <= roles(built, found["event"])
    assert documents(built, found["event"]) == {DOC["004"]}


@pytest.mark.parametrize(
    ("fragment", "venue", "year", "actors"),
    [
        ("Women Leaders", "Haifa", "2005", {"IOM", "MCTC"}),
        ("UNFPA Expert Group Meeting on International Migration", "Marrakech",
         "2005", {"UNFPA", "IOM"}),
        ("Chairs and Secretariats of RCPs", None, "2011", {"GOV-BW", "IOM"}),
    ],
)  # fmt: skip
def test_meetings_named_in_the_prose(
    built: Built, fragment: str, venue: str | None, year: str, actors: set[str]
) -> None:
    found = event(built, fragment)
    assert found["venue"] == venue
    assert str(found["start"]).startswith(year)
    assert actors <= {org for org, _ in roles(built, found["event"])}


@pytest.mark.parametrize(
    ("fragment", "docs"),
    [
        # curated in 004's prose, found again on its cover
        ("Tenth Coordination Meeting", {DOC["004"]}),
        # curated in 001, found again in 004's prose under another name
        ("Dialogue on International Migration and Development (2013)", {DOC["001"], DOC["004"]}),
        # curated with 003's quote "by UNCTAD and the OECD at the 2004 workshop on Trade and
        # Migration", which the extractor finds as a workshop of its own
        ("Mode 4 of the GATS", {DOC["003"]}),
    ],
)
def test_an_event_a_second_text_tells_again_is_one_node(
    built: Built, fragment: str, docs: set[str]
) -> None:
    """A finding that tells a curated event again (at another of its quotes, or under a
    name alike) is that event, not an event of its own."""
    found = rows(built.store.query(EVENT, {"fragment": ox.Literal(fragment)}))
    assert len({r["event"] for r in found}) == 1, found
    assert docs <= documents(built, found[0]["event"])
    dialogues = rows(
        built.store.query(
            "SELECT DISTINCT ?e WHERE { ?e a mkg:Event ; rdfs:label ?l ; schema:startDate ?d "
            "FILTER (CONTAINS(LCASE(?l), 'high') && CONTAINS(LCASE(?l), 'dialogue') "
            "&& STRSTARTS(STR(?d), '2013')) }"
        )
    )
    assert len(dialogues) == 1, dialogues
    trade = rows(
        built.store.query(EVENT, {"fragment": ox.Literal("workshop on Trade and Migration")})
    )
    assert {str(r["start"]) for r in trade} == {"2003-11"}, trade  # no 2004 node of its own


def test_idm_intersessional_workshops_and_their_partners(built: Built) -> None:
    members = rows(
        built.store.query(
            "SELECT DISTINCT ?w WHERE { ?w schema:superEvent ?s . ?s a schema:EventSeries ; "
            "rdfs:label ?l FILTER (CONTAINS(LCASE(?l), 'intersessional')) }"
        )
    )
    assert len(members) >= 5
    partners = set().union(*(roles(built, m["w"]) for m in members))
    assert {("OECD", "co-organizer"), ("WB", "co-organizer"), ("WTO", "co-organizer")} <= partners


def test_2004_inter_agency_roundtables_with_participants(built: Built) -> None:
    found = rows(
        built.store.query(
            "SELECT DISTINCT ?e ?series WHERE { ?e a mkg:Event ; rdfs:label ?l ; "
            "schema:startDate ?d ; schema:superEvent ?series "
            "FILTER (CONTAINS(LCASE(?l), 'inter-agency roundtable') "
            "&& STRSTARTS(STR(?d), '2004')) }"
        )
    )
    assert len(found) == 2
    # The document names the participants of the two roundtables together ("Participants
    # have included..."): they belong to the series, not to either roundtable.
    [series] = {r["series"] for r in found}
    participants = {org for org, role in roles(built, series) if role == "participant"}
    assert {"ILO", "UNCTAD", "UNDP", "WHO"} <= participants
    for r in found:
        assert not {org for org, role in roles(built, r["e"]) if role == "participant"}


def test_key_migration_issues_seminars_belong_to_their_series(built: Built) -> None:
    found = rows(
        built.store.query(
            "SELECT DISTINCT ?row WHERE { GRAPH ?g { ?e schema:superEvent ?s } "
            "?s a schema:EventSeries ; rdfs:label ?l . ?e schema:position ?row "
            "FILTER (CONTAINS(?l, 'Key Migration Issues')) }"
        )
    )
    assert {int(r["row"]) for r in found} == {8, 25, 29, 33, 34, 45}  # type: ignore[call-overload]


def test_migration_and_development_seminar_series_and_its_funder(built: Built) -> None:
    [series] = rows(
        built.store.query(
            "SELECT DISTINCT ?s WHERE { ?s a schema:EventSeries ; rdfs:label ?l "
            "FILTER (CONTAINS(?l, 'Migration and Development Seminar Series')) }"
        )
    )
    assert {("MACARTHUR", "funder"), ("IOM", "organizer")} <= roles(built, series["s"])


def test_gmg_working_groups_have_co_chairs_and_the_bali_process_a_steering_group(
    built: Built,
) -> None:
    found = rows(
        built.store.query(
            "SELECT DISTINCT ?body ?member ?role ?parent WHERE { ?m a org:Membership ; "
            "org:organization/skos:notation ?body ; org:member/skos:notation ?member ; "
            "mkg:role ?role . OPTIONAL { ?b skos:notation ?body ; "
            "org:subOrganizationOf/skos:notation ?parent } }"
        )
    )
    table = {(r["body"], r["member"], r["role"], r["parent"]) for r in found}
    assert ("GMG-WG-DATA", "IOM", "co-chair", "GMG") in table
    assert ("GMG-WG-DATA", "UNDESA", "co-chair", "GMG") in table
    assert ("BALI-PROCESS-SG", "IOM", "member", "BALI-PROCESS") in table
    assert ("BALI-PROCESS", "GOV-AU", "co-chair", None) in table


def test_publications_are_tied_to_their_authors(built: Built) -> None:
    found = rows(
        built.store.query(
            "SELECT DISTINCT ?author WHERE { ?w schema:name ?n ; "
            "schema:author/skos:notation ?author "
            "FILTER (STRSTARTS(?n, 'Engaging Diasporas in Development')) }"
        )
    )
    assert {r["author"] for r in found} == {"IOM", "MPI"}


def test_the_brussels_conference_is_one_node_with_two_sources(built: Built) -> None:
    found = rows(
        built.store.query(
            "SELECT DISTINCT ?e WHERE { ?e a mkg:Event ; schema:location/rdfs:label 'Brussels' ; "
            "schema:startDate ?d FILTER (STRSTARTS(STR(?d), '2006-03')) }"
        )
    )
    assert len(found) == 1
    assert {DOC["000"], DOC["003"]} <= documents(built, found[0]["e"])
    dates = rows(
        built.store.query(
            "SELECT ?e ?g ?d WHERE { GRAPH ?g { ?e schema:startDate ?d } }",
            {"e": ox.NamedNode(str(found[0]["e"]))},
        )
    )
    # Doc 003's "March 2006" agrees with the calendar's 2006-03-15, less precisely: the
    # precise date is the value, and doc 003 stays a source of the node.
    assert {(str(r["g"]).rsplit("/", 1)[-1], str(r["d"])) for r in dates} == {
        (DOC["000"], "2006-03-15"),
    }


def test_organizations_are_one_node_under_all_their_spellings(built: Built) -> None:
    found = rows(
        built.store.query(
            "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o skos:prefLabel "
            "'International Organization for Migration' }"
        )
    )
    assert found[0]["n"] == 1


def test_both_claimed_years_of_a_res_65_170_are_kept(built: Built) -> None:
    found = rows(
        built.store.query(
            "SELECT DISTINCT ?g ?issued WHERE { ?i mkg:symbol 'A/RES/65/170' . "
            "GRAPH ?g { ?i dcterms:issued ?issued } }"
        )
    )
    claims = {(str(r["g"]).rsplit("/", 1)[-1], str(r["issued"])) for r in found}
    assert claims == {(DOC["001"], "2011"), (DOC["004"], "2010")}


def test_both_membership_figures_of_iom_are_kept(built: Built) -> None:
    found = rows(
        built.store.query(
            "SELECT DISTINCT ?g ?value WHERE { GRAPH ?g { ?o schema:observationAbout ?iom ; "
            "schema:variableMeasured 'member-states' ; schema:value ?value } "
            "?iom skos:notation 'IOM' }"
        )
    )
    claims = {(str(r["g"]).rsplit("/", 1)[-1], r["value"]) for r in found}
    assert {(DOC["004"], 146), (DOC["001"], 149)} <= claims
