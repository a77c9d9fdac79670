"""Every form the extractors are meant to read, on short sentences written in the style of
UN documents (not copied from any): instrument symbols, paragraph citations, dated events
with their venue and organizers' roles, and organizations known or new. Each finding's
span quotes the exact characters it came from."""

from __future__ import annotations

import pytest

from graph.extract.dates import PartialDate, find_dates
from graph.extract.folding import fold, fold_chars
from graph.extract.instruments import canonical_symbol, paragraphs, symbols
from graph.extract.organizations import BodyFinder, NameFinder, acronym_pairs, find_organizations
from graph.extract.prose import meetings, sentences
from graph.extract.reported import reported_paragraphs, resolved_lists, round_tables

ORGS = NameFinder(
    [
        ("IOM", "IOM"),
        ("UNFPA", "UNFPA"),
        ("World Bank", "WB"),
        ("General Assembly", "UNGA"),
        ("Secretary-General", "UN-SG"),
        ("United Nations Population Fund", "UNFPA"),
        ("Economic Commission for Africa", "ECA"),
    ]
)
PLACES = NameFinder([("Geneva", "geneva"), ("New York", "new-york"), ("Bangkok", "bangkok")])
UNITS = NameFinder(
    [
        ("Population Division", "UNPD"),
        ("Department of Economic and Social Affairs", "UNDESA"),
        ("IOM", "IOM"),
    ]
)
"""A division and the department it belongs to."""

# ----------------------------------------------------------------------- symbols


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Recalling its resolution A/RES/60/227 of 23 December 2005,", ["A/RES/60/227"]),
        ("as requested in A/Res/60/227, the Secretary-General", ["A/RES/60/227"]),
        ("Recalling its resolution 58/208 on the subject,", ["A/RES/58/208"]),
        ("Recalling its resolutions 58/208 and 59/241,", ["A/RES/58/208", "A/RES/59/241"]),
        (
            "Recalling resolutions 58/208 of 23 December 2003 and 59/241 of 22 December 2004,",
            ["A/RES/58/208", "A/RES/59/241"],
        ),
        ("recalling resolutions 61/208, 63/225 and 65/170,", ["A/RES/61/208", "A/RES/63/225",
                                                             "A/RES/65/170"]),
        ("in its resolution 57/270 B on integrated follow-up", ["A/RES/57/270 B"]),
        ("in its resolution 57/270 A and B,", ["A/RES/57/270 A", "A/RES/57/270 B"]),
        ("Recalling resolution S-21/2 of 2 July 1999,", ["A/RES/S-21/2"]),
        ("Recalling resolution S\u201121/2 of 2 July 1999,", ["A/RES/S-21/2"]),
        ("and Economic and Social Council decision 1995/313 of 27 July 1995,",
         ["E/DEC/1995/313"]),
        ("Economic and Social Council resolution 2006/2,", ["E/RES/2006/2"]),
        ("the draft resolution A/C.2/60/L.16 was adopted", ["A/C.2/60/L.16"]),
        ("the report of the Commission (E/2006/25) and E/RES/2006/2", ["E/2006/25",
                                                                        "E/RES/2006/2"]),
        ("the draft (E/CN.9/2006/L.5) was adopted", ["E/CN.9/2006/L.5"]),
        ("Security Council resolution 1325 (2000) on women", ["S/RES/1325"]),
        ("the report (A/50/623 and Corr.1) was noted", ["A/50/623", "A/50/623/Corr.1"]),
        ("adopted a resolution (67/219) on the modalities", ["A/RES/67/219"]),
        ("Rappelant sa résolution 58/208,", ["A/RES/58/208"]),
        ("Recordando su resolución 58/208,", ["A/RES/58/208"]),
        ("secondo la Risoluzione 58/208 del 23 dicembre 2003", ["A/RES/58/208"]),
        ("Press release POP/950 of 5 April", ["POP/950"]),
    ],
)  # fmt: skip
def test_every_printed_form_of_a_symbol(sentence: str, expected: list[str]) -> None:
    found = symbols(sentence)
    assert [m.symbol for m in found] == expected
    for mention in found:
        assert mention.span.of(sentence) == mention.printed
        assert canonical_symbol(mention.printed, mention.series) == mention.symbol
        assert 0.0 < mention.confidence <= 1.0


BODIES = BodyFinder(
    [("Commission on Population and Development", "CPD"), ("Commission on Population & "
     "Development", "CPD"), ("CPD", "CPD"), ("Economic and Social Council", "ECOSOC")],
    {},
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Commission on Population and Development resolution 2013/1 on migration",
         ["CPD resolution 2013/1"]),
        ("Recalling CPD resolutions 2006/2 and 2009/1,", ["CPD resolution 2006/2",
                                                          "CPD resolution 2009/1"]),
        ("Resolution 2013/1\nNew trends in migration\nThe Commission on Population and "
         "Development,\n\nRecalling its resolution 2006/2,", ["CPD resolution 2013/1",
                                                              "resolution 2006/2"]),
        # a body the text does not name, or names elsewhere, is not guessed
        ("resolution 2012/1 of that body", ["resolution 2012/1"]),
        ("The Commission on Population and Development met. Its resolution 2012/1 passed.",
         ["resolution 2012/1"]),
        # a body with a symbol series of its own keeps it
        ("Economic and Social Council decision 1995/313", ["E/DEC/1995/313"]),
    ],
)  # fmt: skip
def test_a_year_number_resolution_takes_the_body_the_text_names(
    text: str, expected: list[str]
) -> None:
    found = symbols(text, bodies=BODIES)
    assert [m.symbol for m in found] == expected
    for mention in found:
        assert mention.span.of(text) == mention.printed
        assert canonical_symbol(mention.printed, mention.series) == mention.symbol


@pytest.mark.parametrize(
    "printed",
    [
        "A/RES/60/227",
        "A/RES/60/\u00ad227",  # a soft hyphen where a line was broken
        "A/RES/60/\n227",
        "A/RES/60/ 227",
        "resolution\n60/227",
        "resolution\u00a060/227",
        "resolution  60/227",
    ],
)
def test_odd_spacing_and_hyphens_fold_to_one_symbol(printed: str) -> None:
    sentence = f"Recalling {printed}, the Assembly"
    [mention] = symbols(sentence)
    assert mention.symbol == "A/RES/60/227"
    assert mention.printed == printed  # the span keeps the document's own characters
    assert mention.span.of(sentence) == printed


@pytest.mark.parametrize(
    "text",
    [
        "See http://www.un.org/esa/population/A/68/283 for the text.",
        "In 2006, some 120 participants met; 10/12 of them spoke.",
        "The resolution 2006 was a year of dialogue.",
        "",
    ],
)
def test_no_symbol_where_none_is_printed(text: str) -> None:
    assert symbols(text) == []


def test_folding_maps_back_to_the_original_offsets() -> None:
    text = "S\u201121/2 and A/RES/6\u00ad0/227"
    folded = fold(text)
    assert folded.text == "S-21/2 and A/RES/60/227"
    assert folded.span(11, len(folded.text)).of(text) == "A/RES/6\u00ad0/227"
    assert fold_chars("20\u201321\u00a0November") == "20-21 November"


