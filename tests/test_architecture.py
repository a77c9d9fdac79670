"""The layout holds: each module imports only its own layer and the layers below it, no
module imports another in a circle, `graph` never imports `api` (the CLI's `serve`
aside), SPARQL text lives in the query folder, and IRIs are minted in one place.

The layers, bottom to top, are those of docs/architecture.md.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    ("foundation", ("graph", "graph.errors", "graph.settings")),
    ("model", ("graph.model",)),
    ("sources", ("graph.sources", "graph.extract")),
    ("store", ("graph.store",)),
    ("pipeline", ("graph.pipeline",)),
    ("read", ("graph.read",)),
    ("views", ("graph.views",)),
    ("cli", ("graph.cli",)),
    ("api", ("api",)),
]
MINTER = "graph.model.iris"
QUERY_FOLDER = "graph.store.queries"


def modules() -> dict[str, Path]:
    """Every module of graph/ and api/ by its dotted name."""
    found = {}
    for package in ("graph", "api"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = modules()


def layer(module: str) -> int:
    """The rank of a module's layer (its longest matching prefix)."""
    best = (-1, -1)
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                best = max(best, (len(prefix), rank))
    if best[1] < 0:
        raise AssertionError(f"{module} is in no layer: add it to docs/architecture.md")
    return best[1]


def imports(module: str) -> Iterator[tuple[str, int]]:
    """The project modules a module imports (at any depth of its code), with the line."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            if name in MODULES and name != module:
                yield name, node.lineno


def import_graph() -> nx.DiGraph:
    edges = nx.DiGraph()
    edges.add_nodes_from(MODULES)
    for module in MODULES:
        for imported, _ in imports(module):
            if not module.startswith(imported + ".") or MODULES[imported].name != "__init__.py":
                edges.add_edge(module, imported)
    return edges


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        layer(module)


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        f"{module}:{line} imports {imported} ({LAYERS[layer(imported)][0]} over "
        f"{LAYERS[layer(module)][0]})"
        for module in MODULES
        for imported, line in imports(module)
        if layer(imported) > layer(module) and not _serve_exception(module, imported)
    ]
    assert not upward, "\n".join(upward)


def _serve_exception(module: str, imported: str) -> bool:
    """The CLI's `serve` starts the API: the one place graph imports api."""
    return module == "graph.cli" and imported.startswith("api")


def test_no_import_cycles() -> None:
    cycles = [c for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert not cycles, cycles


def test_graph_imports_api_only_to_serve() -> None:
    found = [
        f"{module} imports {imported}"
        for module in MODULES
        if module.startswith("graph")
        for imported, _ in imports(module)
        if imported.startswith("api") and not _serve_exception(module, imported)
    ]
    assert not found, found


SPARQL = re.compile(
    r"(?s)\b(SELECT|CONSTRUCT|DESCRIBE|ASK)\b[^{}]*\{|\b(INSERT|DELETE)\s+(DATA\s*)?\{"
)
"""A query or an update: a form keyword (as the project writes them, in capitals) and the
group that follows it."""


def strings(path: Path) -> Iterator[tuple[int, str]]:
    """The string constants of a file (the literal parts of f-strings too), with lines;
    docstrings aside (they may show a query to explain the code)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    documented = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, documented)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            literal = "".join(
                part.value if isinstance(part, ast.Constant) else "{}" for part in node.values
            )
            yield node.lineno, literal


def test_sparql_text_lives_in_the_query_folder() -> None:
    found = [
        f"{module}:{line}: {text[:60]!r}"
        for module, path in MODULES.items()
        if not module.startswith(QUERY_FOLDER)
        for line, text in strings(path)
        if SPARQL.search(text)
    ]
    assert not found, "\n".join(found)


def formatted_iris(source: str) -> list[int]:
    """The lines where an IRI is made from a formatted or concatenated string: a URIRef or
    NamedNode of an f-string, a `+` or a `.format`, or an f-string that starts with the
    project's base or a URN."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) in IRI_TYPES
            and node.args
            and _formatted(node.args[0])
        ) or (isinstance(node, ast.JoinedStr) and _starts_like_an_iri(node)):
            found.append(node.lineno)
    return found


IRI_TYPES = {"URIRef", "NamedNode"}


def _formatted(node: ast.expr) -> bool:
    return isinstance(node, (ast.JoinedStr, ast.BinOp)) or (
        isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "format"
    )


def _starts_like_an_iri(node: ast.JoinedStr) -> bool:
    first = node.values[0] if node.values else None
    return isinstance(first, ast.Constant) and str(first.value).startswith(
        ("https://w3id.org/", "urn:")
    )


def test_iris_are_minted_in_one_place() -> None:
    found = [
        f"{module}:{line}"
        for module, path in MODULES.items()
        if module != MINTER
        for line in formatted_iris(path.read_text(encoding="utf-8"))
    ]
    assert not found, found


@pytest.mark.parametrize(
    "source",
    [
        'URIRef(f"{node}/citation/{digest}")',
        'ox.NamedNode(str(minter.base) + "graph/load/" + name)',
        'URIRef("{}/deliverable".format(paragraph))',
        'node = f"https://w3id.org/migration-kg/id/org/{key}"',
    ],
)
def test_the_minter_check_sees_a_formatted_iri(source: str) -> None:
    assert formatted_iris(source) == [1]


def test_the_layer_check_sees_an_upward_import() -> None:
    # the model importing the read side, as statements.py once imported graph.extract
    assert layer("graph.read.terms") > layer("graph.model.statements")
    assert layer("graph.extract.records") > layer("graph.model.statements")
