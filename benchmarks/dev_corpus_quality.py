"""How well the automatic extractors do on real texts the project has never seen.

Runs `mkg ingest`'s extractors (graph.pipeline.ingest.review) on the body of each file of the
development corpus (../shared/dev-corpus/, read in place; MKG_DEV_CORPUS overrides the
folder) and scores what they propose against hand-made gold
(tests/fixtures/dev_corpus_gold.yaml, whose header gives the annotation rules):

- organizations: recall and precision, a proposal matching a gold organization by
  registry id, else by acronym, else by normalised or fuzzy name;
- instrument symbols: recall and precision after the same normalisation on both sides
  (spacing, non-breaking and other Unicode hyphens, letter case: "A/Res/60/227");
- dated events: recall and precision, a proposal matching a gold event when their date
  ranges overlap at the gold's precision (a proposal vaguer than the gold does not
  match) and, where both give a venue, the venues agree; of the matched events, how
  many have the right organizers, and how many also the right roles.

Prints a table per kind and one per file (most misses first), and writes everything,
the misses and false positives included, to benchmarks/results/dev_corpus_quality.json.

    .venv/bin/python benchmarks/dev_corpus_quality.py [--corpus DIR] [--json OUT] [--details]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from graph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
GOLD = ROOT / "tests" / "fixtures" / "dev_corpus_gold.yaml"
HEADER_LINES = 2
"""Lines 1-2 of a dev-corpus file (SOURCE:, TITLE:) are not part of the document."""
KINDS = ("organizations", "instruments", "events")
FUZZY = 85
"""The least rapidfuzz ratio (0-100) at which two words of a name are the same word."""
STOPWORDS = frozenset(
    [
        "of",
        "the",
        "for",
        "on",
        "and",
        "in",
        "to",
        "de",
        "di",
        "del",
        "della",
        "des",
        "du",
        "la",
        "le",
    ]
)
"""Words a name may have or lack and stay the same name."""
PREFIX = 45
"""A normalised name at least this long that begins the other name names the same body
(a shortened gold label against the full name a text prints)."""
_HYPHENS = dict.fromkeys(map(ord, "\u00ad\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"), "-")
NOT_ORGANIZING = frozenset({"participant"})
"""Roles a proposal may give that are not a part in organizing the event."""
_PRECISION = {4: "year", 7: "month", 10: "day"}


# --- the corpus and the gold -------------------------------------------------------


def dev_corpus_dir() -> Path:
    """The development corpus: MKG_DEV_CORPUS, else ../shared/dev-corpus beside the repo."""
    override = os.environ.get("MKG_DEV_CORPUS")
    return Path(override) if override else ROOT.parent / "shared" / "dev-corpus"


def body(path: Path) -> str:
    """The document in a dev-corpus file: everything after the two header lines."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(lines[HEADER_LINES:])


@dataclass(frozen=True)
class Org:
    """An organization as gold or an extractor gives it."""

    label: str
    acronym: str | None = None
    id: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Organizer:
    """An organization's part in an event."""

    org: Org
    role: str | None


@dataclass(frozen=True)
class Event:
    """A dated event: ISO dates at the precision given, venue spellings, organizers."""

    label: str
    start: str
    end: str
    venues: tuple[str, ...] = ()
    organizers: tuple[Organizer, ...] = ()


@dataclass(frozen=True)
class Facts:
    """What one file holds (gold) or what the extractors found in it (proposed)."""

    organizations: tuple[Org, ...] = ()
    instruments: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()


