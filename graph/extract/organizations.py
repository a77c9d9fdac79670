"""Organizations named in running text: registry spellings and "Full Name (ACRONYM)" pairs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from graph.extract.dates import ENGLISH_MONTHS
from graph.model.statements import Span

_PAIR = re.compile(r"\(([A-Z][A-Za-z&\-]{1,11})\)")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class OrgMention:
    """A name found in text, with the registry id it resolves to (None when unknown)."""

    text: str
    span: Span
    key: str | None
    confidence: float = field(default=1.0, compare=False)
    """How sure the finder is that the name is this organization (0..1)."""


@dataclass(frozen=True)
class AcronymPair:
    """A "Full Name (ACRONYM)" definition found in text (or "ACRONYM (Full Name)")."""

    name: str
    acronym: str
    span: Span
    reverse: bool = field(default=False, compare=False)
    """True for the acronym-first order."""
    confidence: float = field(default=0.9, compare=False)


HYPHENED_ROLES = {"led": "organizer", "organized": "organizer", "organised": "organizer",
                  "convened": "organizer", "hosted": "host", "funded": "funder",
                  "supported": "supporter"}  # fmt: skip
"""The part an organization takes in what its hyphened adjective describes ("IOM-led
initiatives ... include the ... workshop", "a UNFPA-funded seminar"; graph/extract/roles.py)."""
HYPHENED_ROLE = re.compile(rf"[-\u2010\u2011](?P<word>{'|'.join(HYPHENED_ROLES)})\b")
"""After a name, one of those hyphened words: the name stands on its own."""


class NameFinder:
    """Finds known names (registry labels, acronyms, spellings) in text, longest first."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        table = {name: key for name, key in names if len(name) >= 2}
        self._keys = table
        self._spaced = {" ".join(name.split()): key for name, key in table.items()}
        alternatives = sorted(table, key=len, reverse=True)
        body = "|".join(_pattern(name) for name in alternatives)
        self._pattern = (
            re.compile(rf"(?<![\w-])(?:{body})(?:(?![\w-])|(?={HYPHENED_ROLE.pattern}))")
            if body
            else None
        )

    def find(self, text: str, start: int = 0, end: int | None = None) -> Iterator[OrgMention]:
        """Every known name in text[start:end], with absolute spans. Names a slash joins
        count ("Population Division/DESA", "IOM/UNHCR"); a name inside a document symbol
        or an address ("E/ESCAP/63/1", "www.un.org/desa") does not."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(text, start, len(text) if end is None else end):
            if _in_symbol(text, match.start(), match.end()):
                continue
            name = match.group(0)
            key = self._keys.get(name) or self._spaced[" ".join(name.split())]
            yield OrgMention(name, Span(match.start(), match.end()), key)


class BodyFinder(NameFinder):
    """Finds the bodies that adopt instruments, keyed by the acronym a symbol is written
    with, and knows the organ in which each organization's Member States adopt them."""

    def __init__(self, names: Iterable[tuple[str, str]], plenaries: Mapping[str, str]) -> None:
        super().__init__(names)
        self._plenaries = dict(plenaries)

    def plenary(self, key: str) -> str:
        """The key of the organ in which the Member States of `key` adopt resolutions ("IOM"
        gives "IOM-COUNCIL"); an organization with none adopts them itself."""
        return self._plenaries.get(key, key)


def _in_symbol(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], joined to its neighbours by a slash, stands in a document
    symbol or an address: a run without spaces that holds a digit or a dot."""
    if text[start - 1 : start] != "/" and text[end : end + 1] != "/":
        return False
    before = _RUN_BEFORE.search(text, max(0, start - 80), start)
    after = _RUN_AFTER.match(text, end, end + 80)
    run = (before.group() if before else "") + (after.group() if after else "")
    return any(c.isdigit() or c == "." for c in run)


_RUN_BEFORE = re.compile(r"[\w.:/-]*$")
_RUN_AFTER = re.compile(r"[\w.:/-]*")


def _pattern(name: str) -> str:
    """A name as a pattern; a name of words that one space parts also matches across a
    line break or a run of spaces ("United Nations\\nPopulation Fund")."""
    if " " in name and name == " ".join(name.split()):
        return r"\s+".join(re.escape(word) for word in name.split(" "))
    return re.escape(name)


def acronym_pairs(text: str, start: int = 0, end: int | None = None) -> Iterator[AcronymPair]:
    """Name-acronym pairs in both orders, "Full Name (ACR)" and "ACR (Full Name)", in text
    order; a pair whose long form ends in an event noun ("High-level Dialogue (HLD)")
    names an event, not an organization, and is left out.

    The long form is found by the Schwartz-Hearst algorithm (PSB 2003): it is looked for
    in the min(|A|+5, 2|A|) words before the parenthesis (or is the parenthesis), the
    acronym's characters must occur in it right to left, the first one at the start of a
    word.
    """
    pairs = [*_forward_pairs(text, start, end), *reverse_acronym_pairs(text, start, end)]
    for pair in sorted(pairs, key=lambda p: p.span.start):
        if re.split(r"[\s-]+", pair.name)[-1] not in _EVENT_ENDINGS:
            yield pair


def _forward_pairs(text: str, start: int = 0, end: int | None = None) -> Iterator[AcronymPair]:
    stop = len(text) if end is None else end
    for match in _PAIR.finditer(text, start, stop):
        acronym = match.group(1)
        if sum(c.isupper() for c in acronym) < 2:
            continue
        line_start = max(text.rfind("\n", 0, match.start()) + 1, start)
        words = list(_TOKEN.finditer(text, line_start, match.start()))
        limit = min(len(acronym) + 5, 2 * len(acronym))
        candidate = " ".join(w.group(0) for w in words[-limit:])
        long_form = _best_long_form(acronym, candidate) if candidate else None
        if long_form is None or not long_form[0].isupper():
            continue
        name_start = words[-len(long_form.split())].start()
        yield AcronymPair(long_form, acronym, Span(name_start, match.end()))


def _best_long_form(short: str, long: str) -> str | None:
    s_index = len(short) - 1
    l_index = len(long) - 1
    while s_index >= 0:
        char = short[s_index].lower()
        if not char.isalnum():
            s_index -= 1
            continue
        while (l_index >= 0 and long[l_index].lower() != char) or (
            s_index == 0 and l_index > 0 and long[l_index - 1].isalnum()
        ):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    l_index = long.rfind(" ", 0, l_index + 1) + 1
    return long[l_index:]


_REVERSE_PAIR = re.compile(
    r"(?<![\w-])(?P<acronym>[A-Z][A-Za-z&\-]{1,11})\s*\((?P<name>[A-Z][^()\n]{4,150}?)\)"
)
"""ACR (Full Name): the acronym first, as press notes and event pages often print it."""


def reverse_acronym_pairs(
    text: str, start: int = 0, end: int | None = None
) -> Iterator[AcronymPair]:
    """ "ACR (Full Name)" pairs: the long form must spell the acronym as acronym_pairs asks."""
    stop = len(text) if end is None else end
    for match in _REVERSE_PAIR.finditer(text, start, stop):
        acronym, name = match["acronym"], " ".join(match["name"].split())
        if sum(c.isupper() for c in acronym) < 2 or name[0].lower() != acronym[0].lower():
            continue
        if _best_long_form(acronym, name) != name or len(name.split()) > 2 * len(acronym):
            continue
        yield AcronymPair(name, acronym, Span(match.start(), match.end()), reverse=True)


@dataclass(frozen=True)
class OrgCandidate:
    """An organization named in text: known to the registry (key) or a candidate for it.

    `kind` says how it was found (registry, acronym, government, ministry, body) and
    `confidence` (0..1) how sure the finder is that the name is an organization.
    """

    text: str
    span: Span
    key: str | None
    kind: str
    confidence: float
    acronym: str | None = None


_CAP = r"(?:[A-Z\u00c0-\u00de][\w\u2019'&-]*)"
_JOINERS = frozenset(
    [
        "of",
        "for",
        "on",
        "and",
        "the",
        "in",
        "to",
        "against",
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "del",
        "y",
        "e",
        "et",
        "di",
        "della",
        "delle",
        "degli",
        "dei",
        "dello",
        "per",
        "sulla",
        "sur",
        "pour",
        "para",
        "las",
        "los",
        "&",
    ]
)
_AND = frozenset({"and", "&", "y", "e", "et"})
_GOVERNMENT = re.compile(
    rf"(?<![\w-])(?:Government|Gouvernement|Gobierno|Governo)\s+(?:of|de|du|di|del|dell['\u2019])"
    rf"\s*(?:the\s+|la\s+|l['\u2019]\s*)?(?P<country>{_CAP}(?:\s+{_CAP}){{0,3}})"
    rf"|(?<![\w-])(?P<adjective>(?:Royal\s+)?[A-Z][a-z]+)\s+Government(?![\w-])"
)
_HEADS = frozenset(
    [
        "Commission",
        "Committee",
        "Council",
        "Fund",
        "Programme",
        "Program",
        "Organization",
        "Organisation",
        "Office",
        "Division",
        "Department",
        "Agency",
        "Bank",
        "Institute",
        "Institution",
        "Foundation",
        "Group",
        "Secretariat",
        "Board",
        "Centre",
        "Center",
        "Network",
        "Union",
        "Association",
        "Federation",
        "Alliance",
        "Coalition",
        "Society",
        "Force",
        "University",
        "Ministry",
        "Ministries",
        "Authority",
        "Bureau",
        "Observatory",
        "Court",
        "Parliament",
    ]
)
"""English nouns that end the name of a body ("Task Force", "Population Division")."""
_LEADING_HEADS = frozenset(
    [
        "Comité",
        "Conseil",
        "Fonds",
        "Agence",
        "Banque",
        "Institut",
        "Fondation",
        "Groupe",
        "Secrétariat",
        "Réseau",
        "Université",
        "Ministère",
        "Département",
        "Comisión",
        "Consejo",
        "Fondo",
        "Programa",
        "Organización",
        "Oficina",
        "División",
        "Departamento",
        "Agencia",
        "Banco",
        "Instituto",
        "Fundación",
        "Grupo",
        "Secretaría",
        "Centro",
        "Universidad",
        "Ministerio",
        "Commissione",
        "Comitato",
        "Consiglio",
        "Programma",
        "Organizzazione",
        "Ufficio",
        "Divisione",
        "Dipartimento",
        "Agenzia",
        "Banca",
        "Istituto",
        "Fondazione",
        "Gruppo",
        "Segretariato",
        "Università",
        "Ministero",
        "Regione",
        "Provincia",
        "Comune",
    ]
)
"""Nouns that open the name of a body in French, Spanish and Italian ("Regione Piemonte")."""
_HEAD_ONLY = frozenset({"Task", "Working", "Executive", "Force", "Group", "Board"})
_STOP_WORDS = ENGLISH_MONTHS | frozenset(
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Resolution",
        "Resolutions",
        "Report",
        "Declaration",
        "Convention",
        "Protocol",
        "Size",
        "Transcription",
        "Download",
        "Adopts",
        "Welcomes",
        "Says",
        "Statement",
        "Headquarters",
        "Room",
    ]
)
"""Capitalised words that end a name: dates, documents, headline verbs, venues."""
_NOT_ORGANIZATIONS = re.compile(
    r"\b(?:Programme|Plan|Platform|Programa)\s+(?:of|for|de)\s+(?:Action|Acci[óo]n)\b"
    r"|^Conference\s+(?:Centre|Center)"
)
_LEADING = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "By",
        "For",
        "With",
        "From",
        "This",
        "That",
        "These",
        "Those",
        "Its",
        "His",
        "Her",
        "Their",
        "Our",
        "Some",
        "All",
        "Each",
        "Every",
        "Both",
        "Following",
        "Under",
        "Since",
        "As",
        "Of",
        "To",
        "And",
        "Also",
        "During",
        "Through",
        "Upon",
        "Le",
        "La",
        "Les",
        "Il",
        "Lo",
        "El",
        "Los",
        "Las",
        "Der",
        "Die",
        "Das",
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
    ]
)
_PERSONS = frozenset(
    [
        "Chair",
        "Director",
        "President",
        "Secretary",
        "Special",
        "Under-Secretary",
        "Deputy",
        "Minister",
        "Head",
        "Ambassador",
        "Representative",
        "Rapporteur",
    ]
)
_EVENT_WORDS = frozenset(
    [
        "Dialogue",
        "Conference",
        "Summit",
        "Meeting",
        "Session",
        "Symposium",
        "Workshop",
        "Seminar",
        "Congress",
        "Hearing",
        "Hearings",
        "Consultation",
        "Consultations",
        "Round",
        "Panel",
        "Debate",
    ]
)
"""Long forms with these words name events, not organizations ("High-level Dialogue (HLD)")."""
_TRAILING_JOIN = re.compile(r"(?:\s+(?:of|for|on|and|the|in|de|du|di|del|y|e|et))+$")
_EVENT_ENDINGS = _EVENT_WORDS - {"Consultation", "Consultations", "Round", "Panel"}
"""Last words of names of events; consultations are bodies too ("Caribbean Migration
Consultations (CMC)", "Asia-Pacific Consultations")."""
_WORD = re.compile(r"[^\s,;:()\[\]\"“”.!?]+|[.,;:()\[\]\"“”!?]")


def find_organizations(
    text: str, finder: NameFinder | None = None, start: int = 0, end: int | None = None
) -> list[OrgCandidate]:
    """Every organization named in text[start:end], known or not, without overlaps.

    Registry names first (confidence 1), then "Full Name (ACR)" and "ACR (Full Name)"
    pairs, "Government of X" and "Royal Thai Government", ministries, and capitalised
    names headed by a noun that names bodies ("Commission", "Working Group", "Fondazione"):
    these are candidates with a confidence below 1, kept for review, never dropped.
    """
    stop = len(text) if end is None else end
    found = _Index()
    if finder is not None:
        for mention in finder.find(text, start, stop):
            found.add(OrgCandidate(mention.text, mention.span, mention.key, "registry", 1.0))

    def free(span: Span) -> bool:
        """No candidate found before stands there (registry names are weighed by add)."""
        return not any(f.kind != "registry" for f in found.near(span))

    def add(candidate: OrgCandidate) -> None:
        near = found.near(candidate.span)
        covered = sum(
            min(k.span.end, candidate.span.end) - max(k.span.start, candidate.span.start)
            for k in near
            if k.kind == "registry"
        )
        if covered >= 0.6 * (candidate.span.end - candidate.span.start):
            return
        if any(
            k.kind == "registry"
            and k.span.start > candidate.span.start
            and _COORDINATED.search(text, candidate.span.start, k.span.start)
            for k in near
        ):
            return  # "the World Bank and the WTO on ...": two names, not one body
        for other in near:
            if other.kind != "registry":
                found.remove(other)
        found.add(candidate)

    for pair in acronym_pairs(text, start, stop):
        if free(pair.span):
            add(OrgCandidate(pair.name, pair.span, None, "acronym", 0.9, pair.acronym))
    for match in _GOVERNMENT.finditer(text, start, stop):
        span = Span(match.start(), match.end())
        if match["country"]:
            country = _TRAILING_JOIN.sub("", match["country"])
            span = Span(match.start(), match.start("country") + len(country))
            label, confidence = f"Government of {' '.join(country.split())}", 0.85
        else:
            if match["adjective"].split()[-1] in _LEADING:
                continue
            label, confidence = " ".join(match.group(0).split()), 0.7
        if free(span):
            add(OrgCandidate(label, span, None, "government", confidence))
    for candidate in _bodies(text, start, stop):
        if free(candidate.span):
            add(candidate)
    return sorted(found.all(), key=lambda f: f.span.start)


_COORDINATED = re.compile(r"\s(?:and|et|y|e)\s+(?:the\s+|la\s+|le\s+|el\s+|l')?$")
"""The end of the stretch before a second name in a list ("... and the WTO")."""


class _Index:
    """Organizations found so far, looked up by the stretch of text they cover (a whole
    report holds thousands: a list scanned for each new one would take minutes)."""

    _SIZE = 256

    def __init__(self) -> None:
        self._buckets: dict[int, list[OrgCandidate]] = {}

    def _keys(self, span: Span) -> range:
        return range(
            span.start // self._SIZE, (max(span.end, span.start + 1) - 1) // self._SIZE + 1
        )

    def add(self, item: OrgCandidate) -> None:
        for key in self._keys(item.span):
            self._buckets.setdefault(key, []).append(item)

    def remove(self, item: OrgCandidate) -> None:
        for key in self._keys(item.span):
            self._buckets[key].remove(item)

    def near(self, span: Span) -> list[OrgCandidate]:
        """The items that overlap a span."""
        seen: dict[int, OrgCandidate] = {}
        for key in self._keys(span):
            for item in self._buckets.get(key, ()):
                if _overlap(item.span, span):
                    seen[id(item)] = item
        return list(seen.values())

    def all(self) -> list[OrgCandidate]:
        """Every item, once."""
        return list({id(i): i for items in self._buckets.values() for i in items}.values())


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and word not in _STOP_WORDS


def _bodies(text: str, start: int, stop: int) -> Iterator[OrgCandidate]:
    """Names of bodies: capitalised words before a head noun ("Population Division"), or
    after one that opens names ("Regione Piemonte"), with their "of ..." complement."""
    words = list(_WORD.finditer(text, start, stop))
    index = 0
    while index < len(words):
        word = words[index].group(0)
        english = word in _HEADS or (word == "Group" and index > 0)
        if not (english or word in _LEADING_HEADS):
            index += 1
            continue
        if english:  # the last head of "Civil Society Task Force" is its head
            ahead = index + 1
            while ahead < len(words) and _capitalised(words[ahead].group(0)):
                if words[ahead].group(0) in _HEADS:
                    index = ahead
                ahead += 1
        first = index
        if english:  # capitalised modifiers before the head, "Economic and Social" among them
            while first > 0:
                before = words[first - 1].group(0)
                if (
                    _capitalised(before)
                    and before not in _LEADING
                    and not before.endswith(("\u2019s", "'s"))
                ):
                    first -= 1
                elif (
                    before in _AND
                    and first > 1
                    and _capitalised(words[first - 2].group(0))
                    and words[first - 2].group(0) not in _LEADING
                ):
                    first -= 2
                else:
                    break
        last = index
        if not english:  # "Regione Piemonte", "Fondazione Cassa di Risparmio"
            while last + 1 < len(words) and _capitalised(words[last + 1].group(0)):
                last += 1
        last = _complement(words, last)
        index = max(last, index) + 1
        names = [w.group(0) for w in words[first : last + 1]]
        if len(names) < 2 or all(n in _HEADS or n in _HEAD_ONLY for n in names):
            continue
        if names[0] in _PERSONS or any(n in _EVENT_WORDS for n in names):
            continue
        span = Span(words[first].start(), words[last].end())
        name = " ".join(span.of(text).split())
        if _NOT_ORGANIZATIONS.search(name):
            continue
        ministry = names[0].startswith(("Minist", "Depart", "Dipart")) or any(
            n.startswith("Minist") for n in names
        )
        confidence = 0.75 if ministry else 0.55
        if re.search(r"\b(?:United Nations|UN|International|Regional|National|Global)\b", name):
            confidence += 0.15
        kind = "ministry" if ministry else "body"
        yield OrgCandidate(name, span, None, kind, round(confidence, 2))


def _acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _complement(words: list[re.Match[str]], last: int) -> int:
    """The last word of a name's complement: "... for Asia and the Pacific", "... di Torino";
    a conjunction before another body's name ends it."""
    cursor = last + 1
    while cursor < len(words):
        joiners = cursor
        while joiners < len(words) and words[joiners].group(0).lower() in _JOINERS:
            joiners += 1
        if joiners == cursor or joiners >= len(words):
            break
        if not _capitalised(words[joiners].group(0)) or words[joiners].group(0) in _LEADING:
            break
        if any(w.group(0) in _AND for w in words[cursor:joiners]) and any(
            w.group(0) in _HEADS or w.group(0) in _LEADING_HEADS
            for w in words[joiners : joiners + 6]
        ):
            break
        end = joiners
        while (
            end + 1 < len(words)
            and _capitalised(words[end + 1].group(0))
            and not _acronym(words[end + 1].group(0))
        ):
            end += 1
        last, cursor = end, end + 1
    return last


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
