"""SPARQL text read and rewritten before it runs: one lexer, and every rewrite made with it.

Everything that reads a query's text without running it lives here:

- `nesting`: how deep brackets nest (vetting refuses what rdflib's parser cannot follow);
- `total_order`: ORDER BY conditions rewritten so that pyoxigraph's sort cannot abort;
- `prepare`: a query made ready for a remote store's version (graph IRIs renamed, FROM
  clauses taken out, values bound as VALUES); and the bindings of the remote store's own
  requests in graph/store/queries/remote/ (`substitute`, `paged`, `fill`, `sequence`).

Why a lexer, and not rdflib's parser. graph.store.sparql vets every /sparql query with rdflib's
parser, and what that parse has already said is used here: the remote runner passes the
vetted form to `prepare`. But a parse cannot do the rewriting. rdflib's parse tree keeps
no positions in the text, so it cannot say where a VALUES block goes or which characters
name a graph; and the text rdflib makes back from a query's algebra is not the query
(rdflib 7.6's `translateAlgebra` returns nothing for ASK, CONSTRUCT and DESCRIBE, and
drops FROM clauses). pyoxigraph exposes no parser. So the rewrites edit the text where
the lexer finds the tokens they change. They need only SPARQL's lexical level (the
grammar's terminals: strings, IRIs, comments, variables, prefixed names, numbers, words
and braces), which regular expressions describe exactly, and they never touch the inside
of a string, an IRI or a comment. The store's own queries, which run many times per page,
are never parsed at all.

The ORDER BY rewrite. pyoxigraph (0.5.13, the newest release) orders terms SPARQL cannot
compare (a number and a string, two dates with and without a time zone) as equal. That is
not a total order (1 = "a", "a" = 3, yet 1 < 3), and Rust's sort aborts the whole process
when it notices: `SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o` over a graph of mixed literals
takes the query worker down (benchmarks/upstream/order_by_panic/ holds a 21-quad
reproduction). Whether it notices depends on the order rows arrive in, which is why the
graph on disk answered and its copy in memory did not.

So each ORDER BY condition is rewritten, before the query runs, into keys that sort the
same way wherever SPARQL defines an order and totally everywhere else: first the kind of
term (unbound, blank node, IRI, number, NaN, string, language-tagged string, any other
literal), then the datatype and whether a time zone is given, then the language, then
the expression itself. Within one group every pair of values is comparable, so the
engine's order is total. SPARQL leaves the order between kinds to the implementation;
this one follows its recommendation (unbound, blank nodes, IRIs, literals).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

import pyoxigraph as ox

from graph.errors import QueryError
from graph.model.namespaces import PARAM

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""An RDF term as pyoxigraph gives it: what a query binds, and what its answers hold."""

# ------------------------------------------------------------------------------ the lexer