# -------------------------------------------------------------------- paragraphs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Recalling A/RES/60/227, the Assembly requests IOM to report on progress (OP 17).",
            [("A/RES/60/227", "17", "requests", ("IOM",))],
        ),
        (
            "In paragraph 26 of resolution 65/170 the Assembly invited IOM to contribute.",
            [("A/RES/65/170", "26", "invites", ("IOM",))],
        ),
        (
            "Resolution 60/227 in OP15 encourages UNFPA to act, according to OP16.",
            [("A/RES/60/227", "15", "encourages", ("UNFPA",)),
             ("A/RES/60/227", "16", "encourages", ("UNFPA",))],
        ),
        (
            "Paragraphs 3 and 4 of resolution 58/208 request the Secretary-General to act.",
            [("A/RES/58/208", "3", "requests", ("UN-SG",)),
             ("A/RES/58/208", "4", "requests", ("UN-SG",))],
        ),
        ("As set out in paragraph 32 below, the Board agreed.", []),
    ],
)  # fmt: skip
def test_operative_paragraphs_cited_in_prose(
    text: str, expected: list[tuple[str, str, str, tuple[str, ...]]]
) -> None:
    found = list(paragraphs(text, ORGS))
    assert [(p.symbol, p.number, p.verb, p.addressees) for p in found] == expected
    for mention in found:
        assert mention.number in mention.span.of(text)
        assert 0.0 < mention.confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # bracketed references speak of what stands before them
        ("Resolution 60/227: the World Bank and UNFPA (OP19), and IOM (OP20), are invited "
         "to contribute.", {"19": ("WB", "UNFPA"), "20": ("IOM",)}),
        # bare ones of what follows them
        ("Resolution 60/227: OP15 requests the Secretary-General to report; OP16 invites "
         "IOM to help.", {"15": ("UN-SG",), "16": ("IOM",)}),
        # one reference speaks of the whole sentence
        ("Resolution 60/227 invites IOM and UNFPA to contribute (OP 21).",
         {"21": ("IOM", "UNFPA")}),
    ],
)  # fmt: skip
def test_each_paragraph_of_a_sentence_has_its_own_addressees(
    text: str, expected: dict[str, tuple[str, ...]]
) -> None:
    assert {m.number: m.addressees for m in paragraphs(text, ORGS)} == expected


def test_an_article_belongs_to_no_resolution() -> None:
    text = (
        "The Council adopted Resolution No. 1244.\n\nIn line with the Constitution of IOM, "
        '"to provide a forum to States" (Art. 1(1)(e)).'
    )
    [found] = paragraphs(text, ORGS)
    assert (found.kind, found.number, found.symbol) == ("article", "1(1)(e)", None)


def test_a_paragraph_takes_the_instrument_of_an_earlier_sentence_less_surely() -> None:
    text = "The Assembly adopted resolution 65/170.\n\nIt invites IOM to take part (OP 4)."
    [found] = paragraphs(text, ORGS)
    assert (found.symbol, found.number) == ("A/RES/65/170", "4")
    assert found.confidence < 0.9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Resolution A/Res/60/227 on the Dialogue invited IOM to contribute to its "
         "preparations.", [("A/RES/60/227", "unnumbered-invites-iom-to-contribute",
                            "invites", ("IOM",))]),
        ("In its resolution 65/170, the General Assembly requests IOM and UNFPA to prepare "
         "a report. In the same resolution, the World Bank is also invited to support "
         "regional preparations.",
         [("A/RES/65/170", "unnumbered-requests-iom-unfpa-to-prepare", "requests",
           ("IOM", "UNFPA")),
          ("A/RES/65/170", "unnumbered-invites-wb-to-support", "invites", ("WB",))]),
        # what the verb asks of the addressee, and the instrument named after it as its basis
        ("The General Assembly requested IOM's input for the report, as mandated in the "
         "2nd Committee Resolution (2010, A/RES/65/170).",
         [("A/RES/65/170", "unnumbered-requests-iom-input", "requests", ("IOM",))]),
        ("The Assembly invites UNFPA to report pursuant to resolution 65/170.",
         [("A/RES/65/170", "unnumbered-invites-unfpa-to-report", "invites", ("UNFPA",))]),
    ],
)  # fmt: skip
def test_a_paragraph_reported_without_its_number(
    text: str, expected: list[tuple[str, str, str, tuple[str, ...]]]
) -> None:
    found = list(reported_paragraphs(text, ORGS))
    assert [(m.symbol, m.number, m.verb, m.addressees) for m in found] == expected
    for mention in found:
        assert mention.span.of(text) in mention.sentence.of(text)


@pytest.mark.parametrize(
    "text",
    [
        # no instrument asks: IOM does
        "IOM invited UNFPA to join the workshop in 2006.",
        # an instrument cited, but the asking is someone else's
        "After resolution 65/170 was adopted, IOM invited UNFPA to join.",
        # a numbered paragraph is the other extractor's
        "Resolution 65/170 invites IOM to take part (OP 4).",
        # the instrument is cited only after the verb
        "The Assembly invites IOM to report, as resolution 65/170 says.",
        # ... or its basis is named too far after the verb's object
        "The Assembly requested IOM's input, as mandated in the resolution that the Second "
        "Committee recommended after long debate on the many reports before it in the autumn "
        "of the year (65/170).",
        # no instrument is the basis
        "The General Assembly requested IOM's input for the report.",
    ],
)
def test_no_reported_paragraph_where_no_instrument_asks(text: str) -> None:
    assert list(reported_paragraphs(text, ORGS)) == []


def test_the_items_an_instrument_resolves_are_its_paragraphs_across_a_page_break() -> None:
    text = (
        "The Council adopted a resolution (Resolution No. 1244) which resolves to:\n\n"
        "- *Request IOM to keep Member States informed;*\n"
        "- *Further request UNFPA and IOM to report;*\n\n---\n\n"
        "<sup>1</sup> A footnote at the foot of the page.\n\n"
        "- *Encourage Member States to reflect this resolution.*\n\n"
        "The Council met again in 2013.\n- a list that is not the resolution's"
    )
    found = list(resolved_lists(text, ORGS))
    assert [(m.symbol, m.number, m.kind, m.verb, m.addressees) for m in found] == [
        ("Resolution No. 1244", "1", "resolves", "requests", ("IOM",)),
        ("Resolution No. 1244", "2", "resolves", "requests", ("UNFPA", "IOM")),
        ("Resolution No. 1244", "3", "resolves", "encourages", ()),
    ]
    assert found[2].span.of(text).startswith("*Encourage Member States")


def test_a_list_without_an_instrument_is_no_paragraphs() -> None:
    assert list(resolved_lists("The meeting decided to:\n- Request IOM to act.", ORGS)) == []


# ------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("met on 14 and 15 September 2006 in", "2006-09-14", "2006-09-15"),
        ("met from 6 to 8 May 2006 in", "2006-05-06", "2006-05-08"),
        ("held on 20-21 November 2006", "2006-11-20", "2006-11-21"),
        ("held on 20\u201121 November 2006", "2006-11-20", "2006-11-21"),
        ("held on 20 \u2013 21 November 2006", "2006-11-20", "2006-11-21"),
        ("from 28 February - 2 March 2007", "2007-02-28", "2007-03-02"),
        ("from 30 December 2006 to 2 January 2007", "2006-12-30", "2007-01-02"),
        ("21 February 2013 to 22 February 2013", "2013-02-21", "2013-02-22"),
        ("on November 4-5, 2009 in", "2009-11-04", "2009-11-05"),
        ("on September 14 and 15, 2006", "2006-09-14", "2006-09-15"),
        ("on March 15, 2006", "2006-03-15", "2006-03-15"),
        ("in March 2006", "2006-03", "2006-03"),
        ("issue of September-October 2006", "2006-09", "2006-10"),
        ("du 6 au 8 mai 2006", "2006-05-06", "2006-05-08"),
        ("le 1er juillet 2006", "2006-07-01", "2006-07-01"),
        ("les 14 et 15 septembre 2006", "2006-09-14", "2006-09-15"),
        ("del 6 al 8 de mayo de 2006", "2006-05-06", "2006-05-08"),
        ("6-8 de mayo de 2006", "2006-05-06", "2006-05-08"),
        ("en mayo de 2006", "2006-05", "2006-05"),
        ("il 14 e 15 settembre 2006", "2006-09-14", "2006-09-15"),
        ("dal 6 all'8 maggio 2006", "2006-05-06", "2006-05-08"),
        ("nel giugno 2006", "2006-06", "2006-06"),
    ],
)
def test_dates_in_prose(text: str, start: str, end: str) -> None:
    [found] = find_dates(text)
    assert (found.start.iso(), found.end.iso()) == (start, end)
    assert not found.implied
    assert text[found.begin : found.finish].strip() == text[found.begin : found.finish]


