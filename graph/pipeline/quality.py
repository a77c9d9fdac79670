"""How good the automatic parts are: a build without curation against the curated facts.

The curated build is the truth. The machine's build is the same corpus with curation off
(`mkg build --without-curation`): what the extractors and the linker find on their own.
For each kind of fact, recall (share of curated facts the machine found) and precision
(share of the machine's facts that are curated ones). Calendar rows are the same in both
builds (they are extracted either way) and are left out of the event counts on both
sides: a curated event that is a calendar row is not to be found in prose, and a prose
finding of one is neither right nor wrong. An event is found in any document that curation
quotes for it.
"""

from __future__ import annotations

from collections.abc import Hashable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from rapidfuzz import fuzz
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF

from graph.extract.base import Finding
from graph.extract.dates import PartialDate
from graph.extract.instruments import ParagraphMention
from graph.extract.prose import Meeting
from graph.extract.prose_events import ProseEvents, event_key
from graph.model.iris import Minter
from graph.model.namespaces import MKG
from graph.model.statements import Span
from graph.model.vocab import organizing_roles
from graph.pipeline.build import Extraction, extract
from graph.settings import Settings
from graph.sources.corpus import load_corpus
from graph.sources.curation import Curation, EventSpec, load_curation, locate, normalize_symbol
from graph.sources.facts import known_symbols
from graph.sources.registry import Registry

TRACED = "A/RES/60/227"
"""The resolution whose paragraphs the first document names and the calendar carries out:
its paragraphs and the linker's links to them are scored on their own too."""
LABEL_MATCH = 80
"""Two event labels this similar (rapidfuzz token-set ratio) name the same event."""


@dataclass(frozen=True)
class Score:
    """Found, proposed and true counts of one kind of fact."""

    matched: int
    proposed: int
    truth: int

    @property
    def recall(self) -> float:
        """Share of the true facts that were found."""
        return self.matched / self.truth if self.truth else 0.0

    @property
    def precision(self) -> float:
        """Share of the proposed facts that are true (1.0 when nothing was proposed)."""
        return self.matched / self.proposed if self.proposed else 1.0


@dataclass(frozen=True)
class Quality:
    """Precision and recall per kind of fact, of the machine's build against curation."""

    scores: dict[str, Score]
    candidates: int
    rejected: int
    calendar_rows: int = 0
    """Prose events the machine found that are rows of the calendar (left out of the counts)."""

    def table(self) -> str:
        """A plain-text report."""
        lines = [f"{'facts':<24}{'found':>7}{'proposed':>10}{'curated':>9}{'recall':>8}"
                 f"{'precision':>11}"]  # fmt: skip
        for kind, score in self.scores.items():
            lines.append(
                f"{kind:<24}{score.matched:>7}{score.proposed:>10}{score.truth:>9}"
                f"{score.recall:>8.2f}{score.precision:>11.2f}"
            )
        lines.append(
            f"left for review (below the confidence threshold or incomplete): {self.candidates}; "
            f"rejected by curation: {self.rejected}"
        )
        lines.append(f"prose events that are calendar rows (left out of the counts): "
                     f"{self.calendar_rows}")  # fmt: skip
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        """The numbers, for JSON."""
        return {
            "scores": {
                k: {
                    "found": s.matched,
                    "proposed": s.proposed,
                    "curated": s.truth,
                    "recall": round(s.recall, 4),
                    "precision": round(s.precision, 4),
                }
                for k, s in self.scores.items()
            },
            "candidates": self.candidates,
            "rejected": self.rejected,
            "calendar_rows": self.calendar_rows,
        }


@dataclass(frozen=True)
class _TrueEvent:
    iri: URIRef
    spec: EventSpec
    spans: frozenset[tuple[str, Span]]
    """Where curation quotes the event: (document, span) pairs."""
    start: PartialDate
    end: PartialDate
    involvements: frozenset[tuple[str, str]]

    @property
    def organizers(self) -> frozenset[str]:
        """Organizations with an organizing role."""
        return frozenset(org for org, role in self.involvements if role in organizing_roles())


