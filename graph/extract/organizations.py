"""Organizations named in running text: registry spellings and "Full Name (ACRONYM)" pairs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from graph.extract.records import Span

_PAIR = re.compile(r"\(([A-Z][A-Za-z&\-]{1,11})\)")
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class OrgMention:
    """A name found in text, with the registry id it resolves to (None when unknown)."""

    text: str
    span: Span
    key: str | None


@dataclass(frozen=True)
class AcronymPair:
    """A "Full Name (ACRONYM)" definition found in text."""

    name: str
    acronym: str
    span: Span


class NameFinder:
    """Finds known names (registry labels, acronyms, spellings) in text, longest first."""

    def __init__(self, names: Iterable[tuple[str, str]]) -> None:
        table = {name: key for name, key in names if len(name) >= 2}
        self._keys = table
        alternatives = sorted(table, key=len, reverse=True)
        body = "|".join(re.escape(name) for name in alternatives)
        self._pattern = re.compile(rf"(?<![\w/-])(?:{body})(?![\w/-])") if body else None

    def find(self, text: str, start: int = 0, end: int | None = None) -> Iterator[OrgMention]:
        """Every known name in text[start:end], with absolute spans."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(text, start, len(text) if end is None else end):
            name = match.group(0)
            yield OrgMention(name, Span(match.start(), match.end()), self._keys[name])


def acronym_pairs(text: str, start: int = 0, end: int | None = None) -> Iterator[AcronymPair]:
    """ "Full Name (ACR)" pairs, by the Schwartz-Hearst algorithm (PSB 2003).

    The long form is looked for in the min(|A|+5, 2|A|) words before the parenthesis:
    the acronym's characters must occur in it right to left, the first one at the start
    of a word.
    """
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
