"""Lesson 01 widgets for the latency harness (see ``benchmarks/harness.py``).

* The remodeling widget is timed on real work every step: a fresh ODE integration (LSODA, 1200 days) and a PNG of the
  2×2 figure, blitted over a cached background (the axes are fixed, so only the scenario's lines are redrawn).
* The vicious-cycle and where-and-from-where widgets have 4 and 8 states; each state's image is kept after it is
  drawn (where-and-from-where pre-renders all 8 when it is built). They are timed both ways: "(revisit)" uses the
  cache, "(first view)"/"(uncached …)" clears it every step.
"""

from __future__ import annotations

from benchmarks.harness import WidgetCase

GROWTH = [round(0.001 * k, 3) for k in range(1, 21)]
PRIMARIES = ["breast", "prostate", "myeloma", "thyroid", "bladder", "lung", "melanoma", "renal"]


def _remodeling():
    from bonemets_edu.widgets.biology import bone_remodeling

    return bone_remodeling()


def _remodeling_treated():
    from bonemets_edu.widgets.biology import bone_remodeling

    return bone_remodeling(treatment_start_day=600)


def _cycle():
    from bonemets_edu.widgets.biology import vicious_cycle

    return vicious_cycle()


def _where():
    from bonemets_edu.widgets.biology import where_and_from_where

    return where_and_from_where()


def _visited(build, name, values):
    """A widget whose states have all been shown once (so the timed steps are revisits)."""

    def make():
        app = build()
        for v in values:
            app.controls[name].value = v
        return app

    return make


def _set(app, name, value):
    app.controls[name].value = value


def _uncached(app, name, value):
    app.cache.clear()
    app.controls[name].value = value


def cases() -> list[WidgetCase]:
    return [
        WidgetCase("biology: remodeling, growth rate", _remodeling,
                   lambda app, i: _set(app, "growth", GROWTH[i % len(GROWTH)] if i % len(GROWTH) != 4 else 0.02)),
        WidgetCase("biology: remodeling, treatment day", _remodeling_treated,
                   lambda app, i: _set(app, "start", 50 * (1 + i % 24))),
        WidgetCase("biology: vicious cycle (revisit)", _visited(_cycle, "step", [1, 2, 3, 4]), lambda app, i: _set(app, "step", 1 + (i + 1) % 4)),
        WidgetCase("biology: vicious cycle (first view)", _cycle,
                   lambda app, i: _uncached(app, "step", 1 + (i + 1) % 4)),
        WidgetCase("biology: where/from where (revisit)", _visited(_where, "primary", PRIMARIES),
                   lambda app, i: _set(app, "primary", PRIMARIES[(i + 1) % 8])),
        WidgetCase("biology: where/from where (uncached; students never wait for this: pre-rendered at build)", _where,
                   lambda app, i: _uncached(app, "primary", PRIMARIES[(i + 1) % 8])),
    ]
