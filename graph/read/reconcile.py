"""Reconciliation: a name from someone's spreadsheet -> the organization, instrument or event
of the graph it means, as the W3C Reconciliation API (0.2) asks (api/routers/reconcile.py
serves it; no HTTP here).

Candidates come from every name the graph gives an entity (preferred and alternative
labels, acronyms, symbols), compared by graph.read.names. A candidate is a `match` only when
the service is sure: its name matches as well as a differently spelled same name does
(score >= MATCH_SCORE), no other entity comes close (MATCH_GAP), and no property the
query gives (acronym, country) contradicts it. Entity ids are IRIs less the base
(`org/IOM`), so identifierSpace + id is the IRI.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pycountry
import pyoxigraph as ox
from rapidfuzz import fuzz, process

from graph.errors import NotFound, ReconcileError
from graph.model.iris import Minter
from graph.read import derived
from graph.read.names import NameForm, parts, similarity, variants
from graph.read.projection import projection
from graph.read.terms import rows
from graph.store.backend import GraphStore
from graph.store.queries import load_query

MAX_QUERIES = 100
"""The most queries one request may hold (OpenRefine sends 10 at a time)."""
MAX_QUERY_CHARS = 1000
"""The longest name (or property value) a query may hold."""
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
MAX_EXTEND_IDS = 500
MIN_SCORE = 70.0
"""Candidates scoring less are not offered: a stranger's name gets no candidate at all."""
SHORTLIST = 50.0
"""Names scoring less than this in a first, batch pass are not compared in full: below
what any candidate needs (MIN_SCORE, or 60 when every property the query gives agrees)."""
MATCH_SCORE = 95.0
MATCH_GAP = 8.0
"""How far ahead of the next entity a candidate must be to count as sure."""
KINDS = ("Organization", "Instrument", "Event")
ORGANIZATION = "Organization"


@dataclass(frozen=True)
class TypeInfo:
    """A class of the ontology offered as a reconciliation type."""

    id: str
    name: str
    description: str | None
    broader: str | None


@dataclass(frozen=True)
class PropertyInfo:
    """A property a query may constrain by, or a column data extension can fill."""

    id: str
    name: str
    description: str
    constrains: bool
    value_type: str | None = None


PROPERTIES: tuple[PropertyInfo, ...] = (
    PropertyInfo("acronym", "Acronym", "An acronym of the organization, in any language "
                 "the registry has (IOM, OIM).", True),
    PropertyInfo("country", "Country", "The country of a government or its agency "
                 "(ISO 3166 code or English name).", True),
    PropertyInfo("type", "Type", "The most specific class of the entity.", False),
    PropertyInfo("events", "Events", "The events the organization organized or co-sponsored.",
                 False, "Event"),
    PropertyInfo("partners", "Partners", "Organizations it shared events with, the most "
                 "shared first.", False, ORGANIZATION),
    PropertyInfo("mandates", "Mandates", "Paragraphs of instruments that address it or "
                 "assign it an activity.", False, None),
    PropertyInfo("parent", "Part of", "The organization it is part of.", False, ORGANIZATION),
)  # fmt: skip
PROPERTY_BY_ID = {p.id: p for p in PROPERTIES}


@dataclass(frozen=True)
class Entity:
    """An entity as reconciliation sees it."""

    id: str
    iri: str
    kind: str
    name: str
    classes: tuple[str, ...]
    names: tuple[tuple[NameForm, bool], ...]
    acronyms: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    start: str | None = None
    venue: str | None = None


