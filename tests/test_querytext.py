"""The rewrites of query text (graph.store.querytext), checked by running what they write.

A remote version is played by pyoxigraph: the same statements under the version's graph
names (graph.model.iris.version_graph), queried with the protocol dataset graph.store.remote sends.
Each rewritten query must answer there what the original answers over the original
graphs. The remote store's own requests (graph/store/queries/remote/) must parse as they stand
and once bound, and name only terms graph.model.namespaces defines.
"""

from __future__ import annotations

import re
from importlib import resources

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from graph.errors import QueryError
from graph.model.namespaces import META, META_GRAPH, PARAM
from graph.store.queries import load_query, load_update
from graph.store.querytext import Term, fill, paged, prepare, substitute
from graph.store.remote import dataset
from graph.store.versions import Version

A, B = "urn:g:a", "urn:g:b"
DATA = f"""
<urn:x:1> <urn:p:name> "one" <{A}> .
<urn:x:2> <urn:p:name> "two" <{A}> .
<urn:x:2> <urn:p:name> "two" <{B}> .
<urn:x:3> <urn:p:name> "GRAPH <{A}> {{" <{B}> .
<urn:x:3> <urn:p:knows> <urn:x:1> <{B}> .
"""
VERSION = Version("00000000000000ff", frozenset({A, B}))


def original() -> ox.Store:
    """The graphs under their own names, their merge as the default graph."""
    store = ox.Store()
    for quad in ox.parse(DATA.encode(), format=ox.RdfFormat.N_QUADS):
        store.add(quad)
        store.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()))
    return store


def remote() -> ox.Store:
    """The same graphs as a remote version holds them: renamed, merge in its own graph."""
    store = ox.Store()
    for quad in ox.parse(DATA.encode(), format=ox.RdfFormat.N_QUADS):
        assert isinstance(quad.graph_name, ox.NamedNode)
        renamed = ox.NamedNode(VERSION.name(quad.graph_name.value))
        store.add(ox.Quad(quad.subject, quad.predicate, quad.object, renamed))
        merged = ox.NamedNode(VERSION.merged)
        store.add(ox.Quad(quad.subject, quad.predicate, quad.object, merged))
    return store


def rows(result: object, unversion: bool = False) -> list[tuple[str, ...]]:
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    found = []
    for solution in result:
        values = tuple(str(solution[n]) if solution[n] is not None else "" for n in names)
        if unversion:
            values = tuple(v.replace(VERSION.node, "") for v in values)
        found.append(values)
    return sorted(found)


def on_remote(query: str, bindings: dict[str, Term] | None = None) -> list[tuple[str, ...]]:
    prepared = prepare(query, VERSION.name, VERSION.graphs, bindings)
    default, named = dataset(VERSION, prepared)
    result = remote().query(
        prepared.text,
        default_graph=[ox.NamedNode(g) for g in default],
        named_graphs=[ox.NamedNode(g) for g in named],
    )
    return rows(result, unversion=True)


def on_original(query: str, bindings: dict[str, Term] | None = None) -> list[tuple[str, ...]]:
    substitutions = {ox.Variable(k): v for k, v in (bindings or {}).items()}
    return rows(original().query(query, substitutions=substitutions or None))


@pytest.mark.parametrize(
    ("query", "bindings"),
    [
        ("SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }", {}),
        (f"SELECT ?s WHERE {{ GRAPH <{A}> {{ ?s ?p ?o }} }}", {}),
        ("PREFIX g: <urn:g:> SELECT ?s ?o WHERE { GRAPH g:b { ?s ?p ?o } }", {}),
        (f"SELECT ?s FROM <{B}> WHERE {{ ?s ?p ?o }}", {}),
        (f"SELECT ?g ?s FROM NAMED <{A}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
        ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {}),
        (
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            {"g": ox.NamedNode(A)},
        ),
        (
            "SELECT * WHERE { { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s } }",
            {"s": ox.NamedNode("urn:x:2")},
        ),
        ("SELECT ?s ?name WHERE { ?s <urn:p:name> ?name }", {"name": ox.Literal("two")}),
        (
            f"SELECT ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?o != 'GRAPH <{A}> {{') }}"
            f" # GRAPH <{A}> {{\n",
            {},
        ),
    ],
)
def test_a_prepared_query_answers_on_the_version_as_the_original(
    query: str, bindings: dict[str, Term]
) -> None:
    expected = on_original(query, bindings)
    assert expected
    assert on_remote(query, bindings) == expected


