"""Tracing A/RES/60/227: each paragraph of Box 2 (seed 000), its addressees, and the
calendar items that carry it out. The expectations are our reading of Box 2."""

from __future__ import annotations

import pytest

from graph.read.terms import rows
from graph.read.trace import InstrumentTrace, ParagraphTrace, trace
from tests.conftest import CALENDAR_DOC, CORPUS, Built, RunMkg

ROW_OF_EVENT = """
SELECT DISTINCT ?event ?row WHERE {
  GRAPH <https://w3id.org/migration-kg/id/graph/doc/000_14d2ce0a342a483c> {
    ?event schema:position ?row
  }
}
"""

# paragraph -> (addressees, calendar rows that implement it)
EXPECTED = {
    "11": ({"PGA"}, {40}),
    "15": ({"UN-SG"}, {30}),
    "16": ({"UN-SG"}, {30}),
    "17": ({"UN-REGIONAL-COMMISSIONS"}, {10, 16, 17, 28, 42, 48}),
    "18": ({"PGA"}, {32, 36}),
    "19": ({"CPD", "CSOCD", "CSW"}, {1, 4, 5, 13}),
    "20": ({"CMW"}, {20}),
    "21": ({"RCPS"}, {3, 18, 21, 23, 24, 39}),
    "24": ({"UN-SG"}, set()),
}


@pytest.fixture(scope="module")
def traced(built: Built) -> InstrumentTrace:
    return trace(built.store, "A/Res/60/227")


@pytest.fixture(scope="module")
def row_of(built: Built) -> dict[str, int]:
    return {str(r["event"]): int(r["row"]) for r in rows(built.store.query(ROW_OF_EVENT))}  # type: ignore[call-overload]


def _paragraph(traced: InstrumentTrace, number: str) -> ParagraphTrace:
    return next(p for p in traced.paragraphs if p.number == number)


def _key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


@pytest.mark.parametrize("number", sorted(EXPECTED, key=int))
def test_paragraph_addressees_and_implementing_rows(
    traced: InstrumentTrace, row_of: dict[str, int], number: str
) -> None:
    addressees, expected_rows = EXPECTED[number]
    paragraph = _paragraph(traced, number)
    assert paragraph.kind == "operative"
    assert {_key(a.iri) for a in paragraph.addressees} == addressees
    reviewed = [i for i in paragraph.implementations if i.basis in ("stated", "curated")]
    assert {row_of[i.implementer] for i in reviewed} >= expected_rows
    for link in reviewed:
        assert link.sources, f"{link.label} has no evidence"


def test_op17_links_carry_the_box_2_sentence(traced: InstrumentTrace) -> None:
    paragraph = _paragraph(traced, "17")
    [source] = paragraph.sources
    assert source.document == CALENDAR_DOC
    assert "UN Regional Commissions are requested to contribute" in source.evidence
    assert paragraph.verb == "requests"
    assert [a.label for a in paragraph.activities]


def test_op24_has_no_implementing_event_and_the_trace_says_so(
    traced: InstrumentTrace, run_mkg: RunMkg, built: Built
) -> None:
    assert _paragraph(traced, "24").implementations == ()
    done = run_mkg("trace", "A/RES/60/227", "24", settings=built.settings)
    assert done.returncode == 0, done.stderr
    assert "implemented by: nothing in the graph" in done.stdout


def test_trace_back_from_an_event_to_its_paragraphs(built: Built, row_of: dict[str, int]) -> None:
    from graph.read.trace import links

    hearings = next(iri for iri, row in row_of.items() if row == 40)
    back = links(built.store, implementer=hearings)
    assert {_key(link.target) for link in back if link.basis != "inferred"} == {"11"}


def test_every_source_quote_is_verbatim_at_its_offsets(traced: InstrumentTrace) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.txt")}
    for paragraph in traced.paragraphs:
        for link in paragraph.implementations:
            for source in (*paragraph.sources, *link.sources):
                text = texts[source.document]
                assert text[source.char_start : source.char_end] == source.evidence


def test_trace_cli_prints_paragraph_addressees_and_events(run_mkg: RunMkg, built: Built) -> None:
    done = run_mkg("trace", "A/RES/60/227", "OP17", settings=built.settings)
    assert done.returncode == 0, done.stderr
    assert "A/RES/60/227 OP17 (requests)" in done.stdout
    assert "addressees: United Nations Regional Commissions" in done.stdout
    assert "ESCAP Side Event: Presentation of the HLD to ESCAP Countries  curated" in done.stdout
    assert "000_14d2ce0a342a483c [" in done.stdout


def test_trace_of_unknown_things_is_one_clear_error(run_mkg: RunMkg, built: Built) -> None:
    done = run_mkg("trace", "A/RES/99/999", settings=built.settings)
    assert done.returncode == 1
    assert done.stderr.strip() == "mkg: error: no instrument 'A/RES/99/999' in the graph"
    done = run_mkg("trace", "A/RES/60/227", "99", settings=built.settings)
    assert done.stderr.strip() == "mkg: error: A/RES/60/227 has no paragraph '99' in the graph"


def test_automatic_links_are_marked_inferred_with_a_score(built: Built) -> None:
    found = rows(
        built.store.query(
            "SELECT DISTINCT ?link ?score ?why WHERE { GRAPH ?g { ?link mkg:linkBasis 'inferred' ;"
            " mkg:score ?score ; rdfs:comment ?why } }"
        )
    )
    assert found
    for r in found:
        assert 0 < float(r["score"]) <= 1.2  # type: ignore[arg-type]
        assert "addressee" in str(r["why"])
