"""Vetting in itself: what counts as empty, an update or too deep, and the bounded memory
of outcomes that lets a server answer a repeated query without a worker."""

from __future__ import annotations

import pytest

from graph.errors import QueryError
from graph.sparql import MAX_NESTING, Outcomes, Refused, TooDeep, Vetted, nesting, vet


@pytest.mark.parametrize("text", ["", " \n\t", "# nothing\n  # at all", "PREFIX a: <urn:a:>"])
def test_nothing_to_run_is_not_an_update(text: str) -> None:
    with pytest.raises(QueryError) as refused:
        vet(text)
    assert not isinstance(refused.value, Refused)


def test_an_update_is_still_refused() -> None:
    with pytest.raises(Refused):
        vet("PREFIX a: <urn:a:> INSERT DATA { a:x a:y a:z }")


def test_nesting_counts_syntax_only() -> None:
    assert nesting('SELECT * { ?s ?p "((((" . <urn:(((> ?o # ((((\n FILTER((1)) }') == 3
    deep = "SELECT ?x WHERE { BIND(" + "(" * MAX_NESTING + "1" + ")" * MAX_NESTING + " AS ?x) }"
    with pytest.raises(TooDeep):
        vet(deep)
    quoted = 'SELECT ?x WHERE { BIND("' + "(" * (2 * MAX_NESTING) + '" AS ?x) }'
    assert vet(quoted).form == "SELECT"


def test_outcomes_are_remembered_within_their_bound() -> None:
    outcomes = Outcomes(size=3)
    outcomes.put("ASK {}", Vetted("ASK {}", "ASK"))
    outcomes.put("bad", QueryError("malformed SPARQL: bad"))
    first, second = outcomes.get("bad"), outcomes.get("bad")
    assert isinstance(first, QueryError) and str(first) == "malformed SPARQL: bad"
    assert first is not second  # a fresh error each time
    assert outcomes.get("ASK {}") == Vetted("ASK {}", "ASK")
    for extra in ("a", "b", "c"):
        outcomes.put(extra, Vetted(extra, "SELECT"))
    assert outcomes.get("bad") is None and outcomes.get("ASK {}") is None
    assert outcomes.get("c") == Vetted("c", "SELECT")
