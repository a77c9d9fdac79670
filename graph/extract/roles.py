"""Who takes what part in an event a sentence tells: the organizations after a cue
phrase ("jointly organized by", "in partnership with", "hosted by", "with funding
from"), the subject of an organizing or participating verb ("IOM and the World Bank
organised"), and the body the event's own name makes its owner ("a UNFPA Expert Group
Meeting"). The roles are those of graph/curation/README.md's table; an organization only
named in passing has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from graph.extract.kinds import EVENT_NOUN
from graph.extract.organizations import HYPHENED_ROLE, HYPHENED_ROLES, OrgMention
from graph.model.statements import Span
from graph.model.vocab import organizing_roles

_CUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern.replace(" ", r"\s+"), re.IGNORECASE), role)
    for pattern, role in (
        (r"\bco-chaired by\b", "co-chair"),
        (r"\bchaired by\b", "chair"),
        (r"\bhosted by\b", "host"),
        (r"\b(?:jointly organi[sz]ed|co-organi[sz]ed|convened jointly|jointly convened"
         r"|co-sponsored|jointly sponsored|facilitated)\s+by\b", "co-organizer"),
        (r"\bin (?:partnership|cooperation|collaboration|close collaboration|consultation) with\b"
         r"|\ben (?:coopération|collaboration|partenariat) avec\b"
         r"|\ben (?:cooperación|colaboración) con\b"
         r"|\bin (?:collaborazione|cooperazione) con\b|\bco-sponsors?\b|\bco-sponsored\b",
         "co-organizer"),
        (r"\b(?:organisée?s? par|organizad[oa]s? por|organizzat[oa] da(?:l|lla|i|gli)?)\b"
         r"|\bpromoss[oa]\b[^.;]{0,60}?\bda(?:l|lla|llo|i|gli|lle)\b", "organizer"),
        (r"\b(?:avec le (?:soutien|concours|appui) d[eu]|con el apoyo de|con (?:il|l['\u2019])"
         r"\s*(?:supporto|sostegno|appoggio) d(?:i|el|ella|ello|ei|egli)?)\b", "supporter"),
        (r"\b(?:accueillie? par|auspiciad[oa] por|ospitat[oa] da)\b", "host"),
        (r"\b(?:together|jointly) with\b", "co-organizer"),
        (r"\b(?:organi[sz]ed|convened|launched|held|led)\s+by\b", "organizer"),
        (r"\borgani[sz]ed\s+with\b", "co-organizer"),
        (r"\bwith (?:the )?(?:financial )?(?:support|assistance) (?:of|from)\b|\bsupported by\b",
         "supporter"),
        (r"\bwith funding from\b|\bfunded by\b|\bfinanced by\b", "funder"),
        (r"\bparticipants? (?:have )?(?:included|from)\b|\bwith the participation of\b"
         r"|\bparticipation (?:by|of|from)\b"
         r"|\battended by\b|\bcontributions? (?:of|from|by)\b", "participant"),
    )
)  # fmt: skip
"""Cue phrases, each with the role it gives the organizations named after it."""
SUBJECT_VERB = re.compile(
    r"\b(?:organi[sz]ed|organi[sz]es|will organi[sz]e|convened|convenes|held|"
    r"co-organi[sz]ed|launched|initiated|will hold|(?:is|are) organi[sz]ing|"
    r"(?:is|are) convening|(?:is|are) planning|plans to (?:hold|organi[sz]e|convene)|"
    r"(?P<co>facilitates|facilitated|will facilitate)|"
    r"(?P<host>hosted|hosts|will host|(?:offered|agreed|is|are|was|were) to host|"
    r"(?:is|are)(?: this week| currently)? hosting)|"
    r"(?P<participant>participated|participates|will participate|took part|takes part|"
    r"attended|presented|contributed|spoke|addressed|participó|a participé|ha partecipato))\b",
    re.IGNORECASE,
)
"""The verb whose subject organizes the event (hosts it, for the "host" group; takes part
in it, for the "participant" group; co-organizes it, for the "co" group, as the roles table
of graph/curation/README.md says of "facilitates")."""


_CLAUSE_END = re.compile(r"[;)]|,\s+(?:which|and the|where|while)\b|\.\s")
"""Where the reach of a cue phrase ends."""
_ACRONYM_OPEN = re.compile(r"\([A-Z][A-Za-z&.-]{0,15}$")


def _clause_end(text: str, start: int, end: int) -> re.Match[str] | None:
    """Where the clause a cue opens ends; not at the bracket that closes an acronym ("in
    partnership with the Department for International Development (DFID) and the
    Ministry of Foreign Affairs, the Netherlands")."""
    for match in _CLAUSE_END.finditer(text, start, end):
        if match.group() == ")" and _ACRONYM_OPEN.search(
            text, max(start, match.start() - 17), match.start()
        ):
            continue
        return match
    return None


@dataclass(frozen=True)
class Found:
    """An organization found in a sentence, with the role the sentence gives it."""

    text: str
    key: str | None
    role: str
    span: Span
    confidence: float = field(default=1.0, compare=False)
    """How sure the finder is that the name is an organization (0..1)."""


_OWNER_GAP = re.compile(
    r"(?:['\u2019]s?\s+(?:[\w-]+\s+){0,3}|\s+[*_]*(?:[A-Z][\w-]*\s+){0,3})",
)
"""Between an organization and the event noun it names: "UNFPA Expert Group Meeting",
"GMG Principals meeting", "GFMD's Concluding Debate", "the Committee's spring session",
"UN General Assembly *Informal Thematic Debate*"."""


_OF_OWNER = re.compile(
    r"(?:sessions?|meetings?|sesión|sesiones|réunions?)\s+(?:of|de|del|de la|du)(?:\s+the)?"
    r"[\s*_]+$",
    re.IGNORECASE,
)
"""An event noun whose complement is the body that meets: "101st Session of the IOM
Council", "Special Session of the WTO Council for Trade in Services"."""


_ITS = re.compile(
    r"\b(?:its|their)\s+(?:(?!(?:at|during|in|on|to|for|with|by|from)\b)[\w-]+\s+){0,3}$",
    re.IGNORECASE,
)
"""Before an event's noun, the pronoun of the body whose event it is: "at its 100th
Council Session"; not one a preposition parts from it ("presented its findings at the
Workshop")."""


ITS_REACH = 60
"""How far before the pronoun the body it stands for may be named."""


def with_own_body(
    text: str, noun: re.Match[str], found: tuple[Found, ...], orgs: list[OrgMention]
) -> tuple[Found, ...]:
    """An event without an organizer that the text calls the body's own ("IOM celebrated
    its anniversary at its 100th Council Session"): the body named just before the
    pronoun organizes it."""
    if any(f.role in organizing_roles() for f in found):
        return found
    its = _ITS.search(text, max(0, noun.start() - 40), noun.start())
    if its is None:
        return found
    before = [o for o in orgs if its.start() - ITS_REACH <= o.span.end <= its.start()]
    if not before or before[-1].key is None:
        return found
    body = before[-1]
    others = tuple(f for f in found if (f.key or f.text) != body.key)
    return (Found(body.text, body.key, "organizer", body.span, body.confidence), *others)


def owns(text: str, noun: re.Match[str], org: OrgMention) -> bool:
    """Whether the event's name makes the organization its owner, and so its organizer:
    "a UNFPA Expert Group Meeting", "the GFMD's Concluding Debate", "the 101st Session of
    the IOM Council". One that is itself the meeting (a forum, a conference) does not own it."""
    if org.span.start <= noun.start() < org.span.end:
        return False
    if org.span.end <= noun.start():
        return _OWNER_GAP.fullmatch(text, org.span.end, noun.start()) is not None
    return (
        org.span.start - noun.start() <= 30
        and _OF_OWNER.match(text, noun.start(), org.span.start) is not None
    )


_AS_PLACE = re.compile(r"(?:['\u2019]s?)?\s+(?:headquarters|Headquarters|HQ|premises)\b")
"""After an organization's name, a word that makes it the venue ("at UN headquarters")."""


_CUE_OR_LIST = re.compile(
    "|".join(pattern.pattern for pattern, _ in _CUES) + r"|\b(?:and|the)\b|[\s,()]+",
    re.IGNORECASE,
)
"""What may stand between a subject and its verb besides others' names: cue phrases,
lists ("IOM, supported by UNFPA and in cooperation with ILO, organized")."""


_OF_GAP = re.compile(r"\s*(?:of|of the|de|de la|du|del|della|di|dell['\u2019])\s*", re.IGNORECASE)
"""Between an organization and the one it belongs to ("Population Division of the DESA")."""


_AND_GAP = re.compile(r"\s*,?\s*(?:and|&|et|y|e)\s+(?:the\s+)?", re.IGNORECASE)


_COMMA_GAP = re.compile(r"\s*,\s*(?:the\s+)?")


_AND_VERB = re.compile(r"\W*and\s+(?:\w+ly\s+)?")
"""Between an organization and a verb that follows "and": the verb of a second predicate."""


_OPENING = 40
"""How far into a sentence its subject may stand ("For example, IOM has ...")."""


def _subjects(
    text: str, sentence: Span, orgs: list[OrgMention], governed: set[int]
) -> tuple[set[int], str | None]:
    """The organizations that are the subject of "organized", "held", "is hosting"...:
    the one just before the verb, with those it is listed with ("IOM and the World Bank
    organised"), each without the bodies it belongs to ("Population Division of the
    Department of ... of the United Nations is organizing"), and past a phrase that gives
    others their own role ("the Government of Botswana, with the support of IOM, hosted").
    The role the verb gives them: host, participant, co-organizer ("jointly", "co-") or
    organizer."""
    verb = SUBJECT_VERB.search(text, sentence.start, sentence.end)
    if verb is None:
        return set(), None
    before = [o for o in orgs if o.span.end <= verb.start() and o.span.start not in governed]
    chains: list[list[OrgMention]] = []
    for org in before:
        gap = text[chains[-1][-1].span.end : org.span.start] if chains else ""
        acronym = gap.strip() == "(" and text[org.span.end : org.span.end + 1] == ")"
        if chains and (_OF_GAP.fullmatch(gap) or acronym):  # "... Migration (GCIM)" is one
            chains[-1].append(org)
        else:
            chains.append([org])
    if not chains:
        return set(), None
    between = _without(text, chains[-1][-1].span.end, verb.start(), orgs)
    if _AND_VERB.fullmatch(text, chains[-1][-1].span.end, verb.start()):
        # "IOM has long supported RCPs and regularly facilitates ...": the verb shares the
        # subject that opens the sentence; the organization before it is an object
        opening = chains[0][0]
        if len(chains) < 2 or opening.span.start - sentence.start > _OPENING:
            return set(), None
        chains = chains[:1]
        between = ""
    residue = _CUE_OR_LIST.sub("", between)
    if EVENT_NOUN.search(between) or len(residue) >= 120:
        return set(), None
    heads = {chains[-1][0].span.start}
    listed = False
    for index in range(len(chains) - 1, 0, -1):
        gap = text[chains[index - 1][-1].span.end : chains[index][0].span.start]
        if _AND_GAP.fullmatch(gap):
            listed = True
        elif not (listed and _COMMA_GAP.fullmatch(gap)):
            break
        heads.add(chains[index - 1][0].span.start)
    jointly = re.search(r"\b(?:jointly|co-)\s*$", text[: verb.start()][-12:]) is not None
    if verb["participant"]:
        return heads, "participant"
    if jointly or verb["co"] or verb.group(0).lower().startswith("co-"):
        return heads, "co-organizer"  # "jointly hosted" too (graph/curation/README.md)
    if verb["host"]:
        return heads, "host"
    return heads, "organizer"


def roles_in(
    text: str, sentence: Span, orgs: list[OrgMention], noun: re.Match[str] | None = None
) -> Iterator[Found]:
    """Each organization the sentence gives a part, once, with that role: the event's
    owner by its name (given `noun`), else a cue phrase before it, else the subject of an
    organizing or participating verb. One only named in passing has no part."""
    cues = sorted(
        (m.start(), m.end(), role)
        for pattern, role in _CUES
        for m in pattern.finditer(text, sentence.start, sentence.end)
    )
    carried = _carried_cue(text, sentence)
    if carried is not None:
        cues.insert(0, carried)
    verb = SUBJECT_VERB.search(text, sentence.start, sentence.end)
    given: dict[int, str] = {}
    for previous, org in zip([None, *orgs], orgs, strict=False):
        if previous is not None and _OF_GAP.fullmatch(text, previous.span.end, org.span.start):
            continue  # "hosted by the Population Division of the DESA": the division hosts
        governing = [c for c in cues if c[1] <= org.span.start]
        if governing:
            _, cue_end, cue_role = governing[-1]
            clause_end = _clause_end(text, cue_end, sentence.end)
            ends = [e.start() for e in (clause_end, verb) if e is not None and e.start() >= cue_end]
            subject = (
                verb is not None
                and org.span.end <= verb.start()
                and "," in text[cue_end : org.span.start]
                and re.fullmatch(r"\s*(?:also\s+|then\s+)?", text[org.span.end : verb.start()])
            )  # "With funding from the World Bank, IOM held ...": IOM is the verb's subject
            setting = (
                noun is not None
                and cue_role != "participant"
                and _SETTING.search(text, org.span.end, noun.start()) is not None
            )  # "to prepare, in collaboration with the GMG, ... to be considered at the
            # HLCP's spring session": the GMG works with them on the drafts, not the session
            if not subject and not setting and (not ends or org.span.start < min(ends)):
                given[org.span.start] = cue_role
    subjects, subject_role = _subjects(text, sentence, orgs, set(given))
    found: dict[str, Found] = {}
    owners: set[str] = set()
    for org in orgs:
        if _AS_PLACE.match(text, org.span.end):
            continue  # "at UN headquarters": where it met, not who took part
        role = given.get(org.span.start)
        name = org.key or org.text
        if noun is not None and owns(text, noun, org):
            role = "organizer"
            owners.add(name)
        elif role is None and org.span.start in subjects:
            role = subject_role
        elif role is None and (hyphened := HYPHENED_ROLE.match(text, org.span.end)):
            role = HYPHENED_ROLES[hyphened["word"]]
        if role is None:
            continue  # named in passing ("IOM's report to the Forum"): no part in the event
        if name not in found or found[name].role == "participant":  # "GMG" after its name
            found[name] = Found(org.text, org.key, role, org.span, org.confidence)
    told = [n for n, f in found.items() if f.role == "organizer" and n not in owners]
    if len(told) > 1:  # "IOM and the World Bank organised", "organized by IOM and ACBF"
        for name in told:
            found[name] = replace(found[name], role="co-organizer")
    yield from found.values()


_SETTING = re.compile(r"\b(?:at|during)\s+(?:(?:the|its|their|a|an)\s+)?[^,;:.()]{0,100}$")
"""Before an event's noun, the "at" that makes it the setting of what the sentence tells
("presented at the Expert Group Meeting", "considered at the HLCP's spring session"): a
cue before it gives a part in that act, not in the event (taking part in it excepted)."""


_BY_AGAIN = re.compile(r"\s*(?:and\s+)?by\b", re.IGNORECASE)
"""The opening of a clause that repeats a "... by" cue it leaves out ("; and by ILO")."""


_CLAUSE_BACK = 300
"""How far back a clause of a list ("...; by UNCTAD and the OECD at the 2004 workshop")
looks for the cue it repeats ("participation by UNDP at the 2005 workshop")."""


def _carried_cue(text: str, clause: Span) -> tuple[int, int, str] | None:
    """The cue a clause of a list repeats without saying it: "participation by UNDP at the
    2005 workshop; by UNCTAD and the OECD at the 2004 workshop" gives the second clause
    the first one's "participation by". Only a clause that opens with "by", after a ";"."""
    opening = _BY_AGAIN.match(text, clause.start, clause.end)
    if opening is None or not text[max(0, clause.start - 3) : clause.start].strip().endswith(";"):
        return None
    earlier = [
        (m.end(), role)
        for pattern, role in _CUES
        for m in pattern.finditer(text, max(0, clause.start - _CLAUSE_BACK), clause.start)
        if m.group(0).casefold().endswith("by")
    ]
    if not earlier:
        return None
    return (clause.start, opening.end(), max(earlier)[1])


def _without(text: str, start: int, end: int, orgs: list[OrgMention]) -> str:
    """text[start:end] with organization names blanked out."""
    chars = list(text[start:end])
    for org in orgs:
        for i in range(max(org.span.start, start), min(org.span.end, end)):
            chars[i - start] = " "
    return "".join(chars)
