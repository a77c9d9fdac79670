"""The automatic linker: which events carry out which paragraphs, inferred with a score.

A paragraph's addressees are the actors asked to act. An event is a candidate when one
of its organizers is an addressee or part of one (the UN Regional Commissions' members
for OP17), or when its title names an addressee (the "Commission on Population and
Development" session for OP19), and when it falls in a window around the date of the
document that quotes the paragraph, not before the instrument was adopted (where a text
or the curation says when). An organization's plenary organ is not part of it here,
unless it is the addressee itself: a session of IOM's Council is its Member States
meeting, not IOM doing what it was asked. An organizer match counts for less the more
events that addressee organizes (IOM organizes most of them, so "organized by IOM" says
little). The score adds how much of the event's title the paragraph's words cover, each
word weighted by its rarity among event titles (IDF), so "HLD" or "migration" count for
little and "hearings" or "panel" for much. Within a paragraph, organizer-only candidates
well below the best one are dropped.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import URIRef

from graph.sources.registry import Registry

THRESHOLD = 0.55
ORGANIZER_SIGNAL = 0.6
TITLE_SIGNAL = 0.75
OVERLAP_WEIGHT = 0.4
RELATIVE_CUT = 0.8
MIN_OVERLAP = 0.2
"""An organizer match alone is not enough: the title must share some telling words."""
WINDOW_BEFORE = dt.timedelta(days=365)
WINDOW_AFTER = dt.timedelta(days=2 * 365)
_WORD = re.compile(r"[A-Za-z][A-Za-z-]{2,}")
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "its",
        "their",
        "this",
        "that",
        "from",
        "are",
        "will",
        "all",
        "which",
        "who",
        "also",
        "other",
        "such",
        "into",
        "prior",
        "over",
        "under",
        "been",
        "being",
        "has",
        "have",
        "had",
        "not",
        "per",
    ]
)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph to link: its IRI, its instrument, addressees (registry ids) and words."""

    iri: URIRef
    instrument: URIRef
    addressees: tuple[str, ...]
    text: str
    anchor: dt.date
    """The date of the document that quotes the paragraph."""
    adopted: dt.date | None = None
    """The first day its instrument may have been adopted, where known: an event before it
    does not carry it out."""


@dataclass(frozen=True)
class Event:
    """An event that may implement a paragraph."""

    iri: URIRef
    label: str
    organizers: tuple[str, ...]
    start: dt.date


@dataclass(frozen=True)
class Inferred:
    """An inferred implementation link with its score and the reason for it."""

    event: URIRef
    paragraph: URIRef
    score: float
    rationale: str


def words(text: str) -> set[str]:
    """Content words of a text, lowercased."""
    return {w.lower() for w in _WORD.findall(text)} - _STOP


