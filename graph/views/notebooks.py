"""Executing the project's notebooks (used by the test suite and to refresh their outputs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient


def execute(path: Path, timeout: int = 300, save: bool = False) -> Any:
    """Run every cell of a notebook in a fresh kernel of this Python; raise on any error.

    The kernel works in the project root, so MKG_STORE (default data/store) means what it
    means for `mkg`.
    """
    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    # The kernel is started as "python": make it this interpreter, whatever PATH says.
    bin_dir = str(Path(sys.executable).parent)
    os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    if save:
        nbformat.write(notebook, path)  # type: ignore[no-untyped-call]
    return notebook


if __name__ == "__main__":
    for name in sys.argv[1:]:
        execute(Path(name), save=True)
        print(f"executed {name}")
