"""Instruments and their paragraphs in prose: symbols, paragraph references, operative verbs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graph.errors import ParseError
from graph.extract.organizations import NameFinder
from graph.extract.prose import organizations_in, sentences
from graph.extract.records import Span

_SYMBOLS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bA/RES/(\d{1,3})/(\d{1,4})\b", re.IGNORECASE), "A/RES/{0}/{1}"),
    (re.compile(r"\b[Rr]esolutions?\s+(\d{2})/(\d{1,4})\b"), "A/RES/{0}/{1}"),
    (re.compile(r"\bResolution\s+No\.?\s*(\d{2,5})\b", re.IGNORECASE), "Resolution No. {0}"),
    (re.compile(r"\bWHA\s?(\d{2})\.(\d{1,3})\b"), "WHA{0}.{1}"),
    (re.compile(r"\b(E|A|S)/(\d{4})/(\d{1,4})\b"), "{0}/{1}/{2}"),
)
_PARAGRAPHS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![A-Za-z])OP\s?(\d{1,3})\b"), "operative"),
    (re.compile(r"\bPP\s?(\d{1,3})\b"), "preambular"),
    (re.compile(r"\b(?:operative\s+)?paragraphs?\s+(\d{1,3})\b", re.IGNORECASE), "operative"),
    (re.compile(r"\bArt(?:icle|\.)\s*(\d{1,3}(?:\(\d{1,2}\))*(?:\([a-z]\))?)"), "article"),
)
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
_ANAPHORA = re.compile(r"\b(?:this|the same|that)\s+resolution\b", re.IGNORECASE)
VERBS: dict[str, str] = {
    r"request(?:s|ed|ing)?|ask(?:s|ed|ing)?": "requests",
    r"invit(?:es|ed|e|ing)": "invites",
    r"encourag(?:es|ed|e|ing)": "encourages",
    r"urg(?:es|ed|e|ing)": "urges",
    r"call(?:s|ed)? (?:up)?on": "calls upon",
    r"decid(?:es|ed|e)": "decides",
    r"recommend(?:s|ed)?": "recommends",
    r"resolv(?:es|ed|e)": "resolves",
    r"affirm(?:s|ed)?|reaffirm(?:s|ed)?": "affirms",
    r"welcom(?:es|ed|e)": "welcomes",
    r"mandat(?:es|ed|e)": "mandates",
}
_VERB = re.compile(r"\b(?:" + "|".join(f"(?:{v})" for v in VERBS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class SymbolMention:
    """An instrument named by its symbol, as printed and in canonical form."""

    printed: str
    symbol: str
    span: Span


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


def canonical_symbol(printed: str) -> str:
    """The canonical form of a printed symbol ("A/Res/60/227" -> "A/RES/60/227")."""
    for pattern, template in _SYMBOLS:
        match = pattern.fullmatch(printed.strip())
        if match:
            return template.format(*match.groups())
    raise ParseError(f"not an instrument symbol: {printed!r}")


def symbols(text: str, names: NameFinder | None = None) -> list[SymbolMention]:
    """Instrument symbols in a text; `names` adds instruments known by name (curated aliases)."""
    found: list[SymbolMention] = []
    for pattern, template in _SYMBOLS:
        for match in pattern.finditer(text):
            if any(f.span.start <= match.start() < f.span.end for f in found):
                continue
            symbol = template.format(*match.groups())
            found.append(SymbolMention(match.group(0), symbol, Span(match.start(), match.end())))
    if names is not None:
        for mention in names.find(text):
            if not any(f.span.start <= mention.span.start < f.span.end for f in found):
                found.append(SymbolMention(mention.text, str(mention.key), mention.span))
    return sorted(found, key=lambda m: m.span.start)


def paragraphs(
    text: str, orgs: NameFinder, names: NameFinder | None = None
) -> Iterator[ParagraphMention]:
    """Paragraph references, each tied to the instrument cited in its sentence or before it."""
    cited = symbols(text, names)
    for sentence in sentences(text):
        for pattern, kind in _PARAGRAPHS:
            for match in pattern.finditer(text, sentence.start, sentence.end):
                symbol = _instrument_for(cited, sentence, match.start())
                verb = _VERB.search(text, sentence.start, sentence.end)
                addressees = tuple(
                    dict.fromkeys(
                        m.key for m in organizations_in(text, sentence, orgs) if m.key is not None
                    )
                )
                yield ParagraphMention(
                    symbol=symbol,
                    number=match.group(1),
                    kind=kind,
                    verb=_lemma(verb.group(0)) if verb else None,
                    addressees=addressees,
                    span=Span(match.start(), match.end()),
                    sentence=sentence,
                )


def _instrument_for(cited: list[SymbolMention], sentence: Span, position: int) -> str | None:
    inside = [c for c in cited if sentence.start <= c.span.start < sentence.end]
    if inside:
        return min(inside, key=lambda c: abs(c.span.start - position)).symbol
    before = [c for c in cited if c.span.start < sentence.start]
    return before[-1].symbol if before else None


def _lemma(verb: str) -> str:
    for pattern, lemma in VERBS.items():
        if re.fullmatch(pattern, verb, re.IGNORECASE):
            return lemma
    return verb.lower()