@dataclass
class Index:
    """Entities and types of one graph version."""

    entities: dict[str, Entity]
    types: dict[str, TypeInfo]
    subtypes: dict[str, set[str]] = field(default_factory=dict)
    choices: list[str] = field(default_factory=list)
    """The reduced words of every name (and its shorter forms), for rapidfuzz's batch
    scoring; `owners` says whose each is."""
    owners: list[str] = field(default_factory=list)
    by_compact: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        compact: dict[str, set[str]] = defaultdict(set)
        for entity in self.entities.values():
            for name, _ in entity.names:
                compact[name.compact].add(entity.id)
                for variant, _ in variants(name):
                    self.choices.append(variant.words)
                    self.owners.append(entity.id)
        self.by_compact = dict(compact)

    def shortlist(self, forms: list[NameForm]) -> set[str]:
        """The entities with a name anywhere near one of `forms`: scored in one batch by
        rapidfuzz (C++), so that only these are compared in full, however large the graph."""
        found: set[str] = set()
        for form in forms:
            found |= self.by_compact.get(form.compact, set())
            for typed, _ in variants(form):
                if not typed.words:
                    continue
                for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
                    for _, _, at in process.extract(
                        typed.words, self.choices, scorer=scorer, score_cutoff=SHORTLIST, limit=None
                    ):
                        found.add(self.owners[at])
        return found

    def type_names(self, entity: Entity) -> list[dict[str, str]]:
        """The entity's types, most specific first, as {"id", "name"}."""
        found = sorted(
            (t for t in entity.classes if t in self.types),
            key=lambda t: (t in KINDS, t),
        )
        return [{"id": t, "name": self.types[t].name} for t in found]

    def description(self, entity: Entity) -> str:
        """One line that tells namesakes apart."""
        bits = [self.type_names(entity)[0]["name"]] if self.type_names(entity) else []
        if entity.acronyms:
            bits.append(entity.acronyms[0])
        if entity.country:
            bits.append(entity.country)
        if entity.parent and entity.parent in self.entities:
            bits.append(f"part of {self.entities[entity.parent].name}")
        if entity.start:
            bits.append(entity.start)
        if entity.venue:
            bits.append(entity.venue)
        return ", ".join(bits)


