"""Every curated quote supports its statement, not only stands verbatim in its document.

A quote must lie within one part of the document (a table row, an item of a list, a
sentence), so it cannot speak of two things at once; and it must contain what the
statement claims where the claim is a name (the organizations and bodies), a date (the
year) or a place (the venue). An event's quotes are read together: its evidence and its
further sources from the same document. An event that is a row of the 2006 calendar takes
its date and venue from the row, so those are not asked of its prose quotes. A document
speaks for its publisher ("IOM's input"), so the publisher counts as named in its own
documents, and a month without a year ("In April") is of the document's own year.
"""

from __future__ import annotations

import re
from functools import cache

import yaml

from graph.settings import get_settings
from graph.sources.curation import Curation, EventSpec, Quote, load_curation, locate
from graph.sources.registry import Registry
from tests.conftest import CORPUS

PART_BOUNDARY = re.compile(
    r"(?<=[a-z0-9)”\"*][.!?])[\"”*]*\s+(?=[A-Z“\"*(])"  # a sentence ends
    r"|;\s"  # an item of a list ends
    r"|\n\s*\n(?=\s*[^\sa-z])"  # a paragraph or heading ends (not an OCR break mid-sentence)
    r"|\n(?=\s*(?:[|*•-]|\d+\.)\s)"  # a table row or list item begins
)
"""Where one part of a document ends and the next begins."""


@cache
def _texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}


@cache
def _curation() -> Curation:
    return load_curation(get_settings().curation_dir)


@cache
def _manifest() -> dict[str, dict[str, str]]:
    entries = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    return {e["id"]: {k: str(v) for k, v in e.items()} for e in entries["documents"]}


NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


@cache
def _registry() -> Registry:
    return Registry.load(get_settings().registry_dir)


def _plain(text: str) -> str:
    """Text compared for names: no Markdown marks or curly quotes, one space, case ignored."""
    text = text.replace("**", "").replace("“", "").replace("”", "").replace('"', "")
    return " ".join(text.replace("-\n", "").split()).casefold()


def crossing(text: str, quote: Quote) -> str | None:
    """The part boundary a quote runs over, if any."""
    span = locate(text, quote)
    inner = text[span.start : span.end]
    for found in PART_BOUNDARY.finditer(inner):
        if found.start() > 0 and found.end() < len(inner):
            return repr(inner[max(0, found.start() - 30) : found.end() + 30])
    return None


def _names(key: str) -> list[str]:
    entry = _registry().orgs[key]
    names = [entry.label, *([entry.acronym] if entry.acronym else []), *entry.aliases]
    if entry.label.startswith("Government of "):
        names.append(entry.label.removeprefix("Government of ").removeprefix("the "))
    return [_plain(n) for n in names]


def _names_org(key: str, quoted: str, doc: str) -> bool:
    publisher = _plain(_manifest()[doc]["publisher"])
    return any(name in quoted or name in publisher for name in _names(key))


def _event_quotes(spec: EventSpec) -> str:
    """The event's quotes from its own document, with those of the series it is part of
    (what a series' quote says of all its events, such as who convenes them)."""
    by_id = {e.id: e for e in _curation().events}
    chain = [spec]
    while chain[-1].part_of:
        chain.append(by_id[chain[-1].part_of])
    same_doc = [q for e in chain for q in (e, *e.sources) if q.doc == spec.doc]
    return " ".join(_plain(q.evidence) for q in same_doc)


def _place_names(venue: str) -> list[str]:
    registry = _registry()
    place = registry.places.get(venue) or registry.lookup_place(venue)
    assert place is not None, venue
    return [_plain(n) for n in (place.label, *getattr(place, "aliases", ()))]


def _dated(quote: Quote, date: str | None) -> bool:
    """Whether the year of a figure, work or membership is the text's: in the paragraph the
    quote stands in ("In 2011, IOM celebrated... IOM's increase of membership to 146
    states"), or the document's own year (its present)."""
    if date is None:
        return True
    text = _texts()[quote.doc]
    span = locate(text, quote)
    first = text.rfind("\n\n", 0, span.start)
    last = text.find("\n\n", span.end)
    paragraph = text[first + 1 if first >= 0 else 0 : last if last >= 0 else len(text)]
    return date[:4] in paragraph or date[:4] == _manifest()[quote.doc]["date"][:4]


