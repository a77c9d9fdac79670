"""The resolution reader on short resolution-like texts written for these tests, and on
the two resolution excerpts of ../shared/dev-corpus (read in place): numbers, verbs,
sub-items, addressees, deliverables, lineage, and what it does with texts that are not
resolutions or number their paragraphs oddly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.extract.resolution import Resolution, read
from graph.settings import PROJECT_ROOT, get_settings
from graph.sources.registry import Registry
from tests.conftest import require

DEV_CORPUS = PROJECT_ROOT.parent / "shared" / "dev-corpus"

DRAFT = """Report of the Third Committee

The Committee recommends to the General Assembly the adoption of the following
draft resolution (A/C.3/98/L.12), which read:

            98/415. Protection of migrants

      The General Assembly,

      Recalling its resolutions 55/93 of 4 December 2000, 56/170 and 57/270 B,

      Reaffirming its resolution 60/227 of 23 December 2005,

      Welcoming the work of the Global Migration Group,

      1.  Decides to convene a high-level dialogue in 2030, as mandated in resolution 65/170;

      2.  Requests the Secretary-General to submit to the General Assembly at its
ninety-ninth session a report on the implementation of the present resolution;

      3.  Invites Member States and relevant United Nations agencies, funds and
programmes, including the International Organization for Migration, to take part;

      4.  Also encourages the regional commissions to organize panels every two years:
          (a)  on labour mobility;
          (b)  on remittances, including:
               (i)  their cost;
               (ii)  their transfer;

      5.  Decides to include in the provisional agenda of its hundredth session the item
"Protection of migrants".

                                                  80th plenary meeting