def test_a_bound_value_reaches_inside_subqueries() -> None:
    """As pyoxigraph's substitutions do: the value stands wherever the variable does."""
    query = "SELECT ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } } }"
    written = query.replace("?s", "<urn:x:2>")
    assert on_remote(query, {"s": ox.NamedNode("urn:x:2")}) == on_original(written)
    assert on_original(written) != on_original(query)


def test_only_graph_names_outside_strings_and_comments_are_renamed() -> None:
    query = f"SELECT ?o WHERE {{ GRAPH <{A}> {{ ?s ?p ?o FILTER(?o != 'GRAPH <{A}>') }} }} # <{A}>"
    text = prepare(query, VERSION.name, VERSION.graphs).text
    assert text.count(VERSION.name(A)) == 1
    assert f"'GRAPH <{A}>'" in text and text.endswith(f"# <{A}>")


def test_the_vetted_form_and_the_base_are_used() -> None:
    base = "http://example.org/sparql"
    prepared = prepare(
        "SELECT * WHERE { GRAPH <g/b> { ?s ?p ?o } }",
        VERSION.name,
        VERSION.graphs,
        base=base,
        form="ASK",
    )
    assert prepared.form == "ASK"  # what vetting found, not parsed again
    assert prepared.text.startswith(f"BASE <{base}>\n")
    assert f"GRAPH <{VERSION.name('http://example.org/g/b')}>" in prepared.text


@pytest.mark.parametrize(
    ("query", "bindings"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", {}),
        ("SELECT * WHERE { ?s ?p ?o }", {"o": ox.BlankNode()}),
        ("SELECT * WHERE { ?s ?p ?o }", {"o-x": ox.Literal("x")}),
        ("DESCRIBE <urn:x>", {"s": ox.NamedNode("urn:x")}),
        ("SELECT * FROM ?g WHERE { ?s ?p ?o }", {}),
    ],
)
def test_what_cannot_be_prepared_is_a_query_error(query: str, bindings: dict[str, Term]) -> None:
    with pytest.raises(QueryError):
        prepare(query, VERSION.name, VERSION.graphs, bindings)


# ------------------------------------------------------------------------------ own requests


REMOTE = sorted(
    entry.name for entry in resources.files("graph.store.queries").joinpath("remote").iterdir()
)
BOUND = {
    "versions": {},
    "version_graphs": {"version": ox.NamedNode("urn:mkg:v:1:")},
    "dump_quads": {},
    "dump_triples": {},
    "statements": {},
    "start_version": {"version": ox.NamedNode("urn:mkg:v:1:"), "started": ox.Literal("now")},
    "record_graph": {"version": ox.NamedNode("urn:mkg:v:1:"), "graph": ox.NamedNode(A)},
    "forget_version": {"version": ox.NamedNode("urn:mkg:v:1:")},
    "switch": {
        "version": ox.NamedNode("urn:mkg:v:2:"),
        "info": ox.Literal('{"a": "b\\n}"}'),
        "old": ox.NamedNode("urn:mkg:v:1:"),
    },
    "switch_first": {"version": ox.NamedNode("urn:mkg:v:2:"), "info": ox.Literal("{}")},
}
FILLED = {
    "drop_graph": {"graph": A},
    "copy_graph": {"source": A, "target": B},
    "add_graph": {"source": A, "target": B},
}


def test_every_own_request_is_bound_in_these_tests() -> None:
    assert {name.rsplit(".", 1)[0] for name in REMOTE} == set(BOUND) | set(FILLED)


