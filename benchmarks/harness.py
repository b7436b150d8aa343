"""Widget-latency harness.

A lesson registers its widgets in ``benchmarks/widgets_<lesson>.py`` with a module-level function::

    def cases() -> list[WidgetCase]:
        return [WidgetCase("schedule comparison", build=schedule_comparison,
                           mutate=lambda app, i: setattr(app.controls["dose"], "value", 8 + i % 20))]

``build()`` returns the widget (built once, untimed); ``mutate(app, i)`` sets one control for step ``i`` — ipywidgets
observers run synchronously, so the call returns when the widget has recomputed and re-rendered its figure and text.
The harness times ``mutate`` N times and reports the median and p95 in ms next to a naive baseline measured in the same
process: ``interact``-style replotting, i.e. a new pyplot figure per step rendered to PNG by the inline backend's
formatter (the pattern the course avoids; see the toolchain notes).
"""

from __future__ import annotations

import importlib
import pkgutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class WidgetCase:
    name: str
    build: Callable[[], Any]
    mutate: Callable[[Any, int], None]
    kind: str = "line"  # "line" or "map" (a widget that redraws a 2-D map; budget 100 ms instead of 50 ms)

    @property
    def budget_ms(self) -> float:
        return 100.0 if self.kind == "map" else 50.0


def _percentile(values, q):
    return float(np.percentile(np.asarray(values), q))


def time_calls(fn: Callable[[int], None], n: int = 50, warmup: int = 3) -> dict:
    for i in range(warmup):
        fn(i)
    samples = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(warmup + i)
        samples.append((time.perf_counter() - t0) * 1000.0)
    return {"median_ms": statistics.median(samples), "p95_ms": _percentile(samples, 95), "n": n}


def naive_baseline(n: int = 50, kind: str = "line") -> dict:
    """A new pyplot figure per step, drawn and rendered to PNG (what ``interact`` + inline does)."""
    import matplotlib

    matplotlib.use("Agg")
    import io

    import matplotlib.pyplot as plt

    x = np.linspace(0, 10, 200)
    grid = np.random.default_rng(0).random((256, 256))

    def step(i):
        fig, ax = plt.subplots(figsize=(7, 4.2))
        if kind == "map":
            im = ax.imshow(grid * (1 + i % 7))
            fig.colorbar(im, ax=ax)
        else:
            ax.plot(x, np.sin(x + i / 10))
            ax.plot(x, np.cos(x + i / 10))
        ax.set_xlabel("x (unit)")
        ax.set_ylabel("y (unit)")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
        plt.close(fig)

    return time_calls(step, n=n)


def time_case(case: WidgetCase, n: int = 50) -> dict:
    app = case.build()
    result = time_calls(lambda i: case.mutate(app, i), n=n)
    result.update(name=case.name, kind=case.kind, budget_ms=case.budget_ms)
    return result


def discover() -> list[WidgetCase]:
    import benchmarks

    found: list[WidgetCase] = []
    for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if info.name.startswith("widgets_"):
            mod = importlib.import_module(f"benchmarks.{info.name}")
            found.extend(mod.cases())
    return found


def run_widgets(n: int = 50, only: str | None = None) -> list[dict]:
    rows = []
    baselines = {k: naive_baseline(n=n, kind=k) for k in ("line", "map")}
    for case in discover():
        if only and only.lower() not in case.name.lower():
            continue
        r = time_case(case, n=n)
        base = baselines[case.kind]
        r["baseline_median_ms"] = base["median_ms"]
        r["baseline_p95_ms"] = base["p95_ms"]
        r["ratio_p95"] = r["p95_ms"] / base["p95_ms"]
        rows.append(r)
    return rows


def format_widget_rows(rows: list[dict]) -> str:
    head = f"{'widget':58s} {'median ms':>9s} {'p95 ms':>8s} {'budget':>7s} {'naive p95':>9s} {'ratio':>6s}  verdict"
    lines = [head, "-" * len(head)]
    for r in rows:
        verdict = "within budget" if r["p95_ms"] <= r["budget_ms"] else "OVER budget"
        lines.append(
            f"{r['name'][:58]:58s} {r['median_ms']:9.1f} {r['p95_ms']:8.1f} {r['budget_ms']:7.0f} "
            f"{r['baseline_p95_ms']:9.1f} {r['ratio_p95']:6.2f}  {verdict}"
        )
    return "\n".join(lines)
