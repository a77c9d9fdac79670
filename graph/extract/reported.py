"""Paragraphs a text reports rather than cites by number: what an instrument asks of whom
("Resolution A/Res/60/227 invited IOM to contribute", "It also invites IOM and the IOM
Council to ..."), the items of a list an instrument resolves, and the round tables it
sets. Each is tied to an instrument graph.extract.instruments finds in the text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.extract.instruments import (
    CITED_PARAGRAPHS,
    OPERATIVE_VERB,
    SAME_RESOLUTION,
    ParagraphMention,
    SymbolMention,
    symbols,
    verb_lemma,
)
from graph.extract.organizations import BodyFinder, NameFinder, OrgMention
from graph.extract.prose import organizations_in, sentences
from graph.model.statements import Span

_IT = re.compile(r"\s*It\s+(?:also\s+|further\s+)?$")
"""A sentence whose subject is a pronoun, right before its asking verb: "It also invites"."""
_SUBJECT_OPENS = re.compile(
    r"\W*(?:(?:In addition|Moreover|Further),\s*)?"
    r"(?:(?i:the|this|that)\s+[\s*_]*(?:[A-Z][\w.'\u2019-]*\s+){0,5}[\s*_]*)?"
)
"""Before an instrument that opens its sentence as the subject: "The", "In addition, the",
"The UN General Assembly **" before its "resolution concerning ..."."""


def _subject_of(text: str, previous: Span | None, cited: list[SymbolMention]) -> str | None:
    """The instrument a sentence opens with, as its subject: the one that asks in it, and
    the one an "It" opening the next sentence stands for ("The UN General Assembly
    resolution ..., adopted in December 2012, repeats the request ... It also invites")."""
    if previous is None:
        return None
    opening = [
        c
        for c in cited
        if previous.start <= c.span.start < previous.end
        and _SUBJECT_OPENS.fullmatch(text, previous.start, c.span.start)
    ]
    return opening[0].symbol if opening else None


_ASKING = (
    r"invit(?:es|ed|ing)|request(?:s|ed|ing)|ask(?:s|ed|ing)|encourag(?:es|ed|ing)"
    r"|urg(?:es|ed|ing)|call(?:s|ed|ing)\s+(?:up)?on"
)
_ACTIVE = re.compile(rf"\b(?P<verb>{_ASKING}|(?:request|invitation|call)\s+to)\s+$", re.IGNORECASE)
"""The verb before the addressees of a paragraph told in prose ("invites IOM to ..."), or
its noun ("repeats the request to IOM to participate")."""
_ASKING_NOUNS = {"request to": "requests", "invitation to": "invites", "call to": "calls upon"}
"""The verb an asking noun stands for ("repeats the request to IOM to participate")."""
_PASSIVE = re.compile(
    r"^\s+(?:is|are|was|were|has been|have been)\s+(?:also\s+|further\s+|again\s+)?"
    r"(?P<verb>invited|requested|asked|encouraged|urged|called\s+upon)\s+to\s+(?P<act>[a-z]+)",
    re.IGNORECASE,
)
_BY_INSTRUMENT = re.compile(r"\W*(?:In|Through|By|Under|With|Per)\b[^,;]*[,;]\s*$")
"""A sentence opening with the instrument that speaks: "In its resolution 65/170, "."""
_TO_ACT = re.compile(r"^\s+to\s+(?P<act>[a-z]+)\b")
_OWN = re.compile(r"^['\u2019]s\s+(?P<act>[a-z]+)\b")
"""After the addressee, what the verb asks of it: "requested IOM's input"."""
_BASIS = re.compile(
    r"\b(?:as\s+(?:(?:was\s+)?(?:mandated|requested|called\s+for|set\s+out|provided\s+for))"
    r"\s+(?:in|by)|pursuant\s+to|in\s+accordance\s+with)\b",
    re.IGNORECASE,
)
"""After the verb, the instrument on which it asks: "requested IOM's input ..., as mandated
in the 2nd Committee Resolution ... (2010, A/RES/65/170)"."""
_BASIS_REACH = 120
"""How far after its cue the instrument may be named."""
_LISTED = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?", re.IGNORECASE)


def reported_paragraphs(
    text: str,
    orgs: NameFinder,
    names: NameFinder | None = None,
    bodies: BodyFinder | None = None,
) -> Iterator[ParagraphMention]:
    """Paragraphs a text reports without their number: what an instrument asks of whom.

    "Resolution A/Res/60/227 ... invited IOM to contribute to the preparations", "In the
    same resolution, IOM is invited to support ...": the instrument is cited before the
    verb in the sentence, or the sentence refers back to it ("the same resolution"); the
    addressees are the organizations the verb asks. A paragraph is named by what it asks
    ("unnumbered-invites-iom-to-contribute"), so that two texts reporting it meet on one
    node. A sentence that cites the paragraph's number is left to `paragraphs`.
    """
    cited = symbols(text, names, bodies)
    spans = sentences(text)
    for previous, sentence in zip([None, *spans], spans, strict=False):
        if any(p.search(text, sentence.start, sentence.end) for p, _ in CITED_PARAGRAPHS):
            continue
        found = [o for o in organizations_in(text, sentence, orgs) if o.key is not None]
        for group in _org_lists(text, found):
            mention = _asked(text, sentence, group, cited, previous)
            if mention is not None:
                yield mention


def _org_lists(text: str, found: list[OrgMention]) -> list[list[OrgMention]]:
    """Organizations named one after another ("IOM and UNFPA", "IOM, UNFPA and ILO")."""
    groups: list[list[OrgMention]] = []
    for org in found:
        if groups and _LISTED.fullmatch(text, groups[-1][-1].span.end, org.span.start):
            groups[-1].append(org)
        else:
            groups.append([org])
    return groups


def _asked(
    text: str,
    sentence: Span,
    group: list[OrgMention],
    cited: list[SymbolMention],
    previous: Span | None = None,
) -> ParagraphMention | None:
    """The paragraph that asks `group` to act, if the sentence says an instrument does."""
    first, last = group[0].span.start, group[-1].span.end
    before = text[sentence.start : first]
    active = _ACTIVE.search(re.sub(r"\s*\bthe\s*$", " ", before))
    after = text[last : sentence.end]
    if active is not None and (act := _TO_ACT.match(after) or _OWN.match(after)) is not None:
        verb, at = active["verb"], sentence.start + active.start()
    elif (passive := _PASSIVE.match(after)) is not None:
        verb, act, at = passive["verb"], passive, last + passive.end("verb")
    else:
        return None
    # the instrument asks when it is the verb's subject ("Resolution 60/227 invited") or
    # the sentence opens with it ("In its resolution 65/170, the Assembly invites")
    breaks = [sentence.start + m.end() for m in re.finditer(r"[,;]", text[sentence.start : at])]
    clause = breaks[-1] if breaks else sentence.start
    opening = _BY_INSTRUMENT.match(text, sentence.start, clause)
    earlier = [
        c
        for c in cited
        if (clause <= c.span.start < at) or (opening and sentence.start <= c.span.start < clause)
    ]
    basis = _BASIS.search(text, last, sentence.end)
    later = [
        c
        for c in cited
        if basis is not None and basis.end() <= c.span.start <= basis.end() + _BASIS_REACH
    ]
    if earlier:
        symbol = earlier[-1].symbol
    elif later:
        symbol = later[0].symbol  # "requested IOM's input ..., as mandated in ... 65/170"
    elif SAME_RESOLUTION.search(text, clause if not opening else sentence.start, at):
        told = [c for c in cited if c.span.start < sentence.start]
        if not told:
            return None
        symbol = told[-1].symbol
    elif (spoke := _subject_of(text, sentence, cited)) is not None:
        symbol = spoke  # "The ... resolution ..., adopted in December 2012, repeats the request"
    elif _IT.match(text, sentence.start, at) and (spoke := _subject_of(text, previous, cited)):
        symbol = spoke  # "... resolution ... repeats the request to IOM. It also invites IOM"
    else:
        return None
    verb = " ".join(verb.split())
    lemma = _ASKING_NOUNS.get(verb.lower()) or verb_lemma(verb)
    keys = tuple(dict.fromkeys(o.key for o in group if o.key is not None))
    to = ["to"] if act.re is not _OWN else []  # "requests-iom-to-prepare", "requests-iom-input"
    name = "-".join([lemma.replace(" ", "-"), *(k.lower() for k in keys), *to, act["act"]])
    return ParagraphMention(
        symbol=symbol,
        number=f"unnumbered-{name}",
        kind="operative",
        verb=lemma,
        addressees=keys,
        span=Span(min(at, first), max(at, last)),
        sentence=sentence,
        confidence=0.7,
    )


_ROUND_TABLES = re.compile(
    r"\b(?P<count>two|three|four|five|six|seven|eight|[2-8])\s+(?:[\w-]+\s+){0,2}"
    r"(?:round[- ]?tables|roundtables)\b[^:;.]{0,80}:",
    re.IGNORECASE,
)
"""The round tables an instrument sets, counted, before the list of their themes."""
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_ITEM_MARK = re.compile(r"\((?:[ivx]{1,4}|[a-h])\)\s*")


def round_tables(
    text: str, names: NameFinder | None = None, bodies: BodyFinder | None = None
) -> Iterator[ParagraphMention]:
    """The round tables an instrument decides on, one paragraph each ("RT1" for the first
    listed, as graph/curation/README.md numbers them): "The "HLD Modalities" resolution
    ... determines the format of the HLD in terms of four roundtables: (i) Assessing ...;
    (ii) Measures ...". Only where the list has as many items as the sentence counts."""
    cited = symbols(text, names, bodies)
    for sentence in sentences(text):
        match = _ROUND_TABLES.search(text, sentence.start, sentence.end)
        if match is None:
            continue
        told = [c for c in cited if sentence.start <= c.span.start < match.start()]
        block_end = text.find("\n\n", match.end())  # the list runs on past the colon
        block_end = len(text) if block_end < 0 else block_end
        items = list(_ITEM_MARK.finditer(text, match.end(), block_end))
        count = match["count"].lower()
        if not told or len(items) != _COUNTS.get(count, int(count) if count.isdigit() else 0):
            continue
        verb = OPERATIVE_VERB.search(text, told[-1].span.end, match.start())
        for number, (item, after) in enumerate(zip(items, [*items[1:], None], strict=True), 1):
            end = after.start() if after else block_end
            theme = text[item.start() : end].rstrip(" ;,.\n")
            yield ParagraphMention(
                symbol=told[-1].symbol,
                number=f"RT{number}",
                kind="round-table",
                verb=verb_lemma(verb.group()) if verb else None,
                addressees=(),
                span=Span(item.start(), item.start() + len(theme)),
                sentence=Span(sentence.start, block_end),
                confidence=0.7,
            )


_RESOLVES_TO = re.compile(
    r"\b(?P<verb>resolves|resolved|decides|decided)\s+(?:to\s*)?:[ \t]*$", re.MULTILINE
)
"""The end of a sentence that lists what an instrument resolves: "which resolves to:"."""
_ITEM = re.compile(r"^[ \t]*(?:[-•*]|\(?[a-z0-9]{1,3}[.)])[ \t]+(?P<body>\S.*)$")
_FURNITURE = re.compile(
    r"^[ \t]*(?:-{3,}|\*{3,}|_{3,}|(?:<sup>\d+</sup>|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[\d+\])\s*\S.*)$"
)
"""A page's furniture in a list broken by a page: a rule, a footnote."""
_ITEM_VERB = re.compile(r"[\s*_]*(?:(?:further|also|again)\s+)?(?P<verb>[A-Za-z]+)", re.IGNORECASE)


def resolved_lists(
    text: str,
    orgs: NameFinder,
    names: NameFinder | None = None,
    bodies: BodyFinder | None = None,
) -> Iterator[ParagraphMention]:
    """The items of a list an instrument resolves ("... (Resolution No. 1244) which
    resolves to:" then "- Request the Director General to ..."), numbered in the order
    printed; a page break inside the list (a rule, footnotes) does not end it."""
    cited = symbols(text, names, bodies)
    for lead in _RESOLVES_TO.finditer(text):
        line_start = text.rfind("\n", 0, lead.start()) + 1
        before = [c for c in cited if line_start <= c.span.start < lead.start()]
        if not before:
            continue
        symbol = before[-1].symbol
        kind = "resolves" if lead["verb"].startswith("resolve") else "operative"
        number = 0
        start = lead.end() + 1
        while start < len(text):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            line, start = text[start:end], end + 1
            item = _ITEM.match(line)
            if item is None:
                if not line.strip() or _FURNITURE.match(line):
                    continue
                break
            number += 1
            body = Span(end - len(line) + item.start("body"), end)
            verb = _ITEM_VERB.match(text, body.start, body.end)
            lemma = (
                verb_lemma(verb["verb"])
                if verb and OPERATIVE_VERB.fullmatch(verb["verb"])
                else None
            )
            yield ParagraphMention(
                symbol=symbol,
                number=str(number),
                kind=kind,
                verb=lemma,
                addressees=_addressed(text, verb.end() if verb else body.start, body, orgs),
                span=body,
                sentence=body,
                confidence=0.8,
            )


def _addressed(text: str, after: int, item: Span, orgs: NameFinder) -> tuple[str, ...]:
    """The organizations a list item's verb addresses: those right after it."""
    keys = []
    for org in organizations_in(text, Span(after, item.end), orgs):
        gap = text[after : org.span.start]
        if org.key is None or not re.fullmatch(r"\s*(?:the\s+)?(?:,\s*|\s+and\s+)?", gap):
            break
        keys.append(org.key)
        after = org.span.end
    return tuple(dict.fromkeys(keys))
