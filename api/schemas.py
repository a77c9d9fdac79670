"""Response models of the API: the JSON shapes DESIGN.md gives."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from graph import analytics

T = TypeVar("T")


class Organization(BaseModel):
    """An organization in any answer."""

    id: str = Field(examples=["IOM"])
    iri: str = Field(examples=["https://w3id.org/migration-kg/id/org/IOM"])
    label: str = Field(examples=["International Organization for Migration"])
    acronym: str | None = Field(default=None, examples=["IOM"])

    @classmethod
    def of(cls, org: analytics.Organization) -> Organization:
        """From the analytics record."""
        return cls(id=org.id, iri=org.iri, label=org.label, acronym=org.acronym)


class Page(BaseModel, Generic[T]):
    """A page of a list."""

    items: list[T]
    total: int
    limit: int
    offset: int


class CosponsorItem(BaseModel):
    """An organization with the events it organized."""

    org: Organization
    events: int = Field(examples=[30])
    joint_events: int = Field(examples=[28])


class PairItem(BaseModel):
    """Two organizations and the events they organized together."""

    orgs: list[Organization]
    shared_events: int = Field(examples=[9])
    events: list[str] = Field(description="event ids")


class ScoreItem(BaseModel):
    """An organization's centrality score."""

    org: Organization
    score: float = Field(examples=[0.67])


class CommunityItem(BaseModel):
    """A community of organizations, named after its most central member."""

    id: int
    label: str = Field(examples=["IOM"])
    members: list[Organization]


class EventRef(BaseModel):
    """An event named in an answer."""

    id: str
    iri: str
    label: str


class HopItem(BaseModel):
    """One step of a collaboration path."""

    source: Organization
    target: Organization
    events: list[EventRef]


class PathAnswer(BaseModel):
    """The strongest shortest collaboration path between two organizations."""

    source: Organization
    target: Organization
    hops: list[HopItem]


class Health(BaseModel):
    """What the server serves."""

    status: str = Field(examples=["ok"])
    triples: int
    graph_version: str


class ErrorBody(BaseModel):
    """Every error answer."""

    error: str = Field(examples=["NotFound"])
    detail: str = Field(examples=["no organization 'XYZ' in the graph"])
