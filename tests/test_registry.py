"""The curated organization registry: identities, parents, and every calendar actor known."""

from __future__ import annotations

import pytest

from graph.errors import RegistryError
from graph.extract import calendar
from graph.settings import get_settings
from graph.sources.registry import OrgEntry, Registry
from tests.conftest import CALENDAR_DOC, CORPUS


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load(get_settings().registry_dir)


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["UNDESA", "DESA"], "UNDESA"),
        (["UNECLAC", "ECLAC"], "ECLAC"),
        (["UNESCAP", "ESCAP"], "ESCAP"),
        (["Gov of Mexico", "Gov Mexico", "Mexico"], "GOV-MX"),
        (["European Commission", "the European Commission", "EC"], "EC"),
        (["African Union (AU)", "AU", "African Union"], "AU"),
        (["the CPLP", "CPLP"], "CPLP"),
        (["GA President"], "PGA"),
    ],
)
def test_spellings_resolve_to_one_organization(
    registry: Registry, spellings: list[str], key: str
) -> None:
    assert {registry.resolve_org(s).key for s in spellings} == {key}


@pytest.mark.parametrize(
    ("key", "parent"),
    [
        ("UNDESA", "UN-SECRETARIAT"),
        ("ECLAC", "UN-REGIONAL-COMMISSIONS"),
        ("ESCAP", "UN-REGIONAL-COMMISSIONS"),
        ("ESCWA", "UN-REGIONAL-COMMISSIONS"),
    ],
)
def test_parents(registry: Registry, key: str, parent: str) -> None:
    assert registry.orgs[key].parent == parent


def test_types_of_calendar_actors(registry: Registry) -> None:
    assert registry.orgs["PGA"].type == "Office"
    assert registry.orgs["GOV-MX"].type == "Government"
    assert registry.orgs["IOM"].type == "IntergovernmentalOrganization"
    assert registry.orgs["UNFPA"].type == "UNEntity"
    assert registry.orgs["RCM"].type == "RegionalConsultativeProcess"
    assert registry.orgs["HEI"].type == "AcademicInstitution"
    assert registry.orgs["GULBENKIAN"].type == "Foundation"


def test_every_actor_and_venue_of_the_calendar_is_in_the_registry(registry: Registry) -> None:
    text = (CORPUS / f"{CALENDAR_DOC}.txt").read_text(encoding="utf-8")
    events = calendar.extract_events(
        text, CALENDAR_DOC, "000", 2006, lambda n: registry.lookup_org(n) is not None
    )
    unknown = {m.text for e in events for m in e.mentions if registry.lookup_org(m.text) is None}
    assert unknown == set()
    assert {e.venue for e in events if registry.lookup_place(e.venue) is None} == set()


def test_unknown_names_become_new_organizations_under_their_own_spelling(
    registry: Registry,
) -> None:
    new = registry.resolve_org("Gov of Narnia")
    assert (new.key, new.label, new.type, new.known) == (
        "GOVERNMENT-OF-NARNIA",
        "Government of Narnia",
        "Government",
        False,
    )
    plain = registry.resolve_org("Acme Migration Network")
    assert (plain.key, plain.label, plain.known) == (
        "ACME-MIGRATION-NETWORK",
        "Acme Migration Network",
        False,
    )


def test_a_name_shared_by_two_entries_is_refused() -> None:
    one = OrgEntry(id="A", label="Alpha", acronym="AX", type="NGO")
    two = OrgEntry(id="B", label="Beta", aliases=("AX",), type="NGO")
    with pytest.raises(RegistryError, match="'AX' is used by both A and B"):
        Registry([one, two], [])


def test_an_unknown_parent_is_refused() -> None:
    orphan = OrgEntry(id="A", label="Alpha", type="NGO", parent="NOPE")
    with pytest.raises(RegistryError, match="unknown parent 'NOPE'"):
        Registry([orphan], [])


def test_an_unknown_plenary_is_refused() -> None:
    members = OrgEntry(id="A", label="Alpha", type="NGO", plenary="NOPE")
    with pytest.raises(RegistryError, match="unknown plenary 'NOPE'"):
        Registry([members], [])


def test_the_body_finder_knows_where_member_states_adopt() -> None:
    org = OrgEntry(id="ORG", label="Organization", acronym="ORG", type="NGO", plenary="ORG-C")
    council = OrgEntry(id="ORG-C", label="Org Council", type="NGO", parent="ORG")
    bodies = Registry([org, council], []).body_finder()
    assert (bodies.plenary("ORG"), bodies.plenary("ORG-C")) == ("ORG-C", "ORG-C")