_STRING = "|".join(
    (
        r"'''(?:[^'\\]|\\.|'(?!''))*'''",
        r'"""(?:[^"\\]|\\.|"(?!""))*"""',
        r"'(?:[^'\\\n\r]|\\.)*'",
        r'"(?:[^"\\\n\r]|\\.)*"',
    )
)
_IRIREF = r'<[^<>"{}|^`\\\x00-\x20]*>'
_COMMENT = r"\#[^\n\r]*"
SYNTAX_FREE = re.compile(f"{_STRING}|{_IRIREF}|{_COMMENT}", re.DOTALL)
"""Strings, IRIs and comments: nothing inside them is syntax."""
_TOKENS = re.compile(
    "|".join(
        f"(?P<{kind}>{pattern})"
        for kind, pattern in (
            ("comment", _COMMENT),
            ("string", _STRING),
            ("iri", _IRIREF),
            ("var", r"[?$]\w+"),
            ("pname", r"(?:[^\W\d_][\w.-]*)?:(?:[\w:%-]|\\\S|\.(?=[\w:%-]))*"),
            ("number", r"\d+"),
            ("word", r"[^\W\d]\w*"),
            ("open", r"\{"),
            ("close", r"\}"),
            ("other", r"\S"),
        )
    ),
    re.DOTALL,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    """The tokens of a query or update, comments left out."""
    return [
        _Token(m.lastgroup or "other", m.group(), m.start(), m.end())
        for m in _TOKENS.finditer(text)
        if m.lastgroup != "comment"
    ]


def _edited(text: str, edits: list[tuple[int, int, str]]) -> str:
    """The text with each (start, end) span replaced (spans do not overlap)."""
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


_BRACKETS = re.compile(r"[()\[\]{}]")


def nesting(text: str) -> int:
    """How deep the query's parentheses, brackets and braces nest (outside strings,
    IRIs and comments)."""
    depth = deepest = 0
    for chunk in SYNTAX_FREE.split(text):
        for bracket in _BRACKETS.finditer(chunk):
            depth += 1 if bracket.group() in "([{" else -1
            deepest = max(deepest, depth)
    return deepest


# ------------------------------------------------------------------------------ ORDER BY

_ORDER_BY = re.compile(r"(?<![\w:?$\-])ORDER\s+BY(?![\w:])", re.IGNORECASE)
_SPACE = re.compile(r"(?:\s|\#[^\n\r]*)*")
_DIRECTION = re.compile(r"(ASC|DESC)\s*(?=\()", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$][A-Za-z0-9_\u00b7-\uffff]+")
_CALL = re.compile(
    r"(?:[A-Za-z_][\w\-.]*)?:?[A-Za-z0-9_\-.]*\s*(?=\()|<[^<>\"{}|^`\\\x00-\x20]*>\s*(?=\()"
)
_STOP = re.compile(r"(LIMIT|OFFSET|VALUES)(?![\w:])", re.IGNORECASE)
_TIME_ZONE = r"(Z|[+-][0-9][0-9]:[0-9][0-9])$"
_XSD_STRING = "<http://www.w3.org/2001/XMLSchema#string>"


def total_order(query: str) -> str:
    """The query with every ORDER BY condition replaced by keys that order totally."""
    out: list[str] = []
    position = 0
    for start, end in _order_clauses(query):
        out.append(query[position:start])
        out.append(_rewrite_clause(query[start:end]))
        position = end
    out.append(query[position:])
    return "".join(out)


def _order_clauses(query: str) -> list[tuple[int, int]]:
    """(start, end) of each ORDER BY clause's conditions (after the keywords)."""
    found = []
    index = 0
    while index < len(query):
        skipped = SYNTAX_FREE.match(query, index)
        if skipped:
            index = skipped.end()
            continue
        keyword = _ORDER_BY.match(query, index)
        if keyword:
            end = _conditions_end(query, keyword.end())
            found.append((keyword.end(), end))
            index = end
            continue
        index += 1
    return found


def _conditions_end(query: str, index: int) -> int:
    """Where the conditions starting at `index` end: each is a variable, a bracketed
    expression or a call, optionally under ASC/DESC."""
    end = index
    while True:
        index = _SPACE.match(query, end).end()  # type: ignore[union-attr]
        if index >= len(query) or _STOP.match(query, index):
            return end
        direction = _DIRECTION.match(query, index)
        if direction:
            index = direction.end()
        variable = _VARIABLE.match(query, index)
        if variable and not direction:
            end = variable.end()
            continue
        call = _CALL.match(query, index)
        if call is None or (not call.group() and not query.startswith("(", index)):
            return end
        closing = _balanced(query, call.end())
        if closing is None:
            return end
        end = closing


def _balanced(query: str, index: int) -> int | None:
    """The end of the parenthesized group that opens at `index`."""
    if not query.startswith("(", index):
        return None
    depth = 0
    while index < len(query):
        skipped = SYNTAX_FREE.match(query, index)
        if skipped:
            index = skipped.end()
            continue
        char = query[index]
        depth += char == "("
        depth -= char == ")"
        index += 1
        if depth == 0:
            return index
    return None


def _rewrite_clause(clause: str) -> str:
    keys = []
    index = 0
    while True:
        index = _SPACE.match(clause, index).end()  # type: ignore[union-attr]
        if index >= len(clause):
            break
        direction = "ASC"
        matched = _DIRECTION.match(clause, index)
        if matched:
            direction = matched.group(1).upper()
            index = matched.end()
        variable = _VARIABLE.match(clause, index)
        if variable and not matched:
            expression, index = variable.group(), variable.end()
        else:
            call = _CALL.match(clause, index)
            assert call is not None
            closing = _balanced(clause, call.end())
            assert closing is not None
            expression, index = clause[index:closing], closing
        keys += [f"{direction}({key})" for key in _keys(expression)]
    return " " + " ".join(keys) + " "


def _keys(expression: str) -> list[str]:
    e = f"({expression})"
    kind = (
        f"IF(isBlank({e}), 1, IF(isIRI({e}), 2, IF(isNumeric({e}), IF({e} = {e}, 3, 4), "
        f"IF(LANG({e}) != '', 6, IF(DATATYPE({e}) = {_XSD_STRING}, 5, 7)))))"
    )
    other = (
        f"(isLiteral({e}) && !isNumeric({e}) && LANG({e}) = '' && DATATYPE({e}) != {_XSD_STRING})"
    )
    return [
        kind,
        f"IF({other}, STR(DATATYPE({e})), '')",
        f"IF({other}, REGEX(STR({e}), '{_TIME_ZONE}'), false)",
        f"IF(isLiteral({e}), LANG({e}), '')",
        f"IF(isNumeric({e}) && {e} != {e}, '', {e})",
    ]


# ------------------------------------------------------------------------------ remote

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Prepared:
    """A query ready for the remote: its text, its form and the dataset it named itself."""

    text: str
    form: str
    from_default: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()


def prepare(
    query: str,
    rename: Callable[[str], str],
    graphs: Collection[str],
    bindings: Mapping[str, Term] | None = None,
    prefixes: Mapping[str, str] | None = None,
    base: str | None = None,
    form: str | None = None,
) -> Prepared:
    """Rewrite a query for a remote version: each graph IRI named after GRAPH becomes
    `rename(iri)`, FROM clauses are taken out (and returned), `bindings` are injected as
    VALUES at the start of the WHERE group of the query and of each subquery, written
    from the terms' N-Triples form (never from user text); a GRAPH ?var bound to one of
    `graphs` gets that graph's new name in place. `prefixes` are predeclared; `base`
    resolves relative IRIs and is declared. `form` is the query's form when vetting has
    parsed it already; otherwise the lexer finds it."""
    tokens = _tokens(query)
    known = dict(prefixes or {})
    bound = dict(bindings or {})
    resolving = base
    edits: list[tuple[int, int, str]] = []
    found, depth = "", 0
    defaults: list[str] = []
    named: list[str] = []

    def resolve(token: _Token) -> str | None:
        if token.kind == "iri":
            iri = token.text[1:-1]
            return iri if resolving is None or _ABSOLUTE.match(iri) else urljoin(resolving, iri)
        if token.kind == "pname":
            prefix, local = token.text.split(":", 1)
            return known[prefix] + local.replace("\\", "") if prefix in known else None
        return None

    for i, token in enumerate(tokens):
        word = token.text.upper() if token.kind == "word" else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif word == "PREFIX" and after is not None and i + 2 < len(tokens):
            iri = resolve(tokens[i + 2])
            if iri is not None:
                known[after.text[:-1]] = iri
        elif word == "BASE" and after is not None and after.kind == "iri":
            resolving = resolve(after)
        elif word in _FORMS and not found and depth == 0:
            found = word
        elif word == "FROM" and depth == 0 and after is not None:
            is_named = after.kind == "word" and after.text.upper() == "NAMED"
            target = tokens[i + 2] if is_named and i + 2 < len(tokens) else after
            iri = resolve(target)
            if iri is None:
                raise QueryError(
                    f"cannot read the graph named in {query[token.start : target.end]!r}"
                )
            (named if is_named else defaults).append(iri)
            edits.append((token.start, target.end, ""))
        elif word == "GRAPH" and after is not None:
            iri = resolve(after)
            if iri is None and after.kind == "var":
                value = bound.get(after.text[1:])
                if isinstance(value, ox.NamedNode) and value.value in graphs:
                    iri = value.value  # the graph a bound variable names: substituted here
            if iri is not None:
                edits.append((after.start, after.end, _iriref(rename(iri))))
    form = form or found
    if not form:
        raise QueryError("not a SPARQL query (no SELECT, ASK, CONSTRUCT or DESCRIBE)")
    if bound:
        edits.extend(_values_at(tokens, form, bound))
    declared = "".join(f"PREFIX {p}: {_iriref(ns)}\n" for p, ns in (prefixes or {}).items())
    if base:
        declared = f"BASE {_iriref(base)}\n{declared}"
    return Prepared(declared + _edited(query, edits), form, tuple(defaults), tuple(named))


def _values_at(
    tokens: list[_Token], form: str, bindings: Mapping[str, Term]
) -> list[tuple[int, int, str]]:
    """The edits that put VALUES for `bindings` at the start of the WHERE group, and of
    each subquery's: a subquery is evaluated on its own, so a value bound only outside it
    would not reach a GROUP BY or a GRAPH inside it."""
    depth, saw_where, groups, where_at = 0, False, 0, -1
    subqueries: list[int] = []  # depths of SELECTs whose WHERE group is still to come
    inner: list[int] = []  # where those groups start
    for token in tokens:
        word = token.text.upper() if token.kind == "word" else ""
        if token.kind == "open":
            if subqueries and subqueries[-1] == depth:
                subqueries.pop()
                inner.append(token.end)
            if depth == 0:
                groups += 1
                if where_at < 0 and (
                    saw_where or form in ("SELECT", "ASK", "DESCRIBE") or groups == 2
                ):
                    where_at = token.end
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif word == "SELECT" and depth > 0:
            subqueries.append(depth)
        elif word == "WHERE" and depth == 0:
            saw_where = True
    if where_at < 0:
        raise QueryError("cannot bind values in a query without a WHERE group")
    values = " " + _values(bindings) + " "
    return [(at, at, values) for at in (where_at, *inner)]


def _values(bindings: Mapping[str, Term]) -> str:
    names, terms = [], []
    for name, term in bindings.items():
        if not _VARIABLE_NAME.fullmatch(name):
            raise QueryError(f"not a variable name: {name!r}")
        names.append(f"?{name}")
        terms.append(_constant(name, term))
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


def _constant(name: str, term: Term) -> str:
    """A bound value as written in SPARQL: an IRI or a literal in N-Triples form."""
    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise QueryError(f"?{name}: only IRIs and literals can be bound on a remote store")
    return str(term)


def substitute(text: str, bindings: Mapping[str, Term]) -> str:
    """A query or update of the store's own (graph/store/queries/remote/) with each bound
    variable replaced by its value, written in N-Triples form (as pyoxigraph's
    substitutions bind the embedded store's queries). Those requests use their bound
    variables only where a constant may stand (in patterns and templates). Not VALUES:
    Virtuoso refuses a long literal in VALUES (SR478, "Value of ANY type column too
    long"), and a version's GraphInfo is one."""
    edits: list[tuple[int, int, str]] = []
    used = set()
    for token in _tokens(text):
        name = token.text[1:]
        if token.kind == "var" and name in bindings:
            edits.append((token.start, token.end, _constant(name, bindings[name])))
            used.add(name)
    if unused := set(bindings) - used:
        raise QueryError(f"no variable {', '.join(sorted(unused))} to bind")
    return _edited(text, edits)


def _iriref(iri: str) -> str:
    """An IRI as written in SPARQL, checked first (so it cannot end the IRI early)."""
    try:
        return str(ox.NamedNode(iri))
    except ValueError as exc:
        raise QueryError(f"not an IRI: {iri!r}") from exc


def paged(query: str, limit: int, offset: int) -> str:
    """The query with the LIMIT and OFFSET of its outermost level set to these numbers
    (it names both, so that it runs as it stands)."""
    tokens = _tokens(query)
    depth, seen = 0, set()
    edits: list[tuple[int, int, str]] = []
    for i, token in enumerate(tokens):
        word = token.text.upper() if token.kind == "word" else ""
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth -= 1
        elif depth == 0 and word in ("LIMIT", "OFFSET"):
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if after is None or after.kind != "number":
                raise QueryError(f"{word} is not followed by a number")
            edits.append((after.start, after.end, str(limit if word == "LIMIT" else offset)))
            seen.add(word)
    if seen != {"LIMIT", "OFFSET"}:
        raise QueryError("a paged query names its own LIMIT and OFFSET")
    return _edited(query, edits)


def fill(operation: str, iris: Mapping[str, str]) -> str:
    """A graph management operation (DROP, COPY, ADD) with its graphs named: each
    placeholder `<urn:mkg:param:NAME>` becomes the IRI given for NAME. SPARQL has no
    variables in these operations, so they cannot be bound as VALUES; the IRIs are checked
    and written in N-Triples form, like bound values."""
    edits: list[tuple[int, int, str]] = []
    used = set()
    for token in _tokens(operation):
        iri = token.text[1:-1]
        if token.kind == "iri" and iri.startswith(PARAM):
            name = iri.removeprefix(PARAM)
            if name not in iris:
                raise QueryError(f"no IRI given for the placeholder {token.text}")
            edits.append((token.start, token.end, _iriref(iris[name])))
            used.add(name)
    if unused := set(iris) - used:
        raise QueryError(f"no placeholder for {', '.join(sorted(unused))}")
    return _edited(operation, edits)


def sequence(operations: Sequence[str]) -> str:
    """Update operations sent as one request."""
    return " ;\n".join(operations)