@pytest.mark.parametrize(
    ("text", "year", "start", "end"),
    [
        # the year of the same sentence
        ("The Forum of 2008 meets from 27 to 30 October in Manila.", None, "2008-10-27",
         "2008-10-30"),
        # the document's year when the sentence has none
        ("The hearing was held on 12 July.", 2006, "2006-07-12", "2006-07-12"),
        # else the last year printed before
        ("Issue of March 2006.\n\nThe session meets on 3-7 April.", None, "2006-04-03",
         "2006-04-07"),
        # a range running into January
        ("In 2006 the course ran from 28 December - 2 January.", None, "2006-12-28",
         "2007-01-02"),
        ("Les ateliers de 2006: du 6 au 8 mai.", None, "2006-05-06", "2006-05-08"),
        # a month alone after its preposition, in a sentence that prints the year
        ("In 2011, IOM held its 100th Council Session in December.", None, "2011-12", "2011-12"),
        ("En 2006, le colloque aura lieu en décembre.", None, "2006-12", "2006-12"),
        # or in a document that prints its own year ("In April, IOM and GCIM hosted ...")
        ("In April, IOM and the GCIM jointly hosted a workshop.", 2005, "2005-04", "2005-04"),
    ],
)  # fmt: skip
def test_a_year_implied_by_the_context(text: str, year: int | None, start: str, end: str) -> None:
    found = [d for d in find_dates(text, year=year) if d.implied]
    assert [(d.start.iso(), d.end.iso()) for d in found] == [(start, end)]
    assert found[0].confidence < 1.0


def test_a_date_without_any_year_in_sight_is_left_out() -> None:
    assert find_dates("The meeting will be held on 15 and 16 October at Headquarters.") == []


def test_a_month_alone_takes_no_year_from_another_sentence() -> None:
    """A month alone is of its sentence's year or of the document's, never of the year an
    earlier sentence prints: that sentence may tell of another year."""
    text = "The Board met in October 2006. It met again in April."
    assert [d.start.iso() for d in find_dates(text)] == ["2006-10"]


@pytest.mark.parametrize("word", ["next", "following", "prochaine"])
def test_a_month_told_as_another_year_takes_not_the_documents(word: str) -> None:
    """ "at its next session, in April" may be next year's: only its sentence dates it."""
    text = f"The Board met in October 2006. It will meet again at its {word} session, in April."
    assert [d.start.iso() for d in find_dates(text, year=2006)] == ["2006-10"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("bridging the gap from the 2011 May UN General Assembly Debate", ["2011-05"]),
        ("Results in 2011 may be mixed.", ["2011"]),  # "may" in lower case is a verb
        ("the 2011 May 2012 figures", ["2011", "2012-05"]),
    ],
)
def test_a_year_before_its_month(text: str, found: list[str]) -> None:
    assert [d.start.iso() for d in find_dates(text)] == found


@pytest.mark.parametrize("text", ["They may 10 times ask.", "Room 6 from 10 a.m. to 6 p.m."])
def test_no_date_where_none_is_meant(text: str) -> None:
    assert find_dates(text) == []


@pytest.mark.parametrize(("text", "month"), [("31 February 2006", 2), ("le 31 juin 2006", 6)])
def test_a_day_that_does_not_exist_leaves_its_month(text: str, month: int) -> None:
    assert [d.start for d in find_dates(text)] == [PartialDate(2006, month)]


# ------------------------------------------------------------------------ events


@pytest.mark.parametrize(
    ("text", "start", "end", "venue", "roles"),
    [
        (
            "The Regional Workshop on Labour Migration was held in Bangkok on 14 and 15 "
            "September 2006, organized by IOM in cooperation with the World Bank.",
            "2006-09-14", "2006-09-15", "bangkok", {"IOM": "organizer", "WB": "co-organizer"},
        ),
        (
            "The Expert Meeting on Remittances, hosted by UNFPA with the support of IOM, "
            "took place in Geneva from 6 to 8 May 2007.",
            "2007-05-06", "2007-05-08", "geneva", {"UNFPA": "host", "IOM": "supporter"},
        ),
        (
            "A Symposium on Migrant Health, co-sponsored by IOM and UNFPA, met in New York "
            "on 20-21 November 2008.",
            "2008-11-20", "2008-11-21", "new-york", {"IOM": "co-organizer",
                                                     "UNFPA": "co-organizer"},
        ),
        (
            "The Consultation on Data was convened jointly by IOM and the World Bank in "
            "Geneva, 28 February - 2 March 2007.",
            "2007-02-28", "2007-03-02", "geneva", {"IOM": "co-organizer", "WB": "co-organizer"},
        ),
        (
            "Le Séminaire régional sur la migration, organisé par l'OIM avec le soutien de "
            "UNFPA, s'est tenu à Genève du 6 au 8 mai 2006.",
            "2006-05-06", "2006-05-08", None, {"UNFPA": "supporter"},
        ),
        (
            "El Taller sobre Migración y Desarrollo, organizado por IOM en cooperación con "
            "UNFPA, se celebró del 6 al 8 de mayo de 2006.",
            "2006-05-06", "2006-05-08", None, {"IOM": "organizer", "UNFPA": "co-organizer"},
        ),
    ],
)  # fmt: skip
def test_a_dated_event_with_its_venue_and_organizers(
    text: str, start: str, end: str, venue: str | None, roles: dict[str, str]
) -> None:
    [meeting] = meetings(text, ORGS, PLACES)
    assert (meeting.start.iso(), meeting.end.iso(), meeting.venue) == (start, end, venue)
    found = {f.key: f.role for f in meeting.organizations if f.key}
    assert found == roles
    assert meeting.evidence.of(text).startswith(text[:10])
    assert 0.0 < meeting.confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        (  # an organization that names the event owns it
            "In May 2005, IOM participated in a UNFPA Expert Group Meeting on Migration.",
            {"IOM": "participant", "UNFPA": "organizer"},
        ),
        (
            "It was presented at the UNFPA's Concluding Debate in Geneva in December 2011.",
            {"UNFPA": "organizer"},
        ),
        (
            "At the 101st Session of the General Assembly in November 2012, IOM spoke.",
            {"UNGA": "organizer", "IOM": "participant"},
        ),
        (  # "hosted" gives the host's role, past a phrase that gives another its own
            "In 2011, the World Bank, with the support of IOM, hosted the Global Meeting "
            "of Chairs of UNFPA.",
            {"WB": "host", "IOM": "supporter"},
        ),
        (
            "IOM offered to host the first Global Forum meeting in July 2007.",
            {"IOM": "host"},
        ),
        (
            "In April 2005, IOM and UNFPA jointly hosted a workshop on migration.",
            {"IOM": "co-organizer", "UNFPA": "co-organizer"},
        ),
        (
            "For 2012 IOM is planning a Diaspora Ministers Conference.",
            {"IOM": "organizer"},
        ),
        (  # "its" session is the body's own
            "In 2011, IOM celebrated its anniversary at its 100th Council Session held in "
            "December.",
            {"IOM": "organizer"},
        ),
        (  # a body named far before the pronoun is not the one it stands for
            "UNFPA wrote a long report on the many matters of migration and development for "
            "the Board, which it will consider at its 100th session in 2013.",
            {},
        ),
        (  # an organization far off in a long sentence tells of something else
            "The Assembly asked IOM and UNFPA to prepare, in collaboration with the World "
            "Bank, a long set of draft outcomes and recommendations on migration and on the "
            "many matters the dialogue would consider in all its parts and aspects, for "
            "all Member States, observers, agencies, funds and programmes alike, to be "
            "read at the Expert Meeting on Migration in 2013.",
            {},
        ),
        (  # an organization that names the venue takes no part
            "With funding from the World Bank, IOM held a Seminar on Remittances at UNFPA "
            "headquarters in 2011.",
            {"WB": "funder", "IOM": "organizer"},
        ),
        (  # a hyphened adjective tells the part its organization takes
            "UNFPA-led initiatives undertaken in 2011 include the Workshop on Remittances.",
            {"UNFPA": "organizer"},
        ),
        (
            "In May 2011 a World Bank-funded Workshop on Remittances was led by IOM.",
            {"WB": "funder", "IOM": "organizer"},
        ),
        (  # "organized with": the roles table's co-organizer
            "In 2011 IOM held two Policy Dialogues organized with the World Bank.",
            {"IOM": "organizer", "WB": "co-organizer"},
        ),
        (  # the subject of "organized" stands before the others' cue phrases
            "In March 2007, the World Bank, supported by UNFPA and in cooperation with "
            "IOM, organized a Workshop on Remittances.",
            {"WB": "organizer", "UNFPA": "supporter", "IOM": "co-organizer"},
        ),
        (  # a cue before the "at" that makes the event a setting is the act's, not its
            "The Assembly asked IOM to prepare, in collaboration with the World Bank, draft "
            "outcomes to be considered at the UNFPA Expert Meeting in 2013.",
            {"UNFPA": "organizer"},
        ),
        (
            "With the support of the World Bank, IOM presented its findings at the Workshop "
            "on Remittances in May 2011.",
            {"IOM": "participant"},
        ),
        (  # the event the act makes, not its setting, keeps the cue
            "With the support of the World Bank, IOM organized a Workshop on Remittances at "
            "Geneva in May 2011.",
            {"WB": "supporter", "IOM": "organizer"},
        ),
    ],
)  # fmt: skip
def test_the_role_an_event_name_or_verb_gives(text: str, roles: dict[str, str]) -> None:
    [meeting] = meetings(text, ORGS, PLACES)
    assert {f.key: f.role for f in meeting.organizations if f.key} == roles


