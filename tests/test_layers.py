"""Where things live: the model does not reach into the extraction layer, and instance
IRIs are built by the minter alone (so a rebuild yields the same IRIs)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import graph
from graph import iris, statements

PACKAGE = Path(graph.__file__).parent
FORMATTED_IRI = re.compile(r"URIRef\(\s*(f[\"']|[\"'][^\"']*[\"']\s*\.format|.*\s\+\s)")
"""An IRI made from a formatted or concatenated string."""


def imports(path: Path) -> set[str]:
    """The modules a Python file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_model_does_not_import_the_extraction_layer() -> None:
    for module in (statements, iris):
        assert module.__file__ is not None
        reached = {m for m in imports(Path(module.__file__)) if m.startswith("graph.extract")}
        assert not reached, (module.__name__, reached)


def test_only_the_minter_formats_iris() -> None:
    assert iris.__file__ is not None
    minter = Path(iris.__file__)
    formatted = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != minter
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FORMATTED_IRI.search(line)
    ]
    assert formatted == []
    assert FORMATTED_IRI.search('URIRef(f"{node}/citation/{digest}")')  # the check can fail
