"""Instruments in prose, by their printed symbol or as a text describes them ("the UN
Chief Executives Board issued a decision in April 2012"), and the paragraphs a text cites
by number, with their operative verbs. Paragraphs a text reports without a number are in
graph.extract.reported."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from graph.errors import ParseError
from graph.extract.dates import find_dates
from graph.extract.folding import fold, fold_chars
from graph.extract.organizations import BodyFinder, NameFinder, OrgMention
from graph.extract.prose import organizations_in, sentences
from graph.extract.roles import ITS_REACH
from graph.model.statements import Span

_ROOTS = (
    "A", "E", "S", "ST", "ESA", "TD", "DP", "UNEP", "CEDAW", "CRC", "CCPR", "CERD", "CAT",
    "CMW", "HRI", "ECE", "ICEF", "WFP", "UNW", "FCCC", "IDB", "POP", "SG", "GA", "ECOSOC",
    "DEV", "SOC", "SC", "OBV", "ENV",
)  # fmt: skip
"""First elements of United Nations document symbols ("E/CN.9/2007/L.5", "A/C.2/60/L.16"),
press releases among them ("POP/947", "SG/SM/10000", "GA/10500")."""
_COMPONENT = r"[A-Za-z0-9]{1,12}(?:[.-][A-Za-z0-9]{1,12}){0,3}"
_BODIES = {
    "A": r"(?:United\s+Nations\s+)?General\s+Assembly|Assembly",
    "E": r"Economic\s+and\s+Social\s+Council|ECOSOC",
    "S": r"Security\s+Council",
    "A/HRC": r"Human\s+Rights\s+Council",
}
"""Bodies whose name before "resolution" or "decision" says which series a number is in."""
_KEYWORD = (
    r"(?i:resolutions?|decisions?|r[ée]solutions?|d[ée]cisions?|resoluci[óo]n(?:es)?"
    r"|decisi[óo]n(?:es)?|risoluzion[ei]|decision[ei])"
)
_SESSION_NUMBER = r"(?:E?S-)?\d{1,2}/\d{1,4}(?: ?[A-Z](?![\w/-]))?"
"""58/208, 57/270 B, S-21/2, ES-10/14: the General Assembly's numbering, by session."""
_YEAR_NUMBER = r"(?:19|20)\d{2}/\d{1,4}"
"""1995/313, 2006/2: the numbering of the Economic and Social Council and its commissions."""
_COUNCIL_NUMBER = r"\d{3,4}(?: ?\(\d{4}\))?"
"""1325 (2000): the Security Council's numbering."""
_NUMBER = rf"(?:{_SESSION_NUMBER}|{_YEAR_NUMBER}|{_COUNCIL_NUMBER})"
_END = r"(?![\w/]|[.-]\d)"
_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("numbered", re.compile(r"(?<![\w/])Resolution\s+No\.?\s*(?P<n>\d{2,5})\b", re.IGNORECASE)),
    ("wha", re.compile(r"\bWHA\s?(?P<s>\d{2})\.(?P<n>\d{1,3})\b")),
    (
        "a-res",
        re.compile(
            r"(?<![\w/])A/\s?RES/\s?(?P<s>(?:E?S-)?\d{1,3})/\s?(?P<n>\d{1,4})"
            rf"(?: ?(?P<letter>[A-Z])(?![\w/-]))?{_END}",
            re.IGNORECASE,
        ),
    ),
    (
        "keyword",
        re.compile(
            r"(?<![\w/])(?:(?P<body>"
            + "|".join(f"(?:{body})" for body in _BODIES.values())
            + rf")\s+)?(?P<kw>{_KEYWORD})\s+\(?(?P<num>{_NUMBER}){_END}"
        ),
    ),
    (
        "document",
        re.compile(
            rf"(?<![\w/.:-])(?P<root>{'|'.join(_ROOTS)})(?P<rest>(?:/\s?{_COMPONENT})+)"
            r"(?P<part>\s+and\s+(?:Corr|Add|Rev)\.\d{1,3})?"
            rf"{_END}"
        ),
    ),
    ("special", re.compile(rf"(?<![\w/-])(?P<num>E?S-\d{{1,2}}/\d{{1,4}}){_END}")),
)
"""Every way the corpus prints an instrument symbol, tried in this order at each place."""
_BARE = re.compile(rf"(?P<num>{_SESSION_NUMBER})")
"""A number standing for itself ("59/241" in "resolutions 58/208 and 59/241")."""
_LIST_NEXT = re.compile(
    r"(?:\s+of\s+\d{1,2}\s+[^\W\d_]{3,10}\s+\d{4})?"  # "of 23 December 2003"
    r"(?:\s*,\s*(?:and\s+)?|\s+(?:and|et|y|e)\s+|\s*;\s*)"
    rf"(?P<num>{_SESSION_NUMBER}|{_YEAR_NUMBER}|[A-Z](?![\w/-])){_END}"
)
"""The next number of a list: "resolutions 58/208 and 59/241", "57/270 A and B"."""
_KEEP_UPPER = frozenset({"RES", "DEC", "PRST", "CONF", "CN", "AC", "HRC", "WP", "PV", "SR"})
CITED_PARAGRAPHS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![A-Za-z])OP\s?(\d{1,3})\b"), "operative"),
    (re.compile(r"\bPP\s?(\d{1,3})\b"), "preambular"),
    (
        re.compile(
            r"\b(?:operative\s+)?(?:paragraphs?|paragraphes?|p[áa]rrafos?|paragraf[oi])\s+"
            r"(\d{1,3})\b(?!\s*(?:below|above|ci-dessous|ci-dessus|infra|supra)\b)",
            re.IGNORECASE,
        ),
        "operative",
    ),
    (re.compile(r"\bArt(?:icle|\.)\s*(\d{1,3}(?:\(\d{1,2}\))*(?:\([a-z]\))?)"), "article"),
)
_MORE_PARAGRAPHS = re.compile(
    r"(?:\s*,\s*(?:and\s+)?|\s+(?:and|et|y|e)\s+)(?:OP\s?)?(\d{1,3})\b(?![/.]\d)"
)
"""The next number of a list of paragraphs: "paragraphs 3, 4 and 7", "OP15 and OP16"."""
_SELF = re.compile(r"\s*(?:below|above|ci-dessous|ci-dessus|infra|supra)\b", re.IGNORECASE)
_NUMBER = r"[0-9]{1,9}"
_ARTICLE = rf"{_NUMBER}(?:\([0-9]{{1,2}}\))*(?:\([a-z]\))?"
_REFERENCES: tuple[tuple[re.Pattern[str], str | None, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind, template)
    for pattern, kind, template in (
        (rf"(?:OP|operative\s+paragraph)\s*({_NUMBER})", "operative", "{0}"),
        (rf"(?:PP|preambular\s+paragraph)\s*({_NUMBER})", "preambular", "{0}"),
        (rf"Art(?:icle|\.)?\s*({_ARTICLE})", "article", "{0}"),
        (rf"RT\s*({_NUMBER})", "round-table", "RT{0}"),
        (rf"unnumbered(?:-|\s+paragraph\s+)({_NUMBER})", None, "unnumbered-{0}"),
        (rf"para(?:graph)?\.?\s*({_NUMBER})", None, "{0}"),
    )
)
"""Paragraph references as users write them, each with a marker: its kind and how the
graph spells its number. A bare number ("17") is read by parse_paragraph only: after a
symbol it would be part of the symbol ("Resolution No. 1244")."""
_BARE_NUMBER = re.compile(f"({_NUMBER})")
_REFERENCE = re.compile(
    r"(?P<symbol>.*?[^\s,])(?:\s*,\s*|\s+)(?P<paragraph>"
    + "|".join(pattern.pattern for pattern, _, _ in _REFERENCES)
    + ")",
    re.IGNORECASE | re.DOTALL,
)
_PREFIX = {"operative": "OP", "preambular": "PP", "article": "Art. ", "round-table": ""}
_SAME_KIND = {"operative": frozenset({"operative", "resolves"})}
"""Kinds a reference's kind stands for: the "resolves" paragraphs of an IOM Council
resolution are its operative paragraphs."""
SAME_RESOLUTION = re.compile(r"\b(?:this|the same|that)\s+resolution\b", re.IGNORECASE)
VERBS: dict[str, str] = {
    r"request(?:s|ed|ing)?|ask(?:s|ed|ing)?": "requests",
    r"invit(?:es|ed|e|ing)": "invites",
    r"encourag(?:es|ed|e|ing)": "encourages",
    r"urg(?:es|ed|e|ing)": "urges",
    r"call(?:s|ed)? (?:up)?on": "calls upon",
    r"decid(?:es|ed|e)|determin(?:es|ed|e)": "decides",
    r"recommend(?:s|ed)?": "recommends",
    r"resolv(?:es|ed|e)": "resolves",
    r"affirm(?:s|ed)?|reaffirm(?:s|ed)?": "affirms",
    r"welcom(?:es|ed|e)": "welcomes",
    r"mandat(?:es|ed|e)": "mandates",
    r"tak(?:es|e|ing) note|took note": "takes note",
    r"stress(?:es|ed)": "stresses",
    r"emphasi[sz](?:es|ed)": "emphasizes",
    r"recogni[sz](?:es|ed)": "recognizes",
    r"acknowledg(?:es|ed)": "acknowledges",
    r"reiterat(?:es|ed)": "reiterates",
}
OPERATIVE_VERB = re.compile(r"\b(?:" + "|".join(f"(?:{v})" for v in VERBS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class SymbolMention:
    """An instrument named by its symbol, as printed and in canonical form."""

    printed: str
    symbol: str
    span: Span
    confidence: float = field(default=1.0, compare=False)
    """How sure the extractor is that this is an instrument (0..1)."""
    series: str | None = field(default=None, compare=False)
    """For a number printed alone in a list ("59/241" after "resolutions 58/208 and"),
    the series it belongs to as a template ("A/RES/{}"): canonical_symbol needs it."""
    issued: str | None = field(default=None, compare=False)
    """The month the text says the instrument was adopted ("2012-12"), where it says so."""
    described: bool = field(default=False, compare=False)
    """Whether the text describes the instrument instead of printing a symbol ("the UN
    General Assembly resolution ..., adopted in December 2012"): `symbol` is then a key
    made of what it says (`described_key`, `constitution_key`)."""


@dataclass(frozen=True)
class ParagraphMention:
    """A paragraph reference with the instrument it belongs to and what the sentence says."""

    symbol: str | None
    number: str
    kind: str
    verb: str | None
    addressees: tuple[str, ...]
    span: Span
    sentence: Span
    confidence: float = field(default=1.0, compare=False)
    """How sure the extractor is of the instrument it ties the paragraph to (0..1)."""


@dataclass(frozen=True)
class ParagraphReference:
    """A paragraph as a user names it: its number as the graph spells it ("17", "1(1)(e)",
    "RT1", "unnumbered-2") and its kind when the reference says ("OP17"; "17" says none)."""

    number: str
    kind: str | None = None

    def render(self) -> str:
        """The reference written out, in a form parse_paragraph reads back."""
        if self.kind is None:
            return (
                self.number if self.number.startswith("unnumbered-") else f"paragraph {self.number}"
            )
        return f"{_PREFIX[self.kind]}{self.number}"

    def names(self, number: str, kind: str) -> bool:
        """Whether it refers to the paragraph of this number and kind."""
        if number.casefold() != self.number.casefold():
            return False
        return self.kind is None or kind in _SAME_KIND.get(self.kind, {self.kind})


@dataclass(frozen=True)
class Reference:
    """An instrument, and one of its paragraphs when named: "A/RES/60/227 OP17"."""

    symbol: str
    paragraph: ParagraphReference | None = None

    def render(self) -> str:
        """The reference written out, in a form parse_reference reads back."""
        if self.paragraph is None:
            return self.symbol
        return f"{self.symbol} {self.paragraph.render()}"


def parse_paragraph(text: str) -> ParagraphReference:
    """A paragraph reference on its own: "17", "OP17", "op 17", "PP3", "Art. 1(1)(e)", "RT1"."""
    stripped = text.strip()
    for pattern, kind, template in (*_REFERENCES, (_BARE_NUMBER, None, "{0}")):
        match = pattern.fullmatch(stripped)
        if match is None:
            continue
        # "OP017" is OP17, and "(E)" is "(e)": spelled as the graph spells them
        number = re.sub(r"[0-9]+", lambda digits: str(int(digits[0])), match[1]).lower()
        if number.startswith("0"):
            raise ParseError(f"no paragraph {_quoted(text)}: paragraphs are numbered from 1")
        return ParagraphReference(template.format(number), kind)
    raise ParseError(
        f"not a paragraph reference: {_quoted(text)} (write 17, OP17, PP3, Art. 5(2)(a) or RT1)"
    )


def parse_reference(text: str) -> Reference:
    """An instrument, with a paragraph when one follows its symbol: "A/RES/60/227 OP17",
    "IOM-CONSTITUTION Art. 1(1)(e)", "resolution 60/227". A symbol of a known family is
    made canonical; any other (a curated key, an alias) is kept as written."""
    stripped = text.strip()
    if not stripped:
        raise ParseError("no instrument named: the reference is empty")
    match = _REFERENCE.fullmatch(stripped)
    if match is None:
        return Reference(_symbol(stripped))
    return Reference(_symbol(match["symbol"]), parse_paragraph(match["paragraph"]))


def _symbol(written: str) -> str:
    try:
        return canonical_symbol(written)
    except ParseError:
        return written


def _quoted(text: str, limit: int = 60) -> str:
    """The text as a message quotes it, cut short when long."""
    return repr(text) if len(text) <= limit else f"{text[:limit]!r}... ({len(text)} characters)"


def canonical_symbol(printed: str, series: str | None = None) -> str:
    """The one canonical form of a printed symbol, however it is printed.

    "A/Res/60/227" -> "A/RES/60/227"; "resolution 58/208" -> "A/RES/58/208";
    "Economic and Social Council decision 1995/313" -> "E/DEC/1995/313"; "S\u201121/2"
    -> "A/RES/S-21/2". Hyphen and space variants, soft hyphens and line breaks are
    folded first. A number printed alone ("59/241", "B") needs the `series` of the list
    it stands in ("A/RES/{}"); a bare session number is a General Assembly resolution.
    """
    written = " ".join(fold_chars(printed).split())
    if series is not None and _LIST_ITEM.fullmatch(written):
        return series.format(_spaced_number(written))
    if series is not None and _PART.fullmatch(written):
        return series.format(written)
    alone = _KEYWORD_ALONE.fullmatch(written)
    if series is not None and alone:  # "resolution 2013/1" of the body the text names
        return series.format(alone["num"])
    for family, pattern in _FAMILIES:
        # tried as `symbols` tries them: a family that reads only the start of the text
        # ("A/RES/0/0" of "A/RES/0/0-A") is what a reader of the text would find there
        match = pattern.match(written)
        if match and match.end() == len(written):
            return _canonical(family, match)
        if match:
            raise ParseError(f"not one instrument symbol: {_quoted(printed)}")
    bare = _BARE.fullmatch(written)
    if bare:
        return _keyword_symbol(None, "resolution", bare["num"])
    raise ParseError(f"not an instrument symbol: {_quoted(printed)}")


_LIST_ITEM = re.compile(rf"{_SESSION_NUMBER}|{_YEAR_NUMBER}|[A-Z]")
_PART = re.compile(r"(?:Corr|Add|Rev)\.\d{1,3}")
"""A corrigendum, addendum or revision printed after its document ("A/50/623 and Corr.1")."""
_KEYWORD_ALONE = re.compile(rf"{_KEYWORD}\s+(?P<num>{_YEAR_NUMBER})")
"""A year/number resolution or decision printed without its body ("Resolution 2013/1")."""
_RESOLUTION_SUBJECT = re.compile(r"^[ \t]*The (?P<body>[^,\n]{5,120}),[ \t]*$", re.MULTILINE)
"""The body a resolution text opens with ("The Commission on Population and Development,")."""
_SUBJECT_REACH = 400
"""How far after a resolution's heading its opening body may stand (a title between)."""


def _canonical(family: str, match: re.Match[str]) -> str:
    if family == "numbered":
        return f"Resolution No. {int(match['n'])}"
    if family == "wha":
        return f"WHA{match['s']}.{match['n']}"
    if family == "a-res":
        letter = f" {match['letter']}" if match["letter"] else ""
        return f"A/RES/{match['s'].upper()}/{match['n']}{letter}"
    if family == "keyword":
        return _keyword_symbol(match["body"], match["kw"], match["num"])
    if family == "special":
        return f"A/RES/{match['num'].upper()}"
    parts = [match["root"], *(p.strip() for p in match["rest"].split("/")[1:])]
    if match["part"]:  # "A/50/623 and Corr.1": the corrigendum's own symbol
        parts.append(match["part"].split()[-1])
    if not any(c.isdigit() for c in match["rest"]):
        raise ParseError(f"not an instrument symbol: {_quoted(match.group(0))}")
    return "/".join(p.upper() if p.upper() in _KEEP_UPPER else p for p in parts)


def _spaced_number(number: str) -> str:
    """ "57/270B" and "57/270 B" alike as "57/270 B"; "s-21/2" as "S-21/2"."""
    number = number.upper().replace(" ", "")
    return re.sub(r"(?<=\d)([A-Z])$", r" \1", number)


def _series(body: str | None, keyword: str, number: str) -> str:
    """The template of a number's series: "A/RES/{}", "E/DEC/{}", "resolution {}"."""
    kind = "DEC" if keyword.casefold().lstrip("r").startswith(("dec", "déc")) else "RES"
    word = "decision" if kind == "DEC" else "resolution"
    prefix = next(
        (key for key, names in _BODIES.items() if body and re.fullmatch(names, body)), None
    )
    if re.fullmatch(_SESSION_NUMBER, number):
        return f"{'A' if prefix in (None, 'S') else prefix}/{kind}/{{}}"
    if re.fullmatch(_YEAR_NUMBER, number):
        return f"E/{kind}/{{}}" if prefix == "E" else f"{word} {{}}"
    if prefix == "S" and kind == "RES":
        return "S/RES/{}"
    raise ParseError(f"not an instrument symbol: {_quoted(f'{keyword} {number}')}")


def _keyword_symbol(body: str | None, keyword: str, number: str) -> str:
    number = " ".join(number.split())
    if re.fullmatch(_COUNCIL_NUMBER, number):
        number = number.split()[0].split("(")[0]
    return _series(body, keyword, number).format(_spaced_number(number))


def symbols(
    text: str, names: NameFinder | None = None, bodies: BodyFinder | None = None
) -> list[SymbolMention]:
    """Instrument symbols in a text, each once, at the characters that print it.

    Every form of `canonical_symbol`, plus each further number of a list ("resolutions
    58/208 and 59/241" gives both) and a document's corrigendum ("A/50/623 and Corr.1"
    gives A/50/623 and A/50/623/Corr.1); `names` adds instruments known by name (curated
    aliases). `bodies` (names of organizations, keyed by acronym) gives a year/number
    resolution the body that adopted it: the one named just before it ("Commission on
    Population and Development resolution 2013/1") or opening the resolution's text
    after it ("Resolution 2013/1 ... The Commission on Population and Development,"):
    "CPD resolution 2013/1".
    """
    return list(_symbols(text, names, bodies))


@lru_cache(maxsize=8)
def _symbols(
    text: str, names: NameFinder | None, bodies: BodyFinder | None
) -> tuple[SymbolMention, ...]:
    """`symbols`, read once per document: the citation, paragraph and reported-paragraph
    extractors each ask for the same text's symbols."""
    folded = fold(text)
    found: list[SymbolMention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, series: str | None, confidence: float) -> str | None:
        span = folded.span(start, end)
        if any(a < span.end and span.start < b for a, b in taken):
            return None
        printed = span.of(text)
        try:
            symbol = canonical_symbol(printed, series)
        except ParseError:
            return None
        found.append(SymbolMention(printed, symbol, span, confidence, series))
        taken.append((span.start, span.end))
        return symbol

    for family, pattern in _FAMILIES:
        for match in pattern.finditer(folded.text):
            if family == "document" and match["part"]:
                base = add(match.start(), match.end("rest"), None, _CONFIDENCE[family])
                if base is not None:
                    part = match.start("part") + match["part"].index(match["part"].split()[-1])
                    add(part, match.end("part"), f"{base}/{{}}", _CONFIDENCE[family])
                continue
            symbol = add(match.start(), match.end(), None, _CONFIDENCE[family])
            if symbol is None or family != "keyword":
                continue
            series = _series(match["body"], match["kw"], " ".join(match["num"].split()))
            cursor, previous = match.end(), symbol
            while (more := _LIST_NEXT.match(folded.text, cursor)) is not None:
                number = more["num"]
                template = re.sub(r" [A-Z]$", "", previous) + " {}" if len(number) == 1 else series
                added = add(more.start("num"), more.end("num"), template, 0.9)
                if added is None:
                    break
                cursor, previous = more.end(), added
    if bodies is not None:
        found = _with_bodies(text, found, bodies)
    if names is not None:
        for mention in names.find(text):
            if not any(a < mention.span.end and mention.span.start < b for a, b in taken):
                found.append(SymbolMention(mention.text, str(mention.key), mention.span))
                taken.append((mention.span.start, mention.span.end))
    if bodies is not None:
        for described in _described(text, bodies, found):
            if not any(a < described.span.end and described.span.start < b for a, b in taken):
                found.append(described)
                taken.append((described.span.start, described.span.end))
    return tuple(sorted(found, key=lambda m: m.span.start))


def described_key(body: str, kind: str, month: str, adopts: str | None = None) -> str:
    """The key of a resolution or decision a text describes instead of printing its symbol:
    the body that adopted it, its kind and its month ("CEB decision of 2012-04"), and the
    named document it adopted where the text tells it by that ("IOM-COUNCIL resolution of
    2012-11 adopting IOM Migration Crisis Operational Framework")."""
    key = f"{body} {kind} of {month}"
    return f"{key} adopting {' '.join(adopts.split())}" if adopts else key


def constitution_key(body: str) -> str:
    """The key of an organization's constitution ("IOM-CONSTITUTION"), as the curation
    keys an instrument without a symbol (graph/curation/README.md)."""
    return f"{body}-CONSTITUTION"


_DESCRIBED_NOUN = re.compile(r"\b(?P<kind>resolution|decision)\b", re.IGNORECASE)
_BODY_BEFORE = re.compile(
    r"[\s*_]*(?:['\u2019]s?)?[\s*_]*(?:(?:issued|adopted|passed|took)\s+(?:a|an|its|the)\s+)?"
)
"""Between the body and the noun of the instrument it adopted: "the UN General Assembly
**resolution", "the Council's decision", "the Board issued a decision"."""
_THROUGH = re.compile(r",?\s+(?:per|by|in|through|via)\s+(?:(?:a|an|its|their)\s+)?")
"""Between the body and the noun of an instrument it adopted a document by: "adopted by IOM
Member States per resolution", "adopted by the Council in a decision"."""
_MEMBERS = re.compile(r"(?:['\u2019]s)?\s+(?:\d+\s+)?Member\s+States\b")
"""After an organization, its Member States ("IOM Member States", "IOM's 149 Member
States"): they adopt resolutions in its plenary organ (the registry's `plenary`)."""
_DOCUMENT = (
    r"(?:Framework|Strategy|Plan|Programme|Program|Agenda|Declaration|Compact|Principles"
    r"|Guidelines|Statement|Charter|Convention)(?:\s+(?:of|for)\s+Action)?"
)
_ADOPTED_BY = re.compile(
    rf"(?:\b[Tt]he\s+)?(?P<name>(?!The\b)[A-Z][\w'\u2019-]*\s+"
    rf"(?:(?:(?:of|on|for|and|the|to|in)\s+)*[A-Z][\w'\u2019-]*\s+){{0,10}}?{_DOCUMENT})"
    rf"[\s*_]*(?:[,(\u2013\u2014]|\s-)?\s*(?:which\s+was\s+|that\s+was\s+|was\s+)?"
    rf"adopted\s+by\s+(?:the\s+)?$"
)
"""Before the body, the named document its instrument adopted: "the IOM Migration Crisis
Operational Framework, adopted by IOM Member States per resolution in November 2012"."""
_BODY_AFTER = re.compile(r"\s+(?:of|by)\s+(?:the\s+)?[\s*_]*")
"""Between the noun and the body after it: "resolution of the IOM Council"."""
_DATE_REACH = 120
"""How far after its noun the month a described instrument was adopted in may stand
("resolution concerning the modalities of the 2013 HLD, adopted in December 2012")."""
_OPENING = 4
"""Or a month that opens the sentence ("In December 2012, UN Member States adopted a
resolution ...")."""
_CONSTITUTION = re.compile(r"(?:(?P<its>\bits)\s+)?\bConstitution\b(?P<of>\s+of\s+(?:the\s+)?)?")


def _described(
    text: str, bodies: BodyFinder, printed: list[SymbolMention]
) -> Iterator[SymbolMention]:
    """Instruments a text describes without a symbol: a body's resolution or decision of a
    month ("The UN General Assembly resolution concerning ..., adopted in December 2012",
    "the UN Chief Executives Board issued a decision in April 2012"), the same again
    without its body ("The "HLD Modalities" resolution of December 2012"), and an
    organization's constitution ("IOM's mandate expressed in its Constitution"). A
    resolution by which a named document was adopted is told by that document too ("the IOM
    Migration Crisis Operational Framework, adopted by IOM Member States per resolution in
    November 2012"); an organization's Member States adopt in its plenary organ.

    One whose sentence prints a symbol after it is that symbol ("adopted a resolution on
    ... (Resolution No. 1244)"), and so is a later one of the same kind and month ("As
    affirmed in resolution of the IOM Council in November 2012")."""
    told: dict[tuple[str, str], str] = {}  # (kind, month) -> key or symbol
    for sentence in sentences(text):
        named = list(bodies.find(text, sentence.start, sentence.end))
        nouns = list(_DESCRIBED_NOUN.finditer(text, sentence.start, sentence.end))
        months = [
            (d.begin, d.start.iso()[:7])
            for d in (find_dates(text, sentence.start, sentence.end) if nouns else [])
            if d.start.precision != "year"
        ]
        for noun in nouns:
            kind = noun["kind"].lower()
            month = next(
                (m for at, m in months if 0 <= at - noun.end() <= _DATE_REACH),
                next((m for at, m in months if at - sentence.start <= _OPENING), None),
            )
            symbol = [
                m for m in printed if noun.start() <= m.span.end and m.span.start < sentence.end
            ]
            if symbol:
                if months:
                    told.setdefault((kind, month or months[0][1]), symbol[0].symbol)
                continue
            if month is None:
                continue
            adopter = _adopter(text, sentence, noun, named, bodies)
            if adopter is not None:
                # one told by the document it adopted is that one, not one told before
                key = (
                    described_key(adopter.body, kind, month, adopter.adopts)
                    if adopter.adopts
                    else told.setdefault((kind, month), described_key(adopter.body, kind, month))
                )
                start = min(adopter.span.start, noun.start())
                end = max(adopter.span.end, noun.end())
            elif (kind, month) in told and _DEFINITE.search(
                text, max(sentence.start, noun.start() - 40), noun.start()
            ):
                key, start, end = told[(kind, month)], noun.start(), noun.end()
            else:
                continue
            yield SymbolMention(
                text[start:end], key, Span(start, end), 0.7, issued=month, described=True
            )
        for match in _CONSTITUTION.finditer(text, sentence.start, sentence.end):
            owner = _owner_of(match, named)
            if owner is not None and owner.key is not None:
                start, end = min(owner.span.start, match.start()), max(owner.span.end, match.end())
                yield SymbolMention(
                    text[start:end],
                    constitution_key(owner.key),
                    Span(start, end),
                    0.7,
                    described=True,
                )


@dataclass(frozen=True)
class _Adopter:
    """Who adopted a described instrument, where the text says it, and the named document it
    adopted, where the text tells it by that."""

    body: str
    span: Span
    adopts: str | None = None


def _adopter(
    text: str, sentence: Span, noun: re.Match[str], named: list[OrgMention], bodies: BodyFinder
) -> _Adopter | None:
    """The body next to an instrument's noun: before it ("the UN General Assembly
    resolution", "IOM Member States per resolution") or after it ("resolution of the IOM
    Council")."""
    for body in reversed(named):
        if body.key is None or body.span.end > noun.start():
            continue
        key, cursor = body.key, body.span.end
        if (members := _MEMBERS.match(text, cursor, noun.start())) is not None:
            key, cursor = bodies.plenary(body.key), members.end()
        if not (
            _BODY_BEFORE.fullmatch(text, cursor, noun.start())
            or _THROUGH.fullmatch(text, cursor, noun.start())
        ):
            continue
        document = _ADOPTED_BY.search(text, sentence.start, body.span.start)
        if document is not None:
            return _Adopter(key, Span(document.start("name"), cursor), document["name"])
        return _Adopter(key, Span(body.span.start, cursor))
    for body in named:
        if (
            body.key is not None
            and body.span.start >= noun.end()
            and _BODY_AFTER.fullmatch(text, noun.end(), body.span.start)
        ):
            return _Adopter(body.key, body.span)
    return None


_DEFINITE = re.compile(
    r"\b(?:the|this|that|said)\s+(?:[\w\"\u201c\u201d*-]+\s+){0,3}$", re.IGNORECASE
)
"""Before the noun of an instrument told again without its body: "The "HLD Modalities"
resolution of December 2012"; not "per resolution in November 2012"."""


def _owner_of(match: re.Match[str], named: list[OrgMention]) -> OrgMention | None:
    """Whose constitution: "IOM's Constitution", "IOM's mandate expressed in its
    Constitution", "Constitution of the International Organization for Migration"."""
    if match["its"]:
        before = [b for b in named if match.start() - ITS_REACH <= b.span.end <= match.start()]
        return before[-1] if before else None
    if match["of"]:
        return next((b for b in named if b.span.start == match.end()), None)
    return next(
        (b for b in named if _POSSESSIVE.fullmatch(match.string, b.span.end, match.start())), None
    )


_POSSESSIVE = re.compile(r"['\u2019]s\s+")


def _with_bodies(text: str, found: list[SymbolMention], bodies: NameFinder) -> list[SymbolMention]:
    """Year/number resolutions and decisions with the body that adopted them, where the
    text names it; the further numbers of a list take their head's body."""
    out: list[SymbolMention] = []
    body: str | None = None
    for mention in sorted(found, key=lambda m: m.span.start):
        alone = _KEYWORD_ALONE.fullmatch(" ".join(fold_chars(mention.printed).split()))
        if alone and mention.series is None:
            body = _body_before(text, mention.span, bodies) or _body_after(text, mention.span,
                                                                           bodies)  # fmt: skip
            kind = "decision" if mention.symbol.startswith("decision") else "resolution"
            series = f"{body} {kind} {{}}" if body else None
        elif body and mention.series in ("resolution {}", "decision {}"):
            series = f"{body} {mention.series}"
        else:
            body = series = None
        if series is None:
            out.append(mention)
            continue
        symbol = canonical_symbol(mention.printed, series)
        out.append(SymbolMention(mention.printed, symbol, mention.span, mention.confidence,
                                 series))  # fmt: skip
    return out


def _body_before(text: str, span: Span, bodies: NameFinder) -> str | None:
    """The body named just before a symbol ("CPD resolution", "the Commission's decision")."""
    for named in bodies.find(text, max(0, span.start - 160), span.start):
        if re.fullmatch(r"\s*(?:['\u2019]s?\s*)?", text[named.span.end : span.start]):
            return named.key
    return None


def _body_after(text: str, span: Span, bodies: NameFinder) -> str | None:
    """The body a resolution's text opens with, just after its heading."""
    subject = _RESOLUTION_SUBJECT.search(text, span.end, span.end + _SUBJECT_REACH)
    if subject is None:
        return None
    named = next(bodies.find(text, subject.start("body"), subject.end("body")), None)
    if named is None or named.span != Span(subject.start("body"), subject.end("body")):
        return None
    return named.key


_CONFIDENCE = {
    "numbered": 0.9, "wha": 0.95, "a-res": 1.0, "keyword": 0.95, "document": 0.85,
    "special": 0.8,
}  # fmt: skip
"""How often a match of each family is an instrument or document symbol."""


def paragraphs(
    text: str,
    orgs: NameFinder,
    names: NameFinder | None = None,
    bodies: BodyFinder | None = None,
) -> Iterator[ParagraphMention]:
    """Paragraph references, each tied to the instrument cited in its sentence or before it.

    "(OP 17)", "OP15 ... according to OP16", "paragraph 26 of resolution 65/170",
    "paragraphs 3 and 4" (both); a paragraph of the document itself ("paragraph 32 below")
    names no instrument. Each comes with the sentence's operative verb and addressees.
    """
    cited = symbols(text, names, bodies)
    for sentence in sentences(text):
        verb = OPERATIVE_VERB.search(text, sentence.start, sentence.end)
        named = [m for m in organizations_in(text, sentence, orgs) if m.key is not None]
        groups: list[tuple[re.Match[str], str, list[tuple[int, int, str]], bool]] = []
        for pattern, kind in CITED_PARAGRAPHS:
            for match in pattern.finditer(text, sentence.start, sentence.end):
                numbers = [(match.start(), match.end(), match.group(1))]
                cursor = match.end()
                while kind != "article" and (
                    more := _MORE_PARAGRAPHS.match(text, cursor, sentence.end)
                ):
                    numbers.append((more.start(1), more.end(1), more.group(1)))
                    cursor = more.end()
                own = _SELF.match(text, cursor, sentence.end) is not None
                groups.append((match, kind, numbers, own))
        groups.sort(key=lambda g: g[0].start())
        seen: set[int] = set()
        for index, (_match, kind, numbers, own) in enumerate(groups):
            addressees = _addressees_of(text, sentence, groups, index, named)
            for start, end, number in numbers:
                if start in seen:
                    continue
                seen.add(start)
                symbol, confidence = (
                    (None, 0.3) if own else _instrument_for(cited, sentence, start, kind)
                )
                yield ParagraphMention(
                    symbol=symbol,
                    number=number,
                    kind=kind,
                    verb=verb_lemma(verb.group(0)) if verb else None,
                    addressees=addressees,
                    span=Span(start, end),
                    sentence=sentence,
                    confidence=confidence,
                )


def _addressees_of(
    text: str,
    sentence: Span,
    groups: list[tuple[re.Match[str], str, list[tuple[int, int, str]], bool]],
    index: int,
    named: list[OrgMention],
) -> tuple[str, ...]:
    """The organizations a paragraph reference speaks of: the sentence's, or where the
    sentence cites several paragraphs, those of its own stretch: before a bracketed
    reference ("the Commission for Social Development ... (OP19), and the Committee on
    Migrant Workers (OP20)"), after a bare one ("OP15 asks the Secretary-General ...")."""
    everyone = tuple(dict.fromkeys(str(m.key) for m in named))
    starts = sorted({g[0].start() for g in groups})
    if len(starts) < 2:
        return everyone
    match = groups[index][0]
    bracketed = text[max(sentence.start, match.start() - 2) : match.start()].rstrip().endswith("(")
    if bracketed:
        earlier = [g[0].end() for g in groups if g[0].end() <= match.start()]
        stretch = Span(max(earlier, default=sentence.start), match.start())
    else:
        later = [s for s in starts if s > match.start()]
        stretch = Span(match.end(), min(later, default=sentence.end))
    own = tuple(
        dict.fromkeys(str(m.key) for m in named if stretch.start <= m.span.start < stretch.end)
    )
    return own or everyone


_NO_ARTICLES = re.compile(r"RES/|DEC/|[Rr]esolution|[Dd]ecision|^WHA")
"""Symbols of resolutions and decisions: they have paragraphs, not articles."""


def _instrument_for(
    cited: list[SymbolMention], sentence: Span, position: int, kind: str = "operative"
) -> tuple[str | None, float]:
    """The instrument a paragraph belongs to, and how sure that is: the nearest one cited
    in its sentence, else the last one cited before it. An article belongs to no
    resolution or decision ("Art. 1(1)(e)" after "Resolution No. 1244" is another's)."""
    if kind == "article":
        cited = [c for c in cited if not _NO_ARTICLES.search(c.symbol)]
    inside = [c for c in cited if sentence.start <= c.span.start < sentence.end]
    if inside:
        return min(inside, key=lambda c: abs(c.span.start - position)).symbol, 0.9
    before = [c for c in cited if c.span.start < sentence.start]
    return (before[-1].symbol, 0.6) if before else (None, 0.3)


def verb_lemma(verb: str) -> str:
    """The operative verb a written form stands for ("invited" -> "invites")."""
    for pattern, lemma in VERBS.items():
        if re.fullmatch(pattern, verb, re.IGNORECASE):
            return lemma
    return verb.lower()
