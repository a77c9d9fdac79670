"""Text as extractors read it: the typographic variants of real documents folded away.

UN texts print symbols and dates with non-breaking hyphens (U+2011), soft hyphens at line
ends (U+00AD), en dashes, thin and no-break spaces and zero-width marks. Extractors match
on the folded text and report spans in the original one, so a span always quotes the
document's own characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.model.statements import Span

_HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_DROPPED = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_SPACES = frozenset("\u00a0\u2007\u2009\u200a\u202f\u205f\u3000")
_TABLE = {ord(c): "-" for c in _HYPHENS} | {ord(c): " " for c in _SPACES}


@dataclass(frozen=True)
class Folded:
    """A folded text and, for each of its characters, where it stands in the original."""

    text: str
    offsets: tuple[int, ...]
    length: int

    def span(self, start: int, end: int) -> Span:
        """The original span of folded[start:end] (end > start)."""
        return Span(self.offsets[start], self.offsets[end - 1] + 1)

    def position(self, original: int) -> int:
        """The folded index of the first character at or after an original offset."""
        low, high = 0, len(self.offsets)
        while low < high:
            middle = (low + high) // 2
            if self.offsets[middle] < original:
                low = middle + 1
            else:
                high = middle
        return low


def fold_chars(text: str) -> str:
    """Hyphen and space variants made plain, soft hyphens and zero-width marks dropped."""
    return "".join(c for c in text if c not in _DROPPED).translate(_TABLE)


def fold(text: str) -> Folded:
    """The folded text with its map back to the original offsets."""
    if not any(c in _DROPPED for c in text):
        return Folded(text.translate(_TABLE), tuple(range(len(text))), len(text))
    kept = [(i, c) for i, c in enumerate(text) if c not in _DROPPED]
    folded = "".join(c for _, c in kept).translate(_TABLE)
    return Folded(folded, tuple(i for i, _ in kept), len(text))