def measure(settings: Settings, curated: Extraction | None = None) -> Quality:
    """Build the corpus with and without curation (nothing is stored) and score the
    machine's build against the curated one."""
    if curated is None:
        curated = extract(settings)
    machine = extract(settings.model_copy(update={"curation": False}))
    curation = load_curation(settings.curation_dir)
    texts = {doc.id: doc.text for doc in load_corpus(settings.corpus)}
    minter = Minter(settings.base_iri)
    scores: dict[str, Score] = {}
    # an instrument the machine names by one of its curated aliases ("Resolution No. 1244")
    # or describes as the curation does ("UNGA resolution of 2012-12") is the curated one,
    # as the curated build's Context.symbols makes it
    known_as = known_symbols(curation, Registry.load(settings.registry_dir))
    found_instruments = _instruments(machine.dataset)
    renamed = {
        f.subject: minter.paragraph_of(known_as[key], f.record.number, f.record.kind)
        for f in machine.facts.admitted
        if isinstance(f.record, ParagraphMention)
        and f.record.symbol is not None
        and (key := normalize_symbol(f.record.symbol)) in known_as
    }
    scores["instruments"] = _compare(
        _instruments(curated.dataset),
        {known_as.get(normalize_symbol(symbol), symbol) for symbol in found_instruments},
    )
    true_paragraphs = _paragraphs(curated.dataset)
    found_paragraphs = {
        curated.facts.same_as.get(named, named): v
        for p, v in _paragraphs(machine.dataset).items()
        for named in [renamed.get(p, p)]
    }
    scores["paragraphs"] = _compare(set(true_paragraphs), set(found_paragraphs))
    for aspect, index in (("paragraph verbs", 0), ("paragraph addressees", 1)):
        scores[aspect] = _compare(
            {(p, v[index]) for p, v in true_paragraphs.items() if v[index]},
            {(p, v[index]) for p, v in found_paragraphs.items() if v[index]},
        )
    curated_events = _true_events(curation, texts, minter)
    truth = [t for t in curated_events if t.spec.calendar is None]
    found = [
        f
        for f in machine.facts.admitted
        if f.extractor == ProseEvents.name
        and isinstance(f.record, Meeting)
        and not f.record.series  # series are not in the truth either
        and f.subject not in machine.facts.same_as  # a retelling adds a quote, not an event
    ]
    calendar_rows = {id(f) for t, f in _match_events(curated_events, found)
                     if t.spec.calendar is not None}  # fmt: skip
    proposed = [f for f in found if id(f) not in calendar_rows]
    pairs = _match_events(truth, proposed)
    scores["events"] = Score(len(pairs), len(proposed), len(truth))
    scores["event dates"] = Score(
        sum(1 for t, f in pairs if _same_dates(t, _meeting(f))), len(proposed), len(truth)
    )
    scores["event organizers"] = Score(
        sum(1 for t, f in pairs if t.organizers == _found_organizers(_meeting(f))),
        len(proposed),
        len(truth),
    )
    matched_of = {id(f): t for t, f in pairs}
    right_involvements = sum(
        len(matched_of[id(f)].involvements & _found_involvements(_meeting(f)))
        for f in proposed
        if id(f) in matched_of
    )
    scores["involvements"] = Score(
        right_involvements,
        sum(len(_found_involvements(_meeting(f))) for f in proposed),
        sum(len(t.involvements) for t in truth),
    )
    same_event = {f.subject: t.iri for t, f in pairs}
    true_links = {(e, p) for e, p in curated.facts.curated_links if "/event/" in str(e)}
    found_links = {(same_event.get(link.event, link.event), link.paragraph)
                   for link in machine.inferred}  # fmt: skip
    scores["implementation links"] = _compare(true_links, found_links)
    # the issue's own check: the first document's resolution traced by the linker alone
    traced = minter.instrument(TRACED)
    scores[f"{TRACED} paragraphs"] = _compare(
        {p for p in true_paragraphs if _of(p, traced)},
        {p for p in found_paragraphs if _of(p, traced)},
    )
    scores[f"{TRACED} links"] = _compare(
        {link for link in true_links if _of(link[1], traced)},
        {link for link in found_links if _of(link[1], traced)},
    )
    return Quality(scores, len(machine.facts.candidates), len(curated.facts.rejected),
                   len(calendar_rows))  # fmt: skip


