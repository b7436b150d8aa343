"""Latency of the surgery lesson's widgets (run with benchmarks.harness.run_widgets(only="surgery")).

Each widget memoises the rendered image per state (total, level, site…), so two cases are registered per widget:
the normal one (cycling through states, mostly cache hits after the first visit) and an "uncached" one that
redraws the figure on every change — the honest worst case for a learner's first visit to each state.
"""

from __future__ import annotations

from benchmarks.harness import WidgetCase
from bonemets_edu.widgets import surgery as w

_PAIN = ("mild", "moderate", "functional")
_LEVELS = ("C3", "T6", "T12", "L3", "S3")
_SURVIVAL = ("about 1 month", "1-6 months", "more than 6 months")


def _answered_mirels(cache: bool):
    app = w.mirels_calculator(cache=cache)
    app.controls["site"].value = "lower limb"
    app.controls["lesion"].value = "lytic"
    app.controls["size"].value = "1/3 to 2/3"
    app.controls["pain"].value = "mild"
    return app


def _answered_sins(cache: bool):
    app = w.sins_calculator(cache=cache)
    for name, value in dict(
        level="T6", pain="occasional", lesion="lytic", alignment="normal", collapse="<50%", posterolateral="none"
    ).items():
        app.controls[name].value = value
    return app


def _set(name, values):
    def mutate(app, i):
        app.controls[name].value = values[i % len(values)]

    return mutate


def cases() -> list[WidgetCase]:
    return [
        WidgetCase("surgery: Mirels calculator", build=lambda: _answered_mirels(True), mutate=_set("pain", _PAIN)),
        WidgetCase(
            "surgery: Mirels calculator (uncached)", build=lambda: _answered_mirels(False), mutate=_set("pain", _PAIN)
        ),
        WidgetCase("surgery: SINS calculator", build=lambda: _answered_sins(True), mutate=_set("level", _LEVELS)),
        WidgetCase(
            "surgery: SINS calculator (uncached)", build=lambda: _answered_sins(False), mutate=_set("level", _LEVELS)
        ),
        WidgetCase("surgery: spine map", build=lambda: w.spine_map_explorer(cache=True), mutate=_set("level", _LEVELS)),
        WidgetCase(
            "surgery: spine map (uncached)",
            build=lambda: w.spine_map_explorer(cache=False),
            mutate=_set("level", _LEVELS),
        ),
        WidgetCase(
            "surgery: which fixation", build=lambda: w.which_fixation(cache=True), mutate=_set("survival", _SURVIVAL)
        ),
        WidgetCase(
            "surgery: which fixation (uncached)",
            build=lambda: w.which_fixation(cache=False),
            mutate=_set("fracture", ("impending", "fracture")),
        ),
    ]
