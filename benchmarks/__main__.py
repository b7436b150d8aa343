"""python -m benchmarks [notebooks|widgets|e2e|encoders|all] [--repeat N] [--n N] [--only TEXT] [--source DIR]

Prints (1) each notebook's headless wall time next to the floor and the ratio, and (2) each widget's median and p95
update time next to the naive interact-and-replot baseline measured in the same process, and (3) end to end, in
JupyterLab in headless Chromium, the time from a control change to the new output painted (the new figure; for the
widgets that answer in HTML text, lessons 06a and 06b, the changed text), for every lesson's main widget, with a
breakdown (kernel, messages, page); see benchmarks/e2e.py. ``encoders`` (not part of
``all``) compares PNG encoders on the widget figures (benchmarks/encoders.py).
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("what", nargs="?", default="all", choices=["all", "notebooks", "widgets", "e2e", "encoders"])
    ap.add_argument("--repeat", type=int, default=3, help="runs per notebook (median reported)")
    ap.add_argument("--n", type=int, default=50, help="updates per widget")
    ap.add_argument("--only", default=None, help="only notebooks/widgets whose name contains this text "
                    "(e2e: a comma-separated list, e.g. '01b,06a')")
    ap.add_argument("--e2e-n", type=int, default=20, help="changes per widget in the end-to-end case")
    ap.add_argument("--source", default=None, help="e2e: run the kernels on this checkout of the course")
    args = ap.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    if args.what in ("all", "widgets"):
        from .harness import format_widget_rows, run_widgets

        print("Widget update latency (ms; budget 50, or 100 for a 2-D map; naive = new figure per step)")
        print(format_widget_rows(run_widgets(n=args.n, only=args.only)))
        print()
    if args.what in ("all", "e2e"):
        from .e2e import format_rows as format_e2e
        from .e2e import run_e2e

        print(f"End to end in JupyterLab + headless Chromium: control change -> new figure decoded and painted "
              f"(pane html: the changed text painted) (ms; {args.e2e_n} changes per widget; kernel = the same update timed in Python)")
        print(format_e2e(run_e2e(n=args.e2e_n, only=args.only, source=args.source)))
        print()
    if args.what == "encoders":
        from .encoders import format_rows as format_encoders
        from .encoders import run_encoders

        print("PNG encoders on the widget figures")
        print(format_encoders(run_encoders()))
        print()
    if args.what in ("all", "notebooks"):
        from .notebooks import format_rows, run_notebooks

        print(f"Notebook wall time (median of {args.repeat} runs, fresh kernel each)")
        print(format_rows(*run_notebooks(repeat=args.repeat, only=args.only)))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