def _meeting(finding: Finding) -> Meeting:
    assert isinstance(finding.record, Meeting)
    return finding.record


def _compare(truth: AbstractSet[Hashable], found: AbstractSet[Hashable]) -> Score:
    return Score(len(truth & found), len(found), len(truth))


def _of(paragraph: URIRef, instrument: URIRef) -> bool:
    """Whether a paragraph IRI is one of an instrument's (instrument/A-RES-60-227/op/17)."""
    return str(paragraph).startswith(f"{instrument}/")


def _instruments(dataset: Dataset) -> set[str]:
    return {
        str(o)
        for g in dataset.graphs()
        for s in g.subjects(RDF.type, MKG.Instrument)
        for o in g.objects(s, MKG.symbol)
    }


def _paragraphs(dataset: Dataset) -> dict[URIRef, tuple[str | None, frozenset[URIRef]]]:
    """Each paragraph with its verb and addressees, over every graph."""
    found: dict[URIRef, tuple[str | None, frozenset[URIRef]]] = {}
    for g in dataset.graphs():
        for node in g.subjects(RDF.type, MKG.Paragraph):
            assert isinstance(node, URIRef)
            verb = g.value(node, MKG.operativeVerb)
            addressees = frozenset(a for a in g.objects(node, MKG.addressee)
                                   if isinstance(a, URIRef))  # fmt: skip
            old_verb, old_addressees = found.get(node, (None, frozenset()))
            found[node] = (
                str(verb) if isinstance(verb, Literal) else old_verb,
                addressees | old_addressees,
            )
    return found


def _true_events(curation: Curation, texts: dict[str, str], minter: Minter) -> list[_TrueEvent]:
    """The curated prose events: dated, not a series."""
    truth = []
    for spec in curation.events:
        if spec.is_series or spec.start_date is None:
            continue
        end = spec.end_date or spec.start_date
        place = spec.venue
        iri = minter.event(event_key(spec.start_date, place, spec.label))
        truth.append(
            _TrueEvent(
                iri=iri,
                spec=spec,
                spans=frozenset((q.doc, locate(texts[q.doc], q)) for q in (spec, *spec.sources)),
                start=spec.start_date,
                end=end,
                involvements=frozenset((i.org, i.role) for i in spec.involvements),
            )
        )
    return truth


def _match_events(
    truth: list[_TrueEvent], proposed: list[Finding]
) -> list[tuple[_TrueEvent, Finding]]:
    """Pairs of a curated and a found event: a document that quotes it, overlapping dates, and the
    same sentence or a similar label; best pairs first, each event in one pair."""
    scored = []
    for t in truth:
        for f in proposed:
            meeting = _meeting(f)
            if f.doc not in {doc for doc, _ in t.spans}:
                continue
            if not meeting.start.overlaps(t.start.first_day(), t.end.last_day()):
                continue
            same_sentence = any(doc == f.doc and f.span.start < span.end and span.start < f.span.end
                                for doc, span in t.spans)  # fmt: skip
            similarity = fuzz.token_set_ratio(meeting.label, t.spec.label)
            if same_sentence or similarity >= LABEL_MATCH:
                scored.append((similarity + (100 if same_sentence else 0), id(t), t, f))
    pairs: list[tuple[_TrueEvent, Finding]] = []
    used_t: set[int] = set()
    used_f: set[int] = set()
    for _, _, t, f in sorted(scored, key=lambda x: -x[0]):
        if id(t) in used_t or id(f) in used_f:
            continue
        used_t.add(id(t))
        used_f.add(id(f))
        pairs.append((t, f))
    return pairs


def _same_dates(t: _TrueEvent, meeting: Meeting) -> bool:
    return meeting.start == t.start and meeting.end == t.end


def _found_organizers(meeting: Meeting) -> frozenset[str]:
    return frozenset(f.key for f in meeting.organizers if f.key is not None)


def _found_involvements(meeting: Meeting) -> frozenset[tuple[str, str]]:
    return frozenset((f.key, f.role) for f in meeting.organizations if f.key is not None)
