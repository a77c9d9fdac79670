"""The text of a resolution or decision, read paragraph by paragraph.

Given the text of a resolution (or of a draft quoted in a committee report), the reader
finds its symbol, the body that adopts it ("The General Assembly,"), the preamble and
the operative part, each operative paragraph with its number and sub-items, the
operative verb as printed, the addressees, what it asks for (reports, meetings, round
tables...) with the date or session it is due, and the instruments each paragraph
recalls, reaffirms or follows up. Every record keeps the span of text it was read from.

It reads what is printed: a paragraph list that skips or repeats a number is kept as
printed and flagged; a symbol in a form the reader does not know is kept as written; a
text with no "The <body>," opening is not a resolution and yields no paragraphs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from graph.extract.dates import month_number
from graph.model.statements import Span

_WS = r"[ \t\u00a0]"
_ID_PREFIX = {"article": "art", "pillar": "pillar"}
_QUOTE = r"[\"\u201c]?"
"""The quotation mark that opens each paragraph of a draft a report quotes."""
_BODY = re.compile(
    rf"(?m)^{_WS}*{_QUOTE}(?P<body>The{_WS}+(?:[A-Z][\w'\u2019-]*|of|on|and|for|the)(?:{_WS}+(?:[A-Z][\w'\u2019-]*"
    rf"|of|on|and|for|the))*){_WS}*,{_WS}*$"
)
"""The opening of a resolution: "The General Assembly," alone on its line (after an opening
quotation mark when a report quotes the draft)."""
_OPERATIVE = re.compile(rf"(?m)^{_WS}*{_QUOTE}(?P<number>\d{{1,3}})\.{_WS}+(?=\S)")
_SUB_ITEM = re.compile(rf"(?m)^{_WS}*{_QUOTE}\((?P<item>[a-z]{{1,4}})\){_WS}+(?=\S)")
_END = re.compile(r"(?im)^\s*(?:\d{1,3}(?:st|nd|rd|th)\s+plenary\s+meeting|\*\s*\*\s*\*)")
"""Where the text of a resolution stops: "71st plenary meeting", or a row of stars."""
_ROMAN = re.compile(r"^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii|xiii|xiv|xv)$")
_ADVERBS = (
    r"(?:also|further|furthermore|again|once\s+again|hereby|moreover|strongly|urgently"
    r"|firmly|respectfully|emphatically|in\s+this\s+regard,?|finally|[a-z]+ly)"
)
_PHRASAL = {"calls": r"(?:upon|on)", "takes": r"note", "appeals": r"to"}
_VERB = re.compile(
    rf"(?i)(?P<adverbs>(?:{_ADVERBS}{_WS}+)*)(?P<verb>[a-z]+s)\b"
    rf"(?:{_WS}+(?P<particle>upon|on|note)\b)?"
)
MANDATING = frozenset(
    {"decides", "requests", "invites", "encourages", "urges", "calls", "recommends",
     "authorizes", "authorises", "asks", "mandates", "resolves", "designates", "entrusts",
     "instructs", "directs", "appeals", "approves", "endorses"}
)  # fmt: skip
"""Verbs by which a paragraph asks someone to do something (its deliverables count)."""
_RELATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(?:in\s+)?follow(?:ing)?[- ]up\s+(?:to|on|of)\b"), "followsUp"),
    (re.compile(r"(?i)\bas\s+mandated\s+(?:in|by)\b"), "followsUp"),
    (re.compile(r"(?i)\bpursuant\s+to\b"), "followsUp"),
    (re.compile(r"(?i)\breaffirm(?:ing|s|ed)?\b"), "reaffirms"),
    (re.compile(r"(?i)\brecall(?:ing|s|ed)?\b"), "recalls"),
)
"""The relation a citation states, by the nearest cue before it (within its paragraph)."""
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
_CITATION = re.compile(
    r"(?P<lead>(?:(?:General\s+)?Assembly|Economic\s+and\s+Social\s+Council|Council"
    r"|Security\s+Council|Commission)\s+)?"
    r"\b(?P<what>resolutions?|decisions?)\s+(?P<list>"
    r"(?:(?:(?i:[AES]/(?:RES|DEC)/))?(?:S-)?\d{1,4}/\d{1,4}(?:\s?[A-Z]\b)?"
    rf"(?:\s+of\s+\d{{1,2}}\s+{_MONTH}\s+\d{{4}})?"
    r"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*$)?)+)"
)
_NUMBER = re.compile(
    rf"(?P<number>(?P<prefix>(?i:[AES]/(?:RES|DEC)/))?(?:S-)?(?P<first>\d{{1,4}})/"
    rf"(?P<second>\d{{1,4}})(?:\s?(?P<part>[A-Z])\b)?)"
    rf"(?:\s+of\s+(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\s+(?P<year>\d{{4}}))?"
)
_FULL_SYMBOL = re.compile(r"\b(?:A|E|S)/(?:[A-Z0-9.]+/)*[A-Z0-9.]+(?:/[A-Za-z0-9.]+)*\b")
_DRAFTS = (
    re.compile(
        r"(?is)draft\s+(?:resolution|decision)\b[^()]{0,200}?\((?P<symbol>[A-Z][^()\s]{2,40})\)"
        r"[^.:]{0,80}?which\s+read"
    ),
    re.compile(
        r"(?is)draft\s+(?:resolution|decision)\s+(?P<symbol>[A-Z]{1,2}/[^\s,()]{3,40}?)"
        r"[\s,(].{0,200}?which\s+read"
    ),
)
"""A draft quoted in a report: "draft resolution ... (A/C.2/60/L.16), which read:", or
"draft resolution A/C.2/60/L.16 (see para. 9), which read:"."""
_NUMBERED_TITLE = re.compile(
    rf"(?m)^{_WS}*(?P<symbol>(?:S-)?\d{{1,3}}/\d{{1,4}}(?:{_WS}?[A-Z])?)\.{_WS}+(?P<title>\S.*)$"
)
_WORD_SYMBOL = re.compile(
    rf"(?im)^{_WS}*(?P<symbol>(?:resolution|decision){_WS}+(?:No\.{_WS}*)?\d{{1,4}}/\d{{1,4}})"
    rf"{_WS}*(?:\n{_WS}*(?P<title>\S.*))?$"
)
_DELIVERABLES = (
    ("round table", r"round[- ]tables?"),
    ("panel", r"panels?(?:\s+discussions?)?"),
    ("hearing", r"hearings?"),
    ("summary", r"summary|summaries"),
    ("report", r"reports?"),
    ("note", r"note(?!\s+of\b)(?=\s+(?:on|by|containing|that)\b)"),
    ("meeting", r"meetings?|dialogues?|sessions?(?=\s+(?:on|of\s+the\s+high))"),
    ("event", r"events?"),
)
_NOUN = "|".join(p for _, p in _DELIVERABLES)
_DELIVERABLE = re.compile(
    r"(?i)\b(?:(?:organi[sz]e|convene|hold|submit|prepare|present|issue)\s+"
    r"(?:(?:his|her|its|the)\s+)?|(?=(?:a|an|one|two|three|four|five|six)\s))"
    rf"(?P<what>(?:[\w-]+\s+){{0,5}}?(?P<noun>{_NOUN}))\b"
)
"""Something asked for: after a verb of making ("to convene meetings", "submit a
report"), or with an article or a number ("a report on", "four round tables")."""
_ORDINAL_SESSION = re.compile(
    r"(?i)\bat\s+its\s+(?P<session>(?:[a-z]+-)?[a-z]+(?:\s+\([^)]*\))?\s+(?:special\s+)?session)"
)
_YEAR_DUE = re.compile(
    rf"(?i)\b(?:in|by|before(?:\s+the\s+end\s+of)?|no\s+later\s+than|during)\s+"
    rf"(?P<when>(?:\d{{1,2}}\s+)?(?:{_MONTH}\s+)?(?:19|20)\d\d)\b"
)
_PERIODIC = re.compile(
    r"(?i)\b(?:every\s+(?:two|three|four|five|\d+)\s+years|annually|biennially|triennially"
    r"|each\s+year|on\s+an?\s+(?:annual|biennial|triennial|regular)\s+basis|periodically"
    r"|at\s+each\s+of\s+its\s+sessions)\b"
)
_REVIEW = re.compile(
    r"(?i)\b(?:to\s+review|to\s+consider\s+the\s+question|to\s+include\s+in\s+the\s+provisional"
    r"\s+agenda|to\s+keep\s+(?:the\s+matter|this\s+question)\s+under\s+review|review\s+the"
    r"\s+implementation|sunset)\b[^;.]*"
)
_OBJECT_END = re.compile(
    r"(?i)(?:\bto\s+(?!the\b|all\b|its\b|their\b|that\b|this\b)[a-z]+\b|\bthat\b|:|;|\.(?:\s|$)"
    r"|\bin\s+(?:order|particular|cooperation|consultation|collaboration|close)\b|\bwithin\b"
    r"|\bas\s+well\s+as\s+to\b|\bwhile\b|\bwith\s+a\s+view\b|\bfor\s+the\b|\bat\s+its\b|,\s+in\b)"
)
_GROUPS = re.compile(
    r"(?i)(?:(?:relevant|other|specialized|concerned|international|regional|United\s+Nations"
    r"|the|all)\s+)*(?:agencies|organizations|entities|bodies),\s+funds\s+and\s+programmes"
)
_SPLIT = re.compile(r"\s*,\s*(?:and\s+|as\s+well\s+as\s+)?|\s+and\s+|\s+as\s+well\s+as\s+")
_ADDRESSED = re.compile(
    r"[A-Z]|states|governments|organizations|agencies|commissions|system|community|society"
)
"""Words that make a noun phrase one that can be addressed."""
_OPENING = re.compile(
    r"(?:[A-Z][a-z]+ly\s+)?[A-Z]?[a-z]+(?:\s+(?:also|further|again|in\s+mind|note))?"
)
"""The opening words of a recital: "Recalling also", "Bearing in mind", "Deeply concerned"."""
_PARTICIPLE = re.compile(r"[a-z]+(?:ing|ed)\b")
"""How a recital opens: "recalling", "noting", "convinced", "deeply concerned"."""
_LINE = re.compile(rf"(?m)^{_WS}*{_QUOTE}(?P<first>\S.*)$")
_DETERMINERS = re.compile(
    r"(?i)^(?:(?:including|notably|in\s+particular)\s+)?(?:the|all|its|his|her|their)\s+"
)
_INCLUDING = re.compile(r"(?i)^(?:including|notably|in\s+particular)\s+")


@dataclass(frozen=True)
class Party:
    """An addressee as printed: a registry organization (key) or a named group (no key)."""

    text: str
    span: Span
    key: str | None


@dataclass(frozen=True)
class Deliverable:
    """Something a paragraph asks for: its kind, its words, when it is due, how often."""

    kind: str
    label: str
    span: Span
    due: str | None = None
    periodicity: str | None = None


@dataclass(frozen=True)
class Citation:
    """An instrument a paragraph cites, how (recalls, reaffirms, followsUp, refersTo), the
    date the citation gives it, and the paragraph that carries the citation (the evidence)."""

    relation: str
    printed: str
    symbol: str
    span: Span
    evidence: Span
    issued: dt.date | None = None


@dataclass(frozen=True)
class OperativeParagraph:
    """An operative paragraph or one of its sub-items, read as printed."""

    number: str
    """"8", or "8(b)", "8(b)(i)" for sub-items."""
    id: str
    """Readable and stable, like Akoma Ntoso's: "para_8", "para_8__point_b"."""
    span: Span
    verb: str | None
    addressees: tuple[Party, ...] = ()
    deliverables: tuple[Deliverable, ...] = ()
    review: Span | None = None
    parent: str | None = None
    flags: tuple[str, ...] = ()
    """"skips" or "repeats" when the number is not the one after the previous paragraph."""


@dataclass(frozen=True)
class PreambularParagraph:
    """A paragraph of the preamble: its place (from 1) and its opening words."""

    number: str
    span: Span
    opening: str


@dataclass(frozen=True)
class Resolution:
    """Everything read from one resolution text."""

    symbol: str | None
    symbol_span: Span | None
    title: str | None
    body: str
    body_span: Span
    preamble: Span
    operative: Span | None
    preambular: tuple[PreambularParagraph, ...]
    paragraphs: tuple[OperativeParagraph, ...]
    citations: tuple[Citation, ...]
    flags: tuple[str, ...] = field(default=())


OrgLookup = Callable[[str], str | None]
"""A registry lookup: a name as printed -> the organization's key, or None."""


def read(text: str, lookup: OrgLookup | None = None) -> list[Resolution]:
    """Every resolution in a text (a committee report may quote several drafts); an empty
    list when the text is not a resolution."""
    openings = list(_BODY.finditer(text))
    found = []
    for index, opening in enumerate(openings):
        stop = openings[index + 1].start() if index + 1 < len(openings) else len(text)
        previous = openings[index - 1].end() if index else 0
        resolution = _read_one(text, opening, previous, stop, lookup or _no_lookup)
        if resolution is not None:
            found.append(resolution)
    return found


def _no_lookup(name: str) -> str | None:
    return None


def _read_one(
    text: str, opening: re.Match[str], previous: int, stop: int, lookup: OrgLookup
) -> Resolution | None:
    end = _END.search(text, opening.end(), stop)
    stop = end.start() if end else stop
    markers = [m for m in _OPERATIVE.finditer(text, opening.end(), stop) if _starts_verb(text, m)]
    operative_start = markers[0].start() if markers else stop
    preamble = Span(opening.end(), operative_start)
    preambular = tuple(_preambular(text, preamble))
    if not markers and not (preambular and _PARTICIPLE.search(preambular[0].opening)):
        return None  # "The Director-General," opening a letter: no recital, no operative part
    operative = Span(operative_start, _rstrip(text, operative_start, stop)) if markers else None
    paragraphs = tuple(_operative(text, operative, lookup)) if operative else ()
    symbol, symbol_span, title = _symbol(text, previous, opening.start())
    citations = tuple(_citations(text, [p.span for p in preambular] + _top_spans(paragraphs)))
    flags = tuple(sorted({f for p in paragraphs for f in p.flags}))
    return Resolution(
        symbol=symbol,
        symbol_span=symbol_span,
        title=title,
        body=" ".join(opening["body"].split()),
        body_span=Span(opening.start("body"), opening.end("body")),
        preamble=Span(preamble.start, _rstrip(text, preamble.start, preamble.end)),
        operative=operative,
        preambular=preambular,
        paragraphs=paragraphs,
        citations=citations,
        flags=flags,
    )


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _starts_verb(text: str, marker: re.Match[str]) -> bool:
    """Whether a numbered line opens an operative paragraph: it starts with a capitalised
    verb in the third person ("Decides", "Also requests", "Calls upon")."""
    return _verb(text, marker.end()) is not None


# ---------------------------------------------------------------------- symbol


def _symbol(text: str, start: int, end: int) -> tuple[str | None, Span | None, str | None]:
    """The symbol printed before the opening: a quoted draft's, the numbered title's
    ("58/208. International migration and development"), a document symbol on a line of
    its own, or "Resolution 2013/1" (kept as written)."""
    head = text[start:end]
    titled = list(_NUMBERED_TITLE.finditer(head))
    title = " ".join(titled[-1]["title"].split()) if titled else None
    drafts = sorted((m for p in _DRAFTS for m in p.finditer(head)), key=lambda m: m.start())
    if drafts:
        last = drafts[-1]
        span = Span(start + last.start("symbol"), start + last.end("symbol"))
        return last["symbol"], span, title
    for line in re.finditer(r"(?m)^[ \t]*(?P<symbol>\S+)[ \t]*$", head):
        if _FULL_SYMBOL.fullmatch(line["symbol"]):
            symbol = line["symbol"].upper() if line["symbol"].upper().startswith("A/RES/") else None
            if symbol and (not titled or symbol.endswith("/" + titled[-1]["symbol"])):
                return symbol, Span(start + line.start("symbol"), start + line.end("symbol")), title
    if titled:
        last = titled[-1]
        printed = " ".join(last["symbol"].split())
        span = Span(start + last.start("symbol"), start + last.end("symbol"))
        return f"A/RES/{printed}", span, title
    words = list(_WORD_SYMBOL.finditer(head))
    if words:
        last = words[-1]
        written = " ".join(last["symbol"].split())
        title = " ".join(last["title"].split()) if last["title"] else None
        span = Span(start + last.start("symbol"), start + last.end("symbol"))
        return written[0].upper() + written[1:], span, title
    return None, None, title


# ---------------------------------------------------------------------- preamble


def _preambular(text: str, preamble: Span) -> Iterator[PreambularParagraph]:
    """Preambular paragraphs: blocks between blank lines, or lines opening with a
    participle ("Recalling", "Bearing in mind", "Convinced")."""
    starts: list[int] = []
    for line in _LINE.finditer(text, preamble.start, preamble.end):
        first = line["first"]
        opens = re.match(r"[A-Z][a-z]+(?:ing|ed)\b", first) is not None
        if first[0].isupper() and (opens or _blank_before(text, line.start(), preamble.start)):
            starts.append(line.start("first"))
    for index, start in enumerate(starts, start=1):
        stop = starts[index] if index < len(starts) else preamble.end
        end = _rstrip(text, start, stop)
        opening = _OPENING.match(text, start, end)
        yield PreambularParagraph(
            str(index),
            Span(start, end),
            " ".join(opening.group(0).lower().split()) if opening else "",
        )


def _blank_before(text: str, position: int, floor: int) -> bool:
    """Whether the line at `position` follows a blank line (or opens the preamble)."""
    before = text[floor:position]
    return before.strip() == "" or bool(re.search(r"\n[ \t]*\n[ \t]*$", before))


# ---------------------------------------------------------------------- operative part


def _operative(text: str, operative: Span, lookup: OrgLookup) -> Iterator[OperativeParagraph]:
    markers = list(_OPERATIVE.finditer(text, operative.start, operative.end))
    previous: int | None = None
    seen: set[str] = set()
    for index, marker in enumerate(markers):
        stop = markers[index + 1].start() if index + 1 < len(markers) else operative.end
        span = Span(marker.start("number"), _rstrip(text, marker.start(), stop))
        number = marker["number"]
        flags: list[str] = []
        if number in seen:
            flags.append("repeats")
        elif int(number) != (previous or 0) + 1:
            flags.append("skips")
        seen.add(number)
        previous = int(number)
        items = list(_SUB_ITEM.finditer(text, marker.end(), span.end))
        head_end = _rstrip(text, marker.end(), items[0].start()) if items else span.end
        verb = _verb(text, marker.end())
        yield _paragraph(text, number, f"para_{number}", span, Span(marker.end(), head_end),
                         verb, lookup, None, tuple(flags))  # fmt: skip
        yield from _items(text, number, f"para_{number}", items, span.end, verb, lookup)


def _items(
    text: str,
    number: str,
    ident: str,
    items: list[re.Match[str]],
    end: int,
    verb: str | None,
    lookup: OrgLookup,
) -> Iterator[OperativeParagraph]:
    """Sub-items (a), (b) ... and, inside one, (i), (ii) ...: each its own record."""
    letter: tuple[str, str] | None = None
    last_letter = ""
    for index, item in enumerate(items):
        stop = items[index + 1].start() if index + 1 < len(items) else end
        name = item["item"]
        roman = (
            _ROMAN.fullmatch(name) is not None
            and letter is not None
            and not (len(name) == 1 and ord(name) == ord(last_letter) + 1)
        )
        span = Span(item.start(), _rstrip(text, item.start(), stop))
        if roman and letter is not None:
            sub_number = f"{letter[0]}({name})"
            sub_id = f"{letter[1]}__point_{name}"
            parent = letter[0]
        else:
            sub_number = f"{number}({name})"
            sub_id = f"{ident}__point_{name}"
            parent = number
            letter = (sub_number, sub_id)
            last_letter = name
        yield _paragraph(text, sub_number, sub_id, span, Span(item.end(), span.end), verb,
                         lookup, parent, ())  # fmt: skip


def _paragraph(
    text: str,
    number: str,
    ident: str,
    span: Span,
    body: Span,
    verb: str | None,
    lookup: OrgLookup,
    parent: str | None,
    flags: tuple[str, ...],
) -> OperativeParagraph:
    own_verb = _verb(text, body.start) if parent is None else None
    addressees: tuple[Party, ...] = ()
    if parent is None and own_verb is not None:
        verb_match = _VERB.match(text, body.start)
        assert verb_match is not None
        addressees = tuple(_addressees(text, verb_match.end(), body.end, lookup))
    mandating = verb is not None and any(w in MANDATING for w in verb.split())
    asked = tuple(deliverables(text, body)) if mandating else ()
    review = _REVIEW.search(text, body.start, body.end)
    return OperativeParagraph(
        number=number,
        id=ident,
        span=span,
        verb=own_verb if parent is None else verb,
        addressees=addressees,
        deliverables=asked,
        review=Span(review.start(), review.end()) if review else None,
        parent=parent,
        flags=flags,
    )


def _verb(text: str, start: int) -> str | None:
    """The operative verb as printed, in lower case: "decides", "also decides", "calls upon"."""
    match = _VERB.match(text, start)
    if match is None or not text[start].isupper():
        return None
    verb = match["verb"].lower()
    if verb in {"its", "this", "has", "was", "is", "as", "states", "nations"}:
        return None
    words = [*match["adverbs"].lower().split(), verb]
    particle = match["particle"]
    if particle and re.fullmatch(_PHRASAL.get(verb, "$^"), particle.lower()):
        words.append(particle.lower())
    return " ".join(words)


def _addressees(text: str, start: int, end: int, lookup: OrgLookup) -> Iterator[Party]:
    """Who the paragraph addresses: the noun phrase after the verb, up to the infinitive
    ("requests the Secretary-General to ..."), cut into names; each looked up in the
    registry, kept as a named group when the registry does not know it."""
    stop = _OBJECT_END.search(text, start, end)
    phrase_end = stop.start() if stop else end
    phrase = text[start:phrase_end]
    if not phrase.strip() or not _ADDRESSED.search(phrase):
        return
    if re.match(
        r"(?i)\s*(?:of|with|that|its|to|the\s+(?:importance|need|fact|role|report|work))\b", phrase
    ):
        return
    protected = [(m.start(), m.end()) for m in _GROUPS.finditer(phrase)]
    cursor = 0
    pieces: list[tuple[int, int]] = []
    for split in _SPLIT.finditer(phrase):
        if any(a <= split.start() < b for a, b in protected):
            continue
        pieces.append((cursor, split.start()))
        cursor = split.end()
    pieces.append((cursor, len(phrase)))
    merged: list[tuple[int, int]] = []
    for a, b in pieces:
        piece = phrase[a:b].strip()
        if merged and re.fullmatch(r"(?i)[a-z-]+al|inter[a-z-]*", piece):
            continue  # "intergovernmental and non-governmental organizations": one group
        if merged and re.fullmatch(
            r"(?i)[a-z-]+al|inter[a-z-]*", phrase[merged[-1][0] : merged[-1][1]].strip()
        ):
            merged[-1] = (merged[-1][0], b)
            continue
        merged.append((a, b))
    for a, b in merged:
        piece = phrase[a:b]
        lead = len(piece) - len(piece.lstrip())
        name = piece.strip().rstrip(",")
        including = _INCLUDING.match(name)
        if including:
            lead += including.end()
            name = name[including.end() :]
        if not name or not re.search(r"[A-Za-z]{2}", name):
            continue
        absolute = start + a + lead
        key = lookup(name) or lookup(bare_name(name))
        yield Party(" ".join(name.split()), Span(absolute, absolute + len(name)), key)


def paragraph_id(number: str, kind: str = "operative") -> str:
    """A readable, stable id for a paragraph, like Akoma Ntoso's eId: "17" -> "para_17",
    "8(b)(i)" -> "para_8__point_b__point_i", article "1(1)(e)" -> "art_1__point_1__point_e"."""
    head, *items = re.split(r"\(", number.replace(")", ""))
    prefix = _ID_PREFIX.get(kind, "para")
    parts = [f"{prefix}_{re.sub(r'[^0-9A-Za-z-]+', '_', head).strip('_').lower() or '0'}"]
    parts += [f"point_{item.lower()}" for item in items if item]
    return "__".join(parts)


def bare_name(text: str) -> str:
    """A named group without its determiner: "all States" -> "States"."""
    return _DETERMINERS.sub("", " ".join(text.split()))


def deliverables(text: str, body: Span) -> Iterator[Deliverable]:
    """What a stretch of text asks for: reports, notes, meetings... with due date or session."""
    for match in _DELIVERABLE.finditer(text, body.start, body.end):
        rest = text[match.start("noun") :]
        kind = next(k for k, p in _DELIVERABLES if re.match(p, rest, re.IGNORECASE))
        after = text[match.end() : body.end]
        if re.match(r"\s+(?:of\s+the\s+Secretary-General\s*\(|contained\s+in|entitled)", after):
            continue  # a report that already exists, cited by its symbol
        clause_end = re.search(
            r"[;:]|\.(?:\s|$)|,\s+(?:and\s+)?(?:requests|decides|invites)", after
        )
        end = match.end() + (clause_end.start() if clause_end else len(after))
        end = _rstrip(text, match.start("what"), end)
        clause = Span(match.start("what"), end)
        sentence_start = max(text.rfind(";", body.start, match.start()) + 1, body.start)
        due = _due(text, Span(sentence_start, end))
        periodic = _PERIODIC.search(text, sentence_start, end)
        yield Deliverable(
            kind=kind,
            label=" ".join(clause.of(text).split())[:200],
            span=clause,
            due=due,
            periodicity=" ".join(periodic.group(0).split()) if periodic else None,
        )


def _due(text: str, clause: Span) -> str | None:
    """When a deliverable is due: "sixty-first session", "2006", "September 2006"."""
    session = _ORDINAL_SESSION.search(text, clause.start, clause.end)
    if session:
        return " ".join(session["session"].split())
    year = _YEAR_DUE.search(text, clause.start, clause.end)
    return " ".join(year["when"].split()) if year else None


def _top_spans(paragraphs: tuple[OperativeParagraph, ...]) -> list[Span]:
    return [p.span for p in paragraphs if p.parent is None]


# ---------------------------------------------------------------------- lineage


def _citations(text: str, paragraphs: list[Span]) -> Iterator[Citation]:
    """Resolutions and decisions each paragraph cites, with the relation its nearest cue
    states ("Recalling", "Reaffirming", "in follow-up to") and the date it gives them."""
    for paragraph in paragraphs:
        for match in _CITATION.finditer(text, paragraph.start, paragraph.end):
            lead = " ".join((match["lead"] or "").split()).lower()
            decision = match["what"].lower().startswith("decision")
            cue = _relation(text, paragraph.start, match.start())
            for number in _NUMBER.finditer(text, match.start("list"), match.end("list")):
                symbol = _canonical(number, lead, decision)
                issued = None
                if number["year"]:
                    issued = dt.date(
                        int(number["year"]), month_number(number["month"]), int(number["day"])
                    )
                yield Citation(
                    relation=cue,
                    printed=" ".join(number["number"].split()),
                    symbol=symbol,
                    span=Span(number.start("number"), number.end("number")),
                    evidence=paragraph,
                    issued=issued,
                )


def _relation(text: str, start: int, position: int) -> str:
    """The cue nearest before a citation in its paragraph; refersTo when none."""
    best: tuple[int, str] | None = None
    for pattern, relation in _RELATIONS:
        for cue in pattern.finditer(text, start, position):
            if best is None or cue.start() > best[0]:
                best = (cue.start(), relation)
    return best[1] if best else "refersTo"


def _canonical(number: re.Match[str], lead: str, decision: bool) -> str:
    """A cited number as a symbol: "49/127" -> A/RES/49/127 (a General Assembly session
    number), "decision 1995/313" of the Economic and Social Council -> E/DEC/1995/313;
    a year-numbered one of another body is kept as printed ("resolution 2012/1")."""
    printed = " ".join(number["number"].split())
    if number["prefix"]:  # printed in full: "resolution A/Res/60/227"
        return number["prefix"].upper() + printed[len(number["prefix"]) :]
    first = number["first"]
    if lead.startswith("economic and social council") or (len(first) == 4 and lead == "council"):
        return f"E/{'DEC' if decision else 'RES'}/{printed}"
    if len(first) == 4 and "assembly" not in lead:
        return f"{'decision' if decision else 'resolution'} {printed}"
    if lead.startswith("security council"):
        return f"S/RES/{printed}"
    return f"A/{'DEC' if decision else 'RES'}/{printed}"