class Linker:
    """Scores (event, paragraph) pairs from addressees, organizers and titles."""

    def __init__(self, registry: Registry, events: Iterable[Event]) -> None:
        self.registry = registry
        self.events = list(events)
        frequency: Counter[str] = Counter()
        for event in self.events:
            frequency.update(words(event.label))
        total = len(self.events)
        self.idf = {w: math.log((total + 1) / (n + 1)) + 1 for w, n in frequency.items()}
        self._names = {
            key: [
                re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
                for name in entry.names()
                if len(name) > 3
            ]
            for key, entry in registry.orgs.items()
        }
        self._by_addressee: dict[str, tuple[set[str], float, float]] = {}

    def family(self, key: str) -> set[str]:
        """An organization and every organization that is part of it, at any depth.

        A collective entry ("Regional Consultative Processes") stands for every
        organization of its type.
        """
        members = {key}
        entry = self.registry.orgs.get(key)
        if entry is not None and entry.collective:
            members |= {e.id for e in self.registry.orgs.values() if e.type == entry.type}
        changed = True
        while changed:
            changed = False
            for entry in self.registry.orgs.values():
                if entry.parent in members and entry.id not in members:
                    members.add(entry.id)
                    changed = True
        return members

    def _signals(self, addressee: str) -> tuple[set[str], float, float]:
        """The addressee's family (less the plenary organs in it) and the most an organizer
        or title match with it can score (they depend on the addressee alone: worked out
        once for each)."""
        found = self._by_addressee.get(addressee)
        if found is None:
            family = self.family(addressee)
            family -= self.plenaries(family, addressee)
            found = (
                family,
                ORGANIZER_SIGNAL * self.specificity(family),
                TITLE_SIGNAL * self.title_specificity(family),
            )
            self._by_addressee[addressee] = found
        return found

    def plenaries(self, family: set[str], addressee: str) -> set[str]:
        """The plenary organs in a family other than the addressee itself, with their
        parts: a session of IOM's Council is its Member States meeting, not IOM doing what
        a paragraph asks of it (the registry's `plenary`)."""
        organs = {
            entry.plenary
            for key in family
            if (entry := self.registry.orgs.get(key)) is not None and entry.plenary
        } - {addressee}
        return set().union(*(self.family(organ) for organ in organs)) & family

    def specificity(self, family: set[str]) -> float:
        """1 minus the share of events the family organizes: rare organizers say more."""
        organized = sum(1 for e in self.events if family & set(e.organizers))
        return 1.0 - organized / len(self.events) if self.events else 0.0

    def title_specificity(self, family: set[str]) -> float:
        """1 minus the share of event titles that name the family: rare names say more."""
        named = sum(1 for e in self.events if self._named(family, e.label))
        return 1.0 - named / len(self.events) if self.events else 0.0

    def _named(self, family: set[str], label: str) -> bool:
        return any(p.search(label) for key in family for p in self._names.get(key, []))

    def overlap(self, label: str, text: str) -> float:
        """The IDF-weighted share of the title's words that the paragraph also uses."""
        title = words(label)
        if not title:
            return 0.0
        weight = sum(self.idf.get(w, 1.0) for w in title)
        shared = sum(self.idf.get(w, 1.0) for w in title & words(text))
        return shared / weight

    def score(self, paragraph: Paragraph, event: Event) -> tuple[float, str] | None:
        """The pair's score and rationale, or None when nothing connects them."""
        window = (paragraph.anchor - WINDOW_BEFORE, paragraph.anchor + WINDOW_AFTER)
        if not window[0] <= event.start <= window[1]:
            return None
        if paragraph.adopted is not None and event.start < paragraph.adopted:
            return None  # held before the paragraph was adopted
        overlap = self.overlap(event.label, paragraph.text)
        best = 0.0
        reason = ""
        for addressee in paragraph.addressees:
            family, organizer_signal, title_signal = self._signals(addressee)
            organizers = family & set(event.organizers)
            signal = organizer_signal
            if organizers and overlap >= MIN_OVERLAP and best < signal:
                best = signal
                reason = f"organized by {', '.join(sorted(organizers))}, addressee {addressee}"
            signal = title_signal
            if self._named(family, event.label) and best < signal:
                best = signal
                reason = f"title names addressee {addressee}"
        if best == 0.0:
            return None
        return best + OVERLAP_WEIGHT * overlap, f"{reason}; title overlap {overlap:.2f}"

    def infer(self, paragraphs: Iterable[Paragraph]) -> list[Inferred]:
        """Every pair scoring at or above the threshold, best first."""
        out = []
        for paragraph in paragraphs:
            scored = [
                (result, event)
                for event in self.events
                if (result := self.score(paragraph, event)) and result[0] >= THRESHOLD
            ]
            if not scored:
                continue
            top = max(result[0] for result, _ in scored)
            for (score, reason), event in scored:
                if reason.startswith("organized by") and score < RELATIVE_CUT * top:
                    continue
                out.append(Inferred(event.iri, paragraph.iri, round(score, 3), reason))
        return sorted(out, key=lambda i: (-i.score, str(i.paragraph), str(i.event)))


def explain_away(
    inferred: Iterable[Inferred],
    reviewed: set[tuple[URIRef, URIRef]],
    instrument_of: dict[URIRef, URIRef],
) -> list[Inferred]:
    """Drop guesses that a reviewer's link explains: an event a reviewer tied to one
    paragraph of an instrument is not also guessed to implement a sibling paragraph."""
    tied: dict[URIRef, set[URIRef]] = {}
    for event, target in reviewed:
        if target in instrument_of:
            tied.setdefault(event, set()).add(instrument_of[target])
    return [
        link
        for link in inferred
        if (link.event, link.paragraph) in reviewed
        or instrument_of.get(link.paragraph) not in tied.get(link.event, set())
    ]


def precision_recall(
    inferred: Iterable[tuple[URIRef, URIRef]], truth: set[tuple[URIRef, URIRef]]
) -> tuple[float, float]:
    """Precision and recall of inferred pairs against the curated ones."""
    found = set(inferred)
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    return precision, recall
