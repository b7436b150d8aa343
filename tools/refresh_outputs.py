"""Regenerate the saved outputs of the compared cells (tagged ``keep_output``) of lesson notebooks.

    python tools/refresh_outputs.py notebooks/02_radiation_therapy.ipynb [more.ipynb …]
    python tools/refresh_outputs.py --all

Each notebook runs top to bottom in a fresh kernel (timeouts on start-up and per cell); afterwards every cell's outputs
and execution count are cleared except in cells tagged ``keep_output``, so the file holds exactly the reference
outputs nbval compares, and nothing else.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def strip(nb) -> None:
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if "keep_output" in cell.metadata.get("tags", []):
            continue  # nbval needs the execution count of a reference cell; it is stable (cells run in order)
        cell.outputs = []
        cell.execution_count = None
    nb.metadata.pop("widgets", None)


def refresh(path: Path, timeout: int = 120) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, startup_timeout=60, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    strip(nb)
    nbformat.write(nb, path)
    print(f"refreshed {path}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--all", action="store_true", help="every notebook in notebooks/")
    args = ap.parse_args(argv)
    paths = sorted((ROOT / "notebooks").glob("*.ipynb")) if args.all else args.notebooks
    if not paths:
        ap.error("name notebooks or use --all")
    for p in paths:
        refresh(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
