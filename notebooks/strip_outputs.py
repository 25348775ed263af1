"""Strip outputs, execution counts and run metadata from notebooks, so diffs show only the source.

Usage: ``python notebooks/strip_outputs.py notebooks/*.ipynb`` (``make notebook-strip``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

KEEP_NOTEBOOK_METADATA = ("kernelspec", "language_info")


def strip(nb: nbformat.NotebookNode) -> bool:
    """Strip ``nb`` in place; True if anything was removed."""
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None):
            cell.outputs, cell.execution_count = [], None
            changed = True
        if cell.get("metadata"):
            cell.metadata = {}
            changed = True
    extra = [key for key in nb.metadata if key not in KEEP_NOTEBOOK_METADATA]
    for key in extra:
        del nb.metadata[key]
    language = nb.metadata.get("language_info", {})
    if set(language) - {"name"}:
        nb.metadata["language_info"] = {"name": language.get("name", "python")}
        changed = True
    return changed or bool(extra)


def main(paths: list[str]) -> int:
    for path in map(Path, paths):
        nb = nbformat.read(path, as_version=4)
        if strip(nb):
            nbformat.write(nb, path)
            print(f"stripped {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