def test_a_leading_phrase_is_another_event_with_its_own_organizations() -> None:
    text = (
        "Prior to the High Level Dialogue that took place in New York on 14-15 September "
        'IOM, supported by UNFPA, launched the "Key Migration Issues" Workshop in '
        "May 2006."
    ).replace("September ", "September 2006, ")
    found = {m.label: m for m in meetings(text, ORGS, PLACES)}
    assert set(found) == {"High Level Dialogue", "Key Migration Issues"}
    assert found["High Level Dialogue"].organizations == ()
    assert found["High Level Dialogue"].start == PartialDate(2006, 9, 14)
    series = found["Key Migration Issues"]
    assert {f.key: f.role for f in series.organizations} == {"IOM": "organizer",
                                                             "UNFPA": "supporter"}  # fmt: skip


def test_a_clause_of_a_list_repeats_the_cue_it_leaves_out() -> None:
    text = (
        "Examples include participation by UNFPA at the 2005 Workshop on Trade; by the "
        "World Bank at the 2004 Workshop on Health; and by IOM at the 2003 Workshop on Data."
    )
    found = {m.start.iso(): {f.key: f.role for f in m.organizations} for m in meetings(
        text, ORGS, PLACES)}  # fmt: skip
    assert found == {"2005": {"UNFPA": "participant"}, "2004": {"WB": "participant"},
                     "2003": {"IOM": "participant"}}  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        'In 2007 IOM will pursue its "Key Migration Issues" Workshop Series in New York.',
        "In 2011 IOM organized a series of seminars on remittances with the World Bank.",
    ],
)
def test_a_series_is_told_apart_from_one_event(text: str) -> None:
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.series
    assert not next(iter(meetings("In 2011 IOM organized a seminar on remittances.", ORGS,
                                  PLACES))).series  # fmt: skip


def test_a_plain_noun_with_an_organizer_is_an_event() -> None:
    """A verb that gives an organizer tells of an event, however plain its name."""
    [meeting] = meetings(
        "IOM hosted at its headquarters consultations with civil society in November 2011.",
        ORGS,
        PLACES,
    )
    assert meeting.label == "consultations"
    assert {f.key: f.role for f in meeting.organizations} == {"IOM": "host"}
    assert meeting.confidence >= 0.6


def test_markup_inside_an_event_name_does_not_cut_it() -> None:
    text = "At the 101st Session of the **General Assembly** in November 2012, IOM spoke."
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.label == "101st Session of the General Assembly"


def test_a_noun_inside_another_events_quoted_title_is_not_an_event() -> None:
    text = (
        'IOM will organize a Conference on "Mainstreaming Migration: Assessing the '
        'Evidence, Continuing the Dialogue" in spring 2012 in New York.'
    )
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.label == (
        "Mainstreaming Migration: Assessing the Evidence, Continuing the Dialogue"
    )
    assert {f.key: f.role for f in meeting.organizations} == {"IOM": "organizer"}


def test_a_quoted_title_far_after_a_noun_is_not_its_name() -> None:
    text = (
        "The Dialogue met in New York on 14 September 2006, and afterwards, in a quite "
        "different setting and with other partners altogether, IOM published "
        '"Migration in Figures" in 2007.'
    )
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.label == "Dialogue"


def test_two_events_in_one_sentence_each_with_its_own_date() -> None:
    text = (
        "The President convened informal hearings on 12 July 2006 in the lead-up to the "
        "High-level Dialogue on International Migration scheduled for 14-15 September 2006."
    )
    found = {m.label: (m.start.iso(), m.end.iso()) for m in meetings(text, ORGS, PLACES)}
    assert found == {
        "hearings": ("2006-07-12", "2006-07-12"),
        "High-level Dialogue on International Migration": ("2006-09-14", "2006-09-15"),
    }


def test_an_event_page_heading_with_venue_and_dates_on_their_own_lines() -> None:
    text = (
        "Ninth coordination meeting on international migration\n\nNew York\n\n"
        "17 February 2011 to 18 February 2011\n\n"
        "The meeting will review the preparations for the Dialogue."
    )
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.label == "Ninth coordination meeting on international migration"
    assert (meeting.start, meeting.end) == (PartialDate(2011, 2, 17), PartialDate(2011, 2, 18))
    assert meeting.venue == "new-york"
    assert meeting.evidence.of(text).startswith("Ninth") and meeting.evidence.of(text).endswith(
        "2011"
    )


