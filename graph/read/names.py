"""Names compared the way a careful reader compares them.

`NameForm.of(text)` reduces a name to what matters for matching: transliterated to ASCII
(anyascii, so "Organización" and "Organisation" meet their plain spellings), case folded,
punctuation dropped ("U.N.", "UN-DESA", "Dept."), "&" read as "and", common abbreviations
and British/American spellings mapped to one word ("Dept." = "Department", "Intl" =
"International", "Organisation" = "Organization", "Programme" = "Program"), "UN" read as
"United Nations", and the small words of English, French, Spanish and Portuguese names
("of", "the", "pour", "para", "de"...) left out. rapidfuzz scores the reduced forms, with
word order ignored (`token_sort_ratio`) and small typos costing little (an edit distance).

anyascii was chosen over normality/rigour (OpenSanctions') because it is pure Python:
normality 3 needs PyICU, a C++ extension built against the system's ICU, and `make run`
must need nothing but Python and make.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz

WORDS: dict[str, str] = {
    "dept": "department",
    "depts": "departments",
    "intl": "international",
    "int": "international",
    "internat": "international",
    "org": "organization",
    "organisation": "organization",
    "organisations": "organizations",
    "orgs": "organizations",
    "labour": "labor",
    "programme": "program",
    "programmes": "programs",
    "centre": "center",
    "centres": "centers",
    "defence": "defense",
    "govt": "government",
    "gov": "government",
    "natl": "national",
    "assn": "association",
    "cttee": "committee",
    "secr": "secretariat",
    "un": "united nations",
    "us": "united states",
    "usa": "united states",
    "uk": "united kingdom",
}
"""Abbreviations and spelling variants, each read as one word (or, for "UN", words)."""
SMALL_WORDS = frozenset(
    {"the", "of", "for", "and", "on", "in", "to", "at", "a", "an", "by", "with"}  # English
    | {"de", "del", "des", "du", "la", "le", "les", "las", "los", "el", "y", "et", "e", "en"}
    | {"pour", "par", "para", "por", "sur", "da", "do", "das", "dos", "di", "per"}
)
"""Words that carry nothing a reader would use to tell two organizations apart."""
_PHRASES = ((re.compile(r"\bco operation\b"), "cooperation"),)
_APOSTROPHES = re.compile(r"['`]")  # anyascii has made every apostrophe one of these
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_PARENTHESIS = re.compile(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*$")
UN = "united nations"
ACRONYM_MAX = 12
"""The longest compacted name (no spaces) still compared as an acronym."""


@dataclass(frozen=True)
class NameForm:
    """A name reduced for comparison: `words` (normalised, small words out) and `compact`
    (the plain letters and digits, for acronyms: "U.N.-DESA" -> "undesa")."""

    text: str
    words: str
    compact: str

    @classmethod
    def of(cls, text: str) -> NameForm:
        """The reduced form of a name."""
        plain = _APOSTROPHES.sub("", anyascii(text)).replace("&", " and ").replace("+", " and ")
        raw = _NOT_WORD.sub(" ", plain.casefold()).split()
        raw = _join_initials(raw)
        compact = "".join(raw)
        text_words = " ".join(WORDS.get(w, w) for w in raw)
        for pattern, replacement in _PHRASES:
            text_words = pattern.sub(replacement, text_words)
        words = " ".join(w for w in text_words.split() if w not in SMALL_WORDS)
        return cls(text=text, words=words, compact=compact)

    @property
    def acronym_like(self) -> bool:
        """Whether the name could be an acronym: one short run of letters and digits."""
        return 1 < len(self.compact) <= ACRONYM_MAX and " " not in self.words.strip()


def _join_initials(words: list[str]) -> list[str]:
    """Runs of single letters are one word: "u n h c r" (from "U.N.H.C.R.") -> "unhcr"."""
    joined: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) > 1:
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        if word:
            joined.append(word)
    return joined


def parts(text: str) -> list[str]:
    """A name and, for "Full Name (ACR)" or "ACR (Full Name)", each half as well."""
    found = _PARENTHESIS.match(text.strip())
    if not found:
        return [text]
    return [text, found["outer"], found["inner"]]


def variants(form: NameForm) -> list[tuple[NameForm, float]]:
    """A name and its shorter forms with the weight a match on each deserves: people write
    "Economic and Social Council" for "United Nations Economic and Social Council", but a
    match on the shorter form is a little less sure."""
    found = [(form, 1.0)]
    if UN in form.words:
        shorter = _without_un(form.words)
        if shorter:
            found.append((NameForm(form.text, shorter, form.compact), 0.96))
    return found


def similarity(query: NameForm, name: NameForm, name_is_acronym: bool) -> float:
    """How alike two names are, 0..100: 100 for the same name however spelled; word order
    is ignored and a typo costs a few points. An acronym is compared letter for letter,
    and only with names that could be acronyms."""
    if name_is_acronym or name.acronym_like:
        if len(query.compact) <= ACRONYM_MAX and query.compact == name.compact:
            return 100.0  # "UN ESCAP", "U.N.H.C.R." are UNESCAP, UNHCR
        if query.acronym_like and (len(query.compact) < 5 or len(name.compact) < 5):
            return fuzz.ratio(query.compact, name.compact) * 0.8
    typed, known = query.words, name.words
    if not typed or not known:
        return 0.0
    if typed == known:
        return 100.0
    if UN in typed and UN in known:
        # what tells UN bodies apart is the rest: "UN ESCAP" is not "UN DESA"
        typed, known = _without_un(typed) or typed, _without_un(known) or known
    return max(fuzz.ratio(typed, known), fuzz.token_sort_ratio(typed, known))


def _without_un(words: str) -> str:
    return " ".join(words.replace(UN, " ").split())