@dataclass(frozen=True)
class Constraint:
    """A property a query gives, with the values it accepts."""

    pid: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """One reconciliation query."""

    text: str | None
    types: tuple[str, ...] = ()
    type_strict: str = "any"
    limit: int = DEFAULT_LIMIT
    properties: tuple[Constraint, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """One answer to a query."""

    entity: Entity
    score: float
    match: bool


def index(store: GraphStore, minter: Minter) -> Index:
    """The entities, their names and the types of the graph (cached per graph version)."""
    found: Index = derived.cached(store, ("reconcile-index",), lambda: _build(store, minter))
    return found


def _build(store: GraphStore, minter: Minter) -> Index:
    types: dict[str, TypeInfo] = {}
    subtypes: dict[str, set[str]] = defaultdict(set)
    for r in rows(store.query(load_query("reconcile_types"))):
        key = _local(str(r["class"]))
        broader = _local(str(r["broader"])) if r["broader"] else None
        types[key] = TypeInfo(key, str(r["label"]), _text(r["comment"]), broader)
    for key, info in types.items():
        subtypes[key].add(key)
        if info.broader:
            subtypes[info.broader].add(key)
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    kinds: dict[str, str] = {}
    for r in rows(store.query(load_query("reconcile_names"))):
        iri = str(r["entity"])
        kinds[iri] = str(r["kind"])
        names[iri].append((str(r["name"]), str(r["property"])))
    facts: dict[str, dict[str, Any]] = {}
    classes: dict[str, set[str]] = defaultdict(set)
    for r in rows(store.query(load_query("reconcile_facts"))):
        facts[str(r["entity"])] = r
        classes[str(r["entity"])].add(_local(str(r["class"])))
    entities: dict[str, Entity] = {}
    for iri, found in names.items():
        if not iri.startswith(minter.base):
            continue
        fact = facts.get(iri, {})
        preferred = [n for n, p in found if p == "pref"] or [n for n, _ in found]
        acronyms = sorted({n for n, p in found if p in ("acronym", "symbol")})
        forms = {
            (NameForm.of(n), p in ("acronym", "symbol"))
            for n, p in found
            if len(n) <= MAX_QUERY_CHARS
        }
        entity_id = iri[len(minter.base) :]
        entities[entity_id] = Entity(
            id=entity_id,
            iri=iri,
            kind=kinds[iri],
            name=min(preferred, key=lambda n: (len(n), n)) if kinds[iri] == "Event"
            else sorted(preferred)[0],
            classes=tuple(sorted(classes.get(iri) or {kinds[iri]})),
            names=tuple(sorted(forms, key=lambda f: (f[0].text, f[1]))),
            acronyms=tuple(acronyms),
            country=_text(fact.get("country")),
            parent=_relative(minter, fact.get("parent")),
            start=_text(fact.get("start")),
            venue=_text(fact.get("venue")),
        )  # fmt: skip
    return Index(entities, types, dict(subtypes))


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _text(value: object) -> str | None:
    return str(value) if value is not None and str(value) else None


def _relative(minter: Minter, value: object) -> str | None:
    text = _text(value)
    return text[len(minter.base) :] if text and text.startswith(minter.base) else None


# --- parsing what a client sends -----------------------------------------------------


def parse_batch(raw: str, known: Index) -> dict[str, Query]:
    """The queries of a `queries` form field (a JSON object of query objects); a batch that
    is not JSON, too large, or names an unknown type or property raises ReconcileError."""
    batch = _json(raw, "queries")
    if not isinstance(batch, dict):
        raise ReconcileError("queries must be a JSON object of queries, keyed by name (q0, q1...)")
    if len(batch) > MAX_QUERIES:
        raise ReconcileError(f"{len(batch)} queries at once; at most {MAX_QUERIES} are answered")
    return {str(key): _query(str(key), value, known) for key, value in batch.items()}


def _json(raw: str, what: str) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ReconcileError(f"{what} is not JSON: {exc}") from None


def _query(key: str, value: object, known: Index) -> Query:
    if isinstance(value, str):
        value = {"query": value}
    if not isinstance(value, dict):
        raise ReconcileError(f"query {key!r}: must be an object with a 'query' string")
    unknown = set(value) - {"query", "type", "limit", "properties", "type_strict"}
    if unknown:
        raise ReconcileError(f"query {key!r}: unknown field(s) {', '.join(sorted(unknown))}")
    text = value.get("query")
    if text is not None and not isinstance(text, str):
        raise ReconcileError(f"query {key!r}: 'query' must be a string")
    if text is not None and len(text) > MAX_QUERY_CHARS:
        raise ReconcileError(
            f"query {key!r}: the name is {len(text):,} characters long; "
            f"at most {MAX_QUERY_CHARS:,} are compared"
        )
    types = parse_types(value.get("type"), known, f"query {key!r}: ")
    strict = value.get("type_strict", "any")
    if strict not in ("any", "should", "all"):
        raise ReconcileError(f"query {key!r}: type_strict must be any, should or all")
    limit = value.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not math.isfinite(limit):
        raise ReconcileError(f"query {key!r}: limit must be a number")
    if not 1 <= limit <= MAX_LIMIT:
        raise ReconcileError(f"query {key!r}: limit must be between 1 and {MAX_LIMIT}")
    constraints = _constraints(key, value.get("properties", []))
    if not (text and text.strip()) and not constraints:
        raise ReconcileError(f"query {key!r}: give a name ('query') or properties to match")
    return Query(text, types, strict, int(limit), constraints)


def parse_types(value: object, known: Index, where: str = "") -> tuple[str, ...]:
    """Type ids (local names such as UNEntity, or full IRIs of the ontology) as the index
    knows them; an unknown one raises ReconcileError."""
    if value is None:
        return ()
    listed = [value] if isinstance(value, str) else value
    if not isinstance(listed, list) or not all(isinstance(t, str) for t in listed):
        raise ReconcileError(f"{where}'type' must be a type id or a list of them")
    found = []
    for name in listed:
        local = _local(name)
        if local not in known.types:
            raise ReconcileError(
                f"{where}unknown type {name!r}; the types are " + ", ".join(sorted(known.types))
            )
        found.append(local)
    return tuple(found)


def _constraints(key: str, value: object) -> tuple[Constraint, ...]:
    if not isinstance(value, list):
        raise ReconcileError(f"query {key!r}: 'properties' must be a list of {{pid, v}}")
    found = []
    for item in value:
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise ReconcileError(f"query {key!r}: each property must be an object {{pid, v}}")
        pid = item["pid"]
        prop = PROPERTY_BY_ID.get(pid) if isinstance(pid, str) else None
        if prop is None or not prop.constrains:
            names = ", ".join(p.id for p in PROPERTIES if p.constrains)
            raise ReconcileError(f"query {key!r}: unknown property {pid!r}; queries match {names}")
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        texts = []
        for v in values:
            if isinstance(v, dict):
                v = v.get("id", v.get("name"))
            if not isinstance(v, str | int | float) or isinstance(v, bool):
                raise ReconcileError(f"query {key!r}: a value of {pid!r} must be text")
            if len(str(v)) > MAX_QUERY_CHARS:
                raise ReconcileError(f"query {key!r}: a value of {pid!r} is too long")
            texts.append(str(v))
        found.append(Constraint(pid, tuple(texts)))
    return tuple(found)


# --- matching ------------------------------------------------------------------------


def reconcile(known: Index, query: Query, exhaustive: bool = False) -> list[Candidate]:
    """The candidates for a query, best first (`exhaustive` compares every entity in full
    instead of a shortlist; the answer is the same, only slower)."""
    wanted = _wanted_types(known, query)
    scored: list[tuple[float, bool, Entity]] = []
    forms = [NameForm.of(p) for p in parts(query.text)] if query.text and query.text.strip() else []
    pool: Iterable[Entity] = known.entities.values()
    if forms and not exhaustive:
        pool = [known.entities[i] for i in sorted(known.shortlist(forms))]
    for entity in pool:
        in_type = wanted is None or _in_types(known, entity, wanted, query.type_strict)
        if not in_type and query.type_strict != "should":
            continue
        name_score = max((_name_score(f, entity) for f in forms), default=None)
        agree = [_satisfies(entity, c) for c in query.properties]
        if name_score is None:
            score = 100.0 * sum(agree) / len(agree)
        elif agree:
            score = 0.75 * name_score + 25.0 * sum(agree) / len(agree)
        else:
            score = name_score
        if not in_type:
            score *= 0.9
        if score >= MIN_SCORE:
            scored.append((score, all(agree), entity))
    scored.sort(key=lambda s: (-s[0], s[2].name, s[2].id))
    candidates = []
    for rank, (score, agreeing, entity) in enumerate(scored[: query.limit]):
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        sure = rank == 0 and score >= MATCH_SCORE and score - runner_up >= MATCH_GAP and agreeing
        candidates.append(Candidate(entity, round(score, 2), sure))
    return candidates


def _name_score(form: NameForm, entity: Entity) -> float:
    best = 0.0
    for typed, typed_weight in variants(form):
        for name, is_acronym in entity.names:
            for variant, weight in variants(name):
                best = max(best, similarity(typed, variant, is_acronym) * weight * typed_weight)
                if best >= 100.0:
                    return best
    return best


def _wanted_types(known: Index, query: Query) -> list[set[str]] | None:
    if not query.types:
        return None
    return [known.subtypes.get(t, {t}) for t in query.types]


def _in_types(known: Index, entity: Entity, wanted: list[set[str]], strict: str) -> bool:
    have = set(entity.classes)
    hits = [bool(have & accepted) for accepted in wanted]
    return all(hits) if strict == "all" else any(hits)


def _satisfies(entity: Entity, constraint: Constraint) -> bool:
    if constraint.pid == "acronym":
        have = {NameForm.of(a).compact for a in entity.acronyms}
        have |= {form.compact for form, _ in entity.names if form.acronym_like}
        return any(NameForm.of(v).compact in have for v in constraint.values)
    if constraint.pid == "country":
        return entity.country is not None and any(
            country_code(v) == entity.country for v in constraint.values
        )
    return False


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country given by code (CH, CHE) or English name."""
    try:
        found = pycountry.countries.lookup(text.strip())
    except LookupError:
        return None
    return str(found.alpha_2)


# --- suggest, preview, extend -----------------------------------------------------------


def suggest_entities(
    known: Index, prefix: str, types: Iterable[str] = (), cursor: int = 0, limit: int = 10
) -> list[tuple[Entity, str]]:
    """Entities whose name starts with (or has a word starting with) what was typed, each
    with a description; falls back to reconciliation for typos."""
    wanted = _wanted_types(known, Query(prefix, tuple(types)))
    typed = NameForm.of(prefix)
    if not typed.words and not typed.compact:
        return []
    scored: list[tuple[float, Entity]] = []
    for entity in known.entities.values():
        if wanted is not None and not _in_types(known, entity, wanted, "any"):
            continue
        best = 0.0
        for name, is_acronym in entity.names:
            if typed.words and name.words.startswith(typed.words):
                best = max(best, 100.0 - min(len(name.words) - len(typed.words), 30) / 3)
            elif (
                typed.compact
                and (is_acronym or name.acronym_like)
                and (name.compact.startswith(typed.compact))
            ):
                best = max(best, 98.0)
            elif typed.words and any(w.startswith(typed.words) for w in name.words.split()):
                best = max(best, 80.0)
        if best == 0.0 and len(typed.words) >= 4:
            best = _name_score(typed, entity) * 0.8
            best = best if best >= MIN_SCORE * 0.8 else 0.0
        if best > 0:
            scored.append((best, entity))
    scored.sort(key=lambda s: (-s[0], s[1].name))
    return [(e, known.description(e)) for _, e in scored[cursor : cursor + limit]]


def suggest_types(known: Index, prefix: str) -> list[TypeInfo]:
    """Types whose id or name starts with (or contains a word starting with) `prefix`."""
    typed = prefix.strip().casefold()
    return [
        t
        for t in sorted(known.types.values(), key=lambda t: (t.broader is not None, t.name))
        if not typed
        or t.id.casefold().startswith(typed)
        or any(w.startswith(typed) for w in t.name.casefold().split())
    ]


def suggest_properties(prefix: str) -> list[PropertyInfo]:
    """Properties whose id or name starts with `prefix`."""
    typed = prefix.strip().casefold()
    return [p for p in PROPERTIES if p.id.startswith(typed) or p.name.casefold().startswith(typed)]


def entity(known: Index, entity_id: str) -> Entity:
    """One entity by id (`org/IOM`)."""
    found = known.entities.get(entity_id.strip())
    if found is None:
        raise NotFound(f"no entity {entity_id!r} to reconcile against (ids look like org/IOM)")
    return found


def parse_extension(raw: str) -> tuple[list[str], list[str]]:
    """The ids and property ids of an `extend` form field; bad input raises ReconcileError."""
    request = _json(raw, "extend")
    if not isinstance(request, dict):
        raise ReconcileError("extend must be a JSON object {ids, properties}")
    ids, props = request.get("ids"), request.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ReconcileError("extend: 'ids' must be a list of entity ids")
    if len(ids) > MAX_EXTEND_IDS:
        raise ReconcileError(f"extend: {len(ids)} ids at once; at most {MAX_EXTEND_IDS}")
    if not isinstance(props, list) or not all(isinstance(p, dict) and "id" in p for p in props):
        raise ReconcileError("extend: 'properties' must be a list of {id}")
    pids = [str(p["id"]) for p in props]
    for pid in pids:
        if pid not in PROPERTY_BY_ID:
            raise ReconcileError(
                f"extend: unknown property {pid!r}; the properties are " + ", ".join(PROPERTY_BY_ID)
            )
    return ids, pids


def extend(
    store: GraphStore, minter: Minter, known: Index, ids: list[str], pids: list[str]
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """For each id, the values of each property, as data extension rows."""
    proj = projection(store, minter)
    network = proj.cosponsorship()
    organized: dict[str, list[str]] = defaultdict(list)
    for event_iri, event in sorted(proj.events.items()):  # event keys start with their date
        for org in event.organizers:
            organized[org].append(event_iri)
    rows_: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for entity_id in ids:
        found = known.entities.get(entity_id)
        rows_[entity_id] = {
            pid: _values(store, minter, known, found, pid, organized, network) if found else []
            for pid in pids
        }
    return rows_


def _values(
    store: GraphStore,
    minter: Minter,
    known: Index,
    found: Entity,
    pid: str,
    organized: Mapping[str, list[str]],
    network: Any,
) -> list[dict[str, Any]]:
    def ref(iri: str) -> dict[str, Any]:
        key = iri[len(minter.base) :] if iri.startswith(minter.base) else iri
        target = known.entities.get(key)
        return {"id": key, "name": target.name if target else key}

    if pid == "acronym":
        return [{"str": a} for a in found.acronyms if found.kind == ORGANIZATION]
    if pid == "type":
        return known.type_names(found)[:1]
    if pid == "country":
        return [{"str": found.country}] if found.country else []
    if pid == "parent":
        return [ref(minter.base + found.parent)] if found.parent else []
    if found.kind != ORGANIZATION:
        return []
    if pid == "events":
        return [ref(e) for e in organized.get(found.iri, [])]
    if pid == "partners":
        if found.iri not in network:
            return []
        shared = [(ref(str(iri)), int(edge["weight"])) for iri, edge in network[found.iri].items()]
        return [r for r, _ in sorted(shared, key=lambda p: (-p[1], p[0]["name"]))]
    mandates = rows(
        store.query(load_query("organization_mandates"), {"org": ox.NamedNode(found.iri)})
    )
    seen: dict[str, str] = {}
    for m in mandates:
        seen.setdefault(str(m["paragraph"]), str(m["label"]))
    return [
        {"id": p[len(minter.base) :] if p.startswith(minter.base) else p, "name": label}
        for p, label in seen.items()
    ]
