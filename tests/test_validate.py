"""The event-date constraint of the shapes (a SPARQL-based one, which validation runs
once per event from one prepared query): an event whose every end falls before its
start is reported, each such event by name, and no other."""

from __future__ import annotations

import datetime as dt

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns

from graph.model.namespaces import MKG, SCHEMA
from graph.pipeline.build import union_of
from graph.pipeline.validate import check, load_shapes
from tests.conftest import Built

MESSAGE = "An event's end date is before its start date."


def _start(union: Graph, event: URIRef) -> dt.date | None:
    """The earliest full start date of an event, if it has one."""
    dates = [
        o.toPython()
        for o in union.objects(event, SCHEMA.startDate)
        if isinstance(o, Literal) and o.datatype == ns.XSD.date
    ]
    return min(dates) if dates else None


def test_every_event_that_ends_before_it_starts_is_reported_and_no_other(built: Built) -> None:
    union = union_of(built.extraction.dataset)
    dated = sorted(
        e
        for e in union.subjects(ns.RDF.type, MKG.Event)
        if isinstance(e, URIRef) and _start(union, e)
    )
    assert len(dated) > 3
    broken = dated[::3]  # several, so the one prepared query is run for each of them
    for event in broken:
        start = _start(union, event)
        assert start is not None
        union.remove((event, SCHEMA.endDate, None))
        union.add((event, SCHEMA.endDate, Literal(start - dt.timedelta(days=1))))
    report = check(union, load_shapes(built.settings.ontology_dir), built.extraction.ontology)
    assert not report.conforms
    reported = [line.split(">")[0].removeprefix("- <") for line in report.lines if MESSAGE in line]
    # once each: a constraint run without its event bound would report them all, for each
    assert sorted(reported) == sorted(str(event) for event in broken)
