"""Facts in running text: sentences, and dated meetings with their venue and organizers.

Rules, not models: a meeting is a sentence with an event noun ("workshop", "conference",
"consultation"...) and a date; its organizers are the organizations after cue phrases
("jointly organized by", "in partnership with", "hosted by", "with funding from") or
the subject of "organised/convened/held"; other organizations in the sentence are
participants.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from sentencex import get_sentence_boundaries

from graph.extract.dates import DateMention, PartialDate, find_dates
from graph.extract.organizations import NameFinder, OrgMention, acronym_pairs
from graph.extract.records import Span

_BLOCK_BREAK = re.compile(r"\n[ \t]*\n|\n(?=[ \t]*(?:[-•*]|\d+\.|[a-z]\)|[ivx]+\))\s)")
_EVENT_NOUN = re.compile(
    r"\b(?:conferences?|workshops?|seminars?|meetings?|round[- ]?tables?|consultations?|"
    r"dialogues?|symposi(?:um|a)|debates?|panels?|hearings|summits?|congress|sessions?|"
    r"forums?|encounters?|retreats?)\b",
    re.IGNORECASE,
)
_TITLE = re.compile(r"[\"“]\**(?P<title>[^\"”\n]{8,200}?)\**[\"”]")
_CUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), role)
    for pattern, role in (
        (r"\bco-chaired by\b", "co-chair"),
        (r"\bchaired by\b", "chair"),
        (r"\bhosted by\b", "host"),
        (r"\b(?:jointly organi[sz]ed|co-organi[sz]ed|convened jointly|jointly convened)\s+by\b",
         "co-organizer"),
        (r"\bin (?:partnership|cooperation|collaboration|close collaboration) with\b",
         "co-organizer"),
        (r"\b(?:together|jointly) with\b", "co-organizer"),
        (r"\b(?:organi[sz]ed|convened|launched|held)\s+by\b", "organizer"),
        (r"\bwith (?:the )?(?:financial )?(?:support|assistance) (?:of|from)\b|\bsupported by\b",
         "supporter"),
        (r"\bwith funding from\b|\bfunded by\b|\bfinanced by\b", "funder"),
        (r"\bparticipants? (?:included|from)\b|\bwith the participation of\b", "participant"),
    )
)  # fmt: skip
_SUBJECT_VERB = re.compile(
    r"\b(?:organi[sz]ed|organi[sz]es|will organi[sz]e|convened|convenes|hosted|hosts|held|"
    r"co-organi[sz]ed|launched|will hold|will host)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[;)]|,\s+(?:which|and the|where|while)\b|\.\s")
_LABEL_WORD = re.compile(r"[\w'\u2019-]+")
_IN_PLACE = re.compile(
    r"\b(?:in|at) ((?:[A-Z][a-z\u00c0-\u00ff]+)(?: [A-Z][a-z\u00c0-\u00ff]+)?)\b"
)
_NOT_PLACES = frozenset(
    {
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "The",
        "This",
        "That",
        "These",
        "Its",
        "In",
        "At",
        "Spring",
        "Autumn",
        "Fall",
        "Summer",
        "Winter",
        "Member",
        "States",
    }
)
_JOINERS = frozenset({"of", "on", "for", "and", "&"})
"""Small words a title runs across when capitalised words stand on both sides."""


@dataclass(frozen=True)
class Found:
    """An organization found in a sentence, with the role the sentence gives it."""

    text: str
    key: str | None
    role: str
    span: Span


@dataclass(frozen=True)
class Meeting:
    """A dated meeting found in prose: the candidate a reviewer accepts or rejects."""

    label: str
    start: PartialDate
    end: PartialDate
    venue: str | None
    organizations: tuple[Found, ...]
    evidence: Span
    venue_text: str | None = None

    @property
    def organizers(self) -> list[Found]:
        """Organizations with an organizing role."""
        return [f for f in self.organizations if f.role in ORGANIZING_ROLES]


ORGANIZING_ROLES = frozenset({"organizer", "co-organizer", "host"})


def sentences(text: str) -> list[Span]:
    """Sentence spans: blocks split at blank lines and list items, then by sentencex."""
    spans: list[Span] = []
    cursor = 0
    for brk in [*_BLOCK_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        block = text[cursor:end]
        if block.strip():
            for bound in get_sentence_boundaries("en", block):
                s, e = bound["start_index"], bound["end_index"]
                piece = block[s:e]
                stripped = piece.strip()
                if stripped:
                    offset = cursor + s + piece.index(stripped)
                    spans.append(Span(offset, offset + len(stripped)))
        cursor = brk.end() if brk else len(text)
    return spans


def organizations_in(text: str, span: Span, finder: NameFinder) -> list[OrgMention]:
    """Known names and "Name (ACR)" definitions in a sentence, without overlaps."""
    found = list(finder.find(text, span.start, span.end))
    for pair in acronym_pairs(text, span.start, span.end):
        if not any(_overlap(pair.span, m.span) for m in found):
            found.append(OrgMention(pair.name, Span(pair.span.start, pair.span.end), None))
    return sorted(found, key=lambda m: m.span.start)


def meetings(text: str, finder: NameFinder, places: NameFinder) -> Iterator[Meeting]:
    """Every sentence that reads as a dated meeting."""
    for sentence in sentences(text):
        dates = find_dates(text, sentence.start, sentence.end)
        if not dates:
            continue
        orgs = organizations_in(text, sentence, finder)
        noun = _event_noun(text, sentence, orgs)
        if noun is None:
            continue
        date = min(dates, key=lambda d: (abs(d.begin - noun.start()), -_rank(d)))
        known = next(iter(places.find(text, sentence.start, sentence.end)), None)
        yield Meeting(
            label=_label(text, noun, sentence),
            start=date.start,
            end=date.end,
            venue=known.key if known else None,
            venue_text=known.text if known else _unknown_venue(text, sentence, orgs),
            organizations=tuple(_roles(text, sentence, orgs)),
            evidence=sentence,
        )


def _event_noun(text: str, sentence: Span, orgs: list[OrgMention]) -> re.Match[str] | None:
    """The event noun of a sentence: not part of an organization's name, a titled one first."""
    nouns = [
        m
        for m in _EVENT_NOUN.finditer(text, sentence.start, sentence.end)
        if not any(o.span.start <= m.start() < o.span.end for o in orgs)
    ]
    titled = [m for m in nouns if m.group(0)[0].isupper()]
    candidates = titled or nouns
    return candidates[0] if candidates else None