"""


@pytest.fixture(scope="module")
def lookup() -> object:
    registry = Registry.load(get_settings().registry_dir)

    def find(name: str) -> str | None:
        entry = registry.lookup_org(name)
        return entry.id if entry else None

    return find


def only(text: str, lookup: object = None) -> Resolution:
    found = read(text, lookup)  # type: ignore[arg-type]
    assert len(found) == 1
    return found[0]


def test_a_draft_quoted_in_a_report_keeps_its_own_symbol_and_title() -> None:
    draft = only(DRAFT)
    assert draft.symbol == "A/C.3/98/L.12"
    assert draft.title == "Protection of migrants"
    assert draft.body == "The General Assembly"
    assert draft.symbol_span is not None and draft.symbol_span.of(DRAFT) == "A/C.3/98/L.12"


def test_operative_paragraphs_with_numbers_ids_and_verbs_as_printed() -> None:
    draft = only(DRAFT)
    top = [(p.number, p.id, p.verb) for p in draft.paragraphs if p.parent is None]
    assert top == [
        ("1", "para_1", "decides"),
        ("2", "para_2", "requests"),
        ("3", "para_3", "invites"),
        ("4", "para_4", "also encourages"),
        ("5", "para_5", "decides"),
    ]
    assert draft.flags == ()
    for p in draft.paragraphs:
        assert DRAFT[p.span.start :].startswith(p.number.split("(")[0] + ".") or p.parent


def test_sub_items_are_their_own_records_under_their_paragraph() -> None:
    items = [(p.number, p.id, p.parent) for p in only(DRAFT).paragraphs if p.parent]
    assert items == [
        ("4(a)", "para_4__point_a", "4"),
        ("4(b)", "para_4__point_b", "4"),
        ("4(b)(i)", "para_4__point_b__point_i", "4(b)"),
        ("4(b)(ii)", "para_4__point_b__point_ii", "4(b)"),
    ]


def test_a_letter_i_after_h_is_a_letter_not_a_roman_numeral() -> None:
    letters = "\n".join(f"          ({c})  item {c};" for c in "abcdefghij")
    text = f"The General Assembly,\n\n  1.  Decides the following:\n{letters}\n"
    ids = [p.id for p in only(text).paragraphs]
    assert "para_1__point_i" in ids and "para_1__point_j" in ids
    assert not any("__point_h__" in i for i in ids)


def test_addressees_are_registry_organizations_or_named_groups(lookup: object) -> None:
    paragraphs = {p.number: p for p in only(DRAFT, lookup).paragraphs}
    assert [(a.text, a.key) for a in paragraphs["2"].addressees] == [
        ("the Secretary-General", "UN-SG")
    ]
    assert [(a.text, a.key) for a in paragraphs["3"].addressees] == [
        ("Member States", None),
        ("relevant United Nations agencies, funds and programmes", None),
        ("the International Organization for Migration", "IOM"),
    ]
    for p in paragraphs.values():
        for a in p.addressees:
            assert " ".join(a.span.of(DRAFT).split()) == a.text
    assert paragraphs["1"].addressees == ()


def test_deliverables_with_due_session_or_year_and_periodicity() -> None:
    paragraphs = {p.number: p for p in only(DRAFT).paragraphs}
    report = paragraphs["2"].deliverables
    assert [(d.kind, d.due) for d in report] == [("report", "ninety-ninth session")]
    assert report[0].label.startswith("a report on the implementation")
    meeting = paragraphs["1"].deliverables
    assert [(d.kind, d.due) for d in meeting] == [("meeting", "2030")]
    panels = paragraphs["4"].deliverables
    assert [(d.kind, d.periodicity) for d in panels] == [("panel", "every two years")]
    assert paragraphs["3"].deliverables == ()
    assert paragraphs["5"].review is not None
    assert paragraphs["5"].review.of(DRAFT).startswith("to include in the provisional agenda")


def test_lineage_with_relation_and_the_date_the_citation_gives() -> None:
    cited = [(c.relation, c.symbol, c.issued) for c in only(DRAFT).citations]
    assert cited == [
        ("recalls", "A/RES/55/93", dt.date(2000, 12, 4)),
        ("recalls", "A/RES/56/170", None),
        ("recalls", "A/RES/57/270 B", None),
        ("reaffirms", "A/RES/60/227", dt.date(2005, 12, 23)),
        ("followsUp", "A/RES/65/170", None),
    ]
    for c in only(DRAFT).citations:
        assert c.span.of(DRAFT) == c.printed
        assert c.evidence.start <= c.span.start < c.span.end <= c.evidence.end


def test_council_decisions_and_year_numbered_resolutions() -> None:
    text = (
        "The Commission on Population and Development,\n\n"
        "Recalling Economic and Social Council decision 1995/313 of 27 July 1995 and "
        "its resolution 2012/1,\n\n1. Requests the Secretariat to prepare a note on migration;\n"
    )
    found = only(text)
    assert [(c.symbol, c.issued) for c in found.citations] == [
        ("E/DEC/1995/313", dt.date(1995, 7, 27)),
        ("resolution 2012/1", None),
    ]
    assert [d.kind for d in found.paragraphs[0].deliverables] == ["note"]


def test_numbering_that_skips_or_repeats_is_read_as_printed_and_flagged() -> None:
    text = (
        "The Economic and Social Council,\n\n  1.  Decides one thing;\n\n  3.  Decides another;"
        "\n\n  3.  Requests a third;\n\n  4.  Urges a fourth.\n"
    )
    found = only(text)
    assert [(p.number, p.flags) for p in found.paragraphs] == [
        ("1", ()),
        ("3", ("skips",)),
        ("3", ("repeats",)),
        ("4", ()),
    ]
    assert found.flags == ("repeats", "skips")


def test_a_text_that_is_not_a_resolution_yields_nothing() -> None:
    report = (
        "16. The report of the working group highlighted various aspects of migration.\n"
        "17. In response, the Global Commission on International Migration was created.\n"
        "20. In 2006, the Secretary-General established the Global Migration Group.\n"
    )
    assert read(report) == []
    assert read("") == []
    assert read("The World Bank,\n") == []


def test_an_unknown_symbol_form_is_kept_as_written() -> None:
    text = "Resolution 2013/7\nNew things\nThe Commission on Something,\n\nNoting it,\n"
    found = only(text)
    assert found.symbol == "Resolution 2013/7"
    assert found.title == "New things"
    unknown = "The General Assembly,\n\nRecalling Council resolution 1999/12,\n"
    assert [c.symbol for c in only(unknown).citations] == ["E/RES/1999/12"]


# ---------------------------------------------------------------------- the dev corpus

ARES = DEV_CORPUS / "ares_50_123_preamble.txt"
CPD = DEV_CORPUS / "cpd_resolution_2013_1.txt"
RECALLED = {
    ARES: {"A/RES/49/127", "E/DEC/1995/313", "A/RES/45/264"},
    CPD: {"A/RES/60/265"},
}
"""Our reading of the resolutions and decisions each excerpt recalls (the Programme of
Action, declarations and conventions are not resolutions)."""


def _dev(path: Path) -> str:
    require(path.exists(), f"the dev corpus ({path})")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("path", "symbol"), [(ARES, "A/RES/50/123"), (CPD, "Resolution 2013/1")])
def test_dev_corpus_resolutions_are_read(path: Path, symbol: str) -> None:
    text = _dev(path)
    found = only(text)
    assert found.symbol == symbol
    assert found.paragraphs == ()  # both excerpts stop inside the preamble
    assert all(p.opening.startswith(("recalling", "recognizing", "acknowledging"))
               for p in found.preambular)  # fmt: skip
    assert len(found.preambular) >= 6


def test_dev_corpus_lineage_finds_at_least_three_quarters_of_what_is_recalled() -> None:
    wanted = found = 0
    for path, recalled in RECALLED.items():
        cited = {c.symbol for c in only(_dev(path)).citations}
        wanted += len(recalled)
        found += len(recalled & cited)
        assert cited <= recalled | {"A/RES/46/235"}, cited - recalled
    assert found / wanted >= 0.75


def test_a_letter_opening_with_a_body_name_is_not_a_resolution() -> None:
    letter = (
        "Dear colleagues,\n\nThe Director-General,\n\nHas the honour to transmit the report.\n\n"
        "The Secretariat stands ready to assist.\n"
    )
    assert read(letter) == []
    recital = "The Human Rights Council,\n\nDeeply concerned about migrants in transit,\n"
    assert [p.opening for p in only(recital).preambular] == ["deeply concerned"]


def test_a_draft_in_quotation_marks_is_read() -> None:
    text = (
        "The Committee adopted draft resolution A/C.2/97/L.3 (see para. 9), which read:\n\n"
        "\u201cThe General Assembly,\n\n\u201cNoting the report,\n\n"
        "\u201c1.  Requests the Secretary-General to submit a note on transit in 2043.\u201d\n"
    )
    found = only(text)
    assert found.symbol == "A/C.2/97/L.3"
    assert [(p.number, p.verb) for p in found.paragraphs] == [("1", "requests")]
    assert [(d.kind, d.due) for d in found.paragraphs[0].deliverables] == [("note", "2043")]
