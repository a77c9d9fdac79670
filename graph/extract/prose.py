"""Facts in running text: sentences, and dated meetings with their venue and organizers.

Rules, not models: a meeting is a sentence with an event noun ("workshop", "conference",
"consultation"...) and a date; the parts organizations take in it are graph.extract.roles'.
Events of a set counted in an earlier sentence ("three Ministerial Consultations ... The
first Ministerial Consultation") take the set's organizers, and its date where their own
sentence gives none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import pairwise

from rapidfuzz import fuzz
from sentencex import get_sentence_boundaries

from graph.extract.dates import ENGLISH_MONTHS, DateMention, PartialDate, find_dates
from graph.extract.kinds import EVENT_NOUN
from graph.extract.organizations import NameFinder, OrgMention, find_organizations
from graph.extract.roles import SUBJECT_VERB, Found, owns, roles_in, with_own_body
from graph.model.statements import Span
from graph.model.vocab import organizing_roles

_BLOCK_BREAK = re.compile(
    r"(?<![a-z,])\n[ \t]*\n|\n[ \t]*\n(?![ \t]*[a-z])"
    r"|\n(?=[ \t]*(?:[-•*]|\d+\.|[a-z]\)|[ivx]+\))\s)"
)
"""Where a block ends: a blank line, unless it falls inside a sentence (a page break
between "the brainstorming and" and "coordination meeting"), or a list item."""
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_TITLE = re.compile(r"[\"“]\**(?P<title>[^\"”\n]{8,200}?)\**[\"”]")
_TITLE_BEFORE = re.compile(r"[\"“]\**(?P<title>[^\"”\n]{8,200}?)\**[\"”]\**\s*$")
"""A quoted title just before its noun: '"Key Migration Issues" Workshop Series'."""
_TITLE_GAP = 80
"""How far after its noun a quoted title may begin: "a workshop, held in Geneva, on "..."";
a quote further on, past other clauses, names something else."""


def _titles_it(gap: str) -> bool:
    """Whether a quoted title after this gap is the name of the noun before the gap."""
    return (
        len(gap) <= _TITLE_GAP
        and ";" not in gap
        and not EVENT_NOUN.search(gap)
        and not re.search(r"\b(?:where|which|when|while|whose)\b", gap)
    )


_LABEL_WORD = re.compile(r"[\w'\u2019-]+")
_IN_PLACE = re.compile(
    r"\b(?:in|at) ((?:[A-Z][a-z\u00c0-\u00ff]+)(?: [A-Z][a-z\u00c0-\u00ff]+)?)\b"
)
_NOT_PLACES = ENGLISH_MONTHS | frozenset(
    {
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
class Meeting:
    """A dated meeting found in prose: the candidate a reviewer accepts or rejects."""

    label: str
    start: PartialDate
    end: PartialDate
    venue: str | None
    organizations: tuple[Found, ...]
    evidence: Span
    venue_text: str | None = None
    confidence: float = field(default=1.0, compare=False)
    """How sure the extractor is that this is a dated event (0..1)."""
    series: bool = False
    """A series of events ("the Seminar Series", "a series of workshops"), not one: the
    date is when the text speaks of it, not the date of an event."""
    date_confidence: float = field(default=1.0, compare=False)
    """How sure the extractor is of the date it gives (its share of `confidence`)."""
    convened: bool = field(default=False, compare=False)
    """Whether its only organizer is the unit the cover of its paper names: a sentence
    that says what part the unit takes ("hosted by the Population Division") says more."""

    @property
    def organizers(self) -> list[Found]:
        """Organizations with an organizing role."""
        return [f for f in self.organizations if f.role in organizing_roles()]


def sentences(text: str) -> list[Span]:
    """Sentence spans: blocks split at blank lines and list items, then by sentencex."""
    spans: list[Span] = []
    cursor = 0
    for brk in [*_BLOCK_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        block = text[cursor:end]
        if block.strip():
            # a blank line inside a sentence is read as the space it stands for
            joined = _BLANK_LINE.sub(lambda m: " " * len(m.group()), block)
            for bound in get_sentence_boundaries("en", joined):
                s, e = bound["start_index"], bound["end_index"]
                piece = block[s:e]
                stripped = piece.strip()
                if stripped:
                    offset = cursor + s + piece.index(stripped)
                    spans.append(Span(offset, offset + len(stripped)))
        cursor = brk.end() if brk else len(text)
    return spans


def organizations_in(text: str, span: Span, finder: NameFinder) -> list[OrgMention]:
    """Organizations named in a sentence, without overlaps: registry names, then candidates
    (acronym pairs, governments, ministries, bodies) with their confidence."""
    return [
        OrgMention(c.text, c.span, c.key, c.confidence)
        for c in find_organizations(text, finder, span.start, span.end)
    ]


def meetings(
    text: str, finder: NameFinder, places: NameFinder, *, year: int | None = None
) -> Iterator[Meeting]:
    """Every dated meeting the text tells of, once: sentences (or clauses of a list) with
    an event noun and a date, and event-page headings (a title line, a venue line, a date
    line). `year` (the document's) dates a "12 July" whose sentence prints no year."""
    spans = sentences(text)
    found: list[Meeting] = []
    undated: list[tuple[str, tuple[Found, ...]]] = []
    sets: dict[str, _Set] = {}
    recurring: list[tuple[Span, _Set]] = []  # where a meeting of a recurring set is told
    for index, sentence in enumerate(spans):
        labels: list[str] = []  # of the meetings the sentence tells
        if find_dates(text, sentence.start, sentence.end, year=year):
            clauses = _clauses(text, sentence, year)
            for clause in clauses:
                told = _meetings_in(text, clause, finder, places, year)
                if not told and len(clauses) == 1:
                    heading = (
                        _heading(text, spans, index, finder, places, year)
                        or _lead(text, spans, index, finder, places, year)
                        or _listed(text, spans, index, places, year)
                    )
                    told = [heading] if heading is not None else []
                found.extend(_one_of_a_set(text, clause, m, sets, index) for m in told)
                labels.extend(m.label for m in told)
                recurring.extend(
                    (m.evidence, group)
                    for m in told
                    if (group := _of_a_recurring_set(text, clause, m, sets, index)) is not None
                )
        else:
            undated.extend(_organized(text, sentence, finder))
            found.extend(_told_of_a_set(text, sentence, finder, sets, index))
        sets.update(_counted_sets(text, sentence, finder, index, year, labels))
    for meeting in _merged(found):
        meeting = _with_organizers(meeting, undated)
        yield _of_its_series(meeting, recurring)


def _of_its_series(meeting: Meeting, recurring: list[tuple[Span, _Set]]) -> Meeting:
    """A meeting no telling gives an organizer, of the kind of a recurring set told shortly
    before it ("the IDM convenes two intersessional workshops each year ... the 2003
    workshop on Approaches to Data Collection"), has the set's organizers."""
    if any(f.role in organizing_roles() for f in meeting.organizations):
        return meeting
    for evidence, group in recurring:
        if evidence == meeting.evidence:
            return _with_its_set(meeting, group)
    return meeting


_COUNT_BEFORE = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|several|\d{1,2})\s+(?:[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
"""Before the plural noun of a set of events: "three Ministerial Consultations"."""
_ORDINAL_WORDS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
_ORDINAL_BEFORE = re.compile(
    rf"\b(?:the\s+(?:{_ORDINAL_WORDS}|last)\s+(?:such\s+)?|one\s+)(?:[\w-]+\s+){{0,3}}$",
    re.IGNORECASE,
)
"""Before the noun of one event of a set told before: "The first Ministerial Consultation",
"One seminar entitled ..."."""
_SET_REACH = 3
"""How many sentences after a set of events one of them may be told by its ordinal."""


def _and_others(found: tuple[Found, ...], more: tuple[Found, ...]) -> tuple[Found, ...]:
    """`found`, then those of `more` it does not name (by registry id, else by name)."""
    named = {f.key or f.text for f in found}
    return found + tuple(f for f in more if (f.key or f.text) not in named)


def _stem(noun: str) -> str:
    return noun.casefold().removesuffix("s")


@dataclass(frozen=True)
class _Set:
    """A set of events a sentence counts ("held six seminars ... in 2011")."""

    index: int
    """The sentence's place in the text."""
    sentence: Span
    organizers: tuple[Found, ...]
    date: DateMention | None
    """The date nearest the count, if its sentence gives one."""
    told: bool
    """Whether its sentence tells its events already ("two roundtables, one in April 2004
    and one in October 2004"): one told again by its ordinal is not another."""
    counted: bool
    """Whether its sentence counts it ("three Consultations"); "global meetings" is a set
    only for "the fourth such meeting"."""
    recurring: bool = False
    """Whether its sentence says it recurs ("convenes two intersessional workshops each
    year"): an event of its kind told further on in the section is one of it."""


def _counted_sets(
    text: str, sentence: Span, finder: NameFinder, index: int, year: int | None, told: list[str]
) -> dict[str, _Set]:
    """The sets of events a sentence counts, by the noun's stem, with the organizers and
    the date it gives them: "IOM has organized and supported three Ministerial
    Consultations", "held six seminars at UN headquarters in 2011"."""
    nouns = [
        n
        for n in EVENT_NOUN.finditer(text, sentence.start, sentence.end)
        if n.group(0)[-1:] in "sS"
    ]
    if not nouns:
        return {}
    orgs = organizations_in(text, sentence, finder)
    roles = tuple(f for f in roles_in(text, sentence, orgs) if f.role in organizing_roles())
    dates = find_dates(text, sentence.start, sentence.end, year=year)
    sets = {}
    for noun in nouns:
        counted = _COUNT_BEFORE.search(text, max(sentence.start, noun.start() - 60), noun.start())
        date = min(dates, key=lambda d: _distance(d, noun.start(), noun.end()), default=None)
        if roles or (counted and date is not None):
            named = any(noun.group(0).casefold() in label.casefold() for label in told)
            recurring = _RECURRING.search(text, noun.end(), sentence.end) is not None
            sets[_stem(noun.group(0))] = _Set(index, sentence, roles, date, named, bool(counted),
                                              recurring)  # fmt: skip
    return sets


_RECURRING = re.compile(
    r"\b(?:each|every)\s+(?:year|session)\b|\bannually\b|\bchaque\s+année\b|\bcada\s+año\b"
    r"|\bogni\s+anno\b",
    re.IGNORECASE,
)
_SERIES_REACH = 8
"""How many sentences after a recurring set ("convenes two workshops each year") an event
of its kind may be one of it, within the same section."""


def _of_a_recurring_set(
    text: str, sentence: Span, meeting: Meeting, sets: dict[str, _Set], index: int
) -> _Set | None:
    """The recurring set told shortly before, in the same section, whose kind of event a
    meeting is ("the 2003 workshop on Approaches to Data Collection", after "the IDM
    convenes two intersessional workshops each year")."""
    for noun in EVENT_NOUN.finditer(meeting.label):
        group = sets.get(_stem(noun.group(0)))
        if (
            group is not None
            and group.recurring
            and group.organizers
            and 0 < index - group.index <= _SERIES_REACH
            and not _HEADING_BETWEEN.search(text, group.sentence.end, sentence.start)
        ):
            return group
    return None


_HEADING_BETWEEN = re.compile(r"\n\s*\n[^\n]{1,80}\n\s*\n")
"""A short line alone between blank lines: the heading of another section."""


def _of_a_set(
    text: str, sentence: Span, sets: dict[str, _Set], index: int
) -> Iterator[tuple[re.Match[str], _Set]]:
    """The event nouns a sentence tells by their place in a set counted just before ("The
    first Ministerial Consultation", "One seminar"), with the set."""
    for noun in EVENT_NOUN.finditer(text, sentence.start, sentence.end):
        group = sets.get(_stem(noun.group(0)))
        if group is None or index - group.index > _SET_REACH:
            continue
        ordinal = _ORDINAL_BEFORE.search(text, max(sentence.start, noun.start() - 60), noun.start())
        if ordinal and (group.counted or re.search(r"\bsuch\b", ordinal.group(), re.IGNORECASE)):
            yield noun, group


def _one_of_a_set(
    text: str, sentence: Span, meeting: Meeting, sets: dict[str, _Set], index: int
) -> Meeting:
    """A meeting told as one of a set counted just before ("three Ministerial
    Consultations ... The first Ministerial Consultation was hosted by ...") has the
    set's organizers too."""
    for noun, group in _of_a_set(text, sentence, sets, index):
        if noun.group(0).casefold() not in meeting.label.casefold():
            continue
        return _with_its_set(meeting, group)
    return meeting


def _with_its_set(meeting: Meeting, group: _Set) -> Meeting:
    """A meeting with the organizers of the set it is one of."""
    organizations = _and_others(meeting.organizations, group.organizers)
    venue = meeting.venue is not None
    return replace(
        meeting,
        organizations=organizations,
        confidence=_confidence(meeting.date_confidence, meeting.label, organizations, venue),
    )


def _told_of_a_set(
    text: str, sentence: Span, finder: NameFinder, sets: dict[str, _Set], index: int
) -> Iterator[Meeting]:
    """An undated sentence that tells one event of a dated set ("... held six seminars at
    UN headquarters in 2011. One seminar entitled "Migration Profiles ..." was organized
    as a GFMD thematic meeting."): that event, with the set's date and organizers. The
    quote runs from the set's sentence, which gives the date, to this one."""
    for noun, group in _of_a_set(text, sentence, sets, index):
        if group.date is None or group.told or not group.counted:
            continue
        orgs = organizations_in(text, sentence, finder)
        own = tuple(roles_in(text, sentence, orgs, noun))
        organizations = _and_others(own, group.organizers)
        label = _label(text, noun, sentence)
        carried = group.date.confidence * 0.8  # a date from another sentence
        yield Meeting(
            label=label,
            start=group.date.start,
            end=group.date.end,
            venue=None,
            organizations=organizations,
            evidence=Span(group.sentence.start, sentence.end),
            confidence=_confidence(carried, label, organizations, venue=False),
            date_confidence=carried,
        )


def _organized(
    text: str, sentence: Span, finder: NameFinder
) -> list[tuple[str, tuple[Found, ...]]]:
    """Event names of an undated sentence with the organizers it gives them ("The
    Population Division is organizing the Eighth Coordination Meeting")."""
    orgs = organizations_in(text, sentence, finder)
    if not orgs:
        return []
    roles = tuple(f for f in roles_in(text, sentence, orgs) if f.role in organizing_roles())
    if not roles:
        return []
    return [(_label(text, noun, sentence), roles) for noun in _event_nouns(text, sentence, orgs)]


def _with_organizers(meeting: Meeting, undated: list[tuple[str, tuple[Found, ...]]]) -> Meeting:
    """A meeting without organizers takes those an undated sentence gives the same event,
    named alike by at least three words on each side (a bare "meeting" is any meeting);
    so does one whose organizer only a cover names, the sentence's parts replacing the
    cover's for the organizations both name."""
    if not meeting.convened and any(f.role in organizing_roles() for f in meeting.organizations):
        return meeting
    if len(meeting.label.split()) < 3:
        return meeting
    for label, roles in undated:
        if (
            len(label.split()) > 2
            and fuzz.token_set_ratio(_name_key(label), _name_key(meeting.label)) >= 90
        ):
            return replace(meeting, organizations=_and_others(roles, meeting.organizations))
    return meeting


def _clauses(text: str, sentence: Span, year: int | None) -> list[Span]:
    """A sentence listing several dated events ("...(New York, 12 July 2006); the ...
    (Geneva, 4 July 2006)") as one clause per event; any other sentence whole."""
    cuts = [sentence.start + m.start() for m in re.finditer(";", sentence.of(text))]
    if not cuts:
        return [sentence]
    bounds = [sentence.start - 1, *cuts, sentence.end]
    pieces = [_trim(text, Span(a + 1, b)) for a, b in pairwise(bounds)]
    pieces = [piece for piece in pieces if piece.end > piece.start]
    dated = [p for p in pieces if find_dates(text, p.start, p.end, year=year)]
    return pieces if len(dated) > 1 else [sentence]


def _trim(text: str, span: Span) -> Span:
    piece = span.of(text)
    start = span.start + len(piece) - len(piece.lstrip())
    return Span(start, start + len(piece.strip()))


_NEAR = 200
_NEAR_LOWER = 120
"""How far (in characters) a date may stand from the name of the event it dates: a
capitalised name ("Seminar Series") carries further than a common noun ("a workshop")."""


def _meetings_in(
    text: str, sentence: Span, finder: NameFinder, places: NameFinder, year: int | None
) -> list[Meeting]:
    """The dated meetings of one sentence: each event noun with the date nearest to it
    (a date dates one event), "hearings on 12 July ... the Dialogue on 14-15 September"."""
    dates = [
        d
        for d in find_dates(text, sentence.start, sentence.end, year=year)
        if not _INSTRUMENT_DATE.search(text, max(sentence.start, d.begin - 30), d.begin)
    ]
    if not dates:
        return []
    orgs = organizations_in(text, sentence, finder)
    organized = any(f.role in organizing_roles() for f in roles_in(text, sentence, orgs))
    pairs: list[tuple[int, int, re.Match[str], DateMention]] = []
    covered: list[tuple[int, int]] = []
    names: dict[int, tuple[int, int]] = {}  # each event the sentence names, dated or not
    nouns = _event_nouns(text, sentence, orgs)
    named = {n.group(0)[:6].casefold() for n in nouns if n.group(0)[0].isupper()}
    # years printed just before an event's name ("the 2004 workshop"): no other's date
    owned = {
        d.begin
        for noun in nouns
        for d in dates
        if d.finish <= (start := _label_span(text, noun, sentence)[1])
        and not text[d.finish : start].strip()
    }
    for noun in nouns:
        if any(a <= noun.start() < b for a, b in covered):
            continue
        label, first, last = _label_span(text, noun, sentence)
        if not label[:1].isupper() and label[:6].casefold() in named:
            continue  # "the Seminar Series ... held four seminars": the named one
        covered.append((first, last))
        common = len(label.split()) == 1 and not label[:1].isupper()
        # a lower-case noun ("at its 68th session") yields to a named event nearby
        penalty = 0 if noun.group(0)[0].isupper() else 40
        if first > sentence.start and text[first - 1] in "\"\u201c\u00ab'\u2018":
            continue  # a noun in a quoted name ("Friends of the Forum")
        if _titled_by_another(text, sentence, noun):
            continue  # "a Conference on "..., Continuing the Dialogue"": the conference's
        names[noun.start()] = (first, last)
        outside = [d for d in dates if not (first <= d.begin and d.finish <= last)]
        line_start = text.rfind("\n", 0, first) + 1
        line_end = text.find("\n", last)
        before_line = text.rfind("\n", 0, max(0, line_start - 1)) + 1
        heading = (line_end if line_end >= 0 else len(text)) - line_start < 60 and (
            line_start == 0 or line_start - before_line < 60  # not the end of wrapped prose
        )
        # "the 2004 workshop": a year printed just before the name is its own date, unless
        # the sentence gives the day in that year ("the 2013 Dialogue, held on 3-4 October 2013")
        own = [d for d in dates if d.finish <= first and not text[d.finish : first].strip()]
        finer = [
            d
            for d in outside
            if own and d.start.year == own[0].start.year and _rank(d) > _rank(own[0])
        ]
        others = [d for d in outside or dates if d.begin not in owned]
        for date in finer or own or others:
            if common and date.start.precision == "year" and not organized:
                continue  # would be no event (see _meeting): leave the date to another noun
            distance = _distance(date, first, last)
            if heading and "\n" in text[min(date.finish, last) : max(date.begin, first)]:
                continue  # a heading line is not dated by the paragraph under it
            if distance <= (_NEAR if noun.group(0)[0].isupper() else _NEAR_LOWER):
                if date.finish <= first:
                    distance *= 2  # a date after the name is its own more often than one before
                # a day beats a bare year a few words nearer ("22 to 24 September, the
                # Regional Meeting for the Global Forum 2010")
                pairs.append(
                    (distance + penalty + 15 * (2 - _rank(date)), -_rank(date), noun, date)
                )
    used_dates: set[int] = set()
    used_nouns: set[int] = set()
    found: list[Meeting] = []
    chosen: list[tuple[re.Match[str], DateMention]] = []
    for _, _, noun, date in sorted(pairs, key=lambda p: (p[0], p[1])):
        if date.begin in used_dates or noun.start() in used_nouns:
            continue
        used_dates.add(date.begin)
        used_nouns.add(noun.start())
        chosen.append((noun, date))
    for noun, date in list(chosen):  # "(New York, 8 June 2006 and Geneva, 4 July 2006)"
        for other in dates:
            if other.begin in used_dates or not 0 < other.begin - date.finish <= 60:
                continue
            between = text[date.finish : other.begin]
            venue = any(places.find(text, date.finish, other.begin))
            if (venue and re.match(r"\s*(?:,\s*)?(?:and|e|et|y|&)\s", between)) or (
                (re.fullmatch(r"\s*(?:,|and|et|y|e|&)\s*", between) or _ONE_MORE.fullmatch(between))
                and other.start.precision == date.start.precision
            ):  # "the 2011 and 2012 editions", "two roundtables, one in April and one in October"
                used_dates.add(other.begin)
                chosen.append((noun, other))
    for noun, date in chosen:
        rivals = [span for start, span in names.items() if start != noun.start()]
        partners = _own_stretch(text, noun, names[noun.start()], rivals, orgs)
        meeting = _meeting(text, sentence, noun, date, partners, places, orgs)
        if meeting is not None:
            found.append(meeting)
    return found


_INSTRUMENT_DATE = re.compile(
    r"\d/\d{1,4}(?:\s?[A-Z])?,?\s+(?:of|del|du|de|dated)\s*$|\b(?:dated|adopted on)\s*$"
)
"""A date that dates an instrument ("resolution 58/208 of 13 February 2004"), not an event."""


_ORG_REACH = 200
"""How far (in characters) from an event's noun an organization may stand and still have
a part in it: further on, a long sentence is telling of something else ("asked UNFPA
and IOM to prepare, in collaboration with the GMG, [150 characters] for its session")."""


def _distance_to(span: Span, noun: re.Match[str]) -> int:
    """Characters between a name and an event noun."""
    if span.end <= noun.start():
        return noun.start() - span.end
    return max(0, span.start - noun.end())


_WRITTEN_NOUN = re.compile(
    r"\b(?:resolutions?|decisions?|reports?|declarations?|publications?|handbooks?|papers?|"
    r"studies|study|books?|statements?|résolutions?|décisions?|resoluci[oó]n|informes?)\b",
    re.IGNORECASE,
)
"""Nouns of a written text whose quoted title may name an event it is about."""


def _titled_by_another(text: str, sentence: Span, noun: re.Match[str]) -> bool:
    """Whether a noun stands inside the quoted title of another event noun or of a text
    just before the quote: a Conference on "Mainstreaming Migration ..., Continuing the
    Dialogue", a resolution on "IOM and the United Nations High-Level Dialogue ..."."""
    for title in _TITLE.finditer(text, sentence.start, sentence.end):
        if title.start() < noun.start() < title.end():
            before = text[max(sentence.start, title.start() - 40) : title.start()]
            return (EVENT_NOUN.search(before) or _WRITTEN_NOUN.search(before)) is not None
    return False


_ACRONYM_AFTER = re.compile(r"[\w\s,'\u2019-]{0,60}?[*_]*\s*\((?P<acronym>[A-Z][A-Za-z]*[A-Z])\)")
"""A name defined with its acronym: "Dialogue on Migration (IDM)"."""


def _standing(text: str, noun: re.Match[str], sentence: Span) -> bool:
    """Whether the event's name is a standing forum's: one defined with its acronym, as a
    body is ("the International Dialogue on Migration (IDM)"). Dated by a year alone, such
    a name tells of the process, not of one of its meetings; unless an ordinal counts it
    ("the first ever UN General Assembly High Level Dialogue ... (HLD)")."""
    after = _ACRONYM_AFTER.match(text, noun.end(), sentence.end)
    if after is None or "\n" in after.group():
        return False
    before = text[max(sentence.start, noun.start() - 80) : noun.start()]
    return _COUNTED.search(before) is None


_COUNTED = re.compile(rf"\b(?:{_ORDINAL_WORDS}|\d+(?:st|nd|rd|th))\b", re.IGNORECASE)
"""An ordinal that counts an event among others of its kind."""


def _distance(date: DateMention, start: int, end: int) -> int:
    """Characters between a date and an event's name."""
    if date.finish <= start:
        return start - date.finish
    return max(0, date.begin - end)


_ONE_MORE = re.compile(
    r"\s*,?\s*(?:and\s+)?(?:one|another|the other|the second)\s+(?:in|on|at)(?:\s+the)?\s*",
    re.IGNORECASE,
)
"""Between the dates of a set of events told one by one: "two roundtables, one in April 2004
and one in October 2004"."""


def _own_stretch(
    text: str,
    noun: re.Match[str],
    name: tuple[int, int],
    others: list[tuple[int, int]],
    orgs: list[OrgMention],
) -> list[OrgMention]:
    """The organizations of a sentence that may take part in one of the events it dates,
    where it dates several: "the 2003 workshop ... was held in partnership with the OECD
    and the World Bank, with the follow-up workshop convened in 2004 held in partnership
    with the World Bank and the WTO". One named after the next event's name is that
    event's; one between the last event's name and this one is the last event's, unless a
    verb makes it the subject of this one ("... in May, and UNFPA hosted a seminar in June")."""
    first, last = name
    after = [start for start, _ in others if start >= last]
    before = [end for _, end in others if end <= first]
    kept = []
    for org in orgs:
        if after and org.span.start >= min(after):
            continue
        if (
            before
            and max(before) <= org.span.start < first
            and not SUBJECT_VERB.search(text, org.span.end, noun.start())
        ):
            continue
        kept.append(org)
    return kept


def _meeting(
    text: str,
    sentence: Span,
    noun: re.Match[str],
    date: DateMention,
    orgs: list[OrgMention],
    places: NameFinder,
    named: list[OrgMention] | None = None,
) -> Meeting | None:
    """The meeting a noun and its date tell, with the parts `orgs` take in it; `named` (all
    the sentence names, `orgs` if not given) may hold the body an "its" before the noun
    stands for ("organized by the General Assembly during its sixty-eighth session")."""
    series = bool(
        _SERIES_AFTER.match(text, noun.end())
        or _SERIES_BEFORE.search(text, max(sentence.start, noun.start() - 20), noun.start())
    )
    label = _without_place(_label(text, noun, sentence), places)
    titled = label[:1].isupper()
    generic = len(label.split()) == 1 and not titled
    scope = _scope(text, sentence, noun)
    in_scope = [
        o for o in orgs if _overlap(o.span, scope) and _distance_to(o.span, noun) <= _ORG_REACH
    ]
    named_in_scope = [o for o in (orgs if named is None else named) if _overlap(o.span, scope)]
    found = with_own_body(text, noun, tuple(roles_in(text, scope, in_scope, noun)), named_in_scope)
    if (
        date.start.precision == "year"
        and generic
        and not any(f.role in organizing_roles() for f in found)
    ):
        return None  # "the meetings of 2011": a passing mention, not a dated event
    if date.start.precision == "year" and _standing(text, noun, sentence):
        return None  # "The IDM celebrated in 2011 its 10th anniversary": a forum, not a meeting
    venues = list(places.find(text, sentence.start, sentence.end))
    known = min(venues, key=lambda v: abs(v.span.start - date.begin)) if venues else None
    return Meeting(
        label=label,
        start=date.start,
        end=date.end,
        venue=known.key if known else None,
        venue_text=known.text if known else _unknown_venue(text, sentence, orgs),
        organizations=found,
        evidence=sentence,
        confidence=_confidence(date.confidence, label, found, known is not None),
        series=series,
        date_confidence=date.confidence,
    )


def _confidence(dated: float, label: str, found: tuple[Found, ...], venue: bool) -> float:
    """How sure a meeting is an event: its date's confidence, less for a plain name ("a
    workshop"), unless a verb or cue gives it an organizer, and less again with no
    organization and no venue."""
    titled = label[:1].isupper()
    generic = len(label.split()) == 1 and not titled
    organized = any(f.role in organizing_roles() for f in found)
    confidence = dated * (1.0 if titled or organized else 0.75)
    confidence *= 0.7 if generic and not organized else 1.0
    if not found and not venue:
        confidence *= 0.8
    return round(confidence, 2)


_SERIES_AFTER = re.compile(r"\s+series\b", re.IGNORECASE)
_SERIES_BEFORE = re.compile(r"\bseries\s+of\s+(?:\w+\s+)?$", re.IGNORECASE)
"""An event noun that names a series ("Seminar Series", "a series of workshops"): a
series is not one dated event (the curation's `kind: series`, schema:EventSeries)."""
_LEADING_PHRASE = re.compile(
    r"(?:Prior to|Before|After|Following|Ahead of|In (?:preparation|the run-up) (?:for|to)|"
    r"On the (?:occasion|margins?|sidelines) of|During|Avant|Après|Lors d[eu]|Antes de|"
    r"Después de|Durante|Prima d[ie]|Dopo|Durante)\b[^,;]*,",
)
"""A leading phrase that names another event than the sentence's own ("Prior to the
Dialogue that took place in New York on 14-15 September 2006, UNITAR launched ...")."""


def _scope(text: str, sentence: Span, noun: re.Match[str]) -> Span:
    """The part of a sentence whose organizations an event may have: a leading phrase
    ("Prior to the Dialogue ..., ") and the rest of the sentence belong to different events."""
    lead = _LEADING_PHRASE.match(text, sentence.start, sentence.end)
    if lead is None:
        return sentence
    if noun.start() < lead.end():
        return Span(sentence.start, lead.end())
    return Span(lead.end(), sentence.end)


def _heading(
    text: str,
    spans: list[Span],
    index: int,
    finder: NameFinder,
    places: NameFinder,
    year: int | None,
) -> Meeting | None:
    """An event page's heading: a title line with an event noun, maybe a venue line, then
    a line that is only a date ("21 February 2013 to 22 February 2013"). On the cover of
    a meeting's paper the date line also names who convenes it, the unit first and the
    bodies it belongs to after ("Population Division / Department of Economic and Social
    Affairs / New York, 9-10 February 2012"): the unit is the organizer."""
    line = spans[index]
    dates = find_dates(text, line.start, line.end, year=year)
    orgs = [o for o in organizations_in(text, line, finder) if o.key is not None]
    printed = sum(d.finish - d.begin for d in dates)
    printed += sum(len(p.text) for p in places.find(text, line.start, line.end))
    printed += sum(o.span.end - o.span.start for o in orgs)
    if not dates or dates[0].start.precision != "day" or (line.end - line.start) - printed > 12:
        return None
    venue = next(iter(places.find(text, line.start, line.end)), None)
    convener = tuple(
        Found(o.text, o.key, "organizer", o.span, o.confidence)
        for o in orgs[:1]
        if o.span.end <= dates[0].begin
    )
    for back in range(index - 1, max(-1, index - 4), -1):
        previous = spans[back]
        if line.start - previous.end > 300 or previous.end - previous.start > 160:
            return None
        words = " ".join(previous.of(text).split())
        place = next(iter(places.find(text, previous.start, previous.end)), None)
        if place is not None and len(" ".join(place.text.split())) >= len(words) - 2:
            venue = place
            continue
        noun = EVENT_NOUN.search(text, previous.start, previous.end)
        if noun is None or words.endswith(".") or find_dates(text, previous.start, previous.end):
            return None
        return Meeting(
            label=_without_place(_MARKUP.sub("", words).strip(), places),
            start=dates[0].start,
            end=dates[0].end,
            venue=venue.key if venue else None,
            venue_text=venue.text if venue else None,
            organizations=convener,
            evidence=Span(previous.start, line.end),
            confidence=round(0.9 * dates[0].confidence, 2),
            convened=bool(convener),
        )
    return None


_MARKUP = re.compile(r"\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)")
"""Markdown emphasis around a heading's words ("**TENTH COORDINATION MEETING**")."""
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,\s*$", re.MULTILINE)
"""A press dateline before a date ("ATHENS, 8 November 2009"): when it was written."""


def _listed(
    text: str, spans: list[Span], index: int, places: NameFinder, year: int | None
) -> Meeting | None:
    """One of a list of lines that are only dates, under a sentence that names the kind of
    event they are ("information about each roundtable" / "17 September 2013" / ...)."""
    line = spans[index]
    date = _date_line(text, line, places, year)
    if date is None:
        return None
    near = range(max(0, index - 3), min(len(spans), index + 4))
    if not any(i != index and _date_line(text, spans[i], places, year) for i in near):
        return None
    for back in range(index - 1, max(-1, index - 8), -1):
        previous = spans[back]
        if line.start - previous.end > 600:
            return None
        if _date_line(text, previous, places, year):
            continue
        noun = EVENT_NOUN.search(text, previous.start, previous.end)
        if noun is not None:
            return Meeting(
                label=_label(text, noun, previous),
                start=date.start,
                end=date.end,
                venue=None,
                organizations=(),
                evidence=line,
                confidence=round(0.6 * date.confidence, 2),
            )
    return None


def _date_line(text: str, line: Span, places: NameFinder, year: int | None) -> DateMention | None:
    """The date of a line that says nothing else (a weekday or a venue at most)."""
    dates = find_dates(text, line.start, line.end, year=year)
    printed = sum(d.finish - d.begin for d in dates)
    printed += sum(len(p.text) for p in places.find(text, line.start, line.end))
    if len(dates) != 1 or dates[0].start.precision != "day":
        return None
    return dates[0] if (line.end - line.start) - printed <= 12 else None


def _lead(
    text: str,
    spans: list[Span],
    index: int,
    finder: NameFinder,
    places: NameFinder,
    year: int | None,
) -> Meeting | None:
    """The lead sentence of an article under a heading that names an event: "High-level
    Dialogue of the General Assembly" / "On 14 and 15 September, the Assembly will ..."."""
    if index == 0:
        return None
    sentence, heading = spans[index], spans[index - 1]
    dates = [
        d
        for d in find_dates(text, sentence.start, sentence.end, year=year)
        if d.start.precision == "day"
        and d.begin - sentence.start <= 40
        and not _DATELINE.search(text, sentence.start, d.begin)
    ]
    words = " ".join(heading.of(text).split())
    if not dates or len(words) > 120 or words.endswith((".", ":", ",", ";")):
        return None
    if "\n" not in text[heading.end : sentence.start]:
        return None  # not a heading of its own line
    if find_dates(text, heading.start, heading.end) or not EVENT_NOUN.search(words):
        return None
    if not any(c.islower() for c in words) or sum(w[:1].isupper() for w in words.split()) < 2:
        return None
    orgs = organizations_in(text, sentence, finder)
    venues = list(places.find(text, sentence.start, sentence.end))
    known = min(venues, key=lambda v: abs(v.span.start - dates[0].begin)) if venues else None
    return Meeting(
        label=words.split(": ")[-1],
        start=dates[0].start,
        end=dates[0].end,
        venue=known.key if known else None,
        venue_text=known.text if known else None,
        organizations=tuple(roles_in(text, sentence, orgs)),
        evidence=Span(heading.start, sentence.end),
        confidence=round(0.7 * dates[0].confidence, 2),
    )


def _without_place(label: str, places: NameFinder) -> str:
    """A label without the venue printed after it ("... MIGRATION New York")."""
    for place in places.find(label):
        if place.span.end == len(label) and place.span.start > 0:
            return label[: place.span.start].rstrip(" ,-(") or label
    return label


def _merged(found: list[Meeting]) -> Iterator[Meeting]:
    """One meeting for each event a text tells of more than once (names alike, dates that
    can be the same), the most precise telling kept, with every organization named."""
    kept: list[Meeting] = []
    for meeting in sorted(found, key=lambda m: (-_precision(m), m.evidence.start)):
        index = next((i for i, k in enumerate(kept) if _same_event(k, meeting)), None)
        if index is None:
            kept.append(meeting)
            continue
        same = kept[index]
        organizations = _and_others(same.organizations, meeting.organizations)
        extra = organizations[len(same.organizations) :]
        kept[index] = replace(
            same,
            organizations=organizations,
            venue=same.venue or meeting.venue,
            venue_text=same.venue_text or meeting.venue_text,
            convened=same.convened and not any(f.role in organizing_roles() for f in extra),
            confidence=max(same.confidence, meeting.confidence),  # as sure as its surest telling
        )
    yield from sorted(kept, key=lambda m: m.evidence.start)


def _precision(meeting: Meeting) -> int:
    return {"day": 2, "month": 1, "year": 0}[meeting.start.precision]


def _same_event(a: Meeting, b: Meeting) -> bool:
    if not (a.start.first_day() <= b.end.last_day() and b.start.first_day() <= a.end.last_day()):
        return False
    plain = any(len(m.label.split()) == 1 and m.label.islower() for m in (a, b))
    if plain and a.label != b.label and "day" not in (a.start.precision, b.start.precision):
        return False  # "a workshop" in 2004 is not surely "the workshop on Health" of 2004
    return fuzz.token_set_ratio(_name_key(a.label), _name_key(b.label)) >= 90


def _name_key(label: str) -> str:
    return " ".join(re.sub(r"[-\u2010-\u2015]", " ", label).casefold().split())


_MEETING_BODY = re.compile(r"\b(?:Conference|Forum|Dialogue|Consultations?)\b")
"""Nouns of bodies that are also their meetings: "the Global Forum on Migration and
Development 2010", "the International Labour Conference, in 2004"."""


_ITS_MEETING = re.compile(r"meetings?|sessions?", re.IGNORECASE)
"""After a body that meets, a noun that is that meeting ("the first Global Forum meeting"),
not another event of the body's ("the International Dialogue on Migration workshop")."""


def _event_nouns(text: str, sentence: Span, orgs: list[OrgMention]) -> list[re.Match[str]]:
    """The event nouns of a sentence that are not part of an organization's name."""
    nouns = list(EVENT_NOUN.finditer(text, sentence.start, sentence.end))
    return [noun for noun in nouns if not _in_a_name(text, noun, nouns, orgs)]


def _in_a_name(
    text: str, noun: re.Match[str], nouns: list[re.Match[str]], orgs: list[OrgMention]
) -> bool:
    """Whether an event noun only stands in an organization's name: not where the body is
    one that meets (a forum, a conference), unless its name there owns another event
    ("the International Dialogue on Migration workshop")."""
    within = [o for o in orgs if o.span.start <= noun.start() < o.span.end]
    if not within:
        return False
    if not _MEETING_BODY.fullmatch(noun.group(0)):
        return True
    return any(
        owns(text, other, org)
        for org in within
        for other in nouns
        if other is not noun and not _ITS_MEETING.fullmatch(other.group(0))
    )


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


_LABEL_JOINERS = _JOINERS | frozenset(
    {"the", "de", "des", "du", "la", "di", "del", "della", "dello", "degli", "sur", "sobre", "su"}
    | {"to"}  # after the noun: "workshop on Approaches to Data Collection"
)
_ORDINAL = re.compile(
    r"(?!(?:19|20)\d\d\b)\d+(?:st|nd|rd|th|a|ma|º|°|e|ème)?"  # not a year: "the 2004 workshop"
    r"|first|second|third|\w*(?:th|-first|-second|-third)"
    r"|premi[eè]re?|primer[oa]?|prim[oa]|second[oa]|terz[oa]|tercer[oa]?",
    re.IGNORECASE,
)


def _label(text: str, noun: re.Match[str], sentence: Span) -> str:
    """An event's name: a quoted title after its noun, else the capitalised words around
    the noun ("Third Coordination Meeting on International Migration"), with an ordinal
    and an "of the ..." complement ("third meeting of the Global Forum ...")."""
    title = _TITLE.search(text, noun.start(), min(sentence.end, noun.end() + 260))
    if title is None or not _titles_it(text[noun.end() : title.start()]):
        title = _TITLE_BEFORE.search(text, max(sentence.start, noun.start() - 220), noun.start())
    if title:
        return " ".join(title["title"].replace("**", "").split()).rstrip(",;:")
    label, _, _ = _label_span(text, noun, sentence)
    return label


def _label_span(text: str, noun: re.Match[str], sentence: Span) -> tuple[str, int, int]:
    words = list(_LABEL_WORD.finditer(text[sentence.start : sentence.end]))

    def joined(a: int, b: int) -> bool:
        """Whether words a and b (a < b) stand in one name: parted by spaces (one line
        break where prose is wrapped) and, between them, small words only."""
        gap = text[sentence.start + words[a].end() : sentence.start + words[b].start()]
        gap = _MARKUP.sub("", gap)  # "Session of the **IOM Council**"
        small = all(word.lower() in _LABEL_JOINERS for word in gap.split())
        if not small or re.search(r"[^\w\s&]", gap) or gap.count("\n") > 1:
            return False
        if "\n" in gap:  # a wrapped line of prose, not a heading above a paragraph
            line_start = text.rfind("\n", 0, sentence.start + words[a].start()) + 1
            return sentence.start + words[a].end() - line_start >= 50
        return True

    # the word that holds the noun, which may start before it ("x-workshop", "IOM's'workshop")
    index = next(i for i, w in enumerate(words) if sentence.start + w.end() > noun.start())
    first = index
    while (
        first > 0
        and (
            (
                words[first - 1].group(0)[:1].isupper()
                and words[first - 1].group(0) not in ENGLISH_MONTHS  # "the 2011 May ... Debate"
                and joined(first - 1, first)
            )
            or (
                first > 1
                and words[first - 1].group(0).lower() in _JOINERS
                and words[first - 2].group(0)[:1].isupper()
                and joined(first - 2, first)
            )
        )
    ):
        first -= 1 if words[first - 1].group(0)[:1].isupper() else 2
    if first == index and first > 0 and _ORDINAL.fullmatch(words[first - 1].group(0)):
        first -= 1
    if words[first].group(0) in {"The", "A", "An"} and first < index:
        first += 1
    last = index
    while (
        last + 1 < len(words) and words[last + 1].group(0)[:1].isupper() and joined(last, last + 1)
    ):
        last += 1
    while last + 1 < len(words) and words[last + 1].group(0).lower() in _LABEL_JOINERS:
        ahead = last + 1
        while ahead < len(words) and words[ahead].group(0).lower() in _LABEL_JOINERS:
            ahead += 1
        if ahead >= len(words) or not words[ahead].group(0)[:1].isupper():
            break
        if not joined(last, ahead):
            break
        last = ahead
        while (
            last + 1 < len(words)
            and words[last + 1].group(0)[:1].isupper()
            and joined(last, last + 1)
        ):
            last += 1
    start = sentence.start + words[first].start()
    end = sentence.start + words[last].end()
    label = " ".join(_MARKUP.sub("", text[start:end]).split())
    label = re.sub(r"\s*\([^)]*$", "", label)  # "Dialogue (HLD": no unclosed bracket
    return label, start, end


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
