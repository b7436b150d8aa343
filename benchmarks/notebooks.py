"""Notebook wall time: each lesson executed headless in a fresh kernel, next to a floor.

The floor is a one-cell notebook that only starts a kernel and imports the stack every lesson uses (numpy,
matplotlib with the inline backend, ipywidgets, bonemets_edu). A lesson's ratio = its time / the floor: what the
lesson itself costs beyond starting up. Each figure is the median of ``repeat`` runs.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
FLOOR_SOURCE = "import numpy, matplotlib.pyplot, ipywidgets, bonemets_edu\n%matplotlib inline"


def execute(nb, cwd: Path, timeout: int = 300) -> float:
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=timeout, startup_timeout=90, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return time.perf_counter() - t0


def floor_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def run_notebooks(repeat: int = 3, only: str | None = None) -> tuple[float, list[tuple[str, float]]]:
    floor = statistics.median(execute(floor_notebook(), ROOT / "notebooks") for _ in range(repeat))
    rows = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if only and only not in path.name:
            continue
        times = [execute(nbformat.read(path, as_version=4), path.parent) for _ in range(repeat)]
        rows.append((path.name, statistics.median(times)))
    return floor, rows


def format_rows(floor: float, rows) -> str:
    lines = [f"{'notebook':40s} {'wall s':>7s} {'floor s':>8s} {'ratio':>6s}", "-" * 64]
    lines.append(f"{'(floor: kernel + imports only)':40s} {floor:7.2f} {floor:8.2f} {1.0:6.2f}")
    for name, t in rows:
        lines.append(f"{name:40s} {t:7.2f} {floor:8.2f} {t / floor:6.2f}")
    return "\n".join(lines)
