"""The curated registry: organizations (with every spelling the corpus uses) and venues."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph.errors import RegistryError
from graph.extract.organizations import BodyFinder, NameFinder
from graph.model.iris import org_key
from graph.sources.yamlio import SafeLoader

OrgType = Literal[
    "UNEntity",
    "IntergovernmentalOrganization",
    "Government",
    "NGO",
    "Foundation",
    "AcademicInstitution",
    "RegionalConsultativeProcess",
    "Office",
]

_GOVERNMENT = re.compile(r"^(?:Gov(?:ernment)?\.?)(?:\s+of)?\s+(?:the\s+)?(?P<country>\S.*)$")
_FULL_NAME_ACRONYM = re.compile(r"^(?P<name>.+?)\s*\((?P<acronym>[^()]+)\)$")
_LEADING_ARTICLE = re.compile(r"^the\s+", re.IGNORECASE)
_M = TypeVar("_M", bound=BaseModel)


class OrgEntry(BaseModel):
    """One curated organization."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*$")
    label: str
    acronym: str | None = None
    aliases: tuple[str, ...] = ()
    type: OrgType
    parent: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    collective: bool = False
    """True for an entry that stands for every organization of its type ("RCPs")."""
    plenary: str | None = None
    """The organ in which all its Member States sit and adopt resolutions (the UN's
    General Assembly, IOM's Council): what "IOM Member States adopted ... per resolution"
    names as the adopting body."""

    def names(self) -> list[str]:
        """Every string this organization is known by."""
        return [self.label, *([self.acronym] if self.acronym else []), *self.aliases]


class PlaceEntry(BaseModel):
    """One curated venue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str
    aliases: tuple[str, ...] = ()
    country: str = Field(pattern=r"^[A-Z]{2}$")
    country_name: str
    lat: float = Field(ge=-90, le=90)
    long: float = Field(ge=-180, le=180)


class _OrgFile(BaseModel):
    organizations: list[OrgEntry]


class _PlaceFile(BaseModel):
    places: list[PlaceEntry]


@dataclass(frozen=True)
class Resolved:
    """An organization mention resolved to a registry entry, or a new one flagged for review."""

    key: str
    label: str
    type: OrgType | None
    known: bool


def normalize(text: str) -> str:
    """Fold white space, drop a leading article and trailing punctuation."""
    text = " ".join(text.split())
    return _LEADING_ARTICLE.sub("", text).strip(" .;:")


class Registry:
    """Looks up organizations and places by any of their names."""

    def __init__(self, orgs: list[OrgEntry], places: list[PlaceEntry]) -> None:
        self.orgs = {entry.id: entry for entry in orgs}
        self.places = {entry.id: entry for entry in places}
        if len(self.orgs) != len(orgs) or len(self.places) != len(places):
            raise RegistryError("the registry lists an id twice")
        self._org_names = _name_table(
            ((name, entry.id) for entry in orgs for name in entry.names()), "organization"
        )
        self._place_names = _name_table(
            ((name, entry.id) for entry in places for name in (entry.label, *entry.aliases)),
            "place",
        )
        for entry in orgs:
            if entry.parent and entry.parent not in self.orgs:
                raise RegistryError(f"organization {entry.id}: unknown parent {entry.parent!r}")
            if entry.plenary and entry.plenary not in self.orgs:
                raise RegistryError(f"organization {entry.id}: unknown plenary {entry.plenary!r}")

    @classmethod
    def load(cls, registry_dir: Path) -> Registry:
        """Read organizations.yaml and places.yaml."""
        orgs = _read(registry_dir / "organizations.yaml", _OrgFile).organizations
        places = _read(registry_dir / "places.yaml", _PlaceFile).places
        return cls(orgs, places)

    def lookup_org(self, text: str) -> OrgEntry | None:
        """The registry entry for a name, acronym or spelling, if any."""
        name = normalize(text)
        for candidate in _candidates(name):
            found = self._org_names.get(candidate) or self._org_names.get(candidate.casefold())
            if found:
                return self.orgs[found]
        return None

    def resolve_org(self, text: str) -> Resolved:
        """Resolve a mention; an unknown one becomes a new organization under its own spelling."""
        entry = self.lookup_org(text)
        if entry is not None:
            return Resolved(key=entry.id, label=entry.label, type=entry.type, known=True)
        name = normalize(text)
        government = _GOVERNMENT.match(name)
        if government:
            label = f"Government of {government['country']}"
            return Resolved(key=org_key(label), label=label, type="Government", known=False)
        return Resolved(key=org_key(name), label=name, type=_guess_type(name), known=False)

    @cached_property
    def _org_finder(self) -> NameFinder:
        return NameFinder((name, e.id) for e in self.orgs.values() for name in e.names())

    @cached_property
    def _place_finder(self) -> NameFinder:
        return NameFinder(
            (name, p.id) for p in self.places.values() for name in (p.label, *p.aliases)
        )

    def org_finder(self) -> NameFinder:
        """Finds every organization name of the registry in text."""
        return self._org_finder

    @cached_property
    def _body_finder(self) -> BodyFinder:
        def key(entry: OrgEntry) -> str:
            return entry.acronym or entry.id

        return BodyFinder(
            ((name, key(e)) for e in self.orgs.values() for name in e.names()),
            {key(e): key(self.orgs[e.plenary]) for e in self.orgs.values() if e.plenary},
        )

    def body_finder(self) -> BodyFinder:
        """Finds every organization name of the registry in text, keyed by the acronym a
        symbol is written with ("CPD resolution 2013/1")."""
        return self._body_finder

    def place_finder(self) -> NameFinder:
        """Finds every venue name of the registry in text."""
        return self._place_finder

    def lookup_place(self, text: str) -> PlaceEntry | None:
        """The registry entry for a venue name, if any."""
        name = " ".join(text.split())
        found = self._place_names.get(name) or self._place_names.get(name.casefold())
        return self.places[found] if found else None


def _candidates(name: str) -> list[str]:
    out = [name]
    match = _FULL_NAME_ACRONYM.match(name)
    if match:
        out += [match["acronym"].strip(), match["name"].strip()]
    return out


def _guess_type(name: str) -> OrgType | None:
    lowered = name.casefold()
    if "foundation" in lowered or "fundación" in lowered or "fondazione" in lowered:
        return "Foundation"
    if "university" in lowered or "universidad" in lowered or "institute of" in lowered:
        return "AcademicInstitution"
    return None


def _name_table(pairs: Iterable[tuple[str, str]], what: str) -> dict[str, str]:
    table: dict[str, str] = {}
    folded: dict[str, set[str]] = {}
    for name, key in pairs:
        if table.get(name, key) != key:
            raise RegistryError(f"{what} name {name!r} is used by both {table[name]} and {key}")
        table[name] = key
        folded.setdefault(name.casefold(), set()).add(key)
    for name, keys in folded.items():
        if len(keys) == 1 and name not in table:
            table[name] = next(iter(keys))
    return table


def _read(path: Path, model: type[_M]) -> _M:
    try:
        return model.model_validate(yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader))
    except FileNotFoundError as exc:
        raise RegistryError(f"{path}: not found") from exc
    except (yaml.YAMLError, ValidationError) as exc:
        raise RegistryError(f"{path}: {str(exc).splitlines()[0]}") from exc