def test_the_cover_of_a_meeting_paper_names_its_convener() -> None:
    text = (
        "**TENTH COORDINATION MEETING ON\nINTERNATIONAL MIGRATION**\n\nPopulation Division\n"
        "Department of Economic and Social Affairs\nNew York, 9-10 February 2012\n\n"
        "INPUT OF THE ORGANIZATION\n\nThe paper reviews the year."
    )
    [meeting] = meetings(text, UNITS, PLACES)
    assert meeting.label == "TENTH COORDINATION MEETING ON INTERNATIONAL MIGRATION"
    assert (meeting.start, meeting.end) == (PartialDate(2012, 2, 9), PartialDate(2012, 2, 10))
    assert meeting.venue == "new-york"
    assert {f.key: f.role for f in meeting.organizations} == {"UNPD": "organizer"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the year before "workshop" is the workshop's, a passing mention: the session
        # takes the sentence's other date
        ("In September 2005, IOM presented the findings of the 2004 workshop at a Special "
         "Session of the General Assembly.",
         {"Special Session of the General Assembly": "2005-09"}),
        # a day in that year is finer than the year before the name
        ("the 2013 High-Level Dialogue on Migration (HLD) to be held on 3-4 October 2013",
         {"High-Level Dialogue on Migration": "2013-10-03"}),
    ],
)  # fmt: skip
def test_a_year_just_before_a_name_is_its_own(text: str, expected: dict[str, str]) -> None:
    assert {m.label: m.start.iso() for m in meetings(text, ORGS, PLACES)} == expected


def test_an_event_told_twice_is_one_event() -> None:
    text = (
        "The Global Consultation on Migrant Health was held in Geneva on 3-5 March 2010. "
        "IOM co-organized the Global Consultation on Migrant Health in 2010."
    )
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.start == PartialDate(2010, 3, 3)
    assert "IOM" in {f.key for f in meeting.organizations}


@pytest.mark.parametrize(
    "text",
    [
        "Recalling resolution 58/208 of 23 December 2003, which requests meetings.",
        "In 2011 the meetings were many.",
        "Migration has grown since 1960, with more workshops than ever.",
        "No facts here at all.",
        "",
    ],
)
def test_no_event_where_none_is_told(text: str) -> None:
    assert list(meetings(text, ORGS, PLACES)) == []


# ------------------------------------------------------------------ organizations


@pytest.mark.parametrize(
    ("text", "name", "acronym", "reverse"),
    [
        ("the Migration Dialogue for West Africa (MIDWA) met", "Migration Dialogue for West "
         "Africa", "MIDWA", False),
        ("the ICMC (International Catholic Migration Commission) spoke", "International "
         "Catholic Migration Commission", "ICMC", True),
    ],
)  # fmt: skip
def test_name_acronym_pairs_in_both_orders(
    text: str, name: str, acronym: str, reverse: bool
) -> None:
    [pair] = acronym_pairs(text)
    assert (pair.name, pair.acronym, pair.reverse) == (name, acronym, reverse)
    assert acronym in pair.span.of(text) and pair.span.of(text).endswith(")")


def test_a_pair_that_names_an_event_is_no_organization() -> None:
    assert list(acronym_pairs("the High-level Dialogue (HLD) was held")) == []


@pytest.mark.parametrize(
    ("text", "label", "kind"),
    [
        ("with the Government of Sri Lanka and", "Government of Sri Lanka", "government"),
        ("hosted by the Royal Thai Government in", "Royal Thai Government", "government"),
        ("by the Ministry of Labour and Employment of", "Ministry of Labour and Employment",
         "ministry"),
        ("jointly with the German Ministry for Economic Cooperation, ", "German Ministry for "
         "Economic Cooperation", "ministry"),
        ("the Ministerio de Relaciones Exteriores y Culto said", "Ministerio de Relaciones "
         "Exteriores y Culto", "ministry"),
        ("the Inter-Agency Working Group on Migration Statistics met", "Inter-Agency Working "
         "Group on Migration Statistics", "body"),
        ("the Committee on Migrant Workers of the Council of Europe", "Committee on Migrant "
         "Workers of the Council of Europe", "body"),
        ("the Regional Commission for Western Asia met", "Regional Commission for Western "
         "Asia", "body"),
        ("con la Fondazione Cassa di Risparmio di Genova e", "Fondazione Cassa di Risparmio "
         "di Genova", "body"),
    ],
)  # fmt: skip
def test_organizations_not_in_the_registry_are_candidates(text: str, label: str, kind: str) -> None:
    found = [c for c in find_organizations(text, ORGS) if c.key is None]
    assert [(c.text, c.kind) for c in found] == [(label, kind)]
    assert " ".join(found[0].span.of(text).split()) == label
    assert 0.0 < found[0].confidence < 1.0


def test_two_known_names_joined_by_and_are_not_one_body() -> None:
    text = "in partnership with the World Bank and the IOM on Managing the Movement of People"
    found = find_organizations(text, ORGS)
    assert [(c.key, c.text) for c in found] == [("WB", "World Bank"), ("IOM", "IOM")]


def test_a_plain_noun_is_not_merged_into_a_named_event_of_the_same_year() -> None:
    text = (
        "In 2004, IOM held a workshop in partnership with the World Bank. The 2004 "
        "Workshop on Migration and Health was held in partnership with UNFPA."
    )
    found = {m.label: {f.key for f in m.organizations} for m in meetings(text, ORGS, PLACES)}
    assert found == {"workshop": {"IOM", "WB"}, "Workshop on Migration and Health": {"UNFPA"}}


def test_a_blank_line_inside_a_sentence_does_not_end_it() -> None:
    """A page break of a converted PDF falls between "the brainstorming and" and
    "coordination meeting"; the sentence is one, and its quote spans the break."""
    text = (
        "IOM has already participated in the brainstorming and\n\ncoordination meeting in "
        "Port Louis in January 2012.\n\nNext Heading\n\nIt met."
    )
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.evidence.of(text).endswith("January 2012.")
    assert meeting.evidence.of(text).startswith("IOM has already")
    assert {(f.key, f.role) for f in meeting.organizations} == {("IOM", "participant")}
    assert [s.of(text) for s in sentences(text)][1:] == ["Next Heading", "It met."]


def test_a_bare_noun_takes_no_organizers_from_a_named_event() -> None:
    """ "the 10th Coordination Meeting ... hosted by UNFPA" gives its organizer to the
    Coordination Meeting, not to every "meeting" the text dates."""
    text = (
        "We welcome the Coordination Meeting on International Migration hosted by UNFPA. "
        "IOM attended the meeting in Port Louis in January 2012."
    )
    [meeting] = meetings(text, ORGS, PLACES)
    assert {f.key for f in meeting.organizations} == {"IOM"}


def test_an_event_named_across_emphasis_is_its_owners() -> None:
    text = "the gap from the 2011 May UN General Assembly *Informal Thematic Debate on Migration*."
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.label == "UN General Assembly Informal Thematic Debate on Migration"
    assert {(f.key, f.role) for f in meeting.organizations} == {("UNGA", "organizer")}


def test_a_forum_named_with_its_acronym_and_a_year_is_no_meeting() -> None:
    """A name defined with its acronym is a standing forum's; "in 2011" dates the forum's
    year, not one of its meetings. A month dates a meeting of it."""
    text = (
        "The IOM **International Dialogue on Migration (IDM)** celebrated in 2011 its 10th "
        "anniversary as a platform."
    )
    assert list(meetings(text, ORGS, PLACES)) == []
    text = "The IOM International Dialogue on Migration (IDM) met in November 2011."
    assert [m.start.iso() for m in meetings(text, ORGS, PLACES)] == ["2011-11"]


def test_each_event_of_a_sentence_takes_the_partners_named_after_it() -> None:
    text = (
        "The 2003 workshop on Trade and Migration was held in partnership with UNFPA and "
        "the World Bank, with the follow-up workshop convened in 2004 held in partnership "
        "with the World Bank and the Economic Commission for Africa."
    )
    found = {m.start.iso(): {f.key for f in m.organizations} for m in meetings(text, ORGS, PLACES)}
    assert found == {"2003": {"UNFPA", "WB"}, "2004": {"WB", "ECA"}}


def test_a_subject_named_with_its_acronym_stays_in_its_list() -> None:
    text = "In 2005, IOM and the United Nations Population Fund (UNFPA) jointly hosted a workshop."
    [meeting] = meetings(text, ORGS, PLACES)
    assert {(f.key, f.role) for f in meeting.organizations} == {
        ("IOM", "co-organizer"),
        ("UNFPA", "co-organizer"),
    }