def load_gold(path: Path = GOLD) -> dict[str, Facts]:
    """The gold of every file, organizers resolved to the file's own organizations."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    gold: dict[str, Facts] = {}
    for name, entry in data["files"].items():
        orgs = tuple(_org(item) for item in entry.get("organizations") or [])
        by_key = {key: org for org in orgs for key in (org.id, org.label) if key}
        events = []
        for item in entry.get("events") or []:
            organizers = []
            for part in item.get("organizers") or []:
                if part["org"] not in by_key:
                    raise ValueError(
                        f"{name}: organizer {part['org']!r} is not in its organizations"
                    )
                organizers.append(Organizer(by_key[part["org"]], part.get("role")))
            start, end = str(item["start"]), str(item.get("end") or item["start"])
            if precision_of(start) != precision_of(end) or end < start:
                raise ValueError(f"{name}: {item['label']!r} runs from {start} to {end}")
            events.append(
                Event(
                    label=item["label"],
                    start=start,
                    end=end,
                    venues=tuple(item.get("venue") or ()),
                    organizers=tuple(organizers),
                )
            )
        symbols = tuple(str(s) for s in entry.get("instruments") or [])
        gold[name] = Facts(orgs, symbols, tuple(events))
    return gold


def _org(item: dict[str, Any]) -> Org:
    return Org(
        label=str(item["label"]),
        acronym=item.get("acronym"),
        id=item.get("id"),
        aliases=tuple(str(a) for a in item.get("aliases") or ()),
    )


def proposed_facts(document: dict[str, Any]) -> Facts:
    """One document of graph.pipeline.ingest.review's answer, read as Facts."""
    orgs = tuple(
        Org(label=str(o.get("label") or ""), acronym=o.get("acronym"), id=_known_id(o.get("id")))
        for o in document.get("organizations") or []
    )
    symbols = tuple(str(i["symbol"]) for i in document.get("instruments") or [])
    events = []
    for item in document.get("events") or []:
        start = item.get("start")
        if not start:
            continue  # an undated proposal cannot be a dated event
        organizers = tuple(
            Organizer(
                Org(label=str(o.get("label") or ""), id=_known_id(o.get("id"))), o.get("role")
            )
            for o in item.get("organizers") or []
        )
        venue = item.get("venue")
        events.append(
            Event(
                label=str(item.get("label") or ""),
                start=str(start),
                end=str(item.get("end") or start),
                venues=(str(venue),) if venue else (),
                organizers=organizers,
            )
        )
    return Facts(orgs, symbols, tuple(events))


def _known_id(value: object) -> str | None:
    """A registry id; candidates ("new:ACR") and empty ids are no id."""
    if not value or str(value).startswith("new:"):
        return None
    return str(value)


def registry_names(registry_dir: Path) -> dict[str, tuple[str, ...]]:
    """Every name and acronym the registry knows for each organization id."""
    data = yaml.safe_load((registry_dir / "organizations.yaml").read_text(encoding="utf-8"))
    return {
        str(o["id"]): tuple(
            str(n) for n in (o.get("label"), o.get("acronym"), *(o.get("aliases") or ())) if n
        )
        for o in data["organizations"]
    }


def run_extractors(
    corpus: Path, names: Iterable[str], settings: Settings | None = None
) -> dict[str, Facts]:
    """What `mkg ingest` proposes for the body of each named file (one review call)."""
    from graph.pipeline.ingest import review

    names = list(names)
    with tempfile.TemporaryDirectory(prefix="mkg-dev-corpus-") as scratch:
        settings = settings or Settings(store=Path(scratch) / "store")
        paths = []
        for name in names:
            path = Path(scratch) / name
            path.write_text(body(corpus / name), encoding="utf-8")
            paths.append(path)
        answer = review(paths, settings)
    return {name: proposed_facts(doc) for name, doc in zip(names, answer["documents"], strict=True)}


# --- matching ------------------------------------------------------------------------


def normalise_name(text: str) -> str:
    """A name for comparison: no accents, case, punctuation or leading article."""
    text = unicodedata.normalize("NFKD", text.translate(_HYPHENS))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ").replace("\u2019", "'")
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def normalise_symbol(symbol: str) -> str:
    """A symbol for comparison: Unicode hyphens as "-", no spaces, upper case."""
    text = unicodedata.normalize("NFKC", symbol).translate(_HYPHENS)
    return re.sub(r"\s+", "", text).upper()


def _acronym(text: str | None) -> str | None:
    return re.sub(r"[.\s]", "", text).casefold() or None if text else None


def _names(org: Org, known: dict[str, tuple[str, ...]]) -> set[str]:
    names = {org.label, *org.aliases, *(known.get(org.id, ()) if org.id else ())}
    return {n for n in map(normalise_name, names) if n}


