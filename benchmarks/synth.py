"""Synthetic corpora for benchmarks: N-Quads in the project's ontology, shaped like a real build.

    python benchmarks/synth.py --events 100000 --seed 1 --out /tmp/synth.nq \\
        [--orgs M] [--instruments K]

What a build of the real corpus writes, at any size:

- the ontology graph (ontology/mkg.ttl and themes.ttl), so that theme labels and
  `mkg validate` work on a store loaded with this file alone;
- the registry graph: synthetic organizations as the registry writes them, the real
  venues of graph/registry/places.yaml, and the instruments SYN/RES/1, SYN/RES/2...;
- one graph per synthetic document of 1,000 events (graph/doc/synthetic-000...), with
  its mkg:Document node, the paragraphs of the instruments it cites, and its events.

Each event has a label, a start date (1990-2025) and usually an end date, a venue, one or
two themes of themes.ttl, one to seven organizers and its evidence (quote, offsets, source
document, method). Organizations are drawn with Zipf-like weights, so that a few organize
most events; the number of organizers per event follows the real graph (half have one).
One event in twenty implements a paragraph through a qualified mkg:Implementation, as a
stated link of the real graph does. There are no mkg:Involvement nodes: no query needs
them to find organizers, and with their evidence they would triple an event's size.

Deterministic: the same arguments give the same bytes (one random.Random(seed), fixed
orders everywhere). Quads are streamed to the file, so memory does not grow with size.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import itertools
import math
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from graph.model.iris import Minter, slug
from graph.model.namespaces import GEO, MKG, SCHEMA
from graph.settings import Settings
from graph.sources.rdf import load_ontology, new_dataset
from graph.sources.registry import PlaceEntry, Registry

EVENTS_PER_DOCUMENT = 1000
IMPLEMENTING_SHARE = 0.05
ZIPF_EXPONENT = 1.1
FIRST_DAY = dt.date(1990, 1, 1)
DAYS = (dt.date(2025, 12, 31) - FIRST_DAY).days + 1
WITH_END_DATE = 0.85
SECOND_THEME = 0.15
PARAGRAPHS_PER_INSTRUMENT = (4, 12)
ORGANIZERS_PER_EVENT = {1: 48, 2: 24, 3: 18, 4: 6, 5: 2, 6: 1, 7: 1}
"""Weights of the number of organizers of an event. Of the real graph's 95 events, 46 have
one, 23 two, 19 three, 5 four, and one each five and seven."""
DURATION_DAYS = {0: 40, 1: 25, 2: 20, 3: 8, 4: 5, 6: 2}
ORG_TYPES = {
    "UNEntity": ("United Nations Synthetic Programme", "UNSP", 44),
    "Government": ("Government of Synthetic Country", None, 29),
    "IntergovernmentalOrganization": ("Synthetic Intergovernmental Organization", "SIO", 21),
    "RegionalConsultativeProcess": ("Synthetic Regional Consultative Process", "SRCP", 9),
    "Foundation": ("Synthetic Foundation", None, 5),
    "Office": ("Synthetic Liaison Office", None, 5),
    "NGO": ("Synthetic Migrant Rights Network", "SMRN", 4),
    "AcademicInstitution": ("Synthetic Institute of Migration Studies", None, 3),
}
"""Label, acronym prefix and weight of each organization type (weights as in the registry)."""
EVENT_KINDS = ("workshop", "conference", "meeting", "session", "seminar", "panel",
               "training", "consultation", "side event", "hearing")  # fmt: skip
VERBS = ("requests", "invites", "decides", "encourages", "calls upon", "urges")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def _iri(term: str) -> str:
    return f"<{term}>"


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _typed(lexical: object, datatype: URIRef) -> str:
    return f'"{lexical}"^^<{datatype}>'


class Terms:
    """A vocabulary's terms as N-Quads text, each rendered once: mkg.organizer -> "<...>".

    Terms come from the project's namespaces, so a term the ontology lacks raises.
    """

    def __init__(self, namespace: type[DefinedNamespace] | Namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> str:
        rendered = _iri(self._namespace[name])
        setattr(self, name, rendered)  # later lookups find the attribute, not __getattr__
        return rendered


mkg, rdf, rdfs, skos, dcterms = Terms(MKG), Terms(RDF), Terms(RDFS), Terms(SKOS), Terms(DCTERMS)
prov, schema, geo = Terms(PROV), Terms(SCHEMA), Terms(GEO)


CURATED, EXTRACTED = _string("curated"), _string("extracted")


@dataclass(frozen=True, order=True)
class Theme:
    """A concept of themes.ttl, as an N-Quads term, with its label."""

    term: str
    label: str


@dataclass(frozen=True)
class Instrument:
    """A synthetic instrument: its symbol, its number of paragraphs, the document citing it."""

    symbol: str
    paragraphs: int
    document: int


class QuadWriter:
    """Writes N-Quads into one named graph at a time, and counts them."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.graph = ""
        self.count = 0

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """One quad in the current graph."""
        self.stream.write(f"{subject} {predicate} {obj} {self.graph} .\n")
        self.count += 1