@pytest.mark.parametrize("name", REMOTE)
def test_own_requests_parse_as_they_stand_and_once_bound(name: str) -> None:
    stem, suffix = name.rsplit(".", 1)
    text = load_query(f"remote/{stem}") if suffix == "rq" else load_update(f"remote/{stem}")
    parse = parseQuery if suffix == "rq" else parseUpdate
    parse(text)
    if stem in FILLED:
        bound = fill(text, FILLED[stem])
        assert "urn:mkg:param:" not in bound
    else:
        bound = substitute(text, BOUND[stem])
        body = "\n".join(line for line in bound.splitlines() if not line.startswith("#"))
        for variable in BOUND[stem]:
            assert not re.search(rf"[?$]{variable}\b", body)
    parse(bound)


@pytest.mark.parametrize("name", REMOTE)
def test_own_requests_name_only_terms_the_namespaces_define(name: str) -> None:
    text = resources.files("graph.store.queries").joinpath("remote", name).read_text("utf-8")
    for local in re.findall(r"\bmeta:(\w+)", text):
        assert META[local]  # raises for a term META does not define
    if "meta:" in text:
        assert f"PREFIX meta: <{META}>" in text
    for iri in re.findall(r"<(urn:mkg:[^>]*)>", text):
        assert iri in (str(META_GRAPH), str(META)) or iri.startswith(PARAM)


def test_the_switch_moves_the_pointer_only_from_the_version_expected() -> None:
    v1, v2, v3 = (ox.NamedNode(f"urn:mkg:v:{n}:") for n in (1, 2, 3))
    info = ox.Literal('{"said": "?old } ;"}')
    for old, moved in ((v3, False), (v1, True)):
        store = ox.Store()
        meta = ox.NamedNode(META_GRAPH)
        store.add(ox.Quad(meta, ox.NamedNode(META.current), v1, meta))
        started = {"version": v2, "started": ox.Literal("now")}
        store.update(substitute(load_update("remote/start_version"), started))
        switch = {"version": v2, "info": info, "old": old}
        store.update(substitute(load_update("remote/switch"), switch))
        found = rows(store.query(load_query("remote/versions")))
        if moved:
            assert found == [("", "", "", str(v2)), (str(v2), '"now"', str(info), "")]
        else:
            assert found == [("", "", "", str(v1)), (str(v2), '"now"', "", "")]


def test_substitution_refuses_what_it_cannot_bind() -> None:
    update = load_update("remote/switch")
    with pytest.raises(QueryError):
        substitute(update, {"nothing": ox.NamedNode("urn:v:3")})
    with pytest.raises(QueryError):
        substitute(update, {"version": ox.BlankNode()})


def test_fill_names_graphs_and_refuses_what_is_not_an_iri() -> None:
    text = fill(load_update("remote/copy_graph"), {"source": A, "target": B})
    assert f"COPY SILENT <{A}> TO <{B}>" in text
    with pytest.raises(QueryError):
        fill(load_update("remote/copy_graph"), {"source": A})
    with pytest.raises(QueryError):
        fill(load_update("remote/drop_graph"), {"graph": "urn:a> } ; DROP ALL #"})


def test_pages_cover_every_statement_once() -> None:
    store = ox.Store()
    store.bulk_extend(
        ox.Quad(ox.NamedNode(f"urn:s:{i}"), ox.NamedNode("urn:p"), ox.Literal(str(i)),
                ox.NamedNode(f"urn:g:{i % 3}"))
        for i in range(25)
    )  # fmt: skip
    query = load_query("remote/dump_quads")
    found: list[tuple[str, ...]] = []
    for offset in range(0, 30, 7):
        found += rows(store.query(paged(query, 7, offset)))
    assert sorted(found) == rows(store.query(query.replace("LIMIT 10000", "LIMIT 100")))
    assert len(set(found)) == 25
    with pytest.raises(QueryError):
        paged("SELECT * WHERE { ?s ?p ?o } LIMIT 3", 1, 0)
