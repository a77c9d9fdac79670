"""ORDER BY keys that pyoxigraph can sort without aborting.

pyoxigraph (0.5.13, the newest release) orders terms SPARQL cannot compare (a number and
a string, two dates with and without a time zone) as equal. That is not a total order
(1 = "a", "a" = 3, yet 1 < 3), and Rust's sort aborts the whole process when it notices:
`SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o` over a graph of mixed literals takes the
query worker down (benchmarks/upstream/order_by_panic/ holds a 21-quad reproduction).
Whether it notices depends on the order rows arrive in, which is why the graph on disk
answered and its copy in memory did not.

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

_SKIP = re.compile(
    r"""'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'"""
    r"""|"(?:[^"\\\n\r]|\\.)*"|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n\r]*""",
    re.DOTALL,
)
"""Strings, IRIs and comments: nothing inside them is syntax."""
SYNTAX_FREE = re.compile(_SKIP.pattern, re.DOTALL)
"""The same, for splitting a query into its syntax and the rest."""
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
        skipped = _SKIP.match(query, index)
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
        skipped = _SKIP.match(query, index)
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