class Document:
    """A synthetic source document: its node, its graph, and a cursor through its text."""

    def __init__(self, minter: Minter, index: int, seed: int) -> None:
        self.index = index
        self.id = f"synthetic-{index:03d}"
        self.node = _iri(minter.doc(self.id))
        self.graph = _iri(minter.doc_graph(self.id))
        self.sha256 = hashlib.sha256(
            f"migration-kg synthetic {seed} {self.id}".encode()
        ).hexdigest()
        self.cursor = 0

    def quote(self, writer: QuadWriter, node: str, text: str, method: str = EXTRACTED) -> None:
        """The evidence of a node: the next passage of this document, its offsets, its source."""
        start = self.cursor
        self.cursor += len(text) + 2
        writer.add(node, prov.wasDerivedFrom, self.node)
        writer.add(node, mkg.evidence, _string(text))
        writer.add(node, mkg.charStart, _typed(start, XSD.integer))
        writer.add(node, mkg.charEnd, _typed(start + len(text), XSD.integer))
        writer.add(node, mkg.method, method)


class Popularity:
    """Draws distinct organizations by Zipf-like weights: rank r (from 1) weighs 1 / r**s."""

    def __init__(self, count: int, exponent: float = ZIPF_EXPONENT) -> None:
        # cumulative weights: a draw is a bisection, not a pass over every organization
        self.cumulative = list(itertools.accumulate(1 / r**exponent for r in range(1, count + 1)))

    def draw(self, rng: random.Random, k: int) -> list[int]:
        """k distinct organization indexes, by rank (all of them if there are fewer)."""
        chosen: dict[int, None] = {}  # a dict keeps the order of the draws
        last = len(self.cumulative) - 1
        while len(chosen) < min(k, last + 1):
            at = rng.random() * self.cumulative[-1]
            chosen[min(bisect.bisect_right(self.cumulative, at), last)] = None
        return list(chosen)


def generate(events: int, orgs: int, instruments: int, seed: int, out: Path) -> int:
    """Write the corpus to `out`; returns the number of quads written."""
    rng = random.Random(seed)
    settings = Settings()
    minter = Minter(settings.base_iri)
    popularity = Popularity(orgs)
    places = sorted(Registry.load(settings.registry_dir).places.values(), key=lambda p: p.id)
    venues = [(_iri(minter.place(p.id)), p.label, slug(p.label)) for p in places]
    documents = [
        Document(minter, i, seed) for i in range(max(1, math.ceil(events / EVENTS_PER_DOCUMENT)))
    ]
    with out.open("w", encoding="utf-8") as stream:
        writer = QuadWriter(stream)
        themes = _write_ontology(writer, settings.ontology_dir, minter)
        writer.graph = _iri(minter.registry_graph)
        organizations = _write_organizations(writer, rng, minter, orgs)
        for place in places:
            _write_place(writer, minter, place)
        cited = _write_instruments(writer, rng, minter, instruments, len(documents), popularity)
        paragraphs = [
            _iri(minter.paragraph(i.symbol, str(n)))
            for i in cited
            for n in range(1, i.paragraphs + 1)
        ]
        for doc in documents:
            writer.graph = doc.graph
            _write_document(writer, doc, len(documents))
            for instrument in cited:
                if instrument.document == doc.index:
                    _write_paragraphs(
                        writer, rng, doc, minter, instrument, popularity, organizations
                    )
            first = doc.index * EVENTS_PER_DOCUMENT
            for index in range(first, min(events, first + EVENTS_PER_DOCUMENT)):
                event = _write_event(writer, rng, doc, minter, index, venues, themes)
                for org in popularity.draw(rng, _weighted(rng, ORGANIZERS_PER_EVENT)):
                    writer.add(event, mkg.organizer, organizations[org])
                if paragraphs and rng.random() < IMPLEMENTING_SHARE:
                    _write_implementation(writer, doc, event, rng.choice(paragraphs), index)
    return writer.count


