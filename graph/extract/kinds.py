"""The words that name events in prose, and the kind of an event (conference, workshop,
seminar...) from the words of its title."""

from __future__ import annotations

import re

EVENT_NOUN = re.compile(
    r"\b(?:conferences?|workshops?|seminars?|meetings?|round[- ]?tables?|consultations?|"
    r"dialogues?|symposi(?:um|a)|debates?|panels?|hearings?|summits?|congress|sessions?|"
    r"forums?|encounters?|retreats?|side[- ]events?|launch|"
    r"conférences?|réunions?|ateliers?|séminaires?|colloques?|conferencias?|reunión|reuniones|"
    r"talleres|taller|seminarios?|diálogos?|foros?|convegn[oi]|incontr[oi]|riunion[ei]|dialogo|"
    r"simposio|audizion[ei]|session[ei]|sesión|sesiones|tavol[ae] rotond[ae])\b",
    re.IGNORECASE,
)
"""A noun that names an event, in the languages the extractors read."""

# First match wins: "Side Event: Panel Discussion" is a side event before it is a panel.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("side event", r"\bside events?\b"),
        ("hearing", r"\bhearings?\b"),
        ("report launch", r"\breport\b"),
        ("training", r"\btraining\b"),
        ("seminar", r"\bseminars?\b"),
        ("workshop", r"\bworkshops?\b"),
        ("panel", r"\bpanels?\b|\broundtables?\b|\bround tables?\b"),
        ("session", r"\bsession\b|\bcommission on\b|\bcommittee\b"),
        ("conference", r"\bconference\b|\bcongress\b|\bsymposium\b|\bencounter\b|\bdialogue\b"),
        ("meeting", r"\bmeeting\b|\bconsultation\b|\bevent\b"),
    )
)


def event_kind(title: str) -> str | None:
    """The kind of event a title names, or None when no rule applies."""
    for kind, pattern in _KINDS:
        if pattern.search(title):
            return kind
    return None