def _unknown_venue(text: str, sentence: Span, orgs: list[OrgMention]) -> str | None:
    """ "in Bridgetown": a capitalised place name after "in" that is no month or organization."""
    for match in _IN_PLACE.finditer(text, sentence.start, sentence.end):
        name = match.group(1)
        if name.split()[0] in _NOT_PLACES or any(
            o.span.start <= match.start(1) < o.span.end for o in orgs
        ):
            continue
        return name
    return None


def _rank(date: DateMention) -> int:
    return {"day": 2, "month": 1, "year": 0}[date.start.precision]


def _roles(text: str, sentence: Span, orgs: list[OrgMention]) -> Iterator[Found]:
    cues = sorted(
        (m.start(), m.end(), role)
        for pattern, role in _CUES
        for m in pattern.finditer(text, sentence.start, sentence.end)
    )
    verb = _SUBJECT_VERB.search(text, sentence.start, sentence.end)
    seen: set[str] = set()
    for org in orgs:
        role = "participant"
        governing = [c for c in cues if c[1] <= org.span.start]
        if governing:
            _, cue_end, cue_role = governing[-1]
            clause_end = _CLAUSE_END.search(text, cue_end, sentence.end)
            if clause_end is None or org.span.start < clause_end.start():
                role = cue_role
        if role == "participant" and verb and org.span.end <= verb.start():
            between = _without(text, org.span.end, verb.start(), orgs)
            if not _EVENT_NOUN.search(between) and len(between) < 120:
                jointly = re.search(r"\b(?:jointly|co-)\s*$", text[: verb.start()][-12:])
                role = (
                    "co-organizer"
                    if jointly or verb.group(0).lower().startswith("co-")
                    else "organizer"
                )
        name = org.key or org.text
        if name not in seen:
            seen.add(name)
            yield Found(org.text, org.key, role, org.span)


def _without(text: str, start: int, end: int, orgs: list[OrgMention]) -> str:
    """text[start:end] with organization names blanked out."""
    chars = list(text[start:end])
    for org in orgs:
        for i in range(max(org.span.start, start), min(org.span.end, end)):
            chars[i - start] = " "
    return "".join(chars)


def _label(text: str, noun: re.Match[str], sentence: Span) -> str:
    title = _TITLE.search(text, noun.start(), min(sentence.end, noun.end() + 260))
    if title:
        return " ".join(title["title"].replace("**", "").split())
    words = list(_LABEL_WORD.finditer(text[sentence.start : sentence.end]))
    # the word that holds the noun, which may start before it ("x-workshop", "IOM's'workshop")
    index = next(i for i, w in enumerate(words) if sentence.start + w.end() > noun.start())
    first = index
    while first > 0 and (
        words[first - 1].group(0)[:1].isupper()
        or (
            first > 1
            and words[first - 1].group(0).lower() in _JOINERS
            and words[first - 2].group(0)[:1].isupper()
        )
    ):
        first -= 1 if words[first - 1].group(0)[:1].isupper() else 2
    if words[first].group(0) in {"The", "A", "An"} and first < index:
        first += 1
    last = index
    while last + 1 < len(words) and words[last + 1].group(0)[:1].isupper():
        last += 1
    while last + 2 < len(words) and words[last + 1].group(0).lower() in _JOINERS:
        if not words[last + 2].group(0)[:1].isupper():
            break
        last += 2
        while last + 1 < len(words) and words[last + 1].group(0)[:1].isupper():
            last += 1
    start = sentence.start + words[first].start()
    end = sentence.start + words[last].end()
    return " ".join(text[start:end].split())


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