def _same_name(a: str, b: str) -> bool:
    """Same words, each spelled alike (Organisation/Organization), in any order; or a long
    name that begins the other. A near miss on a whole string is not enough: "for
    Mediation" against "for Migration" is a different body."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= PREFIX and long.startswith(short):
        return True
    words_a = [w for w in a.split() if w not in STOPWORDS]
    words_b = [w for w in b.split() if w not in STOPWORDS]
    if len(words_a) != len(words_b):
        return False
    return any(
        all(fuzz.ratio(x, y) >= FUZZY for x, y in zip(one, two, strict=True))
        for one, two in ((words_a, words_b), (sorted(words_a), sorted(words_b)))
    )


def org_tier(gold: Org, proposed: Org, known: dict[str, tuple[str, ...]] | None = None) -> int:
    """How a proposal matches a gold organization: 3 by registry id, 2 by acronym (or a
    name written exactly as one of the gold's), 1 by fuzzy name, 0 not at all. Two
    different registry ids never match."""
    known = known or {}
    if gold.id and proposed.id:
        return 3 if gold.id == proposed.id else 0
    # an acronym, or a whole name written the same, against every short form the gold has
    gold_forms = {_acronym(n) for n in (gold.acronym, *gold.aliases, *known.get(gold.id or "", ()))}
    if {_acronym(proposed.acronym), _acronym(proposed.label)} & (gold_forms - {None}):
        return 2
    gold_names = _names(gold, known)
    proposed_names = _names(proposed, known) | (
        {normalise_name(proposed.acronym)} if proposed.acronym else set()
    )
    if any(_same_name(g, p) for g in gold_names for p in proposed_names):
        return 1
    return 0


def _assign(scores: Mapping[tuple[int, int], tuple[int, ...]]) -> dict[int, int]:
    """A one-to-one matching, best-scored pairs first (gold index -> proposal index)."""
    chosen: dict[int, int] = {}
    taken: set[int] = set()
    for (g, p), _ in sorted(scores.items(), key=lambda kv: (tuple(-s for s in kv[1]), kv[0])):
        if g not in chosen and p not in taken:
            chosen[g] = p
            taken.add(p)
    return chosen


def match_orgs(
    gold: Sequence[Org], proposed: Sequence[Org], known: dict[str, tuple[str, ...]] | None = None
) -> dict[int, int]:
    """Gold organizations matched to proposals, one to one, surest matches first."""
    scores = {}
    for g, gold_org in enumerate(gold):
        for p, proposed_org in enumerate(proposed):
            tier = org_tier(gold_org, proposed_org, known)
            if tier:
                scores[(g, p)] = (tier,)
    return _assign(scores)


def precision_of(iso: str) -> str:
    """The precision of an ISO date: "year" (YYYY), "month" (YYYY-MM) or "day" (YYYY-MM-DD)."""
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", iso):
        raise ValueError(f"not an ISO date of year, month or day precision: {iso!r}")
    return _PRECISION[len(iso)]


def dates_overlap(gold: Event, proposed: Event) -> bool:
    """Whether the proposal's date range overlaps the gold's, read at the gold's precision.
    A proposal vaguer than the gold (a year where the text gives the day) does not."""
    width = min(len(gold.start), len(gold.end))
    if min(len(proposed.start), len(proposed.end)) < width:
        return False
    if not all(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d) for d in (proposed.start, proposed.end)):
        return False
    start, end = proposed.start[:width], proposed.end[:width]
    return start <= gold.end[:width] and gold.start[:width] <= end


def venue_agrees(gold: Event, proposed: Event) -> bool | None:
    """Whether the venues agree; None when either side gives none."""
    if not gold.venues or not proposed.venues:
        return None
    for g in map(normalise_name, gold.venues):
        for p in map(normalise_name, proposed.venues):
            if (
                g == p
                or re.search(rf"\b{re.escape(g)}\b", p)
                or re.search(rf"\b{re.escape(p)}\b", g)
            ):
                return True
    return False


def event_score(gold: Event, proposed: Event) -> tuple[int, ...] | None:
    """How well a proposal matches a gold event (higher is better), or None."""
    if not dates_overlap(gold, proposed):
        return None
    venue = venue_agrees(gold, proposed)
    if venue is False:
        return None
    width = len(gold.start)
    exact = proposed.start[:width] == gold.start and proposed.end[: len(gold.end)] == gold.end
    return (int(venue is True), int(exact))


def organizers_right(
    gold: Event, proposed: Event, known: dict[str, tuple[str, ...]] | None = None
) -> tuple[bool, bool]:
    """(the same organizers, the same organizers with the same roles) as the gold.
    A proposed "participant" is not an organizer (the gold lists no participants)."""
    offered = [o for o in proposed.organizers if _role(o.role) not in NOT_ORGANIZING]
    pairs = match_orgs([o.org for o in gold.organizers], [o.org for o in offered], known)
    same = len(pairs) == len(gold.organizers) == len(offered)
    roles = same and all(
        _role(gold.organizers[g].role) == _role(offered[p].role) for g, p in pairs.items()
    )
    return same, roles


def _role(role: str | None) -> str:
    return re.sub(r"[\s_]+", "-", (role or "").strip().casefold())


# --- scores ---------------------------------------------------------------------------


def ratio(numerator: int, denominator: int) -> float:
    """numerator/denominator to 3 decimals; 1.0 when there was nothing to find or propose."""
    return round(numerator / denominator, 3) if denominator else 1.0


def floor2(value: float) -> float:
    """A measured value rounded down to 2 decimals: the floor a test holds it to."""
    return math.floor(round(value * 100, 6)) / 100


@dataclass
class Score:
    """Counts for one kind, in one file or summed over files."""

    found: int = 0
    """gold facts the extractors found (true positives)"""
    gold: int = 0
    proposed: int = 0
    organizers_right: int = 0
    """matched events whose organizers are the gold's (events only)"""
    roles_right: int = 0
    """... and with the gold's roles (events only)"""
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of gold facts found."""
        return ratio(self.found, self.gold)

    @property
    def precision(self) -> float:
        """Share of proposals that match a gold fact."""
        return ratio(self.found, self.proposed)

    def add(self, other: Score) -> None:
        """Sum another score's counts into this one."""
        self.found += other.found
        self.gold += other.gold
        self.proposed += other.proposed
        self.organizers_right += other.organizers_right
        self.roles_right += other.roles_right

    def summary(self) -> dict[str, Any]:
        """The counts and ratios as JSON data."""
        return {**asdict(self), "recall": self.recall, "precision": self.precision}


def score_organizations(
    gold: Sequence[Org], proposed: Sequence[Org], known: dict[str, tuple[str, ...]] | None = None
) -> Score:
    """Recall and precision of the proposed organizations against the gold."""
    pairs = match_orgs(gold, proposed, known)
    matched = set(pairs.values())
    return Score(
        found=len(pairs),
        gold=len(gold),
        proposed=len(proposed),
        missed=[_org_name(o) for g, o in enumerate(gold) if g not in pairs],
        false=[_org_name(o) for p, o in enumerate(proposed) if p not in matched],
    )


def _org_name(org: Org) -> str:
    return f"{org.label} ({org.acronym})" if org.acronym and org.acronym != org.label else org.label


def score_instruments(gold: Sequence[str], proposed: Sequence[str]) -> Score:
    """Recall and precision of the proposed symbols, both sides normalised."""
    gold_set = {normalise_symbol(s): s for s in gold}
    proposed_set = {normalise_symbol(s): s for s in proposed}
    return Score(
        found=len(gold_set.keys() & proposed_set.keys()),
        gold=len(gold_set),
        proposed=len(proposed_set),
        missed=[s for k, s in gold_set.items() if k not in proposed_set],
        false=[s for k, s in proposed_set.items() if k not in gold_set],
    )


def score_events(
    gold: Sequence[Event],
    proposed: Sequence[Event],
    known: dict[str, tuple[str, ...]] | None = None,
) -> Score:
    """Recall and precision of the proposed dated events, and their organizers."""
    scores = {}
    for g, gold_event in enumerate(gold):
        for p, proposed_event in enumerate(proposed):
            score = event_score(gold_event, proposed_event)
            if score is not None:
                scores[(g, p)] = score
    pairs = _assign(scores)
    result = Score(found=len(pairs), gold=len(gold), proposed=len(proposed))
    for g, p in pairs.items():
        same, roles = organizers_right(gold[g], proposed[p], known)
        result.organizers_right += same
        result.roles_right += roles
    matched = set(pairs.values())
    result.missed = [_event_name(e) for g, e in enumerate(gold) if g not in pairs]
    result.false = [_event_name(e) for p, e in enumerate(proposed) if p not in matched]
    return result


def _event_name(event: Event) -> str:
    when = event.start if event.end == event.start else f"{event.start}/{event.end}"
    where = f", {event.venues[0]}" if event.venues else ""
    return f"{event.label[:60]} [{when}{where}]"


def score_file(gold: Facts, proposed: Facts, known: dict[str, tuple[str, ...]]) -> dict[str, Score]:
    """The three scores of one file."""
    return {
        "organizations": score_organizations(gold.organizations, proposed.organizations, known),
        "instruments": score_instruments(gold.instruments, proposed.instruments),
        "events": score_events(gold.events, proposed.events, known),
    }


@dataclass
class Report:
    """Scores per file and summed over the corpus."""

    files: dict[str, dict[str, Score]]
    totals: dict[str, Score]

    def summary(self) -> dict[str, dict[str, float]]:
        """Recall and precision per kind (and organizer shares for events)."""
        out: dict[str, dict[str, float]] = {}
        for kind, score in self.totals.items():
            out[kind] = {"recall": score.recall, "precision": score.precision}
            if kind == "events":
                out[kind]["organizers_right"] = ratio(score.organizers_right, score.found)
                out[kind]["roles_right"] = ratio(score.roles_right, score.found)
                # shares of the gold, which only grow as extraction improves (the shares
                # of the matched events above can fall when more events are matched)
                out[kind]["organizers_recall"] = ratio(score.organizers_right, score.gold)
                out[kind]["roles_recall"] = ratio(score.roles_right, score.gold)
        return out

    def table(self) -> str:
        """A table per kind and one per file, files with the most misses first."""
        lines = [
            "kind           gold  proposed  found  recall  precision",
            *(
                f"{kind:<14} {s.gold:>4}  {s.proposed:>8}  {s.found:>5}  {s.recall:>6.2f}  "
                f"{s.precision:>9.2f}"
                for kind, s in self.totals.items()
            ),
        ]
        events = self.totals["events"]
        lines.append(
            f"matched events with the right organizers: {events.organizers_right}/{events.found}"
            f" ({ratio(events.organizers_right, events.found):.2f}); with the right roles too: "
            f"{events.roles_right}/{events.found}; gold events found with the right organizers: "
            f"{events.organizers_right}/{events.gold} "
            f"({ratio(events.organizers_right, events.gold):.2f})"
        )
        lines += ["", "per file (found/gold, false positives), most misses first"]
        lines.append(f"{'file':<46} {'orgs':>9} {'symbols':>9} {'events':>9}  missed")
        for name, scores in sorted(self.files.items(), key=lambda kv: (*_misses(kv[1]), kv[0])):
            cells = [
                f"{s.found:>2}/{s.gold:<2} {len(s.false):>2}fp" for s in (scores[k] for k in KINDS)
            ]
            missed = sum(s.gold - s.found for s in scores.values())
            lines.append(f"{name[:46]:<46} " + " ".join(f"{c:>9}" for c in cells) + f"  {missed}")
        return "\n".join(lines)

    def details(self) -> str:
        """Every miss and false positive, file by file (most misses first)."""
        lines = []
        for name, scores in sorted(self.files.items(), key=lambda kv: (*_misses(kv[1]), kv[0])):
            lines.append(name)
            for kind in KINDS:
                lines += [f"  {kind} missed: {item}" for item in scores[kind].missed]
                lines += [f"  {kind} false:  {item}" for item in scores[kind].false]
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        """Everything, misses and false positives included, as JSON data."""
        return {
            "summary": self.summary(),
            "totals": {kind: s.summary() for kind, s in self.totals.items()},
            "files": {
                name: {kind: s.summary() for kind, s in scores.items()}
                for name, scores in self.files.items()
            },
        }


def _misses(scores: dict[str, Score]) -> tuple[int, int]:
    missed = sum(s.gold - s.found for s in scores.values())
    false = sum(len(s.false) for s in scores.values())
    return (-missed, -false)


def score(
    gold: dict[str, Facts], proposed: dict[str, Facts], known: dict[str, tuple[str, ...]]
) -> Report:
    """Score every gold file against what was proposed for it."""
    files = {name: score_file(gold[name], proposed[name], known) for name in gold}
    totals = {kind: Score() for kind in KINDS}
    for scores in files.values():
        for kind in KINDS:
            totals[kind].add(scores[kind])
    return Report(files, totals)


def measure(corpus: Path | None = None, gold_path: Path = GOLD) -> Report:
    """Run the extractors on the dev corpus and score them against the gold."""
    corpus = corpus or dev_corpus_dir()
    gold = load_gold(gold_path)
    missing = [name for name in gold if not (corpus / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{corpus} lacks {len(missing)} gold files, e.g. {missing[0]}")
    settings = Settings()
    proposed = run_extractors(corpus, gold, settings)
    return score(gold, proposed, registry_names(settings.registry_dir))


def main(argv: list[str] | None = None) -> int:
    """Measure, print the tables and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=None, help="the dev corpus folder")
    parser.add_argument("--json", type=Path, default=RESULTS / "dev_corpus_quality.json")
    parser.add_argument("--details", action="store_true", help="list every miss and false one")
    args = parser.parse_args(argv)
    corpus = args.corpus or dev_corpus_dir()
    if not corpus.is_dir():
        print(f"no dev corpus at {corpus} (set MKG_DEV_CORPUS or --corpus)", file=sys.stderr)
        return 2
    report = measure(corpus)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
    print(report.table())
    if args.details:
        print("\n" + report.details())
    return 0


if __name__ == "__main__":
    sys.exit(main())