def _write_ontology(writer: QuadWriter, ontology_dir: Path, minter: Minter) -> list[Theme]:
    """The ontology graph as the build loads it, sorted; returns the theme concepts, sorted.
    (Sorting the lines is enough for determinism: the ontology has no blank nodes.)"""
    dataset = new_dataset()
    ontology = load_ontology(dataset, ontology_dir, minter)
    lines = sorted(line for line in dataset.serialize(format="nquads").splitlines() if line)
    writer.stream.write("\n".join(lines) + "\n")
    writer.count += len(lines)
    return sorted(
        Theme(_iri(concept), str(ontology.value(concept, SKOS.prefLabel)))
        for concept in ontology.subjects(RDF.type, SKOS.Concept)
        if isinstance(concept, URIRef)
    )


def _write_organizations(
    writer: QuadWriter, rng: random.Random, minter: Minter, count: int
) -> list[str]:
    """Organizations as the registry writes them (key SYN-<rank>); returns their terms."""
    kinds = list(ORG_TYPES)
    weights = [ORG_TYPES[k][2] for k in kinds]
    terms = []
    for rank in range(1, count + 1):
        kind = rng.choices(kinds, weights)[0]
        name, acronym_prefix, _ = ORG_TYPES[kind]
        key = f"SYN-{rank}"
        node = _iri(minter.org(key))
        writer.add(node, rdf.type, mkg.Organization)
        writer.add(node, rdf.type, getattr(mkg, kind))
        writer.add(node, skos.prefLabel, _string(f"{name} {rank}"))
        writer.add(node, skos.notation, _string(key))
        if acronym_prefix:
            acronym = _string(f"{acronym_prefix}{rank}")
            writer.add(node, mkg.acronym, acronym)
            writer.add(node, skos.altLabel, acronym)
        writer.add(node, mkg.method, CURATED)
        terms.append(node)
    return terms


def _write_place(writer: QuadWriter, minter: Minter, place: PlaceEntry) -> None:
    """A venue of the real registry, as the build writes it (so the two graphs agree)."""
    node = _iri(minter.place(place.id))
    writer.add(node, rdf.type, mkg.Place)
    writer.add(node, rdfs.label, _string(place.label))
    for alias in place.aliases:
        writer.add(node, skos.altLabel, _string(alias))
    writer.add(node, schema.addressCountry, _string(place.country))
    writer.add(node, schema.addressLocality, _string(place.label))
    writer.add(node, geo.lat, _typed(Decimal(str(place.lat)), XSD.decimal))
    writer.add(node, geo.long, _typed(Decimal(str(place.long)), XSD.decimal))
    writer.add(node, mkg.method, CURATED)


def _write_instruments(
    writer: QuadWriter,
    rng: random.Random,
    minter: Minter,
    count: int,
    documents: int,
    popularity: Popularity,
) -> list[Instrument]:
    """Instruments as the curation writes them into the registry graph."""
    found = []
    for number in range(1, count + 1):
        instrument = Instrument(
            symbol=f"SYN/RES/{number}",
            paragraphs=rng.randint(*PARAGRAPHS_PER_INSTRUMENT),
            document=(number - 1) % documents,
        )
        node = _iri(minter.instrument(instrument.symbol))
        (adopter,) = popularity.draw(rng, 1)
        writer.add(node, rdf.type, mkg.Instrument)
        writer.add(node, mkg.symbol, _string(instrument.symbol))
        writer.add(node, rdfs.label, _string(f"Synthetic resolution {number} on migration"))
        writer.add(node, dcterms.type, _string("resolution"))
        writer.add(node, mkg.adoptedBy, _iri(minter.org(f"SYN-{adopter + 1}")))
        writer.add(node, mkg.method, CURATED)
        found.append(instrument)
    return found


def _write_document(writer: QuadWriter, doc: Document, documents: int) -> None:
    """The mkg:Document node, as the build writes it."""
    title = f"Synthetic calendar of meetings, part {doc.index + 1} of {documents}"
    writer.add(doc.node, rdf.type, mkg.Document)
    writer.add(doc.node, dcterms.identifier, _string(doc.id))
    writer.add(doc.node, dcterms.title, _string(title))
    writer.add(doc.node, dcterms.issued, _typed("2025-12-31", XSD.date))
    writer.add(doc.node, dcterms.publisher, _string("migration-kg benchmarks"))
    writer.add(doc.node, dcterms.language, _string("en"))
    writer.add(doc.node, mkg.sha256, _string(doc.sha256))