def test_an_event_named_in_a_texts_title_is_not_told_there() -> None:
    text = (
        'In November 2012, IOM adopted a resolution on "IOM and the General Assembly '
        'Dialogue on Migration in 2013".'
    )
    assert list(meetings(text, ORGS, PLACES)) == []


def test_a_set_of_events_told_one_by_one_is_each_of_them() -> None:
    text = "IOM initiated two roundtables on migration, one in April 2004 and one in October 2004."
    found = [(m.start.iso(), {f.key for f in m.organizers}) for m in meetings(text, ORGS, PLACES)]
    assert sorted(found) == [("2004-04", {"IOM"}), ("2004-10", {"IOM"})]


def test_one_of_a_set_told_by_its_ordinal_has_the_sets_organizers() -> None:
    text = (
        "IOM has organized and supported three Ministerial Consultations on labour. The "
        "first Ministerial Consultation was hosted by UNFPA in Geneva in April 2003. The "
        "workshop in Bangkok in May 2003 was a success."
    )
    found = {
        m.label: {(f.key, f.role) for f in m.organizations} for m in meetings(text, ORGS, PLACES)
    }
    assert found["Ministerial Consultation"] == {("UNFPA", "host"), ("IOM", "organizer")}
    assert found["workshop"] == set()  # no ordinal, no set of workshops


def test_an_event_of_a_set_is_as_sure_as_its_organizers_make_it() -> None:
    text = "IOM will organize three workshops. The first workshop will be held in May 2005."
    [meeting] = meetings(text, ORGS, PLACES)
    alone = meetings("The first workshop will be held in May 2005.", ORGS, PLACES)
    assert {f.key for f in meeting.organizers} == {"IOM"}
    assert meeting.confidence > next(iter(alone)).confidence


def test_an_undated_event_of_a_dated_set_has_the_sets_date_and_organizers() -> None:
    """ "held six seminars in 2011. One seminar entitled "..." was ...": the seminar is of
    2011 and IOM's; the quote runs over both sentences, and the date, carried from another
    sentence, makes it less sure than one its own sentence dates."""
    text = (
        "IOM convenes the Seminar Series, which held six seminars at UN headquarters in 2011. "
        'One seminar entitled "Migration Profiles: Evidence for Policy," was well attended.'
    )
    found = {m.label: m for m in meetings(text, ORGS, PLACES)}
    seminar = found["Migration Profiles: Evidence for Policy"]
    assert seminar.start.iso() == "2011"
    assert {f.key for f in seminar.organizers} == {"IOM"}
    assert seminar.evidence.of(text) == text
    same_sentence = meetings(
        'In 2011, IOM convened a seminar entitled "Migration Profiles: Evidence for Policy".',
        ORGS,
        PLACES,
    )
    assert seminar.confidence < next(iter(same_sentence)).confidence


def test_a_set_whose_sentence_dates_each_event_gives_no_more() -> None:
    text = (
        "IOM initiated two roundtables on migration, one in April 2004 and one in October "
        "2004. The focus of the second roundtable was diasporas."
    )
    assert sorted(m.start.iso() for m in meetings(text, ORGS, PLACES)) == ["2004-04", "2004-10"]


def test_a_forum_counted_by_its_ordinal_is_a_meeting() -> None:
    text = (
        "In 2006, the Secretary-General spearheaded the first ever General Assembly High "
        "Level Dialogue on International Migration and Development (HLD)."
    )
    assert [m.start.iso() for m in meetings(text, ORGS, PLACES)] == ["2006"]


@pytest.mark.parametrize(
    "text",
    [
        "A course and a workshop in May 2007, facilitated by IOM, will follow.",
        "IOM facilitates a workshop in Geneva in May 2007.",
    ],
)
def test_facilitating_is_co_organizing(text: str) -> None:
    """As the roles table of graph/curation/README.md says."""
    [meeting] = meetings(text, ORGS, PLACES)
    assert {(f.key, f.role) for f in meeting.organizations} == {("IOM", "co-organizer")}


def test_the_fourth_such_meeting_is_one_of_the_meetings_told_before() -> None:
    """ "IOM ... regularly facilitates global meetings of all processes. The fourth such
    meeting in May 2013 ...": IOM co-organizes it; the verb after "and" is IOM's, not that
    of the processes named before it."""
    text = (
        "For example, IOM has long supported the Economic Commission for Africa and regularly "
        "facilitates global meetings of all processes. The fourth such meeting in May 2013 is "
        "an opportunity."
    )
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.start.iso() == "2013-05"
    assert {(f.key, f.role) for f in meeting.organizations} == {("IOM", "co-organizer")}
    uncounted = "IOM organized meetings. The fourth meeting in May 2013 is open."
    assert [m.organizations for m in meetings(uncounted, ORGS, PLACES)] == [()]


def test_a_name_runs_on_across_to() -> None:
    text = "UNFPA attended the 2003 workshop on Approaches to Data Collection and Data Management."
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.label == "workshop on Approaches to Data Collection and Data Management"


def test_a_cue_reaches_past_an_acronym_in_brackets() -> None:
    text = (
        "The 2005 workshop was held in partnership with the United Nations Population Fund "
        "(UNFPA) and the Economic Commission for Africa."
    )
    [meeting] = meetings(text, ORGS, PLACES)
    assert {(f.key, f.role) for f in meeting.organizations} == {
        ("UNFPA", "co-organizer"),
        ("ECA", "co-organizer"),
    }


COVER = (
    "**TENTH COORDINATION MEETING ON\nINTERNATIONAL MIGRATION**\n\nPopulation Division\n"
    "Geneva, 9-10 February 2012\n\nIOM welcomes the invitation{}."
)


def test_the_body_a_cued_unit_belongs_to_takes_no_part() -> None:
    """As the roles table says of "the department a division belongs to"."""
    text = (
        "The meeting in Geneva in May 2012 was hosted by the Population Division of the "
        "Department of Economic and Social Affairs."
    )
    [meeting] = meetings(text, UNITS, PLACES)
    assert {(f.key, f.role) for f in meeting.organizations} == {("UNPD", "host")}


@pytest.mark.parametrize(
    ("told", "role"),
    [
        ("", "organizer"),  # the cover alone: the unit convenes it
        (" to the Tenth Coordination Meeting on International Migration hosted by the "
         "Population Division", "host"),  # a sentence says which part it takes
    ],
)  # fmt: skip
def test_a_sentence_says_more_than_the_cover_of_a_meetings_paper(told: str, role: str) -> None:
    [meeting] = meetings(COVER.format(told), UNITS, PLACES)
    assert meeting.start.iso() == "2012-02-09"
    assert {(f.key, f.role) for f in meeting.organizations} == {("UNPD", role)}


def test_registry_names_come_first_and_are_sure() -> None:
    text = "The United Nations\nPopulation Fund and the Economic Commission for Africa met."
    found = find_organizations(text, ORGS)
    assert [(c.key, c.confidence) for c in found] == [("UNFPA", 1.0), ("ECA", 1.0)]
    assert found[0].span.of(text) == "United Nations\nPopulation Fund"


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("John Wilmoth, World Bank/UNFPA, spoke.", ["WB", "UNFPA"]),
        ("a joint IOM/UNFPA mission", ["IOM", "UNFPA"]),
        ("see document E/UNFPA/2006/1 and www.unfpa.org/IOM", []),
    ],
)
def test_names_a_slash_joins_are_found_but_not_in_a_symbol(text: str, keys: list[str]) -> None:
    assert [c.key for c in find_organizations(text, ORGS)] == keys


