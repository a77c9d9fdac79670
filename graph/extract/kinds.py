"""The kind of an event (conference, workshop, seminar...) from the words of its title."""

from __future__ import annotations

import re

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