def _write_paragraphs(
    writer: QuadWriter,
    rng: random.Random,
    doc: Document,
    minter: Minter,
    instrument: Instrument,
    popularity: Popularity,
    organizations: list[str],
) -> None:
    """The citation of an instrument and its operative paragraphs, in the citing document."""
    node = _iri(minter.instrument(instrument.symbol))
    doc.quote(writer, node, f"General Assembly resolution {instrument.symbol}", CURATED)
    for number in range(1, instrument.paragraphs + 1):
        paragraph = _iri(minter.paragraph(instrument.symbol, str(number)))
        verb = rng.choice(VERBS)
        writer.add(node, mkg.paragraph, paragraph)
        writer.add(paragraph, rdf.type, mkg.Paragraph)
        writer.add(paragraph, mkg.number, _string(str(number)))
        writer.add(paragraph, mkg.kind, _string("operative"))
        writer.add(paragraph, rdfs.label, _string(f"{instrument.symbol} OP{number}"))
        writer.add(paragraph, mkg.operativeVerb, _string(verb))
        for org in popularity.draw(rng, rng.randint(1, 2)):
            writer.add(paragraph, mkg.addressee, organizations[org])
        doc.quote(writer, paragraph, f"{number}. {verb.capitalize()} them to act on migration")


def _write_event(
    writer: QuadWriter,
    rng: random.Random,
    doc: Document,
    minter: Minter,
    index: int,
    venues: list[tuple[str, str, str]],
    themes: list[Theme],
) -> str:
    """An event but for its organizers, as the build writes a calendar row; returns its term."""
    start = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
    kind = rng.choice(EVENT_KINDS)
    place, venue, venue_slug = rng.choice(venues)
    subjects = [rng.choice(themes)]
    if rng.random() < SECOND_THEME:
        subjects = list(dict.fromkeys([*subjects, rng.choice(themes)]))
    topic = subjects[0].label
    label = f"Synthetic {kind} on {topic[0].lower()}{topic[1:]} {index + 1}"
    # the key has the shape Minter.event_key gives, without slugifying a million titles
    key = f"{start.isoformat()}-{venue_slug}-synthetic-{kind.replace(' ', '-')}-{index + 1}"
    event = _iri(minter.event(key))
    writer.add(event, rdf.type, mkg.Event)
    writer.add(event, rdfs.label, _string(label))
    writer.add(event, schema.startDate, _typed(start.isoformat(), XSD.date))
    if rng.random() < WITH_END_DATE:
        end = start + dt.timedelta(days=_weighted(rng, DURATION_DAYS))
        writer.add(event, schema.endDate, _typed(end.isoformat(), XSD.date))
    writer.add(event, schema.location, place)
    for theme in subjects:
        writer.add(event, dcterms.subject, theme.term)
    day = f"{start.day} {MONTHS[start.month - 1]} {start.year}"
    doc.quote(writer, event, f"{day}, {venue}: {label}")
    return event


def _weighted(rng: random.Random, weights: dict[int, int]) -> int:
    return rng.choices(list(weights), list(weights.values()))[0]


def _write_implementation(
    writer: QuadWriter, doc: Document, event: str, paragraph: str, index: int
) -> None:
    """A stated link, as graph.sources.facts.FactWriter.add_link writes it (node named by
    a digest)."""
    implementer, target = event[1:-1], paragraph[1:-1]
    digest = hashlib.sha1(f"{implementer}|{target}|stated".encode()).hexdigest()[:12]
    link = _iri(f"{target}/implementation/{digest}")
    writer.add(event, mkg.implements, paragraph)
    writer.add(event, mkg.qualifiedImplementation, link)
    writer.add(link, rdf.type, mkg.Implementation)
    writer.add(link, mkg.implementer, event)
    writer.add(link, mkg.paragraph, paragraph)
    writer.add(link, mkg.linkBasis, _string("stated"))
    # the real graph's stated links carry a quote someone checked: method "curated"
    doc.quote(writer, link, f"Synthetic event {index + 1} follows up the resolution", CURATED)


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--orgs", type=int, default=None, help="default: events / 20, at least 50")
    parser.add_argument("--instruments", type=int, default=20)
    args = parser.parse_args()
    orgs = args.orgs or max(50, args.events // 20)
    started = time.perf_counter()
    quads = generate(args.events, orgs, args.instruments, args.seed, args.out)
    seconds = time.perf_counter() - started
    print(
        f"{args.out}: {args.events} events, {orgs} organizations, {args.instruments} instruments,"
        f" {quads} quads ({quads / max(1, args.events):.1f} per event), {seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