@pytest.mark.parametrize(
    "text",
    [
        "Recalling the Programme of Action of the International Conference, States agreed.",
        "The Task Force met. The Board in April agreed.",
        "Member States and civil society attended.",
        "",
    ],
)
def test_no_organization_where_none_is_named(text: str) -> None:
    assert find_organizations(text, ORGS) == []


# ---------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "text",
    [
        "\u0645\u0624\u062a\u0645\u0631 \u0627\u0644\u0647\u062c\u0631\u0629 2006",  # Arabic
        "\u56fd\u9645\u79fb\u6c11\u7ec4\u7ec7 2006\u5e749\u670814\u65e5",  # Chinese
        "\ufffd\ufffd mojibake \u00c3\u00a9t\u00c3\u00a9 2006 \x00\x01\x02",
        "\u200b\u00ad\u2011" * 50,
        "A/RES/" + "9" * 5000,
        "(" * 300 + "IOM" + ")" * 300,
    ],
)
def test_text_in_an_unexpected_language_or_encoding_never_crashes(text: str) -> None:
    for mention in symbols(text):
        assert mention.span.of(text) == mention.printed
    for date in find_dates(text):
        assert 0 <= date.begin < date.finish <= len(text)
    for org in find_organizations(text, ORGS):
        assert 0 <= org.span.start < org.span.end <= len(text)
    for meeting in meetings(text, ORGS, PLACES):
        assert 0 <= meeting.evidence.start < meeting.evidence.end <= len(text)
    list(paragraphs(text, ORGS))


# ------------------------------------------------------------ layouts of real pages


def test_a_heading_and_the_lead_sentence_under_it() -> None:
    text = (
        "Feature article\n\nRegional Dialogue on Labour Mobility\n\n"
        "On 14 and 15 September, the ministers will meet in Bangkok to agree on a plan.\n"
        "Issue of September 2006."
    )
    [meeting] = meetings(text, ORGS, PLACES, year=2006)
    assert (meeting.label, meeting.start.iso(), meeting.end.iso(), meeting.venue) == (
        "Regional Dialogue on Labour Mobility",
        "2006-09-14",
        "2006-09-15",
        "bangkok",
    )


def test_a_dateline_is_when_the_note_was_written() -> None:
    text = "Mexico takes the chair of the Forum\nGENEVA, 8 November 2009 -- Mexico took the chair."
    assert list(meetings(text, ORGS, PLACES)) == []


def test_a_list_of_dates_under_the_sentence_that_names_them() -> None:
    text = (
        "The links below lead to each roundtable of the series.\n\n"
        "17 September 2013\n\nReport: English French\n\n7 June 2013\n\n23 April 2013\n"
    )
    found = [(m.label, m.start.iso()) for m in meetings(text, ORGS, PLACES)]
    assert found == [
        ("roundtable", "2013-09-17"),
        ("roundtable", "2013-06-07"),
        ("roundtable", "2013-04-23"),
    ]


def test_one_event_with_two_dates_and_two_venues() -> None:
    text = "The informal panel on remittances (New York, 8 June 2006 and Geneva, 4 July 2006)."
    found = {(m.start.iso(), m.venue) for m in meetings(text, ORGS, PLACES)}
    assert found == {("2006-06-08", "new-york"), ("2006-07-04", "geneva")}


def test_an_undated_sentence_gives_the_organizers_of_an_event_dated_elsewhere() -> None:
    text = (
        "Seventh Expert Meeting on Remittances\n\nNew York\n\n3 March 2008 to 4 March 2008\n\n"
        "The World Bank is organizing the Seventh Expert Meeting on Remittances with IOM."
    )
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.start == PartialDate(2008, 3, 3)
    assert ("WB", "organizer") in {(f.key, f.role) for f in meeting.organizations}


def test_the_subject_of_organized_is_not_the_body_it_belongs_to() -> None:
    text = (
        "The Population Division of the Department of Economic and Social Affairs is "
        "organizing the Fourth Coordination Meeting in New York on 26-27 October 2005."
    )
    [meeting] = meetings(text, UNITS, PLACES)
    roles = {f.key: f.role for f in meeting.organizations}
    assert roles == {"UNPD": "organizer"}  # the body it belongs to has no part of its own


def test_a_name_with_a_hyphened_adjective_is_found_but_not_in_other_compounds() -> None:
    found = [m.key for m in ORGS.find("IOM-led work, IOM-based staff and a UNFPA-funded study")]
    assert found == ["IOM", "UNFPA"]


def test_a_forum_named_as_the_owner_of_another_event_is_not_that_event() -> None:
    """ "the International Dialogue on Migration workshop" is a workshop the Dialogue
    holds; "the first Global Forum meeting" is the Forum meeting."""
    finder = NameFinder(
        [("International Dialogue on Migration", "IOM-IDM"), ("Global Forum", "GFMD")]
    )
    text = (
        'In 2011 the International Dialogue on Migration workshop on "Climate and Migration" met.'
    )
    [meeting] = meetings(text, finder, PLACES)
    assert meeting.label == "Climate and Migration"
    assert {(f.key, f.role) for f in meeting.organizations} == {("IOM-IDM", "organizer")}
    [forum] = meetings("The first Global Forum meeting in July 2007 was open.", finder, PLACES)
    assert forum.label.startswith("Global Forum")
    assert forum.organizations == ()


def test_an_event_told_twice_is_as_sure_as_its_surest_telling() -> None:
    text = (
        "In 2011 two workshops were held. The first workshop addressed "
        '"Climate and Migration". UNFPA-led initiatives undertaken in 2011 include the '
        'workshop on "Climate and Migration".'
    )
    [told_twice] = [m for m in meetings(text, ORGS, PLACES) if m.label == "Climate and Migration"]
    assert told_twice.confidence >= 0.6
    assert ("UNFPA", "organizer") in {(f.key, f.role) for f in told_twice.organizations}


def test_its_session_is_the_body_named_before_another_event() -> None:
    """The body an "its" stands for may be named after another event's name."""
    text = (
        "The meeting prepared the High-level Dialogue on Migration, which will be organized "
        "by the General Assembly during its sixty-eighth session in 2013."
    )
    [meeting] = meetings(text, ORGS, PLACES)
    assert meeting.start.iso() == "2013"
    assert ("UNGA", "organizer") in {(f.key, f.role) for f in meeting.organizations}


# ------------------------------------------------------------ described instruments

ADOPTERS = BodyFinder(
    [("UN General Assembly", "UNGA"), ("Chief Executives Board", "CEB"),
     ("IOM Council", "IOM-COUNCIL"), ("IOM", "IOM"),
     ("International Organization for Migration", "IOM"), ("UN", "UN"), ("ASEAN", "ASEAN")],
    {"IOM": "IOM-COUNCIL", "UN": "UNGA"},
)  # fmt: skip
"""Bodies that adopt instruments, keyed as symbols write them, and the organs in which the
Member States of some adopt them (the registry's body finder)."""