def unsupported(curation: Curation) -> list[str]:
    """Every statement whose quotes do not contain the name, year or place it claims."""
    problems: list[str] = []
    for spec in curation.events:
        quoted = _event_quotes(spec)
        for inv in spec.involvements:
            if not _names_org(inv.org, quoted, spec.doc):
                problems.append(f"event {spec.id}: {inv.role} {inv.org} not named")
        if spec.calendar is not None:
            continue
        own_year = _manifest()[spec.doc]["date"][:4]
        if spec.start and spec.start[:4] not in quoted and spec.start[:4] != own_year:
            problems.append(f"event {spec.id}: year {spec.start[:4]} not stated")
        if spec.venue and not any(n in quoted for n in _place_names(spec.venue)):
            problems.append(f"event {spec.id}: venue {spec.venue} not stated")
    for member in curation.memberships:
        quoted = _plain(member.evidence)
        for key in (member.body, member.member):
            if key == member.body and _registry().orgs[key].parent:
                continue  # a sub-body is named by its subject ("the Working Group on ...")
            if not _names_org(key, quoted, member.doc):
                problems.append(f"membership {member.member} in {member.body}: {key} not named")
        if not _dated(member, member.start):
            problems.append(f"membership {member.member} in {member.body}: {member.start}")
    for obs in curation.observations:
        quoted = _plain(obs.evidence).replace(",", "")
        value = obs.value
        shown = {f"{value:g}", f"{int(value)}" if value.is_integer() else f"{value:g}"}
        shown |= {f"{value / 10**9:g} billion", f"{value / 10**6:g} million"}
        if value.is_integer() and int(value) < len(NUMBER_WORDS):
            shown.add(NUMBER_WORDS[int(value)])
        if not any(s in quoted for s in shown):
            problems.append(f"observation {obs.about} {obs.property}: {value:g} not stated")
        if not _dated(obs, obs.date):
            problems.append(f"observation {obs.about} {obs.property}: {obs.date} not stated")
    for work in curation.works:
        quoted = _plain(work.evidence)
        if not _dated(work, work.date):
            problems.append(f"work {work.id}: {work.date} not stated")
        for inv in work.involvements:
            if not _names_org(inv.org, quoted, work.doc):
                problems.append(f"work {work.id}: {inv.role} {inv.org} not named")
    return problems


def test_every_curated_quote_lies_within_one_part_of_its_document() -> None:
    texts = _texts()
    crossings = [
        f"{name}: {where}"
        for name, quote in _curation().quotes()
        if (where := crossing(texts[quote.doc], quote))
    ]
    assert crossings == []


def test_every_curated_quote_contains_the_names_years_and_places_it_claims() -> None:
    assert unsupported(_curation()) == []


def _words(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", _plain(text).replace("labor", "labour"))
    return {w.removesuffix("s") for w in words} - {"and", "of"}


def test_the_seminars_of_the_key_migration_issues_series_each_quote_their_own_topic() -> None:
    texts = _texts()
    seminars = [e for e in _curation().events if e.part_of == "key-migration-issues-series"]
    assert len(seminars) == 6
    for spec in seminars:
        topic = _words(spec.label.split(":", 1)[1])
        assert crossing(texts[spec.doc], spec) is None, spec.id
        assert _words(spec.evidence) <= topic, (spec.id, spec.evidence)


def test_a_quote_running_over_two_list_items_is_caught() -> None:
    text = _texts()["002_701c0046ca42ff1f"]
    shifted = Quote(doc="002_701c0046ca42ff1f", evidence="diaspora contributions; HIV, AIDS")
    assert crossing(text, shifted) is not None
    assert crossing(text, Quote(doc=shifted.doc, evidence="HIV, AIDS and migration")) is None
