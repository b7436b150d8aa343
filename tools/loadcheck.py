"""Load check for sizing a class server: N simulated students, each executing the whole course headless at once.

    python -m tools.loadcheck --students 5            # every lesson, in order, one fresh kernel per lesson
    python -m tools.loadcheck --students 20 --json out.json

Each student is its own process; it runs every notebook of ``notebooks/`` top to bottom in a fresh kernel (as a
student pressing "Run All" in each lesson), with the same timeouts as the test suite. For every kernel the peak
resident memory (``ru_maxrss`` read inside the kernel after the last cell) is recorded. The report gives, per
student: pass/fail, wall time for the whole course, and the largest kernel peak; then the totals. On a hub, one
student normally has one kernel open at a time, so "peak RSS per kernel" is the memory to budget per active student
(plus the single-user server itself).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEAK_CELL = "import resource as _r; print('BONEMETS_PEAK_KB', _r.getrusage(_r.RUSAGE_SELF).ru_maxrss)"


def run_notebook(path: Path, timeout: int = 180) -> dict:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    t0 = time.perf_counter()
    retried = False
    try:
        try:
            _execute(nb, path, timeout)
        except Exception as exc:
            # Kernels started at the same instant can race for the same free TCP port (jupyter_client picks
            # ports before the kernel binds them); a student would simply run the lesson again. Retry once,
            # only for a kernel that failed to start, and report it.
            if not _is_startup_failure(exc):
                raise
            retried = True
            nb = nbformat.read(path, as_version=4)
            nb.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
            _execute(nb, path, timeout)
        ok, error = True, ""
    except Exception as exc:  # a failing or timed-out cell
        ok, error = False, f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    wall = time.perf_counter() - t0
    peak_kb = 0
    for out in nb.cells[-1].get("outputs", []):
        text = out.get("text", "")
        if "BONEMETS_PEAK_KB" in text:
            peak_kb = int(text.split()[-1])
    return {"notebook": path.name, "ok": ok, "error": error, "wall_s": wall, "peak_rss_mb": peak_kb / 1024,
            "retried": retried}


def _is_startup_failure(exc: Exception) -> bool:
    from nbclient.exceptions import CellExecutionError

    return not isinstance(exc, CellExecutionError) and any(
        word in f"{type(exc).__name__} {exc}" for word in ("Kernel", "kernel", "DeadKernel", "Address already in use"))


def _execute(nb, path: Path, timeout: int) -> None:
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=timeout, startup_timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()


def run_student(index: int, notebooks: list[str]) -> dict:
    t0 = time.perf_counter()
    lessons = [run_notebook(Path(p)) for p in notebooks]
    return {"student": index, "ok": all(r["ok"] for r in lessons), "wall_s": time.perf_counter() - t0,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in lessons), "lessons": lessons}


def run(students: int, notebooks: list[Path]) -> dict:
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=students) as pool:
        results = list(pool.map(run_student, range(1, students + 1), [[str(p) for p in notebooks]] * students))
    per_lesson = {}
    for nb in notebooks:
        rows = [les for r in results for les in r["lessons"] if les["notebook"] == nb.name]
        per_lesson[nb.name] = {"peak_rss_mb": max(x["peak_rss_mb"] for x in rows),
                               "median_wall_s": statistics.median(x["wall_s"] for x in rows),
                               "failed": sum(not x["ok"] for x in rows)}
    return {"students": students, "total_wall_s": time.perf_counter() - t0, "results": results,
            "per_lesson": per_lesson}


def report(summary: dict) -> str:
    res = summary["results"]
    lines = [f"Load check: {summary['students']} simulated student(s), whole course each, all at once",
             f"{'student':>7s} {'result':>6s} {'wall s':>7s} {'peak RSS MB':>12s}"]
    for r in res:
        lines.append(f"{r['student']:7d} {'pass' if r['ok'] else 'FAIL':>6s} {r['wall_s']:7.1f} {r['peak_rss_mb']:12.0f}")
        for les in r["lessons"]:
            if not les["ok"]:
                lines.append(f"        {les['notebook']}: {les['error']}")
    walls = [r["wall_s"] for r in res]
    lines.append(f"passed {sum(r['ok'] for r in res)}/{len(res)}; course wall time per student median "
                 f"{statistics.median(walls):.1f} s, max {max(walls):.1f} s; total {summary['total_wall_s']:.1f} s")
    retries = sum(les.get("retried", False) for r in res for les in r["lessons"])
    lines.append(f"kernel start-ups retried once after a port clash: {retries}")
    lines.append(f"largest kernel peak RSS {max(r['peak_rss_mb'] for r in res):.0f} MB")
    lines.append(f"{'lesson':40s} {'peak RSS MB':>12s} {'median wall s':>14s} {'failed':>7s}")
    for name, row in summary["per_lesson"].items():
        lines.append(f"{name:40s} {row['peak_rss_mb']:12.0f} {row['median_wall_s']:14.1f} {row['failed']:7d}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--students", type=int, default=1, help="simulated students running the course at once")
    ap.add_argument("--only", default=None, help="only notebooks whose name contains this text")
    ap.add_argument("--json", type=Path, default=None, help="also write the full results here")
    args = ap.parse_args(argv)
    if args.students < 1:
        ap.error("--students must be a whole number >= 1")
    notebooks = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if not args.only or args.only in p.name]
    summary = run(args.students, notebooks)
    print(report(summary))
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1))
    return 0 if all(r["ok"] for r in summary["results"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
