"""The notebooks run from top to bottom against a freshly built graph, so they cannot rot."""

from __future__ import annotations

import pytest

from graph.settings import PROJECT_ROOT
from graph.views.notebooks import execute
from tests.conftest import Built

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))


def _text(notebook: object) -> str:
    return "\n".join(
        output.get("text", "")
        for cell in notebook.cells  # type: ignore[attr-defined]
        if cell.cell_type == "code"
        for output in cell.outputs
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path: object, built: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MKG_STORE", str(built.settings.store))
    notebook = execute(path)  # type: ignore[arg-type]
    text = _text(notebook)
    assert f"graph {built.info.version}" in text
    images = [
        o for c in notebook.cells if c.cell_type == "code" for o in c.outputs
        if "image/png" in o.get("data", {})
    ]  # fmt: skip
    assert images, "the notebook shows no plot"
    if path.stem.startswith("01"):  # type: ignore[attr-defined]
        assert "International Organization for Migration" in text
    elif path.stem.startswith("03"):  # type: ignore[attr-defined]
        assert "A/RES/60/227 para_17" in text and "untraced" in text
        assert "IOM-CONSTITUTION" in text
    else:
        assert "A/RES/60/227 OP17" in text and "implementing events" in text


def test_the_notebooks_are_there() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "01_who_works_with_whom.ipynb",
        "02_tracing_mandates.ipynb",
        "03_mandate_register.ipynb",
    ]