def test_an_instrument_described_without_its_symbol_is_keyed_by_body_kind_and_month() -> None:
    text = (
        "The UN General Assembly **resolution concerning the modalities of the HLD**, adopted "
        "in December 2012, repeats the request to IOM to participate in the HLD. It also "
        "invites IOM and the World Bank to collaborate with the Commissions.\n\n"
        "In addition, the Chief Executives Board issued a decision in April 2012 asking IOM "
        "and UNFPA to prepare a set of outcomes.\n\n"
        'The "HLD Modalities" resolution of December 2012 also sets the theme.'
    )
    found = [(m.symbol, m.issued, m.described) for m in symbols(text, None, ADOPTERS)]
    assert found == [
        ("UNGA resolution of 2012-12", "2012-12", True),
        ("CEB decision of 2012-04", "2012-04", True),
        ("UNGA resolution of 2012-12", "2012-12", True),  # told again without its body
    ]
    for mention in symbols(text, None, ADOPTERS):
        assert mention.span.of(text) == mention.printed
    asked = [(m.symbol, m.number, m.verb) for m in reported_paragraphs(text, ORGS, None, ADOPTERS)]
    assert asked == [
        ("UNGA resolution of 2012-12", "unnumbered-requests-iom-to-participate", "requests"),
        ("UNGA resolution of 2012-12", "unnumbered-invites-iom-wb-to-collaborate", "invites"),
        ("CEB decision of 2012-04", "unnumbered-requests-iom-unfpa-to-prepare", "requests"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a symbol printed after the noun names it
        "In November 2012, the IOM Council adopted a resolution (Resolution No. 1244).",
        # no month: no key to tell it by
        "The IOM Council adopted a resolution on the Dialogue.",
        # no body, and none told before in that month
        "The Framework was adopted by Member States per resolution in November 2012.",
    ],
)
def test_no_described_instrument_without_body_and_month(text: str) -> None:
    assert [m for m in symbols(text, None, ADOPTERS) if m.described] == []


def test_a_described_resolution_told_again_is_the_symbol_printed_with_it_first() -> None:
    text = (
        "In November 2012, the IOM Council adopted a resolution on the Dialogue (Resolution "
        "No. 1244). As affirmed in resolution of the IOM Council in November 2012, IOM will "
        "take part. The Framework was adopted per resolution in November 2012."
    )
    found = [(m.symbol, m.printed) for m in symbols(text, None, ADOPTERS)]
    assert found == [
        ("Resolution No. 1244", "Resolution No. 1244"),
        ("Resolution No. 1244", "resolution of the IOM Council"),
    ]  # "per resolution": no definite reference, not told again


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an organization's Member States adopt in its plenary organ
        ("In December 2012, UN Member States adopted a resolution on the Dialogue.",
         ("UNGA resolution of 2012-12", "UN Member States adopted a resolution")),
        ("IOM's 149 Member States adopted a decision in May 2013 on the budget.",
         ("IOM-COUNCIL decision of 2013-05", "IOM's 149 Member States adopted a decision")),
        # one without a plenary organ adopts itself
        ("ASEAN Member States, through a decision of June 2007, set up the committee.",
         ("ASEAN decision of 2007-06", "ASEAN Member States, through a decision")),
        # told by the named document it adopted
        ("For example, the IOM Migration Crisis Operational Framework \u2013 adopted by IOM "
         "Member States per resolution in November 2012 \u2013 seeks to enhance the response.",
         ("IOM-COUNCIL resolution of 2012-11 adopting IOM Migration Crisis Operational "
          "Framework", "IOM Migration Crisis Operational Framework \u2013 adopted by IOM Member "
          "States per resolution")),
        ("The Sendai Plan of Action, which was adopted by the UN General Assembly in a "
         "resolution of June 2015, guides the work.",
         ("UNGA resolution of 2015-06 adopting Sendai Plan of Action", "Sendai Plan of "
          "Action, which was adopted by the UN General Assembly in a resolution")),
    ],
)  # fmt: skip
def test_who_adopted_a_described_instrument(text: str, expected: tuple[str, str]) -> None:
    [mention] = [m for m in symbols(text, None, ADOPTERS) if m.described]
    assert (mention.symbol, mention.printed) == expected
    assert mention.span.of(text) == mention.printed


def test_a_resolution_told_by_the_document_it_adopted_is_not_one_told_before() -> None:
    text = (
        "In November 2012, the IOM Council adopted a resolution on the Dialogue (Resolution "
        "No. 1244). The Migration Crisis Operational Framework, adopted by IOM Member States "
        "per resolution in November 2012, guides IOM's response."
    )
    found = [m.symbol for m in symbols(text, None, ADOPTERS)]
    assert found == [
        "Resolution No. 1244",
        "IOM-COUNCIL resolution of 2012-11 adopting Migration Crisis Operational Framework",
    ]


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("In line with IOM's mandate expressed in its Constitution, it acts.",
         "IOM's mandate expressed in its Constitution"),
        ("IOM's Constitution, Article 1.", "IOM's Constitution"),
        ("Constitution of the International Organization for Migration, Preamble.",
         "Constitution of the International Organization for Migration"),
    ],
)  # fmt: skip
def test_an_organizations_constitution(text: str, printed: str) -> None:
    [mention] = symbols(text, None, ADOPTERS)
    assert (mention.symbol, mention.printed, mention.described) == (
        "IOM-CONSTITUTION",
        printed,
        True,
    )


def test_an_article_of_a_described_constitution_is_its_paragraph() -> None:
    text = (
        'In line with IOM\'s mandate expressed in its Constitution, "to provide a forum" '
        "(Art. 1(1)(e))."
    )
    [paragraph] = paragraphs(text, ORGS, None, ADOPTERS)
    assert (paragraph.symbol, paragraph.number, paragraph.kind) == (
        "IOM-CONSTITUTION",
        "1(1)(e)",
        "article",
    )


def test_the_round_tables_an_instrument_sets_are_its_paragraphs() -> None:
    text = (
        'The "HLD Modalities" resolution A/RES/67/219 determines the format of the HLD in '
        "terms of four roundtables: (i) Assessing the effects of migration; (ii) Measures to "
        "protect migrants; (iii) Strengthening partnerships;\n(iv) Labour mobility.\n\nNext."
    )
    found = [(m.symbol, m.number, m.kind, m.verb, m.span.of(text)) for m in round_tables(text)]
    assert found == [
        ("A/RES/67/219", "RT1", "round-table", "decides", "(i) Assessing the effects of migration"),
        ("A/RES/67/219", "RT2", "round-table", "decides", "(ii) Measures to protect migrants"),
        ("A/RES/67/219", "RT3", "round-table", "decides", "(iii) Strengthening partnerships"),
        ("A/RES/67/219", "RT4", "round-table", "decides", "(iv) Labour mobility"),
    ]


@pytest.mark.parametrize(
    "text",
    [  # a list of another length than counted, a list without an instrument
        "Resolution 67/219 decides on four round tables: (i) Assessing; (ii) Measures.",
        "The Dialogue will hold two round tables: (i) Assessing; (ii) Measures.",
    ],
)
def test_no_round_tables_without_their_instrument_and_count(text: str) -> None:
    assert list(round_tables(text)) == []


def test_an_event_of_a_recurring_set_takes_its_organizers_when_it_names_none() -> None:
    """ "IOM convenes two workshops each year. ... participation by UNFPA at the 2003
    workshop on Data": IOM organizes it; not past the heading of another section, and not
    an event that names its own organizer."""
    text = (
        "IOM convenes two intersessional workshops each year. They are often convened with "
        "partners. Examples include participation by UNFPA at the 2003 workshop on Data "
        "Collection; and the 2004 workshop on Health was held in partnership with the World "
        "Bank.\n\nOther work\n\nUNFPA attended the 2005 workshop on Remittances."
    )
    found = {
        m.label: {(f.key, f.role) for f in m.organizations} for m in meetings(text, ORGS, PLACES)
    }
    assert found["workshop on Data Collection"] == {("IOM", "organizer"), ("UNFPA", "participant")}
    assert found["workshop on Health"] == {("WB", "co-organizer")}
    assert found["workshop on Remittances"] == {("UNFPA", "participant")}
    once = text.replace(" each year", "")
    counted = {m.label: m.organizations for m in meetings(once, ORGS, PLACES)}
    assert ("IOM", "organizer") not in {
        (f.key, f.role) for f in counted["workshop on Data Collection"]
    }
